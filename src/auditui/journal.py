"""The session journal: one line per change, appended and fsynced as each mark is made.

Rewriting a 5,000-item session file per key costs ~50 ms; appending one line
costs well under a millisecond. Each line holds the item's whole new answer (not
a difference), so replaying a journal twice gives the same session: a crash
between writing a fresh snapshot and removing the journal loses nothing. A last
line cut short by a crash is ignored; any other line that cannot be read (a disk
error, an edit by hand) is left out and said, the lines after it applied.

A journal begins with a `base` line: the SHA-256 of the session file it continues.
Beside any other file (one imported, copied over or pulled in by another program)
it is not applied: a journal never brings another file's marks into a session.
Journals written before the `base` line existed have none and are applied. A first
line that cannot be read may have been that `base` line: nothing of such a journal is
applied either (`Replayed.base_damaged`).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from auditui.errors import AudituiError
from auditui.evidence import attachments_from_json
from auditui.safefile import is_regular, open_regular
from auditui.session import ANSWERS, RESULTS, Session, clean_text, grade_fits
from auditui.timeutil import with_zone
from auditui.tomlio import read_bytes, write_all

META_FIELDS = ("auditor", "auditee", "title")


def item_entry(session: Session, item_id: str) -> dict[str, Any]:
    record = session.record(item_id)
    return {
        "t": "item",
        "item": item_id,
        "result": record.result,
        "note": record.note,
        "grade": record.grade,
        "recorded": record.recorded.isoformat() if record.recorded else None,
        "attachments": [attachment.to_json() for attachment in record.attachments],
        "updated": session.updated.isoformat(),
    }


def meta_entry(session: Session) -> dict[str, Any]:
    entry: dict[str, Any] = {"t": "meta", "updated": session.updated.isoformat()}
    for name in META_FIELDS:
        entry[name] = getattr(session, name)
    return entry


def encode(entry: dict[str, Any]) -> bytes:
    return (json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def base_entry(digest: str) -> dict[str, Any]:
    """The first line of a journal: which session file (by SHA-256) it continues."""
    return {"t": "base", "sha256": digest}


class Replayed(NamedTuple):
    """What replaying a journal found."""

    entries: int
    """How many changes were applied (the `base` line is none)."""
    lines_left_out: bool
    """A line was unreadable (`damaged`), and left out: the next save must be a whole
    snapshot, and the journal kept aside, never appended to."""
    foreign: bool = False
    """The journal continues another session file (its `base` does not match): nothing
    in it was applied."""
    damaged: tuple[int, ...] = ()
    """The numbers of the lines left out, unreadable: the last one, torn or written by
    hand, or one before it (a disk error, an edit by hand)."""
    last_line: int = 0
    """The number of the journal's last complete line."""
    base_damaged: bool = False
    """Its first line cannot be read: it may have named another version of the session
    file, so nothing of it was applied (`foreign` is set too)."""
    damaged_items: tuple[str, ...] = ()
    """The items the damaged lines seem to be about, where that can be read from them."""

    @property
    def leaves_a_gap(self) -> bool:
        """Whether a change may be missing from what was applied: a line before the last
        left out, or the first (nothing applied). A torn last line is the usual crash."""
        return self.base_damaged or (self.lines_left_out and not self.only_the_last_damaged)

    @property
    def only_the_last_damaged(self) -> bool:
        """Whether the one line left out was the last (torn by a crash, or appended by
        hand)."""
        return len(self.damaged) == 1 and self.damaged[0] == self.last_line


