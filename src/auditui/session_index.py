"""An index of the sessions folder at a glance, kept in the cache folder.

Listing a history of years, or working out its findings, needs from each session only
its head (id, checklist, start), its counts and which items it passed or failed. Reading
that from each file again on every run costs a parse per session; the index keeps it,
one row per session file, in one SQLite database (`sessions-index.sqlite3` beside the
cache of read files, `filecache.cache_dir`).

The rules are the cache's: a row is used only while the session file *and its journal*
are exactly as they were when the row was written (device, inode, size, modification and
change time of each; a journal that was absent must still be absent), both had not
changed for two seconds then, and the row was written by the same auditui code. Anything
else and the file is read in full, as if there were no index. The index is a shortcut
only: a damaged, locked, foreign or unwritable database is ignored (and a damaged one
replaced), and no failure of it ever fails a command.
"""

from __future__ import annotations

import json
import os
import stat
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from auditui import filecache
from auditui.session import Session, Summary, display_title

if TYPE_CHECKING:
    import sqlite3

NAME = "sessions-index.sqlite3"
FORMAT = 7
"""Bump when what a row holds changes shape."""
_COMMIT_EVERY = 2000
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    folder TEXT NOT NULL,
    name TEXT NOT NULL,
    identity TEXT NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (folder, name)
);
"""


@dataclass(frozen=True, slots=True)
class Digest:
    """What a session holds at a glance: its head, its counts, the items it judged."""

    id: str
    checklist_id: str
    checklist_title: str
    checklist_version: str
    started: datetime
    finished: datetime | None
    title: str
    auditor: str
    auditee: str
    merged_from: tuple[str, ...]
    counts: tuple[int, int, int, int]
    """Items in scope: passed, failed, not applicable, unanswered."""
    codes: str
    """A JSON list of `p<item id>`, `n<item id>`, or `f<item id>` NUL and when the fail
    was recorded (ISO 8601, empty when not known), for each item in scope passed, not
    applicable or failed, in the session's order, as the index keeps it: see `judged` (a
    list of sessions never needs them, so they are not taken apart until asked for)."""
    section_counts: str
    """A JSON list of `[section id, title, passed, failed, n/a, unanswered]` for each
    section in scope, in the session's order: what `trend` draws (see `sections`)."""
    seal_broken: bool = False
    """Finished, but its results no longer give its seal (`seal.seal_broken`): changed by
    hand since it was sealed, so no list may call it simply finished."""

    @property
    def judged(self) -> Iterator[tuple[str, str, datetime | None]]:
        """(item id, "pass", "fail" or "na", when a fail was recorded) of each item in
        scope with one of those results, in the session's order: all the findings
        register needs of a session (an n/a breaks a streak)."""
        for code in json.loads(self.codes):
            code = str(code)
            if code[:1] == "f":
                item_id, _, recorded = code[1:].rpartition("\x00")
                yield item_id, "fail", datetime.fromisoformat(recorded) if recorded else None
            else:
                yield code[1:], "pass" if code[:1] == "p" else "na", None

    def sections(self) -> dict[str, tuple[str, Summary]]:
        """Section id -> (title, summary) of each section in scope, in the session's order:
        `compare.section_groups` counted, as `trend` shows each section."""
        return {
            str(section_id): (str(title), Summary.from_counts(*(int(n) for n in counts)))
            for section_id, title, *counts in json.loads(self.section_counts)
        }

    @classmethod
    def of(cls, session: Session) -> Digest:
        from auditui.compare import section_groups
        from auditui.seal import seal_broken

        summary = session.summary()
        sections = []
        for section_id, (title, records) in section_groups(session).items():
            counted = Summary.of(records)
            sections.append(
                [section_id, title, counted.passed, counted.failed, counted.na, counted.unanswered]
            )
        return cls(
            id=session.id,
            checklist_id=session.checklist_id,
            checklist_title=session.checklist_title,
            checklist_version=session.checklist_version,
            started=session.started,
            finished=session.finished,
            title=session.title,
            auditor=session.auditor,
            auditee=session.auditee,
            merged_from=session.merged_from,
            counts=(summary.passed, summary.failed, summary.na, summary.unanswered),
            codes=json.dumps(
                [
                    f"f{record.item_id}\x00{_iso(record.recorded)}"
                    if record.result == "fail"
                    else f"{record.result[0]}{record.item_id}"
                    for record in session.scoped_records()
                    if record.result in ("pass", "fail", "na")
                ],
                ensure_ascii=False,
            ),
            section_counts=json.dumps(sections, ensure_ascii=False),
            seal_broken=seal_broken(session),
        )

    def summary(self) -> Summary:
        return Summary.from_counts(*self.counts)

    @property
    def is_finished(self) -> bool:
        return self.finished is not None

    @property
    def display_title(self) -> str:
        return display_title(self)

    def to_json(self) -> str:
        return json.dumps(
            [
                self.id,
                self.checklist_id,
                self.checklist_title,
                self.checklist_version,
                self.started.isoformat(),
                self.finished.isoformat() if self.finished is not None else None,
                self.title,
                self.auditor,
                self.auditee,
                list(self.merged_from),
                list(self.counts),
                self.codes,
                self.section_counts,
                self.seal_broken,
            ],
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Digest:
        (
            session_id,
            checklist_id,
            title,
            version,
            started,
            finished,
            session_title,
            auditor,
            auditee,
            merged,
            counts,
            codes,
            section_counts,
            broken,
        ) = json.loads(text)
        passed, failed, na, unanswered = (int(n) for n in counts)
        return cls(
            id=str(session_id),
            checklist_id=str(checklist_id),
            checklist_title=str(title),
            checklist_version=str(version),
            started=datetime.fromisoformat(started),
            finished=datetime.fromisoformat(finished) if finished is not None else None,
            title=str(session_title),
            auditor=str(auditor),
            auditee=str(auditee),
            merged_from=tuple(str(m) for m in merged),
            counts=(passed, failed, na, unanswered),
            codes=str(codes),
            section_counts=str(section_counts),
            seal_broken=bool(broken),
        )


def identity_of(path: Path, journal: Path) -> str | None:
    """The identities of a session file and of its journal (or its absence), as one
    string; None when the session file is not a regular file or either changed in the
    last two seconds (a second change within one tick of the clock could go unseen)."""
    try:
        status = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode):
        return None
    parts: list[tuple[int, ...] | None] = [filecache.file_identity(status)]
    changed = max(status.st_mtime_ns, status.st_ctime_ns)
    try:
        beside = os.lstat(journal)
    except FileNotFoundError:
        parts.append(None)
    except OSError:
        return None
    else:
        parts.append(filecache.file_identity(beside))
        changed = max(changed, beside.st_mtime_ns, beside.st_ctime_ns)
    if time.time_ns() - changed < filecache.MIN_AGE_NS:
        return None
    return json.dumps(parts)


