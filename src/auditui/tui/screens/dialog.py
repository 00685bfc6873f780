"""The base of auditui's dialogs, and the style they share.

Each screen carries its own style (`DEFAULT_CSS`, unscoped, so the rules read as they
would in a stylesheet): Textual parses the app's stylesheet three times while it
starts (before and after the theme's colours are known), so what is there is only
what every screen needs; a dialog's rules are parsed once, when the first one opens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer

ResultT = TypeVar("ResultT")


class Fields(VerticalScroll, can_focus=False):
    """A form's fields, scrolled to the one focused; never focused itself: `tab` stopped
    on a plain scrolling box, where the keys typed went nowhere."""


class Dialog(ModalScreen[ResultT]):
    """A modal screen in a box (`.dialog`), centred over the screen it was opened on."""

    SCOPED_CSS = False
    DEFAULT_CSS = """
    .dialog {
        width: 80%;
        max-width: 100;
        height: auto;
        max-height: 90%;
        background: $surface;
        border: round $accent;
        padding: 0 1;
    }
    .dialog.tall { height: 80%; }
    .dialog-title { text-style: bold; margin-bottom: 1; }
    .dialog-help { color: $text-muted; }

    #note-dialog { height: 80%; }
    #note-prompt { max-height: 6; margin-bottom: 1; }
    #note-text { height: 1fr; }

    .pick-count { color: $text-muted; }
    #pick-list, .pick-options { height: auto; max-height: 20; }
    #session-list { height: auto; max-height: 16; }

    #help-keys { height: 1fr; overflow-y: auto; }
    .help-row { height: auto; }
    .help-key { width: 18; text-style: bold; color: $accent; }
    .help-text { width: 1fr; }

    #finish-conclusion, #finish-signers { height: 5; }
    #scope-sections { height: auto; max-height: 16; }
    """


class DraftedDialog(Dialog[ResultT]):
    """A dialog whose typed text (`typed()`) is handed to `on_draft` a moment after each
    change (`draft_changed`), and at once by `save_draft_now` (the app closing), so that
    it is on disk too if the power goes."""

    DRAFT_DELAY = 0.25
    """Seconds from a change to its draft: keys typed within it make one save."""

    def __init__(self, on_draft: Callable[[Any], object] | None = None) -> None:
        super().__init__()
        self.on_draft = on_draft
        self._draft_timer: Timer | None = None
        self._last_draft: Any = None

    def typed(self) -> Any:
        raise NotImplementedError

    def draft_changed(self) -> None:
        if self.on_draft is not None and self._draft_timer is None and self.is_mounted:
            self._draft_timer = self.set_timer(self.DRAFT_DELAY, self.save_draft_now)

    def save_draft_now(self) -> None:
        """Hand what is typed so far to `on_draft` (the timer's, or the app closing)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if self.on_draft is None or not self.is_mounted:
            return
        typed = self.typed()
        if typed != self._last_draft:
            self._last_draft = typed
            self.on_draft(typed)

