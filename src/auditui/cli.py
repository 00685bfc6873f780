"""The `auditui` command line: argparse in front of the core.

Headless commands import only the core, so they start fast and never load
Textual; the terminal app is imported by the commands that open it. Data goes
to stdout, messages to stderr; exit status per `ExitCode`.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from auditui import __version__
from auditui.commands import app as app_commands
from auditui.commands.common import Context, OutputError, not_blank, writing_output
from auditui.errors import AudituiError, ExitCode, UsageError, one_line
from auditui.paths import CHECKLISTS_ENV, EXPORTS_ENV, SESSIONS_ENV, Locations

HEADLESS = {
    "validate": "validate",
    "checklists": "checklists",
    "sessions": "sessions",
    "export": "export",
    "import": "importing",
    "compare": "compare",
    "trend": "trend",
    "findings": "findings",
    "finding": "finding",
    "report": "report",
    "print": "printing",
    "review-pack": "review_pack",
    "sync": "sync",
    "finish": "finish",
    "reopen": "reopen",
    "verify": "verify",
    "merge": "merge",
}
"""Each headless command and its module in `auditui.commands` (imported when it runs, or
when the whole command line is needed: help, a mistyped command)."""
APP_COMMANDS = ("run", "resume")
_VALUED = ("--checklists-dir", "--sessions-dir", "--exports-dir")


def _command_module(name: str) -> ModuleType:
    return importlib.import_module(f"auditui.commands.{HEADLESS[name]}")


def command_named(argv: Sequence[str]) -> str | None:
    """The command `argv` names, when argparse needs no other to parse it: None for the
    home screen (no command), and for anything that asks for help or is not a command."""
    words = iter(argv)
    for word in words:
        if word in ("-h", "--help", "--version"):
            return "?"
        if word in _VALUED:
            next(words, None)
        elif not word.startswith("-"):
            return word if word in HEADLESS or word in APP_COMMANDS else "?"
    return None


class _Parser(argparse.ArgumentParser):
    """argparse that says what is wrong in one line, and where the options are listed, and
    exits with status 2 (not the whole usage first: the line that matters came last)."""

    command: str | None = None
    """The command being parsed (`command_named`): an option it does not know is found by
    the top parser, whose help does not list the command's options."""

    def error(self, message: str) -> None:  # type: ignore[override]
        helped = self.prog
        if helped == "auditui" and _Parser.command not in (None, "?"):
            helped = f"auditui {_Parser.command}"
        self.exit(ExitCode.USAGE, f"{self.prog}: {one_line(message)} (see `{helped} --help`)\n")


def _location_options(suppress: bool) -> argparse.ArgumentParser:
    default = argparse.SUPPRESS if suppress else None
    shared = _Parser(add_help=False)
    shared.add_argument(
        "--checklists-dir",
        metavar="DIR",
        default=default,
        type=not_blank,
        help=f"folder of your own checklists (default: ./checklists, or ${CHECKLISTS_ENV})",
    )
    shared.add_argument(
        "--sessions-dir",
        metavar="DIR",
        default=default,
        type=not_blank,
        help=f"folder of saved sessions (default: ./sessions, or ${SESSIONS_ENV})",
    )
    shared.add_argument(
        "--exports-dir",
        metavar="DIR",
        default=default,
        type=not_blank,
        help=f"folder for exports and reports made in the app (default: ./exports, ${EXPORTS_ENV})",
    )
    return shared


def build_parser(only: str | None = "?") -> argparse.ArgumentParser:
    """The command line; with `only` a command's name, that command alone (and with None,
    none: the home screen), so a start imports and builds no other command."""
    parser = _Parser(
        prog="auditui",
        description="Run ISO 9001 audit checklists in the terminal. "
        "With no command, opens the home screen.",
        parents=[_location_options(suppress=False)],
    )
    parser.add_argument("--version", action="version", version=f"auditui {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    parents = [_location_options(suppress=True)]
    if only is None:
        return parser
    if only == "?" or only in APP_COMMANDS:
        app_commands.add_parsers(subparsers, parents)
    for name in HEADLESS if only == "?" else [only] if only in HEADLESS else []:
        _command_module(name).add_parser(subparsers, parents)
    for action in subparsers._choices_actions:  # `auditui run --help` says what run does
        command = subparsers.choices[action.dest]
        if command.description is None and action.help:
            command.description = action.help[0].upper() + action.help[1:] + "."
    return parser


def _dispatch(ctx: Context, args: argparse.Namespace) -> int:
    if args.command is None:
        return app_commands.run_home(ctx, args)
    if args.command == "run":
        return app_commands.run_new(ctx, args)
    if args.command == "resume":
        return app_commands.run_resume(ctx, args)
    gc.enable()  # held off while loading (start.py); a headless command may read a lot
    return int(_command_module(args.command).run(ctx, args))


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    finally:
        _say_config_problem()


def _say_config_problem() -> None:
    """A config file that could not be read is said once (it is never fatal: the
    laptop's tag and auditor come from the defaults meanwhile)."""
    config = sys.modules.get("auditui.config")  # read only by commands that need it
    error = getattr(config, "problem", None)
    if error is not None:
        config.problem = None  # type: ignore[union-attr]
        print(
            f"auditui: {error} (this laptop's settings were not read: new session ids got "
            "a new laptop part; mend or delete the file)",
            file=sys.stderr,
        )
    said = getattr(config, "notice", None)
    if said is not None:
        config.notice = None  # type: ignore[union-attr]
        print(f"auditui: {said}", file=sys.stderr)


def _main(argv: Sequence[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if sys.stdout is None:  # `auditui ... >&-`: what would be printed goes nowhere, as asked
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
    _Parser.command = command_named(argv)
    args = build_parser(_Parser.command).parse_args(argv)
    try:
        locations = Locations.resolve(args.checklists_dir, args.sessions_dir, args.exports_dir)
    except AudituiError as error:
        print(f"auditui: {error}", file=sys.stderr)
        return ExitCode.USAGE if isinstance(error, UsageError) else ExitCode.BAD_INPUT
    ctx = Context(locations)
    try:
        code = int(_dispatch(ctx, args))
        with writing_output():
            sys.stdout.flush()  # here, where a full disk can still be said
        return code
    except AudituiError as error:
        ctx.warn(error)
        if isinstance(error, OutputError):
            _discard_stdout()  # what is still buffered: no second message at exit
        return ExitCode.USAGE if isinstance(error, UsageError) else ExitCode.BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `auditui export ... | head`: the reader left; that is not an error.
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        except OSError:
            pass
        return ExitCode.OK
    except Exception as error:
        return _internal_error(ctx, error)


def _discard_stdout() -> None:
    """What is still buffered for the output goes nowhere, so that Python's own flush at
    exit adds no second message."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _internal_error(ctx: Context, error: Exception) -> int:
    """A bug: still one line, never a traceback for users (AUDITUI_DEBUG=1 shows where)."""
    if os.environ.get("AUDITUI_DEBUG"):
        raise error
    ctx.warn(
        f"internal error: {type(error).__name__}: {one_line(str(error))} "
        "(set AUDITUI_DEBUG=1 to see where)"
    )
    return ExitCode.BAD_INPUT
