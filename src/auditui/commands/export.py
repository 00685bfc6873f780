"""`auditui export SESSION`: the session's results, self-contained."""

from __future__ import annotations

import argparse

from auditui.commands.common import Context

FORMATS = ("toml", "markdown", "csv")
"""`auditui.export.FORMATS`, repeated so the command line is built without loading it."""


def add_parser(subparsers, parents) -> None:
    parser = subparsers.add_parser(
        "export", parents=parents, help="write a session's results as TOML, Markdown or CSV"
    )
    parser.add_argument("session", metavar="SESSION", help="session id or path")
    parser.add_argument("--format", choices=FORMATS, default="toml", help="default: toml")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")


def run(ctx: Context, args: argparse.Namespace) -> int:
    from auditui.export import export_session

    session = ctx.store.load(args.session)
    ctx.emit(export_session(session, args.format), args.output)
    return 0
