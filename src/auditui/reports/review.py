"""The management review's inputs (ISO 9001, 9.3.2) drawn from the sessions and findings.

`gather_review` collects, for the period since `--since` (default: the latest finished
management-review session, else everything): the audits held and their scores; the
findings raised, closed, open and overdue (majors and repeats first); the trend of every
checklist; and the open actions of the previous management review (its failed items).
`to_document` is the TOML form; `review_render` lays the same out as HTML and Markdown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from auditui.finding_records import FindingRecords
from auditui.findings import Finding, build_register
from auditui.findings_output import finding_table
from auditui.session import ItemRecord, Session, Summary
from auditui.store import Unreadable
from auditui.timeutil import now
from auditui.trend import Trend, build_trend

if TYPE_CHECKING:
    from auditui.repository import SessionRepository

REVIEW_KIND = "management-review"


@dataclass
class ReviewPack:
    made: datetime
    since: datetime | None
    """Sessions started at or after this count as held in the period; None: every one."""
    since_from: str
    """Where `since` comes from: `--since`, `management-review` (its session) or `everything`."""
    audits: list[tuple[Session, Summary]]
    """The sessions held in the period, oldest first (management reviews excepted)."""
    raised: list[Finding]
    closed: list[Finding]
    open: list[Finding]
    overdue: list[Finding]
    trends: list[Trend]
    previous_review: Session | None
    previous_open: list[ItemRecord]
    """The failed items of the previous management review: its actions still to report on."""
    today: date

    def repeat(self, finding: Finding) -> bool:
        return finding.streak > 1


def worst_first(finding: Finding) -> tuple:
    """Majors first, then repeats (failed in more than one session in a row), then by age."""
    raised = finding.raised.timestamp() if finding.raised is not None else float("inf")
    return (finding.grade != "major", finding.streak <= 1, raised, finding.id)


def latest_review(sessions: list[Session]) -> Session | None:
    """The latest finished management-review session (by when it was finished)."""
    reviews = [s for s in sessions if s.kind == REVIEW_KIND and s.finished is not None]
    return max(reviews, key=lambda s: (s.finished, s.id), default=None)


def gather_review(
    store: SessionRepository,
    since: date | None = None,
    *,
    today: date | None = None,
    on_error: Callable[[str], None] | None = None,
) -> ReviewPack:
    """The review pack of the sessions folder of `store`."""

    def unreadable(item: Unreadable) -> None:
        if on_error is not None:
            on_error(f"{item.error} (left out)")

    made = now()
    today = today or made.date()
    sessions = store.list_sessions(on_error=unreadable)
    previous = latest_review(sessions)
    if since is not None:
        start: datetime | None = datetime.combine(since, time(0), made.tzinfo)
        since_from = "--since"
    elif previous is not None:
        start, since_from = previous.finished, REVIEW_KIND
    else:
        start, since_from = None, "everything"

    def in_period(stamp: datetime | None) -> bool:
        return stamp is not None and (start is None or stamp >= start)

    audits = [
        (session, session.summary())
        for session in sessions
        if in_period(session.started) and session.kind != REVIEW_KIND
    ]
    actions = FindingRecords(store.folder).load_all(
        on_error=lambda broken: on_error and on_error(f"{broken.error} (left out)")
    )
    # The reviews' own failed items are their actions, listed apart (`previous_open`).
    reviews = {s.checklist_id for s in sessions if s.kind == REVIEW_KIND}
    register = [
        f
        for f in build_register(sessions, actions)
        if not f.orphaned and f.checklist_id not in reviews
    ]
    register.sort(key=worst_first)
    checklists = sorted({s.checklist_id for s in sessions} - reviews)
    trends = [build_trend(checklist_id, sessions) for checklist_id in checklists]
    previous_open = []
    if previous is not None:
        previous_open = [r for r in previous.scoped_records() if r.result == "fail"]
    return ReviewPack(
        made=made,
        since=start,
        since_from=since_from,
        audits=audits,
        raised=[f for f in register if in_period(f.raised)],
        closed=[f for f in register if not f.is_open and in_period(f.closed)],
        open=[f for f in register if f.is_open],
        overdue=[f for f in register if f.overdue(today)],
        trends=trends,
        previous_review=previous,
        previous_open=previous_open,
        today=today,
    )


def grade_counts(records: list[ItemRecord]) -> dict[str, int]:
    counts = {"major": 0, "minor": 0}
    for record in records:
        if record.result == "fail" and record.grade in counts:
            counts[record.grade] += 1
    return counts


def to_document(pack: ReviewPack) -> dict[str, Any]:
    """`review-pack --format toml`."""
    head: dict[str, Any] = {"made": pack.made, "since_from": pack.since_from}
    if pack.since is not None:
        head["since"] = pack.since
    if pack.previous_review is not None:
        head["previous_review"] = pack.previous_review.id
    head |= {
        "audits": len(pack.audits),
        "findings_raised": len(pack.raised),
        "findings_closed": len(pack.closed),
        "findings_open": len(pack.open),
        "findings_overdue": len(pack.overdue),
    }
    audits = []
    for session, summary in pack.audits:
        table: dict[str, Any] = {
            "session_id": session.id,
            "checklist_id": session.checklist_id,
            "checklist_title": session.checklist_title,
            "kind": session.kind,
            "title": session.title,
            "auditor": session.auditor,
            "auditee": session.auditee,
            "started": session.started,
        }
        if session.finished is not None:
            table["finished"] = session.finished
        table |= summary.as_dict()
        table |= grade_counts(session.scoped_records())
        audits.append(table)
    trends = [
        {
            "checklist_id": trend.checklist_id,
            "title": trend.title,
            "points": [
                {
                    "session_id": p.session.id,
                    "started": p.session.started,
                    "score": p.summary.saved_score,
                }
                for p in trend.points
            ],
        }
        for trend in pack.trends
    ]
    previous_open = [
        {k: v for k, v in (
            ("item_id", r.item_id), ("clause", r.clause), ("prompt", r.prompt),
            ("grade", r.grade), ("note", r.note),
        ) if v is not None}  # fmt: skip
        for r in pack.previous_open
    ]
    return {
        "review_pack": head,
        "audits": audits,
        "findings_open": [finding_table(f, pack.today) for f in pack.open],
        "findings_raised": [finding_table(f, pack.today) for f in pack.raised],
        "findings_closed": [finding_table(f, pack.today) for f in pack.closed],
        "findings_overdue": [finding_table(f, pack.today) for f in pack.overdue],
        "trends": trends,
        "previous_review_open": previous_open,
    }
