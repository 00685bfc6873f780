"""The core's text helpers: cell widths, printable text, dates, lines that fit.

Terminal cell widths for text tables: Thai marks take no cell, CJK takes two.

Widths are Rich's (`rich.cells`), the measure Textual draws with, so a column sized
here lines up on screen: an emoji with a skin tone, a heart with its variation
selector and a family joined by zero-width joiners each take two cells. Rich comes
with Textual but is imported on the first measurement only, so commands that never
measure text do not pay for loading it.

Also makes user text safe to print (`printable`: control characters, ANSI escapes
among them, are shown as visible symbols instead of being sent to the terminal), writes
dates one way (`day`, `minute`), and cuts and wraps the lines of the text output of
`compare`, `trend` and `findings` (`WIDTH`, `fit`, `wrap`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from auditui.session import Summary

BIDI_CONTROLS = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
"""Embeddings, overrides and isolates: a terminal that does bidi would reorder text with them."""
BIDI_CLASS = "".join(chr(c) for c in BIDI_CONTROLS)
"""The same, to put in a regular expression's character class."""

_PRINTABLE = (
    {i: chr(0x2400 + i) for i in range(32)}
    | {0x0A: "\u23ce", 0x7F: "\u2421"}
    | {c: "\ufffd" for c in (*range(0x80, 0xA0), *BIDI_CONTROLS)}
)
"""What `printable` replaces, built once: it runs for every cell and line drawn."""


_KEEPING: dict[str, dict[int, str]] = {}


def printable(text: str, keep: str = "") -> str:
    """Control characters as their visible pictures (ESC -> ␛); newlines as ⏎; C1 controls
    and bidi overrides as U+FFFD. The characters in `keep` (say "\\t\\n") are left as they
    are. Every character stays one character."""
    if not keep:
        return text.translate(_PRINTABLE)
    table = _KEEPING.get(keep)
    if table is None:
        table = _KEEPING[keep] = {k: v for k, v in _PRINTABLE.items() if chr(k) not in keep}
    return text.translate(table)


def day(stamp: date) -> str:
    """A date (or a time's date) as every output writes it: `2026-11-25`."""
    return f"{stamp:%Y-%m-%d}"


def minute(stamp: datetime) -> str:
    """A time to the minute, as lists of sessions write it: `2026-11-25 09:30`."""
    return f"{stamp:%Y-%m-%d %H:%M}"


def cell_width(text: str) -> int:
    """How many terminal cells `text` takes."""
    from rich.cells import cell_len

    return cell_len(text)


def take(text: str, width: int) -> tuple[str, int]:
    """The longest start of `text` that fits in `width` cells, never splitting a character
    made of several code points, and how many code points it holds."""
    from rich.cells import split_graphemes

    spans, total = split_graphemes(text)
    if total <= width:
        return text, len(text)
    used = end = 0
    for _start, stop, size in spans:
        if used + size > width:
            break
        used += size
        end = stop
    return text[:end], end


def ljust(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_width(text))


def truncate(text: str, width: int) -> str:
    """At most `width` cells, with an ellipsis when cut."""
    if cell_width(text) <= width:
        return text
    return take(text, width - 1)[0] + "…"


def truncate_middle(text: str, width: int) -> str:
    """At most `width` cells, cut in the middle when too long: for ids, whose end tells
    them apart (`2026-12-06-09…audit-k3mq-2`)."""
    if width < 5:
        return truncate(text, width)
    if len(text) <= width and text.isprintable() and text.isascii():
        return text  # one cell a character
    if cell_width(text) <= width:  # the measure the columns are sized by
        return text
    from rich.cells import split_graphemes

    spans, _ = split_graphemes(text)
    used = end = 0
    for _start, stop, size in spans:  # the head: half the room, less the ellipsis
        if used + size > (width - 1) // 2:
            break
        used += size
        end = stop
    room = width - 1 - used
    begin = len(text)
    for start, _stop, size in reversed(spans):  # the tail: whole characters that fit
        if size > room or start < end:
            break
        room -= size
        begin = start
    return f"{text[:end]}…{text[begin:]}"


WIDTH = 100
"""No line of the text output of compare, trend and findings is wider than this many cells
(fewer on a narrower terminal: `line_width`)."""
NARROWEST = 60
"""The fewest cells a line is given, however narrow the terminal."""

_line_width: ContextVar[int] = ContextVar("line_width", default=WIDTH)


def line_width() -> int:
    """How many cells a line of text output may take now: `WIDTH`, or the terminal's
    width while `lines_of` says so (an auditor's terminal is often 80 columns)."""
    return _line_width.get()


