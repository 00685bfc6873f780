"""The home screen: the checklists to start from and the sessions to resume."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.coordinate import Coordinate
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from auditui.checklist import Checklist
from auditui.errors import AudituiError
from auditui.paths import Locations
from auditui.repository import SessionRepository
from auditui.session_index import Digest
from auditui.textwidth import natural_widths, plural, printable, truncate_middle
from auditui.tui.home_data import (
    SESSION_COLUMNS,
    ChecklistsRead,
    FindingsCount,
    SessionsRead,
    count_findings,
    glance_sessions,
    progress_words,
    read_checklists,
    read_sessions,
)
from auditui.tui.messages import (
    OpenCompare,
    OpenFindings,
    OpenNewSessionForm,
    OpenTrend,
    ResumeSession,
)
from auditui.tui.palette import audit_counts, history_commands, palette_text, posting
from auditui.tui.text import (
    SizedCell,
    cell,
    set_columns,
    styled,
    table_room,
    with_left_out,
)
from auditui.tui.widgets.key_bar import KeyBar

CHECKLIST_COLUMNS = ("Checklist", "Kind", "Version", "Items")
SESSIONS_HEADING = "Sessions, newest first — enter resumes"
NO_SESSIONS = "No sessions yet: start one from a checklist above."
READING = "Reading sessions…"
NARROWEST = 8
"""No column of user text is made narrower than this to fit the screen."""
STARTED_DAY = len("2026-12-07")
"""The start column without its time, when the titles would otherwise be cut short."""
ROOMY_TITLE = 20
"""A title column narrower than this (on an 80-column screen) takes the start's time."""
FIRST_ROWS = 100
"""Sessions put in the table at once, more than a screen holds: a history of thousands
comes in a moment later, so the newest are on screen without waiting for it."""
PAINT_WAIT_S = 0.5
"""The longest the reading thread waits for rows it handed over to be painted."""


def session_detail(session: Digest, row: tuple[str, ...]) -> Content:
    """The highlighted session in full: title, auditee and auditor on a line, its
    progress and id (which the headless commands take, and which holds its start) on the
    next."""
    who: list[str | tuple[str, str]] = [(session.display_title, "bold")]
    if session.auditee:
        who.append(f" — {session.auditee}")
    if session.auditor:
        who.append(f" — auditor {session.auditor}")
    progress = styled(f"{progress_words(session, row)} · {session.id}")
    return Content("\n").join([styled(*who), progress])


def checklist_detail(checklist: Checklist) -> Content:
    """The highlighted checklist in full: its title, id, kind, version and size."""
    size = plural(len(checklist.items), "item")
    return styled(
        (checklist.title, "bold"),
        f" — {checklist.id}, {checklist.kind}, version {checklist.version}, {size}",
    )


def key_at_cursor(table: DataTable) -> str | None:
    """The key of the highlighted row (a session's or checklist's id), None for none."""
    if not table.row_count or not table.is_valid_row_index(table.cursor_row):
        return None
    key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
    return key if isinstance(key, str) else None


def fit_widths(
    natural: list[int], room: int, *, least: int = NARROWEST, weights: list[int] | None = None
) -> list[int]:
    """Column widths that fit in `room` cells: the widest for its weight gives way first,
    one cell at a time, and none goes below `least` (or its own natural width, if
    smaller). A column of weight 2 keeps about twice the width of one of weight 1."""
    widths = list(natural)
    weights = weights or [1] * len(widths)
    while sum(widths) > room:
        shrinkable = [n for n in range(len(widths)) if widths[n] > least]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda n: (widths[n] / weights[n], -n))
        widths[widest] -= 1
    return widths


