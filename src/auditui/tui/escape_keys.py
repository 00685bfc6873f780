"""Esc and the key typed right after it stay two keys, whatever that key is.

A terminal sends esc as the byte ESC, and alt+x as ESC then x: a fast typist's esc and
next key (or keys typed while the laptop froze for a moment) arrive as one sequence.
Textual's parser reads ESC plus one character as a single key: `alt+` a letter, and for
a few as something else altogether (ESC tab is shift+tab, ESC f and ESC b are
ctrl+right and ctrl+left, ESC backspace is ctrl+w, ESC and a digit a symbol: ESC 2 is
"™"). So esc, tab, p passed the item before the one the auditor moved to; esc, 2 put
"™" in the note and dropped the grade; esc, f lost the fail.

The parser used here hands on esc, then the key, for every such pair read from the
terminal; sequences that are more than that (arrows, function keys, mouse, a paste) are
read as before. auditui binds no alt+ key, so nothing is lost by it. (A terminal that
reports alt itself, in the kitty keyboard protocol, is not affected: its esc never
joins the next key.)
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual._xterm_parser import XTermParser

ESC = "\x1b"
INTRODUCERS = frozenset("[O]P_\\^X" + ESC)
"""What follows ESC in the sequences a terminal sends (CSI, SS3, OSC, DCS, APC, string
terminator, PM, SOS): ESC and one of these may be the start of a longer sequence."""


class SplitEscapeParser(XTermParser):
    """Textual's terminal parser, with esc and the key after it read as two keys."""

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if alt and len(sequence) == 1:
            # ESC, then a character the parser did not take as part of a sequence.
            yield events.Key("escape", ESC)
            yield from super()._sequence_to_key_events(sequence)
            return
        if len(sequence) == 2 and sequence[0] == ESC and sequence[1] not in INTRODUCERS:
            # No sequence a terminal sends starts so: esc, then that key, at once. (Read
            # as one key, ESC tab was shift+tab; waited on, a burst of keys after esc made
            # the parser give up and type esc as "^".)
            yield events.Key("escape", ESC)
            yield from super()._sequence_to_key_events(sequence[1])
            return
        yield from super()._sequence_to_key_events(sequence, alt)


def install() -> None:
    """Make the terminal driver read keys with `SplitEscapeParser` (it makes its parser
    when the app starts reading keys)."""
    from textual.drivers import linux_driver

    if getattr(linux_driver, "XTermParser", None) is XTermParser:
        linux_driver.XTermParser = SplitEscapeParser  # type: ignore[misc]