def replay(
    session: Session, path: Path, snapshot_digest: Callable[[], str | None] | None = None
) -> Replayed:
    """Apply the journal at `path` to `session`, unless its `base` line names another
    session file than the one `snapshot_digest()` hashes."""
    if not os.path.lexists(path):
        return Replayed(0, False)
    data = read_bytes(path, what="journal")
    base = _base_digest(data) if snapshot_digest is not None else None
    if base is not None and snapshot_digest is not None and base != snapshot_digest():
        return Replayed(0, False, foreign=True)
    lines = data.split(b"\n")
    # A line without its newline was cut short by a crash: never written (the writer
    # cuts it off before its next append).
    complete = lines[:-1]
    if snapshot_digest is not None and base is None and not _first_line_reads(complete):
        return Replayed(0, False, foreign=True, last_line=len(complete), base_damaged=True)
    count = 0
    damaged: list[int] = []
    first = True
    for number, raw in enumerate(complete, start=1):
        if not raw.strip():
            continue
        try:
            entry = json.loads(raw.decode("utf-8"))
            if entry["t"] == "base" and not first:  # only ever the first line
                raise ValueError("a base line after the first")
            _apply(session, entry)
        except (
            RecursionError,  # a line nested thousands of levels deep
            ValueError, KeyError, TypeError, AttributeError, OverflowError,
        ):  # fmt: skip
            # Torn, or whole but of the wrong shape (written by hand or by another program,
            # or a disk error): left out, and the journal kept aside before the next mark.
            # Nothing of it was applied (`_apply` checks an entry before it changes
            # anything), and each entry holds an item (or the head) whole: the lines after
            # it apply as they were written. Refusing the whole session for one line left
            # the auditor with no way to the marks after it.
            damaged.append(number)
            continue
        finally:
            first = False
        count += entry["t"] != "base"
    return Replayed(
        count,
        bool(damaged),
        damaged=tuple(damaged),
        last_line=len(complete),
        damaged_items=tuple(
            dict.fromkeys(item for n in damaged if (item := _item_named(complete[n - 1])))
        ),
    )


def _first_line_reads(complete: list[bytes]) -> bool:
    """Whether the journal's first line is an entry (a `base` line, or an item or head
    of a journal written before `base` lines existed)."""
    for raw in complete:
        if not raw.strip():
            continue
        try:
            entry = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError):
            return False
        return isinstance(entry, dict) and entry.get("t") in ("base", "item", "meta")
    return True


_ITEM_NAMED = re.compile(rb'"item"\s*:\s*"([^"\\]{1,80})"')


def _item_named(raw: bytes) -> str | None:
    """The item a damaged line seems to be about (`"item": "4.2-a"` in it), to name it."""
    match = _ITEM_NAMED.search(raw[:10_000])
    if match is None:
        return None
    return match.group(1).decode("utf-8", "replace")


def continues_another(path: Path, snapshot_digest: str) -> bool:
    """True when the journal at `path` names another session file than the one whose
    digest is `snapshot_digest` on its `base` line (that file was changed outside auditui
    after the journal was written): nothing in it is applied."""
    try:
        data = read_bytes(path, what="journal")
    except AudituiError:
        return False
    base = _base_digest(data)
    return base is not None and base != snapshot_digest


def changes_in(path: Path) -> int:
    """How many changes a journal holds (its complete lines but the `base` line)."""
    try:
        data = read_bytes(path, what="journal")
    except AudituiError:
        return 0
    lines = [line for line in data.split(b"\n")[:-1] if line.strip()]
    return len(lines) - (1 if _base_digest(data) is not None else 0)


