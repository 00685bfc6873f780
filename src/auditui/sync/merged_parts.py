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
from auditui.session_merge import kept_in, merge_holders, merged_twice, reopen_first
from auditui.textwidth import some_of


def merge_notes(
    folder: Path, marked_here: dict[str, list[str]], brought_in: Iterable[str]
) -> list[str]:
    """One line for each part that this laptop marked (`marked_here`: items by session
    file) and another laptop had merged, naming the marks its merged session lacks; and
    one for each set of parts merged into more than one session, when one of those
    sessions came or went in this sync."""
    from auditui.store import SessionStore

    marked = {PurePosixPath(path).stem: items for path, items in marked_here.items() if items}
    came = {PurePosixPath(path).stem for path in brought_in if "/" not in path}
    touched = set(marked) | came | {PurePosixPath(path).stem for path in marked_here}
    if not touched:
        return []
    store = SessionStore(folder)
    try:
        merged_into = merge_holders(store.iter_heads())
    except AudituiError:
        return []
    notes: list[str] = []
    for part in sorted(marked.keys() & merged_into.keys()):
        # Only a merge that came in now was made without these marks: one made here (or
        # known here before) came after them, since a merged part takes no marks here.
        elsewhere = [merged for merged in merged_into[part] if merged in came]
        if elsewhere:
            notes += _late_marks(store, part, elsewhere[0], marked[part])
    twice = {
        tuple(sorted(ids))
        for part, ids in merged_into.items()
        if len(ids) > 1 and touched & {part, *ids}
    }
    notes += [merged_twice(ids) for ids in sorted(twice)]
    return notes


def _late_marks(store, part_id: str, merged_id: str, items: list[str]) -> list[str]:
    """The line for the `items` marked here on a part that its merged session does not
    have as the part has them now."""
    try:
        part = store.load(part_id)
        merged = store.load(merged_id)
    except AudituiError:
        return []
    differing = [
        item_id
        for item_id in items
        if item_id in part.index
        and (item_id not in merged.index
             or not kept_in(part.record(item_id), merged.record(item_id)))
    ]  # fmt: skip
    if not differing:
        return []
    shown = some_of(differing)
    return [
        f"session {part_id} was merged into {merged_id} on another laptop; what was marked "
        f"here on it since counts nowhere ({shown}): make those marks in {merged_id}"
        + reopen_first(store, merged_id)
    ]
