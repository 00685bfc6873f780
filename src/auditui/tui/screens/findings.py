"""Open findings: every failed item of the latest session of each checklist.

Items that failed several audits in a row are highlighted. `enter` on a finding
resumes its session on that item.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from auditui.compare import when
from auditui.errors import AudituiError
from auditui.findings import GRADE_LABELS, ChecklistFindings, Finding, collect
from auditui.tui.screens.compare import HistoryScreen
from auditui.tui.text import plain, styled
from auditui.tui.widgets.key_bar import KeyBar

GRADE_STYLES = {
    "major": "bold $text-error",
    "minor": "$text-error",
    "observation": "$text-warning",
    "ofi": "$text-accent",
}
STREAK_STYLE = "bold $text-error on $error-muted"


def streak_text(finding: Finding) -> tuple[str, str]:
    """How long the item has been failing, and the style to show it in."""
    if finding.streak > 1:
        since = when(finding.since)[:10]
        return f"failed {finding.streak} audits in a row (since {since})", STREAK_STYLE
    if finding.previous is not None:
        return "new since the last audit", "italic"
    return "first audit of this checklist", "dim"


def finding_prompt(finding: Finding) -> Content:
    record = finding.record
    head: list[str | tuple[str, str]] = [("✘ ", "$text-error"), (record.item_id, "bold")]
    if record.clause:
        head.append(("  clause ", "dim"))
        head.append(record.clause)
    if record.grade:
        head.append("  ")
        grade = GRADE_LABELS.get(record.grade, record.grade)
        head.append((grade, GRADE_STYLES.get(record.grade, "")))
    head.append("  ")
    head.append(streak_text(finding))
    lines = [styled(*head), plain(record.prompt)]
    if record.note:
        lines.append(styled(("note: ", "bold"), record.note))
    else:
        lines.append(styled(("(no note)", "dim")))
    return Content("\n").join(lines)


def grade_counts(findings: list[Finding]) -> str:
    counts: dict[str, int] = {}
    for finding in findings:
        if finding.record.grade:
            counts[finding.record.grade] = counts.get(finding.record.grade, 0) + 1
    return ", ".join(f"{counts[grade]} {grade}" for grade in GRADE_LABELS if grade in counts)


def group_prompt(group: ChecklistFindings) -> Content:
    latest = group.latest
    count = len(group.findings)
    title = latest.checklist_title
    found = f"{count} finding{'s' if count != 1 else ''}" if count else "no failed items"
    grades = grade_counts(group.findings)
    return Content("\n").join(
        [
            styled(
                (group.checklist_id, "bold $text-primary"),
                (f" — {title}" if title else "", "bold $text-primary"),
            ),
            styled(
                (f"latest audit {when(latest)} · {found}", "$text-primary"),
                (f" ({grades})" if grades else "", "$text-primary"),
            ),
        ]
    )


class FindingsScreen(HistoryScreen):
    """The failed items of the latest session of each checklist."""

    BINDINGS = [Binding("enter", "resume", "Resume at this item")]
    HELP_TITLE = "Open findings keys"
    HELP_KEYS = [
        ("up / down", "move from finding to finding"),
        ("enter", "resume the session on that item (esc there comes back here)"),
    ]

    def __init__(self, checklist_id: str | None = None) -> None:
        super().__init__()
        self.checklist_id = checklist_id
        self.groups: list[ChecklistFindings] = []
        self.entries: list[Finding] = []
        self._stale = False

    def compose(self) -> ComposeResult:
        with Vertical(id="findings", classes="history"):
            yield Static(
                styled(
                    ("Open findings", "bold"), " — failed items of each checklist's latest audit"
                ),
                id="findings-title",
                classes="history-title",
            )
            yield from self.compose_status()
            yield Static(id="findings-summary")
            yield OptionList(id="findings-list")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#findings-summary").display = False
        self.query_one(OptionList).focus()

    def on_screen_resume(self) -> None:
        # Back from a walkthrough opened here: the findings may have changed.
        if self._stale:
            self._stale = False
            self.reload()

    def show_sessions(self) -> None:
        self.groups = collect(self.sessions, self.checklist_id)
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        self.entries = []
        prompts: list[Option | None] = []
        for group in self.groups:
            if prompts:
                prompts.append(None)
            prompts.append(Option(group_prompt(group), disabled=True))
            for finding in group.findings:
                prompts.append(Option(finding_prompt(finding), id=str(len(self.entries))))
                self.entries.append(finding)
        options.add_options(prompts)
        summary = self.query_one("#findings-summary", Static)
        total = len(self.entries)
        repeated = sum(1 for finding in self.entries if finding.streak > 1)
        if not self.groups:
            summary.update(plain("No sessions yet, so no findings."))
        else:
            checklists = len(self.groups)
            parts: list[str | tuple[str, str]] = [
                (f"{total} open finding{'s' if total != 1 else ''}", "bold"),
                f" in {checklists} checklist{'s' if checklists != 1 else ''}",
            ]
            if repeated:
                parts.append(" · ")
                parts.append((f"{repeated} failed several audits in a row", STREAK_STYLE))
            summary.update(styled(*parts))
        summary.display = True
        if self.entries:
            if highlighted is not None and highlighted < options.option_count:
                options.highlighted = highlighted
            else:
                options.highlighted = 1  # the first finding, under its checklist's heading
            if options.highlighted is not None:
                option = options.get_option_at_index(options.highlighted)
                if option.disabled:
                    options.action_cursor_down()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self._resume(self.entries[int(event.option.id)])

    def action_resume(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return
        option = options.get_option_at_index(options.highlighted)
        if option.id is not None:
            self._resume(self.entries[int(option.id)])

    def _resume(self, finding: Finding) -> None:
        try:
            self.app.resume_session_at(finding.session.id, finding.record.item_id)
        except AudituiError as error:
            self.notify(str(error), severity="error", markup=False, timeout=8)
            return
        self._stale = True
