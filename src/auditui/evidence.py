"""Evidence files attached to an answer: copied into the sessions folder, proven unchanged.

An auditor's photo of a mislabelled lot or a copy of a calibration certificate is
copied to `<sessions folder>/evidence/<session id>/`, so it syncs and backs up with
the session, under a name auditui makes from the file's SHA-256 (never from the
user's path, so `..`, odd characters or a name used twice cannot matter). The
session records the copy's path, hash, size, original name and when it was added;
`check` later tells whether each copy is still there and unchanged.

A copy is written to a temporary file, flushed and renamed, so a crash leaves
either no copy or a whole one. Only a regular file is copied: a folder, a FIFO, a
device or a symlink is refused with a one-line message, and so is a file larger
than the limit (`AUDITUI_EVIDENCE_MAX_MB`, 100 MB by default).
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditui.errors import AudituiError
from auditui.timeutil import with_zone
from auditui.tomlio import fsync_folder, temp_path_for, write_all

if TYPE_CHECKING:
    from auditui.schema import Problems

FOLDER = "evidence"
LIMIT_ENV = "AUDITUI_EVIDENCE_MAX_MB"
DEFAULT_LIMIT_MB = 100
_CHUNK = 1024 * 1024
_SUFFIX = re.compile(r"\.[a-z0-9]{1,8}$")
DIGEST_IN_NAME = 32
"""Hex digits of its SHA-256 that begin the name of each copy `attach` makes."""
_COPY_NAME = rf"[0-9a-f]{{{DIGEST_IN_NAME}}}(\.[a-z0-9]{{1,8}})?"
_NAMED_BY_DIGEST = re.compile(_COPY_NAME)
_STORED = re.compile(r"evidence/[A-Za-z0-9][A-Za-z0-9._-]{0,150}/" + _COPY_NAME)
"""The only paths a session may name for a copy: inside the evidence folder, made by auditui."""
_SHA256 = re.compile(r"[0-9a-f]{64}")
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp"})


@dataclass(frozen=True, slots=True)
class Attachment:
    """One evidence file as a session records it (SPEC: `attachments` of a result)."""

    file: str
    """Where the copy is, relative to the sessions folder: `evidence/<session id>/<name>`."""
    sha256: str
    size: int
    name: str
    """The file's name where it was attached from: user text, shown, never used as a path."""
    added: datetime

    def to_table(self) -> dict:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "size": self.size,
            "name": self.name,
            "added": self.added,
        }

    def to_json(self) -> dict[str, Any]:
        return {**self.to_table(), "added": self.added.isoformat()}

    @property
    def is_image(self) -> bool:
        return Path(self.file).suffix.lower() in IMAGE_SUFFIXES


def attachment_problem(table: Any) -> str | None:
    """What is wrong with an attachment as read from a file, or None."""
    if not isinstance(table, dict):
        return "must be a table { file, sha256, size, name, added }"
    unknown = sorted(set(table) - {"file", "sha256", "size", "name", "added"})
    if unknown:
        return f"unknown key '{unknown[0]}'"
    file, digest, size = table.get("file"), table.get("sha256"), table.get("size")
    if not isinstance(file, str) or not _STORED.fullmatch(file):
        return "file must be a path evidence/<session id>/<name> as auditui makes it"
    if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
        return "sha256 must be 64 lowercase hex digits"
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        return "size must be a whole number of bytes"
    if not isinstance(table.get("name"), str):
        return "name must be text"
    if not isinstance(table.get("added"), datetime):
        return "added must be a date-time"
    return None


def attachments_from(problems: Problems, value: Any, where: str) -> tuple[Attachment, ...]:
    """The attachments of a result as read from a session file, each one checked."""
    if not isinstance(value, list):
        problems.add(where, "must be an array of tables { file, sha256, size, name, added }")
        return ()
    found: list[Attachment] = []
    for position, table in enumerate(value):
        problem = attachment_problem(table)
        if problem:
            problems.add(f"{where}[{position}]", problem)
            continue
        found.append(_from_table(table, table["added"]))
    return tuple(found)


def attachments_from_json(value: Any) -> tuple[Attachment, ...]:
    """The attachments of a journal entry; `ValueError` when any is not as auditui writes."""
    if not isinstance(value, list):
        raise ValueError("attachments must be a list")
    found = []
    for table in value:
        if not isinstance(table, dict) or not isinstance(table.get("added"), str):
            raise ValueError("bad attachment")
        added = with_zone(datetime.fromisoformat(table["added"]))
        problem = attachment_problem({**table, "added": added})
        if problem:
            raise ValueError(f"bad attachment: {problem}")
        found.append(_from_table(table, added))
    return tuple(found)


def _from_table(table: dict[str, Any], added: datetime) -> Attachment:
    return Attachment(table["file"], table["sha256"], table["size"], table["name"], added)


