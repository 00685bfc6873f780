"""`auditui reopen SESSION --reason TEXT`: take a finished session back into work.

The seal is cleared; when and why (and what was sealed) stays in the file for good.
"""

from __future__ import annotations

import argparse

from auditui.commands.common import Context, text


def add_parser(subparsers, parents) -> None:
    parser = subparsers.add_parser(
        "reopen", parents=parents, help="take a finished session back into work"
    )
    parser.add_argument("session", metavar="SESSION", help="session id or path")
    parser.add_argument(
        "--reason", metavar="TEXT", type=text, required=True, help="why (kept in the session file)"
    )


def run(ctx: Context, args: argparse.Namespace) -> int:
    from auditui.errors import ExitCode

    if not args.reason.strip():  # as `finding --close` with an empty --reason
        ctx.warn("reopen: --reason TEXT must say why (it is kept in the session file)")
        return ExitCode.USAGE
    writer = ctx.store.open(args.session)
    try:
        writer.merged_into = writer.store.merged_into(writer.session.id)
        writer.reopen(args.reason)
    finally:
        writer.close()
    for notice in writer.notices:
        ctx.warn(notice)
    ctx.say(f"{writer.session.id}: reopened")
    return 0