class SessionIndex:
    """The rows of one sessions folder; `lookup` and `remember`, then `close`."""

    def __init__(self, folder: Path) -> None:
        self.folder = os.path.abspath(folder)
        self._db: sqlite3.Connection | None = None
        self._pending = 0
        self._opened = False

    def _connection(self) -> sqlite3.Connection | None:
        if self._opened:
            return self._db
        self._opened = True
        try:
            where = filecache.cache_dir()
            if where is None:
                return None
            where.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not filecache.safe_folder(where):
                return None
            self._db = _open(where / NAME)
        except Exception:  # an index never fails a command
            self._db = None
        return self._db

    def lookup(self, path: Path, identity: str | None) -> Digest | None:
        """The row of `path` if it was written for exactly this `identity`."""
        if identity is None:
            return None
        db = self._connection()
        if db is None:
            return None
        try:
            row = db.execute(
                "SELECT identity, digest FROM entries WHERE folder = ? AND name = ?",
                (self.folder, path.name),
            ).fetchone()
            if row is None or row[0] != identity:
                return None
            return Digest.from_json(row[1])
        except Exception:
            return None

    def remember(self, path: Path, identity: str | None, digest: Digest) -> None:
        """Keep `digest` for `path`, whose identity was `identity` before it was read."""
        if identity is None:
            return
        db = self._connection()
        if db is None:
            return
        try:
            db.execute(
                "INSERT OR REPLACE INTO entries (folder, name, identity, digest) "
                "VALUES (?, ?, ?, ?)",
                (self.folder, path.name, identity, digest.to_json()),
            )
            self._pending += 1
            if self._pending >= _COMMIT_EVERY:
                db.commit()
                self._pending = 0
        except Exception:
            self._give_up()

    def forget_others(self, names: Iterable[str]) -> None:
        """Drop the rows of files no longer in the folder (`names` are those that are)."""
        db = self._connection()
        if db is None:
            return
        try:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS present (name TEXT PRIMARY KEY)")
            db.execute("DELETE FROM present")
            db.executemany("INSERT OR IGNORE INTO present VALUES (?)", ((n,) for n in names))
            db.execute(
                "DELETE FROM entries WHERE folder = ? AND name NOT IN (SELECT name FROM present)",
                (self.folder,),
            )
            db.execute("DELETE FROM present")
            self._pending += 1
        except Exception:
            self._give_up()

    def close(self) -> None:
        db, self._db = self._db, None
        if db is None:
            return
        try:
            if self._pending:
                db.commit()
        except Exception:
            pass
        finally:
            db.close()

    def _give_up(self) -> None:
        db, self._db = self._db, None
        if db is not None:
            try:
                db.rollback()
                db.close()
            except Exception:
                pass

    def __enter__(self) -> SessionIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _stamp() -> str:
    return json.dumps([FORMAT, repr(filecache.code_stamp())])


def _open(path: Path) -> sqlite3.Connection | None:
    """The database at `path`, emptied when written by other code; replaced once when
    damaged; None when it cannot be used (locked for long, unwritable)."""
    import sqlite3  # here: 9 ms of imports that a start on one session never needs

    for attempt in (1, 2):
        try:
            db = sqlite3.connect(path, timeout=2.0, isolation_level="DEFERRED")
            try:
                db.executescript(_SCHEMA)
                row = db.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
                if row is None or row[0] != _stamp():
                    db.execute("DELETE FROM entries")
                    db.execute(
                        "INSERT OR REPLACE INTO meta (key, value) VALUES ('stamp', ?)",
                        (_stamp(),),
                    )
                    db.commit()
                return db
            except sqlite3.DatabaseError:
                db.close()
                raise
        except sqlite3.OperationalError:
            return None  # locked by another auditui for too long, or unwritable
        except sqlite3.DatabaseError:
            if attempt == 2:
                return None
            for suffix in ("", "-journal", "-wal", "-shm"):
                try:
                    os.unlink(f"{path}{suffix}")
                except OSError:
                    pass
    return None


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment is not None else ""
