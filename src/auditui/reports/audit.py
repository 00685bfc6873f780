"""What an audit report holds (ISO 19011, 6.5.1), gathered once for every format.

`build_report` takes a session, the previous session of its checklist (if any) and the
corrective actions recorded for its findings, and returns plain data: the audit's
details, the summary against the previous session, the findings, the observations and
opportunities for improvement, the conclusion and sign-off, and every result. The HTML
and Markdown renderers only lay this out, so both always say the same thing.

Scope, finishing (conclusion, sign-off, seal) and the session's language are read
through `head_value`, from the session's attribute when it has one, else from the
`[session]` keys the file carries, so a report reads them from any version's file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from auditui.compare import compare_sessions, section_groups
from auditui.session import ItemRecord, Session, Summary

IN_REPORT = ("pass", "fail", "na", "unanswered")
"""Results counted in a report; anything else (`out-of-scope`) is outside the audit."""

FINDING_ORDER = {"major": 0, "minor": 1, None: 2, "observation": 3, "ofi": 4}
"""Findings are listed majors first, then minors, then ungraded, in checklist order."""

RESULT_LABELS = {
    "pass": "Pass",
    "fail": "Fail",
    "na": "N/A",
    "unanswered": "Not answered",
    "out-of-scope": "Out of scope",
}
GRADE_LABELS = {
    "major": "Major nonconformity",
    "minor": "Minor nonconformity",
    "observation": "Observation",
    "ofi": "Opportunity for improvement",
}
ACTION_STATUS_LABELS = {
    "open": "Open: no action taken yet",
    "action": "Action under way",
    "done": "Action done",
    "closed": "Closed",
}


def head_value(session: Session, key: str, default: Any = None) -> Any:
    """A session fact by SPEC name: the attribute when this version has it, else the key
    kept from the file's `[session]` table, else `default`."""
    value = getattr(session, key, None)
    if value is None or value == "" or value == [] or value == ():
        value = session.extra.get("session", {}).get(key)
    return default if value is None else value


@dataclass(frozen=True, slots=True)
class CorrectiveAction:
    """What people recorded against a finding in the findings register."""

    status: str = "open"
    owner: str = ""
    due: date | None = None
    cause: str = ""
    action: str = ""
    overdue: bool = False
    closed_reason: str = ""
    finding_id: str = ""


@dataclass(frozen=True, slots=True)
class FindingEntry:
    """A failed item of the audit, with what was done about it."""

    record: ItemRecord
    repeat: bool
    """Failed in the previous session of the checklist too."""
    action: CorrectiveAction | None


@dataclass(frozen=True, slots=True)
class SectionRow:
    section_id: str
    title: str
    summary: Summary
    previous: Summary | None
    """The same section in the previous session; None when there is none or it lacked it."""


@dataclass(frozen=True, slots=True)
class Reopening:
    at: datetime | None
    reason: str


@dataclass
class AuditReport:
    session: Session
    previous: Session | None
    summary: Summary
    previous_summary: Summary | None
    sections: list[SectionRow]
    changes: dict[str, int] | None
    """improved / regressed / changed / added / removed counts against the previous session."""
    findings: list[FindingEntry]
    remarks: list[ItemRecord]
    """Observations and opportunities for improvement on items that did not fail."""
    appendix: list[tuple[str, str, list[ItemRecord]]]
    """Every in-scope item by section: (section id, title, records)."""
    scope: list[tuple[str, str]]
    """The sections audited, (id, title); every section when the whole checklist was."""
    whole_checklist: bool
    out_of_scope: int
    language: str = ""
    finished: datetime | None = None
    conclusion: str = ""
    signed_by: list[str] = field(default_factory=list)
    seal: str = ""
    reopened: list[Reopening] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.session.display_title

    @property
    def team(self) -> str:
        return self.session.auditor


