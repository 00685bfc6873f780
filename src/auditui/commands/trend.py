"""`auditui trend CHECKLIST`: scores of all sessions of one checklist over time."""

from __future__ import annotations

import argparse

from auditui.commands.common import Context, add_format


def add_parser(subparsers, parents) -> None:
    parser = subparsers.add_parser(
        "trend",
        parents=parents,
        help="scores of all sessions of one checklist over time",
        description="Scores of every session of one checklist, oldest first, with a bar "
        "chart and per-section sparklines. Sessions count even when their checklist file "
        "is gone.",
    )
    parser.add_argument("checklist", metavar="CHECKLIST", help="checklist id or path")
    add_format(parser, ("text", "toml"), "text")


def run(ctx: Context, args: argparse.Namespace) -> int:
    from auditui.trend import build_trend, render_text, resolve_checklist_id, to_document

    sessions = ctx.store.list_sessions(on_error=ctx.warn_unreadable)
    checklist_id, checklist = resolve_checklist_id(args.checklist, ctx.catalog, sessions)
    trend = build_trend(checklist_id, sessions, checklist.title if checklist else "")
    from auditui.finding_records import FindingRecords
    from auditui.findings import open_counts

    actions = FindingRecords(ctx.store.folder).load_all(
        on_error=lambda broken: ctx.warn(f"{broken.error} (left out)")
    )
    trend.open_findings = open_counts((p.session for p in trend.points), actions)
    if args.format == "toml":
        ctx.emit_toml(to_document(trend), args.output)
    else:
        ctx.emit(render_text(trend), args.output)
    return 0