@contextmanager
def lines_of(width: int) -> Iterator[None]:
    """Text output made in this block fits `width` cells (between `NARROWEST` and
    `WIDTH`): for a terminal narrower than `WIDTH`, where longer lines would wrap."""
    token = _line_width.set(max(NARROWEST, min(width, WIDTH)))
    try:
        yield
    finally:
        _line_width.reset(token)


def fit(line: str, width: int | None = None) -> str:
    """A line cut to `width` cells (`line_width()` when not given), with an ellipsis when
    cut, trailing spaces dropped."""
    return truncate(line.rstrip(), width if width is not None else line_width())


def fact_lines(indent: str, facts: Sequence[str], separator: str = " · ") -> list[str]:
    """Short facts joined by `separator` on lines of at most `line_width()` cells, each
    line starting with `indent`: on a narrow terminal a line of figures goes on below
    rather than losing its last ones to a cut."""
    width = line_width()
    lines: list[str] = []
    current = ""
    for fact in facts:
        joined = f"{current}{separator}{fact}" if current else fact
        if current and cell_width(indent + joined) > width:
            lines.append(indent + current)
            joined = fact
        current = joined
    lines.append(indent + current)
    return lines


def wrap(text: str, width: int) -> list[str]:
    """`text` (already printable) broken into lines of at most `width` cells, at spaces
    where it can; a word wider than a line is cut where it must be."""
    width = max(width, 4)
    lines: list[str] = []
    current, used = "", 0
    for word in text.split(" "):
        size = cell_width(word)
        if current and used + 1 + size <= width:
            current += " " + word
            used += 1 + size
            continue
        if current or lines:
            lines.append(current)
        current, used = "", 0
        while size > width:
            head, taken = take(word, width)
            lines.append(head)
            word = word[taken:]
            size = cell_width(word)
        current, used = word, size
    lines.append(current)
    return lines


def score_text(summary: Summary | None) -> str:
    """`80.0%`, or `–` when nothing was judged pass or fail (or there is nothing)."""
    if summary is None or summary.score is None:
        return "–"
    return percent(summary.score)


def natural_widths(headings: Sequence[str], rows: Sequence[Sequence[str]]) -> list[int]:
    """Each column's width with nothing cut: its widest cell or heading (cells printable)."""
    return [
        max([cell_width(heading), *(cell_width(row[number]) for row in rows)])
        for number, heading in enumerate(headings)
    ]


def visible(text: str) -> str:
    """User text for a file: line breaks folded to LF, tabs kept, every other control
    character made visible (an escape sequence in a note never reaches a terminal)."""
    return printable(text.replace("\r\n", "\n"), keep="\t\n")


def points_moved(old: float, new: float) -> str:
    """How far a score (0–1) moved, in points to one decimal: `+6.2`, `-12.5`, and `0.0`
    for a move too small to show (never "-0.0")."""
    moved = round((new - old) * 100, 1)
    return f"{moved:+.1f}" if moved else "0.0"


def percent(score: float) -> str:
    """A score as the command line and the reports print it, to one decimal, halves up:
    `62.5%`, and 1 of 16 is `6.3%` (Python's format rounds the binary value half to even:
    `6.2%`)."""
    return f"{_half_up(score * 1000) / 10:.1f}%"


def whole_percent(score: float) -> str:
    """A score to the nearest whole percent, halves up as people round: 5 of 8 is `63%`
    (the exact ratio is rounded, not its one-decimal figure: 5 of 11, 45.45…, is `45%`)."""
    return f"{_half_up(score * 100)}%"


def _half_up(value: float) -> int:
    # A ratio a hair under the half in binary (0.285 * 100 = 28.4999…) is the half.
    return math.floor(value + 0.5 + 1e-9)


def some_of(names: Sequence[str], shown: int = 5) -> str:
    """`a, b, c and 4 more`: the first `shown` of `names`, and how many are left out, for a
    one-line message."""
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def plural(number: int, one: str, many: str | None = None) -> str:
    """`1 item`, `3 items`, `2 corrective actions`: a count with its noun in agreement."""
    return f"{number:,} {one if number == 1 else (many or one + 's')}"


def in_number_order(text: str) -> tuple[tuple[int, int, str], ...]:
    """A sort key that reads the numbers in `text` as numbers: clause 4.2 and item
    `4.2-a` before 10.1 and `10.1-a`, as the standard runs (text sorts 10 before 4)."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"(\d+)", text)
        if part
    )
