"""The findings register: every failed item, tracked until a later session passes it.

A finding is raised by the first session (by `started`) that fails an item while no
finding of that item (same checklist id and item id) is open; its id is
`<session id>/<item id>`. A later fail adds to it (`last_failed_in`, `streak`); `na`,
`unanswered`, an item out of the session's scope or absent from its checklist version
leave it as it is. A later pass closes it (`closed_in`), and so does a person, with a
reason (kept with the corrective action, see `finding_records.py`); a fail after that
raises a new one.

The register is worked out from the sessions each time, reading them one at a time in
order (`ordered_sessions`): memory holds the findings and one small state per item,
never every session. `streak` counts the sessions in a row, among those that answered
the item (pass, fail or n/a: SPEC's "answered"), that failed it, up to the finding's
latest fail.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from auditui.errors import AudituiError
from auditui.finding_records import (
    ActionRecord,
    BrokenRecord,
    FindingRecords,
    aliases_of,
    newer_of_each,
    split_id,
    status_set,
)
from auditui.session import ItemRecord, Session, listed_order
from auditui.session_index import Digest
from auditui.spill import sorted_spilling
from auditui.store import Head, SealBrokenNotice, Unreadable, read_session
from auditui.textwidth import in_number_order, some_of

if TYPE_CHECKING:
    from auditui.checklist import Checklist
    from auditui.repository import SessionRepository


@dataclass(slots=True)
class Finding:
    """One finding as the sessions and its corrective action record say."""

    id: str
    item_id: str
    raised_in: str
    checklist_id: str = ""
    checklist_title: str = ""
    raised: datetime | None = None
    first_recorded: datetime | None = None
    """When the fail that raised it was recorded (None: not known). `raised` is its
    session's start (SPEC); an audit under way for days raises findings after that."""
    last_failed_in: str = ""
    last_failed: datetime | None = None
    last_failed_recorded: datetime | None = None
    """When the fail of `last_failed_in` was recorded (None: not known)."""
    record: ItemRecord | None = None
    """The item as the latest session that failed it has it: prompt, clause, grade, note."""
    streak: int = 0
    closed_in: str | None = None
    """The later session that passed the item."""
    closed: datetime | None = None
    """When it was closed: the start of `closed_in`, or when a person closed it."""
    action: ActionRecord | None = None
    action_id: str = ""
    """Where its corrective action is kept when not under its own id: a session older than
    the one that raised it arrived later (a sync, an import) and now raises it, so the
    action recorded under the first id stays with the finding."""
    joined: list[str] = field(default_factory=list)
    """Ids of the other corrective-action records `action` takes fields from
    (`newer_of_each`, `RegisterBuilder._take`): a merged audit's parts' (typed where the
    merge had not arrived yet), a later fail's, an id a record keeps (`known_as`).
    Writes go to `record_id`; what is shown joins them all (`joined_action`)."""
    orphaned: bool = False
    """A corrective action whose finding no session shows any more (its session deleted)."""
    answer_changed: bool = False
    """Orphaned though its session is here: the session no longer fails the item (its
    answer was changed since, or a sync kept another laptop's newer answer)."""
    session_unreadable: bool = False
    """Orphaned because the session that raised it is there but cannot be read (a hand
    edit gone wrong): mended, the finding comes back with its history."""
    not_effective_in: str | None = None
    """The first session that failed the item after its corrective action was marked
    done: the action did not work (ISO 9001 10.2.1 d), so the finding is open again."""
    not_in_checklist_version: str | None = None
    """Set by `mark_items_not_in_checklist`: the version of its checklist at hand, which
    has no such item (dropped or renamed), so no audit with it can close the finding."""
    follows: Finding | None = None
    """The item's earlier finding, closed (a pass, or by hand) before this one was raised:
    the nonconformity came back, which the review must see (ISO 9001 10.2.1 a, 9.3.2)."""
    known_as: set[str] = field(default_factory=set)
    """Other ids it has had, still accepted by `resolve`: `<session>/<item>` of each later
    session that failed the item (one raised it before an older session arrived by sync or
    import) and of each session `auditui merge` joined into one that raised it."""

    @property
    def is_open(self) -> bool:
        return self.closed is None

    @property
    def record_id(self) -> str:
        """The id its corrective action is kept (and updated) under."""
        return self.action_id or self.id

    @property
    def aliases(self) -> list[str]:
        """Its ids other than the one its action is kept under: saved with the action
        (`finding_records.ALIASES`), so that it is found again from any of them."""
        return sorted({self.id, *self.known_as} - {self.record_id})

    @property
    def closed_by_hand(self) -> bool:
        return self.closed is not None and self.closed_in is None

    @property
    def grade(self) -> str | None:
        return self.record.grade if self.record is not None else None

    @property
    def status(self) -> str:
        if not self.is_open:
            return "closed"
        typed = (self.action.status if self.action else None) or "open"
        return "open" if typed == "done" and self.not_effective_in else typed

    def due(self) -> date | None:
        return self.action.due if self.action else None

    def overdue(self, today: date) -> bool:
        due = self.due()
        return due is not None and due < today and self.status not in ("done", "closed")

    def age_days(self, today: date) -> int | None:
        if self.raised is None:
            return None
        # A session started later today in another time zone (or by a clock a little
        # ahead) is not -1 days old.
        return max(0, (today - self.raised.date()).days)


