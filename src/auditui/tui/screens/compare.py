"""Comparing two sessions of one checklist: what changed, worst news first.

Also holds `HistoryScreen`, the base of the compare, trend and findings views:
they read every session file in a thread (showing "loading…" meanwhile), report
files that cannot be read, and go back with `escape`; `q` quits, as on every screen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from auditui.compare import (
    CHANGE_GROUPS,
    Comparison,
    ItemChange,
    compare_sessions,
    counted,
    score_move,
    score_text,
    when,
)
from auditui.errors import AudituiError
from auditui.session import Session, listed_order, sessions_of
from auditui.store import SessionStore
from auditui.textwidth import printable, truncate
from auditui.tui.screens.dialogs import HelpScreen, PickOne
from auditui.tui.text import GRADE_WORDS, cell, plain, styled, table_room
from auditui.tui.widgets.key_bar import KeyBar

LOAD_WORKER = "history-load"


def read_all_sessions(folder: Path) -> tuple[list[Session], list[str]]:
    """Every readable session (oldest first) and a message per file that is not."""
    problems: list[str] = []
    store = SessionStore(folder)
    sessions = store.list_sessions(
        on_error=lambda unreadable: problems.append(str(unreadable.error))
    )
    return sessions, problems


def session_label(session: Session, people_width: int = 40) -> str:
    """One line naming a session: when, score, how far, who."""
    summary = session.summary()
    people = " · ".join(part for part in (session.auditee, session.auditor) if part)
    text = f"{when(session)}  {score_text(summary):>6}  {summary.answered}/{summary.total}"
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

    def __init__(self) -> None:
        super().__init__()
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
        self._read(self.app.locations.sessions_dir)

    @work(thread=True, exclusive=True, name=LOAD_WORKER, exit_on_error=False)
    def _read(self, folder: Path) -> tuple[list[Session], list[str]]:
        return read_all_sessions(folder)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != LOAD_WORKER:
            return
        if event.state == WorkerState.SUCCESS:
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

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.HELP_TITLE, [*self.HELP_KEYS, *self.COMMON_KEYS]))


# --- compare ---------------------------------------------------------------------------

GROUP_WORDS = {
    "all": "all changes",
    "regressed": "regressions",
    "new_failure": "new failures",
    "improved": "improvements",
    "other": "other changes",
}
GROUP_LABELS = {
    "regressed": ("REGRESSED", "bold red"),
    "new_failure": ("new failure", "red"),
    "improved": ("improved", "green"),
}
RESULT_SHORT = {
    "pass": "pass",
    "fail": "fail",
    "na": "n/a",
    "unanswered": "unanswered",
    "absent": "absent",
}


def ordered_changes(comparison: Comparison) -> list[tuple[str, ItemChange]]:
    """Every change as (group, change): regressions, new failures, improvements, the rest;
    within a group in the comparison's order."""
    grouped = comparison.grouped()
    return [(group, item) for group in CHANGE_GROUPS for item in grouped[group]]


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


