"""Esc and the key typed right after it stay two keys.

A terminal sends esc as the byte ESC, and alt+x (option+x on a Mac set to send it) as ESC
then x, so esc and the next key typed within Textual's wait for the rest of a sequence
(100 ms) reach the parser as one sequence. Textual reads ESC and one character as one
key: `alt+` a letter, and some as something else altogether (ESC tab is shift+tab, ESC f
and ESC b ctrl+right and ctrl+left, ESC backspace ctrl+w, ESC and a digit a symbol: ESC 2
is "™"). So esc, tab, p passed the item before the one the auditor moved to; esc, 2 put
"™" in the note and dropped the grade; esc, f lost the fail. And esc before a burst of
more than 32 keys (a laptop that froze) was typed as "^".

The parser used here reads ESC and the character after it as esc, then that key, with
one exception: ESC b, ESC f and ESC backspace that come in one read from the terminal
are what a Mac's option+←, option+→ and option+backspace send. Those go on as
`EscapeThen`, which the app's key queue (`ordered_keys`) gives a text box as the word
move or deletion, and drops anywhere else (taken as esc and f, option+→ on the
walkthrough failed the item). A person's esc comes in a read of its own (keys are typed
tens of milliseconds apart), so esc then f is esc then f everywhere, unless the laptop
froze between them (then the f is not taken, and the item shows it unmarked).

A person's esc followed by a character that may start a longer sequence (P, X, ^ ...;
not `[`, `O` or `]`, which a slow link may split from their ESC) is split at once too,
and an ESC Textual gives up reading a sequence after is handed on as esc, not as the
"^" Textual types for it.

An ESC inside a paste (text copied with its colour codes) is kept in the pasted text as
␛ (`PasteEscapes`): Textual ended the paste there and pressed the rest as keys.

Sequences that are more than that (arrows, function keys, mouse, replies of the
terminal) are read as before, and so are keys of a terminal that reports alt itself
(the kitty keyboard protocol), whose esc never joins the next key.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from textual import events
from textual._xterm_parser import XTermParser
from textual.message import Message

ESC = "\x1b"
INTRODUCERS = frozenset("[O]P_\\^X" + ESC)
"""What follows ESC in the sequences a terminal sends (CSI, SS3, OSC, DCS, APC, string
terminator, PM, SOS): ESC and one of these may be the start of a longer sequence."""
WORD_KEYS = frozenset("bf\x7f")
"""ESC and these, in one read: option+←, option+→ and option+backspace on a Mac."""
DRIVERS = (
    "textual.drivers.linux_driver",
    "textual.drivers.linux_inline_driver",
    "textual.drivers.win32",
    "textual.drivers.web_driver",
)
"""The modules whose drivers make an `XTermParser` to read the terminal."""


class EscapeThen(events.Key):
    """ESC and `typed` in one read: the key Textual reads them as (`ctrl+right` for ESC f)
    in a text box, nothing anywhere else (`ordered_keys` settles it before any widget
    sees it)."""

    __slots__ = ["typed"]

    def __init__(self, key: str, typed: str) -> None:
        super().__init__(key, None)
        self.typed = typed


class SplitEscapeParser(XTermParser):
    """Textual's terminal parser, with esc and the key after it read as two keys."""

    def __init__(self, *args, **kwargs) -> None:
        self._read_ended_in_esc = False
        self._esc_came_alone = False
        """The data being read continues an ESC that ended the read before it, and that
        no wait for the rest of a sequence has ended since: a person's esc."""
        self._caret_is_escape = False
        """Textual is about to hand on an ESC it gave up reading a sequence after as "^"."""
        self._pastes = PasteEscapes()
        super().__init__(*args, **kwargs)  # starts `parse`

    def parse(self, token_callback):
        """Textual's parse, with an ESC it gives up on handed on as esc, not "^": after
        ESC and a character that may start a longer sequence (P, O, X, [ ...), another
        ESC, or more than 32 keys, it hands the ESC on as a "^" typed (esc, P, esc in a
        note made it "^P" and lost the pass)."""

        def hand_on(token: Message) -> None:
            if self._caret_is_escape and isinstance(token, events.Key):
                self._caret_is_escape = False
                if token.key == "circumflex_accent":
                    token = events.Key("escape", ESC)
            if isinstance(token, events.Key) and token.key == "escape":
                self._esc_came_alone = False  # that ESC went on: the next is another one
            token_callback(token)

        return super().parse(hand_on)

    def feed(self, data: str) -> Iterable[Message]:
        data = self._pastes.shown(data)
        self._esc_came_alone = self._read_ended_in_esc
        self._read_ended_in_esc = data.endswith(ESC)
        return super().feed(data)

    def tick(self) -> Iterable[Message]:
        for token in super().tick():
            self._read_ended_in_esc = False  # the wait ended: that ESC went on alone
            yield token

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        came_alone, self._esc_came_alone = self._esc_came_alone, False
        if sequence == ESC and not alt:
            # Only where Textual hands on an ESC it gave up on (see `parse`).
            self._caret_is_escape = True
        if alt and len(sequence) == 1:
            # ESC, then a character the parser did not take as part of a sequence.
            yield events.Key("escape", ESC)
            yield from super()._sequence_to_key_events(sequence)
            return
        if len(sequence) == 2 and sequence[0] == ESC and sequence[1] != ESC and (
            sequence[1] not in INTRODUCERS or (came_alone and sequence[1] not in "[O]")
        ):
            # A person's esc, then a key; or ESC and a key that starts no sequence. (A
            # CSI, SS3 or OSC split over two reads, on a slow link, is waited on.)
            if sequence[1] in WORD_KEYS and not came_alone:
                (key,) = super()._sequence_to_key_events(sequence)
                yield EscapeThen(key.key, sequence[1])
                return
            yield events.Key("escape", ESC)
            yield from super()._sequence_to_key_events(sequence[1])
            return
        yield from super()._sequence_to_key_events(sequence, alt)


PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"
SHOWN_ESC = "\u241b"
"""What an ESC inside a paste becomes: the symbol for it (␛)."""


class PasteEscapes:
    """Each ESC inside a paste replaced by ␛, before Textual's parser reads it. That
    parser ends a paste at an ESC in it (text copied with its colour codes) and hands the
    rest of the text on as key presses, each a command to whatever has the focus. A paste
    may come in several reads: where one ends inside it, this one knows, and a read that
    ends in part of the end marker has that part held back for the next."""

    def __init__(self) -> None:
        self.inside = False
        self.held = ""
        self.started = 0
        """How much of the start marker ended the last read (outside a paste)."""

    def shown(self, data: str) -> str:
        data, self.held = self.held + data, ""
        out: list[str] = []
        position = 0
        if not self.inside and self.started and data.startswith(PASTE_START[self.started :]):
            position = len(PASTE_START) - self.started
            out.append(data[:position])
            self.inside = True
        self.started = 0
        while position < len(data):
            if not self.inside:
                start = data.find(PASTE_START, position)
                if start < 0:
                    rest = data[position:]
                    self.started = _ends_with_part_of(rest, PASTE_START)
                    out.append(rest)
                    break
                body = start + len(PASTE_START)
                out.append(data[position:body])
                position, self.inside = body, True
                continue
            end = data.find(PASTE_END, position)
            if end < 0:
                rest = data[position:]
                cut = len(rest) - _ends_with_part_of(rest, PASTE_END)
                out.append(rest[:cut].replace(ESC, SHOWN_ESC))
                self.held = rest[cut:]
                break
            out += [data[position:end].replace(ESC, SHOWN_ESC), PASTE_END]
            position, self.inside = end + len(PASTE_END), False
        return "".join(out)


def _ends_with_part_of(text: str, marker: str) -> int:
    """The length of the longest start of `marker` (shorter than it) that `text` ends in."""
    for length in range(min(len(marker) - 1, len(text)), 0, -1):
        if text.endswith(marker[:length]):
            return length
    return 0


def install() -> None:
    """Make the terminal drivers read keys with `SplitEscapeParser` (each makes its parser
    when the app starts reading keys; the driver's module is loaded by then)."""
    for name in DRIVERS:
        module = sys.modules.get(name)
        if module is not None and getattr(module, "XTermParser", None) is XTermParser:
            module.XTermParser = SplitEscapeParser  # type: ignore[attr-defined]
