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
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

from auditui import filecache

WORTH_BYTES = 256 * 1024
"""Smaller files (under about 1,000 items) are read in a few milliseconds anyway."""


def warm_after_exit(path: Path | None) -> int | None:
    """Read `path` into the cache in a child process if it was saved moments ago and is
    big enough to matter; the child's process id, or None when nothing was started."""
    if path is None or not hasattr(os, "fork") or filecache.cache_dir() is None:
        return None
    try:
        status = os.stat(path)
    except OSError:
        return None
    changed = max(status.st_mtime_ns, status.st_ctime_ns)
    if status.st_size < WORTH_BYTES or time.time_ns() - changed >= filecache.MIN_AGE_NS:
        return None  # small, or the cache's file checks already vouch for it
    if threading.active_count() > 1:
        return None  # forking beside other threads could copy a lock one of them holds
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    try:
        child = os.fork()
    except OSError:
        return None
    if child:
        return child
    _read_in_child(path)
    raise AssertionError("unreachable")  # pragma: no cover


def _read_in_child(path: Path) -> None:  # pragma: no cover - runs in the forked child
    code = 0
    try:
        os.setsid()  # not ended with the terminal's session
        quiet = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(quiet, fd)
        from auditui.session_toml import read_session_file

        read_session_file(path)
    except BaseException:
        code = 1
    finally:
        os._exit(code)
