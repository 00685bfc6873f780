"""What a path in the sessions folder holds, from where it sits: a session, a finding's
record, the ignore file, or something else.

Its own module so that a sync with nothing to do, which only asks this of paths, does not
load the session model and the merge rules."""

from __future__ import annotations

from pathlib import PurePosixPath

MOVING = "auditui-moving"
"""In the git folder while a sync moves the files to a merged commit (`fast_forward.py`)."""
OTHER_SUFFIX = ".from-another-laptop"
"""Added to a copy of a file that could not be merged: the other laptop's version, kept."""


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
