"""The management review's inputs (ISO 9001, 9.3.2) drawn from the sessions and findings.

`gather_review` collects, for the period since `--since` (default: the latest finished
management-review session, else everything): the audits held and their scores; the
findings raised, closed, open and overdue (majors and repeats first); the trend of every
checklist; and the open actions of the previous management review (its failed items).
With `for_last_review`, the pack of the latest finished review as it stood when that review
was held: the sessions up to then, from the review before it, and each corrective action's
status, closing and due date as they stood then (`as_it_stood`).
`to_document` is the TOML form; `review_render` lays the same out as HTML and Markdown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from auditui.errors import AudituiError
from auditui.finding_records import ActionRecord, FindingRecords
from auditui.findings import Finding, build_register
from auditui.findings_output import finding_table
from auditui.session import ItemRecord, Session, Summary
from auditui.store import Unreadable
from auditui.textwidth import in_number_order
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
    previous_findings: dict[str, Finding] = field(default_factory=dict)
    """The finding of each of those items, by item id: its action's status, owner, due."""
    seal_broken: set[str] = field(default_factory=set)
    """The finished sessions changed by hand since they were sealed: shown as such."""
    improvements: list[tuple[Session, ItemRecord]] = field(default_factory=list)
    """Observations and opportunities for improvement the audits in the period noted on
    items that did not fail (9.3.2 f): a fail so graded is a finding, listed with them."""
    for_review: Session | None = None
    """The finished management review the pack is made for (`--for-last-review`): the
    pack it would have had before it was held, its actions as they stood then (their
    owners and texts as set last)."""
    review_open: list[Finding] = field(default_factory=list)
    """Other findings of management reviews still open (an earlier review's actions the
    previous one did not fail again, one in progress): 9.3.2 a asks for the status of
    actions from previous reviews, all of them."""

    def action_state(self, record: ItemRecord) -> tuple[str, str, date | None, bool]:
        """(status, owner, due, overdue) of a failed item of the previous review: its
        finding's, as the register has it ("" and None when it has none)."""
        finding = self.previous_findings.get(record.item_id)
        if finding is None:
            return "", "", None, False
        action = finding.action
        owner = (action.owner if action else "") or ""
        return str(finding.status), owner, finding.due(), finding.overdue(self.today)

    @property
    def review_actions_open(self) -> int:
        """The management reviews' own actions still open, counted apart from the
        register's findings (`open`), as the pack lists them."""
        findings = (self.previous_findings.get(record.item_id) for record in self.previous_open)
        return len(self.review_open) + sum(1 for f in findings if f is not None and f.is_open)

    @property
    def review_actions_overdue(self) -> int:
        """How many of `overdue` are management reviews' actions (not in `open`)."""
        register = {id(finding) for finding in self.open}
        return sum(1 for finding in self.overdue if id(finding) not in register)


def worst_first(finding: Finding) -> tuple:
    """Majors first, then repeats (failed in more than one session in a row, or came back
    after it was closed: the Repeat column's two words), then by age."""
    raised = finding.raised.timestamp() if finding.raised is not None else float("inf")
    repeat = finding.streak > 1 or finding.follows is not None
    return (finding.grade != "major", not repeat, raised, in_number_order(finding.id))


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
    for_last_review: bool = False,
) -> ReviewPack:
    """The review pack of the sessions folder of `store`; with `for_last_review`, the
    pack of the latest finished management review: its period starts at the review
    before it, as if it had not been held yet (a pack made right after a review held in
    auditui was empty)."""

    def unreadable(item: Unreadable) -> None:
        if on_error is not None:
            on_error(item.message)

    made = now()
    today = today or made.date()
    sessions = store.list_sessions(on_error=unreadable)
    from auditui.store import seal_broken_notice

    # Whether each seal still holds, from the index (a hash of every finished session
    # otherwise): said once each, and shown in the pack.
    broken = {digest.id for _, digest in store.digests() if digest.seal_broken}
    for session in sessions:
        if session.id in broken and session.path is not None:
            unreadable(Unreadable(session.path, seal_broken_notice(session.path, session.id),
                                  listed=True))  # fmt: skip
    previous = latest_review(sessions)
    for_review = previous if for_last_review else None
    if for_last_review and for_review is None:
        raise AudituiError(
            "no management review has been finished yet, so there is no last review to make "
            "the pack of (without --for-last-review: the pack of everything recorded)"
        )
    until: datetime | None = None
    if for_review is not None:
        # The history as it stood when that review was held: what came after is the next
        # review's (corrective actions too: `as_it_stood`).
        until = for_review.started
        sessions = [s for s in sessions if s.started < until]
        previous = latest_review(sessions)
        today = until.date()  # overdue as it was that day
    if since is not None:
        start: datetime | None = datetime.combine(since, time(0), made.tzinfo)
        since_from = "--since"
    elif previous is not None:
        # From when it was held: an audit between the review and its signing (finished)
        # was not before that review, and must be before the next one.
        start, since_from = previous.started, REVIEW_KIND
    else:
        start, since_from = None, "everything"

    def in_period(stamp: datetime | None) -> bool:
        if stamp is None or (until is not None and stamp >= until):
            return False
        if since is not None:  # by the day as the stamp has it, as every list dates it
            return stamp.date() >= since
        return start is None or stamp >= start

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
    if until is not None:  # the actions as they stood then, before the register joins
        actions = {key: as_it_stood(record, until) for key, record in actions.items()}
    whole = [f for f in build_register(sessions, actions) if not f.orphaned]
    register = [f for f in whole if f.checklist_id not in reviews]
    register.sort(key=worst_first)
    checklists = sorted({s.checklist_id for s in sessions} - reviews)
    trends = [build_trend(checklist_id, sessions) for checklist_id in checklists]
    previous_open = []
    previous_findings: dict[str, Finding] = {}
    if previous is not None:
        previous_open = [r for r in previous.scoped_records() if r.result == "fail"]
        # Each failed item's finding as it stands now: the latest raised by that review
        # or before it (the review may have failed the item again).
        for finding in sorted(whole, key=lambda f: f.raised or previous.started):
            if finding.checklist_id == previous.checklist_id and (
                finding.raised is None or finding.raised <= previous.started
            ):
                previous_findings[finding.item_id] = finding
    # The previous review's table shows the findings of the items it failed; the rest of
    # the reviews' open findings are listed after it.
    shown = {id(previous_findings[r.item_id]) for r in previous_open
             if r.item_id in previous_findings}  # fmt: skip
    review_open = [
        f for f in whole if f.checklist_id in reviews and f.is_open and id(f) not in shown
    ]
    review_open.sort(key=worst_first)
    # An action of a review past its date is overdue as any other (each counted once).
    overdue = [f for f in register if f.overdue(today)]
    overdue += [f for f in previous_findings.values() if f.overdue(today)]
    counted = {id(f) for f in overdue}
    overdue += [f for f in review_open if f.overdue(today) and id(f) not in counted]
    return ReviewPack(
        made=made,
        since=start,
        since_from=since_from,
        audits=audits,
        # Raised when the fail was recorded: an audit started before the period may fail
        # an item in it (the pack made before could not list it).
        raised=[f for f in register if in_period(f.first_recorded or f.raised)],
        closed=[f for f in register if not f.is_open and in_period(f.closed)],
        open=[f for f in register if f.is_open],
        overdue=overdue,
        trends=trends,
        previous_review=previous,
        previous_open=previous_open,
        today=today,
        previous_findings=previous_findings,
        review_open=review_open,
        seal_broken=broken,
        for_review=for_review,
        improvements=[
            (session, record)
            for session, _ in audits
            for record in session.scoped_records()
            if record.is_remark
        ],
    )


