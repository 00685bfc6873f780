"""Scores of all sessions of one checklist over time, overall and per section.

Sessions are matched by `checklist_id` alone: a session whose checklist file was
since deleted or renamed still counts, since every session carries its own items.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from auditui.catalog import Catalog
from auditui.checklist import Checklist, load_checklist
from auditui.compare import section_groups
from auditui.errors import AudituiError
from auditui.finding_records import ActionRecord
from auditui.paths import ambiguous, looks_like_path
from auditui.session import Session, Summary, display_title, listed_order, sessions_of
from auditui.store import Unreadable
from auditui.textwidth import (
    cell_width,
    day,
    fit,
    line_width,
    ljust,
    minute,
    printable,
    score_text,
    truncate,
    truncate_middle,
)

if TYPE_CHECKING:
    from auditui.repository import SessionRepository
    from auditui.session_index import Digest

BAR_WIDTH = 40
"""Cells of the score bar at 100%."""
MIN_BAR_WIDTH = 20
NARROW_BAR_WIDTH = 10
"""On a terminal too narrow for the session ids (80 columns), the bar gives up more; with
less room than this it is left out (the score is there in figures)."""
_PARTIAL = " ▏▎▍▌▋▊▉"
_SPARKS = "▁▂▃▄▅▆▇█"
SPARK_LIMIT = 50
"""Sparklines show at most this many of the latest sessions."""


class OfChecklist(Protocol):
    """A session, its head or its digest: what names a checklist id among the sessions."""

    @property
    def id(self) -> str: ...

    @property
    def checklist_id(self) -> str: ...


def resolve_checklist_id(
    reference: str, catalog: Catalog, sessions: Sequence[OfChecklist]
) -> tuple[str, Checklist | None]:
    """The checklist id named by `reference` (an id, a unique prefix of one, or the path
    of a checklist file), and the checklist when it had to be read.

    An id need not belong to a checklist that still exists, as long as a session
    has it; one that matches neither a checklist nor a session is refused, and a prefix
    that starts several ids is refused naming them.
    """
    if not reference.strip():  # a prefix of every id: never one picked for it
        raise AudituiError("give a checklist id (or a unique start of one, or a file)")
    candidate = Path(reference)
    if looks_like_path(reference) and candidate.exists():  # a FIFO too: refused by name
        checklist = load_checklist(candidate)
        return checklist.id, checklist
    in_sessions = {session.checklist_id for session in sessions}
    if reference in in_sessions:
        return reference, None
    starting = [name for name in in_sessions if name.startswith(reference)]
    refused: AudituiError | None = None
    try:
        checklist = catalog.resolve(reference)
    except AudituiError as error:
        refused = error
    else:
        if checklist.id == reference or not {*starting} - {checklist.id}:
            return checklist.id, checklist
        starting.append(checklist.id)  # a prefix of ids in the catalog and the sessions
    if looks_like_path(reference):
        raise AudituiError("no such checklist file", path=candidate)
    if starting:
        offered = sorted({*starting, *_catalog_ids_starting(catalog, reference)})
        if len(offered) == 1:
            return offered[0], None
        raise AudituiError(ambiguous("checklist", reference, offered))
    if refused is not None and _catalog_ids_starting(catalog, reference):
        raise refused  # several start with it: the catalog's message names them
    for session in sessions:
        if session.id == reference:
            raise AudituiError(
                f"{printable(reference)} is a session, not a checklist; give its checklist's "
                f"id: {printable(session.checklist_id)}"
            )
    raise AudituiError(
        f"no checklist with id {printable(reference)}, in the checklists folders or in "
        "the sessions"
    )


def _catalog_ids_starting(catalog: Catalog, prefix: str) -> list[str]:
    """The ids of the checklists that load and start with `prefix`."""
    return [c.id for c in catalog.checklists(on_error=lambda _: None) if c.id.startswith(prefix)]


@dataclass(frozen=True, slots=True)
class PointSession:
    """What a trend shows of a session beside its counts: kept instead of the session, so
    a trend over years of sessions holds none of their items."""

    id: str
    checklist_id: str
    started: datetime
    checklist_version: str
    checklist_title: str
    title: str
    auditor: str
    auditee: str
    finished: datetime | None = None
    scope: tuple[str, ...] = ()
    """The sections it audited, where known (a session read whole; none: all, or not
    known from the index)."""

    @classmethod
    def of(cls, session: Session | Digest) -> PointSession:
        return cls(
            session.id,
            session.checklist_id,
            session.started,
            session.checklist_version,
            session.checklist_title,
            session.title,
            session.auditor,
            session.auditee,
            session.finished,
            _partial_scope(session),
        )

    @property
    def display_title(self) -> str:
        return display_title(self)


def _partial_scope(session: Session | Digest) -> tuple[str, ...]:
    """The sections a session audited when not all of its checklist's (a merged audit keeps
    the union of its parts' scopes, often every section); () for all, or not known."""
    scope = tuple(getattr(session, "scope", ()))
    section_ids = getattr(session, "section_ids", None)
    if scope and section_ids is not None and set(scope) >= set(section_ids()):
        return ()
    return scope


