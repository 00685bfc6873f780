"""Reading TOML files safely and writing files atomically.

Any bytes at all end either in a parsed document or in an `AudituiError` that
names the file and the line: invalid UTF-8, a byte-order mark (accepted, since
Windows editors write one), NUL bytes, absurd nesting, huge files.
"""

from __future__ import annotations

import os
import re
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditui.errors import AudituiError
from auditui.safefile import NOFOLLOW, check_regular_or_absent, open_regular
from auditui.textwidth import BIDI_CLASS

if TYPE_CHECKING:
    from types import ModuleType


def _parser() -> ModuleType:
    """The TOML parser, imported when a file is first parsed (a command whose files all
    come from the cache of read files never needs it): the compiled wheel of `tomli`,
    3-4x faster than the standard library's `tomllib`, else `tomllib`; the same TOML 1.0."""
    global _toml
    if _toml is None:
        try:
            import tomli

            _toml = tomli
        except ImportError:  # pragma: no cover - the same parser, uncompiled
            import tomllib

            _toml = tomllib
    return _toml


_toml: ModuleType | None = None

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Refuse anything larger: no checklist or session comes near it (5,000 items is ~2 MB)."""

UTF8_BOM = b"\xef\xbb\xbf"
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_END = re.compile(r"\s*\(at end of document\)\s*$")


def read_bytes(path: Path, *, what: str = "file", follow: bool = False) -> bytes:
    """Read a whole file, turning every operating-system failure into a clean message."""
    return read_file(path, what=what, follow=follow)[0]


def read_file(
    path: Path, *, what: str = "file", follow: bool = False
) -> tuple[bytes, os.stat_result]:
    """Read a whole file like `read_bytes`; also its status as it was when reading began
    (what the cache of read files keys on: any later change shows in it).

    Only a regular file is read (`safefile.open_regular`): a FIFO or a device is refused
    at once, never waited on; a symbolic link is refused unless `follow`.
    """
    try:
        fd = open_regular(path, what=what, follow=follow)
        with open(fd, "rb") as handle:
            status = os.fstat(handle.fileno())
            size = status.st_size
            if size > MAX_FILE_BYTES:
                raise AudituiError(
                    f"{what} is too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})",
                    path=path,
                )
            # As much as the file holds (no 64 MB buffer for a 2 KB file); if it grew
            # since, the rest up to the limit, so a file growing past it is still refused.
            data = handle.read(size + 1)
            if len(data) > size:
                data += handle.read(MAX_FILE_BYTES + 1 - len(data))
    except FileNotFoundError:
        raise AudituiError(f"no such {what}", path=path) from None
    except IsADirectoryError:
        raise AudituiError(f"is a folder, not a {what}", path=path) from None
    except PermissionError:
        raise AudituiError("permission denied", path=path) from None
    except OSError as exc:
        raise AudituiError(f"cannot read: {exc.strerror or exc}", path=path) from None
    if len(data) > MAX_FILE_BYTES:
        raise AudituiError(
            f"{what} is too large (the limit is {MAX_FILE_BYTES:,} bytes)", path=path
        )
    return data, status


def decode_text(data: bytes, path: Path) -> str:
    """UTF-8 text of a file, without a leading byte-order mark."""
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise AudituiError(
            f"not valid UTF-8 text (byte 0x{data[exc.start]:02x} at column {column}); "
            "save the file as UTF-8",
            path=path,
            line=line,
        ) from None


def parse_toml(text: str, path: Path) -> dict[str, Any]:
    """Parse TOML text; a syntax error names the line it is on."""
    parser = _parser()
    try:
        return parser.loads(text)
    except parser.TOMLDecodeError as exc:
        message = str(exc)
        line = None
        match = _TOML_POSITION.search(message)
        if match:
            line = int(match.group(1))
            twice = _defined_twice(text, message[: match.start()], line)
            if twice is not None:
                message = twice
            else:
                message = message[: match.start()] + f" (column {match.group(2)})"
        elif _TOML_END.search(message):
            message = _TOML_END.sub("", message)
            if message.startswith("Cannot "):
                message = f"a key or table is defined twice ({message.lower()})"
            else:
                message += " (at the end of the file)"
        raise AudituiError(f"not valid TOML: {message}", path=path, line=line) from None
    except RecursionError:
        raise AudituiError(
            "not valid TOML: arrays or tables nested too deeply", path=path
        ) from None
    except (ValueError, OverflowError) as exc:
        too_long = _LONG_NUMBER.search(text) if "integer string conversion" in str(exc) else None
        if too_long is not None:  # Python's own words told people to call one of its functions
            digits = sum(char.isdigit() for char in too_long.group())
            raise AudituiError(
                f"not valid TOML: a number of {digits:,} digits (no count or score has more "
                "than a few)",
                path=path,
                line=text.count("\n", 0, too_long.start()) + 1,
            ) from None
        raise AudituiError(f"not valid TOML: {exc}", path=path) from None


_LONG_NUMBER = re.compile(r"[0-9](?:_?[0-9]){4300,}")
"""A number Python will not turn into an integer (more than 4,300 digits)."""


_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_KEY_AT_LINE = re.compile(rf"^\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*=")
_TABLE_HEADER = re.compile(r"^\s*\[")
_DECLARED_TWICE = re.compile(r"^Cannot declare \((.*)\) twice$")


def _defined_twice(text: str, message: str, line: int) -> str | None:
    """For a key or table defined twice: the key and both lines, in words (the parser
    says only "Cannot overwrite a value" and the second line)."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    if message == "Cannot overwrite a value":
        match = _KEY_AT_LINE.match(lines[line - 1])
        if match is None:
            return None
        key = match.group(1)
        for number in range(line - 1, 0, -1):
            earlier = lines[number - 1]
            if _TABLE_HEADER.match(earlier):
                break
            found = _KEY_AT_LINE.match(earlier)
            if found is not None and found.group(1) == key:
                return f"key '{key}' is set twice in one table (lines {number} and {line})"
        return f"key '{key}' is set twice in one table (line {line})"
    declared = _DECLARED_TWICE.match(message)
    if declared is not None:
        header = lines[line - 1].strip()
        for number in range(1, line):
            if lines[number - 1].strip() == header:
                return f"table {header} is declared twice (lines {number} and {line})"
        return f"table {header} is declared twice (line {line})"
    return None


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (not on Windows, which has no folder fsync)."""
    if sys.platform.startswith("win"):
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def temp_path_for(path: Path) -> Path:
    """A temporary name beside `path` that never ends in `.toml` (nothing mistakes it for data)."""
    return path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")


def atomic_write(
    path: Path, data: bytes, *, exclusive: bool = False, what: str = "file", limit: bool = True
) -> None:
    """Write `data` to `path` so that a crash at any moment leaves the old or the new file.

    Temporary file in the same folder, flush, fsync, then `os.replace` over the old
    file (or a hard link when `exclusive`, which refuses to replace an existing
    file), then fsync the folder. Refused before anything is written: data over the
    size auditui reads back (`MAX_FILE_BYTES`; not with `limit` false, for files auditui
    does not read, such as evidence), and a `path` that is a symbolic link, FIFO, device
    or folder (`what` names the file in the message).
    """
    if limit:
        check_writable_size(path, len(data), what)
    check_regular_or_absent(path, what)
    tmp = temp_path_for(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, 0o644)
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        if exclusive:
            _link_exclusive(tmp, path)
        else:
            _replace(tmp, path)
        fsync_folder(path.parent)
    except FileExistsError:
        raise AudituiError("already exists; nothing was overwritten", path=path) from None
    except OSError as exc:
        raise AudituiError(f"cannot save: {exc.strerror or exc}", path=path) from None
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def check_writable_size(path: Path, size: int, what: str = "file") -> None:
    """Refuse to write a file auditui would then refuse to read."""
    if size > MAX_FILE_BYTES:
        raise AudituiError(
            f"not saved: the {what} would be {size:,} bytes, over the {MAX_FILE_BYTES:,} "
            "auditui reads back",
            path=path,
        )


def write_all(fd: int, data: bytes) -> None:
    """Write every byte (`os.write` may write fewer than it is given)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _replace(tmp: Path, path: Path) -> None:
    # On Windows an antivirus or indexer may hold the target for a moment.
    for attempt in range(10):
        try:
            os.replace(tmp, path)
            return
        except PermissionError:
            if not sys.platform.startswith("win") or attempt == 9:
                raise
            time.sleep(0.05)


