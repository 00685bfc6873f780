"""`auditui`, `auditui run` and `auditui resume`: the commands that open the terminal app.

Everything that can fail before the screen opens (a missing checklist, a session
open elsewhere) fails here, as a one-line message with exit status 1. The UI
package is imported only now, so the headless commands never load Textual.
"""

from __future__ import annotations

import argparse
import gc
import sys
from typing import TYPE_CHECKING

from auditui.commands.common import Context, not_blank, text
from auditui.errors import AudituiError, one_line

if TYPE_CHECKING:
    from auditui.checklist import Checklist
    from auditui.store import SessionWriter
    from auditui.tui.app import AuditApp


def add_parsers(subparsers, parents) -> None:
    run = subparsers.add_parser(
        "run", parents=parents, help="start a new session of a checklist in the terminal"
    )
    run.add_argument("checklist", metavar="CHECKLIST", help="checklist id or path")
    run.add_argument("--auditor", metavar="NAME", type=text)
    run.add_argument(
        "--auditee", metavar="NAME", type=text, help="site, department or process audited"
    )
    run.add_argument("--title", metavar="TEXT", type=text)
    run.add_argument(
        "--scope",
        metavar="SECTION,...",
        help="audit only these sections (ids, comma-separated; 7* takes clause 7 with "
        "7.1.5, 7.5...; default: all)",
    )
    run.add_argument(
        "--lang",
        metavar="TAG",
        type=not_blank,
        help="show a translation under each question (e.g. vi, th, id)",
    )
    resume = subparsers.add_parser("resume", parents=parents, help="carry on with a saved session")
    resume.add_argument("session", metavar="SESSION", help="session id or path")


def require_terminal() -> None:
    """The app draws on a terminal; without one it would wait for keys that never come."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise AudituiError(
            "the terminal app needs a terminal (stdin and stdout); for scripts use the "
            "headless commands (auditui --help lists them all: export, report, findings, "
            "finish, sync and more)"
        )


def launch(app: AuditApp) -> int:
    """Run the app. What is loaded by now (Textual, the checklist or session) lives as
    long as the app does, so it is taken out of the cyclic collector's view first:
    otherwise every full collection while the first screen is built walks a 5,000-item
    session again (~25 ms of start-up). The collector, held off while loading
    (start.py), comes back on once the first frame is on the terminal."""
    gc.freeze()
    if not gc.isenabled():
        app.when_ready(gc.enable)
    app.fold_after_exit = True
    try:
        result = app.run()
        # Ended by a signal: the shell's 128 + its number (`AuditApp._stopped_by_signal`);
        # by an error inside the app: Textual's 1.
        return app.return_code or result or 0
    finally:
        notices = [*app.exit_notices, *fold_after_exit(app.to_fold)]
        try:
            for notice in notices:
                print(f"auditui: {one_line(notice)}", file=sys.stderr)
        except OSError:
            pass  # the terminal is gone (SIGHUP): the fold above is what mattered
        from auditui.warm import warm_after_exit

        warm_after_exit(app.closed_session_file)


def fold_after_exit(writer: SessionWriter | None) -> list[str]:
    """Fold the journal of the session the app quit on (everything is saved already), now
    that the terminal is the shell's again; what it has to say, as lines for stderr."""
    if writer is None:
        return []
    writer.on_notice = None  # the app that showed notices is gone: they are printed
    said = len(writer.notices)
    try:
        writer.close()
    except AudituiError as error:
        return [*writer.notices[said:], str(error)]
    return writer.notices[said:]


def run_home(ctx: Context, args: argparse.Namespace) -> int:
    require_terminal()
    from auditui.tui.app import AuditApp

    return launch(AuditApp(ctx.locations, store=ctx.store))


def run_new(ctx: Context, args: argparse.Namespace) -> int:
    from auditui.session import clause_scope, parse_scope

    checklist = ctx.catalog.resolve(args.checklist)
    scope = clause_scope(checklist, parse_scope(args.scope))
    language = chosen_language(checklist, args.lang)
    require_terminal()
    from auditui.tui.app import AuditApp

    if args.auditor and args.auditee:
        writer = ctx.store.create(
            checklist,
            auditor=args.auditor,
            auditee=args.auditee,
            title=args.title or "",
            scope=scope,
            language=language,
        )
        app = AuditApp(ctx.locations, store=ctx.store, writer=writer)
    else:
        app = AuditApp(
            ctx.locations,
            store=ctx.store,
            new_session=(checklist, args.auditor or "", args.auditee or "", args.title or ""),
            scope=scope,
            language=language,
        )
    return launch(app)


def chosen_language(checklist: Checklist, wanted: str | None) -> str:
    """The checklist's tag for `--lang` (any case), "" without one or for English (the
    checklist's own text); a language the checklist has no translation into is an error
    naming the ones it has."""
    if not wanted:
        return ""
    found = checklist.language(wanted)
    if found is None and wanted.lower().split("-")[0] == "en":
        return ""  # en, en-GB…: the checklist's own English, with no translation under it
    if found is None:
        offered = ", ".join(checklist.offered_languages) or "none"
        raise AudituiError(
            f"checklist '{checklist.id}' has no translation into '{wanted}' "
            f"(its languages: {offered})"
        )
    return found


def run_resume(ctx: Context, args: argparse.Namespace) -> int:
    writer = ctx.store.open(args.session, read_only_ok=True)  # a USB stick, a CD: read
    try:
        require_terminal()
    except AudituiError:
        writer.close()
        raise
    from auditui.tui.app import AuditApp

    return launch(AuditApp(ctx.locations, store=ctx.store, writer=writer))
