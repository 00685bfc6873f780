"""The corrective actions people type for findings: one small TOML file per finding.

A finding itself (what failed, where, since when, whether it is closed by a later
pass) is worked out from the sessions every time (see `findings.py`); only what a
person decides is kept here: owner, due date, cause, correction, action, status,
and a closing by hand with its reason. The files live in `<sessions folder>/findings/`
so the sessions folder holds the whole audit programme.

A file's name comes from the finding id `<session id>/<item id>`:
`<session id>+<item id, percent-encoded>.toml` (see `file_name`). Every update is a
read-modify-write under a lock on `<name>.lock` that changes only the fields given,
so an update from the app and one from the command line never lose each other;
keys and tables another version or a person added are kept, as in a session file.
A broken file is named and left out, and never overwritten.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Collection, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from auditui.errors import AudituiError
from auditui.lock import waiting_lock
from auditui.safefile import open_regular
from auditui.schema import type_name
from auditui.session import clean_text
from auditui.session_toml import SESSION_ID
from auditui.timeutil import now, with_zone
from auditui.tomlio import atomic_write, decode_text, dumps, parse_toml
from auditui.vocabulary import STATUSES

FOLDER_NAME = "findings"
TEXT_FIELDS = ("owner", "cause", "correction", "action", "closed_reason", "closed_by")
FIELDS = ("owner", "due", "cause", "correction", "action", "status", "closed", *TEXT_FIELDS[4:])
"""Everything a record holds besides its id, in the order written."""
CLOSING = ("closed", "closed_reason", "closed_by")
"""A closing by hand: when, why and by whom, which go together."""
_HOLDS: dict[str, type | tuple[type, ...]] = {"due": date, "closed": datetime}
"""What the fields hold that is not text (for telling a misspelling from a new key)."""
TABLES = ("finding", "changed")
"""The tables of a record auditui reads; any other is kept as it is (`ActionRecord.tables`)."""
HISTORY = "status_history"
"""The key in [finding] of the statuses a record had before its present one, each with
when it was set (`{status = "done", at = …}`): what an audit found of the action as it
stood then (marked done, failed again: not effective) holds when it is marked done again."""
HISTORY_KEPT = 200
ALIASES_KEPT = 64
"""At most this many other ids a record keeps: those it took first (a merged audit's
parts, the first later fails) are the ones that find it again."""
ALIASES = "known_as"
"""The key in [finding] of the other ids the finding had when its action was saved (its
merged audit's parts', a later fail's): shared with the record, so that every laptop's
register finds the finding again if the session it is kept under goes (a merged audit
deleted and merged again), not only the laptop that has that session in its trash."""
MAX_RECORD_BYTES = 1024 * 1024
"""A findings file is a few hundred bytes; refuse absurd ones before and after writing."""
LOCK_WAIT_S = 5.0
_SEPARATOR = "+"
_MAX_NAME = 200


def split_id(finding_id: str) -> tuple[str, str]:
    """(session id, item id) of a finding id; `AudituiError` if it is not one."""
    session_id, slash, item_id = finding_id.partition("/")
    if not slash or not SESSION_ID.fullmatch(session_id) or not item_id.strip():
        raise AudituiError(f"not a finding id: {finding_id!r} (expected <session id>/<item id>)")
    return session_id, item_id


def file_name(finding_id: str) -> str:
    """The file name of a finding's record: the session id (safe characters only), `+`,
    then the item id percent-encoded (every character but letters, digits, `.`, `_`, `-`
    and `~`), then `.toml`. Over 200 characters, the item part is a SHA-256 instead."""
    session_id, item_id = split_id(finding_id)
    item_part = quote(item_id, safe="")
    name = f"{session_id}{_SEPARATOR}{item_part}.toml"
    if len(name) > _MAX_NAME:
        digest = hashlib.sha256(item_id.encode("utf-8")).hexdigest()[:32]
        name = f"{session_id}{_SEPARATOR}sha256-{digest}.toml"
    return name


def split_record_name(name: str) -> str:
    """The session id a findings file name (`file_name`) starts with; "" for another name."""
    session_id, separator, _ = name.partition(_SEPARATOR)
    return session_id if separator else ""


@dataclass(frozen=True)
class ActionRecord:
    """What people typed about one finding; None where nothing was set."""

    id: str
    owner: str | None = None
    due: date | None = None
    cause: str | None = None
    correction: str | None = None
    action: str | None = None
    status: str | None = None
    closed: datetime | None = None
    """When it was closed by hand (with `closed_reason`)."""
    closed_reason: str | None = None
    closed_by: str | None = None
    changed: dict[str, datetime] = field(default_factory=dict)
    """When each field was last set: where two laptops changed one record, the newer wins."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Keys another version or a person added to [finding]; kept on every save."""
    tables: dict[str, Any] = field(default_factory=dict)
    """Tables (or keys) beside [finding] and [changed] that another version or a person
    added (`[review]` with who verified the action): kept on every save, as a session
    file keeps its own, and as a key added to [finding] is."""

    @property
    def closed_by_hand(self) -> bool:
        return self.closed is not None


def aliases_of(record: ActionRecord) -> list[str]:
    """The other ids of its finding that `record` keeps (`ALIASES`; a hand edit that is
    not a list of text gives none)."""
    return text_list(record.extra.get(ALIASES))


def text_list(value: Any) -> list[str]:
    """The text entries of a list read from a file (`ALIASES`); none for a non-list."""
    return [entry for entry in value if isinstance(entry, str)] if isinstance(value, list) else []


def with_parts_of_deleted_merges(
    sessions_folder: Path, records: dict[str, ActionRecord]
) -> dict[str, ActionRecord]:
    """`records`, those that keep no other id of their finding and whose session is a
    merged audit deleted here (in the trash) given the ids its parts give the item."""
    bare = [record_id for record_id, record in records.items() if not aliases_of(record)]
    if not bare:
        return records
    from auditui.trash import merged_parts_in_trash

    parts = merged_parts_in_trash(sessions_folder, (split_id(r)[0] for r in bare))
    for record_id in bare:
        session_id, item_id = split_id(record_id)
        if session_id in parts:
            ids = [f"{part}/{item_id}" for part in parts[session_id]]
            record = records[record_id]
            records[record_id] = replace(record, extra={**record.extra, ALIASES: ids})
    return records


def _readable(entry: Any) -> bool:
    return (
        isinstance(entry, dict)
        and entry.get("status") in STATUSES
        and isinstance(entry.get("at"), datetime)
        and entry["at"].tzinfo is not None
    )


def timeline(finding: dict[str, Any], changed: dict[str, Any]) -> list[tuple[datetime, str]]:
    """Every status a record's `[finding]` table has had, with when it was set, oldest
    first: its history (`HISTORY`, in the order written; entries not of that shape, a hand
    edit, are passed over, though kept in the file) and its present status, last among
    those of its second (stamps are whole seconds: set twice in one second, the present
    one is the later)."""
    entries = finding.get(HISTORY)
    found = [(e["at"], e["status"]) for e in (entries if isinstance(entries, list) else [])
             if _readable(e)]  # fmt: skip
    status, at = finding.get("status"), changed.get("status")
    if status in STATUSES and isinstance(at, datetime) and at.tzinfo is not None:
        found = [pair for pair in found if pair != (at, status)] + [(at, status)]
    return sorted(dict.fromkeys(found), key=lambda pair: pair[0])  # stable: as written


def record_timeline(record: ActionRecord) -> list[tuple[datetime, str]]:
    return timeline({"status": record.status, **record.extra}, record.changed)


def history_beside(
    now: tuple[datetime | None, str | None],
    *timelines: list[tuple[datetime, str]],
    kept: Iterable[object] = (),
) -> list[Any]:
    """The `HISTORY` list of a record whose present status is `now` (when set, status),
    joined from `timelines` (two laptops' or two ids' records of one finding): every
    status any of them had, once, oldest first (in the order given within a second), the
    present one left out; and what `kept` holds (histories as files held them) that is
    not of the shape read, kept as it is (a note written by hand, a time without a zone).
    The newest `HISTORY_KEPT` of those read."""
    joined = [pair for line in timelines for pair in line if pair != now]
    joined = sorted(dict.fromkeys(joined), key=lambda pair: pair[0])[-HISTORY_KEPT:]
    odd: list[Any] = []
    for value in kept:
        for entry in value if isinstance(value, list) else [] if value is None else [value]:
            if not _readable(entry) and entry not in odd:
                odd.append(entry)
    return [*odd, *({"status": status, "at": at} for at, status in joined)]


def status_at(record: ActionRecord, when: Callable[[datetime], bool]) -> str | None:
    """The status `record` had at the latest moment `when` takes (its history and its
    present status, by when each was set); None when it had none then."""
    found = status_set(record, when)
    return found[1] if found is not None else None


def status_set(
    record: ActionRecord, when: Callable[[datetime], bool]
) -> tuple[datetime, str] | None:
    """(when it was set, the status) of `status_at`'s status: a "done" is judged by the
    fails that came after it was set."""
    found = None
    for at, set_to in record_timeline(record):
        if when(at):
            found = (at, set_to)
    return found


def newer_of_each(kept: ActionRecord, other: ActionRecord) -> ActionRecord:
    """`kept` with each field `other` set (or cleared) later, by the `[changed]` stamps (a
    tie keeps `kept`'s), and each field only `other` ever set: one finding's action typed
    under two ids (a part's, on a laptop the merge had not reached, and the merged
    session's) read as one."""
    from dataclasses import replace

    values: dict[str, Any] = {}
    changed = dict(kept.changed)
    for name in FIELDS:
        mine, theirs = getattr(kept, name), getattr(other, name)
        mine_at, theirs_at = kept.changed.get(name), other.changed.get(name)
        later = theirs_at is not None and (mine_at is None or theirs_at > mine_at)
        never_set_here = mine is None and mine_at is None and theirs is not None
        if (later and theirs != mine) or never_set_here:
            values[name] = theirs
            if theirs_at is not None:
                changed[name] = theirs_at
    if kept.closed != other.closed:
        # Two closings (or a closing and a reopening): one goes whole, from the record
        # whose `closed` is kept. Closed under both ids, one's reason with the other's
        # name named Mai for a reason she never gave.
        source = other if "closed" in values else kept
        for name in CLOSING[1:]:
            values[name] = getattr(source, name)
            stamp = source.changed.get(name)
            if stamp is not None:
                changed[name] = stamp
            else:
                changed.pop(name, None)
    now = (changed.get("status"), values.get("status", kept.status))
    history = history_beside(now, record_timeline(kept), record_timeline(other),
                             kept=(kept.extra.get(HISTORY), other.extra.get(HISTORY)))  # fmt: skip
    extra = {**kept.extra, HISTORY: history} if history else kept.extra
    if not values and extra == kept.extra:
        return kept
    return replace(kept, **values, changed=changed, extra=extra)


def to_document(record: ActionRecord) -> dict[str, Any]:
    table: dict[str, Any] = {"id": record.id}
    for name in FIELDS:
        value = getattr(record, name)
        if value is not None:
            table[name] = value
    table.update(record.extra)
    document: dict[str, Any] = {"finding": table}
    if record.changed:
        document["changed"] = dict(record.changed)
    document.update(record.tables)
    return document


def dumps_record(record: ActionRecord) -> bytes:
    return dumps(to_document(record)).encode("utf-8")


def parse_record(text: str, path: Path) -> ActionRecord:
    """A record from a findings file's text; `AudituiError` naming the key, and its line,
    if anything is off (as a session file's errors are named)."""
    document = parse_toml(text, path)
    try:
        return record_from_document(document, path)
    except AudituiError as error:
        if error.key is None or error.line is not None:
            raise
        from auditui.locate import locate

        line = locate(text, error.key)
        if line is None:
            raise
        raise AudituiError(error.message, path=error.path, line=line, key=error.key) from None


def record_from_document(document: dict[str, Any], path: Path) -> ActionRecord:
    """A record from a findings file as parsed: every value checked, as `parse_record`."""
    table = document.get("finding")
    if not isinstance(table, dict):
        raise AudituiError("a [finding] table is required", path=path)
    finding_id = table.get("id")
    if not isinstance(finding_id, str):
        raise AudituiError("must be text in quotes", path=path, key="finding.id")
    try:
        split_id(finding_id)
    except AudituiError as error:
        raise AudituiError(error.message, path=path, key="finding.id") from None
    values: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if name in table:
            if not isinstance(table[name], str):
                raise AudituiError(
                    f"must be text in quotes, not {type_name(table[name])}",
                    path=path,
                    key=f"finding.{name}",
                )
            values[name] = table[name]
    if "due" in table:
        due = table["due"]
        if isinstance(due, datetime) or not isinstance(due, date):
            raise AudituiError(
                f"must be a date (YYYY-MM-DD), not {type_name(due)}", path=path, key="finding.due"
            )
        values["due"] = due
    if "status" in table:
        if table["status"] not in STATUSES:
            raise AudituiError(
                f"must be one of {', '.join(STATUSES)}", path=path, key="finding.status"
            )
        values["status"] = table["status"]
    if "closed" in table:
        closed = table["closed"]
        if not isinstance(closed, datetime):
            raise AudituiError(
                f"must be a date-time, not {type_name(closed)}", path=path, key="finding.closed"
            )
        try:
            values["closed"] = with_zone(closed)
        except (OverflowError, ValueError):
            raise AudituiError("date-time out of range", path=path, key="finding.closed") from None
    changed = document.get("changed", {})
    if not isinstance(changed, dict):
        raise AudituiError("must be a table of date-times", path=path, key="changed")
    for name, stamp in changed.items():  # the key named: it may be one typed by hand
        if not isinstance(stamp, datetime):
            raise AudituiError(
                f"must be a date-time, not {type_name(stamp)}", path=path, key=f"changed.{name}"
            )
    zoned = {}
    for name, stamp in changed.items():
        try:  # a time written without a zone (by hand) is this computer's, as `closed` is
            zoned[name] = with_zone(stamp)
        except (OverflowError, ValueError):
            raise AudituiError(
                "date-time out of range", path=path, key=f"changed.{name}"
            ) from None
    changed = zoned
    extra = {key: value for key, value in table.items() if key != "id" and key not in FIELDS}
    _check_misspelt(extra, table, FIELDS, _HOLDS, path, "finding.")
    tables = {key: value for key, value in document.items() if key not in TABLES}
    _check_misspelt(tables, document, TABLES, dict.fromkeys(TABLES, dict), path, "")
    return ActionRecord(
        id=finding_id, changed=dict(changed), extra=extra, tables=tables, **values
    )


def _check_misspelt(
    extra: dict[str, Any],
    table: dict[str, Any],
    known: tuple[str, ...],
    holds: dict[str, type | tuple[type, ...]],
    path: Path,
    where: str,
) -> None:
    """A key (or table) auditui does not know is kept (a later version's, or a person's
    own), unless it looks like one the record lacks (`statu = "done"` for `status`,
    `[chnaged]` for `[changed]`): then it was meant as that one, and reading on would
    quietly ignore what someone typed."""
    from auditui.schema import misspelt_key

    for key, value in extra.items():
        near = misspelt_key(key, value, table, known, holds)
        if near is not None:
            raise AudituiError(
                f"unknown key; did you mean '{near}'?", path=path, key=f"{where}{key}"
            )


def record_from_bytes(data: bytes, path: Path) -> ActionRecord:
    """The record a findings file at `path` holding `data` gives: every value checked, and
    the file named after the finding it holds; `AudituiError` otherwise."""
    record = parse_record(decode_text(data, path), path)
    if path.name != file_name(record.id):
        raise AudituiError(
            f"holds finding {record.id!r}, which belongs in {file_name(record.id)}", path=path
        )
    return record


def read_regular(path: Path, limit: int = MAX_RECORD_BYTES) -> bytes:
    """The bytes of `path` if it is a regular file: a symlink, FIFO or device is refused
    (never followed, never blocked on); `FileNotFoundError` when there is none."""
    try:
        fd = open_regular(path, what="findings file")
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise AudituiError(f"cannot read: {exc.strerror or exc}", path=path) from None
    try:
        size = os.fstat(fd).st_size
        if size > limit:
            raise AudituiError(f"too large ({size:,} bytes)", path=path)
        chunks, size = [], 0
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise AudituiError("too large", path=path)
        return b"".join(chunks)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class BrokenRecord:
    """A findings file (or the folder) that could not be read, and why (it is left out
    and left alone)."""

    path: Path
    error: AudituiError

    @property
    def message(self) -> str:
        """The line to say, as for a session file left out (`store.Unreadable`)."""
        return f"{self.error} (left out)"


class FindingRecords:
    """The `findings/` folder of a sessions folder."""

    def __init__(self, sessions_folder: Path) -> None:
        self.folder = Path(sessions_folder) / FOLDER_NAME

    def path_for(self, finding_id: str) -> Path:
        return self.folder / file_name(finding_id)

    def files(self) -> list[Path]:
        """Every `*.toml` name in the folder (hidden and temporary ones left out), by name;
        not-regular ones included, so that reading them names them. No names when there is no
        folder yet; `AudituiError` (`check_folder`) when what is there cannot be listed."""
        try:
            names = os.listdir(self.folder)
        except FileNotFoundError:
            return []
        except OSError as exc:
            self._refuse_unlisted(exc)
            return []
        return sorted(
            self.folder / name
            for name in names
            if name.endswith(".toml") and not name.startswith(".")
        )

    def read_path(self, path: Path) -> ActionRecord:
        try:
            data = read_regular(path)
        except FileNotFoundError:
            raise AudituiError("no such findings file", path=path) from None
        return record_from_bytes(data, path)

    def check_folder(self) -> None:
        """`AudituiError` when something is at the folder's place that cannot be listed as
        one (a file put there, a folder auditui may not read): taken for an empty folder,
        every corrective action would drop out of the register without a word. Nothing
        there is no error: nothing has been recorded yet."""
        try:
            with os.scandir(self.folder):
                pass
        except FileNotFoundError:
            return
        except OSError as exc:
            self._refuse_unlisted(exc)

    def _refuse_unlisted(self, exc: OSError) -> None:
        """`AudituiError` naming what is at the folder's place, as listing it failed with
        `exc`; nothing when nothing is there (the sessions folder is itself no folder:
        its own business, said where sessions are read)."""
        try:
            mode = os.stat(self.folder).st_mode
        except OSError:
            return
        if stat.S_ISREG(mode):
            raise AudituiError("the findings folder is a file, not a folder", path=self.folder)
        if not stat.S_ISDIR(mode):
            raise AudituiError("the findings folder is not a folder", path=self.folder)
        raise AudituiError(
            f"cannot read the findings folder: {exc.strerror or exc}", path=self.folder
        )

    def load_all(
        self, on_error: Callable[[BrokenRecord], None] | None = None
    ) -> dict[str, ActionRecord]:
        """Every readable record by finding id; broken files go to `on_error`, and so does
        the folder when it cannot be listed (`check_folder`: nothing read). A record that
        keeps none of its finding's other ids (`ALIASES`, saved before records kept them)
        and whose session is a merged audit in this laptop's trash is given its parts'
        ids here, as one saved now keeps them (`with_parts_of_deleted_merges`)."""
        records: dict[str, ActionRecord] = {}
        try:
            paths = self.files()
        except AudituiError as error:
            if on_error is not None:
                on_error(BrokenRecord(self.folder, error))
            return records
        for path in paths:
            try:
                record = self.read_path(path)
            except AudituiError as error:
                if on_error is not None:
                    on_error(BrokenRecord(path, error))
                continue
            records[record.id] = record
        return with_parts_of_deleted_merges(self.folder.parent, records)

    def get(self, finding_id: str) -> ActionRecord | None:
        """The record of one finding, None when nobody has typed anything for it yet;
        `AudituiError` when its file is broken."""
        path = self.path_for(finding_id)
        try:
            read_regular(path)
        except FileNotFoundError:
            return None
        return self.read_path(path)

    def update(
        self,
        finding_id: str,
        changes: dict[str, Any],
        at: datetime | None = None,
        *,
        stamps: dict[str, datetime] | None = None,
        history: object = None,
        aliases: Iterable[str] = (),
    ) -> ActionRecord:
        """Set the fields in `changes` (None clears one) and nothing else, read again and
        written under the finding's lock, so a concurrent update of other fields survives.
        Each field is stamped `at` (now), or as `stamps` gives (an import keeps when they
        were set); a change of status keeps the one before in the record's history, with
        `history` (an import's) joined in; `aliases` (the finding's other ids) are added
        to those it keeps (`ALIASES`). Returns the record as written. A broken file is
        refused, never overwritten."""
        unknown = set(changes) - set(FIELDS)
        if unknown:
            raise ValueError(f"not a field of a corrective action: {sorted(unknown)}")
        changes = check_changes(changes)
        at = at or now()
        self._ensure_folder()
        with self._locked(finding_id):
            current = self.get(finding_id) or ActionRecord(id=finding_id)
            changed = dict(current.changed)
            for name in changes:
                changed[name] = (stamps or {}).get(name, at)
            extra = current.extra
            kept = aliases_of(current)
            added = sorted(set(aliases) - {finding_id, *kept})[: max(ALIASES_KEPT - len(kept), 0)]
            if added:  # bounded: a chronic finding fails in many sessions
                extra = {**extra, ALIASES: sorted({*kept, *added})}
            # The status it had stays in its history, even when set again the same: done
            # again after a fail showed the first action did not work is a new stamp.
            if "status" in changes or history is not None:
                now_ = (changed.get("status"), changes.get("status", current.status))
                brought = timeline({HISTORY: history}, {})  # an import's, joined in
                joined = history_beside(now_, record_timeline(current), brought,
                                        kept=(current.extra.get(HISTORY),))  # fmt: skip
                extra = {**extra, HISTORY: joined} if joined else extra
            updated = replace(current, changed=changed, extra=extra, **changes)
            data = dumps_record(updated)
            if len(data) > MAX_RECORD_BYTES:
                raise AudituiError(
                    f"the corrective action is too long to save ({len(data):,} bytes)",
                    path=self.path_for(finding_id),
                )
            atomic_write(self.path_for(finding_id), data)
        return updated

    def _ensure_folder(self) -> None:
        self.check_folder()  # a file in its place named as such, not "File exists"
        if self.folder.is_symlink() and not self.folder.exists():
            self._refuse_link()  # pointing nowhere: mkdir would say "File exists"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise AudituiError(
                f"cannot create the findings folder: {exc.strerror or exc}", path=self.folder
            ) from None
        if self.folder.is_symlink():  # a write would land where the link points
            self._refuse_link()
        if not self.folder.is_dir():
            raise AudituiError("not a folder; nothing written", path=self.folder)

    def _refuse_link(self) -> None:
        raise AudituiError(
            "a symbolic link, not a folder: corrective actions are written only into a "
            "folder of the sessions folder's own (put the folder itself there); nothing "
            "written",
            path=self.folder,
        )

    def _locked(self, finding_id: str) -> AbstractContextManager[None]:
        """Hold `<name>.lock` (waiting up to `LOCK_WAIT_S` for another auditui to finish)."""
        return waiting_lock(
            self.path_for(finding_id).with_suffix(".lock"),
            wait_s=LOCK_WAIT_S,
            busy=f"finding {finding_id} is being changed by another auditui; try again",
        )


