"""The read-only views made from every saved session: compare, trend, findings.

`HistoryScreen` is their base: it reads what the index of the folder holds of every
session (`session_index.Digest`, as `auditui sessions` and `trend` do) in a thread
(showing "loading…" meanwhile), reports files that cannot be read, goes back with
`escape` (`q` quits, as on every screen) and offers the others in the command palette.
A session is read whole only when a view needs its items (the two compared).
`SessionPicker` chooses one session of a checklist.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from auditui.errors import AudituiError
from auditui.repository import SessionRepository
from auditui.session import Session, listed_order
from auditui.session_index import Digest
from auditui.textwidth import minute, plural, printable, score_text, truncate
from auditui.tui.palette import history_commands
from auditui.tui.screens.dialog import Dialog
from auditui.tui.screens.dialogs import HelpScreen
from auditui.tui.text import plain, styled, table_room

LOAD_WORKER = "history-load"


@dataclass
class HistoryRead:
    """What a history view read, in its thread."""

    sessions: list[Digest]
    """Every session that counts, oldest first: those `auditui merge` joined into another
    are left out (they count as that one), as `SessionStore.list_sessions` leaves them."""
    paths: dict[str, Path]
    """The file of each session, by id: to read it whole when a view needs its items."""
    problems: list[str] = field(default_factory=list)
    """A message per file that cannot be read."""
    extra: Any = None
    """What the view read besides (the findings register)."""


def read_history(store: SessionRepository) -> HistoryRead:
    """Every readable session's digest (oldest first) and a message per file that is
    not: from the index, so a history of thousands costs a short row each."""
    problems: list[str] = []
    found = list(store.digests(on_error=lambda unreadable: problems.append(str(unreadable.error))))
    merged_away = {part for _, digest in found for part in digest.merged_from}
    kept = sorted(
        (pair for pair in found if pair[1].id not in merged_away),
        key=lambda pair: listed_order(pair[1]),
    )
    return HistoryRead(
        [digest for _, digest in kept], {digest.id: path for path, digest in kept}, problems
    )


def session_label(session: Session | Digest, people_width: int = 40) -> str:
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

    SCOPED_CSS = False  # rules as in a stylesheet, parsed once (screens/dialog.py says why)
    DEFAULT_CSS = """
    .history { padding: 0 1; }
    .history-title { height: 1; }
    .history-heading { text-style: bold; color: $primary; }
    .history-status { height: auto; color: $text-muted; }
    .history-status.-error { color: $text-error; text-style: bold; }
    .history-problems { height: auto; color: $warning; }

    #compare-sides, #compare-summary { height: auto; }
    #compare-changes { height: 1fr; min-height: 6; }
    #compare-detail { height: auto; max-height: 8; background: $boost; padding: 0 1; }
    #compare-sections { height: auto; max-height: 7; }
    CompareScreen.-short #compare-sections { max-height: 5; }

    #trend-span { height: auto; color: $text-muted; }
    #trend-scores { height: auto; max-height: 50%; margin-bottom: 1; }
    #trend-sections { height: 1fr; }

    #findings-summary { height: auto; margin-bottom: 1; }
    #findings-list { height: 1fr; }
    #findings-list > .option-list--option-disabled { color: $text; }
    """

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
        ("q, ctrl+q", "quit auditui; ctrl+q from every screen (everything is already saved)"),
    ]

    def __init__(self, store: SessionRepository) -> None:
        super().__init__()
        self.store = store
        self.sessions: list[Digest] = []
        self.paths: dict[str, Path] = {}
        self.problems: list[str] = []
        self._shown = False
        self.waiting = False
        """True while the view reads more than the list (compare: the two sessions)."""

    @property
    def loaded(self) -> bool:
        """True once the sessions were read and shown at least once, and nothing more is
        being read for the view."""
        return self._shown and not self.waiting

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
    def _read(self) -> HistoryRead:
        return self.read()

    def read(self) -> HistoryRead:
        """What the view shows, read in a thread (a view that needs more adds to it)."""
        return read_history(self.store)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != LOAD_WORKER:
            return
        if event.state == WorkerState.SUCCESS and event.worker.result is not None:
            read: HistoryRead = event.worker.result
            self.sessions, self.paths, self.problems = read.sessions, read.paths, read.problems
            self.received(read.extra)
            self._show_problems()
            self.set_status("")
            self.show_sessions()
            self._shown = True
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
                    (plural(len(self.problems), "session file") + " to look at: ",
                     "bold"),
                    self.problems[0],
                )
            )
        note.display = bool(self.problems)

    def room(self, table: DataTable, fixed: int, columns: int) -> int:
        """Cells left for the one wide column of `table` (at least 10)."""
        return max(10, table_room(table, fixed, columns))

    def received(self, extra: Any) -> None:
        """Take what `read` read besides the sessions (called on the UI thread)."""

    def show_sessions(self) -> None:
        """Fill the view from `self.sessions` (called on the UI thread)."""

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The findings register, compare and trend of each checklist read here."""
        return history_commands(self, reversed(self.sessions))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.HELP_TITLE, [*self.HELP_KEYS, *self.COMMON_KEYS]))


class SessionPicker(Dialog[str | None]):
    """Pick one session of a checklist from a list, newest first."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, title: str, sessions: Sequence[Session | Digest], current: str | None
    ) -> None:
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
