"""Reading the HTML reports back with a real parser (the standard library's), the way a
browser would see them: the elements, their attributes, and the text of each part."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "source", "wbr"}
SVG_VOID = {"rect", "line", "circle", "path", "polyline"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    text: list[str] = field(default_factory=list)

    @property
    def content(self) -> str:
        return "".join(self.text)


class Page(HTMLParser):
    """Every element with its attributes and all the text inside it (decoded)."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []
        self.text_parts: list[str] = []
        self.errors: list[str] = []
        self.feed(source)
        self.close()
        if self.open:
            self.errors.append(f"unclosed: {[e.tag for e in self.open]}")

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.elements.append(element)
        if tag not in VOID and tag not in SVG_VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.open or self.open[-1].tag != tag:
            self.errors.append(f"</{tag}> closes {self.open[-1].tag if self.open else None}")
            while self.open and self.open[-1].tag != tag:
                self.open.pop()
        if self.open:
            self.open.pop()

    def handle_data(self, data):
        self.text_parts.append(data)
        for element in self.open:
            element.text.append(data)

    @property
    def text(self) -> str:
        return "".join(self.text_parts)

    def all(self, tag: str) -> list[Element]:
        return [element for element in self.elements if element.tag == tag]

    def by_id(self, element_id: str) -> Element:
        for element in self.elements:
            if element.attrs.get("id") == element_id:
                return element
        raise AssertionError(f"no element with id {element_id!r}")


EXTERNAL = re.compile(r"url\(|@import|https?:|//|javascript:", re.IGNORECASE)


def assert_self_contained(source: str) -> Page:
    """Parses, declares UTF-8, and holds no script and nothing fetched from elsewhere."""
    page = Page(source)
    assert page.errors == []
    assert source.startswith("<!DOCTYPE html>")
    assert any(m.attrs.get("charset", "").lower() == "utf-8" for m in page.all("meta"))
    for tag in ("script", "link", "iframe", "object", "embed", "image", "use", "base"):
        assert page.all(tag) == [], tag
    for element in page.elements:
        for name, value in element.attrs.items():
            assert not name.startswith("on"), (element.tag, name)
            if element.tag == "img" and name == "src":
                # A photo travels inside the page, never fetched: a JPEG in a data: address.
                assert (value or "").startswith("data:image/jpeg;base64,"), value
                continue
            assert name not in ("src", "href", "xlink:href", "srcset", "action"), element.tag
            if name == "style":
                assert not EXTERNAL.search(value or ""), value
    for style in page.all("style"):
        assert not EXTERNAL.search(style.content.replace("http://www.w3.org", "")), "external"
    return page
