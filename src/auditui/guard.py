"""Is the session file on disk still the one this program wrote or read?

While a session is open in the app, another program may put a different file in its
place: a copy over it, a `git pull`, an editor. Saving on top of it would silently
throw that file away, so the writer remembers what it last wrote or read (the file's
identity, and its SHA-256 for when only the identity changed, as after a `touch`)
and checks before every save. The digest is also what a journal names on its first
line, so a journal is never applied to another file.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from auditui.errors import AudituiError
from auditui.filecache import file_identity
from auditui.safefile import is_regular
from auditui.tomlio import read_file


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    """The SHA-256 of the session file at `path` (refused like any read of it)."""
    return digest_of(read_file(path, what="session file")[0])


def current_identity(path: Path) -> tuple[int, ...] | None:
    """The identity of the file at `path` itself (a link is not followed), or None."""
    try:
        return file_identity(os.lstat(path))
    except OSError:
        return None


def kept_name(path: Path, session_id: str) -> Path:
    """Where a writer keeps its version when the file it had open was replaced: beside
    it, still a session file (`<id>.kept-<time>.toml`), so nothing is lost and both can
    be read, compared and exported."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{session_id}.kept-{stamp}.toml")


class SnapshotGuard:
    """What the session file at `path` was when this program last wrote or read it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.identity: tuple[int, ...] | None = None
        self.digest: str | None = None

    def remember_written(self, data: bytes) -> None:
        """After writing `data` to `path`."""
        self.identity = current_identity(self.path)
        self.digest = digest_of(data)

    def remember_file(self) -> None:
        """After reading the file at `path` (the digest of what is there now)."""
        data, status = read_file(self.path, what="session file")
        self.identity = file_identity(status)
        self.digest = digest_of(data)

    def replaced(self) -> bool:
        """True when another regular file is at `path` now. Not when there is none (a
        deleted session file is simply written again), nor when a link, FIFO or folder
        is there: the save itself refuses those, and retries until they are gone."""
        if self.identity is None:
            return False
        identity = current_identity(self.path)
        if identity is None or identity == self.identity or not is_regular(self.path):
            return False
        try:
            data, status = read_file(self.path, what="session file")
        except AudituiError:
            return True  # unreadable (no permission): not ours to overwrite either
        if digest_of(data) == self.digest:
            self.identity = file_identity(status)  # touched, or copied back unchanged
            return False
        return True
