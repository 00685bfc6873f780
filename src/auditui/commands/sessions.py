"""`auditui sessions`: the saved sessions, oldest first."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from itertools import chain
from sys import intern
from typing import TYPE_CHECKING, NamedTuple

from auditui.commands.common import Context, add_format, table_line
from auditui.spill import sorted_spilling
from auditui.textwidth import cell_width, percent, printable, truncate

if TYPE_CHECKING:
    from auditui.session_index import Digest


def add_parser(subparsers, parents) -> None:
    parser = subparsers.add_parser(
        "sessions", parents=parents, help="list the sessions, oldest first"
    )
    parser.add_argument(
        "--checklist", metavar="ID", help="only sessions of this checklist (id or path)"
    )
    add_format(parser, ("text", "toml"), "text")


class Listed(NamedTuple):
    """What the list shows of one session: kept instead of the session (or its digest),
    so listing a history of thousands holds a short tuple per session
    (`SessionStore.digests`)."""

    started: datetime
    id: str
    path: str
    checklist_id: str
    finished: datetime | None
    seal_broken: bool
    auditee: str
    answered: int
    total: int
    score: float | None
    """None when nothing was judged pass or fail: "–" in the text, 0.0 in TOML (SPEC)."""


SEAL_BROKEN = " SEAL BROKEN"
"""After the finished date of a session changed by hand since it was sealed (`auditui
verify` names what changed)."""
HEADERS = ("ID", "CHECKLIST", "STARTED", "ANSWERED", "SCORE", "FINISHED", "AUDITEE")


def run(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store
    # "" too: refused by name, not taken for every checklist
    wanted = _checklist_id(ctx, args.checklist) if args.checklist is not None else None
    text = args.format != "toml"
    count = 0
    widths = [cell_width(heading) for heading in HEADERS]
    holders: dict[str, list[str]] = {}
    """Each part `auditui merge` joined into another session: the merged sessions holding
    it (two, when merged on two laptops), the last listed named beside it."""

    def listed() -> Iterator[Listed]:
        nonlocal count
        for path, digest in store.digests(on_error=ctx.warn_unreadable, include_future=True):
            if wanted is not None and digest.checklist_id != wanted:
                continue
            for part in digest.merged_from:
                holders.setdefault(part, []).append(digest.id)
            summary = digest.summary()
            row = Listed(digest.started, digest.id, str(path.absolute()),
                         intern(digest.checklist_id), digest.finished, digest.seal_broken,
                         intern(digest.auditee),
                         summary.answered, summary.total, summary.score)  # fmt: skip
            count += 1
            if text:
                for number, value in enumerate(_cells(row)):
                    widths[number] = max(widths[number], cell_width(value))
            yield row

    # In start order (session.listed_order), held in memory a few thousand at a time.
    ordered = sorted_spilling(listed(), key=lambda s: (s.started, s.id))
    first = next(ordered, None)  # every session is read before the first comes
    found = chain([first], ordered) if first is not None else iter(())
    if not text:
        ctx.emit_chunks(_toml_tables(found, count, holders), args.output)
        _warn_merges(ctx, holders)
        return 0
    if not count:
        of = f" of checklist {printable(wanted)}" if wanted is not None else ""
        ctx.emit(f"No sessions{of} in {store.folder}.\n", args.output)
        return 0
    parts: list[tuple[str, str]] = []

    def rows() -> Iterator[tuple[str, ...]]:
        for row in found:
            if row.id in holders:
                parts.append((row.id, holders[row.id][-1]))
            yield _cells(row)

    columns = ctx.terminal_columns(args.output)
    narrow = columns is not None and sum(widths) + 2 * (len(widths) - 1) > columns
    if columns is not None and narrow:
        layout = _two_lines(widths, columns)  # a laptop's terminal: no line wraps
    else:
        layout = lambda cells: table_line(cells, widths)  # noqa: E731
    lines = (layout(cells).encode() for cells in chain([HEADERS], rows()))
    ctx.emit_chunks(chain(lines, _merged_lines(parts, narrow)), args.output)
    _warn_merges(ctx, holders)
    return 0


def _warn_merges(ctx: Context, holders: dict[str, list[str]]) -> None:
    """Name each part of a merged audit marked after the merge (the merged session lacks
    those answers), and each part merged on two laptops: said by every list until dealt
    with. And each file a sync set aside, which no command reads (said once by that sync,
    it stayed in the folder unsaid)."""
    from auditui.session_merge import merge_notices

    for notice in merge_notices(ctx.store, holders):
        ctx.warn(notice)
    ctx.warn_set_aside()


def _merged_lines(parts: list[tuple[str, str]], narrow: bool = False) -> Iterator[bytes]:
    """Under the table: the sessions listed that are parts of a merged one, and so count
    as it in trend, findings and the reports. Read when the table is done. `narrow`: the
    merged session's id on a line of its own, so that neither id wraps."""
    if not parts:
        return
    yield b"\nParts of a merged audit, counted as the merged session:\n"
    for part, merged in parts:
        yield (f"  {part}\n    -> {merged}\n" if narrow else f"  {part} -> {merged}\n").encode()


