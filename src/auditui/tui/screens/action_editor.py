"""The corrective action editor: owner, due date, cause, correction, action, status.

The cause, the correction and the action are boxes of several lines that wrap: a root
cause is rarely one line, and a single-line field scrolled what was typed out of sight.

It dismisses with only the fields the person changed (`{}` when nothing was), so that
saving them re-reads the record under its lock and sets just those: an update made
meanwhile from the command line or another laptop's sync is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Label, Select, Static, TextArea

from auditui.action_drafts import as_typed
from auditui.errors import AudituiError
from auditui.finding_records import STATUSES, ActionRecord, parse_due
from auditui.tui.screens.dialog import DraftedDialog, Fields
from auditui.tui.text import ControlPictures, plain
from auditui.tui.widgets.text_box import TextBox, TextLine
from auditui.vocabulary import Status

TEXT_INPUTS = (
    ("owner", "Owner (who makes it happen)", "who makes it happen: a name"),
    ("due", "Due date", "YYYY-MM-DD"),
    ("cause", "Cause (why it happened)", "the root cause"),
    ("correction", "Correction (what was done about this case)", ""),
    ("action", "Corrective action (what stops it coming back)", ""),
)
LONG_TEXTS = frozenset({"cause", "correction", "action"})
"""The fields written as boxes of several lines (`enter` starts a new line, `tab` moves on)."""


def field_label(name: str) -> str:
    """A field's name as its label starts: "Owner", "Due date", "Status"."""
    for field_name, label, _ in TEXT_INPUTS:
        if field_name == name:
            return label.split(" (")[0]
    return name.capitalize()


def action_values(record: ActionRecord | None) -> dict[str, str]:
    """What each input shows for a record (empty where nothing is set)."""
    values = {}
    for name, _, _ in TEXT_INPUTS:
        value = getattr(record, name) if record is not None else None
        if name == "due":
            values[name] = value.isoformat() if value is not None else ""
        else:
            values[name] = value or ""
    values["status"] = (record.status if record is not None else None) or "open"
    return values


