"""Terminal cell widths for text tables: Thai marks take no cell, CJK takes two.

Widths are Rich's (`rich.cells`), the measure Textual draws with, so a column sized
here lines up on screen: an emoji with a skin tone, a heart with its variation
selector and a family joined by zero-width joiners each take two cells. Rich comes
with Textual but is imported on the first measurement only, so commands that never
measure text do not pay for loading it.

Also makes user text safe to print: control characters (ANSI escapes among them)
are shown as visible symbols instead of being sent to the terminal.
"""

from __future__ import annotations

BIDI_CONTROLS = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
"""Embeddings, overrides and isolates: a terminal that does bidi would reorder text with them."""

_PRINTABLE = (
    {i: chr(0x2400 + i) for i in range(32)}
    | {0x0A: "\u23ce", 0x7F: "\u2421"}
    | {c: "\ufffd" for c in (*range(0x80, 0xA0), *BIDI_CONTROLS)}
)
"""What `printable` replaces, built once: it runs for every cell and line drawn."""


def printable(text: str) -> str:
    """Control characters as their visible pictures (ESC -> ␛); newlines as ⏎; C1 controls
    and bidi overrides as U+FFFD."""
    return text.translate(_PRINTABLE)


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