def _check_effective(
    finding: Finding, session: Session | Digest, recorded: datetime | None
) -> None:
    """A fail after the corrective action was marked done (before this session started,
    or before the fail was recorded in an audit under way) shows the action did not work;
    marked done again after it, the finding is done again. The first such fail is the one
    that found it: the fails after it, with no "done" between, find nothing new (a repeat
    read as a second action that did not work, named in the latest session)."""
    after = failed_after_done(finding, session.started, recorded)
    finding.not_effective_in = (finding.not_effective_in or session.id) if after else None


def failed_after_done(finding: Finding, started: datetime, recorded: datetime | None) -> bool:
    """Whether a fail in a session started at `started` (recorded at `recorded`) came
    after the finding's corrective action was marked done: the action did not work."""
    action = finding.action
    done = action.changed.get("status") if action and action.status == "done" else None
    return done is not None and came_after(done, started, recorded)


def done_when_failed(
    finding: Finding,
    started: datetime,
    recorded: datetime | None,
    previous_fail: tuple[datetime, datetime | None] | None = None,
) -> bool:
    """Whether the corrective action stood marked done when a session started at
    `started` failed the item (at `recorded`): not effective, as that audit found it,
    whatever was done since (marked done again after a second fix). With `previous_fail`
    (the start of the session that failed the item before, and when that fail was
    recorded): only when marked done after that fail. A fail after it with no new "done"
    is a repeat of a finding whose action is known not to have worked, not a second
    action that did not."""
    action = finding.action
    if action is None:
        return False
    then = status_set(action, lambda at: came_after(at, started, recorded))
    if then is None or then[1] != "done":
        return False
    return previous_fail is None or not came_after(then[0], *previous_fail)


def recurrence_words(finding: Finding) -> str:
    """`finding s1/4.1-a was closed 2026-05-20 (passed in s2)`: the earlier finding a
    finding follows, and how it was closed; "" when it follows none."""
    earlier = finding.follows
    if earlier is None:
        return ""
    when = f" {earlier.closed:%Y-%m-%d}" if earlier.closed is not None else ""
    if earlier.closed_in is not None:
        how = f"passed in {earlier.closed_in}"
    else:
        reason = earlier.action.closed_reason if earlier.action is not None else None
        how = f"by hand: {reason}" if reason else "by hand"
    return f"finding {earlier.id} was closed{when} ({how})"


def mark_items_not_in_checklist(
    findings: Iterable[Finding], checklist_at_hand: Callable[[str], Checklist | None]
) -> None:
    """Set `not_in_checklist_version` on each open finding whose item the checklist at
    hand (`checklist_at_hand(id)`, None when it is not here) does not have: it would stay
    open for ever unless a person closes it by hand. The register says so where the
    finding is read, as `compare` and the report do for the audit they show."""
    checklists: dict[str, Checklist | None] = {}
    for finding in findings:
        if not finding.is_open or finding.orphaned or not finding.checklist_id:
            continue
        if finding.checklist_id not in checklists:
            checklists[finding.checklist_id] = checklist_at_hand(finding.checklist_id)
        checklist = checklists[finding.checklist_id]
        if checklist is not None and finding.item_id not in checklist.item_index:
            finding.not_in_checklist_version = checklist.version


def not_in_checklist_words(finding: Finding, close: str = "") -> str:
    """What to do about a finding `mark_items_not_in_checklist` marked ("" otherwise);
    `close`: how to close it by hand where it is read (the command, by default)."""
    if finding.not_in_checklist_version is None:
        return ""
    close = close or f"auditui finding {finding.id} --close --reason …"
    return (f"{finding.checklist_id} as it is here (version {finding.not_in_checklist_version})"
            f" has no item {finding.item_id}, so no audit with it can close the finding; if "
            f"the requirement is gone, close it by hand ({close})")  # fmt: skip


def came_after(moment: datetime, started: datetime, recorded: datetime | None) -> bool:
    """Whether what a session recorded at `recorded` (None: not known) came after
    `moment`: the session started after it, or, in an audit under way then, the mark was
    recorded after it. (Times are whole seconds: a mark in the very second of `moment`
    was there to be seen.)"""
    return moment < started or (recorded is not None and recorded > moment)


@dataclass(slots=True)
class _ItemState:
    run: int = 0
    current: Finding | None = None