class ActionEditor(DraftedDialog[dict[str, Any] | None]):
    """`ctrl+s` saves (only what changed), `escape` cancels (asking first when something was
    typed); `tab` moves to the next field,
    as `enter` does in the one-line ones."""

    DEFAULT_CSS = """
    #action-fields TextArea { height: auto; min-height: 3; max-height: 6; }
    #action-fields .inline-field { height: auto; }
    #action-fields .inline-field Label { width: 10; }
    #action-fields .inline-field Input { width: 1fr; }
    #action-fields .inline-field Select { width: 1fr; }
    #action-status-note { color: $text-error; padding-left: 10; }
    ActionEditor.-short #action-dialog { height: 100%; max-height: 100%; width: 100%; }
    ActionEditor.-short .dialog-title { max-height: 3; margin-bottom: 0; }
    """
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    """Up to 31 rows the dialog takes the whole screen: at 80x24 the corrective action and
    the status were below the fold, with nothing to say they were there."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        title: str,
        record: ActionRecord | None,
        unsaved: dict[str, Any] | None = None,
        on_draft: Callable[[dict[str, str]], None] | None = None,
        not_effective_in: str = "",
    ) -> None:
        """`unsaved`: changes typed before that could not be saved (or a draft kept when
        the app stopped), shown in place of the record's values (and saved as changes,
        since they differ from it). `on_draft` is handed the fields changed so far, as
        typed, a moment after each change (`action_drafts.py`). `not_effective_in`: the
        session that failed the item after its action was marked done; the status then
        shows "open", as the register reads it, and choosing done marks it done again."""
        super().__init__(on_draft)
        self.title_text = title
        self.initial = action_values(record)
        self.status_note = ""
        if not_effective_in and self.initial["status"] == "done":
            self.initial["status"] = "open"
            self.status_note = (
                f"Marked done, then {not_effective_in} failed the item: not effective, so "
                "it reads open. Choose done again once a new action is in place."
            )
        self.shown = dict(self.initial) | as_typed(unsaved or {})

    def compose(self) -> ComposeResult:
        with Vertical(id="action-dialog", classes="dialog tall"):
            yield Static(plain(self.title_text), classes="dialog-title")
            with Fields(id="action-fields"):
                for name, label, placeholder in TEXT_INPUTS:
                    if name not in LONG_TEXTS:  # a one-line field: its name beside it
                        with Horizontal(classes="inline-field"):
                            yield Label(Content(field_label(name)))
                            yield self._line_input(name, placeholder)
                        continue
                    yield Label(Content(label))
                    yield TextBox(
                        self.shown[name],
                        id=f"action-{name}",
                        soft_wrap=True,
                        compact=True,
                        placeholder=placeholder,
                    )
                with Horizontal(classes="inline-field"):
                    yield Label(Content("Status"))
                    yield Select(
                        [(self._choice(status), str(status)) for status in STATUSES],
                        value=self.shown["status"],
                        allow_blank=False,
                        id="action-status",
                        compact=True,
                    )
                if self.status_note:
                    yield Static(Content(self.status_note), id="action-status-note")
            yield Static(id="action-error")
            yield Static(
                Content.assemble(
                    ("ctrl+s", "bold"), " save   ", ("tab", "bold"), " next field   ",
                    ("esc", "bold"), " cancel",
                ),
                classes="dialog-help",
            )

    def _choice(self, status: Status) -> str:
        """How `status` reads in the list: an action found not effective was started,
        so its "open" is not "action not started"."""
        if self.status_note and status is Status.OPEN:
            return "open: not effective"
        return status.choice

    def _line_input(self, name: str, placeholder: str) -> Input:
        return TextLine(
            self.shown[name],
            id=f"action-{name}",
            placeholder=placeholder,
            compact=True,
            highlighter=ControlPictures(),
            # Reached with tab to mend one word: a key must not replace it all.
            select_on_focus=False,
        )

    def on_mount(self) -> None:
        self.query_one("#action-error").display = False
        self.query_one("#action-owner", Input).focus()
        # Focusing the first field scrolled its label out of sight (the boxes below
        # were still being sized): the form opens at its top.
        fields = self.query_one(Fields)
        self.call_after_refresh(fields.scroll_home, animate=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.focus_next()

    def on_input_changed(self, event: Input.Changed) -> None:
        """A due date being corrected: the message about the wrong one goes."""
        if event.input.id == "action-due":
            self.query_one("#action-error").display = False
        self._changed()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._changed()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._changed()

    def _changed(self) -> None:
        self.draft_changed()

    def typed(self) -> dict[str, str]:
        """The fields that differ from what the editor opened with, as typed."""
        shown = {name: self.field_text(name) for name, _, _ in TEXT_INPUTS}
        shown["status"] = str(self.query_one("#action-status", Select).value)
        return {
            name: value
            for name, value in shown.items()
            if value.strip() != self.initial[name].strip()
        }

    def changes(self) -> dict[str, Any]:
        """The fields whose value differs from what the editor opened with; `AudituiError`
        for a due date that is not one."""
        return {
            name: parse_due(value) if name == "due" else value
            for name, value in self.typed().items()
        }

    def field_text(self, name: str) -> str:
        """What the field `name` holds now."""
        if name in LONG_TEXTS:
            return self.query_one(f"#action-{name}", TextArea).text
        return self.query_one(f"#action-{name}", Input).value

    def action_save(self) -> None:
        try:
            changed = self.changes()
        except AudituiError as error:
            message = self.query_one("#action-error", Static)
            message.update(plain(f"Due date: {error.message}"))
            message.display = True
            self.query_one("#action-due", Input).focus()
            return
        self.dismiss(changed)

    def action_cancel(self) -> None:
        """Closed without saving; what was typed is asked about first (the cause and the
        action are the longest texts an auditor types), never dropped at one key."""
        if not self.typed():
            self.dismiss(None)
            return

        def answered(drop: bool | None) -> None:
            if drop:
                self.dismiss(None)

        from auditui.tui.screens.dialogs import TypedOnQuestion
        from auditui.tui.screens.walkthrough import SETTLE_S

        question = TypedOnQuestion(
            "Close without saving, and drop what was typed here? (n goes back to it; ctrl+s "
            "there saves it)",
            settle=SETTLE_S,
            esc_does="goes back to it; esc there asks again",
        )
        self.app.push_screen(question, answered)
