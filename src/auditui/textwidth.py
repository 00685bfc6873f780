"""Terminal cell widths for text tables: Thai marks take no cell, CJK takes two.

Also makes user text safe to print: control characters (ANSI escapes among them)
are shown as visible symbols instead of being sent to the terminal.
"""

from __future__ import annotations

import unicodedata

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
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def ljust(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_width(text))


def truncate(text: str, width: int) -> str:
    """At most `width` cells, with an ellipsis when cut."""
    if cell_width(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        w = cell_width(char)
        if used + w > width - 1:
            break
        out.append(char)
        used += w
    return "".join(out) + "…"