class HomeScreen(Screen[None]):
    SCOPED_CSS = False  # rules as in a stylesheet, parsed once (screens/dialog.py says why)
    DEFAULT_CSS = """
    #home { padding: 0 1; }
    #home-title { margin-bottom: 1; }
    .home-heading { text-style: bold; color: $primary; }
    #home-checklists { height: auto; max-height: 40%; margin-bottom: 1; }
    #home-sessions { height: 1fr; }
    #home-detail { height: auto; max-height: 3; color: $text-muted; }
    #home-problems { color: $warning; height: auto; }
    """
    BINDINGS = [
        Binding("enter", "open", "Start / resume", show=True),
        Binding("tab", "switch", "Checklists ↔ sessions", show=False),
        # Before the table's own home/end (which scroll sideways): first and last row.
        Binding("home", "row('first')", "First row", show=False, priority=True),
        Binding("end", "row('last')", "Last row", show=False, priority=True),
        Binding("r", "reload", "Reload"),
        Binding("c", "compare", "Compare"),
        Binding("t", "trend", "Trend"),
        Binding("o", "findings", "Findings"),
        Binding("x", "report", "Report", show=False),
        Binding("y", "sync", "Sync", show=False),
        Binding("delete", "delete_session", "Delete session", show=False),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, store: SessionRepository, locations: Locations) -> None:
        super().__init__()
        self.store = store
        self.locations = locations
        self.checklists: list[Checklist] = []
        self.sessions: list[Digest] = []
        """What the index holds of each session listed (`session_index.Digest`)."""
        self.session_paths: list[Path] = []
        self.session_rows: list[tuple[str, ...]] = []
        """What the table shows of each session (`home_data.session_row`: printable)."""
        self.session_widths: list[int] = []
        self.problems: list[str] = []
        self.duplicates: list[str] = []
        """Checklist files left out because another file of their folder has their id."""
        self._loaded = False
        """True once the checklists were shown (the sessions may still be being read)."""
        self._reads = 0
        """Counts the reads started: only the latest one's result is shown."""
        self._checklist_problems: list[str] = []
        self._stale = False
        """Set when a screen took home's place: what it shows may have changed meanwhile."""

    def compose(self) -> ComposeResult:
        with Vertical(id="home"):
            yield Static(
                Content.assemble(("auditui", "bold"), " — ISO 9001 audit checklists"),
                id="home-title",
            )
            yield Static(id="home-findings")
            yield Static(Content("Checklists — enter starts a new session"), classes="home-heading")
            yield DataTable(id="home-checklists", cursor_type="row", zebra_stripes=True)
            yield Static(
                Content(SESSIONS_HEADING), id="home-sessions-heading", classes="home-heading"
            )
            yield DataTable(id="home-sessions", cursor_type="row", zebra_stripes=True)
            yield Static(id="home-detail")
            yield Static(id="home-problems")
        yield KeyBar()

    def on_mount(self) -> None:
        # Focused now, not when the checklists arrive: a tab typed meanwhile must stay.
        self.query_one("#home-checklists", DataTable).focus()

    def on_resize(self) -> None:
        # Only the title columns depend on the width, and only when the columns change.
        if not self._loaded:
            return
        # Making the columns again empties a table and its cursor goes to the first row:
        # the highlighted row stays highlighted (enter would open another one).
        checklists = self.query_one("#home-checklists", DataTable)
        row = checklists.cursor_row
        if self._checklist_columns(checklists):
            self._fill_checklists(row)
        table = self.query_one("#home-sessions", DataTable)
        row = table.cursor_row
        if self.session_rows and self._session_columns(table):
            self._fill_sessions(cursor=row)

    def on_screen_suspend(self) -> None:
        # A dialog over home (help, the palette, a question) changes no session; a screen
        # that takes its place (a walkthrough, compare, the form) may.
        self._stale = self._stale or not isinstance(self.app.screen, ModalScreen)

    def on_screen_resume(self) -> None:
        # Loaded when shown (not if another screen went on top before it ever was: its
        # resume event then arrives late), and again on coming back from a screen that
        # took its place, so progress is current; `r` reloads at any time.
        if self.is_current and (self._stale or not self._reads):
            self._stale = False
            self.action_reload()

    def action_reload(self) -> None:
        """Read the checklists and every session again, in a thread: the screen stays
        live meanwhile (the first time, the sessions table says it is reading)."""
        self._reads += 1
        if not self._loaded:
            self._fill_sessions(reading=True)
        self._read(self._reads, glance=not self.sessions)

    @work(thread=True, exclusive=True, group="home-read", exit_on_error=False)
    def _read(self, number: int, *, glance: bool) -> None:
        # Each part is shown as soon as it is read (and before this returns: a test that
        # waits for the worker sees it on the screen): the findings are counted last.
        checklists = read_checklists(self.locations)
        # A long history, none of it listed yet: its newest sessions first, on screen
        # with the checklists. (Read again, the list on screen stays until the new one
        # replaces it, cursor and all.)
        try:
            newest = glance_sessions(self.store) if glance else None
        except AudituiError:  # the folder is a file, unreadable: the full read says so
            newest = None
        self.app.call_from_thread(self._show_first, number, checklists, newest)
        self._wait_painted()
        sessions = read_sessions(self.store)
        self.app.call_from_thread(self._show_sessions, number, sessions)
        if len(sessions.rows) > FIRST_ROWS:  # the rest once the first are on screen
            self._wait_painted()
            self.app.call_from_thread(self._fill_rest, number)
        findings = count_findings(self.store, sessions)
        self.app.call_from_thread(self._show_findings, number, findings)

    def _wait_painted(self) -> None:
        """In the reading thread: wait until what it just handed over is on the screen
        (at most `PAINT_WAIT_S`). Reading on at once would share the interpreter with the
        painting, and the first rows took twice as long to appear."""
        painted = threading.Event()
        self.app.call_from_thread(self.call_after_refresh, painted.set)
        painted.wait(PAINT_WAIT_S)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "home-read" or event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, AudituiError):
            message = str(error)
        elif isinstance(error, OSError):
            message = f"cannot read the sessions folder: {error.strerror or error}"
        else:
            message = f"cannot read the sessions: {error!r}"
        self.problems = [message, *self.problems]
        self._show_problems()
        if not self.session_rows:  # "Reading sessions…" would wait for good
            self._fill_sessions(reading=False)

    def _show_first(
        self, number: int, checklists: ChecklistsRead, newest: SessionsRead | None
    ) -> None:
        """The checklists, and the newest sessions if they were looked at: one frame."""
        self._show_checklists(number, checklists)
        if newest is not None:
            self._show_sessions(number, newest)

    def _show_checklists(self, number: int, found: ChecklistsRead) -> None:
        if number != self._reads or not self.is_attached:
            return
        table = self.query_one("#home-checklists", DataTable)
        kept = key_at_cursor(table)
        self.checklists = found.checklists
        self._checklist_problems = found.problems
        self.problems = found.problems
        self.duplicates = found.duplicates
        self._checklist_columns(table)
        ids = [checklist.id for checklist in self.checklists]
        self._fill_checklists(ids.index(kept) if kept in ids else None)
        self._show_problems()
        self._loaded = True

    def _show_sessions(self, number: int, found: SessionsRead) -> None:
        if number != self._reads or not self.is_attached:
            return
        # The highlighted session stays highlighted, wherever a re-read puts it (a sync
        # brought a newer one in above it): the same row could be another auditor's
        # session, and enter would resume it.
        kept = key_at_cursor(self.query_one("#home-sessions", DataTable)) if self.sessions else None
        walked = getattr(self.app, "last_walked", None)
        if walked is not None:
            self.app.last_walked = None  # type: ignore[attr-defined]
        self.sessions = found.sessions
        self.session_paths = found.paths
        self.session_rows = found.rows
        self.session_widths = found.widths
        self.problems = [*self._checklist_problems, *found.problems]
        heading = SESSIONS_HEADING
        if found.older:  # `auditui sessions` lists them all
            shown = len(found.rows)
            heading = f"Sessions, the newest {shown:,} of {shown + found.older:,} — enter resumes"
        self.query_one("#home-sessions-heading", Static).update(Content(heading))
        ids = [session.id for session in self.sessions]
        if walked in ids:  # back from a walkthrough: on its session (a new one is on top)
            kept = walked
        self._fill_sessions(first=FIRST_ROWS, cursor=ids.index(kept) if kept in ids else None)
        self._show_problems()
        if found.reading and found.total is not None:
            line = self.query_one("#home-findings", Static)
            line.display = True
            line.update(
                styled(
                    (READING, "bold"),
                    f" the newest {len(found.rows)} of {found.total:,} files listed so far",
                )
            )

    def _show_findings(self, number: int, found: FindingsCount) -> None:
        """Open and overdue findings at a glance."""
        if number != self._reads or not self.is_attached:
            return
        if found.problems:
            self.problems = [*self.problems, *found.problems]
            self._show_problems()
        line = self.query_one("#home-findings", Static)
        line.display = bool(found.open_findings or found.orphaned)
        parts: list[str | tuple[str, str]] = [
            ("Findings: ", "bold"), f"{found.open_findings} open"
        ]  # fmt: skip
        if found.majors:
            parts += [" · ", (f"{found.majors} major", "bold $text-error")]
        if found.overdue:
            parts += [" · ", (f" {found.overdue} OVERDUE ", "bold $text-error on $error-muted")]
        if found.orphaned:
            parts += [" · ", f"{found.orphaned} orphaned action{'s' if found.orphaned > 1 else ''}"]
        parts.append(("  (o opens the register)", "dim"))
        line.update(styled(*parts))

    def _checklist_columns(self, table: DataTable) -> bool:
        """Kind, version and items always in view (at 60 columns too); the title takes
        the room left, shortened with … . True when the columns were made again."""
        headings = CHECKLIST_COLUMNS
        columns = [
            [printable(c.title), printable(c.kind), printable(c.version), str(len(c.items))]
            for c in self.checklists
        ]
        titles, *natural = natural_widths(headings, columns)
        natural[1] = min(natural[1], 12)  # a version is free text: cut a long one
        room = table_room(table, sum(natural), len(headings))
        return set_columns(table, headings, [max(NARROWEST, min(titles, room)), *natural])

    def _fill_checklists(self, row: int | None = None) -> None:
        table = self.query_one("#home-checklists", DataTable)
        checklist_row = table.cursor_row if row is None else row
        table.clear()
        for checklist in self.checklists:
            table.add_row(
                cell(checklist.title),
                cell(checklist.kind),
                cell(checklist.version),
                Text(str(len(checklist.items)), justify="right"),
                key=checklist.id,
            )
        if self.checklists:
            table.move_cursor(row=min(checklist_row, len(self.checklists) - 1))
        self._show_detail()

    def _show_problems(self) -> None:
        note = self.query_one("#home-problems", Static)
        lines = []
        if self.problems:
            more = len(self.problems) - 1
            lines.append(
                Content.assemble(
                    (f"{plural(len(self.problems), 'file')} to look at: ", "bold"),
                    printable(self.problems[0]),
                    (f" … and {more} more: `auditui validate` (checklists) and `auditui "
                     "sessions` (sessions) name each" if more else "", "dim"),
                )
            )  # fmt: skip
        if self.duplicates:
            lines.append(
                Content.assemble(
                    (f"{plural(len(self.duplicates), 'checklist file')} left out: ", "bold"),
                    printable(self.duplicates[0]),
                )
            )
        note.update(Content("\n").join(lines))
        note.display = bool(lines)

    def _fill_sessions(
        self, *, reading: bool = False, first: int | None = None, cursor: int | None = None
    ) -> None:
        """The sessions table made again: all rows, or only the `first` ones (those on
        screen, the rest added by `_fill_rest` once they are shown)."""
        table = self.query_one("#home-sessions", DataTable)
        rows = self.session_rows
        cursor = table.cursor_row if cursor is None else cursor
        if not rows:  # one column, as wide as what it says
            table.clear(columns=True)
            table.add_column("")
            table.add_row(Text(READING if reading else NO_SESSIONS, style="dim"))
            if not reading:  # where it looked: from another folder, every audit seemed gone
                heading = f"Sessions in {printable(str(self.store.folder))}"
                self.query_one("#home-sessions-heading", Static).update(Content(heading))
            return
        self._session_columns(table)
        table.clear()
        if first is not None and cursor < first:
            self._add_session_rows(table, 0, first)
        else:
            self._add_session_rows(table, 0, len(rows))
        table.move_cursor(row=min(cursor, len(rows) - 1))
        self._show_detail()

    def _fill_rest(self, number: int) -> None:
        """The rows `_fill_sessions(first=...)` left out."""
        if number != self._reads or not self.is_attached:
            return
        table = self.query_one("#home-sessions", DataTable)
        if table.row_count < len(self.session_rows):
            self._add_session_rows(table, table.row_count, len(self.session_rows))

    def _add_session_rows(self, table: DataTable, start: int, end: int) -> None:
        # A title or name too long for its column is cut in the middle: sessions of one
        # checklist differ at the end ("Internal audit Q1" / "Q2", "Moulding line 1" /
        # "line 2"), which a cut at the end loses.
        widths = [column.width for column in table.columns.values()]

        def cut(text: str, column: int) -> SizedCell:
            shown = truncate_middle(text, widths[column])
            return SizedCell(Text(shown, no_wrap=True, overflow="ellipsis"))

        for session, (title, started, progress, score, auditee, auditor) in zip(
            self.sessions[start:end], self.session_rows[start:end], strict=True
        ):
            table.add_row(
                cut(title, 0),
                SizedCell(Text(started[: widths[1]].rstrip())),
                SizedCell(Text(progress, justify="right")),
                SizedCell(Text(score, justify="right")),
                cut(auditee, 4),
                cut(auditor, 5),
                key=session.id,
            )

    def _session_columns(self, table: DataTable) -> bool:
        """Size the sessions table to the screen: every column in view at 80 columns, the
        checklist, auditee and auditor names shortened (with …) when they cannot all fit.
        True when the columns were made again (and the table emptied)."""
        natural = list(self.session_widths)
        natural[0] = min(natural[0], 40)
        started = natural[1]
        days = [row[1][:STARTED_DAY] for row in self.session_rows]
        # Two sessions of one day (a team's audit, a morning and an afternoon walk) often
        # share a title too: there the time is what tells them apart, and it stays.
        same_day = len(set(days)) < len(days)
        choices = [natural[1]] if same_day else [natural[1], min(natural[1], STARTED_DAY)]
        for started in dict.fromkeys(choices):
            fixed = started + natural[2] + natural[3]
            room = table_room(table, fixed, len(SESSION_COLUMNS))
            # The title tells sessions apart: it keeps twice the room of each name.
            title, auditee, auditor = fit_widths(
                [natural[0], natural[4], natural[5]], room, weights=[2, 1, 1]
            )
            if title >= min(natural[0], ROOMY_TITLE):
                break  # else the start's time gives its room to the titles
        widths = [title, started, natural[2], natural[3], auditee, auditor]
        return set_columns(table, SESSION_COLUMNS, widths)

    def action_switch(self) -> None:
        if self.focused and self.focused.id == "home-checklists":
            self.query_one("#home-sessions", DataTable).focus()
        else:
            self.query_one("#home-checklists", DataTable).focus()

    def action_row(self, which: str) -> None:
        """The first or last row of the table in focus (home, end)."""
        table = self.focused if isinstance(self.focused, DataTable) else None
        if table is not None and table.row_count:
            table.move_cursor(row=0 if which == "first" else table.row_count - 1)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table is self.focused:
            self._show_detail()

    def on_descendant_focus(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """The highlighted row in full under the tables: at 80 columns the names in the
        rows are cut to a few letters, and two sessions may read alike."""
        table = self.focused if isinstance(self.focused, DataTable) else None
        row = table.cursor_row if table is not None else -1
        detail = None
        if table is None:
            pass
        elif table.id == "home-checklists" and 0 <= row < len(self.checklists):
            detail = checklist_detail(self.checklists[row])
        elif table.id == "home-sessions" and 0 <= row < len(self.sessions):
            detail = session_detail(self.sessions[row], self.session_rows[row])
        line = self.query_one("#home-detail", Static)
        line.update(detail or Content(""))
        line.display = detail is not None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._open(event.data_table, event.cursor_row)

    def action_open(self) -> None:
        table = self.focused if isinstance(self.focused, DataTable) else None
        if table is not None:
            self._open(table, table.cursor_row)

    def _open(self, table: DataTable, row: int) -> None:
        if table.id == "home-checklists":
            if 0 <= row < len(self.checklists):
                self.post_message(OpenNewSessionForm(self.checklists[row]))
        elif 0 <= row < len(self.sessions):
            self.post_message(ResumeSession(self.sessions[row].id))

    def _history_checklist(self) -> tuple[str, str] | None:
        """(id, title) of the highlighted checklist, or of the highlighted session's."""
        if self.focused is not None and self.focused.id == "home-checklists":
            row = self.query_one("#home-checklists", DataTable).cursor_row
            if 0 <= row < len(self.checklists):
                return self.checklists[row].id, self.checklists[row].title
            return None
        row = self.query_one("#home-sessions", DataTable).cursor_row
        if 0 <= row < len(self.sessions):
            session = self.sessions[row]
            return session.checklist_id, session.checklist_title
        self.notify(NO_SESSIONS, markup=False)
        return None

    def _count(self, checklist_id: str) -> int:
        return audit_counts(self.sessions).get(checklist_id, 0)

    def action_compare(self) -> None:
        chosen = self._history_checklist()
        if chosen is None:
            return
        checklist_id, title = chosen
        count = self._count(checklist_id)
        if count < 2:
            self.notify(
                f"{title or checklist_id}: {count} session{'' if count == 1 else 's'} so far; "
                "comparing needs two.",
                severity="warning",
                markup=False,
            )
            return
        self.post_message(OpenCompare(checklist_id, title))

    def action_trend(self) -> None:
        chosen = self._history_checklist()
        if chosen is None:
            return
        checklist_id, title = chosen
        if not self._count(checklist_id):
            self.notify(
                f"{title or checklist_id}: no sessions yet, so no trend.",
                severity="warning",
                markup=False,
            )
            return
        self.post_message(OpenTrend(checklist_id, title))

    def action_findings(self) -> None:
        self.post_message(OpenFindings())

    def _highlighted_session(self) -> int | None:
        """The row of the session highlighted in the sessions table; else None, after
        saying what to do (there may be no session at all)."""
        table = self.query_one("#home-sessions", DataTable)
        row = table.cursor_row
        if not self.sessions:
            self.notify(NO_SESSIONS, markup=False)
            return None
        if self.focused is not table or not 0 <= row < len(self.sessions):
            self.notify("Highlight a session first (tab to the sessions).", markup=False)
            return None
        return row

    def action_report(self) -> None:
        """The audit report of the highlighted session into ./exports/, as the walkthrough's
        export key writes it."""
        row = self._highlighted_session()
        if row is None:
            return
        listed = self.session_paths[row]

        def chosen(fmt: str | None) -> None:
            if fmt is None:
                return
            from auditui.reports.sources import report_to_folder

            left_out: list[str] = []
            try:
                session = self.store.load(str(listed))
                path = report_to_folder(self.locations, session, fmt, store=self.store,
                                        on_error=left_out.append)  # fmt: skip
            except AudituiError as error:
                self.notify(str(error), severity="error", markup=False, timeout=10)
                return
            said, severity = with_left_out(f"Report written to {path}", left_out)
            self.notify(said, severity=severity, markup=False, timeout=10)

        from auditui.tui.screens.dialogs import PickOne

        # The same letters as the walkthrough's x: h for HTML, r for the Markdown report.
        choices = [("html", "h", "HTML, to send or print"), ("markdown", "r", "Markdown")]
        title = f"Audit report of {printable(self.sessions[row].display_title)}"
        self.app.push_screen(PickOne(title, choices), chosen)

    def action_review_pack(self, for_last_review: bool = False) -> None:
        """The management review pack (`auditui review-pack`, or `--for-last-review`)
        into the exports folder."""

        def chosen(fmt: str | None) -> None:
            if fmt is not None:
                self.notify("Writing the management review pack …", markup=False)
                self._write_review_pack(fmt, for_last_review)

        from auditui.tui.screens.dialogs import PickOne

        choices = [("html", "h", "HTML, to send or print"), ("markdown", "r", "Markdown")]
        title = "Management review pack (9.3.2)"
        if for_last_review:
            title += " for the last review, as before it was held"
        self.app.push_screen(PickOne(title, choices), chosen)

    def action_review_pack_for_last_review(self) -> None:
        self.action_review_pack(for_last_review=True)

    @work(thread=True, group="review-pack", exit_on_error=False)
    def _write_review_pack(self, fmt: str, for_last_review: bool = False) -> None:
        # Every session and finding is read: off the UI thread.
        from auditui.reports.sources import review_pack_to_folder

        try:
            path, left_out = review_pack_to_folder(
                self.locations, self.store, fmt, for_last_review=for_last_review
            )
        except (AudituiError, OSError) as error:
            self.app.call_from_thread(
                self.notify, str(error), severity="error", markup=False, timeout=10
            )
            return
        words, severity = with_left_out(f"Management review pack written to {path}", left_out)
        self.app.call_from_thread(self.notify, words, severity=severity, markup=False, timeout=10)

    def action_delete_session(self) -> None:
        """Move the highlighted session into the trash folder, after a yes."""
        row = self._highlighted_session()
        if row is None:
            return
        session = self.sessions[row]
        from auditui.trash import TRASH

        folder = self.store.folder / TRASH

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            from auditui.trash import move_to_trash

            try:
                moved = move_to_trash(self.store, session.id)
            except AudituiError as error:
                self.notify(str(error), severity="error", markup=False, timeout=10)
                return
            self.action_reload()
            self.notify(f"Moved to {moved} (move it back to restore it).", markup=False)

        from auditui.tui.screens.dialogs import Confirm

        shared = (self.store.folder / ".git").exists()
        self.app.push_screen(
            Confirm(
                f"Delete the session {session.display_title} ({session.id})? "
                f"It is moved into {folder}, not erased."
                + (
                    " The next sync deletes it on the other laptops too; each keeps a "
                    "copy in its own trash folder."
                    if shared
                    else ""
                )
            ),
            answered,
        )

    def action_sync(self) -> None:
        from auditui.tui.sync_action import start_sync

        start_sync(self, self.store.folder)

    # -- the command palette --------------------------------------------------------

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Start a checklist, resume a session (with its progress, counted once per
        reload), sync, and the findings, compare and trend views."""
        for checklist in self.checklists:
            yield SystemCommand(
                f"Start: {palette_text(checklist.title)}",
                f"New session of {palette_text(checklist.id)}",
                posting(self, OpenNewSessionForm, checklist),
            )
        for session, row in zip(self.sessions, self.session_rows, strict=True):
            label = palette_text(session.display_title)
            yield SystemCommand(
                f"Resume: {label} {session.started:%Y-%m-%d}",
                f"{palette_text(session.auditee)} — {progress_words(session, row)}",
                posting(self, ResumeSession, session.id),
            )
        yield SystemCommand(
            "Sync", "Share the sessions folder with other laptops (git)", self.action_sync
        )
        if self.sessions:
            yield SystemCommand(
                "Report of the highlighted session",
                "The audit report, HTML or Markdown, into the exports folder (x)",
                self.action_report,
            )
        yield SystemCommand(
            "Management review pack",
            "Audits, findings and trends since the last review (9.3.2), into the exports folder",
            self.action_review_pack,
        )
        yield SystemCommand(
            "Management review pack for the last review",
            "The pack of the review finished last, made after it was held: from the review "
            "before it",
            self.action_review_pack_for_last_review,
        )
        titles = {checklist.id: checklist.title for checklist in self.checklists}
        yield from history_commands(self, self.sessions, titles)

    def action_help(self) -> None:
        from auditui.tui.screens.dialogs import HelpScreen

        keys = [
            ("up / down", "move in a list"),
            ("home / end", "the first / last row of the list"),
            ("tab", "switch between checklists and sessions"),
            ("enter", "start a new session of the checklist / resume the session"),
            ("c", "compare the latest two sessions of the highlighted checklist (or session's)"),
            ("t", "trend: the scores of every session of that checklist over time"),
            ("o", "the findings register: open findings, their corrective actions, overdue ones"),
            ("x", "the audit report of the highlighted session into the exports folder"),
            ("y", "sync: share the sessions folder with other laptops (auditui sync)"),
            ("r", "reload the lists"),
            ("delete", "delete the highlighted session (moved into the trash folder, after a yes)"),
            ("ctrl+p", "command palette: start, resume and more by name"),
            ("?", "this help"),
            ("q, ctrl+q", "quit"),
            ("(progress)", "✓ finished and sealed; SEAL BROKEN changed since it was sealed"),
        ]
        self.app.push_screen(HelpScreen("Home screen keys", keys))
