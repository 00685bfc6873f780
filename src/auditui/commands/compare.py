"""`auditui compare OLD NEW`: what changed between two sessions of one checklist."""

from __future__ import annotations

import argparse

from auditui.commands.common import Context, add_format


def add_parser(subparsers, parents) -> None:
    parser = subparsers.add_parser(
        "compare",
        parents=parents,
        help="what changed between two sessions of one checklist",
        description="Compare two sessions of the same checklist item by item (matched by "
        "item id, also across checklist versions): regressions, new failures, improvements, "
        "other changes, and the pass rate per section.",
    )
    parser.add_argument("old", metavar="OLD", help="the earlier session: id or path")
    parser.add_argument("new", metavar="NEW", help="the later session: id or path")
    add_format(parser, ("text", "toml"), "text")


def run(ctx: Context, args: argparse.Namespace) -> int:
    from auditui.compare import compare_sessions, render_text, to_document
    from auditui.store import read_session

    store = ctx.store
    old_path = store.resolve(args.old)
    new_path = store.resolve(args.new)
    old = read_session(old_path)
    # The same file twice (a session compared with itself) is read once.
    new = old if new_path.resolve() == old_path.resolve() else read_session(new_path)
    comparison = compare_sessions(old, new)
    if args.format == "toml":
        ctx.emit_toml(to_document(comparison), args.output)
    else:
        ctx.emit(render_text(comparison), args.output)
    return 0
