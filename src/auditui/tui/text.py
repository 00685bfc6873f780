"""User and checklist text made safe for the screen.

Nothing a user typed or a checklist says is ever parsed as markup: it goes into
`Content` as plain text, and control characters (ANSI escapes among them) are
shown as visible symbols instead of reaching the terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from rich.highlighter import Highlighter
from rich.text import Text
from textual.content import Content

from auditui.textwidth import printable

if TYPE_CHECKING:
    from rich.console import JustifyMethod
    from textual.widgets import DataTable


def plain(text: str) -> Content:
    """User text as content, literally."""
    return Content(printable(text))


def styled(*parts: str | tuple[str, str]) -> Content:
    """Assemble content from plain strings and (text, style) pairs; text is never markup."""
    safe = [
        (printable(part[0]), part[1]) if isinstance(part, tuple) else printable(part)
        for part in parts
    ]
    return Content.assemble(*safe)


def multiline(text: str) -> Content:
    """Like `plain` but newlines stay line breaks (for notes and guidance)."""
    return Content("\n".join(printable(line) for line in text.replace("\r\n", "\n").split("\n")))


def cell(text: str, style: str = "", justify: JustifyMethod = "left") -> Text:
    """A table cell that shows user text literally, cut with an ellipsis."""
    return Text(printable(text), style=style, no_wrap=True, overflow="ellipsis", justify=justify)


class SizedCell:
    """A cell of a table whose columns have fixed widths (`set_columns`): it renders as its
    text, and leaves out the measuring that `DataTable` would otherwise do of every cell
    as rows are added (a terminal-size query each: 0.1 s for a thousand sessions), since
    a fixed column's width does not depend on what it holds."""

    __slots__ = ("text",)

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_console__(self, console, options):
        yield self.text

    def __str__(self) -> str:
        return self.text.plain


def table_room(table: DataTable, fixed: int, columns: int) -> int:
    """Cells left for the wide columns of `table`, its vertical scrollbar allowed for:
    `fixed` is the width of the other columns, `columns` the number of all of them."""
    width = table.size.width or table.app.size.width - 2
    scrollbar = table.styles.scrollbar_size_vertical
    return width - scrollbar - fixed - 2 * table.cell_padding * columns


def set_columns(table: DataTable, headings: Sequence[str], widths: list[int]) -> bool:
    """Give `table` these columns, unless it has them already (then nothing is redrawn).
    True when the columns were made again (and the table emptied)."""
    if [column.width for column in table.columns.values()] == widths:
        return False
    table.clear(columns=True)
    for heading, width in zip(headings, widths, strict=True):
        table.add_column(heading, width=width)
    return True


class ControlPictures(Highlighter):
    """For `Input`: shows the value's control characters as visible symbols (an ESC pasted
    in never reaches the terminal); the value itself is kept exactly as typed."""

    def highlight(self, text: Text) -> None:
        text.plain = printable(text.plain, keep="\t")


def with_left_out(
    words: str, left_out: Sequence[str]
) -> tuple[str, Literal["information", "warning"]]:
    """A notice that a file was written, and of the files read for it that were left out
    unread (the first named): what it says, and its severity."""
    if not left_out:
        return words, "information"
    from auditui.textwidth import plural

    files = plural(len(left_out), "file")
    return f"{words} ({files} left out unread: {left_out[0]})", "warning"
