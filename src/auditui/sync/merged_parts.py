"""What a sync says about merged audits that laptops changed without knowing of each other.

`auditui merge` joins the parts of one audit into a new session, and a part then takes no
changes (the app and the commands refuse them). A laptop that has not synced since the
merge does not know that: marks it makes on a part count nowhere, since the registers
count the merged session. And two laptops can each merge the same parts, which counts
one audit twice. Neither loses a file, but both give wrong numbers without a word; the
sync is where the laptops' work first meets, so it says so there, with what to do.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from auditui.errors import AudituiError
from auditui.session import ItemRecord


def merge_notes(folder: Path, changed: Iterable[str]) -> list[str]:
    """One line for each part among the `changed` session files (paths in the folder)
    that holds answers its merged session lacks, and for each set of parts merged into
    more than one session when one of those sessions is among them."""
    from auditui.store import SessionStore

    changed_ids = {PurePosixPath(path).stem for path in changed if "/" not in path}
    if not changed_ids:
        return []
    store = SessionStore(folder)
    merged_into: dict[str, list[str]] = {}
    try:
        for head in store.iter_heads():
            for part in head.merged_from:
                merged_into.setdefault(part, []).append(head.id)
    except AudituiError:
        return []
    notes: list[str] = []
    for part in sorted(changed_ids & merged_into.keys()):
        notes += _late_marks(store, part, merged_into[part][0])
    twice = {
        tuple(sorted(ids))
        for part, ids in merged_into.items()
        if len(ids) > 1 and (part in changed_ids or changed_ids & set(ids))
    }
    for ids in sorted(twice):
        notes.append(
            f"sessions {' and '.join(ids)} each merge the same part (merged on two laptops): "
            "the audit counts more than once; delete all but one of them (home, the delete "
            "key)"
        )
    return notes


def _late_marks(store, part_id: str, merged_id: str) -> list[str]:
    """The line for a part answered where its merged session is not, or otherwise."""
    try:
        part = store.load(part_id)
        merged = store.load(merged_id)
    except AudituiError:
        return []
    differing = [
        record.item_id
        for record in part.scoped_records()
        if record.answered
        and (record.item_id not in merged.index
             or not _kept_in(record, merged.record(record.item_id)))
    ]  # fmt: skip
    if not differing:
        return []
    shown = ", ".join(differing[:5]) + (f" and {len(differing) - 5} more" if len(differing) > 5
                                        else "")  # fmt: skip
    return [
        f"session {part_id} was merged into {merged_id} on another laptop; what was marked "
        f"here on it since counts nowhere ({shown}): delete {merged_id} and merge again "
        "(docs/sync.md)"
    ]


def _kept_in(part: ItemRecord, merged: ItemRecord) -> bool:
    """Whether the merged session has the part's answer: its result and grade, and its
    note within the merged one (which may hold another part's note too)."""
    return (
        part.result == merged.result
        and part.grade == merged.grade
        and part.note.strip() in merged.note
    )
