"""What a path in the sessions folder holds, from where it sits: a session, a finding's
record, the ignore file, or something else.

Its own module so that a sync with nothing to do, which only asks this of paths, does not
load the session model and the merge rules."""

from __future__ import annotations

import os
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

from auditui.trash import TRASH

MOVING = "auditui-moving"
"""In the git folder while a sync moves the files to a merged commit (`fast_forward.py`)."""
OTHER_SUFFIX = ".from-another-laptop"
"""Added to a copy of a file that could not be merged: the other laptop's version, kept."""
JOURNALS = "*.journal"
"""Sessions' journals (`store.JOURNAL_SUFFIX`), named here so that a sync with no journal
to fold does not load the session store."""
IGNORED = (JOURNALS, "*.journal.*", "*.lock", "*.tmp", f"/{TRASH}/", "*.draft")
"""The lines of the folder's `.gitignore`: what belongs to one program on one laptop.
`*.journal.*`: a journal kept aside (`.foreign-…`, `.damaged-…`) is this laptop's too.
`/trash/`: the sessions deleted here, and this laptop's copies of those deleted elsewhere
(`trash.py`), never shared; ignored so that `git status` in the folder is clean. `*.draft`:
what the corrective-action editor holds while open (`action_drafts.py`)."""
_NAMES_NEVER_SHARED = tuple(pattern for pattern in IGNORED if "/" not in pattern)


def kind_of(path: str) -> str:
    """`session`, `finding`, `ignore` or `other`, from where the file sits."""
    parts = PurePosixPath(path).parts
    if len(parts) == 1 and path.endswith(".toml") and not path.startswith("."):
        return "session"
    if len(parts) == 2 and parts[0] == "findings" and path.endswith(".toml"):
        return "finding"
    if path == ".gitignore":
        return "ignore"
    return "other"


def read_limit(path: str) -> int | None:
    """The size in bytes over which auditui refuses to read the file at `path` (a session,
    a findings record; None for anything else): a sync never takes in nor writes a file
    that every command would then leave out. Read at each call (tests lower it)."""
    kind = kind_of(path)
    if kind == "session":
        from auditui import tomlio

        return tomlio.MAX_FILE_BYTES
    if kind == "finding":
        from auditui import finding_records

        return finding_records.MAX_RECORD_BYTES
    return None


def never_shared(path: str) -> bool:
    """Whether `path` is one of what `IGNORED` keeps to one laptop (a journal, a lock, a
    half-written file, a draft, the trash) and what a sync therefore never takes in, even
    when another laptop sent it past auditui (`git add -f`): a journal brought in would
    be applied by every command, its marks made as if here. Session, findings and
    evidence files are shared whatever their names (`engine._shared_all_the_same`)."""
    if kind_of(path) in ("session", "finding") or path.startswith("evidence/"):
        return False
    parts = PurePosixPath(path).parts
    if len(parts) > 1 and parts[0] == TRASH:
        return True
    return any(fnmatchcase(parts[-1], pattern) for pattern in _NAMES_NEVER_SHARED)


def set_aside_files(folder: Path) -> list[Path]:
    """The files a sync set aside in the sessions folder (`OTHER_SUFFIX`: another laptop's
    version of a session or findings file that did not read, whose seal no longer held,
    or that could not be joined; a swapped evidence copy), sorted; none when the folder
    cannot be listed (its own commands say so)."""
    found: list[Path] = []
    for where in (folder, folder / "findings"):
        try:
            found += [Path(entry.path) for entry in os.scandir(where)
                      if entry.name.endswith(OTHER_SUFFIX)]  # fmt: skip
        except OSError:
            continue
    evidence = folder / "evidence"
    if evidence.is_dir():
        found += evidence.glob(f"*/*{OTHER_SUFFIX}")
    return sorted(found)
