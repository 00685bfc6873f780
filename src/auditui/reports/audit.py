"""What an audit report holds (ISO 19011, 6.5.1), gathered once for every format.

`build_report` takes a session, the previous session of its checklist (if any) and the
corrective actions recorded for its findings, and returns plain data: the audit's
details, the summary against the previous session, the findings, the observations and
opportunities for improvement, the conclusion and sign-off, and every result. The HTML
and Markdown renderers only lay this out, so both always say the same thing.

Items outside the session's scope are left out of every part (they are counted, and the
appendix says how many). The session's language is read through `head_value`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from auditui.compare import compare_sessions, section_groups
from auditui.session import ItemRecord, Session, Summary

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
    """A session fact by SPEC name: the attribute when the session has it, else the key
    kept from the file's `[session]` table (written by a newer version), else `default`."""
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
    in_scope = session.scoped_records()
    groups = section_groups(session)
    appendix = [(section_id, title, records) for section_id, (title, records) in groups.items()]

    previous_groups = section_groups(previous) if previous is not None else {}
    sections = []
    for section_id, title, records in appendix:
        before = previous_groups.get(section_id)
        sections.append(
            SectionRow(
                section_id,
                title,
                Summary.of(records),
                Summary.of(before[1]) if before is not None else None,
            )
        )
    previous_summary = None
    changes = None
    if previous is not None:
        # Like for like: the previous session's results in the sections this one audits.
        previous_summary = Summary.of(
            [r for sid, (_, records) in previous_groups.items() if sid in groups for r in records]
        )
        changes = compare_sessions(previous, session).counts()

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

    titles = {section_id: title for section_id, title, _ in session.sections()}
    scope = [(section_id, titles.get(section_id, "")) for section_id in session.scope]
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
        scope=scope or list(titles.items()),
        whole_checklist=not session.scope,
        out_of_scope=len(session.records) - len(in_scope),
        language=str(head_value(session, "language", "")),
        finished=session.finished,
        conclusion=session.conclusion,
        signed_by=list(session.signed_by),
        seal=session.seal,
        reopened=[Reopening(at, reason) for at, reason in session.reopened],
    )


def _failed_in(previous: Session | None, item_id: str) -> bool:
    return (
        previous is not None
        and item_id in previous.index
        and previous.record(item_id).result == "fail"
    )