class RegisterBuilder:
    """Takes sessions oldest first (`listed_order`), one at a time."""

    def __init__(self, actions: dict[str, ActionRecord], *, keep_closed: bool = True) -> None:
        self.actions = actions
        self.keep_closed = keep_closed
        self.findings: dict[str, Finding] = {}
        """By id, in the order raised; closed ones dropped at once unless `keep_closed`, so
        that memory holds the result and one state per item, however many sessions."""
        self._items: dict[tuple[str, str], _ItemState] = {}
        self._used: set[str] = set()
        """The ids of corrective actions whose finding a session raised."""
        self._record_in: dict[str, Path | None] = {}
        """Findings whose latest fail came from a digest: the file to read its record from."""
        self._aliases: dict[str, list[str]] = {}
        """Each other id of a finding that a record keeps (`aliases_of`), with the
        records that keep it."""
        for record_id, record in actions.items():
            for alias in aliases_of(record):
                self._aliases.setdefault(alias, []).append(record_id)
        self._aliases_closed: set[str] = set()
        """Saved ids of findings closed and dropped (`keep_closed` off)."""
        self._named = {split_id(finding_id)[0] for finding_id in actions}
        """The sessions that corrective-action records name."""
        self._checklist_of: dict[str, str] = {}
        """The checklist of each of those read (the others are not kept: memory)."""

    def add(self, session: Session) -> None:
        judged = (
            (record.item_id, record.result, record.recorded)
            for record in session.records
            if record.result in ("pass", "fail", "na") and session.in_scope(record)
        )
        self._add(session, judged, session.record, None)

    def add_digest(self, digest: Digest, path: Path) -> None:
        """`add` from what the index holds of a session (`session_index.py`): the item as
        the session has it (prompt, grade, note) is read from `path` afterwards, by
        `fill_records`, for the findings that need it in the end."""
        self._add(digest, digest.judged, None, path)

    def _add(
        self,
        session: Session | Digest,
        judged: Iterable[tuple[str, str, datetime | None]],
        record_of: Callable[[str], ItemRecord] | None,
        path: Path | None,
    ) -> None:
        sources = session.merged_from
        if session.id in self._named:
            self._checklist_of[session.id] = session.checklist_id
        for item_id, result, recorded in judged:
            key = (session.checklist_id, item_id)
            state = self._items.get(key)
            if state is None:
                state = self._items[key] = _ItemState()
            current = state.current
            if current is not None and current.is_open:
                hand = current.action.closed if current.action else None
                # Closed by hand before this session started; or before this fail was
                # recorded, in an audit under way: a later fail raises a new finding. (Times
                # are whole seconds: a fail in the very second of the closing was there to
                # be seen by whoever closed it.)
                if hand is not None and came_after(
                    hand, session.started, recorded if result == "fail" else None
                ):
                    current.closed = hand
                    self._closed(current)
            if result == "fail" and current is not None and current.is_open:
                # The action recorded under this fail's own id first (it raised the
                # finding here before an older session arrived), then whether the fail
                # came after that action was marked done: adopted after the check, an
                # action that had failed its re-audit read "done" on the other laptop.
                self._adopt_from(current, session, item_id, sources)
                _check_effective(current, session, recorded)
            if result in ("na", "pass"):
                # Answered, so the row of fails is broken (SPEC: `streak` counts the
                # sessions that failed it, ending with the latest that answered it, which
                # is this one): 0, open or closed (by hand before) alike.
                state.run = 0
                if current is not None:
                    current.streak = 0
                if result == "pass" and current is not None and current.is_open:
                    current.closed_in = session.id  # an n/a leaves it open
                    current.closed = session.started
                    self._closed(current)
                continue
            state.run += 1
            if current is None or not current.is_open:
                earlier = current
                current = self._raise(session, item_id, recorded)
                current.follows = earlier
                state.current = current
                self._adopt_from(current, session, item_id, sources)
            current.known_as.update(f"{source}/{item_id}" for source in sources)
            if current.id != f"{session.id}/{item_id}":
                current.known_as.add(f"{session.id}/{item_id}")
            current.last_failed_in = session.id
            current.last_failed = session.started
            current.last_failed_recorded = recorded
            if record_of is not None:
                current.record = record_of(item_id)
                self._record_in.pop(current.id, None)
            else:
                current.record = None
                self._record_in[current.id] = path
            current.checklist_title = session.checklist_title or current.checklist_title
            current.streak = state.run

    def fill_records(
        self,
        on_error: Callable[[Unreadable], None] | None = None,
        only: Iterable[Finding] | None = None,
    ) -> None:
        """Read the item records of the findings added from digests, one read per session
        file (`read_session`: cached), for the findings still in the register (`only`:
        for those of them, the ones a caller shows)."""
        wanted: dict[Path, list[Finding]] = {}
        if only is None:
            chosen = [(fid, self.findings.get(fid)) for fid in self._record_in]
        else:
            chosen = [(finding.id, finding) for finding in only if finding.id in self._record_in]
        for finding_id, finding in chosen:
            path = self._record_in.pop(finding_id)
            if finding is not None and path is not None:
                wanted.setdefault(path, []).append(finding)
        _give_records(wanted, on_error)

    def snapshot(self, findings: Iterable[Finding]) -> list[tuple[Finding, Path | None]]:
        """Copies of `findings` as they stand at this point of the replay, each with the
        file its item record is to be read from (None: it has its record): the sessions
        replayed after this point change the live ones (a later fail's grade and note, a
        later pass's closing), which a report or a compare of this audit must not show
        as this audit's. `fill_snapshots` reads their records."""
        return [
            (
                replace(finding, known_as=set(finding.known_as), joined=list(finding.joined)),
                self._record_in.get(finding.id) if finding.record is None else None,
            )
            for finding in findings
        ]

    def _adopt_from(
        self, finding: Finding, session: Session | Digest, item_id: str, sources: Iterable[str]
    ) -> None:
        """Give `finding`, when it has no corrective action, the one recorded under the id
        this session's fail gave it, or a session joined into this one gave it. One it
        has already takes what such a record set later (`newer_of_each`), else it stood
        apart as an orphan and the item counted twice: typed under this session's id
        where its fail raised the finding before an older session arrived (an earlier
        audit synced late), or under a part's id on a laptop the merge had not reached.
        (A record kept under a session no longer here finds its finding by the ids it
        keeps, `_by_alias`.)"""
        for session_id in (session.id, *sources):
            earlier_id = f"{session_id}/{item_id}"
            if finding.id == earlier_id or earlier_id not in self.actions:
                continue
            if session_id == session.id and earlier_id not in self._used:
                finding.known_as.add(earlier_id)  # `auditui finding` takes the id typed under
            self._take(finding, earlier_id)

    def _take(self, finding: Finding, record_id: str) -> None:
        """Give `finding` the corrective action recorded under `record_id`, another id of
        it: as its action when it has none (writes go there), else joined to the one it
        has, the newer of each field (`newer_of_each`). A record one finding took goes to
        no other."""
        if record_id in self._used or record_id == finding.action_id:
            return
        action = self.actions[record_id]
        if finding.action is None:
            finding.action, finding.action_id = action, record_id
        else:
            finding.action = newer_of_each(finding.action, action)
            finding.joined.append(record_id)
        self._used.add(record_id)

    def _closed(self, finding: Finding) -> None:
        if not self.keep_closed:  # gone from the register: its record is not wanted either
            self.findings.pop(finding.id, None)
            self._record_in.pop(finding.id, None)
            if self._aliases:  # a record that names it is not an orphan (`_by_alias`)
                self._aliases_closed.update(
                    alias for alias in (finding.id, *finding.known_as) if alias in self._aliases
                )

    def _by_alias(self, found: list[Finding]) -> None:
        """Give each record no session's finding took (its session deleted, or merged
        away) to the finding one of its saved ids names (`aliases_of`): the finding of
        the merged audit that replaces the deleted one, or of a part. Only once every
        session is in: a record whose own session is here is that session's (an earlier
        id of it names another finding once a pass between them has come in)."""
        if not self._aliases:
            return
        named: dict[str, Finding] = {}
        for finding in found:
            for alias in (finding.id, *finding.known_as):
                if alias in self._aliases:
                    named.setdefault(alias, finding)
        for record_id, action in sorted(self.actions.items()):
            if record_id in self._used:
                continue
            aliases = aliases_of(action)
            taker = next((named[a] for a in aliases if a in named), None)
            if taker is None:
                if any(alias in self._aliases_closed for alias in aliases):
                    self._used.add(record_id)  # its finding is closed: not listed
                continue
            taker.known_as.add(record_id)
            self._take(taker, record_id)

    def _raise(
        self, session: Session | Digest, item_id: str, recorded: datetime | None = None
    ) -> Finding:
        finding_id = f"{session.id}/{item_id}"
        if finding_id in self.actions:
            self._used.add(finding_id)
        finding = Finding(
            id=finding_id,
            item_id=item_id,
            raised_in=session.id,
            checklist_id=session.checklist_id,
            raised=session.started,
            first_recorded=recorded,
            action=self.actions.get(finding_id),
        )
        self.findings[finding_id] = finding
        return finding

    def current(self, checklist_id: str, item_id: str) -> Finding | None:
        """The latest finding of an item so far (open or closed), None if it never failed."""
        state = self._items.get((checklist_id, item_id))
        return state.current if state is not None else None

    def result(self) -> list[Finding]:
        """Every finding (open ones only unless `keep_closed`), worst first; then the
        corrective actions whose finding no session shows (orphaned)."""
        self._by_alias(list(self.findings.values()))
        found = []
        for finding in self.findings.values():
            if finding.is_open and finding.action is not None and finding.action.closed:
                finding.closed = finding.action.closed
            if finding.is_open or self.keep_closed:
                found.append(finding)
        for finding_id, action in sorted(self.actions.items()):
            if finding_id in self._used:
                continue
            session_id, item_id = split_id(finding_id)
            orphan = Finding(
                id=finding_id,
                item_id=item_id,
                raised_in=session_id,
                checklist_id=self._checklist_of.get(session_id, ""),
                action=action,
                orphaned=True,
                answer_changed=session_id in self._checklist_of,
                closed=action.closed,
            )
            if orphan.is_open or self.keep_closed:
                found.append(orphan)
        found.sort(key=worst_first)
        return found


