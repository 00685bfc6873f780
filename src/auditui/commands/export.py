"""`auditui export SESSION`: the session's results, self-contained."""

from __future__ import annotations

import argparse

from auditui.commands.common import Context, add_format
from auditui.exporters import FORMATS, TITLES, exporter


def add_parser(subparsers, parents) -> None:
    parser = subparsers.add_parser(
        "export", parents=parents, help=f"write a session's results as {TITLES}"
    )
    parser.add_argument("session", metavar="SESSION", help="session id or path")
    add_format(parser, FORMATS, "toml")
    parser.add_argument(
        "--no-bom",
        action="store_true",
        help="CSV without the UTF-8 byte-order mark (that Excel on Windows needs; for scripts)",
    )


def run(ctx: Context, args: argparse.Namespace) -> int:
    from auditui.export import export_session
    from auditui.reports.sources import export_inputs

    store = ctx.store
    session = store.load(args.session)
    ctx.warn_journal_left_out(session.path)
    ctx.warn_seal_broken(session)
    findings, translated = export_inputs(store, session, ctx.catalog, on_error=ctx.warn_once)
    data = export_session(
        session, args.format, findings, bom=not args.no_bom, translated=translated
    )
    ctx.emit(data, args.output, text=not exporter(args.format).binary)
    return 0