def check_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """The changes, text cleaned (blank text clears a field); `AudituiError` when a value
    is not what its field takes."""
    checked: dict[str, Any] = {}
    for name, value in changes.items():
        if value is None:
            checked[name] = None
        elif name in TEXT_FIELDS:
            text = clean_text(str(value))
            checked[name] = text if text.strip() else None
        elif name == "due":
            checked[name] = parse_due(value) if isinstance(value, str) else value
            if isinstance(checked[name], datetime) or not isinstance(checked[name], date):
                raise AudituiError(f"due: not a date: {value!r}")
        elif name == "status":
            if value not in STATUSES:
                raise AudituiError(f"status: {value!r} is not one of {', '.join(STATUSES)}")
            checked[name] = value
        elif name == "closed":
            if not isinstance(value, datetime):
                raise AudituiError(f"closed: not a date-time: {value!r}")
            checked[name] = value
    return checked


def _stamps(changed: Any, changes: dict[str, Any]) -> dict[str, datetime]:
    """When each of `changes` was set, as an export's `changed` table says (a field two
    laptops change later is settled by these); the others are stamped now."""
    if not isinstance(changed, dict):
        return {}
    # A stamp ahead of this laptop's clock (a hand edit, a laptop's clock far ahead) is
    # taken as now: kept, it would win over every later change, here and after a sync.
    latest = now()
    return {
        name: min(stamp, latest)
        for name, stamp in changed.items()
        if name in changes and isinstance(stamp, datetime) and stamp.tzinfo is not None
    }


