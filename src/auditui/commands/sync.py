"""`auditui sync [--remote URL] [--as NAME]`: share the sessions folder through git."""

from __future__ import annotations

import argparse
from pathlib import Path, PurePosixPath

from auditui.commands.common import Context, text
from auditui.errors import AudituiError
from auditui.textwidth import plural, printable


def add_parser(subparsers, parents) -> None:
    parser = subparsers.add_parser(
        "sync",
        parents=parents,
        help="share the sessions folder (sessions and findings) with other laptops through git",
    )
    parser.add_argument(
        "--remote",
        metavar="URL",
        help="the git repository to share through (the first sync needs it; remembered)",
    )
    parser.add_argument(
        "--as",
        dest="author",
        metavar="NAME",
        type=text,
        help="this laptop's auditor, for the history (remembered; default: the one set "
        "before, else the system user)",
    )


def run(ctx: Context, args: argparse.Namespace) -> int:
    from auditui import config
    from auditui.sync.engine import sync

    author = (args.author or "").strip()
    if args.author is not None and not author:
        ctx.warn("--as needs a name")
        return 2
    folder = ctx.locations.sessions_dir
    before = _head(folder) if author else None
    try:
        outcome = sync(
            folder,
            author=author or config.auditor_name(),
            remote=args.remote,
            waiting=ctx.warn,  # seconds with nothing on the screen would look like a hang
        )
    except AudituiError:
        # Cut short after its commit (a push refused, a lost connection): the history has
        # this name, so the next sync (with no --as) must go on with it, not the user's.
        # One that failed before committing changes nothing here.
        if author and _head(folder) not in (None, before):
            _remember(ctx, author)
        raise
    if author:
        _remember(ctx, author)
    for line in report_lines(outcome):
        ctx.warn(line)
    return 1 if outcome.problems else 0


def _head(folder: Path) -> str | None:
    """The commit the sessions folder's history is at (None: no history yet)."""
    if not (folder / ".git").is_dir():
        return None
    from auditui.sync.git import Git

    try:
        return Git(folder, author="").rev("HEAD")
    except AudituiError:
        return None


def _remember(ctx: Context, author: str) -> None:
    from auditui import config

    try:
        config.set_auditor_name(author)
    except AudituiError as error:  # the sync's own outcome matters more
        ctx.warn(f"--as {author} was not remembered: {error}")


def report_lines(outcome) -> list[str]:
    """What a sync did, in a few lines (the app shows the same)."""
    lines = []
    if outcome.committed:
        lines.append(f"saved in the history: {printable(outcome.committed)}")
    if outcome.brought_in:
        sessions, findings = outcome.sessions_in, outcome.findings_in
        evidence = sum(1 for path in outcome.brought_in if path.startswith("evidence/"))
        others = len(outcome.brought_in) - sessions - findings - evidence
        counts = ((sessions, "session"), (findings, "finding"), (evidence, "evidence file"),
                  (others, "other file"))  # fmt: skip
        parts = [plural(count, noun) for count, noun in counts if count]
        lines.append(f"brought in from other laptops: {', '.join(parts)}")
    for path, copy in outcome.removed:
        session = PurePosixPath(path).stem
        lines.append(
            f"deleted on another laptop: session {printable(session)}; "
            f"a copy is kept in {printable(str(copy))}"
        )
    lines += [printable(note) for note in outcome.notes]
    lines += [printable(problem) for problem in outcome.problems]
    if outcome.sent:
        lines.append(f"in step with {printable(outcome.remote)}")
    return lines