@dataclass(frozen=True, slots=True)
class Point:
    """One session on the trend: its summary, and each section's."""

    session: PointSession
    summary: Summary
    sections: dict[str, tuple[str, Summary]]
    """section id -> (title, summary), in the session's order."""


@dataclass
class Trend:
    checklist_id: str
    title: str
    points: list[Point]
    """Oldest first."""
    open_findings: dict[str, int] | None = None
    """Findings of the checklist open right after each session, by session id (when known)."""
    checklist_order: tuple[str, ...] = ()
    """The checklist's section ids in its order, when the checklist is at hand: the order
    `section_order` gives (sessions scoped to parts of it only hint at it)."""

    def latest_of(self, section_id: str) -> Summary | None:
        """The section's summary in the last session that audited it: one the latest
        session did not audit read "–", as if it had never been scored."""
        for point in reversed(self.points):
            if section_id in point.sections:
                return point.sections[section_id][1]
        return None

    def section_order(self) -> list[tuple[str, str]]:
        """(id, title) of every section seen, in the checklist's order (`checklist_order`,
        when the checklist is at hand); else each session's order merged in, oldest
        first, a section first seen placed after the one before it in that session (a
        session scoped to section 5 does not put 5 before 4). The latest title of each."""
        order: list[str] = []
        titles: dict[str, str] = {}
        for point in self.points:
            ids = list(point.sections)
            for number, section_id in enumerate(ids):
                titles[section_id] = point.sections[section_id][0]
                if section_id in order:
                    continue
                if number:  # after the one before it here
                    order.insert(order.index(ids[number - 1]) + 1, section_id)
                else:  # before the first one after it that is known, else last
                    known = [order.index(i) for i in ids[1:] if i in order]
                    order.insert(known[0] if known else len(order), section_id)
        if self.checklist_order:  # the checklist's own order; sections it lacks after
            place = {section_id: n for n, section_id in enumerate(self.checklist_order)}
            order.sort(key=lambda section_id: place.get(section_id, len(place)))
        return [(section_id, titles[section_id]) for section_id in order]


def in_checklist_order(trend: Trend, catalog: Catalog, checklist: Checklist | None = None) -> None:
    """Give `trend` its checklist's order of sections when its sessions audited different
    sections (then only the checklist knows the order); `checklist` when already read."""
    if len({tuple(point.sections) for point in trend.points}) < 2:
        return
    if checklist is None or checklist.id != trend.checklist_id:
        try:
            checklist = catalog.resolve(trend.checklist_id)
        except AudituiError:
            return  # gone: the sessions' own orders, merged
    if checklist.id == trend.checklist_id:
        trend.checklist_order = tuple(section.id for section in checklist.sections)


def build_trend(checklist_id: str, sessions: list[Session], title: str = "") -> Trend:
    """The trend of `checklist_id` over `sessions` (any order; other checklists skipped)."""
    chosen = sessions_of(sessions, checklist_id)
    points = [point_of(session) for session in chosen]
    if chosen and chosen[-1].checklist_title:
        title = chosen[-1].checklist_title
    return Trend(checklist_id, title, points)


