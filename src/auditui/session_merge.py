"""One audit split between auditors, joined into one session for the report (SPEC "merge").

Each auditor walks their own sections (usually disjoint scopes) in their own session;
`merge_sessions` makes one new session of them: the scope is the union, the auditors
are joined, and each item comes from the session that answered it. An item answered in
two sessions must have been answered the same (result, grade, and the note when both
wrote one); otherwise nothing is made and every such item is named. A note or a file left
on an item a session did not answer is kept with the item.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from auditui.errors import AudituiError
from auditui.session import ItemRecord, Session
from auditui.textwidth import some_of

_NEVER = datetime.min.replace(tzinfo=UTC)


class AnsweredDifferently(AudituiError):
    """Items answered differently in the sessions to merge: nothing was written."""

    def __init__(self, items: list[tuple[str, list[tuple[str, str]]]]) -> None:
        shown = "; ".join(
            f"{item_id} ({', '.join(f'{sid}: {answer}' for sid, answer in answers)})"
            for item_id, answers in items
        )
        super().__init__(
            f"{len(items)} item{'s' if len(items) != 1 else ''} answered differently, "
            f"nothing was written: {shown}"
        )
        self.items = [item_id for item_id, _ in items]


def _joined(values: Sequence[str]) -> str:
    return ", ".join(dict.fromkeys(v.strip() for v in values if v.strip()))


def _auditees(session: Session) -> list[str]:
    """What a session audited: a merged audit's parts' auditees, as its line joins them."""
    return session.auditee.split(", ") if session.merged_from else [session.auditee]


def _answer_words(record: ItemRecord) -> str:
    """`fail/minor`, with the start of the note when there is one (notes that differ are
    a difference too, and the message must show it)."""
    words = record.result + (f"/{record.grade}" if record.grade else "")
    note = " ".join(record.note.split())
    if note:
        words += f' "{note[:40]}…"' if len(note) > 40 else f' "{note}"'
    return words


def _check_joinable(sessions: Sequence[Session]) -> None:
    if len({s.id for s in sessions}) != len(sessions):
        raise AudituiError("a session is named twice; name each session once")
    named = {s.id for s in sessions}
    for session in sessions:  # a merged audit with one of its own parts: counted twice
        inside = [part for part in session.merged_from if part in named]
        if inside:
            raise AudituiError(
                f"session {session.id} is a merged audit that holds {inside[0]} already; "
                f"merge the parts, or {session.id} with other sessions, not both"
            )
    for session in sessions:  # its record is what was signed; a merge would stand for it
        if session.finished is not None:
            raise AudituiError(
                f"session {session.id} is finished and sealed: the merged session would "
                f"stand in its place unsigned; reopen it first (auditui reopen {session.id} "
                "--reason TEXT), or leave it out"
            )
    first = sessions[0]
    for other in sessions[1:]:
        if other.checklist_id != first.checklist_id:
            raise AudituiError(
                f"sessions {first.id} and {other.id} are of different checklists "
                f"({first.checklist_id}, {other.checklist_id}); only sessions of one "
                "checklist are merged"
            )
        if [r.item_id for r in other.records] != [r.item_id for r in first.records]:
            if first.checklist_version == other.checklist_version:  # a file made by hand
                ids = {r.item_id for r in first.records} ^ {r.item_id for r in other.records}
                detail = f"{some_of(sorted(ids))} in one only" if ids else "in another order"
                version = (f"though both say version {first.checklist_version}"
                           if first.checklist_version else "though neither names a version")
                raise AudituiError(
                    f"sessions {first.id} and {other.id} list different items of checklist "
                    f"{first.checklist_id} ({detail}), {version}: only sessions listing the "
                    "same items are merged"
                )  # fmt: skip
            raise AudituiError(
                f"sessions {first.id} and {other.id} were started from different versions of "
                f"checklist {first.checklist_id} ({first.checklist_version or '?'}, "
                f"{other.checklist_version or '?'}): their items differ"
            )


def _one_item(item_id: str, answered: list[tuple[Session, ItemRecord]]):
    """The record to keep for an item, or None when the sessions disagree on it."""
    first = answered[0][1]
    notes = {r.note for _, r in answered if r.note.strip()}
    if any((r.result, r.grade) != (first.result, first.grade) for _, r in answered):
        return None
    if len(notes) > 1:
        return None
    newest = max(answered, key=lambda pair: pair[1].recorded or _NEVER)[1]
    kept = copy.deepcopy(newest)
    kept.note = next(iter(notes), "")
    attachments: list = []
    for _, record in answered:
        for attachment in record.attachments:
            if attachment not in attachments:
                attachments.append(attachment)
    kept.attachments = tuple(attachments)
    return kept


def _with_pending(kept: ItemRecord, pending: list[ItemRecord]) -> ItemRecord:
    """`kept` with the notes and files of the sessions that left the item unanswered:
    each note not already in it after a blank line, each file not already attached."""
    attachments = list(kept.attachments)
    for record in pending:
        note = record.note
        if note.strip() and note not in kept.note:
            kept.note = f"{kept.note}\n\n{note}" if kept.note.strip() else note
        attachments += [a for a in record.attachments if a not in attachments]
    kept.attachments = tuple(attachments)
    return kept


def merge_sessions(
    sessions: Sequence[Session], *, new_id: str, updated: datetime, title: str = ""
) -> Session:
    """The sessions joined into a new one with id `new_id`; `AnsweredDifferently` naming
    the items two of them answered differently, `AudituiError` when they cannot be joined."""
    if len(sessions) < 2:
        raise AudituiError("merge needs at least two sessions")
    _check_joinable(sessions)
    first = sessions[0]
    records: list[ItemRecord] = []
    disagreements = []
    for position, base in enumerate(first.records):
        answered = [(s, s.records[position]) for s in sessions if s.records[position].answered]
        # A note or a file on an item left unanswered is work too (a note waiting for a
        # record, a photo taken before the verdict): kept, never dropped.
        pending = [s.records[position] for s in sessions if not s.records[position].answered]
        if not answered:
            blank = copy.deepcopy(base)
            blank.result, blank.note, blank.grade, blank.recorded = "unanswered", "", None, None
            blank.attachments = ()
            records.append(_with_pending(blank, pending))
            continue
        kept = _one_item(base.item_id, answered)
        if kept is None:
            disagreements.append(
                (base.item_id, [(s.id, _answer_words(r)) for s, r in answered])
            )
            continue
        records.append(_with_pending(kept, pending))
    if disagreements:
        raise AnsweredDifferently(disagreements)
    scopes = [s.scope for s in sessions]
    # Each auditor's name as given (a name may hold ", " itself): who signs.
    auditors = list(dict.fromkeys(
        name for s in sessions for name in s.auditors() if name.strip()
    ))  # fmt: skip
    merged = Session(
        id=new_id,
        checklist_id=first.checklist_id,
        started=min(s.started for s in sessions),
        updated=updated,
        records=records,
        checklist_title=first.checklist_title,
        checklist_version=first.checklist_version,
        checklist_sha256=first.checklist_sha256,
        kind=first.kind,
        standard=first.standard,
        auditor=_joined(auditors),  # a merged part's names once each, not its joined line
        auditee=_joined([part for s in sessions for part in _auditees(s)]),
        title=title.strip() or first.title,
        language=next((s.language for s in sessions if s.language), ""),  # one walked in it
        extra={"session": {
            "merged_from": [s.id for s in sessions],
            "auditors": auditors,
        }},  # fmt: skip
    )
    merged.set_scope(() if any(not scope for scope in scopes) else
                     [section for scope in scopes for section in scope])  # fmt: skip
    return merged


def kept_in(part: ItemRecord, merged: ItemRecord) -> bool:
    """Whether the merged session has the part's answer: its result and grade, and its
    note within the merged one (which may hold another part's note too)."""
    return (
        part.result == merged.result
        and part.grade == merged.grade
        and part.note.strip() in merged.note
    )


def answers_not_in(part: Session, merged: Session) -> list[str]:
    """The items `part` answered after the merge, on a laptop that did not know of it yet,
    that `merged` (the session it was merged into) does not have: answered later than
    the merged session's answer (a merge copies the times). They count in no register
    until made in the merged one. An answer changed in the merged session since (later
    there, or a note or grade changed there under the same time) is the merged
    session's to give, and not named."""
    lost = []
    for record in part.records:
        if not record.answered or record.recorded is None:
            continue
        there = merged.record(record.item_id) if record.item_id in merged.index else None
        if there is not None and kept_in(record, there):
            continue
        if there is None or there.recorded is None or record.recorded > there.recorded:
            lost.append(record.item_id)
    return lost


def parts_with_answers_lost(
    store, merged_into: dict[str, str] | None = None, *, checklist_id: str | None = None
) -> list[tuple[str, str, list[str]]]:
    """(part id, merged session id, items) for each part of a merged audit that holds
    answers its merged session lacks (`answers_not_in`), in the order of the parts' ids;
    only of checklist `checklist_id` when given. `merged_into` (part id -> merged session
    id) when the caller has read the heads already. Reads whole only the parts and their
    merged sessions, each once."""
    if merged_into is None:
        merged_into = {}
        for head in store.iter_heads():
            for part in head.merged_from:
                merged_into.setdefault(part, head.id)
    found = []
    merged_sessions: dict[str, Session | None] = {}
    for part_id in sorted(merged_into):
        merged_id = merged_into[part_id]
        if merged_id not in merged_sessions:
            merged_sessions[merged_id] = _loaded(store, merged_id)
        merged = merged_sessions[merged_id]
        if merged is None or checklist_id not in (None, merged.checklist_id):
            continue
        part = _loaded(store, part_id)
        items = answers_not_in(part, merged) if part is not None else []
        if items:
            found.append((part_id, merged.id, items))
    return found


def _loaded(store, session_id: str) -> Session | None:
    """The session, or None when it does not read (it is named where it is listed)."""
    try:
        return store.load(session_id)
    except AudituiError:
        return None


def lost_answers_notices(
    store, merged_into: dict[str, str] | None = None, *, checklist_id: str | None = None
) -> list[str]:
    """What `sessions`, `findings` and home say of each part with answers its merged
    session lacks (`parts_with_answers_lost`, the same arguments)."""
    from auditui.textwidth import some_of

    return [
        f"session {part_id} is part of the merged audit {merged_id}, which lacks its answers "
        f"to {some_of(items)} (marked after the merge): they count in no register or "
        f"trend; make those marks in {merged_id}{reopen_first(store, merged_id)}"
        for part_id, merged_id, items in parts_with_answers_lost(
            store, merged_into, checklist_id=checklist_id
        )
    ]


def merge_notices(
    store, holders: dict[str, list[str]] | None = None, *, checklist_id: str | None = None
) -> list[str]:
    """What `sessions`, `findings` and home say of merged audits, until it is dealt with:
    each part holding answers its merged session lacks (`lost_answers_notices`), and each
    set of parts merged into more than one session (on two laptops), which counts one
    audit twice. `holders`: part id -> the merged sessions holding it, when the caller
    has read the heads (else read here, of checklist `checklist_id` when given)."""
    if holders is None:
        heads = store.iter_heads()
        holders = merge_holders(h for h in heads if checklist_id in (None, h.checklist_id))
    first = {part: ids[0] for part, ids in holders.items()}
    notices = lost_answers_notices(store, first, checklist_id=checklist_id)
    twice = {tuple(sorted(set(ids))) for ids in holders.values() if len(set(ids)) > 1}
    return notices + [merged_twice(ids) for ids in sorted(twice)]


def merge_holders(sessions: Iterable[Any]) -> dict[str, list[str]]:
    """Part id -> the merged sessions holding it, in the order given (two when the parts
    were merged on two laptops), of sessions, heads or digests (each `id` and
    `merged_from`)."""
    holders: dict[str, list[str]] = {}
    for session in sessions:
        for part in session.merged_from:
            holders.setdefault(part, []).append(session.id)
    return holders


def merged_twice(ids: tuple[str, ...]) -> str:
    """Said of sessions that each merge the same part (`auditui merge` on two laptops)."""
    return (
        f"sessions {' and '.join(ids)} each merge the same part (merged on two laptops): "
        "the audit counts more than once; keep one (its changes made in the others too) "
        "and delete the others (home, the delete key)"
    )


def reopen_first(store, merged_id: str) -> str:
    """What to add when the merged session takes no marks now: finished, it is reopened
    first (else the advice could not be followed)."""
    merged = _loaded(store, merged_id)
    if merged is None or not merged.is_finished:
        return ""
    return f" (it is finished: `auditui reopen {merged_id} --reason TEXT` first)"