def worst_first(finding: Finding) -> tuple:
    """Majors first, then by age (oldest raised first); orphans after the rest."""
    raised = finding.raised.timestamp() if finding.raised is not None else float("inf")
    return (finding.orphaned, finding.grade != "major", raised, in_number_order(finding.id))


def build_register(
    sessions: Iterable[Session],
    actions: dict[str, ActionRecord] | None = None,
    *,
    keep_closed: bool = True,
) -> list[Finding]:
    """The register over `sessions` (any order, any checklists)."""
    builder = RegisterBuilder(actions or {}, keep_closed=keep_closed)
    for session in sorted(sessions, key=listed_order):
        builder.add(session)
    return builder.result()


def ordered_heads(
    store: SessionRepository,
    *,
    checklist_id: str | None = None,
    on_error: Callable[[Unreadable], None] | None = None,
    leave_out: str | None = None,
) -> Iterator[Head]:
    """The heads of the sessions (of one checklist, or all) oldest first: one file per
    session id, none from the future, a merged audit once (store.heads, counted.py), only
    the first lines of each file read (or its row in the index). `leave_out`: a session
    id left out. Sorted with memory that does not grow with the history (`spill.py`)."""
    merged_away: set[str] = set()

    def wanted() -> Iterator[Head]:
        for head in store.iter_heads(on_error=on_error):
            merged_away.update(head.merged_from)
            if (checklist_id is None or head.checklist_id == checklist_id) and (
                head.id != leave_out
            ):
                yield head

    # All are taken before the first comes; spilled as plain tuples, quicker to write.
    plain = ((h.started, h.id, str(h.path), h.checklist_id, h.merged_from) for h in wanted())
    for started, session_id, path, checklist, merged in sorted_spilling(plain, key=_first_two):
        if session_id not in merged_away:
            yield Head(Path(path), session_id, checklist, started, merged)