def _two_lines(widths: list[int], columns: int) -> Callable[[tuple[str, ...]], str]:
    """The table for a terminal narrower than its lines (80 columns, where the ids alone
    take 45): each session on two lines, its id and auditee, then the rest indented."""
    id_width, *rest = widths
    auditee_width = max(columns - id_width - 2, 12)
    middle_widths = rest[:-1]
    # The second line's cells: the checklist's column gives way when the others need more
    # room than the terminal has (a FINISHED cell with SEAL BROKEN).
    over = 2 + sum(middle_widths) + 2 * (len(middle_widths) - 1) - columns
    if over > 0:
        middle_widths[0] = max(middle_widths[0] - over, 8)

    def layout(cells: tuple[str, ...]) -> str:
        session_id, checklist, *middle, auditee = cells
        first = table_line((session_id, truncate(auditee, auditee_width)), (id_width, 0))
        second = (truncate(checklist, middle_widths[0]), *middle)
        return first + "  " + table_line(second, middle_widths)

    return layout


def _cells(s: Listed) -> tuple[str, ...]:
    """A session's row of the text table."""
    return (
        s.id,
        printable(s.checklist_id),
        f"{s.started:%Y-%m-%d %H:%M}",
        f"{s.answered}/{s.total}",
        "–" if s.score is None else percent(s.score),
        ("-" if s.finished is None else f"{s.finished:%Y-%m-%d}")
        + (SEAL_BROKEN if s.seal_broken else ""),
        truncate(printable(s.auditee), 30),
    )


def _checklist_id(ctx: Context, reference: str) -> str:
    """The checklist id `--checklist` names (an id, a unique prefix of one, or a path), as
    `findings --checklist` reads it: from the sessions listed and the checklists."""
    from auditui.trend import resolve_checklist_id

    # One digest per checklist id is enough (and the one named like `reference`, for the
    # message that it is a session): a listing of years of sessions holds no more. The
    # sessions listed are those read here, ones dated in the future included.
    kept: dict[str, Digest] = {}
    for _, digest in ctx.store.digests(include_future=True):
        if digest.id == reference:
            kept[""] = digest
        kept.setdefault(digest.checklist_id, digest)
    return resolve_checklist_id(reference, ctx.catalog, list(kept.values()))[0]


def _toml_tables(
    found: Iterable[Listed], count: int, holders: dict[str, list[str]]
) -> Iterator[bytes]:
    """`{"sessions": [...]}` as TOML, one `[[sessions]]` table at a time (the same text
    `tomlio.dumps` gives for the whole document). A part of a merged audit has
    `merged_into`, the merged session's id (`holders`: the last listed)."""
    from auditui.paths import path_text
    from auditui.tomlio import dumps

    if not count:
        yield dumps({"sessions": []}).encode("utf-8")
    for number, s in enumerate(found):
        table = {
            "id": s.id,
            "path": path_text(s.path),
            "checklist_id": s.checklist_id,
            "started": s.started,
            "answered": s.answered,
            "total": s.total,
            "score": 0.0 if s.score is None else round(s.score, 4),
        } | ({"finished": s.finished} if s.finished is not None else {})
        if s.seal_broken:
            table["seal_broken"] = True
        if s.id in holders:
            table["merged_into"] = holders[s.id][-1]
        yield ("\n" if number else "").encode() + dumps({"sessions": [table]}).encode("utf-8")
