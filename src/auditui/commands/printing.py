"""`auditui print CHECKLIST`: the blank checklist as HTML, to print for a walkthrough on paper."""

from __future__ import annotations

import argparse

from auditui.commands.common import Context, add_output, not_blank


def add_parser(subparsers, parents) -> None:
    parser = subparsers.add_parser(
        "print",
        parents=parents,
        help="a blank checklist as HTML (A4), to print for a walkthrough on paper",
    )
    parser.add_argument("checklist", metavar="CHECKLIST", help="checklist id or path")
    parser.add_argument(
        "--scope",
        metavar="SECTION,...",
        help="only these sections (ids, comma-separated; 7* takes clause 7 with 7.1.5, "
        "7.5...); default: all",
    )
    parser.add_argument(
        "--lang",
        metavar="TAG",
        type=not_blank,
        help="print the questions in this translation (English beneath)",
    )
    add_output(parser)


def run(ctx: Context, args: argparse.Namespace) -> int:
    from auditui.commands.app import chosen_language
    from auditui.reports.blank import blank_sections, render_blank
    from auditui.session import clause_scope, parse_scope

    checklist = ctx.catalog.resolve(args.checklist)
    scope = clause_scope(checklist, parse_scope(args.scope))
    language = chosen_language(checklist, args.lang)
    sections = blank_sections(checklist, scope, language)
    ctx.emit(render_blank(checklist, sections, lang=language).encode("utf-8"), args.output)
    return 0
