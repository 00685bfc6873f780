"""The `auditui` command line: argparse in front of the core.

Headless commands import only the core, so they start fast and never load
Textual; the terminal app is imported by the commands that open it. Data goes
to stdout, messages to stderr; exit status per `ExitCode`.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence

from auditui import __version__
from auditui.commands import app as app_commands
from auditui.commands import (
    checklists,
    compare,
    export,
    finding,
    findings,
    finish,
    importing,
    merge,
    printing,
    reopen,
    report,
    review_pack,
    sessions,
    sync,
    trend,
    validate,
    verify,
)
from auditui.commands.common import Context
from auditui.errors import AudituiError, ExitCode, one_line
from auditui.paths import CHECKLISTS_ENV, EXPORTS_ENV, SESSIONS_ENV, Locations

HEADLESS = {
    "validate": validate,
    "checklists": checklists,
    "sessions": sessions,
    "export": export,
    "import": importing,
    "compare": compare,
    "trend": trend,
    "findings": findings,
    "finding": finding,
    "report": report,
    "print": printing,
    "review-pack": review_pack,
    "sync": sync,
    "finish": finish,
    "reopen": reopen,
    "verify": verify,
    "merge": merge,
}


class _Parser(argparse.ArgumentParser):
    """argparse that says what is wrong in one line and exits with status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(ExitCode.USAGE, f"{self.prog}: {one_line(message)}\n")


def _location_options(suppress: bool) -> argparse.ArgumentParser:
    default = argparse.SUPPRESS if suppress else None
    shared = _Parser(add_help=False)
    shared.add_argument(
        "--checklists-dir",
        metavar="DIR",
        default=default,
        help=f"folder of your own checklists (default: ./checklists, or ${CHECKLISTS_ENV})",
    )
    shared.add_argument(
        "--sessions-dir",
        metavar="DIR",
        default=default,
        help=f"folder of saved sessions (default: ./sessions, or ${SESSIONS_ENV})",
    )
    shared.add_argument(
        "--exports-dir",
        metavar="DIR",
        default=default,
        help=f"folder for exports and reports made in the app (default: ./exports, ${EXPORTS_ENV})",
    )
    return shared


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="auditui",
        description="Run ISO 9001 audit checklists in the terminal. "
        "With no command, opens the home screen.",
        parents=[_location_options(suppress=False)],
    )
    parser.add_argument("--version", action="version", version=f"auditui {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    parents = [_location_options(suppress=True)]
    app_commands.add_parsers(subparsers, parents)
    for module in HEADLESS.values():
        module.add_parser(subparsers, parents)
    return parser


def _dispatch(ctx: Context, args: argparse.Namespace) -> int:
    if args.command is None:
        return app_commands.run_home(ctx, args)
    if args.command == "run":
        return app_commands.run_new(ctx, args)
    if args.command == "resume":
        return app_commands.run_resume(ctx, args)
    gc.enable()  # held off while loading (start.py); a headless command may read a lot
    return HEADLESS[args.command].run(ctx, args)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    ctx = Context(Locations.resolve(args.checklists_dir, args.sessions_dir, args.exports_dir))
    try:
        return int(_dispatch(ctx, args))
    except AudituiError as error:
        ctx.warn(error)
        return ExitCode.BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `auditui export ... | head`: the reader left; that is not an error.
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        except OSError:
            pass
        return ExitCode.OK
    except Exception as error:  # a bug: still one line, never a traceback for users
        if os.environ.get("AUDITUI_DEBUG"):
            raise
        ctx.warn(
            f"internal error: {type(error).__name__}: {one_line(str(error))} "
            "(set AUDITUI_DEBUG=1 to see where)"
        )
        return ExitCode.BAD_INPUT
