"""Markdown exports are mailed and pasted as plain text: only what Markdown would read as
markup is escaped, where it would (no `&amp;`, no `IMG\\_2231`), and rendered they still
show exactly what was typed."""

from __future__ import annotations

from history_helpers import make_session
from html_helpers import Page
from markdown_it import MarkdownIt

from auditui.export import to_markdown
from auditui.reports.common import escape_markdown

PLAIN = ["Warehouse & dispatch", "IMG_2231.jpg", "snake_case", "~2 mm", "C:\\dir"]
MARKUP = ["*bold*", "_lean_", "[link](x)", "<b>x</b>", "&amp;", "~~gone~~", "`code`", "a | b"]


def rendered_text(markdown: str) -> str:
    return Page(MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)).text


def test_plain_text_is_left_as_it_is() -> None:
    for text in PLAIN:
        assert escape_markdown(text) == text, text


def test_markup_is_escaped_and_renders_as_the_same_text() -> None:
    for text in [*PLAIN, *MARKUP, "gap < 5 mm"]:
        html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(
            escape_markdown(text)
        )
        page = Page(html)
        assert page.text.strip() == text, (text, html)
        for tag in ("em", "strong", "a", "b", "code", "s", "del"):
            assert page.all(tag) == [], (text, tag)


def test_the_session_export_reads_as_plain_text() -> None:
    session = make_session("s", [("4.1-a", "fail", "Warehouse & dispatch: IMG_2231.jpg < 5 mm")])
    session.auditee = "Warehouse & dispatch"
    text = to_markdown(session)
    assert "&amp;" not in text and "&lt;" not in text and "IMG_2231" in text
    assert "| Auditee | Warehouse & dispatch |" in text
    assert "Warehouse & dispatch: IMG_2231.jpg < 5 mm" in rendered_text(text)
