"""A lock file left in the remote repository by a push that was cut off.

git takes a lock (`refs/heads/main.lock`) in the remote for the instant it moves the
branch; a laptop that loses power, or a sync killed, in that instant leaves the file
behind, and from then on every push of every laptop fails with "Unable to create
'…/main.lock': File exists". git leaves it to a person to delete the file.

A sync waits for such a lock to go (another laptop may be sending at this moment). A
lock that stays exactly as it was (same file, same size, same time) for `PATIENCE`
seconds of this laptop's own clock (so a file server's clock does not matter) is one no
git holds: git keeps a ref lock only for the few milliseconds of an update and gives up
on one after 0.1 s (`core.filesRefLockTimeout`). When the remote is a folder this laptop
reaches (a shared drive, a USB disk), sync removes it and sends again, and says so;
on a server it cannot reach, the message says which file to delete.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlparse

PATIENCE = 10.0
"""Seconds a remote lock must stay unchanged before it counts as left by a cut-off push."""
POLL = 0.2
SERVER_WAIT = 2.0
"""Seconds to wait before pushing again when the lock is on a server this laptop cannot see."""

_LOCK_IN_MESSAGE = re.compile(r"unable to create '([^']+\.lock)': file exists", re.IGNORECASE)


def locked_file(message: str) -> str | None:
    """The lock file git names when a push found the remote locked, else None."""
    found = _LOCK_IN_MESSAGE.search(message)
    return found.group(1).replace("/./", "/") if found else None  # git writes `repo/./refs`


def local_folder(url: str, base: Path) -> Path | None:
    """The folder of a remote given as a path (relative to `base`) or a file:// URL; None
    for a server."""
    if url.startswith("file://"):
        return Path(unquote(urlparse(url).path))
    if "://" in url or (
        re.match(r"^[^/\\]+:", url) and not re.match(r"^[A-Za-z]:[\\/]", url)
    ):
        return None  # ssh://, https://, or scp-like host:path (not a Windows drive)
    return base / url


def _stamp(path: Path) -> tuple[int, int, int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def wait_or_clear(
    lock: str,
    remote_url: str,
    base: Path,
    tell: Callable[[str], None],
) -> str | None:
    """Wait for a remote lock to go; clear it when it is stale and reachable here.

    Returns a note for the user when this laptop removed the lock, None when the lock
    went by itself. Raises nothing: the caller pushes again and, if the lock still
    blocks, reports `still_locked`.
    """
    folder = local_folder(remote_url, base)
    path = Path(lock)
    reachable = folder is not None and _inside(path, folder)
    tell(
        f"waiting for the remote: {path.name} is there (another laptop sending, or a "
        f"sync cut off); up to {PATIENCE if reachable else SERVER_WAIT:g} s"
    )
    if not reachable:
        time.sleep(SERVER_WAIT)  # a server's file: nothing to watch from here
        return None
    first = _stamp(path)
    if first is None or not _wait(path, first):
        return None
    try:
        os.unlink(path)
    except OSError:  # gone by itself, or not ours to delete: the next push says which
        return None
    return (
        f"removed {path}: a lock left in the remote by a sync cut off on some laptop "
        f"(it had not changed for {PATIENCE:g} s)"
    )


def _wait(path: Path, first: tuple[int, int, int, int]) -> bool:
    """Poll until the lock goes or changes (False) or stays the same for `PATIENCE` (True)."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        time.sleep(POLL)
        if _stamp(path) != first:
            return False
    return _stamp(path) == first


def still_locked(lock: str) -> str:
    """The one line when a remote lock would not go."""
    return (
        f"the remote is locked by {lock}: no laptop is sending, so a sync was cut off "
        "there; delete that file on the remote (or ask whoever keeps it to), then sync again"
    )
