"""The session store: one TOML file per session in the sessions folder, saved safely.

A session file is the snapshot; changes made since are appended to a journal
beside it (`<id>.journal`) and fsynced at once, and folded into a fresh snapshot
(written atomically) every so often and when the session is closed. Readers
always apply the journal, so every command sees every mark. Lock, journal and
temporary files never end in `.toml`, so nothing mistakes them for sessions.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from auditui import evidence, journal, tomlio
from auditui.checklist import Checklist
from auditui.counted import copy_notice, counted_elsewhere, from_the_future, future_notice
from auditui.errors import AudituiError, SessionLockedError
from auditui.evidence import Attachment
from auditui.filecache import file_identity
from auditui.guard import SnapshotGuard, file_digest, kept_name
from auditui.lock import SessionLock
from auditui.paths import (
    NOT_A_FILE,
    ambiguous,
    looks_like_path,
    odd_toml_entries,
    toml_files,
    toml_names,
)
from auditui.repository import Change, Saved, SavedHook
from auditui.safefile import is_regular, open_regular
from auditui.session import (
    NOT_GIVEN,
    Answer,
    NotGiven,
    Session,
    apply_answer,
    check_scope,
    clean_text,
    listed_order,
    merged_from,
    restore_answer,
)
from auditui.session_index import Digest, SessionIndex, identity_of
from auditui.session_toml import (
    SESSION_ID,
    device_name,
    dumps_new_session,
    dumps_session,
    read_session_file,
    session_to_document,
)
from auditui.timeutil import now
from auditui.tomlio import atomic_write, decode_text, parse_toml

if TYPE_CHECKING:
    from auditui.findings import Finding

Read = TypeVar("Read", Session, Digest)
"""What `SessionStore._counted` reads of each file: the session, or its digest."""

SESSION_SUFFIX = ".toml"
JOURNAL_SUFFIX = ".journal"
LOCK_SUFFIX = ".lock"


def read_session(path: Path, *, keep: bool = True) -> Session:
    """A session file with its journal applied: the state as last saved. `keep`: see
    `read_session_file`."""
    return _with_journal(read_session_file(path, keep=keep), path)[0]


def _with_journal(
    session: Session, path: Path, digest: Callable[[], str | None] | None = None
) -> tuple[Session, journal.Replayed]:
    """`session`, just read from `path`, with the journal beside it applied (unless the
    journal continues another file than the one at `path` now: `digest` hashes it)."""
    replayed = journal.replay(
        session, path.with_suffix(JOURNAL_SUFFIX), digest or (lambda: file_digest(path))
    )
    session.path = path.absolute()
    return session, replayed


def came_before(other: Head | Session, session: Session) -> bool:
    """Whether `other` is an earlier session of `session`'s checklist (by `listed_order`),
    and not a merge that joined `session` in (a part's own merge is not an earlier audit)."""
    return (
        other.checklist_id == session.checklist_id
        and other.id != session.id
        and listed_order(other) < listed_order(session)
        and session.id not in other.merged_from
    )


def merged_away(session_id: str, into: str) -> str:
    """Why a session merged into another takes no changes, and what to open instead."""
    return (
        f"session {session_id} was merged into {into} (auditui merge): a change here would "
        f"count in no findings register, trend or review; open {into} instead"
    )


def _foreign_changes(path: Path, journal_path: Path, count: int) -> str:
    return (
        f"{journal_path.name} holds {count} change{'s' if count != 1 else ''} made to "
        f"another version of {path.name} (the file was changed outside auditui after they "
        "were made, as after a crash): they are not applied"
    )


def _line_of(source: Path, key: str) -> int | None:
    """The line of `key` in the file `source` (read again: it was read whole just now)."""
    from auditui.locate import locate

    try:
        return locate(source.read_text(encoding="utf-8"), key)
    except (OSError, ValueError):
        return None


def _refuse_answers_outside_scope(session: Session, source: Path) -> None:
    """`AudituiError` naming the first answer typed by hand on an item outside the
    session's scope (`answered_outside_scope`): imported, a fail there would count
    nowhere, unsaid (no finding; the report would say no item failed)."""
    from auditui.session_toml import answered_outside_scope

    found = answered_outside_scope(session)
    if found is None:
        return
    index, record = found
    key = f"results[{index}].result"
    line = _line_of(source, key)
    raise AudituiError(
        f"'{record.result}' in section '{record.section_id}', which is outside the session's "
        f"scope ({', '.join(session.scope)}): add the section to session.scope, or take the "
        "answer out; nothing was imported",
        path=source, line=line, key=key,
    )  # fmt: skip


class SealBrokenNotice(AudituiError):
    """`seal_broken_notice`: what the lists say of a session, which a command about
    another session (its report, its export) has no reason to repeat."""


def seal_broken_notice(path: Path, session_id: str) -> AudituiError:
    """Said wherever a finished session changed by hand since it was sealed is counted:
    its numbers are what the file says now, not what was signed."""
    return SealBrokenNotice(
        f"session {session_id} was changed since it was sealed (auditui verify names what): "
        "counted as it is now, not as it was signed",
        path=path,
    )


def left_out_journal(path: Path) -> AudituiError | None:
    """What a command that only reads the session at `path` says when the journal beside
    it continues another version of the file: its marks are in no count, and the person
    should know before trusting one. None when there is no such journal."""
    journal_path = path.with_suffix(JOURNAL_SUFFIX)
    if not os.path.lexists(journal_path):
        return None
    try:
        if not journal.continues_another(journal_path, file_digest(path)):
            return _damaged_lines(path, journal_path)
    except AudituiError:
        return None
    said = _foreign_changes(path, journal_path, journal.changes_in(journal_path))
    return AudituiError(
        f"{said}; resume the session to keep the journal aside (the marks in it can then "
        "be entered again)",
        path=path,
    )


def _damaged_lines(path: Path, journal_path: Path) -> AudituiError | None:
    """The lines of the journal that cannot be read (torn, written by hand or by another
    program, a disk error): left out, and said, as the app says it; a first line that
    cannot be read leaves out the whole journal. None when every line applies."""
    try:
        _, replayed = _with_journal(read_session_file(path, keep=False), path)
    except AudituiError:
        return None  # said where the session itself is read
    if not (replayed.base_damaged or replayed.lines_left_out):
        return None
    said = _journal_left_out(path, journal_path, "damaged", _changes_said(replayed, journal_path),
                             None, read_only=True, replayed=replayed)  # fmt: skip
    return AudituiError(said, path=path)


def _changes_said(replayed: journal.Replayed, journal_path: Path) -> int:
    """How many changes a notice of the journal counts: of one not applied (foreign, or
    its first line damaged: that line is no change) every one it holds, read before it
    moves; else those applied."""
    if replayed.foreign:
        return journal.changes_in(journal_path) - replayed.base_damaged
    return replayed.entries


def _journal_left_out(
    path: Path,
    journal_path: Path,
    why: str,
    changes: int,
    kept_aside: Path | None,
    *,
    read_only: bool = False,
    replayed: journal.Replayed | None = None,
) -> str:
    """What opening a session says when the journal beside it (with `changes` lines) is
    not applied (`foreign`, or its first line damaged: kept aside as `kept_aside` now),
    or the damaged lines `replayed` names were left out (kept aside at the next save;
    `changes` are the changes applied). `read_only`: nothing is kept aside (the session
    is only read), so that is not said."""
    if why == "foreign":
        where = kept_aside.name if kept_aside else f"{journal_path.name}.foreign-… at the next save"
        said = _foreign_changes(path, journal_path, changes)
        return said if read_only else f"{said}; the journal is kept as {where}"
    plural = "change is" if changes == 1 else "changes are"
    if replayed is not None and replayed.base_damaged:
        said = (
            f"line 1 of {journal_path.name}, which names the version of {path.name} it "
            f"continues, is damaged: its {changes} {plural} not applied, as they may belong "
            "to another version of the file"
        )
        where = kept_aside.name if kept_aside else f"{journal_path.name}.damaged-…"
        return said if read_only else f"{said}; the journal is kept as {where}"
    lines = replayed.damaged if replayed is not None else ()
    if replayed is None or replayed.only_the_last_damaged:
        said = (
            f"the last line of {journal_path.name} is damaged and was left out (the {changes} "
            f"change{' before it is' if changes == 1 else 's before it are'} applied)"
        )
    else:
        which = ", ".join(map(str, lines[:5])) + (" …" if len(lines) > 5 else "")
        which = f"line {which} of {journal_path.name} is" if len(lines) == 1 else (
            f"lines {which} of {journal_path.name} are"
        )
        items = replayed.damaged_items
        missing = (
            f"item {', '.join(items[:5])} may lack a change" if items else "a mark may be missing"
        )
        said = f"{which} damaged and left out ({missing}; the {changes} other {plural} applied)"
    aside = f"; the journal is kept aside as {journal_path.name}.damaged-… at the next save"
    return said if read_only else said + aside


HEAD_BYTES = 64 * 1024
"""How much of a session file `read_head` looks at for its `[session]` table."""
_SESSION_HEADER = re.compile(rb"^\[session\][ \t]*(?:#[^\n]*)?\r?$", re.MULTILINE)
_NEXT_HEADER = re.compile(rb"^\[", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Head:
    """What tells sessions apart without reading their items: id, checklist, start time."""

    path: Path
    id: str
    checklist_id: str
    started: datetime
    merged_from: tuple[str, ...] = ()
    """The sessions `auditui merge` joined into this one (they are counted as this one)."""


def without_merged(sessions: list[Session]) -> list[Session]:
    """`sessions` less those `auditui merge` joined into one of them: that audit counts
    once, as the joined session."""
    away = {joined for s in sessions for joined in s.merged_from}
    return [s for s in sessions if s.id not in away]


def read_head(path: Path) -> Head | None:
    """The `[session]` table at the top of a session file, parsed without the rest.

    Cut at the first table header after `[session]`: a cut inside a string or an array
    leaves text that does not parse, and then (or for any other surprise) the answer is
    None and the caller reads the whole file. Nothing after the cut can change the id,
    checklist or start time, and the journal never changes them either.
    """
    try:
        with open(open_regular(path, what="session file"), "rb") as handle:
            data = handle.read(HEAD_BYTES)
    except (OSError, AudituiError):
        return None
    found = _SESSION_HEADER.search(data)
    if found is None:
        return None
    following = _NEXT_HEADER.search(data, found.end())
    if following is not None:
        data = data[: following.start()]
    elif len(data) >= HEAD_BYTES:
        return None
    try:
        document = parse_toml(decode_text(data, path), path)
        head = document["session"]
        session_id, checklist_id, started = head["id"], head["checklist_id"], head["started"]
        if not (
            isinstance(session_id, str)
            and SESSION_ID.fullmatch(session_id)
            and isinstance(checklist_id, str)
            and checklist_id.strip()
            and isinstance(started, datetime)
        ):
            return None
        started = started if started.tzinfo else started.astimezone()
    except (AudituiError, KeyError, TypeError, ValueError, OverflowError):
        return None
    return Head(path, session_id, checklist_id, started, merged_from(head))


def _identity(path: Path) -> tuple[int, ...] | None:
    """The file's `file_identity`, or None when there is no such file."""
    try:
        return file_identity(os.lstat(path))
    except OSError:
        return None


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
    listed: bool = False
    """The session is listed all the same (one from the future, where the caller asked
    for those): the message is a warning."""

    @property
    def message(self) -> str:
        """The line to say: the error, and that the file is left out unless it is not."""
        return f"{self.error}" + ("" if self.listed else " (left out)")


@dataclass(frozen=True)
class Glimpse:
    """What `SessionStore.newest_digests` found: the newest sessions it could read, how
    many of them the index did not know (read in full), and how many files there are."""

    newest: list[tuple[Path, Digest]]
    unknown: int
    files: int


def _without_kept_copies(paths: list[Path]) -> list[Path]:
    """`paths` less the copies kept beside a session replaced while open (`<id>.kept-<time>
    .toml`, guard.kept_name) whose session is among them: a short id names the session,
    not its kept copy too (the copy is still named by its whole name)."""
    stems = {path.stem for path in paths}
    return [
        path
        for path in paths
        if ".kept-" not in path.stem or path.stem.rsplit(".kept-", 1)[0] not in stems
    ]


class SessionStore:
    """The sessions folder: listing, reading, creating, importing, opening for writing.
    The file store implementing `repository.SessionRepository`."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._saved_hooks: list[SavedHook] = []

    def on_saved(self, hook: SavedHook) -> None:
        """Call `hook` after each change to a session made through this store or a writer
        it opened (see `repository.Saved`)."""
        self._saved_hooks.append(hook)

    def _saved(self, change: Change, session_id: str, path: Path) -> None:
        for hook in list(self._saved_hooks):
            hook(Saved(session_id, path, change))

    def path_for(self, session_id: str) -> Path:
        return self.folder / f"{session_id}{SESSION_SUFFIX}"

    def session_files(self) -> list[Path]:
        return toml_files(self.folder)

    def _paths(self, names: list[str]) -> Iterator[Path]:
        """The file of each name, made one at a time (a `Path` each would cost a long
        history more memory than its digests)."""
        folder = self.folder
        return (folder / name for name in names)

    def list_sessions(
        self,
        on_error: Callable[[Unreadable], None] | None = None,
        *,
        include_future: bool = False,
        include_merged: bool = False,
    ) -> list[Session]:
        """Every session that counts, oldest first (see `iter_sessions`); the sessions
        `auditui merge` joined into another (counted as that one) only with
        `include_merged`."""
        found = list(self.iter_sessions(on_error, include_future=include_future))
        return sorted(found if include_merged else without_merged(found), key=listed_order)

    def iter_sessions(
        self,
        on_error: Callable[[Unreadable], None] | None = None,
        *,
        include_future: bool = False,
    ) -> Iterator[Session]:
        """Every readable session, one at a time in file-name order, so that a caller that
        keeps only a line of each holds one session in memory, not the whole history.
        One file per session id (`counted.py`); sessions from the future only with
        `include_future`. Unreadable files, copies and sessions from the future go to
        `on_error`. Every session, merged ones too: see `list_sessions`."""
        for _, session in self._counted(
            self._paths(toml_names(self.folder)), read_session, on_error, include_future
        ):
            yield session

    def digests(
        self,
        on_error: Callable[[Unreadable], None] | None = None,
        *,
        include_future: bool = False,
    ) -> Iterator[tuple[Path, Digest]]:
        """What `iter_sessions` gives, as a `Digest` of each session (head, counts, the
        items it judged) with its file: from the index of the folder where that is exactly
        valid (`session_index.py`), else from reading the session in full."""
        names = toml_names(self.folder)
        with SessionIndex(self.folder) as index:
            yield from self._counted(
                self._paths(names), lambda path: self._digest(index, path), on_error,
                include_future,
            )  # fmt: skip
            index.forget_others(names)

    def _counted(
        self,
        paths: Iterable[Path],
        read: Callable[[Path], Read],
        on_error: Callable[[Unreadable], None] | None,
        include_future: bool,
    ) -> Iterator[tuple[Path, Read]]:
        """`read` of each file that counts (`counted.py`: one file per session id; from
        the future only with `include_future`), odd entries, unreadable files, copies and
        sessions from the future told to `on_error`: `iter_sessions` and `digests`."""
        report = on_error or (lambda _: None)
        self._report_odd_entries(report)
        at = now()
        first_seen: dict[str, Path] = {}
        for path in paths:
            try:
                found = read(path)
            except AudituiError as error:
                report(Unreadable(path, error))
                continue
            left_out = left_out_journal(path) if on_error is not None else None
            if left_out is not None:
                report(Unreadable(path, left_out, listed=True))
            if isinstance(found, Digest) and found.seal_broken:
                report(Unreadable(path, seal_broken_notice(path, found.id), listed=True))
            counted = counted_elsewhere(path, found.id, first_seen)
            if counted is not None:
                report(Unreadable(path, copy_notice(path, found.id, counted)))
                continue
            if from_the_future(found.started, at):
                notice = future_notice(path, found.id, found.started)
                report(Unreadable(path, notice, listed=include_future))
                if not include_future:
                    continue
            yield path, found

    def newest_digests(self, most: int, seconds: float) -> Glimpse:
        """A first look at the newest sessions, for a screen to show while `digests` reads
        a history the index does not know yet: files taken newest name first (an id starts
        with its date), at most `most` of them, reading for at most `seconds`. Only files
        named after the id they hold; unreadable ones, copies and other oddities are left
        to `digests`, which says what they are. Reading them here fills the index, so
        `digests` does not read them again."""
        names = toml_names(self.folder)
        found: list[tuple[Path, Digest]] = []
        cold = 0
        began = time.monotonic()
        with SessionIndex(self.folder) as index:
            for name in reversed(names):
                if len(found) >= most or time.monotonic() - began > seconds:
                    break
                path = self.folder / name
                try:
                    digest, read = self._digest_read(index, path)
                except AudituiError:
                    cold += 1
                    continue
                cold += read
                if path.stem == digest.id:
                    found.append((path, digest))
        return Glimpse(found, cold, len(names))

    def digests_of(
        self, heads: Iterable[Head], on_error: Callable[[Unreadable], None] | None = None
    ) -> Iterator[tuple[Path, Digest]]:
        """The digest of each session `heads` came from, in their order (see `digests`)."""
        with SessionIndex(self.folder) as index:
            for head in heads:
                try:
                    digest = self._digest(index, head.path)
                except AudituiError as error:
                    if on_error is not None:
                        on_error(Unreadable(head.path, error))
                    continue
                if digest.seal_broken and on_error is not None:
                    notice = seal_broken_notice(head.path, digest.id)
                    on_error(Unreadable(head.path, notice, listed=True))
                yield head.path, digest

    @classmethod
    def _digest(cls, index: SessionIndex, path: Path) -> Digest:
        return cls._digest_read(index, path)[0]

    @staticmethod
    def _digest_read(index: SessionIndex, path: Path) -> tuple[Digest, bool]:
        """The digest of `path` from the index, else from reading the file in full (and
        then kept in the index); whether the file was read."""
        identity = identity_of(path, path.with_suffix(JOURNAL_SUFFIX))
        digest = index.lookup(path, identity)
        if digest is not None:
            return digest, False
        digest = Digest.of(read_session(path, keep=False))
        index.remember(path, identity, digest)
        return digest, True

    def _report_odd_entries(self, report: Callable[[Unreadable], None]) -> None:
        for path in odd_toml_entries(self.folder):
            report(Unreadable(path, AudituiError(NOT_A_FILE, path=path)))  # each: left out

    def resolve(self, reference: str) -> Path:
        """A session named by id or by path. Whatever is there under that name is taken,
        so that reading it says what it is (a FIFO, a folder, a link) instead of "no
        session"."""
        candidate = Path(reference)
        if looks_like_path(reference) and os.path.lexists(candidate):
            return candidate.absolute()
        beside = self.folder / reference  # a file's name in the sessions folder: a kept copy
        if candidate.name == reference and reference.endswith(".toml") and os.path.lexists(beside):
            return beside
        if SESSION_ID.fullmatch(reference):
            path = self.path_for(reference)
            if os.path.lexists(path):
                return path
            starting = [p for p in self.session_files() if p.stem.startswith(reference)]
            if len(starting) > 1:
                starting = _without_kept_copies(starting)
            if len(starting) == 1:
                return starting[0]
            if starting:
                raise AudituiError(ambiguous("session", reference, [p.stem for p in starting]))
            # A file renamed (a copy on a USB stick): listed by the id it holds, so found
            # by it too.
            held = [h for h in self.iter_heads() if h.id.startswith(reference)]
            exact = [h for h in held if h.id == reference]
            if len(exact) == 1 or len(held) == 1:
                return (exact or held)[0].path
            if held:
                raise AudituiError(ambiguous("session", reference, [h.id for h in held]))
        raise AudituiError(f"no session '{reference}' (looked in {self.folder})")

    def load(self, reference: str) -> Session:
        return read_session(self.resolve(reference))

    def previous(
        self,
        session: Session,
        sessions: list[Session] | None = None,
        *,
        overlapping: bool = False,
        on_error: Callable[[str], None] | None = None,
    ) -> Session | None:
        """The most recent earlier session of the same checklist (by start time); with
        `overlapping`, the most recent that audited a section `session` audits (what a
        report compares with: an audit of other sections has nothing to set beside it).
        A later one that does not read is passed over, and told to `on_error`."""
        mine = {record.section_id for record in session.scoped_records()} if overlapping else set()

        def earlier(other: Head | Session) -> bool:
            return came_before(other, session) and (
                not overlapping
                or not isinstance(other, Session)  # a head: told once it is read whole
                or any(record.section_id in mine for record in other.scoped_records())
            )

        if sessions is None:
            return self.latest(earlier, on_error)
        matches = [other for other in sessions if earlier(other)]
        return matches[-1] if matches else None

    def merged_into(self, session_id: str) -> str | None:
        """The session `auditui merge` joined `session_id` into, if there is one here."""
        for head in self.iter_heads():
            if session_id in head.merged_from:
                return head.id
        return None

    def heads(self, on_error: Callable[[Unreadable], None] | None = None) -> list[Head]:
        """The head of every session that counts (`counted.py`: one file per session id,
        none from the future), by its first lines where that works, else the whole file.
        Unreadable files, copies and sessions from the future go to `on_error`."""
        found = list(self.iter_heads(on_error))
        merged_away = {joined for head in found for joined in head.merged_from}
        return [head for head in found if head.id not in merged_away]

    def iter_heads(self, on_error: Callable[[Unreadable], None] | None = None) -> Iterator[Head]:
        """What `heads` gives, one at a time, sessions merged into another one included
        (leave out the ids in their `merged_from` once all are seen)."""
        report = on_error or (lambda _: None)
        self._report_odd_entries(report)
        at = now()
        first_seen: dict[str, Path] = {}
        with SessionIndex(self.folder) as index:
            for path in self._paths(toml_names(self.folder)):
                digest = index.lookup(path, identity_of(path, path.with_suffix(JOURNAL_SUFFIX)))
                head: Head | None
                if digest is not None:
                    head = Head(
                        path, digest.id, digest.checklist_id, digest.started, digest.merged_from
                    )
                else:
                    head = read_head(path)
                if head is None:
                    try:
                        whole = read_session(path)
                    except AudituiError as error:
                        report(Unreadable(path, error))
                        continue
                    merged = whole.merged_from
                    head = Head(path, whole.id, whole.checklist_id, whole.started, merged)
                if from_the_future(head.started, at):
                    report(Unreadable(path, future_notice(path, head.id, head.started)))
                    continue
                counted = counted_elsewhere(path, head.id, first_seen)
                if counted is not None:
                    report(Unreadable(path, copy_notice(path, head.id, counted)))
                    continue
                left_out = left_out_journal(path) if on_error is not None else None
                if left_out is not None:
                    report(Unreadable(path, left_out, listed=True))
                yield head

    def latest(
        self,
        accept: Callable[[Head | Session], bool],
        on_error: Callable[[str], None] | None = None,
    ) -> Session | None:
        """The readable session that `list_sessions()[-1]` would give among those `accept`
        takes, reading whole only that one (and any later one that turns out unreadable,
        told to `on_error`: passed over, it would make an older session look the latest)."""
        heads = [head for head in self.heads() if accept(head)]
        order = sorted(range(len(heads)), key=lambda n: (heads[n].started, heads[n].id, n))
        for number in reversed(order):
            path = heads[number].path
            assert path is not None
            try:
                session = read_session(path)
            except AudituiError as error:
                if on_error is not None:
                    on_error(Unreadable(path, error).message)
                continue
            if accept(session):
                return session
        return None

    def last_auditor(self) -> str:
        """The auditor of the most recently started session, to fill in the next form."""
        session = self.latest(lambda _: True)
        return session.auditor if session is not None else ""

    def new_id(self, checklist_id: str, started: datetime, taken: Collection[str] = ()) -> str:
        """`<start>-<checklist id>-<laptop part>`: the laptop part (config.laptop_part) keeps
        two laptops that share a folder (`auditui sync`) from ever making the same id.
        Ids made before it was added have no laptop part; they read as before."""
        from auditui.config import laptop_part

        base = f"{f'{started:%Y-%m-%d-%H%M}-{checklist_id}'[:128]}-{laptop_part()}"
        candidate, number = base, 1
        # A journal without its session file is a leftover: never give its id out again;
        # nor an id with anything at all (a planted link, a FIFO) under one of its names.
        traces = self._ids_with_traces()
        while (
            candidate in taken
            or candidate in traces
            or any(
                os.path.lexists(self.path_for(candidate).with_suffix(suffix))
                for suffix in (SESSION_SUFFIX, JOURNAL_SUFFIX, LOCK_SUFFIX)
            )
        ):
            number += 1
            candidate = f"{base}-{number}"
        return candidate

    def _ids_with_traces(self) -> set[str]:
        """Ids a deleted session leaves behind: its file in the trash, its evidence, the
        corrective actions of its findings. A new session given one of them (deleted
        and started again in the same minute: the wrong auditee) took the old one's
        actions, a closing by hand too, and its fail vanished from the register."""
        from auditui.finding_records import FOLDER_NAME, split_record_name
        from auditui.trash import TRASH

        found: set[str] = set()
        for folder, name_to_id in (
            (self.folder / TRASH, lambda name: name.removesuffix(SESSION_SUFFIX)),
            (self.folder / evidence.FOLDER, lambda name: name),
            (self.folder / FOLDER_NAME, split_record_name),
        ):
            try:
                names = os.listdir(folder)
            except OSError:  # none yet (or unreadable: the ids in it are not known)
                continue
            found.update(filter(None, map(name_to_id, names)))
        return found

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
        scope: Collection[str] = (),
        language: str = "",
    ) -> SessionWriter:
        """Start a new session of `checklist`, saved at once, locked for the caller.
        `scope`: the section ids to audit (none: all); an unknown one is refused."""
        started = started or now()
        self._ensure_folder()
        taken: set[str] = set()
        for _ in range(100):
            session_id = self.new_id(checklist.id, started, taken)
            session = Session.start(
                session_id,
                checklist,
                started=started,
                auditor=auditor,
                auditee=auditee,
                title=title,
                scope=scope,
                language=language,
            )
            lock = SessionLock(self.folder / f"{session_id}{LOCK_SUFFIX}", session_id)
            try:
                lock.acquire()
            except SessionLockedError:
                taken.add(session_id)  # another auditui is starting this id right now
                continue
            data = dumps_new_session(session)
            if len(data) > tomlio.MAX_FILE_BYTES:
                lock.release()
                raise AudituiError(
                    f"a session of this checklist would be {len(data):,} bytes, over the "
                    f"{tomlio.MAX_FILE_BYTES:,} auditui reads back: shorten its longest "
                    "texts (a section's title is kept with each of its items)",
                    path=checklist.path,
                )
            try:
                atomic_write(self.path_for(session_id), data, exclusive=True, what="session file")
            except AudituiError:
                lock.release()
                if self.path_for(session_id).exists():
                    continue  # another auditui took this id a moment ago
                raise
            writer = SessionWriter(self, session, lock)
            writer.guard.remember_written(data)
            self._saved("created", session_id, writer.path)
            return writer
        raise AudituiError("could not find a free session id", path=self.folder)

    def add(self, build: Callable[[str], Session], checklist_id: str, started: datetime) -> Session:
        """Save a session made elsewhere (`auditui merge`) as a new file under a fresh id:
        `build` makes the session for the id offered (again, if another auditui takes
        that id at the same moment)."""
        taken: set[str] = set()
        for _ in range(100):
            session_id = self.new_id(checklist_id, started, taken)
            session = build(session_id)  # may refuse (merge: answered differently)
            self._ensure_folder()
            path = self.path_for(session_id)
            try:
                atomic_write(path, dumps_session(session), exclusive=True, what="session file")
            except AudituiError:
                if path.exists():
                    taken.add(session_id)  # another auditui took this id a moment ago
                    continue
                raise
            session.path = path.absolute()
            self._saved("created", session_id, path)
            return session
        raise AudituiError("could not find a free session id", path=self.folder)

    def open(self, reference: str, *, read_only_ok: bool = False) -> SessionWriter:
        """Open a saved session for changes; refused while another program has it open.

        `read_only_ok` (the app): where no lock file can be made (read-only storage, a
        folder without write permission), the session is opened to be read, every change
        refused with that reason (`SessionWriter.read_only`), instead of not at all."""
        path = self.resolve(reference)
        identity = _identity(path)
        probe = read_session_file(path)  # the id, and a clear error before locking
        if path.parent.resolve() != self.folder.resolve() or path.stem != probe.id:
            store = SessionStore(path.parent)
            store._saved_hooks = self._saved_hooks  # a change there is a change all the same
        else:
            store = self
        session_lock = SessionLock(path.with_suffix(LOCK_SUFFIX), probe.id)
        lock: SessionLock | NoLock = session_lock
        read_only = None
        try:
            session_lock.acquire()
        except SessionLockedError:
            raise
        except AudituiError as error:
            if not read_only_ok:
                raise
            lock, read_only = NoLock(), error.message  # "cannot create the lock file: …"
        guard = SnapshotGuard(path)
        try:
            guard.remember_file()
            if identity is not None and guard.identity == identity:
                # Unchanged since it was read (any save since would show): read once.
                session, replayed = _with_journal(probe, path, lambda: guard.digest)
            else:
                session, replayed = _with_journal(
                    read_session_file(path), path, lambda: guard.digest
                )
        except BaseException:
            lock.release()
            raise
        if read_only is None:  # only read: nothing removed, moved aside or saved
            remove_stale_temp_files(path)
        writer = SessionWriter(store, session, lock, path=path)
        writer.guard = guard
        writer.read_only = read_only
        journal_path = path.with_suffix(JOURNAL_SUFFIX)
        if replayed.foreign and journal.contained(session, journal_path):
            # Left by a crash between a fold and the journal's removal: nothing new in it.
            if read_only is None:
                writer.journal.remove()
        elif replayed.foreign or replayed.lines_left_out:
            # A damaged first line: nothing of it applied, as of a foreign one.
            why = "foreign" if replayed.foreign and not replayed.base_damaged else "damaged"
            if replayed.leaves_a_gap:
                writer.journal_gap = "its journal had lines that could not be read"
            changes = _changes_said(replayed, journal_path)
            if read_only is not None:
                writer._tell(
                    _journal_left_out(
                        path, journal_path, why, changes, None, read_only=True, replayed=replayed
                    )
                )
                return writer
            # Nothing of a foreign journal was applied: kept aside now, under the name that
            # is said. Never append after a damaged line (nor to a foreign journal that
            # would not move): the next save is a whole snapshot, and the journal is then
            # kept aside.
            kept_aside = writer.journal.set_aside(why) if replayed.foreign else None
            writer._needs_snapshot = True
            if kept_aside is None:
                writer._set_aside_as = why
            writer._tell(
                _journal_left_out(path, journal_path, why, changes, kept_aside, replayed=replayed)
            )
        return writer

    def _refuse_unportable_id(self, session_id: str, source: Path) -> None:
        """Refuse an id a laptop sharing this folder could not hold as a file: a Windows
        device name, or one that differs only in capitals from a session here (Windows and
        macOS keep one file for both, so a sync there would lose one of them)."""
        if device_name(session_id):
            raise AudituiError(
                f"'{session_id}' names a device on Windows, so its file could not be kept "
                "there; change the id in the file and import again",
                path=source, line=_line_of(source, "session.id"), key="session.id",
            )  # fmt: skip
        wanted = f"{session_id}.toml".casefold()
        try:
            names = [entry.name for entry in os.scandir(self.folder)]
        except OSError:
            return  # no folder yet (made below), or unreadable: the write says so
        for name in names:
            if name.casefold() == wanted:
                raise AudituiError(
                    f"'{session_id}' differs only in capitals from session "
                    f"'{name.removesuffix('.toml')}' already in {self.folder}, and Windows "
                    "and macOS take the two for one file; change the id in the file and "
                    "import again",
                    path=source, line=_line_of(source, "session.id"), key="session.id",
                )  # fmt: skip

    def import_file(self, source: Path, on_notice: Callable[[str], None] | None = None) -> Session:
        """Add an exported session to the folder; an id that is already here is refused,
        and so is one open in an auditui (its lock is held). The file written is exactly
        the one imported: a journal left under its id is set aside, never applied."""
        session = read_session_file(source, follow=True)  # only read: a link may be followed
        # An export's findings are worked out here again, not kept in the file; the
        # corrective actions they carry (what people typed) are recorded, below.
        findings = session.extra.pop("findings", None)
        target = self.path_for(session.id)
        already_here = AudituiError(
            f"session '{session.id}' is already in {self.folder}; nothing was imported",
            path=source,
        )
        if os.path.lexists(target):
            raise already_here
        self._refuse_unportable_id(session.id, source)
        _refuse_answers_outside_scope(session, source)
        self._refuse_parts_it_does_not_hold(session, source)
        data = dumps_session(session)
        self._ensure_folder()
        lock = SessionLock(self.folder / f"{session.id}{LOCK_SUFFIX}", session.id)
        try:
            lock.acquire()
        except SessionLockedError:
            raise AudituiError(
                f"session '{session.id}' is open in another auditui; nothing was imported",
                path=source,
            ) from None
        try:
            if os.path.lexists(target):
                raise already_here
            leftover = journal.JournalWriter(target.with_suffix(JOURNAL_SUFFIX))
            if os.path.lexists(leftover.path):
                aside = leftover.set_aside("left")
                if on_notice is not None:
                    on_notice(
                        f"{leftover.path}: a journal left under this id was not applied"
                        + (f"; kept as {aside.name}" if aside else "")
                    )
            atomic_write(target, data, exclusive=True, what="session file")
        except AudituiError as error:
            if os.path.lexists(target):
                raise already_here from None
            raise error
        finally:
            lock.release()
        self._saved("imported", session.id, target)
        from auditui.finding_records import FindingRecords, import_actions

        def is_here(session_id: str) -> bool:
            return bool(SESSION_ID.fullmatch(session_id)) and os.path.lexists(
                self.path_for(session_id)
            )

        records = FindingRecords(self.folder)
        register: list[Finding] | None = None

        def read_register() -> list[Finding]:
            nonlocal register
            if register is None:  # read once, and only for an export that carries actions
                from auditui.findings import register_from_store

                register = register_from_store(self, records)
            return register

        def recorded_under(finding_id: str) -> str | None:
            for finding in read_register():
                if finding.id == finding_id and finding.action is not None:
                    return finding.record_id
            return None

        failed = {r.item_id for r in session.scoped_records() if r.result == "fail"}

        def ids_of_its_finding(item_id: str) -> set[str]:
            """The ids of the finding this session's fail of `item_id` is part of (its own
            id for it, that finding's, the other fails'): none when it does not fail it."""
            if item_id not in failed:
                return set()
            own = f"{session.id}/{item_id}"
            for finding in read_register():
                ids = {finding.id, *finding.known_as}
                if own in ids and finding.checklist_id == session.checklist_id:
                    return ids | {own}
            return {own}

        recorded, left = import_actions(
            records, findings, session.id, is_here, recorded_under, ids_of_its_finding
        )
        if on_notice is not None:
            for notice in left:
                on_notice(notice)
            if recorded:
                from auditui.textwidth import plural

                on_notice(f"{plural(recorded, 'corrective action')} of its findings recorded here")
        return session

    def _refuse_parts_it_does_not_hold(self, session: Session, source: Path) -> None:
        """A merged audit imported takes the place of its parts here (`merged_from`): each
        part here must be of its checklist, and every answer the part has must be in it,
        as `auditui merge` made it. Else (a line added by hand to an export) it would take
        over any session here, whose findings and trend would drop out."""
        from auditui.textwidth import some_of

        for part_id in session.merged_from:
            path = self.path_for(part_id)
            if not os.path.lexists(path):
                continue  # not here: nothing taken over
            part = read_session(path)
            lacking = [
                record.item_id
                for record in part.scoped_records()
                if record.answered
                and not (
                    record.item_id in session.index
                    and session.in_scope(merged := session.record(record.item_id))
                    and merged.result == record.result
                )
            ]
            if part.checklist_id != session.checklist_id or lacking:
                why = (f"is of checklist '{part.checklist_id}'"
                       if part.checklist_id != session.checklist_id
                       else f"answers {some_of(lacking, 5)} otherwise or not at all")  # fmt: skip
                raise AudituiError(
                    f"names session {part_id} here among the parts it was merged from, but "
                    f"that session {why}: not a merge of it; nothing was imported",
                    path=source,
                )

    def delete(self, session_id: str) -> Path:
        """Move a session into the trash folder (`trash.py`); where it went. Refused while
        another program has it open."""
        from auditui.trash import trash_session_file

        before, after = trash_session_file(self, session_id)
        self._saved("deleted", session_id, before)
        return after


class NoLock:
    """The lock of a session opened to be read only (`SessionStore.open`): none is held."""

    def ensure(self) -> None:
        return None

    def release(self) -> None:
        return None


class SessionWriter:
    """A session open for changes. Every change is on disk when the call returns;
    when saving fails the change stays in memory, `pending` is true, and the next
    `flush()` retries (the journal first, see `flush`)."""

    COMPACT_AFTER = 2000
    COMPACT_BYTES = 8 * 1024 * 1024
    """Or journal bytes: a long note saved as a draft four times a second adds up fast."""
    """Journal entries before they are folded into a fresh snapshot."""

    def __init__(
        self,
        store: SessionStore,
        session: Session,
        lock: SessionLock | NoLock,
        path: Path | None = None,
    ) -> None:
        self.store = store
        self.session = session
        self.lock = lock
        self.path = path or store.path_for(session.id)
        self.guard = SnapshotGuard(self.path)
        self.journal = self._journal_for(self.path)
        self.closed = False
        """Set by `close` and `abandon`: every change is refused from then on."""
        self.closing = False
        """Set by `stop_changes`: changes are refused, the fold (`close`) is still to come."""
        self.notices: list[str] = []
        """What the user must be told that is not an error (a file replaced under us)."""
        self.journal_gap: str | None = None
        """Set when the journal had a line before its last that could not be read (left
        out): what was said of it. A mark may be missing, which a person should look at
        before the session is sealed (`auditui finish` refuses until then)."""
        self.on_notice: Callable[[str], None] | None = None
        self._dirty_items: dict[str, None] = {}
        self._dirty_meta = False
        self._needs_snapshot = False
        self._set_aside_as: str | None = None
        """Why the journal is to be kept aside (not removed) at the next snapshot."""
        self.merged_into: str | None = None
        """The session this one was merged into (`SessionStore.merged_into`): no changes."""
        self.last_error: AudituiError | None = None
        self.read_only: str | None = None
        """Why no change can be saved (no lock file could be made): opened to be read."""

    @property
    def pending(self) -> bool:
        return bool(self._dirty_items or self._dirty_meta or self._needs_snapshot)

    def answer(
        self,
        item_id: str,
        *,
        result: str | None = None,
        note: str | None = None,
        grade: str | None | NotGiven = NOT_GIVEN,
    ) -> Answer:
        """Change an item's answer and save; returns the answer before (for undo).
        Refused (`AudituiError`) on a finished session and on an item outside the scope."""
        self.check_can_mark(item_id)
        before = apply_answer(
            self.session, item_id, result=result, note=note, grade=grade, at=now()
        )
        if self.session.record(item_id).answer() != before:
            self._dirty_items[item_id] = None
        # Also when nothing changed: a save that failed before is retried (and its error
        # raised again), so no caller takes an unchanged answer for a saved one.
        self.flush()
        return before

    def check_can_mark(self, item_id: str) -> None:
        """Raise `AudituiError` saying why the item cannot be marked now, if it cannot."""
        session = self.session
        self.refuse_if_finished()
        if not session.in_scope(item_id):
            section = session.record(item_id).section_id
            raise AudituiError(
                f"item {item_id} is outside the scope of session {session.id}; "
                f"widen the scope to section {section} first"
            )

    def refuse_if_closed(self) -> None:
        """Raise `AudituiError` once the writer is closed (or closing, `stop_changes`): a
        key that arrives while the app is quitting must not write the session any more."""
        if self.closed or self.closing:
            raise AudituiError(f"session {self.session.id} is closed; nothing more is saved")
        if self.read_only is not None:
            raise AudituiError(
                f"session {self.session.id} is open to be read only; nothing can be saved "
                f"where it is ({self.read_only})"
            )

    def stop_changes(self) -> None:
        """Take no more changes; `close` (the fold) comes later, after the app has given the
        terminal back, so keys typed meanwhile reach the shell instead of being lost."""
        self.closing = True

    def refuse_if_merged(self) -> None:
        """Raise `AudituiError` naming the session to open instead, when this one was
        joined into another (`merged_into`, set by what opened it): a change here would
        count in no register, trend or review."""
        if self.merged_into:
            raise AudituiError(merged_away(self.session.id, self.merged_into))

    def takes_changes(self) -> bool:
        """Whether a change would be taken now (`refuse_if_finished` would not refuse)."""
        try:
            self.refuse_if_finished()
        except AudituiError:
            return False
        return True

    def refuse_if_finished(self) -> None:
        """Raise `AudituiError` saying how to reopen, when the session is finished (or
        when the writer is closed, or the session merged into another)."""
        self.refuse_if_closed()
        self.refuse_if_merged()
        session = self.session
        if session.is_finished:
            raise AudituiError(
                f"session {session.id} is finished and sealed; to change it, reopen it "
                f"(auditui reopen {session.id} --reason TEXT, or 'Reopen' in the app)"
            )

    def widen_scope(self, section_ids: Collection[str]) -> None:
        """Add sections to the scope (their items become unanswered items to audit)."""
        session = self.session
        self.refuse_if_finished()
        if not session.scope:
            return
        check_scope(session, section_ids)
        session.set_scope([*session.scope, *section_ids])
        session.updated = now()
        self._needs_snapshot = True
        self.flush()

    def finish(
        self, *, conclusion: str, signed_by: Collection[str], at: datetime | None = None
    ) -> None:
        """Finish the session: conclusion and sign-off, then sealed, in one atomic write.

        Every mark is first folded into the session file (the journal removed), then the
        finished, sealed session replaces it whole: a crash at any moment leaves either
        the session as it was or the finished one with a valid seal, never a journal
        beside a sealed file. On failure nothing changes in memory either."""
        from auditui import seal

        self.refuse_if_finished()
        names = [name for name in signed_by if name.strip()]
        if not conclusion.strip() or not names:
            missing = " and ".join(
                what
                for what, absent in (("a conclusion", not conclusion.strip()),
                                     ("a name signing it", not names))
                if absent
            )  # fmt: skip
            raise AudituiError(
                f"a finished audit has its conclusion and sign-off (SPEC); {missing} "
                "missing: nothing was changed",
                path=self.path,
            )
        if self.pending or self.journal.entries or self.journal.path.exists():
            self.snapshot()
        session = self.session
        before = (session.finished, session.conclusion, session.signed_by, session.updated)
        sealed_before = (session.seal, session.seal_parts)  # a seal left in by hand, too
        at = at or now()
        taken_out = self._record_seal_taken_out(at)
        session.finished = at
        session.conclusion = clean_text(conclusion)
        session.signed_by = tuple(clean_text(name) for name in signed_by if name.strip())
        session.updated = at
        session.seal, session.seal_parts = seal.seal_document(session_to_document(session))
        try:
            self.snapshot()
        except AudituiError:
            session.finished, session.conclusion, session.signed_by, session.updated = before
            session.seal, session.seal_parts = sealed_before
            if taken_out is not None:
                session.reopened.remove(taken_out)
            # A snapshot still wanted stays so (one asked for before, or this one's file
            # written and its journal not dropped: the file is then made as memory is).
            raise
        from auditui.finish_drafts import drop_draft

        drop_draft(self.path)  # finished here or from the command line: not offered again
        if taken_out is not None:
            from auditui.textwidth import printable

            changed = printable(", ".join(taken_out["changed_since_sealed"]))
            self._tell(
                f"session {session.id} had been sealed, and its seal was taken out of the "
                f"file by hand ({changed}); that is kept in the file with this finish"
            )

    def _record_seal_taken_out(self, at: datetime) -> dict[str, Any] | None:
        """A session whose finished date and seal were taken out of its file by hand
        (`seal.seal_taken_out`), about to be finished: what changed since that seal goes
        into its reopenings, as `reopen` keeps it, so the new seal does not hide it."""
        from auditui.seal import changed_before_reopening, seal_taken_out

        session = self.session
        if not seal_taken_out(session):
            return None
        what = "finished date" if session.seal else "finished date and seal"
        entry: dict[str, Any] = {
            "at": at,
            "reason": f"its {what} had been taken out of the file by hand",
            "seal": session.seal or None,  # what was left of it, if anything
            "conclusion": session.conclusion,
            "signed_by": list(session.signed_by),
            "changed_since_sealed": changed_before_reopening(session, self.path),
        }
        session.reopened.append(entry)
        return entry

    def reopen(self, reason: str, at: datetime | None = None) -> None:
        """Take a finished session back into work: the seal is cleared, and when and why
        it was reopened is kept in the file for good (with the seal, conclusion and
        signatures it had)."""
        self.refuse_if_closed()
        self.refuse_if_merged()
        session = self.session
        reason = clean_text(reason).strip()
        from auditui.seal import changed_before_reopening, seal_taken_out

        if not session.is_finished and not seal_taken_out(session):
            raise AudituiError(f"session {session.id} is not finished; there is nothing to reopen")
        if not reason:
            raise AudituiError("give the reason for reopening (it is kept in the session file)")
        saved = (
            session.finished, session.seal, session.seal_parts, session.updated,
            session.conclusion, session.signed_by,
        )  # fmt: skip
        at = at or now()
        entry = {
            "at": at,
            "reason": reason,
            "finished": session.finished,
            "seal": session.seal,
            "conclusion": session.conclusion,
            "signed_by": list(session.signed_by),
        }
        from auditui.textwidth import printable

        changed = changed_before_reopening(session, self.path)
        if changed:  # changed by hand after sealing: finishing again must not hide it
            entry["changed_since_sealed"] = changed
            self._tell(
                f"session {session.id} was changed since it was sealed "
                f"({printable(', '.join(changed))}); "
                "reopened, and that is kept in the file with the reopening"
            )
        session.reopened.append(entry)
        session.finished, session.seal, session.seal_parts = None, "", {}
        session.conclusion, session.signed_by = "", ()
        session.updated = at
        try:
            self.snapshot()
        except AudituiError:
            session.reopened.pop()
            (
                session.finished, session.seal, session.seal_parts, session.updated,
                session.conclusion, session.signed_by,
            ) = saved  # fmt: skip
            raise  # a snapshot still wanted stays so, as in `finish`

    def restore(self, item_id: str, answer: Answer) -> None:
        self.check_can_mark(item_id)
        restore_answer(self.session, item_id, answer, now())
        self._dirty_items[item_id] = None
        self.flush()

    def attach(self, item_id: str, sources: Sequence[Path]) -> list[Attachment]:
        """Copy evidence files into the sessions folder and attach them to an item;
        returns the ones new to it."""
        fresh = self.copy_evidence(item_id, sources)
        record = self.session.record(item_id)
        self.set_attachments(item_id, (*record.attachments, *fresh))
        return fresh

    def copy_evidence(self, item_id: str, sources: Sequence[Path]) -> list[Attachment]:
        """Copy evidence files for an item into the evidence folder, attaching nothing yet.

        Every file is copied before any is attached: one that cannot be (missing, a
        folder, too large) raises `AudituiError` naming it. Returns the files the item
        has not got already.
        """
        self.check_can_mark(item_id)
        evidence.remove_stale_temp_files(self.path.parent, self.session.id)
        at = now()
        copied = [
            evidence.attach(self.path.parent, self.session.id, Path(source), at)
            for source in sources
        ]
        known = {attachment.file for attachment in self.session.record(item_id).attachments}
        fresh: dict[str, Attachment] = {}
        for attachment in copied:
            if attachment.file not in known:
                fresh.setdefault(attachment.file, attachment)
        return list(fresh.values())

    def set_attachments(self, item_id: str, attachments: Sequence[Attachment]) -> None:
        """The item's evidence list as given (detaching one, or undoing an attach). The
        copies stay in the evidence folder: a detach can always be undone."""
        self.check_can_mark(item_id)
        self.session.record(item_id).attachments = tuple(attachments)
        self.session.updated = now()
        self._dirty_items[item_id] = None
        self.flush()

    def set_details(self, *, auditor: str, auditee: str, title: str) -> None:
        self.refuse_if_finished()
        self.session.auditor = clean_text(auditor)
        self.session.auditee = clean_text(auditee)
        self.session.title = clean_text(title)
        self.session.updated = now()
        self._dirty_meta = True
        self.flush()

    def set_language(self, language: str) -> None:
        """Show the translation into `language` ("" for none) under each question from now
        on. Rare, so saved as a whole snapshot rather than a journal entry. Refused for a
        finished session, whose seal covers it (the app only shows another language)."""
        self.refuse_if_finished()
        if language == self.session.language:
            return
        self.session.language = language
        self.session.updated = now()
        self._needs_snapshot = True
        self.flush()

    def flush(self) -> None:
        """Write what is pending; raise `AudituiError` (and keep it pending) on failure.

        Marks go into the journal, a line each. A whole snapshot is written only when one
        is needed (a damaged journal, a change the journal cannot hold, the session file
        gone) or the journal has grown. After a failure (a full disk) the next try is the
        journal again, not a copy of the whole session: a few bytes freed are enough."""
        if not self.pending:
            return
        if self._needs_snapshot or not self.path.exists() or self.journal.detached():
            self.snapshot()
            return
        try:
            self.lock.ensure()
            if self.guard.replaced():
                self._keep_both()
                return
            appended = self._append_pending()
        except AudituiError as error:
            self.last_error = error
            # What a snapshot does and an append cannot (a sessions folder made again).
            self.snapshot()
            return
        self.last_error = None
        if not appended or (
            self.journal.entries >= self.COMPACT_AFTER
            or self.journal.size_after(0) >= self.COMPACT_BYTES
        ):
            try:
                self.snapshot()
            except AudituiError:
                if not appended:
                    raise
                # Every mark is in the journal; folded into the file at a later save.
            else:
                return
        self._saved("saved")

    def _append_pending(self) -> bool:
        """Append the pending changes to the journal; False when that would make a
        journal larger than auditui reads (the caller writes a snapshot instead)."""
        payload = b"".join(
            journal.encode(journal.item_entry(self.session, item_id))
            for item_id in self._dirty_items
        )
        if self._dirty_meta:
            payload += journal.encode(journal.meta_entry(self.session))
        if self.journal.size_after(len(payload)) > tomlio.MAX_FILE_BYTES:
            return False
        self.journal.append(payload)
        self.journal.entries += len(self._dirty_items) + int(self._dirty_meta)
        self._dirty_items.clear()
        self._dirty_meta = False
        return True

    def _saved(self, change: Change) -> None:
        self.store._saved(change, self.session.id, self.path)

    def snapshot(self) -> None:
        """Write the whole session atomically and drop the journal it replaces.

        When the file is written but its old journal cannot be dropped (or set aside), the
        next save is a snapshot again: a line appended to that journal would continue the
        file it replaced, and be left out by every read."""
        written = False
        try:
            folder_gone = not self.store.folder.is_dir()
            self.store._ensure_folder()
            try:
                self.lock.ensure()
            except SessionLockedError:
                self._keep_both(taken=True)
                return
            if self.guard.replaced():
                self._keep_both()
                return
            data = dumps_session(self.session)
            atomic_write(self.path, data, what="session file")
            written = True
            self.session.summary_edited = False  # the file holds the summary its results give
            self.guard.remember_written(data)
            if folder_gone:
                self._tell(
                    f"the sessions folder {self.store.folder} was gone (moved, or its drive "
                    "unplugged): it was made again, and this session is saved there"
                )
            if self._set_aside_as:
                if self.journal.set_aside(self._set_aside_as) is None and is_regular(
                    self.journal.path
                ):
                    raise AudituiError(
                        "cannot move the damaged journal aside", path=self.journal.path
                    )
                self._set_aside_as = None
            else:
                self.journal.remove()
        except AudituiError as error:  # what is pending stays pending: tried again
            self._needs_snapshot = self._needs_snapshot or written
            self.last_error = error
            raise
        except OSError as exc:
            self._needs_snapshot = self._needs_snapshot or written
            self.last_error = AudituiError(f"cannot save: {exc.strerror or exc}", path=self.path)
            raise self.last_error from None
        self._dirty_items.clear()
        self._dirty_meta = False
        self._needs_snapshot = False
        self.journal.entries = 0
        self.last_error = None
        self._saved("saved")

    def _journal_for(self, path: Path) -> journal.JournalWriter:
        return journal.JournalWriter(path.with_suffix(JOURNAL_SUFFIX), lambda: self.guard.digest)

    def check_lock(self) -> None:
        """Run every second by the app: a lock file removed by hand (a "stale lock"
        cleared, `git clean`) is made again at once, so that no second auditui opens the
        session meanwhile. When another has it now and marks wait here to be saved, they
        are written beside the session now, not held in memory until the end (a laptop
        dying meanwhile lost every mark made since); with none waiting, the next mark
        does it (the other may have held it a moment only: a sync folding a journal).
        Raises `AudituiError` when that copy cannot be written (`snapshot`'s: what is
        pending stays pending, and the app's retry says why)."""
        if self.closed or self.read_only is not None or self.merged_into is not None:
            return
        try:
            self.lock.ensure()
        except SessionLockedError:
            if self.pending:
                self.snapshot()  # finds the lock another's: writes beside it (`_keep_both`)
        except AudituiError:
            pass  # the folder gone, say: the next save says it and tries again

    def _keep_both(self, *, taken: bool = False) -> None:
        """The session file was replaced by another program while open here (`taken`:
        another auditui opened the session, the lock file having been removed): leave it
        as it is, write this version beside it (`<id>.kept-<time>.toml`), carry on there,
        and say so."""
        replaced = self.path
        kept = kept_name(replaced, self.session.id)
        # The kept copy under a lock of its own (`<id>.kept-<time>.lock`): the file left
        # behind is for others to open (taken: another has its lock already).
        lock = None
        if isinstance(self.lock, SessionLock):
            lock = SessionLock(kept.with_suffix(LOCK_SUFFIX), kept.stem)
            lock.acquire()
        data = dumps_session(self.session)
        try:
            atomic_write(kept, data, exclusive=True, what="session file")
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        if lock is not None:
            self.lock.release()  # the file at its path is removed only when it is ours
            self.lock = lock
        if taken:
            # The journal is the session file's, which the other auditui has opened (it
            # read the journal, and appends to it): ours is let go, never removed.
            self.journal.close()
        # Every mark of this program's journal is in the kept file now; the journal
        # belongs to the file that was replaced, and is never applied to the new one. One
        # with lines that could not be read is kept aside, as was said (not removed).
        elif self._set_aside_as is not None:
            self.journal.set_aside(self._set_aside_as)
        else:
            self.journal.remove()
        self.path = kept
        self.guard = SnapshotGuard(kept)
        self.guard.remember_written(data)
        self.journal = self._journal_for(kept)
        self._dirty_items.clear()
        self._dirty_meta = False
        self._needs_snapshot = False
        self._set_aside_as = None
        self.journal.entries = 0
        self.last_error = None
        what = ("was opened in another auditui (its lock file had been removed)" if taken
                else "was replaced by another program")  # fmt: skip
        notice = (
            f"{replaced.name} {what} while open here; it was left "
            f"as it is, and this version is saved as {kept.name} (changes now go there)"
        )
        self._saved("saved")
        self._tell(notice)

    def _tell(self, notice: str) -> None:
        """Say `notice` on screen now (`on_notice`) and on the terminal at the end."""
        self.notices.append(notice)
        if self.on_notice is not None:
            self.on_notice(notice)

    def close(self) -> None:
        """Save what is pending, fold the journal into the session file, let go of the lock.

        Raises `AudituiError`, keeping the lock, only when a change could not be
        saved anywhere; a failed fold is harmless (the journal holds every mark).
        """
        if self.pending:
            self.flush()
        if self.read_only is None and (self.journal.entries or self.journal.path.exists()):
            try:
                self.snapshot()
            except AudituiError as error:
                if self.journal.path.exists():  # said: the file itself is behind its marks
                    self._tell(
                        f"{error}: the session file was not brought up to date; every mark "
                        f"is in its journal ({self.journal.path.name}) and goes into the file "
                        "when the session is next opened"
                    )
        self.closed = True
        self.journal.close()
        self.lock.release()
        self._saved("closed")

    def abandon(self) -> None:
        """Let go without saving what is pending (the user chose to quit anyway)."""
        self.closed = True
        self.journal.close()
        self.lock.release()
