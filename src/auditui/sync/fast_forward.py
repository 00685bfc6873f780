"""Moving the sessions folder forward to the merged commit, one file at a time, each
written atomically.

`git merge --ff-only` removes a file and then writes its new version: a sync killed (or a
disk that filled up) in between left a session file empty or cut short, which every
command then refused and the next sync would not repair. Here each file brought in is
written beside its old version and renamed over it, so at any moment every file reads,
as its old version or its new one. A note in the git folder (`MOVING`) names the two
commits while the files move; the next sync finds it and completes the move before it
looks for this laptop's changes (so that files brought in are never committed as if they
had been made here).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from auditui.errors import AudituiError
from auditui.sync.git import Git
from auditui.sync.kinds import MOVING, kind_of

CHUNK = 64
"""Files read from git at a time (evidence files can be large)."""


@dataclass(frozen=True, slots=True)
class Move:
    """One path that differs between the two commits: its blob in each (None: absent)."""

    path: str
    old: str | None
    new: str | None


def move_to(git: Git, ours: str, target: str) -> None:
    """Move the folder (and the branch) from `ours`, the commit it holds, to `target`.

    Every file to be replaced must still be as `ours` has it: one changed meanwhile (a
    corrective action saved during the sync) stops the move before anything is written."""
    moves = _moves(git, ours, target)
    for move in moves:
        if not _holds(git.folder / move.path, move.old):
            raise AudituiError(
                "changed here while the sync ran; nothing was brought in: sync again",
                path=git.folder / move.path,
            )
    _note(git, ours, target)
    _write(git, moves)
    _finish(git, target)


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


def finish_interrupted_move(git: Git, ours: str, target: str) -> list[str]:
    """Complete a move a sync left half-done (killed, or the disk full); what to say.

    A file already moved is left as it is, one not yet moved is moved, and one changed
    here since (as the old or the new version) is merged with the new version the way a
    sync merges a file changed on two laptops."""
    said = []
    moves = []
    for move in _moves(git, ours, target):
        full = git.folder / move.path
        if _holds(full, move.new):
            continue
        if _holds(full, move.old) or not full.exists():
            moves.append(move)
            continue
        merged = _merged(git, move, full)
        if merged is not None:
            said.append(f"{move.path}: changed here after a sync was cut short; merged")
            moves.append(Move(move.path, move.old, merged))
    _write(git, moves)
    _finish(git, target)
    return said


def _moves(git: Git, ours: str, target: str) -> list[Move]:
    out = git.ok("diff", "--raw", "-z", "--no-renames", "--no-abbrev", ours, target).out
    fields = out.split(b"\0")
    moves = []
    for header, raw_path in zip(fields[0::2], fields[1::2], strict=False):
        parts = header.decode("ascii").lstrip(":").split()
        if len(parts) < 5:
            continue
        old, new = parts[2], parts[3]
        path = raw_path.decode("utf-8", "surrogateescape")
        moves.append(Move(path, None if set(old) == {"0"} else old,
                          None if set(new) == {"0"} else new))  # fmt: skip
    return moves


def _blob_id(data: bytes, length: int) -> str:
    """The id git gives `data` as a blob (SHA-1, or SHA-256 in a repository made so)."""
    digest = hashlib.sha1 if length == 40 else hashlib.sha256
    return digest(b"blob %d\0" % len(data) + data).hexdigest()


def _holds(full: Path, blob: str | None) -> bool:
    """Whether the file at `full` is the blob `blob` (None: there is no file)."""
    try:
        data = full.read_bytes() if full.is_file() and not full.is_symlink() else None
    except OSError:
        data = None
    if blob is None:
        return not os.path.lexists(full)
    return data is not None and _blob_id(data, len(blob)) == blob


def _merged(git: Git, move: Move, full: Path) -> str | None:
    """The blob of this laptop's version merged with the new one (session and findings
    files); None to leave this laptop's version as it is, to be committed as a change."""
    from auditui.sync.engine import read_blobs
    from auditui.sync.resolve import resolve

    if kind_of(move.path) not in ("session", "finding") or move.new is None:
        return None
    blobs = read_blobs(git, [blob for blob in (move.old, move.new) if blob])
    try:
        resolved = resolve(
            move.path,
            blobs.get(move.old) if move.old else None,
            full.read_bytes(),
            blobs[move.new],
            lambda old: old,
        )
    except (AudituiError, OSError, KeyError):
        return None
    data = resolved.files.get(move.path)
    if set(resolved.files) != {move.path} or data is None:
        return None
    return git.ok("hash-object", "-w", "--stdin", input=data).text.strip()


def _note(git: Git, ours: str, target: str) -> None:
    from auditui.tomlio import atomic_write

    atomic_write(git.git_dir / MOVING, f"{ours} {target}\n".encode("ascii"))


def _write(git: Git, moves: list[Move]) -> None:
    """Each file as its new blob (removed where it has none), each write atomic."""
    from auditui.sync.engine import read_blobs
    from auditui.tomlio import atomic_write

    for start in range(0, len(moves), CHUNK):
        chunk = moves[start : start + CHUNK]
        blobs = read_blobs(git, [move.new for move in chunk if move.new])
        for move in chunk:
            full = git.folder / move.path
            try:
                if move.new is None:
                    if os.path.lexists(full):
                        full.unlink()
                    continue
                full.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(full, blobs[move.new], limit=False)
            except (AudituiError, OSError) as error:
                why = error.message if isinstance(error, AudituiError) else (
                    error.strerror or str(error))  # fmt: skip
                raise AudituiError(
                    f"{why}; every file reads, as it was or as brought in, and the next "
                    "sync completes the work",
                    path=full,
                ) from None


def _finish(git: Git, target: str) -> None:
    """The branch and the index to `target` (the files are there), then the note goes."""
    git.ok("reset", "--quiet", "--mixed", target)
    _forget(git)


def _forget(git: Git) -> None:
    try:
        (git.git_dir / MOVING).unlink()
    except FileNotFoundError:
        pass
