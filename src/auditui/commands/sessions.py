"""`auditui sessions`: the saved sessions, oldest first."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from auditui.commands.common import Context, add_format, percent, table
from auditui.textwidth import printable, truncate


def add_parser(subparsers, parents) -> None:
    parser = subparsers.add_parser(
        "sessions", parents=parents, help="list the sessions, oldest first"
    )
    parser.add_argument("--checklist", metavar="ID", help="only sessions of this checklist")
    add_format(parser, ("text", "toml"), "text")


class Listed(NamedTuple):
    """What the list shows of one session: kept instead of the session, so listing a
    history of thousands holds no session in memory (`SessionStore.digests`)."""

    id: str
    path: Path | None
    checklist_id: str
    started: datetime
    finished: datetime | None
    auditee: str


def run(ctx: Context, args: argparse.Namespace) -> int:
    from auditui.session import listed_order

    store = ctx.store
    summaries = sorted(
        (
            (Listed(s.id, path.absolute(), s.checklist_id, s.started, s.finished, s.auditee),
             s.summary())
            for path, s in store.digests(on_error=ctx.warn_unreadable, include_future=True)
            if not args.checklist or s.checklist_id == args.checklist
        ),
        key=lambda pair: listed_order(pair[0]),
    )  # fmt: skip
    found = [listed for listed, _ in summaries]
    if args.format == "toml":
        ctx.emit_toml(
            {
                "sessions": [
                    {
                        "id": s.id,
                        "path": str(s.path or store.path_for(s.id).absolute()),
                        "checklist_id": s.checklist_id,
                        "started": s.started,
                        "answered": summary.answered,
                        "total": summary.total,
                        "score": summary.score,
                    }
                    | ({"finished": s.finished} if s.finished is not None else {})
                    for s, summary in summaries
                ]
            },
            args.output,
        )
        return 0
    if not found:
        ctx.emit(f"No sessions in {store.folder}.\n", args.output)
        return 0
    rows = [
        [
            s.id,
            printable(s.checklist_id),
            f"{s.started:%Y-%m-%d %H:%M}",
            f"{summary.answered}/{summary.total}",
            percent(summary.score),
            f"{s.finished:%Y-%m-%d}" if s.finished is not None else "-",
            truncate(printable(s.auditee), 30),
        ]
        for s, summary in summaries
    ]
    headers = ["ID", "CHECKLIST", "STARTED", "ANSWERED", "SCORE", "FINISHED", "AUDITEE"]
    ctx.emit(table(rows, headers), args.output)
    return 0
