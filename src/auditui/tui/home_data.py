"""What the home screen shows, read off the UI thread: the checklists, then the sessions
(the newest thousand) with their rows, and the open findings at a glance. Plain data, no
Textual: the home screen runs these in a thread worker and shows each part when ready."""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from auditui.catalog import Catalog
from auditui.checklist import Checklist
from auditui.paths import Locations
from auditui.repository import SessionRepository
from auditui.session import listed_order
from auditui.session_index import Digest
from auditui.textwidth import minute, natural_widths, printable, whole_percent

FINISHED_MARK = " ✓"
"""After the progress of a finished (sealed) session: a mark, as "finished" took nine of
the cells the titles need at 80 columns (the line under the tables says it in words)."""
SEAL_BROKEN_MARK = " SEAL BROKEN"
"""Instead of FINISHED_MARK for a finished session changed by hand since it was sealed."""
MERGED_MARK = " merged"
"""After the progress of a part of a merged audit (counted as the merged session)."""


SESSION_COLUMNS = ("Session", "Started", "Progress", "Score", "Auditee", "Auditor")


def session_row(
    session: Digest, merged: bool = False
) -> tuple[str, str, str, str, str, str]:
    """What the sessions table shows of a session, one text per column (user text made
    printable: `textwidth.printable`); `merged` when it is a part of a merged audit."""
    summary = session.summary()
    return (
        printable(session.display_title),
        minute(session.started),
        f"{summary.answered}/{summary.total}"
        + _finished_mark(session)
        + (MERGED_MARK if merged else ""),
        "—" if summary.score is None else whole_percent(summary.score),
        printable(session.auditee),
        printable(session.auditor),
    )


def progress_words(session: Digest, row: tuple[str, ...]) -> str:
    """`12/26 answered, finished`: the progress column in words, for the line under the
    tables and the command palette (`row`: the session's `session_row`)."""
    summary = session.summary()
    words = f"{summary.answered}/{summary.total} answered"
    if session.seal_broken:
        words += ", seal broken"
    elif session.is_finished:
        words += ", finished"
    if row[SESSION_COLUMNS.index("Progress")].endswith(MERGED_MARK):
        words += ", merged into another audit"
    return words


def _finished_mark(session: Digest) -> str:
    if session.seal_broken:  # changed since sealed, or its seal taken out by hand
        return SEAL_BROKEN_MARK
    return FINISHED_MARK if session.is_finished else ""


@dataclass
class ChecklistsRead:
    checklists: list[Checklist]
    problems: list[str] = field(default_factory=list)
    """A message per checklist file that cannot be read."""
    duplicates: list[str] = field(default_factory=list)
    """Checklist files left out because another file of their folder has their id."""


@dataclass
class SessionsRead:
    sessions: list[Digest]
    """Newest first, merged ones and those dated ahead included (home lists them all):
    what the index of the folder holds of each (`session_index.py`), not whole sessions,
    so a history of years costs home a small row each."""
    paths: list[Path]
    """The file of each, to open it whole when asked (a report)."""
    rows: list[tuple[str, ...]]
    """`session_row` of each."""
    widths: list[int] = field(default_factory=list)
    """The width of each column with nothing cut (`SESSION_COLUMNS`): worked out here,
    off the UI thread, as it takes every row."""
    problems: list[str] = field(default_factory=list)
    """A message per session file that cannot be read."""
    total: int | None = None
    """The session files there are, when these are only the newest of them
    (`glance_sessions`): the rest is being read."""
    older: int = 0
    """Sessions left out of the list, older than those in it (`HOME_MOST`)."""
    reading: bool = False
    """Whether to tell that the rest is being read (it takes long enough to wonder)."""


@dataclass
class FindingsCount:
    """The findings open now, at a glance."""

    open_findings: int = 0
    majors: int = 0
    overdue: int = 0
    orphaned: int = 0
    """Corrective actions whose finding no session shows (not among the open ones)."""
    problems: list[str] = field(default_factory=list)
    """A message per session or corrective-action file that cannot be read."""


def read_checklists(locations: Locations) -> ChecklistsRead:
    found = ChecklistsRead([])
    found.checklists = Catalog(locations).checklists(
        on_error=lambda e: found.problems.append(str(e)),
        on_duplicate=lambda duplicate: found.duplicates.append(str(duplicate)),
    )
    return found


HOME_MOST = 1000
"""Sessions home lists, the newest: years of audits at a few a week. A longer history is
counted (its findings too) but not put in the table, which would hold every row in
memory; the heading says how many are left out, and `auditui sessions` lists them all."""


