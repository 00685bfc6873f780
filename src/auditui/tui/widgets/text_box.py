"""Text fields that keep what is typed: a box of several lines (notes, causes, actions,
conclusions) and a line (names, reasons, dates). Textual's `TextArea` and `Input` drop
the keys they take for unprintable, joiners among them."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea

JOINERS = frozenset("\u200d\u200c\u2060\u200b\u00ad")
"""Zero-width joiner and non-joiner, word joiner, zero-width space, soft hyphen: format
characters a keyboard or an emoji picker types inside words and emoji (👨‍👩‍👧, Persian,
Indic scripts; Thai and Khmer mark word breaks with a zero-width space), which Textual
takes for unprintable keys and drops. Controls and bidi overrides are still dropped."""


class TextBox(TextArea):
    """A text box of several lines that takes every character typed, joiners too, and
    opens with its cursor after the text it holds: a box reached with tab to add to a
    cause took what was typed in front of it, glued to its first word."""

    def on_mount(self) -> None:
        self.move_cursor(self.document.end)

    async def _on_key(self, event: events.Key) -> None:
        if event.character in JOINERS and not self.read_only:
            event.stop()
            event.prevent_default()
            self.replace(event.character, *self.selection)
            return
        await super()._on_key(event)


class TextLine(Input):
    """A one-line field (a name, a reason) that takes every character typed, joiners
    too: "Me\u200chdi" typed as an auditor's or an owner's name lost its non-joiner."""

    async def _on_key(self, event: events.Key) -> None:
        if event.character in JOINERS:
            event.stop()
            event.prevent_default()
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(event.character)
            else:
                self.replace(event.character, *selection)
            return
        await super()._on_key(event)
