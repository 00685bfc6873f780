"""The session store: one TOML file per session in the sessions folder, saved safely.

A session file is the snapshot; changes made since are appended to a journal
beside it (`<id>.journal`) and fsynced at once, and folded into a fresh snapshot
(written atomically) every so often and when the session is closed. Readers
always apply the journal, so every command sees every mark. Lock, journal and
temporary files never end in `.toml`, so nothing mistakes them for sessions.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from auditui import journal
from auditui.checklist import Checklist
from auditui.errors import AudituiError
from auditui.lock import SessionLock
from auditui.session import Session, apply_answer, clean_text, restore_answer
from auditui.session_toml import (
    SESSION_ID,
    dumps_session,
    read_session_file,
    session_from_document,
)
from auditui.timeutil import now
from auditui.tomlio import atomic_write, decode_text, parse_toml, read_bytes

SESSION_SUFFIX = ".toml"
JOURNAL_SUFFIX = ".journal"
LOCK_SUFFIX = ".lock"


def read_session(path: Path) -> Session:
    """A session file with its journal applied: the state as last saved."""
    session = read_session_file(path)
    journal.replay(session, path.with_suffix(JOURNAL_SUFFIX))
    session.path = path.absolute()
    return session


def remove_stale_temp_files(path: Path) -> None:
    """Delete temporary files a killed auditui left beside `path`.

    Called only while holding the session's lock, so no save of ours is under way.
    """
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            leftover.unlink()
        except OSError:
            pass


@dataclass(frozen=True)
class Unreadable:
    """A file in the sessions folder that could not be read, and why."""

    path: Path
    error: AudituiError


class SessionStore:
    """The sessions folder: listing, reading, creating, importing, opening for writing."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path_for(self, session_id: str) -> Path:
        return self.folder / f"{session_id}{SESSION_SUFFIX}"

    def session_files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(
            path
            for path in self.folder.glob(f"*{SESSION_SUFFIX}")
            if not path.name.startswith(".") and path.is_file()
        )

    def list_sessions(self, on_error: Callable[[Unreadable], None] | None = None) -> list[Session]:
        """Every readable session, oldest first; unreadable files go to `on_error`."""
        sessions = []
        for path in self.session_files():
            try:
                sessions.append(read_session(path))
            except AudituiError as error:
                if on_error is not None:
                    on_error(Unreadable(path, error))
        sessions.sort(key=lambda s: (s.started, s.id))
        return sessions

    def resolve(self, reference: str) -> Path:
        """A session named by id or by path."""
        candidate = Path(reference)
        looks_like_path = (
            candidate.suffix == SESSION_SUFFIX or os.sep in reference or "/" in reference
        )
        if looks_like_path and candidate.is_file():
            return candidate.absolute()
        if SESSION_ID.fullmatch(reference):
            path = self.path_for(reference)
            if path.is_file():
                return path
        raise AudituiError(f"no session '{reference}' (looked in {self.folder})")

    def load(self, reference: str) -> Session:
        return read_session(self.resolve(reference))

    def previous(self, session: Session, sessions: list[Session] | None = None) -> Session | None:
        """The most recent earlier session of the same checklist (by start time)."""
        if sessions is None:
            sessions = self.list_sessions()
        earlier = [
            other
            for other in sessions
            if other.checklist_id == session.checklist_id
            and other.id != session.id
            and (other.started, other.id) < (session.started, session.id)
        ]
        return earlier[-1] if earlier else None

    def last_auditor(self) -> str:
        """The auditor of the most recently started session, to fill in the next form."""
        sessions = self.list_sessions()
        return sessions[-1].auditor if sessions else ""

    def new_id(self, checklist_id: str, started: datetime) -> str:
        base = f"{started:%Y-%m-%d-%H%M}-{checklist_id}"[:140]
        candidate, number = base, 1
        # A journal without its session file is a leftover: never give its id out again.
        while (
            self.path_for(candidate).exists()
            or self.path_for(candidate).with_suffix(JOURNAL_SUFFIX).exists()
        ):
            number += 1
            candidate = f"{base}-{number}"
        return candidate

    def _ensure_folder(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise AudituiError(
                "the sessions folder is a file, not a folder", path=self.folder
            ) from None
        except OSError as exc:
            raise AudituiError(
                f"cannot create the sessions folder: {exc.strerror or exc}", path=self.folder
            ) from None

    def create(
        self,
        checklist: Checklist,
        *,
        auditor: str = "",
        auditee: str = "",
        title: str = "",
        started: datetime | None = None,
    ) -> SessionWriter:
        """Start a new session of `checklist`, saved at once, locked for the caller."""
        started = started or now()
        self._ensure_folder()
        for _ in range(100):
            session_id = self.new_id(checklist.id, started)
            session = Session.start(
                session_id,
                checklist,
                started=started,
                auditor=auditor,
                auditee=auditee,
                title=title,
            )
            lock = SessionLock(self.folder / f"{session_id}{LOCK_SUFFIX}", session_id)
            lock.acquire()
            try:
                atomic_write(self.path_for(session_id), dumps_session(session), exclusive=True)
            except AudituiError:
                lock.release()
                if self.path_for(session_id).exists():
                    continue  # another auditui took this id a moment ago
                raise
            return SessionWriter(self, session, lock)
        raise AudituiError("could not find a free session id", path=self.folder)

    def open(self, reference: str) -> SessionWriter:
        """Open a saved session for changes; refused while another program has it open."""
        path = self.resolve(reference)
        probe = read_session_file(path)  # the id, and a clear error before locking
        if path.parent.resolve() != self.folder.resolve() or path.stem != probe.id:
            store = SessionStore(path.parent)
        else:
            store = self
        lock = SessionLock(path.with_suffix(LOCK_SUFFIX), probe.id)
        lock.acquire()
        try:
            session = read_session(path)
        except BaseException:
            lock.release()
            raise
        remove_stale_temp_files(path)
        return SessionWriter(store, session, lock, path=path)

    def import_file(self, source: Path) -> Session:
        """Add an exported session to the folder; an id that is already here is refused."""
        data = read_bytes(source, what="session file")
        text = decode_text(data, source)
        session = session_from_document(parse_toml(text, source), path=source, text=text)
        target = self.path_for(session.id)
        if target.exists():
            raise AudituiError(
                f"session '{session.id}' is already in {self.folder}; nothing was imported",
                path=source,
            )
        self._ensure_folder()
        try:
            atomic_write(target, dumps_session(session), exclusive=True)
        except AudituiError as error:
            if target.exists():
                raise AudituiError(
                    f"session '{session.id}' is already in {self.folder}; nothing was imported",
                    path=source,
                ) from None
            raise error
        return session


class SessionWriter:
    """A session open for changes. Every change is on disk when the call returns;
    when saving fails the change stays in memory, `pending` is true, and the next
    `flush()` retries with a full snapshot."""

    COMPACT_AFTER = 2000
    """Journal entries before they are folded into a fresh snapshot."""

    def __init__(
        self, store: SessionStore, session: Session, lock: SessionLock, path: Path | None = None
    ) -> None:
        self.store = store
        self.session = session
        self.lock = lock
        self.path = path or store.path_for(session.id)
        self.journal = journal.JournalWriter(self.path.with_suffix(JOURNAL_SUFFIX))
        self._dirty_items: dict[str, None] = {}
        self._dirty_meta = False
        self._needs_snapshot = False
        self.last_error: AudituiError | None = None

    @property
    def pending(self) -> bool:
        return bool(self._dirty_items or self._dirty_meta or self._needs_snapshot)

    def answer(
        self,
        item_id: str,
        *,
        result: str | None = None,
        note: str | None = None,
        grade: str | None | object = ...,
    ) -> tuple:
        """Change an item's answer and save; returns the answer before (for undo)."""
        before = apply_answer(
            self.session, item_id, result=result, note=note, grade=grade, at=now()
        )
        if self.session.record(item_id).answer() != before:
            self._dirty_items[item_id] = None
            self.flush()
        return before

    def restore(self, item_id: str, answer: tuple) -> None:
        restore_answer(self.session, item_id, answer, now())
        self._dirty_items[item_id] = None
        self.flush()

    def set_details(self, *, auditor: str, auditee: str, title: str) -> None:
        self.session.auditor = clean_text(auditor)
        self.session.auditee = clean_text(auditee)
        self.session.title = clean_text(title)
        self.session.updated = now()
        self._dirty_meta = True
        self.flush()

    def flush(self) -> None:
        """Write what is pending; raise `AudituiError` (and keep it pending) on failure."""
        if not self.pending:
            return
        try:
            if self._needs_snapshot or not self.path.exists() or self.journal.detached():
                self.snapshot()
                return
            payload = b"".join(
                journal.encode(journal.item_entry(self.session, item_id))
                for item_id in self._dirty_items
            )
            if self._dirty_meta:
                payload += journal.encode(journal.meta_entry(self.session))
            self.journal.append(payload)
            self.journal.entries += len(self._dirty_items) + int(self._dirty_meta)
            self._dirty_items.clear()
            self._dirty_meta = False
            self.last_error = None
            if self.journal.entries >= self.COMPACT_AFTER:
                self.snapshot()
        except AudituiError as error:
            self._needs_snapshot = True
            self.last_error = error
            raise

    def snapshot(self) -> None:
        """Write the whole session atomically and drop the journal it replaces."""
        try:
            self.store._ensure_folder()
            atomic_write(self.path, dumps_session(self.session))
            self.journal.remove()
        except AudituiError as error:
            self._needs_snapshot = True
            self.last_error = error
            raise
        except OSError as exc:
            self._needs_snapshot = True
            self.last_error = AudituiError(f"cannot save: {exc.strerror or exc}", path=self.path)
            raise self.last_error from None
        self._dirty_items.clear()
        self._dirty_meta = False
        self._needs_snapshot = False
        self.journal.entries = 0
        self.last_error = None

    def close(self) -> None:
        """Save what is pending, fold the journal into the session file, let go of the lock.

        Raises `AudituiError`, keeping the lock, only when a change could not be
        saved anywhere; a failed fold is harmless (the journal holds every mark).
        """
        if self.pending:
            self.flush()
        if self.journal.entries or self.journal.path.exists():
            try:
                self.snapshot()
            except AudituiError:
                pass
        self.journal.close()
        self.lock.release()

    def abandon(self) -> None:
        """Let go without saving what is pending (the user chose to quit anyway)."""
        self.journal.close()
        self.lock.release()
