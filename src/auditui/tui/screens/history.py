"""The read-only views made from every saved session: compare, trend, findings.

`HistoryScreen` is their base: it reads every session file in a thread (showing
"loading…" meanwhile), reports files that cannot be read, goes back with `escape`
(`q` quits, as on every screen) and offers the others in the command palette.
`SessionPicker` chooses one session of a checklist.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from auditui.errors import AudituiError
from auditui.repository import SessionRepository
from auditui.session import Session
from auditui.textwidth import minute, printable, score_text, truncate
from auditui.tui.palette import history_commands
from auditui.tui.screens.dialogs import HelpScreen
from auditui.tui.text import plain, styled, table_room

LOAD_WORKER = "history-load"


def read_all_sessions(store: SessionRepository) -> tuple[list[Session], list[str]]:
    """Every readable session (oldest first) and a message per file that is not."""
    problems: list[str] = []
    sessions = store.list_sessions(
        on_error=lambda unreadable: problems.append(str(unreadable.error))
    )
    return sessions, problems


def session_label(session: Session, people_width: int = 40) -> str:
    """One line naming a session: when, score, how far, who."""
    summary = session.summary()
    people = " · ".join(part for part in (session.auditee, session.auditor) if part)
    counts = f"{summary.answered}/{summary.total}"
    text = f"{minute(session.started)}  {score_text(summary):>6}  {counts}"
    if people_width >= 30:
        text += " answered"
    return text + (f"  {truncate(printable(people), people_width)}" if people else "")


class HistoryScreen(Screen[None]):
    """A read-only view made from the saved sessions: compare, trend, findings."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("q", "app.quit", "Quit"),
        Binding("question_mark", "help", "Help", key_display="?"),
    ]
    HELP_TITLE = ""
    HELP_KEYS: list[tuple[str, str]] = []
    COMMON_KEYS = [
        ("ctrl+p", "command palette: compare, trend, findings of any checklist"),
        ("?", "this help"),
        ("esc", "back (to the home screen, or the view this was opened from)"),
        ("q, ctrl+q", "quit auditui, from every screen (everything is already saved)"),
    ]

    def __init__(self, store: SessionRepository) -> None:
        super().__init__()
        self.store = store
        self.sessions: list[Session] = []
        self.problems: list[str] = []
        self.loaded = False
        """True once the sessions were read (and shown) at least once."""

    def compose_status(self) -> ComposeResult:
        yield Static(Content("loading…"), id="history-status", classes="history-status")
        yield Static(id="history-problems", classes="history-problems")

    def on_mount(self) -> None:
        self.query_one("#history-problems").display = False
        self.reload()

    def reload(self) -> None:
        self.set_status("loading…")
        self._read()

    @work(thread=True, exclusive=True, name=LOAD_WORKER, exit_on_error=False)
    def _read(self) -> tuple[list[Session], list[str]]:
        return read_all_sessions(self.store)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != LOAD_WORKER:
            return
        if event.state == WorkerState.SUCCESS and event.worker.result is not None:
            self.sessions, self.problems = event.worker.result
            self._show_problems()
            self.set_status("")
            self.show_sessions()
            self.loaded = True
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            if isinstance(error, AudituiError):
                message = str(error)
            elif isinstance(error, OSError):
                message = f"cannot read the sessions folder: {error.strerror or error}"
            else:
                message = f"cannot read the sessions: {error!r}"
            self.set_status(message, error=True)

    def set_status(self, message: str, *, error: bool = False) -> None:
        status = self.query_one("#history-status", Static)
        status.update(plain(message))
        status.set_class(error, "-error")
        status.display = bool(message)

    def _show_problems(self) -> None:
        note = self.query_one("#history-problems", Static)
        if self.problems:
            note.update(
                styled(
                    (f"{len(self.problems)} session file(s) left out or not counted: ", "bold"),
                    self.problems[0],
                )
            )
        note.display = bool(self.problems)

    def room(self, table: DataTable, fixed: int, columns: int) -> int:
        """Cells left for the one wide column of `table` (at least 10)."""
        return max(10, table_room(table, fixed, columns))

    def show_sessions(self) -> None:
        """Fill the view from `self.sessions` (called on the UI thread)."""

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The findings register, compare and trend of each checklist read here."""
        return history_commands(self, reversed(self.sessions))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.HELP_TITLE, [*self.HELP_KEYS, *self.COMMON_KEYS]))


class SessionPicker(ModalScreen[str | None]):
    """Pick one session of a checklist from a list, newest first."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, sessions: list[Session], current: str | None) -> None:
        super().__init__()
        self.title_text = title
        self.sessions = sessions
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self.title_text), classes="dialog-title")
            yield OptionList(
                *[
                    Option(
                        styled(
                            ("● " if session.id == self.current else "  ", "bold"),
                            session_label(session, 18),
                        ),
                        id=session.id,
                    )
                    for session in reversed(self.sessions)
                ],
                id="session-list",
            )
            yield Static(
                Content.assemble(("enter", "bold"), " choose   ", ("esc", "bold"), " cancel"),
                classes="dialog-help",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        ids = [session.id for session in reversed(self.sessions)]
        if self.current in ids:
            options.highlighted = ids.index(self.current)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
