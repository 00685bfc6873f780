"""`auditui verify SESSION...`: check finished sessions' seals.

One line per session: intact, changed (naming the fields and items), or not
finished; sealed evidence files not in the folder are named after it. Exit 1 when any
seal does not match, evidence cannot be checked, or a session cannot be read.
"""

from __future__ import annotations

import argparse

from auditui.commands.common import Context
from auditui.errors import AudituiError, ExitCode


def add_parser(subparsers, parents) -> None:
    parser = subparsers.add_parser(
        "verify", parents=parents, help="check finished sessions' seals"
    )
    parser.add_argument("sessions", metavar="SESSION", nargs="+", help="session id or path")


def run(ctx: Context, args: argparse.Namespace) -> int:
    from auditui.seal import verify_file

    status = ExitCode.OK
    for reference in args.sessions:
        try:
            verdict = verify_file(ctx.store.resolve(reference))
        except AudituiError as error:
            ctx.warn(error)
            status = ExitCode.BAD_INPUT
            continue
        ctx.say(verdict.line())
        if verdict.changed or verdict.not_here:  # evidence not here is not vouched for
            status = ExitCode.BAD_INPUT
    return status
