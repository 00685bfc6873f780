"""Reading a session saved on quitting, in the background, so that `auditui resume`
right after finds it in the cache of read files.

Quitting folds the journal into the session file: a new file, which the cache's file
checks cannot vouch for during two seconds (`filecache`), so a resume straight away read
and checked every item again (about 70 ms of its start for 5,000 items). Once the app
has ended (terminal restored, lock released), a forked child reads the file exactly as
`resume` would, which keeps what it became under the digest of its bytes
(`session_toml.read_session_file`); a later read uses that only after reading the file
in full and finding the same digest. The shell's prompt does not wait for the child,
and nothing it does can fail or change the command: it writes only to the cache.

While it reads, the child holds a lock on a file in the cache folder named after the
session file. A `resume` typed at once (the up arrow and enter) that finds no entry yet
waits for the child (`wait_for_warming`), which has done part of the work already,
instead of reading the file again beside it: never longer than `WAIT_LIMIT_S`, and
only while the child is alive (a lock ends with its process).
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import time
from pathlib import Path

from auditui import filecache

WORTH_BYTES = 256 * 1024
"""Smaller files (under about 1,000 items) are read in a few milliseconds anyway."""
WAIT_LIMIT_S = 1.0
"""The longest a read waits for the child (which takes about 0.1 s for 5,000 items)."""
LOCK_SUFFIX = ".warming.lock"

_reading_here = False
"""True in the child: its own read must not wait for its own lock."""


def warm_after_exit(path: Path | None) -> int | None:
    """Read `path` into the cache in a child process if it was saved moments ago and is
    big enough to matter; the child's process id, or None when nothing was started."""
    if path is None or not hasattr(os, "fork") or filecache.cache_dir() is None:
        return None
    try:
        status = os.stat(path)
    except OSError:
        return None
    if status.st_size < WORTH_BYTES or not filecache.too_new(status):
        return None  # small, or the cache's file checks already vouch for it
    if threading.active_count() > 1:
        return None  # forking beside other threads could copy a lock one of them holds
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    lock = _hold(path)
    if lock is None:
        return None  # another is reading this file already, or no locks here
    try:
        child = os.fork()
    except OSError:
        _let_go(lock, path)
        return None
    if child:
        os.close(lock)  # the child's copy of the descriptor keeps the lock
        return child
    _read_in_child(path, lock)
    raise AssertionError("unreachable")  # pragma: no cover


def _read_in_child(path: Path, lock: int) -> None:  # pragma: no cover - the forked child
    global _reading_here
    _reading_here = True
    code = 0
    try:
        os.setsid()  # not ended with the terminal's session
        quiet = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(quiet, fd)
        # Nothing the app had open lives on here (a session's lock above all), but the
        # lock this child holds for its read.
        os.closerange(3, lock)
        os.closerange(lock + 1, 1 << 16)
        from auditui.session_toml import read_session_file

        read_session_file(path)
    except BaseException:
        code = 1
    finally:
        _let_go(lock, path)
        os._exit(code)


def wait_for_warming(path: Path) -> bool:
    """If `path` is being read into the cache in the background right now, wait until it
    is done (at most `WAIT_LIMIT_S`); True when it ended in that time."""
    lock_file = _lock_file(path)
    if _reading_here or lock_file is None:
        return False
    try:
        import fcntl

        fd = os.open(lock_file, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except (ImportError, OSError):
        return False  # nothing is being read
    try:
        deadline = time.monotonic() + WAIT_LIMIT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(0.005)
            except OSError:
                return False
    finally:
        os.close(fd)


def _lock_file(path: Path) -> Path | None:
    folder = filecache.cache_dir()
    if folder is None:
        return None
    where = os.path.abspath(path).encode("utf-8", "surrogatepass")
    return folder / f"{hashlib.sha256(where).hexdigest()[:40]}{LOCK_SUFFIX}"


def _hold(path: Path) -> int | None:
    """Lock `path`'s lock file for the child to inherit: its descriptor, or None."""
    lock_file = _lock_file(path)
    if lock_file is None:
        return None
    try:
        import fcntl

        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
    except (ImportError, OSError):
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _let_go(lock: int, path: Path) -> None:
    """Remove the lock file, then release it: a read that opened it before is let go."""
    lock_file = _lock_file(path)
    try:
        if lock_file is not None:
            os.unlink(lock_file)
    except OSError:
        pass
    try:
        os.close(lock)
    except OSError:
        pass
