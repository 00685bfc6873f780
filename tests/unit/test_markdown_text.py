"""Markdown exports are mailed and pasted as plain text: only what Markdown would read as
markup is escaped, where it would (no `&amp;`, no `IMG\\_2231`), and rendered they still
show exactly what was typed."""

from __future__ import annotations

from history_helpers import make_session
from html_helpers import Page
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from auditui.export import to_markdown
from auditui.reports.common import escape_markdown

PLAIN = [
    "Warehouse & dispatch", "IMG_2231.jpg", "snake_case", "~2 mm", "C:\\dir",
    "Q1 [red] audit", "Nguyễn Thị Mai [bold]", "gap < 5 mm", "a > b", "x]y", "[x] (y)", "<3",
]  # fmt: skip
MARKUP = [
    "*bold*", "_lean_", "[link](x)", "<b>x</b>", "&amp;", "~~gone~~", "`code`", "a | b",
    "![photo](x.jpg)", "[a][b]", "[a [b](c)]", "<http://x.example>", "<x@y.example>",
    "<!-- c -->", "</b>",
]  # fmt: skip


def rendered_text(markdown: str) -> str:
    return Page(MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)).text


def test_plain_text_is_left_as_it_is() -> None:
    for text in PLAIN:
        assert escape_markdown(text) == text, text


def test_markup_is_escaped_and_renders_as_the_same_text() -> None:
    for text in [*PLAIN, *MARKUP, "gap < 5 mm"]:
        html = (
            MarkdownIt("commonmark")
            .enable(["table", "strikethrough"])
            .render(escape_markdown(text))
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


def test_a_line_that_would_start_a_block_stays_literal() -> None:
    """A note's line that starts like a link definition, a quote or a heading underline
    (`[a]: http://x`, `> quoted`, `===`) is escaped at the start, in quoted blocks too."""
    from auditui.reports.common import md_lines

    note = "[a]: http://x.example\n> quoted\nline\n===\nsee [a]"
    session = make_session("s", [("4.1-a", "fail", note)])
    for markdown in ("\n".join(md_lines(note)), to_markdown(session)):
        page = Page(MarkdownIt("commonmark").render(markdown))
        assert page.all("a") == []  # the definition did not make `[a]` a link
        text = page.text
        for line in ("[a]: http://x.example", "> quoted", "===", "see [a]"):
            assert line in text, (line, markdown)


@given(st.text(alphabet="ab1 *_[]()<>!/:`|~&#;\\-=+.@", min_size=1, max_size=24))
@example("<1@1>")  # an email autolink may begin with a digit ...
@example("<=@1>")  # ... or a sign: both were links, their brackets gone
@settings(max_examples=1500, deadline=None)
def test_any_mix_of_markup_characters_renders_as_typed(text: str) -> None:
    """Whatever is typed (brackets, angle brackets, stars, ...) renders as itself: only
    the characters that would be markup are escaped, but none that would be is missed."""
    text = " ".join(text.split())  # Markdown folds spaces at the ends and in runs
    assume(text)
    line = md_line_alone(text)
    page = Page(MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(line))
    assert page.text.strip() == f"Note: {text}", (text, line)


def md_line_alone(text: str) -> str:
    """`text` as `md` writes it in a list item, the way reports use it."""
    from auditui.reports.common import md

    return f"- Note: {md(text)}"


@given(st.text(alphabet="ab1 *_[]()<>!/:`|~&#;\\-=+.@", min_size=1, max_size=24))
@settings(max_examples=1500, deadline=None)
def test_a_line_of_a_note_renders_as_typed_also_at_its_start(text: str) -> None:
    from auditui.reports.common import md_lines

    text = " ".join(text.split())
    assume(text)
    markdown = "\n".join(md_lines(text))
    page = Page(MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown))
    assert page.text.strip() == text, (text, markdown)


def test_a_note_of_several_lines_keeps_its_lines_in_the_export() -> None:
    """The export quoted a note line by line without hard breaks: a viewer ran the lines
    together into one."""
    note = "Line one\nLine two [x]\n\nAfter a blank line"
    session = make_session("s", [("4.1-a", "fail", note)])
    html = MarkdownIt("commonmark").render(to_markdown(session))
    assert "<p>Line one<br />\nLine two [x]</p>\n<p>After a blank line</p>" in html
