"""Moving the sessions folder forward to the merged commit, one file at a time, each
written atomically.

`git merge --ff-only` removes a file and then writes its new version: a sync killed (or a
disk that filled up) in between left a session file empty or cut short, which every
command then refused and the next sync would not repair. Here each file brought in is
written beside its old version and renamed over it, so at any moment every file reads,
as its old version or its new one.

A note in the git folder (`MOVING`) names the two commits while the files move, then each
file written (no fsync: a name missing after a power cut only makes the next sync more
careful). The next sync that finds it takes the move up again before anything else:

- when every file changed here since (by the app, or a journal left beside a session)
  was changed on top of what the move wrote, it completes the move: those changes are
  this laptop's work on top of the other laptops', as if the sync had never been cut;
- else (a file changed here that the move had not reached yet), it puts back the old
  version of every file that still holds what the move wrote and syncs as usual: the
  merge brings the rest in again with every rule of a merge (a finished session kept, a
  clashing id renamed). A file changed on top of the moved version is then committed
  against the old one: its history credits this laptop with the other laptop's changes
  in that file, but nothing is lost.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from auditui.errors import AudituiError
from auditui.sync.git import Git
from auditui.sync.kinds import MOVING, kind_of, never_shared

CHUNK = 64
"""Files read from git at a time (evidence files can be large)."""
EXECUTABLE = "100755"
GITLINK = "160000"
"""A repository inside the repository (made by hand with git): never a sessions file."""


@dataclass(frozen=True, slots=True)
class Move:
    """One path that differs between the two commits: its blob and mode in each (None:
    absent)."""

    path: str
    old: str | None
    new: str | None
    old_mode: str = ""
    new_mode: str = ""

    def back(self) -> Move:
        """The same change the other way round."""
        return Move(self.path, self.new, self.old, self.new_mode, self.old_mode)


def move_to(git: Git, ours: str, target: str) -> None:
    """Move the folder (and the branch) from `ours`, the commit it holds, to `target`.

    Every file to be replaced must still be as `ours` has it: one changed meanwhile stops
    the move (before anything is written, or, for a findings record saved by the app
    while the files move, at that file: the next sync puts the others back and merges)."""
    moves = _moves(git, ours, target)
    for move in moves:
        full = git.folder / move.path
        if move.old is None and os.path.lexists(full):
            raise AudituiError(
                "a file never synced has the name of one another laptop sent; move it out of "
                "the sessions folder, then sync again (nothing was brought in)",
                path=full,
            )
        if not _holds(full, move.old):
            raise AudituiError(
                "changed here while the sync ran; nothing was brought in: sync again",
                path=full,
            )
    _note(git, ours, target)
    with _logging_moved(git) as log:
        _write(git, moves, lambda move: move.old, log=log)
    _arrive(git, target)


def interrupted_move(git: Git) -> tuple[str, str] | None:
    """(old commit, new commit) of a move a sync left half-done, None when there is none
    (a note left after the branch moved is dropped)."""
    from auditui.sync.engine import EMPTY_TREE

    note = git.git_dir / MOVING
    if not note.exists():
        return None
    try:
        ours, target = note.read_bytes().partition(b"\n")[0].decode("ascii").split()
    except (OSError, ValueError, UnicodeDecodeError):
        ours = target = ""
    if not ours or (git.rev("HEAD") or EMPTY_TREE) != ours:
        _forget(git)
        return None
    return ours, target


def take_up_interrupted_move(git: Git, ours: str, target: str) -> bool:
    """Complete a move a sync left half-done, or undo it (see the module's words); True
    when it was completed (the branch is at `target`), False when undone (still at
    `ours`). Either way the note is dropped."""
    moved = _moved_paths(git)
    moves = _moves(git, ours, target)
    on_top_of_old = False
    for move in moves:
        full = git.folder / move.path
        if _journal_beside(full, move.path):
            on_top_of_old = on_top_of_old or not _holds(full, move.new)
        elif not _holds(full, move.new) and not _holds(full, move.old):
            on_top_of_old = on_top_of_old or move.path not in moved
    if not on_top_of_old:
        _write(git, moves, lambda move: move.old, skip_unchanged=True)
        _arrive(git, target)
        return True
    undo = [
        move.back() for move in moves
        if (move.new, move.new_mode) != (move.old, move.old_mode)
        and not _journal_beside(git.folder / move.path, move.path)
    ]  # fmt: skip
    _write(git, undo, lambda move: move.old, skip_unchanged=True)
    _forget(git)
    return False


def _moved_paths(git: Git) -> set[str]:
    """The files the note says the move wrote (a name cut short by a crash left out)."""
    try:
        rest = (git.git_dir / MOVING).read_bytes().partition(b"\n")[2]
    except OSError:
        return set()
    return {raw.decode("utf-8", "surrogateescape") for raw in rest.split(b"\0")[:-1]}


@contextmanager
def _logging_moved(git: Git) -> Iterator[Callable[[str], None]]:
    """Each file written, named in the note after its write is on disk."""
    with open(git.git_dir / MOVING, "ab") as note:  # noqa: PTH123

        def log(path: str) -> None:
            note.write(path.encode("utf-8", "surrogateescape") + b"\0")
            note.flush()

        yield log


def _journal_beside(full: Path, path: str) -> bool:
    """A session with a journal beside it: marks made since the move wrote it (by an app
    that then died) continue that version, which must stay under them."""
    from auditui.store import JOURNAL_SUFFIX  # a move is under way: the store is no cost

    return kind_of(path) == "session" and os.path.lexists(full.with_suffix(JOURNAL_SUFFIX))


def _moves(git: Git, ours: str, target: str) -> list[Move]:
    out = git.ok("diff", "--raw", "-z", "--no-renames", "--no-abbrev", ours, target).out
    fields = out.split(b"\0")
    moves = []
    for header, raw_path in zip(fields[0::2], fields[1::2], strict=False):
        parts = header.decode("ascii").lstrip(":").split()
        if len(parts) < 5:
            continue
        old_mode, new_mode, old, new = parts[:4]
        if GITLINK in (old_mode, new_mode):
            continue  # git would make an empty folder; nothing auditui reads
        path = raw_path.decode("utf-8", "surrogateescape")
        if never_shared(path):
            continue  # this laptop's own (a journal, a lock): only its history entry goes
        moves.append(Move(
            path, None if set(old) == {"0"} else old, None if set(new) == {"0"} else new,
            old_mode, new_mode,
        ))  # fmt: skip
    return moves


def _blob_id(data: bytes, length: int) -> str:
    """The id git gives `data` as a blob (SHA-1, or SHA-256 in a repository made so)."""
    digest = hashlib.sha1 if length == 40 else hashlib.sha256
    return digest(b"blob %d\0" % len(data) + data).hexdigest()


def _holds(full: Path, blob: str | None) -> bool:
    """Whether the file at `full` is the blob `blob` (None: there is no file)."""
    if blob is None:
        return not os.path.lexists(full)
    try:
        data = full.read_bytes() if full.is_file() and not full.is_symlink() else None
    except OSError:
        data = None
    return data is not None and _blob_id(data, len(blob)) == blob


def _note(git: Git, ours: str, target: str) -> None:
    from auditui.tomlio import atomic_write

    atomic_write(git.git_dir / MOVING, f"{ours} {target}\n".encode("ascii"))


def _write(
    git: Git,
    moves: list[Move],
    expected: Callable[[Move], str | None],
    *,
    skip_unchanged: bool = False,
    log: Callable[[str], None] | None = None,
) -> None:
    """Each file as its new blob (removed where it has none), each write atomic. A file
    must hold `expected(move)` when it is written (checked again under a findings
    record's lock, which the app takes to save one); with `skip_unchanged` one that does
    not is left as it is, else the move stops there."""
    from auditui.sync.engine import read_blobs
    from auditui.tomlio import atomic_write

    for start in range(0, len(moves), CHUNK):
        chunk = moves[start : start + CHUNK]
        blobs = read_blobs(git, [move.new for move in chunk if move.new])
        for move in chunk:
            full = git.folder / move.path
            try:
                if move.new is not None:  # the folder first: a record's lock goes in it
                    full.parent.mkdir(parents=True, exist_ok=True)
                with _record_lock(full, move.path):
                    if not _holds(full, expected(move)):
                        if skip_unchanged:
                            continue
                        raise AudituiError(
                            "changed here while the sync ran; the next sync completes the work"
                        )
                    if move.new is None:
                        if os.path.lexists(full):
                            full.unlink()
                    else:
                        atomic_write(full, blobs[move.new], limit=False)
                        if move.new_mode == EXECUTABLE:  # as git checks it out: x where r is
                            mode = stat.S_IMODE(os.stat(full).st_mode)
                            os.chmod(full, mode | (mode & 0o444) >> 2)
                    if log is not None:
                        log(move.path)
            except (AudituiError, OSError) as error:
                why = error.message if isinstance(error, AudituiError) else (
                    error.strerror or str(error))  # fmt: skip
                if "next sync" not in why:
                    why += ("; every file reads, as it was or as brought in, and the next "
                            "sync completes the work")  # fmt: skip
                raise AudituiError(why, path=full) from None


def _record_lock(full: Path, path: str):
    """The lock the app takes to save a findings record (none for other files: the
    sessions brought in are held by the sync for the whole move)."""
    if kind_of(path) != "finding":
        return nullcontext()
    from auditui.finding_records import LOCK_WAIT_S
    from auditui.lock import waiting_lock

    return waiting_lock(
        full.with_suffix(".lock"),
        wait_s=LOCK_WAIT_S,
        busy="being changed by auditui here while the sync ran; the next sync completes the "
        "work",
    )


def _arrive(git: Git, target: str) -> None:
    """The files are as `target` has them: the branch and the index move there, and the
    note goes."""
    git.ok("reset", "--quiet", "--mixed", target)
    _forget(git)


def _forget(git: Git) -> None:
    try:
        (git.git_dir / MOVING).unlink()
    except FileNotFoundError:
        pass
