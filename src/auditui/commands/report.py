"""`auditui report SESSION`: the audit report to send, as HTML or Markdown."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from auditui.commands.common import Context, add_format, not_blank

if TYPE_CHECKING:
    from auditui.session import Session

FORMATS = ("html", "markdown")
"""`auditui.reports.sources.FORMATS`, repeated so the command line is built without it."""


def add_parser(subparsers, parents) -> None:
    parser = subparsers.add_parser(
        "report",
        parents=parents,
        help="the audit report of a session (ISO 19011 6.5.1), as HTML or Markdown",
    )
    parser.add_argument("session", metavar="SESSION", help="session id or path")
    parser.add_argument(
        "--lang",
        metavar="TAG",
        type=not_blank,
        help="the checklist's text in this translation, the English beneath (default: the "
        "session's language; en: the English only)",
    )
    add_format(parser, FORMATS, "html")


def run(ctx: Context, args: argparse.Namespace) -> int:
    from auditui.reports.sources import gather_report, render_report

    store = ctx.store
    session = store.load(args.session)
    ctx.warn_journal_left_out(session.path)
    language = None if args.lang is None else report_language(ctx, session, args.lang)
    report = gather_report(store, session, ctx.catalog, on_error=ctx.warn_once, language=language)
    ctx.emit(render_report(report, args.format), args.output)
    return 0




def report_language(ctx: Context, session: Session, wanted: str) -> str:
    """The checklist's tag for `--lang` ("" for the English): the session's checklist must
    be here, with a translation into that language."""
    from auditui.commands.app import chosen_language
    from auditui.errors import AudituiError

    english = wanted.lower().split("-")[0] == "en"  # en, en-GB…: the checklist's own text
    try:
        checklist = ctx.catalog.resolve(session.checklist_id)
    except AudituiError as error:
        if english:  # no translation needed, so no checklist either
            return ""
        raise AudituiError(
            f"--lang {wanted}: the translation comes from the session's checklist: {error}"
        ) from None
    return chosen_language(checklist, wanted)  # as print and run: one into en-GB if it has one