def _first_two(plain: tuple) -> tuple:
    """`session.listed_order` of a head made a tuple in `ordered_heads`."""
    return plain[:2]


def ordered_sessions(
    store: SessionRepository,
    *,
    checklist_id: str | None = None,
    on_error: Callable[[Unreadable], None] | None = None,
    leave_out: str | None = None,
) -> Iterator[Session]:
    """The sessions of `ordered_heads`, read one at a time. `leave_out`: a session id not
    to read at all (the caller has that session in hand)."""
    heads = ordered_heads(store, checklist_id=checklist_id, on_error=on_error, leave_out=leave_out)
    for head in heads:
        try:
            yield read_session(head.path)
        except AudituiError as error:
            if on_error is not None:
                on_error(Unreadable(head.path, error))


def left_out_words(item: Unreadable | BrokenRecord) -> str:
    """What to say of a session or findings file not read, or read with a warning."""
    return item.message if isinstance(item, Unreadable) else f"{item.error} (left out)"


def register_from_store(
    store: SessionRepository,
    records: FindingRecords,
    *,
    checklist_id: str | None = None,
    keep_closed: bool = True,
    on_error: Callable[[str], None] | None = None,
) -> list[Finding]:
    """The register of a sessions folder; every unreadable session or findings file is
    named to `on_error` and left out."""

    not_read: set[str] = set()

    def unreadable(item) -> None:
        if isinstance(item, Unreadable) and not item.listed:
            not_read.add(item.path.stem)
        if on_error is not None:
            on_error(left_out_words(item))

    actions = records.load_all(on_error=unreadable)
    builder = RegisterBuilder(actions, keep_closed=keep_closed)
    # Each session's digest (session_index.py) in order, then the records the findings
    # need.
    heads = ordered_heads(store, checklist_id=checklist_id, on_error=unreadable)
    for path, digest in store.digests_of(heads, on_error=unreadable):
        builder.add_digest(digest, path)
    del heads
    builder.fill_records(on_error=unreadable)
    found = builder.result()
    for finding in found:
        finding.session_unreadable = finding.orphaned and finding.raised_in in not_read
    if checklist_id is not None:
        found = [finding for finding in found if finding.checklist_id == checklist_id]
    return found


def resolve(findings: list[Finding], reference: str) -> Finding:
    """The finding named by its id (or the id its corrective action is kept under, see
    `Finding.action_id`, or an id it had before, `Finding.known_as`), a unique prefix of
    an id, or an item id that only one open finding has; `AudituiError` naming the
    candidates otherwise.

    A blank reference names none: it is the start of every id, and equal to the empty
    `action_id` of most findings, so a script's empty $ID would pick one (closed, even)
    and write to it. Refused as `store.resolve` refuses an empty session."""
    if not reference.strip():
        raise AudituiError(f"no finding '{reference}' (see auditui findings --all)")
    for finding in findings:
        if reference == finding.id or (finding.action_id and reference == finding.action_id):
            return finding
    for finding in findings:  # an id it had before a merge, or before an older session came
        if reference in finding.known_as:
            return finding
    prefixed = [finding for finding in findings if finding.id.startswith(reference)]
    if len(prefixed) == 1:
        return prefixed[0]
    by_item = [f for f in findings if f.item_id == reference and f.is_open]
    if len(by_item) == 1:
        return by_item[0]
    candidates = prefixed or by_item
    if candidates:
        names = some_of([finding.id for finding in candidates])
        raise AudituiError(
            f"'{reference}' matches {len(candidates)} findings ({names}); give more of the id"
        )
    closed = [f.id for f in findings if f.item_id == reference and not f.is_open]
    if closed:  # an item id names only an open finding: say which closed ones there are
        raise AudituiError(
            f"item {reference} has no open finding; closed: {some_of(closed)} (give the id)"
        )
    raise AudituiError(f"no finding '{reference}' (see auditui findings --all)")


def open_by_item(findings: Iterable[Finding], checklist_id: str) -> dict[str, Finding]:
    """The open finding of each item of one checklist, by item id."""
    return {
        finding.item_id: finding
        for finding in findings
        if finding.is_open and finding.checklist_id == checklist_id and not finding.orphaned
    }