def contained(session: Session, path: Path) -> bool:
    """True when what replaying the journal at `path` would leave is already in `session`
    (a journal a crash left beside the snapshot it was folded into): dropping it loses
    nothing. Only the last entry for an item counts, as in a replay: a mark changed twice
    before the fold is in the snapshot as its second value."""
    items: dict[str, tuple] = {}
    meta: dict[str, str] | None = None
    try:
        data = read_bytes(path, what="journal")
        for raw in data.split(b"\n")[:-1]:
            if not raw.strip():
                continue
            try:
                entry = json.loads(raw.decode("utf-8"))
                if entry["t"] == "item":
                    answer = (entry["result"], clean_text(entry["note"]), entry["grade"])
                    items[entry["item"]] = answer
                elif entry["t"] == "meta":
                    meta = {name: clean_text(entry[name]) for name in META_FIELDS}
            except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
                continue  # a line that cannot be read is left out when replayed too
        for item_id, wanted in items.items():
            record = session.record(item_id)
            if (record.result, record.note, record.grade) != wanted:
                return False
        if meta is not None and any(getattr(session, n) != v for n, v in meta.items()):
            return False
    except (AudituiError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return False
    return True


def _base_digest(data: bytes) -> str | None:
    """The digest on a journal's `base` line, if its first line is one."""
    first = data[: data.find(b"\n")] if b"\n" in data else b""
    if not first.startswith(b'{"t":"base"'):
        return None
    try:
        digest = json.loads(first.decode("utf-8"))["sha256"]
    except (ValueError, KeyError, TypeError, RecursionError):
        return None
    return digest if isinstance(digest, str) else None


def _time(value: Any) -> datetime | None:
    if value is None:
        return None
    return with_zone(datetime.fromisoformat(value))


def _apply(session: Session, entry: dict[str, Any]) -> None:
    kind = entry["t"]
    if kind == "base":
        return  # checked before anything was applied
    if kind == "item":
        record = session.record(entry["item"])
        result, note, grade = entry["result"], entry["note"], entry["grade"]
        if result not in RESULTS or not isinstance(note, str):
            raise ValueError(f"bad answer for item {entry['item']}")
        if not grade_fits(grade, result):
            raise ValueError(f"bad grade for item {entry['item']}")
        recorded = _time(entry["recorded"]) if result in ANSWERS else None
        attachments = (
            attachments_from_json(entry["attachments"])
            if "attachments" in entry
            else record.attachments
        )
        updated = _time(entry["updated"])  # all checked before anything changes
        record.attachments = attachments
        record.result = result
        record.note = clean_text(note)
        record.grade = grade
        record.recorded = recorded
    elif kind == "meta":
        values = [entry[name] for name in META_FIELDS]
        if not all(isinstance(value, str) for value in values):
            raise ValueError("bad auditor, auditee or title")
        updated = _time(entry["updated"])
        for name, value in zip(META_FIELDS, values, strict=True):
            setattr(session, name, clean_text(value))
    else:
        raise ValueError(f"unknown entry type {kind!r}")
    session.updated = updated or session.updated


def _end_of_last_line(fd: int) -> int:
    """The length of the file up to and including its last newline."""
    end = os.fstat(fd).st_size
    while end > 0:
        start = max(0, end - 4096)
        os.lseek(fd, start, os.SEEK_SET)
        chunk = os.read(fd, end - start)
        newline = chunk.rfind(b"\n")
        if newline >= 0:
            return start + newline + 1
        end = start
    return 0


class JournalWriter:
    """Appends entries durably. After a failed write the file is cut back to its last
    good length before the next attempt, so a half-written line never sits in the middle."""

    def __init__(self, path: Path, base: Callable[[], str | None] | None = None) -> None:
        self.path = path
        self.base = base
        """The digest of the session file this journal continues (its first line)."""
        self._fd: int | None = None
        self._good_size = 0
        self.entries = 0

    def _open(self) -> int:
        if self._fd is None:
            fd = open_regular(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, what="journal")
            try:
                # A line cut short by a crash is cut off before the next append
                # (`append` truncates to the good size), or it would swallow it.
                self._good_size = _end_of_last_line(fd)
            except OSError:
                os.close(fd)
                raise
            self._fd = fd
        return self._fd

    def size_after(self, more: int) -> int:
        """The journal's length once `more` bytes are appended (room for a base line)."""
        try:
            self._open()
        except OSError as exc:
            raise AudituiError(f"cannot save: {exc.strerror or exc}", path=self.path) from None
        return self._good_size + more + (100 if self._good_size == 0 and more else 0)

    def detached(self) -> bool:
        """True when the open journal file was deleted (by hand) under us."""
        if self._fd is None:
            return False
        try:
            return os.fstat(self._fd).st_nlink == 0
        except OSError:
            return True

    def append(self, payload: bytes) -> None:
        try:
            fd = self._open()
            if os.fstat(fd).st_size != self._good_size:
                os.ftruncate(fd, self._good_size)
            if self._good_size == 0 and self.base is not None:
                digest = self.base()
                if digest:
                    payload = encode(base_entry(digest)) + payload
            write_all(fd, payload)
            os.fsync(fd)
        except OSError as exc:
            self._reset_after_failure()
            raise AudituiError(f"cannot save: {exc.strerror or exc}", path=self.path) from None
        self._good_size += len(payload)

    def _reset_after_failure(self) -> None:
        # The folder may be gone or the file replaced: reopen next time.
        if self._fd is not None:
            try:
                os.ftruncate(self._fd, self._good_size)
            except OSError:
                pass
            try:
                os.close(self._fd)
            except OSError:
                pass
            self._fd = None

    def set_aside(self, why: str = "damaged") -> Path | None:
        """Keep a journal under another name that nothing reads (`<id>.journal.<why>-<time>`):
        one with damaged lines once its good entries are in a snapshot, one left beside a
        session file it does not belong to (or may not: its first line damaged). Return
        that name."""
        self.close()
        if not is_regular(self.path):
            return None
        aside = self.path.with_name(f"{self.path.name}.{why}-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            os.replace(self.path, aside)
        except OSError:
            return None
        self._good_size = 0
        return aside

    def remove(self) -> None:
        """Drop the journal after its content went into a snapshot."""
        self.close()
        if is_regular(self.path):  # never drop a link or FIFO someone put there: reported
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass
        self._good_size = 0

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