def as_it_stood(record: ActionRecord, until: datetime) -> ActionRecord:
    """A corrective action as it stood before `until`, for the register to be built from
    (so that "done", "not effective", closed and overdue are worked out as of then): its
    status from its history (a status with no stamp, typed by hand, as it is), a closing
    by hand made since undone, and a due date set since taken out (what it was before is
    not kept). The pack of a review held then showed "Done" for an action marked done
    weeks after it. Owner and the texts are those set last: a record keeps no earlier
    values of them."""
    from dataclasses import replace

    from auditui.finding_records import status_set

    changed = dict(record.changed)
    status = record.status
    if "status" in changed:  # else typed by hand, with no stamp: as it is
        then = status_set(record, lambda at: at < until)
        status = then[1] if then else None
        if then:  # when it was set: "done" then, and a fail after it, is "not effective"
            changed["status"] = then[0]
        else:
            changed.pop("status")
    due = record.due
    if "due" in changed and changed["due"] >= until:
        due = None
        changed.pop("due")
    closed = record.closed if record.closed is not None and record.closed < until else None
    return replace(
        record,
        status=status,
        due=due,
        changed=changed,
        closed=closed,
        closed_reason=record.closed_reason if closed else None,
        closed_by=record.closed_by if closed else None,
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
    if pack.for_review is not None:
        head["for_review"] = pack.for_review.id
    head |= {
        "audits": len(pack.audits),
        "findings_raised": len(pack.raised),
        "findings_closed": len(pack.closed),
        "findings_open": len(pack.open),
        "findings_overdue": len(pack.overdue),
        # Counted apart from findings_open, and among findings_overdue: as the text says.
        "review_actions_open": pack.review_actions_open,
        "review_actions_overdue": pack.review_actions_overdue,
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
    previous_open = []
    for r in pack.previous_open:
        status, owner, due, overdue = pack.action_state(r)
        previous_open.append({k: v for k, v in (
            ("item_id", r.item_id), ("clause", r.clause), ("prompt", r.prompt),
            ("grade", r.grade), ("note", r.note), ("status", status or None),
            ("owner", owner or None), ("due", due), ("overdue", overdue if status else None),
        ) if v is not None})  # fmt: skip

    def tables(findings: list[Finding]) -> list[dict[str, Any]]:
        """SPEC's finding tables, each with `first_failed` when its fail was recorded
        after its session started: the date the pack counts it raised on (`raised`, the
        session's start, may lie before the period)."""
        made = []
        for finding in findings:
            table = finding_table(finding, pack.today)
            if finding.first_recorded is not None and finding.first_recorded != finding.raised:
                table["first_failed"] = finding.first_recorded
            made.append(table)
        return made

    return {
        "review_pack": head,
        "audits": audits,
        "findings_open": tables(pack.open),
        "findings_raised": tables(pack.raised),
        "findings_closed": tables(pack.closed),
        "findings_overdue": tables(pack.overdue),
        "trends": trends,
        "previous_review_open": previous_open,
        "review_actions_open": tables(pack.review_open),
        "improvements": [
            {k: v for k, v in (
                ("session_id", session.id), ("item_id", r.item_id), ("clause", r.clause),
                ("prompt", r.prompt), ("grade", r.grade), ("note", r.note),
            ) if v is not None}  # fmt: skip
            for session, r in pack.improvements
        ],
    }
