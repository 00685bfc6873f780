"""`auditui findings`: the failed items of the latest session of each checklist."""

from __future__ import annotations

import argparse

from auditui.commands.common import Context, add_format


def add_parser(subparsers, parents) -> None:
    parser = subparsers.add_parser(
        "findings",
        parents=parents,
        help="open findings: failed items of the latest session of each checklist",
        description="Every failed item of the latest session (by start time) of each "
        "checklist, with its grade, note, and how many audits in a row it has failed.",
    )
    parser.add_argument("--checklist", metavar="ID", help="only this checklist (id or path)")
    add_format(parser, ("text", "toml"), "text")


def run(ctx: Context, args: argparse.Namespace) -> int:
    from auditui.findings import collect, render_text, to_document
    from auditui.trend import resolve_checklist_id

    store = ctx.store
    sessions = store.list_sessions(on_error=ctx.warn_unreadable)
    checklist_id = None
    if args.checklist:
        checklist_id, _ = resolve_checklist_id(args.checklist, ctx.catalog, sessions)
    groups = collect(sessions, checklist_id)
    if args.format == "toml":
        ctx.emit_toml(to_document(groups), args.output)
        return 0
    if not groups:
        if checklist_id is not None:
            text = f"No sessions of checklist {checklist_id} yet, so no findings.\n"
        else:
            text = f"No sessions in {store.folder}, so no findings.\n"
        ctx.emit(text, args.output)
        return 0
    ctx.emit(render_text(groups), args.output)
    return 0
