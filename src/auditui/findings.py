"""Open findings: the failed items of the latest session of each checklist.

For each finding, `streak` counts the sessions in a row of that checklist,
ending with the latest, in which the item failed; a session where the item is
not failed (or is absent, e.g. an older checklist version) ends the streak.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from auditui.compare import WIDTH, fit, when, wrap
from auditui.session import GRADES, ItemRecord, Session, listed_order
from auditui.textwidth import printable, truncate

GRADE_LABELS = {
    "major": "MAJOR",
    "minor": "minor",
    "observation": "observation",
    "ofi": "OFI",
}


@dataclass(frozen=True, slots=True)
class Finding:
    session: Session
    record: ItemRecord
    streak: int
    since: Session
    """The oldest session of the streak (the latest session itself when `streak` is 1)."""
    previous: Session | None
    """The session before the latest one, if there is one."""


@dataclass
class ChecklistFindings:
    checklist_id: str
    latest: Session
    findings: list[Finding]
    sessions: int


def by_checklist(sessions: list[Session]) -> dict[str, list[Session]]:
    """Sessions grouped by checklist id (ids sorted), each group oldest first."""
    groups: dict[str, list[Session]] = defaultdict(list)
    for session in sessions:
        groups[session.checklist_id].append(session)
    result = {}
    for checklist_id in sorted(groups):
        group = groups[checklist_id]
        group.sort(key=listed_order)
        result[checklist_id] = group
    return result


def collect(sessions: list[Session], checklist_id: str | None = None) -> list[ChecklistFindings]:
    """Findings of the latest session of each checklist (or of `checklist_id` only)."""
    out = []
    for group_id, group in by_checklist(sessions).items():
        if checklist_id is not None and group_id != checklist_id:
            continue
        latest = group[-1]
        findings = []
        for record in latest.records:
            if record.result != "fail":
                continue
            streak = 1
            position = len(group) - 2
            while position >= 0:
                earlier = group[position]
                if (
                    record.item_id not in earlier.index
                    or earlier.record(record.item_id).result != "fail"
                ):
                    break
                streak += 1
                position -= 1
            findings.append(
                Finding(
                    session=latest,
                    record=record,
                    streak=streak,
                    since=group[len(group) - streak],
                    previous=group[-2] if len(group) > 1 else None,
                )
            )
        out.append(ChecklistFindings(group_id, latest, findings, len(group)))
    return out


def to_document(groups: list[ChecklistFindings]) -> dict[str, Any]:
    """The `findings --format toml` document: `[[findings]]`, SPEC keys first."""
    return {"findings": [_finding_table(f) for group in groups for f in group.findings]}


def _finding_table(finding: Finding) -> dict[str, Any]:
    record = finding.record
    table: dict[str, Any] = {
        "checklist_id": finding.session.checklist_id,
        "session_id": finding.session.id,
        "item_id": record.item_id,
    }
    if record.clause is not None:
        table["clause"] = record.clause
    table["prompt"] = record.prompt
    table["note"] = record.note
    if record.grade is not None:
        table["grade"] = record.grade
    table["streak"] = finding.streak
    table["section_id"] = record.section_id
    table["section_title"] = record.section_title
    table["started"] = finding.session.started
    if record.recorded is not None:
        table["recorded"] = record.recorded
    table["since_session"] = finding.since.id
    table["since"] = finding.since.started
    return table


def render_text(groups: list[ChecklistFindings]) -> str:
    lines: list[str] = []
    total = 0
    for group in groups:
        latest = group.latest
        if lines:
            lines.append("")
        title = printable(latest.checklist_title)
        lines.append(printable(group.checklist_id) + (f" — {title}" if title else ""))
        count = len(group.findings)
        total += count
        grades = _grade_counts(group.findings)
        found = f"{count} finding{'s' if count != 1 else ''}{grades}"
        lines.append(
            f"  latest audit {when(latest)}, session {latest.id}: "
            + (found if count else "no failed items")
        )
        for finding in group.findings:
            lines.append("")
            lines += _finding_lines(finding)
    if groups:
        lines += ["", f"{total} open finding{'s' if total != 1 else ''} in {_checklists(groups)}."]
    return "\n".join(fit(line) for line in lines) + "\n"


def _checklists(groups: list[ChecklistFindings]) -> str:
    return f"{len(groups)} checklist{'s' if len(groups) != 1 else ''}"


def _grade_counts(findings: list[Finding]) -> str:
    counts: dict[str, int] = {}
    for finding in findings:
        grade = finding.record.grade or "ungraded"
        counts[grade] = counts.get(grade, 0) + 1
    if not counts or list(counts) == ["ungraded"]:
        return ""
    return " (" + ", ".join(f"{counts[g]} {g}" for g in (*GRADES, "ungraded") if g in counts) + ")"


def _finding_lines(finding: Finding) -> list[str]:
    record = finding.record
    head = f"  {printable(record.item_id)}"
    if record.clause:
        head += f"  clause {truncate(printable(record.clause), 16)}"
    if record.grade:
        head += f"  {GRADE_LABELS.get(record.grade, record.grade)}"
    if finding.streak > 1:
        head += f"  !! failed {finding.streak} audits in a row (since {when(finding.since)[:10]})"
    elif finding.previous is not None:
        head += "  new since the last audit"
    lines = [head, "    " + truncate(printable(record.prompt), WIDTH - 4)]
    if record.note:
        wrapped = wrap(printable(record.note), WIDTH - 10)
        lines.append("    note: " + wrapped[0])
        lines += ["          " + line for line in wrapped[1:]]
    else:
        lines.append("    (no note)")
    return lines