class CompareScreen(HistoryScreen):
    """Two sessions of one checklist side by side: changes, then pass rate per section."""

    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    BINDINGS = [
        Binding("o", "pick('old')", "Old session"),
        Binding("w", "pick('new')", "New session"),
        Binding("v", "pick_view", "Show…"),
        Binding("a", "filter('all')", "All changes", show=False),
        Binding("r", "filter('regressed')", "Only regressions", show=False),
        Binding("f", "filter('new_failure')", "Only new failures", show=False),
        Binding("i", "filter('improved')", "Only improvements", show=False),
        Binding("c", "filter('other')", "Only other changes", show=False),
    ]
    HELP_TITLE = "Compare keys"
    HELP_KEYS = [
        ("up / down", "move in the list of changes (details below it)"),
        ("tab", "switch between the changes and the sections"),
        ("a", "show all changes"),
        ("r", "only regressions (passed before, fail now)"),
        ("f", "only new failures (fail now, not judged before)"),
        ("i", "only improvements (failed before, pass now)"),
        ("c", "only other changes (n/a, unanswered, added, removed)"),
        ("v", "pick what to show from a list"),
        ("o", "choose the OLD session"),
        ("w", "choose the NEW session"),
    ]

    def __init__(
        self,
        checklist_id: str,
        title: str = "",
        *,
        old_id: str | None = None,
        new_id: str | None = None,
    ) -> None:
        super().__init__()
        self.checklist_id = checklist_id
        self.checklist_title = title
        self.old_id = old_id
        self.new_id = new_id
        self.choices: list[Session] = []
        self.comparison: Comparison | None = None
        self.rows: list[tuple[str, ItemChange]] = []
        self.filter_name = "all"

    def compose(self) -> ComposeResult:
        with Vertical(id="compare", classes="history"):
            yield Static(self._heading(), id="compare-title", classes="history-title")
            yield from self.compose_status()
            yield Static(id="compare-sides")
            yield Static(id="compare-summary")
            yield Static(id="compare-filter", classes="history-heading")
            yield DataTable(id="compare-changes", cursor_type="row", zebra_stripes=True)
            yield Static(id="compare-detail")
            yield DataTable(id="compare-sections", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def _heading(self) -> Content:
        title = self.checklist_title or self.checklist_id
        return styled(("Compare  ", "bold"), (title, "bold"), (f"  ({self.checklist_id})", "dim"))

    def on_mount(self) -> None:
        changes = self.query_one("#compare-changes", DataTable)
        for widget in ("#compare-sides", "#compare-summary", "#compare-filter", "#compare-detail"):
            self.query_one(widget).display = False
        self.query_one("#compare-sections").display = False
        changes.focus()
        # HistoryScreen.on_mount runs next (Textual calls each class's handler) and loads.

    # -- data ---------------------------------------------------------------------

    def show_sessions(self) -> None:
        self.choices = sessions_of(self.sessions, self.checklist_id)
        if self.choices and not self.checklist_title:
            self.checklist_title = self.choices[-1].checklist_title
            self.query_one("#compare-title", Static).update(self._heading())
        if len(self.choices) < 2:
            count = len(self.choices)
            message = (
                f"Checklist {self.checklist_id} has {count} session{'' if count == 1 else 's'}: "
                "a comparison needs two."
            )
            self.set_status(message, error=True)
            self.notify(message, severity="warning", markup=False)
            return
        by_id = {session.id: session for session in self.choices}
        if self.new_id not in by_id:
            self.new_id = self.choices[-1].id
        if self.old_id not in by_id:
            newer = by_id[self.new_id]
            earlier = [s for s in self.choices if listed_order(s) < listed_order(newer)]
            self.old_id = (earlier[-1] if earlier else self.choices[-2]).id
        self._compare()

    def _session(self, session_id: str | None) -> Session:
        return next(session for session in self.choices if session.id == session_id)

    def _compare(self) -> None:
        try:
            self.comparison = compare_sessions(
                self._session(self.old_id), self._session(self.new_id)
            )
        except AudituiError as error:
            self.set_status(str(error), error=True)
            return
        self.rows = ordered_changes(self.comparison)
        for widget in ("#compare-sides", "#compare-summary", "#compare-filter"):
            self.query_one(widget).display = True
        self.query_one("#compare-sections").display = True
        self._show_sides()
        self._fill_changes()
        self._fill_sections()

    def _show_sides(self) -> None:
        comparison = self.comparison
        assert comparison is not None
        lines = []
        for label, session in (("old", comparison.old), ("new", comparison.new)):
            lines.append(styled((f"{label} ", "bold"), session_label(session, 28)))
        self.query_one("#compare-sides", Static).update(Content("\n").join(lines))
        counts = comparison.group_counts()
        parts: list[str | tuple[str, str]] = []
        for group, count in counts.items():
            style = {
                "regressed": "bold $text-error",
                "new_failure": "$text-error",
                "improved": "$text-success",
            }.get(group, "")
            if parts:
                parts.append(" · ")
            parts.append((counted(group, count), style if count else ""))
        parts.append("   score ")
        parts.append(
            (score_move(comparison.old_summary, comparison.new_summary), "bold"),
        )
        summary = styled(*parts)
        findings = self._findings_parts(comparison.new)
        if findings:
            summary = Content("\n").join([summary, styled(*findings)])
        self.query_one("#compare-summary", Static).update(summary)

    def _findings_parts(self, new: Session) -> list[str | tuple[str, str]]:
        """Findings open before NEW that it closed, and those it did not audit (apart from
        the changes: an item not audited shows there only as a change of result)."""
        from auditui.finding_records import FindingRecords
        from auditui.findings import open_before_in, split_at_new

        actions = FindingRecords(self.app.locations.sessions_dir).load_all()
        closed, not_audited = split_at_new(open_before_in(self.choices, actions, new), new)
        if not closed and not not_audited:
            return []
        parts: list[str | tuple[str, str]] = [("Findings: ", "bold")]
        parts.append((f"{len(closed)} closed", "$text-success" if closed else ""))
        parts.append(" · ")
        style = "bold $text-warning" if not_audited else ""
        parts.append((f"{len(not_audited)} still open but not audited", style))
        return parts

    def _visible(self) -> list[tuple[str, ItemChange]]:
        if self.filter_name == "all":
            return self.rows
        return [row for row in self.rows if row[0] == self.filter_name]

    def _fill_changes(self) -> None:
        table = self.query_one("#compare-changes", DataTable)
        room = self.room(table, 11 + 12 + 17, 4)
        table.clear(columns=True)
        table.add_column("Change", width=11)
        table.add_column("Item", width=12)
        table.add_column("Old → new", width=17)
        table.add_column("Question", width=room)
        visible = self._visible()
        for number, (group, item) in enumerate(visible):
            label, style = GROUP_LABELS.get(group, (item.change, ""))
            record = item.record
            old, new = RESULT_SHORT.get(item.old, item.old), RESULT_SHORT.get(item.new, item.new)
            table.add_row(
                Text(label, style=style),
                cell(item.item_id),
                Text(f"{old} → {new}"),
                cell(record.prompt),
                key=str(number),
            )
        shown = len(visible)
        total = len(self.rows)
        if not self.rows:
            table.add_row(Text("No differences in results.", style="dim"))
        elif not visible:
            table.add_row(Text(f"No {GROUP_WORDS[self.filter_name]}.", style="dim"))
        if self.filter_name == "all":
            heading = f"Changes: {total}, regressions first"
        else:
            heading = (
                f"Showing {GROUP_WORDS[self.filter_name]}: {shown} of {total} changes (a: all)"
            )
        self.query_one("#compare-filter", Static).update(plain(heading))
        self._show_detail()

    def _fill_sections(self) -> None:
        comparison = self.comparison
        assert comparison is not None
        table = self.query_one("#compare-sections", DataTable)
        room = self.room(table, 8 + 6 + 6 + 7, 5)
        table.clear(columns=True)
        table.add_column("Section", width=8)
        table.add_column("Title", width=room)
        table.add_column("Old", width=6)
        table.add_column("New", width=6)
        table.add_column("Change", width=7)
        for section in comparison.sections:
            change = section.change
            style = ""
            if change.startswith("-"):
                style = "red"
            elif change.startswith("+") and change != "+0.0":
                style = "green"
            table.add_row(
                cell(section.section_id),
                cell(section.title),
                Text(score_text(section.old), justify="right"),
                Text(score_text(section.new), justify="right"),
                Text(change, style=style, justify="right"),
            )

    def _show_detail(self) -> None:
        detail = self.query_one("#compare-detail", Static)
        table = self.query_one("#compare-changes", DataTable)
        visible = self._visible()
        row = table.cursor_row
        if not (0 <= row < len(visible)):
            detail.display = False
            return
        group, item = visible[row]
        record = item.record
        head: list[str | tuple[str, str]] = [(item.item_id, "bold")]
        if record.clause:
            head.append(f"  clause {record.clause}")
        head.append(f"  {item.change}: {item.old} → {item.new}")
        lines = [styled(*head), plain(record.prompt)]
        for label, side in (("now", item.new_record), ("before", item.old_record)):
            if side is None or not (side.note or side.grade):
                continue
            parts: list[str | tuple[str, str]] = [(f"{label}: ", "bold")]
            if side.grade:
                parts.append((GRADE_WORDS.get(side.grade, side.grade), "italic"))
                if side.note:
                    parts.append(" · ")
            parts.append(side.note)
            lines.append(styled(*parts))
        detail.update(Content("\n").join(lines))
        detail.display = True

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "compare-changes":
            self._show_detail()

    def on_resize(self) -> None:
        if self.comparison is not None:
            row = self.query_one("#compare-changes", DataTable).cursor_row
            self.call_after_refresh(self._refill, row)

    def _refill(self, row: int) -> None:
        if self.comparison is None:
            return
        self._fill_changes()
        self._fill_sections()
        self.query_one("#compare-changes", DataTable).move_cursor(row=row)

    # -- actions ------------------------------------------------------------------

    def action_filter(self, name: str) -> None:
        if self.comparison is None:
            return
        self.filter_name = name
        self._fill_changes()

    def action_pick_view(self) -> None:
        if self.comparison is None:
            return
        counts = self.comparison.group_counts()
        choices = [("all", "a", f"all changes ({len(self.rows)})")]
        for name, key in (("regressed", "r"), ("new_failure", "f"), ("improved", "i")):
            choices.append((name, key, f"only {GROUP_WORDS[name]} ({counts[name]})"))
        choices.append(("other", "c", f"only other changes ({counts['other']})"))

        def chosen(name: str | None) -> None:
            if name is not None:
                self.action_filter(name)

        self.app.push_screen(PickOne("Show", choices), chosen)

    def action_pick(self, side: str) -> None:
        if len(self.choices) < 2:
            return
        current = self.old_id if side == "old" else self.new_id
        title = "Compare from (OLD session)" if side == "old" else "Compare to (NEW session)"
        self.app.push_screen(SessionPicker(title, self.choices, current), self._picked(side))

    def _picked(self, side: str) -> Callable[[str | None], None]:
        def chosen(session_id: str | None) -> None:
            if session_id is None:
                return
            if side == "old":
                self.old_id = session_id
            else:
                self.new_id = session_id
            old, new = self._session(self.old_id), self._session(self.new_id)
            if (old.started, old.id) > (new.started, new.id):
                self.old_id, self.new_id = new.id, old.id
                self.notify("Swapped: the earlier session is always OLD.", markup=False, timeout=4)
            self._compare()

        return chosen
