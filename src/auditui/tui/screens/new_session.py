"""The new-session form: auditor, auditee and title, then straight into the walkthrough."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select, Static

from auditui.checklist import Checklist
from auditui.translations import language_name
from auditui.tui.text import ControlPictures, styled
from auditui.tui.widgets.key_bar import KeyBar

FIELDS = (
    ("auditor", "Auditor (who audits)", "your name"),
    (
        "auditee",
        "Auditee (site, department or process audited)",
        "e.g. Moulding line 2, Purchasing",
    ),
    ("title", "Title (optional)", "e.g. Internal audit Q4 2026"),
)
"""The form's fields, in order: (id, label, placeholder)."""
NAMES = [name for name, _, _ in FIELDS]


class NewSessionScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "start", "Start", priority=True),
    ]

    def __init__(
        self,
        checklist: Checklist,
        *,
        auditor: str = "",
        auditee: str = "",
        title: str = "",
        scope: list[str] | tuple[str, ...] = (),
        language: str = "",
    ) -> None:
        super().__init__()
        self.checklist = checklist
        self.defaults = (auditor, auditee, title)
        self.scope = list(scope)
        """The section ids to audit; empty: all of them."""
        self.language = language

    def compose(self) -> ComposeResult:
        with Vertical(id="new-form"):
            yield Static(
                styled(
                    ("New session: ", "bold"),
                    (self.checklist.title, "bold"),
                    f"  ({self.checklist.kind}, version {self.checklist.version}, "
                    f"{len(self.checklist.items)} items)",
                ),
                id="new-title",
            )
            for (name, label, placeholder), value in zip(FIELDS, self.defaults, strict=True):
                yield Label(Content(label))
                yield Input(
                    value,
                    id=name,
                    placeholder=placeholder,
                    compact=True,
                    highlighter=ControlPictures(),
                )
            if self.checklist.offered_languages:
                yield Label(Content("Translation shown under each question"))
                choices = [("none (English only)", "")] + [
                    (f"{tag}  {language_name(tag)}", tag)
                    for tag in self.checklist.offered_languages
                ]
                yield Select(
                    choices, value=self.language, allow_blank=False, compact=True, id="language"
                )
            yield Button("Start", id="start", variant="primary", compact=True)
            yield Static(
                Content("enter moves to the next field and starts from the last; esc cancels"),
                classes="dialog-help",
            )
        yield KeyBar()

    def on_mount(self) -> None:
        for name in NAMES:
            field = self.query_one(f"#{name}", Input)
            if not field.value:
                field.focus()
                return
        self.query_one("#title", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        position = NAMES.index(event.input.id or NAMES[-1])
        if position < len(NAMES) - 1:
            self.query_one(f"#{NAMES[position + 1]}", Input).focus()
        else:
            self.action_start()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_start()

    def action_start(self) -> None:
        values = {name: self.query_one(f"#{name}", Input).value.strip() for name in NAMES}
        language = ""
        if self.checklist.offered_languages:
            chosen = self.query_one("#language", Select).value
            language = chosen if isinstance(chosen, str) else ""
        self.app.start_session(self.checklist, **values, scope=self.scope, language=language)

    def action_cancel(self) -> None:
        self.app.cancel_new_session()