def _replay(
    store: SessionRepository,
    records: FindingRecords,
    session: Session,
    on_error: Callable[[str], None] | None,
    leave_out: Collection[str] = (),
) -> Iterator[tuple[str, RegisterBuilder, Session | Digest]]:
    """The sessions of `session`'s checklist replayed in order, `session` itself (as given,
    e.g. the app's copy) in its place whether or not it is in the folder: yields
    ("before", builder, s) and ("after", builder, s) around adding each session s. The
    others come as their digests (`session_index.py`): the items of the findings a caller
    keeps are read afterwards (`_fill`). `leave_out`: ids of sessions not replayed."""

    unreadable = _said(on_error)
    builder = RegisterBuilder(records.load_all(on_error=unreadable))

    def add(current: Session | Digest, path: Path | None) -> Iterator[
        tuple[str, RegisterBuilder, Session | Digest]
    ]:
        yield "before", builder, current
        if path is None:
            builder.add(current)  # type: ignore[arg-type]
        else:
            builder.add_digest(current, path)  # type: ignore[arg-type]
        yield "after", builder, current

    placed = False
    # The session in hand is not read again from its file (a 5,000-item session read
    # whole, only to be skipped, cost the walkthrough 11 MB for good).
    heads = ordered_heads(
        store, checklist_id=session.checklist_id, on_error=unreadable, leave_out=session.id
    )
    for path, other in store.digests_of(heads, on_error=unreadable):
        if other.id == session.id or other.id in leave_out:
            continue
        if not placed and listed_order(session) < listed_order(other):
            placed = True
            yield from add(session, None)
        yield from add(other, path)
    if not placed:
        yield from add(session, None)
    builder.result()


def _said(
    on_error: Callable[[str], None] | None,
) -> Callable[[Unreadable | BrokenRecord], None]:
    """`on_error` as a replay hands it what could not be read, in words (`_replay`, and
    the items read after it): a broken seal elsewhere is the lists' business, not this
    session's."""

    def unreadable(item: Unreadable | BrokenRecord) -> None:
        if on_error is not None and not isinstance(item.error, SealBrokenNotice):
            on_error(left_out_words(item))

    return unreadable


def open_before(
    store: SessionRepository,
    records: FindingRecords,
    session: Session,
    on_error: Callable[[str], None] | None = None,
    *,
    as_of_session: bool = False,
    failed_before: dict[str, tuple[datetime, datetime | None] | None] | None = None,
) -> dict[str, Finding]:
    """The findings of `session`'s checklist that were open when it started (raised by
    earlier sessions, not closed by hand before it), by item id, each as it stands now:
    what the walkthrough shows per item. `as_of_session`: each as it stood right after
    the session instead (closed by it, or its grade and note those of its latest fail up
    to then; nothing of later sessions), what compare checks NEW against. `failed_before`
    is filled in, by item id, with when the last session before `session` that failed
    the item started and recorded that fail."""
    found: dict[str, Finding] = {}
    snapshots: list[tuple[Finding, Path | None]] = []
    for stage, builder, current in _replay(store, records, session, on_error):
        if stage == "before" and current is session:
            for finding in builder.findings.values():
                if _open_when_started(finding, session):
                    found[finding.item_id] = finding
                    if failed_before is not None:
                        failed_before[finding.item_id] = _last_fail(finding)
        elif as_of_session and current is session:
            snapshots = builder.snapshot(found.values())
    if as_of_session:
        return {f.item_id: f for f in fill_snapshots(snapshots, _said(on_error))}
    # Replayed to the end: each finding as it stands now (closed later, for one).
    builder.fill_records(_said(on_error), only=found.values())
    return found


def fill_snapshots(
    snapshots: list[tuple[Finding, Path | None]],
    on_error: Callable[[Unreadable], None] | None = None,
) -> list[Finding]:
    """The findings of `RegisterBuilder.snapshot`, each given its item record from the
    file named with it (one read per file)."""
    wanted: dict[Path, list[Finding]] = {}
    for finding, path in snapshots:
        if path is not None:
            wanted.setdefault(path, []).append(finding)
    _give_records(wanted, on_error)
    return [finding for finding, _ in snapshots]


def _give_records(
    wanted: dict[Path, list[Finding]], on_error: Callable[[Unreadable], None] | None
) -> None:
    """Give each finding its item record as the session file it is listed under has it
    (`read_session`: cached), one read per file."""
    for path, found in wanted.items():
        try:
            session = read_session(path)
        except AudituiError as error:
            if on_error is not None:
                on_error(Unreadable(path, error))
            continue
        for finding in found:
            if finding.item_id in session.index:
                finding.record = session.record(finding.item_id)


def _open_when_started(finding: Finding, session: Session) -> bool:
    """Whether `finding`, as the sessions before `session` leave it, was open when
    `session` started (not closed by hand before then)."""
    hand = finding.action.closed if finding.action else None
    return finding.is_open and (hand is None or hand >= session.started)


VERIFIED = ("not_effective", "failed_again", "closed", "closed_by_hand", "not_audited")
"""What a session found of a finding open when it started (`AuditHistory.verified`),
worst first."""


class AuditHistory(NamedTuple):
    """What an audit report draws from its checklist's history, from one replay
    (`audit_history`)."""

    own: dict[str, Finding]
    """The finding each failed item in its scope belongs to (raised by it, or an earlier
    one still open when it failed the item), by item id, as it stands now."""
    streaks: dict[str, int]
    """Each finding's `streak` right after the session, by finding id: repeats as that
    audit saw them (the register's count the later fails too)."""
    verified: list[tuple[Finding, Finding, str]]
    """The findings open when it started: each as it stood right after the audit (its
    grade and note those of its latest fail up to then), as it stands now (its corrective
    action's status: closed later, say), and what the audit found of it (a key of
    `VERIFIED`; later sessions change no verdict): for its audit report. Worst verdict
    first, then the register's order. The findings of a merged audit that holds it (its
    own fails) are not earlier ones."""