def parse_due(text: str) -> date | None:
    """A due date typed as YYYY-MM-DD (blank clears it); `AudituiError` otherwise."""
    text = text.strip()
    if not text:
        return None
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise AudituiError(f"not a date: {text!r} (write it as YYYY-MM-DD)") from None


_CARRIED = ("owner", "due", "cause", "correction", "action")
"""What people typed about a finding that an export carries and an import records."""


def import_actions(
    records: FindingRecords,
    findings: object,
    session_id: str,
    is_here: Callable[[str], bool],
    recorded_under: Callable[[str], str | None] | None = None,
    ids_of_its_finding: Callable[[str], Collection[str]] | None = None,
) -> tuple[int, list[str]]:
    """Record here the corrective actions an exported session carries (its `[[findings]]`)
    where none is recorded yet; (how many were recorded, what was left out and why).

    A finding raised by an earlier session that is not here (`is_here`) is raised here by
    this one: its action goes under this session's id for the item, which the register
    also finds when an older session that fails the item comes in later (`_adopt`).
    `recorded_under(finding id)` is the id of the action the register already gives that
    finding here, if any (one recorded under a later fail's id, before this older session
    came in): both stay, and the register joins them, the newer of each field, as it does
    after a sync. A record of the same id here takes the fields the export set later.
    `ids_of_its_finding(item id)`: the ids of the finding the session's fail of that item
    is part of (none when it does not fail it). An export carries the findings of its
    fails only; an action under any other id (a hand edit, a stale copy) would change,
    even close, a finding this session has nothing to do with: left out."""
    recorded = 0
    left: list[str] = []
    for table in findings if isinstance(findings, list) else []:
        finding_id = table.get("id") if isinstance(table, dict) else None
        if not isinstance(finding_id, str) or "/" not in finding_id:
            continue
        texts = ("owner", "cause", "correction", "action", "action_status", "closed_reason")
        wrong = [name for name in texts if name in table and not isinstance(table[name], str)]
        if wrong:  # a hand edit: never recorded as the text of a list or a table
            left.append(f"finding {finding_id}: {wrong[0]} must be text in quotes; its "
                        "corrective action was not imported")  # fmt: skip
            continue
        changes = {name: table[name] for name in _CARRIED if table.get(name) not in (None, "")}
        # The record's own status where the export carries it (`status` is the register's
        # reading: a done action failed again reads open); older exports have only that.
        # `open` too where the record itself has it (set by hand: the stamp says when); the
        # register's `open` (nothing set) is no status to record.
        named = table.get("action_status")
        if named in {str(status) for status in STATUSES}:
            changes["status"] = named
        else:
            if named is not None:  # a hand edit: said, and the register's reading taken
                left.append(f"finding {finding_id}: action_status {named!r} is not one of "
                            f"{', '.join(STATUSES)}; its status read from `status`")  # fmt: skip
            if table.get("status") in ("action", "done"):
                changes["status"] = table["status"]
        if table.get("closed_reason") and isinstance(table.get("closed"), datetime):
            changes |= {"closed": table["closed"], "closed_reason": table["closed_reason"]}
            if table.get("closed_by"):
                changes["closed_by"] = table["closed_by"]
        if not changes:
            continue
        try:
            raised_in, item_id = split_id(finding_id)
            if raised_in != session_id and not is_here(raised_in):
                finding_id = f"{session_id}/{item_id}"
            accepted = ids_of_its_finding(item_id) if ids_of_its_finding else {finding_id}
            if finding_id not in accepted:
                why = (f"the imported session does not fail {item_id}" if not accepted else
                       f"it is not the finding of the imported session's fail of {item_id}")
                left.append(f"finding {table['id']}: {why}; its corrective action was not "
                            "imported")  # fmt: skip
                continue
            stamps = _stamps(table.get("changed"), changes)
            here = records.get(finding_id)
            if here is not None:
                # One record of this id here: joined as the register joins two records
                # of one finding (`newer_of_each`: a field set later there, or only there,
                # and a closing by hand whole), as a sync would.
                brought = ActionRecord(id=finding_id, changed=stamps, **check_changes(changes))
                joined = newer_of_each(here, brought)
                changes = {name: getattr(joined, name) for name in FIELDS
                           if getattr(joined, name) != getattr(here, name)}  # fmt: skip
                stamps = {name: joined.changed[name] for name in changes
                          if name in joined.changed}  # fmt: skip
                if not changes:
                    if any(getattr(brought, name) != getattr(here, name) for name in FIELDS):
                        left.append(f"finding {finding_id}: its corrective action is "
                                    "recorded here already, newer; the imported one was left "
                                    "out")  # fmt: skip
                    continue  # the same as here: nothing to say
            under = recorded_under(finding_id) if recorded_under is not None else None
            if here is None and under is not None and under != finding_id:
                # Recorded here under a later fail's id: both are kept, and the register
                # joins them, the newer of each field (as after a sync).
                left.append(f"finding {finding_id}: a corrective action is recorded here "
                            f"already (under {under}); the two are joined, the newer of "
                            "each field kept")  # fmt: skip
            records.update(finding_id, changes, stamps=stamps,
                           history=table.get("action_status_history"))  # fmt: skip
        except AudituiError as error:
            left.append(f"finding {finding_id}: its corrective action was not imported ({error})")
            continue
        recorded += 1
    return recorded, left
