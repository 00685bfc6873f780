"""Which session files count as audits: one file per session id, none from the future.

A sessions folder may hold a backup (`cp S.toml backup.toml`) or a kept copy
(`S.kept-<time>.toml`, written when S.toml was replaced while open): the same
session id twice. Counted twice, one audit would be "failed 2 audits in a row".
The file named after its id (`<id>.toml`) is the session; any other file with that
id is a copy, named on stderr and left out. When no file is named after the id, the
first by name counts.

A laptop with a wrong clock can start a session dated years ahead (9999). By start
time it would be the latest audit of its checklist for good, and hide every finding
of the real latest one. A session that starts more than `FUTURE_SLACK` after this
computer's clock is listed (so it can be found and fixed), but not counted: not in
the findings, the trend, comparisons or "last time", until that day comes.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from auditui.errors import AudituiError
from auditui.safefile import is_regular
from auditui.timeutil import now

FUTURE_SLACK = timedelta(days=1)
"""Clocks and time zones disagree by hours; a day ahead is a wrong clock."""

def from_the_future(started: datetime, at: datetime | None = None) -> bool:
    """True when a session starting at `started` cannot have started yet."""
    return started > (at or now()) + FUTURE_SLACK


def future_notice(path: Path | None, session_id: str, started: datetime) -> AudituiError:
    return AudituiError(
        f"session {session_id} starts {started:%Y-%m-%d %H:%M}, after this computer's "
        "clock: not counted in findings, trends or comparisons until then (was the clock "
        "of the laptop that started it wrong?)",
        path=path,
    )


def copy_notice(path: Path, session_id: str, counted: Path) -> AudituiError:
    # Said by every command while the copy is there: one short line each (what to do
    # with it is in docs/reliability.md).
    return AudituiError(
        f"a copy of session {session_id} ({counted.name} is the session); "
        "`auditui compare` the two files to see what differs",
        path=path,
    )


def counted_elsewhere(path: Path, session_id: str, first_seen: dict[str, Path]) -> Path | None:
    """The file that counts for `session_id` when it is not `path` (then `path` is a copy):
    the file named after the id, when it holds that id; else the first file read with the
    id (`first_seen`, filled in file-name order, holds only ids of files not named after
    them, so a long history costs no memory here). One file at a time, no listing."""
    named = path.with_name(f"{session_id}.toml")
    if path.name == named.name:
        return None
    if is_regular(named) and _id_in(named) == session_id:
        return named
    first = first_seen.setdefault(session_id, path)
    return None if first == path else first


def _id_in(path: Path) -> str | None:
    from auditui.session_toml import read_session_file
    from auditui.store import read_head

    head = read_head(path)
    if head is not None:
        return head.id
    try:
        return read_session_file(path).id
    except AudituiError:
        return None
