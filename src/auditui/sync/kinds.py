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