def audit_history(
    store: SessionRepository,
    records: FindingRecords,
    session: Session,
    on_error: Callable[[str], None] | None = None,
) -> AuditHistory:
    """The findings `session` failed, the streaks as of it and what it found of the
    findings open when it started, from one pass over the history of its checklist (two
    for a part of a merged audit, below)."""
    holders = _merges_holding(store, session.id)
    before: list[Finding] = []
    verified: list[tuple[Finding, Finding, str]] = []
    as_of: list[tuple[Finding, Path | None]] = []
    verdicts: list[str] = []
    own: dict[str, Finding] = {}
    streaks: dict[str, int] = {}
    failed_before: dict[str, tuple[datetime, datetime | None] | None] = {}
    for stage, builder, current in _replay(store, records, session, on_error):
        if current is not session:
            continue
        if stage == "before":
            for finding in builder.findings.values():
                if _open_when_started(finding, session) and finding.raised_in not in holders:
                    before.append(finding)
                    failed_before[finding.id] = _last_fail(finding)
            continue
        own = {finding.item_id: finding for finding in _failed_here(builder, session)}
        streaks = _streaks(builder)
        as_of = builder.snapshot(before)
        verdicts = [_verdict(f, session, failed_before.get(f.id)) for f in before]
    if holders:
        # A part of a merged audit: the merged session holds its fails too, and a repeat
        # would count the one audit twice. Replayed without it, by item: there a finding
        # may have another id (the part's, not the merged session's).
        for stage, other, current in _replay(store, records, session, None, holders):
            if stage == "after" and current is session:
                streaks = {
                    own[alone.item_id].id: alone.streak
                    for alone in _failed_here(other, session)
                    if alone.item_id in own
                }
    if before:  # the live ones' records are not read: what is shown is as of the audit
        then = fill_snapshots(as_of, _said(on_error))
        verified = list(zip(then, before, verdicts, strict=True))
    verified.sort(key=lambda entry: (VERIFIED.index(entry[2]), worst_first(entry[0])))
    return AuditHistory(own, streaks, verified)


def _streaks(builder: RegisterBuilder) -> dict[str, int]:
    return {finding.id: finding.streak for finding in builder.findings.values()}


def _failed_here(builder: RegisterBuilder, session: Session) -> list[Finding]:
    """The findings the fails in `session`'s scope belong to, just after it was added to
    `builder`, in its item order."""
    return [
        finding
        for record in session.records
        if record.result == "fail" and session.in_scope(record)
        for finding in [builder.current(session.checklist_id, record.item_id)]
        if finding is not None
    ]


def _last_fail(finding: Finding) -> tuple[datetime, datetime | None] | None:
    """When the latest session to fail the finding's item started, and when it recorded
    the fail: what a later fail is measured against (`done_when_failed`)."""
    if finding.last_failed is None:
        return None
    return finding.last_failed, finding.last_failed_recorded


def _verdict(
    finding: Finding, session: Session, failed_before: tuple[datetime, datetime | None] | None
) -> str:
    """What `session` found of `finding`, open when it started, as `session` leaves it
    (`failed_before`: when the session that failed the item before it started, and when
    it recorded that fail)."""
    if finding.closed_in == session.id:
        return "closed"
    if finding.not_effective_in == session.id:
        return "not_effective"
    if finding.last_failed_in == session.id:
        record = session.record(finding.item_id) if finding.item_id in session.index else None
        recorded = record.recorded if record is not None else None
        if done_when_failed(finding, session.started, recorded, failed_before):
            return "not_effective"
        return "failed_again"
    if not finding.is_open or _closed_by_hand_by(finding, session):
        # Closed by hand while the audit went on (open when it started): the replay
        # closes it only where a later session answers the item, so a finding this audit
        # did not look at read "still open" beside its status, Closed. One closed after
        # the audit is what it found: the report says its status now apart.
        return "closed_by_hand"
    return "not_audited"


def _merges_holding(store: SessionRepository, session_id: str) -> set[str]:
    """The merged sessions that hold `session_id`, directly or through another merge."""
    holders: set[str] = set()
    current = store.merged_into(session_id)
    while current is not None and current not in holders:
        holders.add(current)
        current = store.merged_into(current)
    return holders


def session_findings(
    store: SessionRepository,
    records: FindingRecords,
    session: Session,
    on_error: Callable[[str], None] | None = None,
) -> list[Finding]:
    """The findings `session` failed (raised or added to), as they stand after every
    session: what an export or report of the session carries. In its item order."""
    captured: list[Finding] = []
    for stage, builder, current in _replay(store, records, session, on_error):
        if stage == "after" and current is session:
            captured = _failed_here(builder, session)
    builder.fill_records(_said(on_error), only=captured)
    return captured