def size_text(size: int) -> str:
    """`812 bytes`, `45.2 KB`, `3.1 MB`: a file's size for people."""
    if size < 1024:
        return "1 byte" if size == 1 else f"{size:,} bytes"
    value = size / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def size_limit() -> int:
    """The largest file that may be attached, in bytes: `AUDITUI_EVIDENCE_MAX_MB` (`inf`:
    no limit), else the default for anything that is not a number of megabytes over 0
    (a negative one refused every file; `inf` ended the app)."""
    raw = os.environ.get(LIMIT_ENV, "").strip()
    given = _limit_given(raw) if raw else None
    return given if given is not None else DEFAULT_LIMIT_MB * 1024 * 1024


def _limit_given(raw: str) -> int | None:
    """The limit in bytes `raw` megabytes give; None when it is no number over 0."""
    try:
        limit = float(raw) * 1024 * 1024  # inf for `inf`, and for a number too large to hold
    except ValueError:
        return None
    if limit == math.inf:
        return sys.maxsize
    if not math.isfinite(limit) or limit < 1:
        return None
    return min(int(limit), sys.maxsize)


def session_folder(sessions_dir: Path, session_id: str) -> Path:
    return sessions_dir / FOLDER / session_id


def attach(sessions_dir: Path, session_id: str, source: Path, added: datetime) -> Attachment:
    """Copy `source` into the session's evidence folder and describe the copy.

    The same content attached twice is stored once.
    """
    limit = size_limit()
    fd = _open_source(source)
    try:
        status = os.fstat(fd)
        _check_size(status.st_size, limit, source)
        folder = session_folder(sessions_dir, session_id)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise AudituiError(
                f"cannot make the evidence folder: {exc.strerror or exc}", path=folder
            ) from None
        digest, size, tmp = _copy_to_temp(fd, folder, limit, source)
    finally:
        os.close(fd)
    stored = folder / (digest[:DIGEST_IN_NAME] + _suffix(source.name))
    try:
        if stored.is_file() and not stored.is_symlink() and hash_file(stored) == digest:
            os.unlink(tmp)
        else:
            os.replace(tmp, stored)
            fsync_folder(folder)
    except OSError as exc:
        _remove(tmp)
        raise AudituiError(f"cannot save the copy: {exc.strerror or exc}", path=stored) from None
    relative = f"{FOLDER}/{session_id}/{stored.name}"
    return Attachment(relative, digest, size, source.name, added)


def adopt(sessions_dir: Path, session_id: str, attachment: Attachment) -> Attachment:
    """`attachment`, held in another session's evidence folder, copied into `session_id`'s
    own (a merged session keeps its evidence when a part and its folder are cleared away,
    and its folder is the one to copy to another laptop). Its name and date stay; the
    attachment itself when it is already there; `AudituiError` when the copy it names is
    missing or no longer the file that was attached."""
    own = f"{FOLDER}/{session_id}/"
    if attachment.file.startswith(own):
        return attachment
    problems = check(sessions_dir, [attachment])
    if problems:
        raise AudituiError(f"evidence file {problems[0][1]}", path=sessions_dir / attachment.file)
    copied = attach(sessions_dir, session_id, sessions_dir / attachment.file, attachment.added)
    if copied.sha256 != attachment.sha256:  # changed in the moment between
        raise AudituiError("evidence file changed", path=sessions_dir / attachment.file)
    return Attachment(copied.file, copied.sha256, copied.size, attachment.name, attachment.added)


def remove_stale_temp_files(sessions_dir: Path, session_id: str) -> None:
    """Delete half-made copies a killed auditui left in a session's evidence folder.

    Called only while holding the session's lock, so no copy of ours is under way.
    """
    for leftover in session_folder(sessions_dir, session_id).glob(".attachment.*.tmp"):
        _remove(leftover)


def check_source(source: Path) -> None:
    """What `attach` would refuse of `source` before copying it (missing, a link, a
    folder, a pipe, too large), as `AudituiError`: for a dialog to say while the path
    it was given can still be mended."""
    fd = _open_source(source)  # a file that cannot be read is said here too
    try:
        _check_size(os.fstat(fd).st_size, size_limit(), source)
    finally:
        os.close(fd)


def _check_size(size: int, limit: int, source: Path) -> None:
    if size > limit:
        raw = os.environ.get(LIMIT_ENV, "")
        if raw.strip() and _limit_given(raw.strip()) is None:  # set, but not taken
            how = (
                f"{LIMIT_ENV}={raw!r} is no size auditui can use (a number of megabytes, "
                "at least a byte), so the default holds"
            )
        else:
            how = f"set {LIMIT_ENV} to change it"
        raise AudituiError(
            f"too large to attach ({size:,} bytes; the limit is {limit:,}, {how})",
            path=source,
        )


def _regular_file(source: Path) -> os.stat_result:
    """`source`'s own status (`lstat`) when it is a regular file, not a symlink."""
    try:
        link = os.lstat(source)
    except FileNotFoundError:
        raise AudituiError("no such file", path=source) from None
    except OSError as exc:
        raise AudituiError(f"cannot read: {exc.strerror or exc}", path=source) from None
    if stat.S_ISLNK(link.st_mode):
        raise AudituiError("is a symbolic link; attach the file it points to", path=source)
    if stat.S_ISDIR(link.st_mode):
        raise AudituiError("is a folder, not a file", path=source)
    if not stat.S_ISREG(link.st_mode):
        raise AudituiError("is not a regular file (a pipe or a device?)", path=source)
    return link


