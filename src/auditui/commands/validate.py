"""`auditui validate FILE...`: check checklist files, report every problem in every file."""

from __future__ import annotations

import argparse

from auditui.commands.common import Context
from auditui.errors import AudituiError, ExitCode
from auditui.textwidth import printable


def add_parser(subparsers, parents) -> None:
    parser = subparsers.add_parser(
        "validate", parents=parents, help="check checklist files; exit 1 if any is wrong"
    )
    parser.add_argument("files", nargs="+", metavar="FILE")


def run(ctx: Context, args: argparse.Namespace) -> int:
    from auditui.checklist import ChecklistError, load_checklist

    bad = 0
    for name in args.files:
        try:
            checklist = load_checklist(name)
        except ChecklistError as error:
            bad += 1
            for problem in error.problems:
                ctx.warn(problem)
            continue
        except AudituiError as error:
            bad += 1
            ctx.warn(error)
            continue
        count = len(checklist.items)
        print(f"{printable(name)}: ok ({checklist.id}, {count} items)", file=ctx.stdout)
    if bad:
        ctx.warn(f"{bad} of {len(args.files)} file(s) have problems")
        return ExitCode.BAD_INPUT
    return ExitCode.OK
