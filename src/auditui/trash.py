"""Deleting a session without losing it: the file moves into `<sessions folder>/trash/`.

A session started by mistake (the wrong checklist, a test) clutters every list, so
it can be deleted; but nothing typed is ever lost, so "deleted" means moved aside,
where a person can take it back by moving the file again. A session open in another
auditui is refused, like any change to it.
"""

from __future__ import annotations

import os
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
    return path, target


def free_place(trash: Path, name: str) -> Path:
    """Where a file called `name` goes in the `trash` folder without replacing one there."""
    target = trash / name
    stem, suffix = os.path.splitext(name)
    number = 1
    while os.path.lexists(target):
        number += 1
        target = trash / f"{stem}-{number}{suffix}"
    return target
