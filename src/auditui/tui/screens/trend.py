"""The trend of one checklist: each session's score as a bar, each section as a sparkline."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from auditui.repository import SessionRepository
from auditui.textwidth import cell_width, day, minute, printable, score_text
from auditui.trend import SPARK_LIMIT, Trend, bar, spark, trend_from_store, trend_of_digests
from auditui.tui.screens.compare import CompareScreen
from auditui.tui.screens.history import HistoryRead, HistoryScreen
from auditui.tui.text import cell, plain, styled
from auditui.tui.widgets.key_bar import KeyBar

FIXED = 16 + 6 + 8
"""Cells of the started, score and answered columns."""


class TrendScreen(HistoryScreen):
    """Scores of every session of one checklist, oldest first."""

    BINDINGS = [
        Binding("enter,c", "compare", "Compare with the one before"),
    ]
    HELP_TITLE = "Trend keys"
    HELP_KEYS = [
        ("up / down", "move in a list"),
        ("tab", "switch between the scores and the sections"),
        ("enter, c", "compare the highlighted session with the one before it (esc: back here)"),
    ]

    def __init__(self, store: SessionRepository, checklist_id: str, title: str = "") -> None:
        super().__init__(store)
        self.checklist_id = checklist_id
        self.checklist_title = title
        self.trend: Trend | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="trend", classes="history"):
            yield Static(self._heading(), id="trend-title", classes="history-title")
            yield from self.compose_status()
            yield Static(id="trend-span")
            yield DataTable(id="trend-scores", cursor_type="row", zebra_stripes=True)
            yield Static(
                plain("By section, oldest → newest"),
                id="trend-by-section",
                classes="history-heading",
            )
            yield DataTable(id="trend-sections", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def _heading(self):
        title = self.checklist_title or self.checklist_id
        return styled(("Trend  ", "bold"), (title, "bold"), (f"  ({self.checklist_id})", "dim"))

    def on_mount(self) -> None:
        self.query_one("#trend-span").display = False
        self.query_one("#trend-scores", DataTable).focus()

    def read(self) -> HistoryRead:
        """The sessions, and the trend as `auditui trend` works it out, with the findings
        open after each session (in a thread, from the index)."""
        from auditui.finding_records import FindingRecords

        read = super().read()
        told = set(read.problems)

        def problem(unreadable) -> None:  # named once, not again from here
            message = unreadable.message
            if str(unreadable.error) not in told and message not in told:
                told.add(message)
                read.problems.append(message)

        actions = FindingRecords(self.store.folder).load_all(on_error=problem)
        read.extra = trend_from_store(
            self.store, self.checklist_id, self.checklist_title, actions, on_error=problem
        )
        from auditui.catalog import Catalog
        from auditui.trend import in_checklist_order

        in_checklist_order(read.extra, Catalog(self.app.locations))  # type: ignore[attr-defined]
        return read

    def received(self, extra: Trend) -> None:
        self.trend = extra

    def show_sessions(self) -> None:
        if self.trend is None:
            self.trend = trend_of_digests(self.checklist_id, self.sessions, self.checklist_title)
        if self.trend.title and self.trend.title != self.checklist_title:
            self.checklist_title = self.trend.title
            self.query_one("#trend-title", Static).update(self._heading())
        self._fill()

    def _fill(self) -> None:
        trend = self.trend
        assert trend is not None
        span = self.query_one("#trend-span", Static)
        if not trend.points:
            span.update(plain(f"No sessions of checklist {self.checklist_id} yet."))
            span.display = True
            return
        first, last = trend.points[0].session, trend.points[-1].session
        count = len(trend.points)
        span.update(
            plain(
                f"{count} session{'s' if count != 1 else ''}, "
                f"{day(first.started)} to {day(last.started)}"
            )
        )
        span.display = True

        scores = self.query_one("#trend-scores", DataTable)
        row = scores.cursor_row if scores.row_count else count - 1
        open_after = trend.open_findings or {}
        room = self.room(scores, FIXED + 13, 6)
        bar_width = max(10, min(40, room - 14))
        people_width = max(8, room - bar_width)
        scores.clear(columns=True)
        scores.add_column("Started", width=16)
        scores.add_column("Score", width=6)
        scores.add_column(Text("0%" + " " * max(1, bar_width - 6) + "100%"), width=bar_width)
        scores.add_column("Answered", width=8)
        scores.add_column("Open findings", width=13)  # after each session
        scores.add_column("Auditee", width=people_width)
        for point in trend.points:
            session, summary = point.session, point.summary
            people = " · ".join(part for part in (session.auditee, session.auditor) if part)
            scores.add_row(
                Text(minute(session.started)),
                Text(score_text(summary), justify="right"),
                Text(bar(summary, bar_width), style="bold"),
                Text(f"{summary.answered}/{summary.total}", justify="right"),
                Text(str(open_after.get(session.id, "")), justify="right"),
                cell(people),
                key=session.id,
            )
        scores.move_cursor(row=min(row, count - 1))

        sections = self.query_one("#trend-sections", DataTable)
        sections.clear(columns=True)
        order = trend.section_order()
        if not order:
            return
        id_width = max(7, min(max(cell_width(printable(s_id)) for s_id, _ in order), 10))
        # As many of the latest sessions as fit, leaving the title at least 16 cells.
        spark_room = self.room(sections, id_width + 6 + 16, 4)
        shown = trend.points[-min(SPARK_LIMIT, spark_room) :]
        spark_width = max(len(shown), 6)
        heading = "By section, oldest → newest"
        if len(shown) < len(trend.points):
            heading += f" (the last {len(shown)} sessions)"
        self.query_one("#trend-by-section", Static).update(plain(heading))
        title_width = self.room(sections, id_width + spark_width + 6, 4)
        sections.add_column("Section", width=id_width)
        sections.add_column("Title", width=title_width)
        sections.add_column("Trend", width=spark_width)
        sections.add_column("Latest", width=6)
        for section_id, title in order:
            sparks = "".join(
                spark(point.sections.get(section_id, ("", None))[1]) for point in shown
            )
            sections.add_row(
                cell(section_id),
                cell(title),
                Text(sparks, style="bold"),
                Text(score_text(trend.latest_of(section_id)), justify="right"),
            )

    def on_resize(self) -> None:
        if self.trend is not None:
            self.call_after_refresh(self._fill)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.data_table.id == "trend-scores":
            self._compare_row(event.cursor_row)

    def action_compare(self) -> None:
        self._compare_row(self.query_one("#trend-scores", DataTable).cursor_row)

    def _compare_row(self, row: int) -> None:
        if self.trend is None:
            return
        points = self.trend.points
        if not 0 <= row < len(points):
            return
        if row == 0:
            self.notify("This is the first session: nothing before it to compare.", markup=False)
            return
        # A drill-down: pushed over the trend, so esc comes back here.
        self.app.push_screen(
            CompareScreen(
                self.store,
                self.checklist_id,
                self.checklist_title,
                old_id=points[row - 1].session.id,
                new_id=points[row].session.id,
            )
        )