def trend_of_digests(checklist_id: str, digests: Iterable[Digest], title: str = "") -> Trend:
    """`build_trend` over what the index holds of each session (`Digest`): the app's trend
    view, which has them already, without reading a session whole."""
    chosen = sorted((d for d in digests if d.checklist_id == checklist_id), key=listed_order)
    points = [Point(PointSession.of(d), d.summary(), d.sections()) for d in chosen]
    if chosen and chosen[-1].checklist_title:
        title = chosen[-1].checklist_title
    return Trend(checklist_id, title, points)


def point_of(session: Session) -> Point:
    sections = {
        section_id: (section_title, Summary.of(records))
        for section_id, (section_title, records) in section_groups(session).items()
    }
    return Point(PointSession.of(session), session.summary(), sections)


def trend_from_store(
    store: SessionRepository,
    checklist_id: str,
    title: str = "",
    actions: dict[str, ActionRecord] | None = None,
    on_error: Callable[[Unreadable], None] | None = None,
) -> Trend:
    """The trend of `checklist_id` over the sessions of `store`, read one at a time in
    order (the heads put them in order), with the findings open after each: memory holds
    the points, never the sessions."""
    from auditui.findings import OpenCounter, ordered_heads

    counter = OpenCounter(actions or {})
    points: list[Point] = []
    counts: dict[str, int] = {}
    latest_title = ""
    heads = ordered_heads(store, checklist_id=checklist_id, on_error=on_error)
    # Each session's digest (session_index.py): its counts by section, and the items it
    # judged for the findings; a session is read in full only when the index has it not.
    for path, digest in store.digests_of(heads, on_error=on_error):
        points.append(Point(PointSession.of(digest), digest.summary(), digest.sections()))
        counts[digest.id] = counter.add_digest(digest, path)
        latest_title = digest.checklist_title
    return Trend(checklist_id, latest_title or title, points, counts)


def to_document(trend: Trend) -> dict[str, Any]:
    """The `trend --format toml` document: `[[points]]` (SPEC keys first), each with its
    `[[points.sections]]`, plus a `[trend]` table naming the checklist."""
    head: dict[str, Any] = {"checklist_id": trend.checklist_id}
    if trend.title:
        head["title"] = trend.title
    head["sessions"] = len(trend.points)
    points = [_point_table(point) for point in trend.points]
    if trend.open_findings is not None:
        for table in points:
            table["open_findings"] = trend.open_findings.get(table["session_id"], 0)
    return {"points": points, "trend": head}


def _point_table(point: Point) -> dict[str, Any]:
    summary = point.summary
    return {
        "session_id": point.session.id,
        "started": point.session.started,
        "score": summary.saved_score,
        "pass": summary.passed,
        "fail": summary.failed,
        "na": summary.na,
        "unanswered": summary.unanswered,
        "answered": summary.answered,
        "total": summary.total,
        "checklist_version": point.session.checklist_version,
        "sections": [
            {
                "section_id": section_id,
                "title": title,
                "score": section.saved_score,
                "pass": section.passed,
                "fail": section.failed,
                "na": section.na,
                "unanswered": section.unanswered,
            }
            for section_id, (title, section) in point.sections.items()
        ],
    }


