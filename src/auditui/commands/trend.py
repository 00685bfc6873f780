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
    from auditui.finding_records import FindingRecords
    from auditui.trend import (
        in_checklist_order,
        render_text,
        resolve_checklist_id,
        to_document,
        trend_from_store,
    )

    heads = ctx.store.heads(on_error=ctx.warn_unreadable)
    checklist_id, checklist = resolve_checklist_id(args.checklist, ctx.catalog, heads)
    del heads
    actions = FindingRecords(ctx.store.folder).load_all(
        on_error=lambda broken: ctx.warn(f"{broken.error} (left out)")
    )
    trend = trend_from_store(
        ctx.store,
        checklist_id,
        checklist.title if checklist else "",
        actions,
        on_error=ctx.warn_unreadable,
    )
    in_checklist_order(trend, ctx.catalog, checklist)
    if args.format == "toml":
        ctx.emit_toml(to_document(trend), args.output)
    else:
        ctx.emit_fitted(lambda: render_text(trend), args.output)
    return 0
