"""Comparing two sessions of one checklist: what changed, worst news first."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from auditui.compare import (
    ABSENT,
    CHANGE_GROUPS,
    Comparison,
    ItemChange,
    both_audited,
    compare_sessions,
    counted,
    nothing_changed,
)
from auditui.errors import AudituiError
from auditui.repository import SessionRepository
from auditui.session import listed_order
from auditui.session_index import Digest
from auditui.textwidth import score_text
from auditui.tui.screens.dialogs import PickOne
from auditui.tui.screens.history import HistoryScreen, SessionPicker, session_label
from auditui.tui.text import cell, plain, styled
from auditui.tui.widgets.key_bar import KeyBar
from auditui.vocabulary import Grade, Result

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


def _short(result: str) -> str:
    """A result in a line of changes (`n/a`); `absent` as it is."""
    return result if result == ABSENT else Result(result).short


def _label(group: str, item: ItemChange) -> tuple[str, str]:
    """What a change is called in the list and the detail, and its style."""
    return GROUP_LABELS.get(group, (item.change, ""))


def _results(item: ItemChange) -> str:
    """`pass → fail`, `n/a → fail`."""
    return f"{_short(item.old)} → {_short(item.new)}"


PAIR_WORKER = "compare-pair"


class Compared(NamedTuple):
    """The two sessions compared (read whole in a thread), and the findings counts."""

    comparison: Comparison
    closed: int
    not_audited: int
    not_effective: int


def ordered_changes(comparison: Comparison) -> list[tuple[str, ItemChange]]:
    """Every change as (group, change): regressions, new failures, improvements, the rest;
    within a group in the comparison's order."""
    grouped = comparison.grouped()
    return [(group, item) for group in CHANGE_GROUPS for item in grouped[group]]


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
        store: SessionRepository,
        checklist_id: str,
        title: str = "",
        *,
        old_id: str | None = None,
        new_id: str | None = None,
    ) -> None:
        super().__init__(store)
        self.checklist_id = checklist_id
        self.checklist_title = title
        self.old_id = old_id
        self.new_id = new_id
        self.choices: list[Digest] = []
        self.comparison: Comparison | None = None
        self.findings_counts = (0, 0, 0)
        """Findings open before NEW that it closed, and those still open it did not audit."""
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
        self.choices = [s for s in self.sessions if s.checklist_id == self.checklist_id]
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
        # The latest two audits that answered something: a session started and left at
        # once (trying the app) is no audit to compare with; o and w still pick it.
        judged = [s for s in self.choices if s.summary().answered]
        pool = judged if len(judged) >= 2 else self.choices
        if self.new_id not in by_id:
            self.new_id = pool[-1].id
        if self.old_id not in by_id:
            newer = by_id[self.new_id]
            earlier = [s for s in pool if listed_order(s) < listed_order(newer)]
            self.old_id = (earlier[-1] if earlier else pool[-2]).id
        self._compare()

    def _session(self, session_id: str | None) -> Digest:
        return next(session for session in self.choices if session.id == session_id)

    def _compare(self) -> None:
        """Read the two sessions whole and compare them, in a thread (`_compared` shows)."""
        assert self.old_id is not None and self.new_id is not None
        self.waiting = True
        self.set_status("loading…")
        self._read_pair(self.paths[self.old_id], self.paths[self.new_id])

    @work(thread=True, exclusive=True, name=PAIR_WORKER, exit_on_error=False)
    def _read_pair(self, old_path: Path, new_path: Path) -> Compared:
        from auditui.finding_records import FindingRecords
        from auditui.findings import findings_at_new

        old, new = self.store.load(str(old_path)), self.store.load(str(new_path))
        comparison = compare_sessions(old, new)
        # Findings as `auditui compare` counts them (the same code, the same answer).
        at_new = findings_at_new(self.store, FindingRecords(self.store.folder), new)
        return Compared(comparison, *(len(part) for part in at_new))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # HistoryScreen's handler (Textual calls it too) takes the list of sessions.
        if event.worker.name != PAIR_WORKER or event.state not in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
        ):
            return
        self.waiting = False
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.set_status(
                str(error) if isinstance(error, AudituiError) else f"cannot compare: {error!r}",
                error=True,
            )
            return
        self.set_status("")
        if isinstance(event.worker.result, Compared):
            self._compared(event.worker.result)

    def _compared(self, compared: Compared) -> None:
        self.comparison = compared.comparison
        self.findings_counts = (compared.closed, compared.not_audited, compared.not_effective)
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
        if comparison.out_of_scope:  # as `auditui compare` says: why items are missing
            parts.append(f" · {comparison.out_of_scope} out of scope")
            failing = len(comparison.fails_not_compared)
            if failing:  # findings of the newer audit, in sections the older left out
                parts.append((f" ({failing} of them failing now)", "$text-error"))
        parts.append("   score ")
        parts.append((comparison.score_words(), "bold"))
        like_for_like = both_audited(comparison.old, comparison.new)
        if like_for_like is not None:
            parts.append(f"; {like_for_like.text()}")
        summary = styled(*parts)
        findings = self._findings_parts()
        if findings:
            summary = Content("\n").join([summary, styled(*findings)])
        self.query_one("#compare-summary", Static).update(summary)

    def _findings_parts(self) -> list[str | tuple[str, str]]:
        """Findings open before NEW that it closed, and those it did not audit (apart from
        the changes: an item not audited shows there only as a change of result)."""
        closed, not_audited, not_effective = self.findings_counts
        if not closed and not not_audited and not not_effective:
            return []
        parts: list[str | tuple[str, str]] = [("Findings: ", "bold")]
        parts.append((f"{closed} closed", "$text-success" if closed else ""))
        if not_effective:  # an action marked done that did not work
            parts += [" · ", (f"{not_effective} not effective", "bold $text-error")]
        parts.append(" · ")
        style = "bold $text-warning" if not_audited else ""
        parts.append((f"{not_audited} still open, n/a or not audited", style))
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
            label, style = _label(group, item)
            table.add_row(
                Text(label, style=style),
                cell(item.item_id),
                Text(_results(item)),
                cell(item.record.prompt),
                key=str(number),
            )
        shown = len(visible)
        total = len(self.rows)
        # In the wide column: the first is 11 cells, and cut the words to "No differen".
        if not self.rows:
            said = nothing_changed(self.comparison) if self.comparison else ""
            table.add_row("", "", "", Text(said, style="dim"))
        elif not visible:
            table.add_row("", "", "", Text(f"No {GROUP_WORDS[self.filter_name]}.", style="dim"))
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
        head.append(f"  {_label(group, item)[0]}: {_results(item)}")  # as the list has it
        lines = [styled(*head), plain(record.prompt)]
        for label, side in (("now", item.new_record), ("before", item.old_record)):
            if side is None or not (side.note or side.grade):
                continue
            parts: list[str | tuple[str, str]] = [(f"{label}: ", "bold")]
            if side.grade:
                parts.append((Grade(side.grade).words, "italic"))
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
            other = self.new_id if side == "old" else self.old_id
            if session_id == other:  # a session compared with itself shows nothing
                which = "NEW" if side == "old" else "OLD"
                self.notify(f"That session is {which} already: choose another to compare it "
                            "with.", severity="warning", markup=False)  # fmt: skip
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