class AtNew(NamedTuple):
    """What `compare OLD NEW` says of the findings open before NEW, each list in the
    register's order."""

    closed: list[Finding]
    """Those NEW closed by passing the item."""
    not_audited: list[Finding]
    """Those still open that NEW neither passed nor failed (n/a, unanswered, out of scope,
    not in its checklist version)."""
    not_effective: list[Finding]
    """Those whose corrective action was marked done (since the item last failed) before
    NEW failed it again: the action did not work (the register reads them open from that
    fail on)."""


def findings_came_back(
    store: SessionRepository, records: FindingRecords, new: Session
) -> list[Finding]:
    """For `compare OLD NEW`: the findings NEW raised on items whose earlier finding was
    closed (by a pass or by hand): the nonconformity came back (ISO 9001 10.2.1 a). The
    item reads "unchanged, still failing" among the changes when OLD failed it too."""
    register = register_from_store(store, records, checklist_id=new.checklist_id)
    return [f for f in register if f.raised_in == new.id and f.follows is not None]


def findings_at_new(store: SessionRepository, records: FindingRecords, new: Session) -> AtNew:
    """For `compare OLD NEW`: the findings open before NEW, by what NEW did to them."""
    failed_before: dict[str, tuple[datetime, datetime | None] | None] = {}
    found = open_before(store, records, new, as_of_session=True, failed_before=failed_before)
    return split_at_new(found, new, failed_before)


def unreadable_record(records: FindingRecords, finding: Finding) -> AudituiError | None:
    """Why a file of the finding's corrective action cannot be read (None when each can):
    the one a change is written to, or one kept under another of its ids (an earlier
    session that arrived later now raises it). Unread, its action shows nowhere, and a
    change written meanwhile would start a record without it."""
    for record_id in dict.fromkeys((finding.record_id, finding.id, *sorted(finding.known_as))):
        try:
            records.get(record_id)
        except AudituiError as error:
            return error
    return None


def joined_action(records: FindingRecords, finding: Finding) -> ActionRecord | None:
    """The corrective action of `finding` as it is on disk now, joined as the register
    joins it (`Finding.joined`): what an editor opened on it shows."""
    action = records.get(finding.record_id)
    for other_id in finding.joined:
        other = records.get(other_id)
        if other is not None:
            action = other if action is None else newer_of_each(action, other)
    return action


def _closed_by_hand(finding: Finding) -> bool:
    """Closed by hand (`finding --close`), whenever: not "still open" now, though no
    session after it was read to apply that (the app's compare screen)."""
    return finding.action is not None and finding.action.closed is not None


def _closed_by_hand_by(finding: Finding, session: Session) -> bool:
    """Closed by hand (`finding --close`) by the end of `session` (its last change): the
    register has it closed then even where no session after it was read to apply that
    (the app's compare screen). A closing made after it is no news of that audit: compare
    OLD NEW and its report tell what NEW found, later closings apart."""
    closed = finding.action.closed if finding.action is not None else None
    return closed is not None and closed <= (session.finished or session.updated)


def split_at_new(
    before: dict[str, Finding],
    new: Session,
    failed_before: dict[str, tuple[datetime, datetime | None] | None],
) -> AtNew:
    """Of the findings open before NEW (by item id): those NEW closed by passing the item,
    those it did not audit that are still open (closed by hand since: no longer), and those
    whose action, marked done since the item last failed (`failed_before`: when that
    session started and recorded the fail), NEW failed again."""
    at_new = AtNew([], [], [])
    for item_id, finding in before.items():
        record = new.record(item_id) if item_id in new.index else None
        # None: not audited by NEW (not in its checklist, or out of its scope).
        result = record.result if record is not None and new.in_scope(record) else None
        if result == "pass":
            at_new.closed.append(finding)
        elif result == "fail":
            assert record is not None
            # As the action stood when NEW failed it: marked done again since, it was
            # still not effective there.
            if not _closed_by_hand_by(finding, new) and done_when_failed(
                finding, new.started, record.recorded, failed_before.get(item_id)
            ):
                at_new.not_effective.append(finding)
        elif finding.is_open and not _closed_by_hand(finding):
            at_new.not_audited.append(finding)
    return AtNew(*(sorted(part, key=worst_first) for part in at_new))


def open_counts(sessions: Iterable[Session], actions: dict[str, ActionRecord]) -> dict[str, int]:
    """For `trend`: how many findings of its checklist were open right after each session
    (closings by hand counted from when they were made), by session id."""
    counter = OpenCounter(actions)
    return {session.id: counter.add(session) for session in sorted(sessions, key=listed_order)}


class OpenCounter:
    """`open_counts` one session at a time, oldest first."""

    def __init__(self, actions: dict[str, ActionRecord]) -> None:
        self.builder = RegisterBuilder(actions, keep_closed=False)

    def add(self, session: Session) -> int:
        """The findings of `session`'s checklist open right after it."""
        self.builder.add(session)
        return self._open_after(session)

    def add_digest(self, digest: Digest, path: Path) -> int:
        """`add` from what the index holds of a session."""
        self.builder.add_digest(digest, path)
        return self._open_after(digest)

    def _open_after(self, session: Session | Digest) -> int:
        return sum(
            1
            for finding in self.builder.findings.values()
            if finding.checklist_id == session.checklist_id
            and finding.is_open
            and not (finding.action and finding.action.closed
                     and finding.action.closed <= session.started)
        )  # fmt: skip
