"""Deleting a session without losing it: the file moves into `<sessions folder>/trash/`.

A session started by mistake (the wrong checklist, a test) clutters every list, so
it can be deleted; but nothing typed is ever lost, so "deleted" means moved aside,
where a person can take it back by moving the file again. A session open in another
auditui is refused, like any change to it.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from auditui.errors import AudituiError

if TYPE_CHECKING:
    from auditui.repository import SessionRepository
    from auditui.store import SessionStore

TRASH = "trash"
"""The folder, inside the sessions folder, that deleted sessions are moved into."""


def move_to_trash(store: SessionRepository, session_id: str) -> Path:
    """Move a session (its journal folded in first) into the trash; its new path.

    Raises `AudituiError` when the session is open elsewhere or cannot be moved."""
    return store.delete(session_id)


def trash_session_file(store: SessionStore, session_id: str) -> tuple[Path, Path]:
    """The file store's `delete`: the session's file moved into `trash/` beside it;
    where it was and where it is now."""
    writer = store.open(session_id)  # the lock: refused while another program has it
    path = writer.path
    try:
        writer.close()  # folds the journal into the file, so one file holds everything
    except AudituiError:
        writer.abandon()
        raise
    trash = path.parent / TRASH
    target = free_place(trash, path.name)
    try:
        trash.mkdir(exist_ok=True)
        os.replace(path, target)
    except OSError as error:
        reason = error.strerror or error
        raise AudituiError(f"cannot move to {trash}: {reason}", path=path) from None
    from auditui.finish_drafts import draft_path

    draft = draft_path(path)  # a conclusion being typed: with the session, for its restore
    try:
        if draft.exists():
            os.replace(draft, draft_path(target))
    except OSError:
        draft.unlink(missing_ok=True)  # never offered to another session of that id
    return path, target


def places(trash: Path, name: str) -> Iterator[Path]:
    """The names a file called `name` takes in the `trash` folder, in the order they are
    taken: `name`, then `<stem>-2<suffix>`, `<stem>-3<suffix>`, …"""
    yield trash / name
    stem, suffix = os.path.splitext(name)
    for number in itertools.count(2):
        yield trash / f"{stem}-{number}{suffix}"


def free_place(trash: Path, name: str) -> Path:
    """Where a file called `name` goes in the `trash` folder without replacing one there."""
    return next(place for place in places(trash, name) if not os.path.lexists(place))


def kept_copy(trash: Path, source: Path) -> Path | None:
    """A copy of `source` already in the trash under its name (or a numbered one, among
    the first 99), None when there is none."""
    try:
        data = source.read_bytes()
        for copy in itertools.islice(places(trash, source.name), 99):
            if not copy.is_file():
                break
            if copy.read_bytes() == data:
                return copy
    except OSError:
        pass
    return None


def merged_parts_in_trash(folder: Path, session_ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Of `session_ids`, those in this laptop's trash as merged audits, each with its
    parts: what a corrective-action record saved before records kept their finding's
    other ids needs to find its finding again once the merged audit is deleted (merged
    again, or one of two laptops' merges deleted; `FindingRecords.load_all`). One listing
    of the trash, and the head of each such session (rare) read."""
    from auditui.store import read_head

    trash = folder / TRASH
    try:
        names = set(os.listdir(trash))
    except OSError:
        return {}
    parts: dict[str, tuple[str, ...]] = {}
    for session_id in sorted(set(session_ids)):
        for place in itertools.islice(places(trash, f"{session_id}.toml"), 99):
            if place.name not in names:
                break
            head = read_head(place)
            if head is not None and head.id == session_id and head.merged_from:
                parts[session_id] = head.merged_from
                break
    return parts
