"""Moving the sessions folder forward to the merged commit, one file at a time, each
written atomically.

`git merge --ff-only` removes a file and then writes its new version: a sync killed (or a
disk that filled up) in between left a session file empty or cut short, which every
command then refused and the next sync would not repair. Here each file brought in is
written beside its old version and renamed over it, so at any moment every file reads,
as its old version or its new one.

A note in the git folder (`MOVING`) names the two commits while the files move. The next
sync that finds it puts back the old version of every file that still holds what the
move wrote, then syncs as usual: the branch never moved, so what is left changed is what
was changed here (committed as this laptop's work, never the other laptops' marks), and
the merge brings the rest in again, with every rule of a merge (a finished session kept,
a clashing id renamed, a file changed on both laptops merged).
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from auditui.errors import AudituiError
from auditui.sync.git import Git
from auditui.sync.kinds import MOVING, kind_of

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
    _write(git, moves, lambda move: move.old)
    git.ok("reset", "--quiet", "--mixed", target)
    _forget(git)


def interrupted_move(git: Git) -> tuple[str, str] | None:
    """(old commit, new commit) of a move a sync left half-done, None when there is none
    (a note left after the branch moved is dropped)."""
    from auditui.sync.engine import EMPTY_TREE

    note = git.git_dir / MOVING
    if not note.exists():
        return None
    try:
        ours, target = note.read_text(encoding="ascii").split()
    except (OSError, ValueError, UnicodeDecodeError):
        ours = target = ""
    if not ours or (git.rev("HEAD") or EMPTY_TREE) != ours:
        _forget(git)
        return None
    return ours, target


def undo_interrupted_move(git: Git, ours: str, target: str) -> None:
    """Put back the old version of each file a cut-short move wrote and nobody changed
    since (a file changed here since stays as it is: this laptop's work), then drop the
    note. The branch is still at `ours`: the sync goes on as if the move never began."""
    undo = [move.back() for move in _moves(git, ours, target) if move.new != move.old]
    _write(git, undo, lambda move: move.old, skip_unchanged=True)
    _forget(git)


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
                        continue
                    atomic_write(full, blobs[move.new], limit=False)
                    if move.new_mode == EXECUTABLE:  # as git checks it out: x where r is
                        mode = os.stat(full).st_mode
                        os.chmod(full, stat.S_IMODE(mode) | (stat.S_IMODE(mode) & 0o444) >> 2)
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


def _forget(git: Git) -> None:
    try:
        (git.git_dir / MOVING).unlink()
    except FileNotFoundError:
        pass
