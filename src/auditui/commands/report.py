"""`auditui report SESSION`: the audit report to send, as HTML or Markdown."""

from __future__ import annotations

import argparse

from auditui.commands.common import Context, add_format

FORMATS = ("html", "markdown")
"""`auditui.reports.sources.FORMATS`, repeated so the command line is built without it."""


def add_parser(subparsers, parents) -> None:
    parser = subparsers.add_parser(
        "report",
        parents=parents,
        help="the audit report of a session (ISO 19011 6.5.1), as HTML or Markdown",
    )
    parser.add_argument("session", metavar="SESSION", help="session id or path")
    add_format(parser, FORMATS, "html")


def run(ctx: Context, args: argparse.Namespace) -> int:
    from auditui.reports.sources import gather_report, render_report

    store = ctx.store
    session = store.load(args.session)
    ctx.warn_journal_left_out(session.path)
    report = gather_report(store, session, ctx.catalog, on_error=ctx.warn_once)
    ctx.emit(render_report(report, args.format), args.output)
    return 0