def bar(summary: Summary, width: int = BAR_WIDTH) -> str:
    """The score as a bar of block characters, `width` cells at 100%, padded to `width`."""
    if summary.score is None:
        return " " * width
    eighths = round(summary.score * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (_PARTIAL[part] if part else "")
    return text + " " * (width - len(text))


def spark(summary: Summary | None) -> str:
    """One sparkline cell for a score; `·` where nothing was judged or the section is absent."""
    if summary is None or summary.score is None:
        return "·"
    return _SPARKS[min(len(_SPARKS) - 1, int(summary.score * len(_SPARKS)))]


def without_checklist(session_id: str, checklist_id: str) -> str:
    """A session id with the checklist's id in it left out (`2026-12-06-2244-…-2sdj-2`):
    what is left is when it started and on which laptop, what tells sessions apart."""
    marker = f"-{checklist_id}-"
    if checklist_id and marker in session_id:
        return session_id.replace(marker, "-…-", 1)
    return session_id


def render_text(trend: Trend) -> str:
    name = printable(trend.checklist_id)
    title = printable(trend.title)
    heading = f"Trend: {name}" + (f" — {title}" if title else "")
    if not trend.points:
        return fit(heading) + "\n" + fit(f"No sessions of checklist {name} yet.") + "\n"
    first, last = trend.points[0].session, trend.points[-1].session
    count = len(trend.points)
    counts = [f"{p.summary.answered}/{p.summary.total}" for p in trend.points]
    answered_width = max(len("ANSWERED"), *(len(text) for text in counts))
    ids = [point.session.id for point in trend.points]
    opened = trend.open_findings
    # Open after each session (not its fails: those are in its score).
    findings_head = "  OPEN FINDINGS" if opened is not None else ""
    # The bar is 40 cells, narrower (down to 20) when that lets the session ids fit. On a
    # narrower terminal the ids leave out the checklist id (the trend's own) and the bar
    # shrinks to 10, or goes, so that what tells the sessions apart is seen.
    fixed = 16 + 2 + 6 + 2 + 2 + answered_width + 2 + len(findings_head)
    bar_width = MIN_BAR_WIDTH
    if line_width() - fixed - MIN_BAR_WIDTH < max(map(len, ids)):
        ids = [without_checklist(session_id, trend.checklist_id) for session_id in ids]
        bar_width = 0
    id_width = max(map(len, ids))
    bar_width = max(bar_width, min(BAR_WIDTH, line_width() - fixed - id_width))
    if bar_width < NARROW_BAR_WIDTH:
        bar_width, fixed = 0, fixed - 2
    bar_head = f"  {ljust('0%', bar_width - 4)}100%" if bar_width else ""
    lines = [
        heading,
        f"{count} session{'s' if count != 1 else ''}, {day(first.started)} to {day(last.started)}",
        "",
        f"{'STARTED':<16}  {'SCORE':>6}{bar_head}"
        f"  {'ANSWERED':>{answered_width}}{findings_head}  SESSION",
    ]
    version = first.checklist_version
    for point, answered, shown_id in zip(trend.points, counts, ids, strict=True):
        if point.session.checklist_version != version:
            # The items scored changed here: the scores either side are of other lists.
            version = point.session.checklist_version
            lines.append(fit(f"  — checklist version {printable(version)} from here —"))
        findings = f"  {opened.get(point.session.id, 0):>13}" if opened is not None else ""
        lines.append(
            f"{minute(point.session.started)}  {score_text(point.summary):>6}"
            + (f"  {bar(point.summary, bar_width)}" if bar_width else "")
            + f"  {answered:>{answered_width}}{findings}"
            f"  {truncate_middle(shown_id, line_width() - fixed - bar_width)}"
        )
    order = trend.section_order()
    if order:
        shown = trend.points[-SPARK_LIMIT:]
        id_width = min(max(cell_width(printable(section_id)) for section_id, _ in order), 14)
        spark_width = max(len(shown), 6)
        room = line_width() - 2 - id_width - 2 - 2 - spark_width - 2 - 6
        title_width = min(max(cell_width(printable(title)) for _, title in order), room)
        title_width = max(title_width, len("SECTION") - id_width - 2)  # the heading's room
        label = "By section, oldest → newest" + (
            f" (the last {SPARK_LIMIT} sessions)" if len(trend.points) > SPARK_LIMIT else ""
        )
        lines += [
            "",
            label,
            f"  {ljust('SECTION', id_width + 2 + title_width)}  {ljust('TREND', spark_width)}"
            f"  {'LATEST':>6}",
        ]
        for section_id, section_title in order:
            cells = "".join(spark(point.sections.get(section_id, ("", None))[1]) for point in shown)
            latest = trend.latest_of(section_id)
            name_cell = ljust(truncate(printable(section_id), id_width), id_width)
            title_cell = ljust(truncate(printable(section_title), title_width), title_width)
            lines.append(
                f"  {name_cell}  {title_cell}  {ljust(cells, spark_width)}"
                f"  {score_text(latest):>6}"
            )
    return "\n".join(fit(line) for line in lines) + "\n"