def _open_source(source: Path) -> int:
    """A read handle on `source` if it is a regular file that is not a symlink."""
    _regular_file(source)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(source, flags)
    except PermissionError:
        raise AudituiError("permission denied", path=source) from None
    except OSError as exc:
        raise AudituiError(f"cannot read: {exc.strerror or exc}", path=source) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped between the two looks
        os.close(fd)
        raise AudituiError("is not a regular file", path=source)
    return fd


def _copy_to_temp(fd: int, folder: Path, limit: int, source: Path) -> tuple[str, int, Path]:
    tmp = temp_path_for(folder / "attachment")
    digest = hashlib.sha256()
    size = 0
    try:
        out = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            while chunk := os.read(fd, _CHUNK):
                size += len(chunk)
                if size > limit:
                    raise AudituiError("grew past the size limit while it was copied", path=source)
                digest.update(chunk)
                write_all(out, chunk)
            os.fsync(out)
        finally:
            os.close(out)
    except AudituiError:
        _remove(tmp)
        raise
    except OSError as exc:
        _remove(tmp)
        raise AudituiError(f"cannot copy: {exc.strerror or exc}", path=source) from None
    return digest.hexdigest(), size, tmp


def gives_its_name(copy: Path) -> bool | None:
    """Whether an evidence copy still has the content its name gives (`attach` names each
    copy by the start of its SHA-256); None for a file whose name is not one `attach`
    makes. `OSError` when it cannot be read."""
    if not _NAMED_BY_DIGEST.fullmatch(copy.name):
        return None
    return copy.name.startswith(hash_file(copy)[:DIGEST_IN_NAME])


def content_gives_name(name: str, data: bytes) -> bool | None:
    """`gives_its_name` for a copy's content held in memory (one another laptop sent)."""
    if not _NAMED_BY_DIGEST.fullmatch(name):
        return None
    return name.startswith(hashlib.sha256(data).hexdigest()[:DIGEST_IN_NAME])


def _suffix(name: str) -> str:
    """The original extension when it is a plain one (`.jpg`), so viewers know the type."""
    match = _SUFFIX.search(name.lower())
    return match.group(0) if match else ""


def hash_file(path: Path) -> str:
    """The hex SHA-256 of a file's bytes, read a megabyte at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def check(sessions_dir: Path, attachments: Iterable[Attachment]) -> list[tuple[Attachment, str]]:
    """Each attachment whose copy is missing, changed or unreadable, with which. A link
    or anything but a regular file in the copy's place is a changed copy: something was
    put there."""
    problems: list[tuple[Attachment, str]] = []
    for attachment in attachments:
        path = sessions_dir / attachment.file
        try:
            if not os.path.lexists(path):
                problems.append((attachment, "missing"))
            elif (
                path.is_symlink() or not path.is_file() or hash_file(path) != attachment.sha256
            ):
                problems.append((attachment, "changed"))
        except OSError:
            problems.append((attachment, "unreadable"))
    return problems


def typed_paths(text: str) -> list[str]:
    """The paths in what was typed or pasted, made plain. A file dragged onto a terminal
    arrives quoted the way a shell would read it (`'/photos/IMG 7.jpg'`, `'it'\\''s.jpg'`),
    with its spaces escaped (`IMG\\ 7.jpg`, macOS), or as a `file://` address, often with
    a space after it; several dropped at once come on one line. A name that is there as
    typed is taken as it is. `~` is left for the caller."""
    text = text.strip()
    if not text or os.path.lexists(os.path.expanduser(text)):
        return [text] if text else []
    if text.startswith("file://"):
        from urllib.parse import urlsplit
        from urllib.request import url2pathname

        return [url2pathname(urlsplit(address).path) for address in text.split()]
    if os.sep == "/" and (text[0] in "'\"" or "\\" in text):
        import shlex

        try:
            return shlex.split(text)
        except ValueError:  # a quote not closed: not a shell's quoting
            return [text]
    return [text]


def newest_first(folder: Path, limit: int = 200, prefix: str = "") -> tuple[list[Path], int]:
    """The regular files directly in `folder` whose names start with `prefix` (any case),
    newest first (a phone's photos copied over), at most `limit` of them; and how many
    there are. The prefix is applied before the limit: a file among the older ones of a
    big folder is still found by its name."""
    entries: list[tuple[float, Path]] = []
    start = prefix.lower()
    try:
        with os.scandir(folder) as scan:
            for entry in scan:
                if entry.name.startswith(".") or not entry.name.lower().startswith(start):
                    continue
                if not entry.is_file(follow_symlinks=False):
                    continue
                try:
                    entries.append((entry.stat(follow_symlinks=False).st_mtime, Path(entry.path)))
                except OSError:
                    continue
    except OSError:
        return [], 0
    entries.sort(key=lambda pair: (-pair[0], pair[1].name))
    return [path for _, path in entries[:limit]], len(entries)