def read_sessions(store: SessionRepository) -> SessionsRead:
    """The newest sessions (`HOME_MOST`), newest first, each with its row; how many older
    ones there are besides. `AudituiError` when the folder cannot be listed."""
    from auditui.paths import check_sessions_folder

    check_sessions_folder(store.folder)
    problems: list[str] = []
    counted = 0

    def every() -> Iterator[tuple[Path, Digest]]:
        nonlocal counted
        for pair in store.digests(
            on_error=lambda u: problems.append(str(u.error)), include_future=True
        ):
            counted += 1
            yield pair

    # As `sorted(..., reverse=True)[:most]` gives them, holding only those.
    listed = heapq.nlargest(HOME_MOST, every(), key=lambda pair: listed_order(pair[1]))
    found = _listed(listed)
    found.problems = problems
    found.older = counted - len(listed)
    return found


def _listed(listed: list[tuple[Path, Digest]]) -> SessionsRead:
    """`SessionsRead` of sessions already in the order shown, each with its row."""
    merged_away = {part for _, digest in listed for part in digest.merged_from}
    rows: list[tuple[str, ...]] = [
        session_row(digest, digest.id in merged_away) for _, digest in listed
    ]
    return SessionsRead(
        [digest for _, digest in listed],
        [path for path, _ in listed],
        rows,
        natural_widths(SESSION_COLUMNS, rows),
    )


GLIMPSE_MOST = 40
"""Sessions read for a first look at a long history: more than a screenful."""
GLIMPSE_S = 0.2
"""The most time spent on that first look."""
GLIMPSE_FROM = 200
"""Session files from which the newest are shown first though the index knows them all
(the whole list then takes a few hundredths of a second per thousand files)."""
GLIMPSE_UNKNOWN = 10
"""Files of the first look that had to be read in full: from this many on, the rest of
the history is taken to be unknown too, its newest shown first and the wait told."""
GLIMPSE_TOLD = 2000
"""Session files from which the wait for the whole list is told though it is indexed."""


def glance_sessions(store: SessionRepository) -> SessionsRead | None:
    """The newest sessions, newest first, when the whole list takes a moment to read (a
    long history, or one the index does not know: a new laptop, a cleared cache, a sync
    that brought many sessions); None when it would come as soon, or when these are all
    the sessions there are. `reading` says whether the wait is long enough to tell."""
    glimpse = store.newest_digests(GLIMPSE_MOST, GLIMPSE_S)
    unknown = glimpse.unknown >= GLIMPSE_UNKNOWN
    if len(glimpse.newest) >= glimpse.files or not (unknown or glimpse.files >= GLIMPSE_FROM):
        return None
    found = _listed(sorted(glimpse.newest, key=lambda pair: listed_order(pair[1]), reverse=True))
    found.total = glimpse.files
    found.reading = unknown or glimpse.files >= GLIMPSE_TOLD
    return found


def count_findings(
    store: SessionRepository, listed: SessionsRead, today: date | None = None
) -> FindingsCount:
    """The findings open now among the sessions `read_sessions` found, counted as
    `auditui findings` counts them: no session from the future, a merged audit once.
    Apart from the list, so the list is on screen before this is worked out."""
    from auditui.counted import from_the_future
    from auditui.finding_records import FindingRecords
    from auditui.findings import RegisterBuilder

    problems: list[str] = []
    actions = FindingRecords(store.folder).load_all(
        on_error=lambda broken: problems.append(str(broken.error))
    )
    builder = RegisterBuilder(actions, keep_closed=False)
    if listed.older:  # not all in hand: every session again, in order (`ordered_heads`)
        from auditui.findings import ordered_heads

        for path, digest in store.digests_of(ordered_heads(store)):  # what is unreadable
            builder.add_digest(digest, path)  # was told by `read_sessions`
    else:
        merged_away = {joined for digest in listed.sessions for joined in digest.merged_from}
        for path, digest in zip(reversed(listed.paths), reversed(listed.sessions), strict=True):
            if digest.id not in merged_away and not from_the_future(digest.started):
                builder.add_digest(digest, path)
    builder.fill_records(on_error=lambda u: problems.append(str(u.error)))
    everything = builder.result()
    problems += _answers_lost(store, listed)
    today = today or date.today()
    # An orphaned action has no finding: counted apart, as `findings`, trend and the
    # review pack count.
    found = [finding for finding in everything if not finding.orphaned]
    return FindingsCount(
        open_findings=len(found),
        majors=sum(1 for finding in found if finding.grade == "major"),
        overdue=sum(1 for finding in found if finding.overdue(today)),
        orphaned=len(everything) - len(found),
        problems=problems,
    )


def _answers_lost(store: SessionRepository, listed: SessionsRead) -> list[str]:
    """Said of each part listed that holds answers its merged session lacks (marked
    after the merge): they count in no finding, as `auditui findings` says too."""
    from auditui.session_merge import merge_holders, merge_notices

    return merge_notices(store, merge_holders(listed.sessions))
