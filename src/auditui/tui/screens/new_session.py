"""The new-session form: auditor, auditee, title and scope, then straight into the
walkthrough. The scope is every section unless chosen: from a list of sections, or at
once the sections where the last session of the checklist failed an item."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select, Static

from auditui.checklist import Checklist
from auditui.errors import AudituiError
from auditui.repository import SessionRepository
from auditui.textwidth import printable
from auditui.translations import language_name
from auditui.tui.messages import CancelNewSession, StartSession
from auditui.tui.screens.dialog import Dialog, Fields
from auditui.tui.text import ControlPictures, styled
from auditui.tui.widgets.key_bar import KeyBar
from auditui.tui.widgets.text_box import TextLine

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
    SCOPED_CSS = False  # rules as in a stylesheet, parsed once (screens/dialog.py says why)
    DEFAULT_CSS = """
    #new-form { padding: 1 2; max-width: 100; }
    #new-form Input { margin-bottom: 1; }
    #new-title { margin-bottom: 1; }
    #scope-row { height: auto; margin-bottom: 1; }
    #scope-row Button { margin-right: 1; }
    #new-form .dialog-help { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "start", "Start", priority=True),
    ]

    def __init__(
        self,
        checklist: Checklist,
        store: SessionRepository,
        *,
        auditor: str = "",
        auditee: str = "",
        title: str = "",
        scope: list[str] | tuple[str, ...] = (),
        language: str = "",
        auditor_given: bool = False,
    ) -> None:
        """`auditor_given`: the auditor was given on the command line (`run --auditor`),
        not offered: the form starts at the first field left empty."""
        super().__init__()
        self.checklist = checklist
        self.auditor_given = auditor_given
        self.store = store
        """Where the last session of the checklist is looked up (see scope)."""
        self.defaults = (auditor, auditee, title)
        self.scope = list(scope)
        """The section ids to audit; empty: all of them."""
        self.failed_last_time: list[str] = []
        """Sections in which the last session of this checklist failed an item."""
        self.language = language

    def compose(self) -> ComposeResult:
        with Fields(id="new-form"):  # at 60x20 Start is below the screen
            yield Static(
                styled(
                    ("New session: ", "bold"),
                    (self.checklist.title, "bold"),
                    f"  ({self.checklist.kind}, version {self.checklist.version}, "
                    f"{len(self.checklist.items)} items)",
                ),
                id="new-title",
            )
            offered = bool(self.defaults[0]) and not self.auditor_given
            for (name, label, placeholder), value in zip(FIELDS, self.defaults, strict=True):
                if name == NAMES[0] and offered:  # selected: the next key replaces it
                    label += " — the last one: enter keeps it, typing replaces it"
                yield Label(Content(label))
                yield TextLine(
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
            yield Label(Content("Scope (sections audited)"))
            yield Static(id="scope-summary")  # a line of its own: narrow, it kept 2 cells
            with Horizontal(id="scope-row"):
                yield Button("Choose sections…", id="scope-choose", compact=True)
                yield Button(
                    "Only sections failed last time", id="scope-failed", compact=True
                )
            yield Button("Start", id="start", variant="primary", compact=True)
            yield Static(
                Content(
                    "enter goes to the next name, and on Title starts the session with the "
                    "translation and scope shown; tab reaches those; esc cancels"
                ),
                classes="dialog-help",
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self._show_scope()
        self.query_one("#scope-failed").display = False
        self.call_after_refresh(self._load_last_time)
        # The first field, what it offers (the last auditor) selected: enter keeps it,
        # typing replaces it. Starting further down put names typed ahead of the screen
        # into the wrong fields (the auditor's name as the auditee). An auditor given on
        # the command line is no offer: typing ahead there meant the next name.
        first = NAMES[0]
        if self.auditor_given:
            empty = [name for name in NAMES if not self.query_one(f"#{name}", Input).value]
            first = empty[0] if empty else NAMES[-1]
        self.query_one(f"#{first}", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        position = NAMES.index(event.input.id or NAMES[-1])
        if position < len(NAMES) - 1:
            self.query_one(f"#{NAMES[position + 1]}", Input).focus()
        else:
            self.action_start()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "scope-choose":
            self.action_choose_scope()
        elif event.button.id == "scope-failed":
            self.scope = list(self.failed_last_time)
            self._show_scope()
        else:
            self.action_start()

    # -- the scope ----------------------------------------------------------------

    def _sections(self) -> list[tuple[str, str]]:
        return [(section.id, section.title) for section in self.checklist.sections]

    def _show_scope(self) -> None:
        sections = self._sections()
        if not self.scope or len(self.scope) == len(sections):
            text = f"all {len(sections)} sections"
        else:
            text = f"{len(self.scope)} of {len(sections)} sections: " + ", ".join(self.scope)
        self.query_one("#scope-summary", Static).update(Content(printable(text)))  # may wrap

    @work(thread=True, exclusive=True, group="last-time")
    def _load_last_time(self) -> None:
        """The sections the last session of this checklist failed an item in, and the
        translation it showed, off the UI thread (it may read many files)."""
        store = self.store
        checklist_id = self.checklist.id
        try:
            last = store.latest(lambda head: head.checklist_id == checklist_id)
        except AudituiError:
            last = None
        failed: set[str] = set()
        if last is not None:
            failed = {r.section_id for r in last.scoped_records() if r.result == "fail"}
        ordered = [section_id for section_id, _ in self._sections() if section_id in failed]
        language = last.language if last is not None else ""
        self.app.call_from_thread(self._offer_last_time, ordered, language)

    def _offer_last_time(self, section_ids: list[str], language: str) -> None:
        self.failed_last_time = section_ids
        self.query_one("#scope-failed").display = bool(section_ids)
        # The translation the last session of this checklist showed, as the auditor is
        # remembered: unless one was asked for (`run --lang`) or chosen meanwhile.
        if self.language or language not in self.checklist.offered_languages:
            return
        select = self.query_one("#language", Select)
        if select.value == "":
            select.value = language

    def action_choose_scope(self) -> None:
        from auditui.tui.screens.finishing_dialogs import ScopeDialog

        def chosen(section_ids: list[str] | None) -> None:
            if section_ids is not None:
                self.scope = section_ids
                self._show_scope()

        sections = self._sections()
        ticked = self.scope or [section_id for section_id, _ in sections]
        dialog = ScopeDialog("Sections this audit covers", sections, ticked, self.failed_last_time)
        self.app.push_screen(dialog, chosen)

    def action_start(self) -> None:
        values = {name: self.query_one(f"#{name}", Input).value.strip() for name in NAMES}
        language = ""
        if self.checklist.offered_languages:
            chosen = self.query_one("#language", Select).value
            language = chosen if isinstance(chosen, str) else ""
        scope = self.scope if len(self.scope) < len(self._sections()) else []
        self.post_message(StartSession(self.checklist, **values, scope=scope, language=language))

    def action_cancel(self) -> None:
        self.post_message(CancelNewSession())


class DetailsDialog(Dialog[tuple[str, str, str] | None]):
    """The session's details after it started: auditor, auditee, title (the form's fields).
    `enter` moves on and saves from the last field, `ctrl+s` saves, `escape` cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save", priority=True),
    ]

    def __init__(self, auditor: str, auditee: str, title: str) -> None:
        super().__init__()
        self.values = (auditor, auditee, title)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="details-dialog"):
            yield Static(Content("Session details"), classes="dialog-title")
            for (name, label, placeholder), value in zip(FIELDS, self.values, strict=True):
                yield Label(Content(label))
                yield TextLine(
                    value,
                    id=f"details-{name}",
                    placeholder=placeholder,
                    compact=True,
                    highlighter=ControlPictures(),
                    # Opened to mend a name: a key typed must not replace it all.
                    select_on_focus=False,
                )
            yield Static(
                Content("enter: next field, saves from the last · ctrl+s saves · esc cancels"),
                classes="dialog-help",
            )

    def on_mount(self) -> None:
        self.query_one(f"#details-{NAMES[0]}", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        position = NAMES.index((event.input.id or "").removeprefix("details-") or NAMES[-1])
        if position < len(NAMES) - 1:
            self.query_one(f"#details-{NAMES[position + 1]}", Input).focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        auditor, auditee, title = (
            self.query_one(f"#details-{name}", Input).value.strip() for name in NAMES
        )
        self.dismiss((auditor, auditee, title))

    def action_cancel(self) -> None:
        self.dismiss(None)
