"""Opening files so that a hostile folder cannot make auditui block, or write elsewhere.

A sessions folder may hold anything: git stores symbolic links, a shared drive may
hold FIFOs or device nodes, and session ids are predictable, so a link can be
planted for the next `run`. Every file auditui reads or writes in it (session,
journal, lock, findings and temporary files) is opened here:

- `O_NOFOLLOW`: a symbolic link as the last part of the name is refused, never
  followed (no file outside the folder is truncated, appended to or created);
- `O_NONBLOCK`: opening a FIFO for reading returns at once instead of waiting for
  a writer (a FIFO would otherwise hang `sessions` and the home screen for good);
- `fstat` + `S_ISREG` on what was opened: only a regular file is used. The check is
  on the open descriptor, so nothing can be swapped in between check and use.

Files named on the command line to be read only (a checklist, a file to import)
may be links to a regular file (`follow=True`); they must still be regular files.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from auditui.errors import AudituiError

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
NONBLOCK = getattr(os, "O_NONBLOCK", 0)
CLOEXEC = getattr(os, "O_CLOEXEC", 0)
BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def not_regular(path: Path | str, mode: int, what: str) -> AudituiError:
    """The one-line refusal for a `what` that is a link, FIFO, device or folder."""
    return AudituiError(
        f"is {kind_of(mode)}, not a regular {what}; auditui only reads and writes regular files",
        path=path,
    )


def open_regular(
    path: Path | str, flags: int = os.O_RDONLY, mode: int = 0o644, *, what: str, follow=False
) -> int:
    """A descriptor on the regular file at `path`, opened with `flags`.

    Raises `AudituiError` naming the file when it is a symbolic link (unless `follow`),
    a FIFO, a device, a socket or a folder; `OSError` for other failures (missing file,
    permission), which callers word for their own case.
    """
    extra = NONBLOCK | CLOEXEC | BINARY | (0 if follow else NOFOLLOW)
    if not follow and not NOFOLLOW:  # pragma: no cover - systems without O_NOFOLLOW
        _refuse_link(path, what)
    try:
        fd = os.open(path, flags | extra, mode)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK) and not follow:
            # ELOOP is what O_NOFOLLOW gives for a link (EMLINK on some BSDs).
            _refuse_link(path, what)
        if exc.errno == errno.ENXIO:  # a FIFO opened for writing with no reader
            raise not_regular(path, stat.S_IFIFO, what) from None
        raise
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise not_regular(path, status.st_mode, what)
        if NONBLOCK and not flags & NONBLOCK:
            _set_blocking(fd)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _set_blocking(fd: int) -> None:
    try:
        os.set_blocking(fd, True)
    except (OSError, AttributeError):  # pragma: no cover - harmless on a regular file
        pass


def _refuse_link(path: Path | str, what: str) -> None:
    try:
        status = os.lstat(path)
    except OSError:
        return
    if stat.S_ISLNK(status.st_mode):
        raise not_regular(path, status.st_mode, what)


def check_regular_or_absent(path: Path | str, what: str) -> None:
    """Before replacing `path` with a new file: refuse when something other than a regular
    file is there (a link would be replaced, not followed, but it was not ours to drop)."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError:
        return  # the write itself reports what is wrong
    if not stat.S_ISREG(status.st_mode):
        raise not_regular(path, status.st_mode, what)


def is_regular(path: Path | str) -> bool:
    """True when `path` itself (not what a link points to) is a regular file."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def exists(path: Path | str) -> bool:
    """True when anything at all is at `path` (a dangling link too)."""
    try:
        os.lstat(path)
    except OSError:
        return False
    return True
