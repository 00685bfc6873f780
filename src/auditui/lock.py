"""One program at a time on a session: a lock the operating system drops when we die.

The lock is on a separate `<session>.lock` file, not the session file, because an
atomic save swaps in a new session file and a lock on the old one would protect
nothing. `flock` (POSIX) and `msvcrt.locking` (Windows) are released by the
kernel when the process ends, so a crash never leaves a session blocked.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from auditui.errors import AudituiError, SessionLockedError
from auditui.safefile import open_regular

if sys.platform.startswith("win"):  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


try_lock = _try_lock
"""Take an exclusive lock on an open file without waiting: False if another has it."""
unlock = _unlock


class SessionLock:
    """An exclusive, non-blocking lock on `<folder>/<session id>.lock`."""

    def __init__(self, lock_path: Path, session_id: str) -> None:
        self.path = lock_path
        self.session_id = session_id
        self._fd: int | None = None

    def acquire(self) -> None:
        for _ in range(5):
            try:
                fd = open_regular(self.path, os.O_RDWR | os.O_CREAT, what="lock file")
            except OSError as exc:
                raise AudituiError(
                    f"cannot create the lock file: {exc.strerror or exc}", path=self.path
                ) from None
            if not _try_lock(fd):
                os.close(fd)
                raise SessionLockedError(
                    f"session '{self.session_id}' is open in another auditui; close it there first",
                    path=self.path.with_suffix(".toml"),
                )
            # The holder before us may have removed the file after we opened it:
            # only a lock on the file that is at the path now counts.
            try:
                same = os.path.samestat(os.fstat(fd), os.lstat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                self._fd = fd
                try:
                    os.ftruncate(fd, 0)
                    os.write(fd, f"{os.getpid()}\n".encode())
                except OSError:
                    pass
                return
            _unlock(fd)
            os.close(fd)
        raise SessionLockedError(f"session '{self.session_id}' is busy; try again", path=self.path)

    def _at_path(self) -> bool:
        """True when the file at our path is the one we hold the lock on."""
        try:
            return self._fd is not None and os.path.samestat(
                os.fstat(self._fd), os.lstat(self.path)
            )
        except OSError:
            return False

    def ensure(self) -> None:
        """Before writing: still ours? The lock file may have gone (the sessions folder
        deleted and made again); take the lock again, or raise `SessionLockedError` if
        another auditui opened the session meanwhile."""
        if self._fd is None or self._at_path():
            return
        old, self._fd = self._fd, None
        try:
            self.acquire()
        except AudituiError:
            self._fd = old
            raise
        _unlock(old)
        os.close(old)

    def release(self) -> None:
        if self._fd is None:
            return
        if self._at_path():  # never remove a lock file another auditui made
            try:
                os.unlink(self.path)
            except OSError:
                pass
        fd, self._fd = self._fd, None
        _unlock(fd)
        os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> SessionLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


@contextmanager
def waiting_lock(path: Path, *, wait_s: float, busy: str) -> Iterator[None]:
    """Hold an exclusive lock on `path` for a short read-modify-write, waiting up to
    `wait_s` for another auditui to finish (then `AudituiError(busy)`). The lock file is
    removed on the way out, so none is left behind; as in `SessionLock`, a lock counts
    only on the file that is at `path` now (the one before may have just been removed)."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fd = open_regular(path, os.O_RDWR | os.O_CREAT, what="lock file")
        except OSError as exc:
            raise AudituiError(
                f"cannot create the lock file: {exc.strerror or exc}", path=path
            ) from None
        locked = _try_lock(fd)
        if locked:
            try:
                if os.path.samestat(os.fstat(fd), os.lstat(path)):
                    break
            except FileNotFoundError:
                pass
            _unlock(fd)
        os.close(fd)
        if time.monotonic() > deadline:
            raise AudituiError(busy, path=path)
        time.sleep(0 if locked else 0.02)
    try:
        yield
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass
        _unlock(fd)
        os.close(fd)
