"""What earlier audits found for the items the last one did not look at.

The walkthrough shows, beside each item, what the most recent earlier session of the
checklist found for it (SPEC). When that session audited other sections (a scope per
audit), it found nothing for most items; the last real answer is further back, and it
is what the auditor wants to see (and a fail there is the `!` in the list).
"""

from __future__ import annotations

from auditui.errors import AudituiError
from auditui.repository import SessionRepository
from auditui.session import ItemRecord, Session, listed_order
from auditui.store import came_before, read_session

MOST_SESSIONS = 24
"""How many earlier sessions are read at most (a couple of years of monthly audits)."""


def not_audited_by(previous: Session, session: Session) -> set[str]:
    """The items of `session` that `previous` has but did not answer (outside its scope)."""
    return {
        record.item_id
        for record in session.records
        if record.item_id in previous.index
        and not previous.record(record.item_id).answered
        and not previous.in_scope(record.item_id)
    }


def answered_before(
    store: SessionRepository, session: Session, previous: Session, item_ids: set[str]
) -> dict[str, tuple[Session, ItemRecord]]:
    """For each of `item_ids`, the latest session of `session`'s checklist before
    `previous` that answered it within its scope, with its record (newest read first, at
    most `MOST_SESSIONS`; an unreadable file is passed over, as `previous` does)."""
    heads = [
        head
        for head in store.heads()
        if came_before(head, previous) and session.id not in head.merged_from
    ]
    heads.sort(key=listed_order, reverse=True)
    wanted, found = set(item_ids), {}
    for head in heads[:MOST_SESSIONS]:
        if not wanted:
            break
        try:
            older = read_session(head.path)
        except AudituiError:
            continue
        for item_id in list(wanted):
            if item_id in older.index:
                record = older.record(item_id)
                if record.answered and older.in_scope(record):
                    found[item_id] = (older, record)
                    wanted.discard(item_id)
    return found
