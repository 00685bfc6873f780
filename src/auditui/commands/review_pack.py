"""`auditui review-pack`: the inputs of a management review (9.3.2) from the sessions and
findings: audits held and their scores, findings raised, closed, open and overdue, trends."""

from __future__ import annotations

import argparse
from datetime import date

from auditui.commands.common import Context, add_format

FORMATS = ("html", "markdown", "toml")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_parser(subparsers, parents) -> None:
    parser = subparsers.add_parser(
        "review-pack",
        parents=parents,
        help="the inputs for a management review (ISO 9001 9.3.2) from sessions and findings",
    )
    parser.add_argument(
        "--since",
        metavar="YYYY-MM-DD",
        type=_day,
        help="the period's start (default: the latest finished management review, "
        "else everything)",
    )
    parser.add_argument(
        "--for-last-review",
        action="store_true",
        help="the pack of the latest finished management review, made after it was held: "
        "its period starts at the review before it",
    )
    add_format(parser, FORMATS, "html")


def run(ctx: Context, args: argparse.Namespace) -> int:
    from auditui.reports.review import gather_review, to_document

    if args.since is not None and args.for_last_review:
        from auditui.errors import UsageError

        raise UsageError(
            "review-pack: --since and --for-last-review each choose the period; give one"
        )
    pack = gather_review(
        ctx.store, args.since, on_error=ctx.warn_once, for_last_review=args.for_last_review
    )
    if args.format == "toml":
        ctx.emit_toml(to_document(pack), args.output)
        return 0
    from auditui.reports.review_render import render_review_html, render_review_markdown

    render = render_review_html if args.format == "html" else render_review_markdown
    ctx.emit(render(pack), args.output)
    return 0