def build_report(
    session: Session,
    previous: Session | None = None,
    actions: Mapping[str, CorrectiveAction] | None = None,
) -> AuditReport:
    """The report of `session`; `previous` is the session before it of the same checklist,
    `actions` the corrective actions of its findings by item id."""
    actions = actions or {}
    scope_ids = [str(s) for s in head_value(session, "scope", []) if isinstance(s, str)]
    groups = section_groups(session)
    appendix: list[tuple[str, str, list[ItemRecord]]] = []
    out_of_scope = 0
    for section_id, (title, records) in groups.items():
        if scope_ids and section_id not in scope_ids:
            out_of_scope += len(records)
            continue
        kept = [record for record in records if record.result in IN_REPORT]
        out_of_scope += len(records) - len(kept)
        if kept:
            appendix.append((section_id, title, kept))
    in_scope = [record for _, _, records in appendix for record in records]

    previous_groups = section_groups(previous) if previous is not None else {}
    sections = [
        SectionRow(
            section_id,
            title,
            Summary.of(records),
            _previous_section(previous_groups, section_id),
        )
        for section_id, title, records in appendix
    ]
    previous_summary = None
    changes = None
    if previous is not None:
        previous_summary = Summary.of(
            [
                record
                for section_id, (_, records) in previous_groups.items()
                if section_id in groups and (not scope_ids or section_id in scope_ids)
                for record in records
                if record.result in IN_REPORT
            ]
        )
        changes = _changes(previous, session, {r.item_id for r in in_scope})

    findings = [
        FindingEntry(record, _failed_in(previous, record.item_id), actions.get(record.item_id))
        for record in in_scope
        if record.result == "fail"
    ]
    findings.sort(key=lambda entry: FINDING_ORDER.get(entry.record.grade, 2))
    remarks = [
        record
        for record in in_scope
        if record.result != "fail" and record.grade in ("observation", "ofi")
    ]
    remarks.sort(key=lambda record: FINDING_ORDER[record.grade])

    titles = {section_id: title for section_id, (title, _) in groups.items()}
    scope = [(s, titles.get(s, "")) for s in scope_ids] if scope_ids else list(titles.items())
    finished = head_value(session, "finished")
    return AuditReport(
        session=session,
        previous=previous,
        summary=Summary.of(in_scope),
        previous_summary=previous_summary,
        sections=sections,
        changes=changes,
        findings=findings,
        remarks=remarks,
        appendix=appendix,
        scope=scope,
        whole_checklist=not scope_ids,
        out_of_scope=out_of_scope,
        language=str(head_value(session, "language", "")),
        finished=finished if isinstance(finished, datetime) else None,
        conclusion=str(head_value(session, "conclusion", "")),
        signed_by=[str(name) for name in head_value(session, "signed_by", [])],
        seal=str(head_value(session, "seal", "")),
        reopened=_reopenings(head_value(session, "reopened", [])),
    )


def _previous_section(groups: dict[str, tuple[str, list[ItemRecord]]], section_id: str):
    group = groups.get(section_id)
    if group is None:
        return None
    return Summary.of([record for record in group[1] if record.result in IN_REPORT])


def _failed_in(previous: Session | None, item_id: str) -> bool:
    return (
        previous is not None
        and item_id in previous.index
        and previous.record(item_id).result == "fail"
    )


def _changes(previous: Session, session: Session, in_scope: set[str]) -> dict[str, int]:
    counts = dict.fromkeys(("improved", "regressed", "changed", "added", "removed"), 0)
    for item in compare_sessions(previous, session).items:
        if item.change in counts and (item.change == "removed" or item.item_id in in_scope):
            counts[item.change] += 1
    return counts


def _reopenings(entries: Any) -> list[Reopening]:
    found = []
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict):
            at = entry.get("at")
            found.append(
                Reopening(at if isinstance(at, datetime) else None, str(entry.get("reason", "")))
            )
        else:
            at = getattr(entry, "at", None)
            found.append(Reopening(at, str(getattr(entry, "reason", ""))))
    return found