def _link_exclusive(tmp: Path, path: Path) -> None:
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:
        # Filesystems without hard links (FAT on a USB stick): check, then replace.
        if os.path.lexists(path):
            raise FileExistsError(str(path)) from None
        _replace(tmp, path)


class IsoDateTime(datetime):
    """A datetime that TOML writers print as `2026-11-25T09:30:00+07:00` (with the `T`
    SPEC shows) rather than Python's `str()` form with a space."""

    def __str__(self) -> str:
        return self.isoformat()


def toml_datetime(value: datetime) -> IsoDateTime:
    if isinstance(value, IsoDateTime):
        return value
    return IsoDateTime(
        value.year, value.month, value.day, value.hour, value.minute, value.second,
        value.microsecond, tzinfo=value.tzinfo, fold=value.fold,
    )  # fmt: skip


def with_iso_datetimes(value: Any) -> Any:
    if isinstance(value, datetime):
        return toml_datetime(value)
    if isinstance(value, dict):
        return {key: with_iso_datetimes(inner) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [with_iso_datetimes(inner) for inner in value]
    return value


def dumps(document: dict[str, Any]) -> str:
    """A TOML document as text, date-times written the way SPEC shows them."""
    from auditui.tomlwrite import dumps as write  # only what writes TOML imports it

    return escape_hidden(write(document, iso_datetimes=True))


_HIDDEN = re.compile(f"[\x80-\x9f\u061c\u200e\u200f\u2028\u2029{BIDI_CLASS}]")


def escape_hidden(text: str) -> str:
    """TOML text (as `tomlwrite` writes it, in tomli-w's layout) with C1 controls (U+0085,
    U+009B: a terminal acts on them), bidi marks and overrides (U+202E shows text
    backwards) and line and paragraph separators written as `\\uXXXX` escapes, as TOML
    allows in basic strings. The value read back is exactly the same; shown on a terminal
    or in an editor, nothing hides. `tomlwrite` writes every string, and every quoted key,
    as a basic string: each of these characters in its output is inside one."""
    if _HIDDEN.search(text) is None:
        return text
    return _HIDDEN.sub(lambda match: f"\\u{ord(match.group()):04X}", text)
