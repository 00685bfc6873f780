"""A cache of the files auditui has read: the checklist or session each one became.

Parsing a 5,000-item TOML file and checking every value takes a few hundred
milliseconds; loading the finished object from the cache takes a few tens. An
entry is used only while the file is exactly as it was when it was read: same
device, inode, size, modification and change time (an edit, a copy over it or
an atomic save changes at least one of them). A file changed in the last two
seconds is never kept by those checks, so a second edit within the same tick of a
coarse file-system clock cannot go unnoticed.

A few values depend on nothing but a file's content and auditui's code: those are kept
under the SHA-256 of that content instead (`recall`, `remember`), with the same checks.
The results part of a new session's file is its checklist's items written out; a session
saved a moment ago is kept under the digest of its file's bytes (`session_toml`), which
are read in full and hashed before the entry is used. That entry is made by reading the
file as any read does (on quitting, `warm.py` does it in the background).

The cache lives in the user's cache folder (`$XDG_CACHE_HOME/auditui`,
`~/.cache/auditui`, `~/Library/Caches/auditui`, `%LOCALAPPDATA%\\auditui\\cache`),
never beside the data; `AUDITUI_CACHE_DIR` moves it and `AUDITUI_NO_CACHE=1` turns
it off. It is only ever a shortcut: an entry that is missing, stale, damaged or
from another version of auditui or Python is ignored, entries are written
atomically and checked against a digest before use, and no failure of the cache
ever fails a command. Entries are pickles, so they are read only from a folder
that belongs to the user and that nobody else can write to.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import time
from functools import cache
from pathlib import Path
from typing import Any

import auditui

CACHE_ENV = "AUDITUI_CACHE_DIR"
DISABLE_ENV = "AUDITUI_NO_CACHE"
FORMAT = 2
"""Bump when what is stored changes shape."""
MIN_AGE_NS = 2_000_000_000
"""Files changed more recently than this are not cached (FAT's clock ticks every 2 s)."""
MAGIC = b"auditui-cache\x00"
DIGEST_SIZE = 32
MAX_ENTRIES = 10_000
MAX_BYTES = 256 * 1024 * 1024
"""Beyond this many entries or bytes, the oldest are removed when new ones are written.
Enough for a history of thousands of sessions: at a few hundred entries, listing a folder
of a thousand sessions evicted the first half while writing the second, and was never fast."""
MAX_AGE_S = 60 * 60 * 24 * 60
"""Entries not rewritten for this long are removed when a new one is written."""
_PRUNE_EVERY = 50

# The modules whose code decides what a file becomes: an entry written by other code
# (an upgrade, a change in a working copy) is not used.
_SOURCES = (
    "checklist.py",
    "clauses.py",
    "schema.py",
    "seal.py",
    "session.py",
    "session_index.py",
    "session_toml.py",
    "timeutil.py",
    "tomlio.py",
    "tomlwrite.py",
    "vocabulary.py",
)

_writes = 0


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    if os.environ.get(DISABLE_ENV, "").strip() not in ("", "0"):
        return None
    configured = os.environ.get(CACHE_ENV, "").strip()
    if configured:
        return Path(configured)
    return _default_dir()


@cache
def _default_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("auditui", appauthor=False))


@cache
def code_stamp() -> tuple:
    here = Path(__file__).resolve().parent
    stamps: list[Any] = [FORMAT, auditui.__version__, sys.version, pickle.HIGHEST_PROTOCOL]
    for name in _SOURCES:
        try:
            status = os.stat(here / name)
            stamps.append((name, status.st_size, status.st_mtime_ns))
        except OSError:
            stamps.append((name, None))
    return tuple(stamps)


def file_identity(status: os.stat_result) -> tuple[int, ...]:
    """What changes whenever a file does: an edit, a copy over it, an atomic save (a new
    inode) or a `touch`."""
    return (
        status.st_dev,
        status.st_ino,
        status.st_size,
        status.st_mtime_ns,
        status.st_ctime_ns,
    )


def _entry_path(folder: Path, kind: str, path: Path) -> tuple[Path, str]:
    where = os.path.abspath(path)
    name = hashlib.sha256(f"{kind}\x00{where}".encode("utf-8", "surrogatepass")).hexdigest()
    return folder / f"{name[:40]}.{kind}.pickle", where


def safe_folder(folder: Path) -> bool:
    """The folder is ours and nobody else can write to it (entries are pickles)."""
    try:
        status = os.stat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(status.st_mode):
        return False
    return not hasattr(os, "geteuid") or (
        status.st_uid == os.geteuid() and not status.st_mode & 0o022
    )


