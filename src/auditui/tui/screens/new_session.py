"""The new-session form: auditor, auditee and title, then straight into the walkthrough."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static

from auditui.checklist import Checklist
from auditui.tui.text import ControlPictures, styled


class NewSessionScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "start", "Start", priority=True),
    ]

    def __init__(
        self, checklist: Checklist, *, auditor: str = "", auditee: str = "", title: str = ""
    ) -> None:
        super().__init__()
        self.checklist = checklist
        self.defaults = (auditor, auditee, title)

    def compose(self) -> ComposeResult:
        auditor, auditee, title = self.defaults
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
            yield Label(Content("Auditor (who audits)"))
            yield Input(
                auditor,
                id="auditor",
                placeholder="your name",
                compact=True,
                highlighter=ControlPictures(),
            )
            yield Label(Content("Auditee (site, department or process audited)"))
            yield Input(
                auditee,
                id="auditee",
                placeholder="e.g. Moulding line 2, Purchasing",
                compact=True,
                highlighter=ControlPictures(),
            )
            yield Label(Content("Title (optional)"))
            yield Input(
                title,
                id="title",
                placeholder="e.g. Internal audit Q4 2026",
                compact=True,
                highlighter=ControlPictures(),
            )
            yield Button("Start", id="start", variant="primary", compact=True)
            yield Static(
                Content("enter moves to the next field and starts from the last; esc cancels"),
                classes="dialog-help",
            )
        yield Footer()

    def on_mount(self) -> None:
        for name in ("auditor", "auditee", "title"):
            field = self.query_one(f"#{name}", Input)
            if not field.value:
                field.focus()
                return
        self.query_one("#title", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        order = ["auditor", "auditee", "title"]
        position = order.index(event.input.id or "title")
        if position < len(order) - 1:
            self.query_one(f"#{order[position + 1]}", Input).focus()
        else:
            self.action_start()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_start()

    def action_start(self) -> None:
        values = {
            name: self.query_one(f"#{name}", Input).value.strip()
            for name in ("auditor", "auditee", "title")
        }
        self.app.start_session(self.checklist, **values)

    def action_cancel(self) -> None:
        self.app.cancel_new_session()