def lookup(kind: str, path: Path) -> Any | None:
    """What `path` became when it was last read as `kind`, if the file is unchanged since."""
    try:
        folder = cache_dir()
        if folder is None:
            return None
        status = os.lstat(path)  # a link is read (and refused or followed) afresh
        if not stat.S_ISREG(status.st_mode):
            return None
        entry, where = _entry_path(folder, kind, path)
        return _read_entry(folder, entry, (kind, where, file_identity(status)))
    except Exception:  # a cache never fails a command
        return None


def store(kind: str, path: Path, status: os.stat_result, value: Any) -> bool:
    """Remember what `path` became; `status` is the file's, taken before it was read.
    False when it was not kept: a file changed in the last two seconds, no cache."""
    try:
        folder = cache_dir()
        if folder is None:
            return False
        if not stat.S_ISREG(status.st_mode) or too_new(status):
            return False
        entry, where = _entry_path(folder, kind, path)
        _write_entry(folder, entry, (kind, where, file_identity(status)), value)
        return True
    except Exception:  # a cache never fails a command
        return False


def too_new(status: os.stat_result) -> bool:
    """Changed in the last two seconds: too new for the file checks to vouch for it."""
    changed = max(status.st_mtime_ns, status.st_ctime_ns)
    return time.time_ns() - changed < MIN_AGE_NS


def recall(kind: str, key: str) -> Any | None:
    """What was made as `kind` from content whose digest is `key` (`remember`): for
    values that depend on nothing but that content and auditui's code, such as the
    results part of a new session's file, which is the checklist's items written out."""
    try:
        folder = cache_dir()
        if folder is None or not key:
            return None
        return _read_entry(folder, _keyed_entry(folder, kind, key), (kind, key, None))
    except Exception:  # a cache never fails a command
        return None


def remember(kind: str, key: str, value: Any) -> None:
    """Keep `value`, made as `kind` from content whose digest is `key`."""
    try:
        folder = cache_dir()
        if folder is None or not key:
            return
        _write_entry(folder, _keyed_entry(folder, kind, key), (kind, key, None), value)
    except Exception:  # a cache never fails a command
        return


def _keyed_entry(folder: Path, kind: str, key: str) -> Path:
    name = hashlib.sha256(f"{kind}\x01{key}".encode("utf-8", "surrogatepass")).hexdigest()
    return folder / f"{name[:40]}.{kind}.pickle"


def _read_entry(folder: Path, entry: Path, about: tuple) -> Any | None:
    """The value in `entry` if it is whole, ours, and was stored for `about` by this code."""
    try:
        with open(entry, "rb") as handle:
            blob = handle.read()
    except OSError:
        return None
    if not safe_folder(folder):
        return None
    head = len(MAGIC)
    if blob[:head] != MAGIC:
        return None
    digest, body = blob[head : head + DIGEST_SIZE], blob[head + DIGEST_SIZE :]
    if hashlib.blake2b(body, digest_size=DIGEST_SIZE).digest() != digest:
        return None
    stored = pickle.loads(body)
    if not isinstance(stored, tuple) or len(stored) != 5 or stored[:4] != (code_stamp(), *about):
        return None
    return stored[4]


def _write_entry(folder: Path, entry: Path, about: tuple, value: Any) -> None:
    """Write `entry` atomically: a temporary file renamed over it."""
    global _writes
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not safe_folder(folder):
        return
    body = pickle.dumps((code_stamp(), *about, value), protocol=pickle.HIGHEST_PROTOCOL)
    digest = hashlib.blake2b(body, digest_size=DIGEST_SIZE).digest()
    tmp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(MAGIC + digest + body)
        os.replace(tmp, entry)
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass
    _writes += 1
    if _writes % _PRUNE_EVERY == 1:
        prune(folder)


def prune(
    folder: Path,
    *,
    keep: int = MAX_ENTRIES,
    max_bytes: int = MAX_BYTES,
    max_age_s: float = MAX_AGE_S,
) -> None:
    """Remove old entries (and temporary files left by a crash) so the cache stays small."""
    try:
        entries = []
        now = time.time()
        with os.scandir(folder) as found:
            for item in found:
                if not item.name.endswith((".pickle", ".tmp", ".lock")):
                    continue
                try:
                    status = item.stat()
                except OSError:
                    continue
                age = now - status.st_mtime
                if age > max_age_s or (item.name.endswith((".tmp", ".lock")) and age > 60):
                    _unlink(item.path)
                elif item.name.endswith(".pickle"):
                    entries.append((status.st_mtime, status.st_size, item.path))
        entries.sort(reverse=True)
        total = 0
        for number, (_, size, name) in enumerate(entries):
            total += size
            if number >= keep or total > max_bytes:
                _unlink(name)
    except Exception:
        return


def _unlink(name: str) -> None:
    try:
        os.unlink(name)
    except OSError:
        pass
