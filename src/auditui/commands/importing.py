"""`auditui import FILE`: add a session exported on another laptop."""

from __future__ import annotations

import argparse
from pathlib import Path

from auditui import evidence
from auditui.commands.common import Context, not_blank
from auditui.textwidth import printable, some_of


def add_parser(subparsers, parents) -> None:
    parser = subparsers.add_parser(
        "import", parents=parents, help="add an exported TOML session to the sessions folder"
    )
    parser.add_argument("file", metavar="FILE", type=not_blank)  # "": a script's empty $FILE


def run(ctx: Context, args: argparse.Namespace) -> int:
    _check_items(ctx, Path(args.file))
    session = ctx.store.import_file(Path(args.file), on_notice=ctx.warn)
    summary = session.summary()
    ctx.say(session.id)
    print(
        f"imported session '{session.id}' ({printable(session.checklist_id)}, "
        f"{summary.answered}/{summary.total} answered) into {printable(str(ctx.store.folder))}",
        file=ctx.stderr,
    )
    if session.is_finished:
        from auditui.seal import changed_since_sealed

        changed = changed_since_sealed(session)
        if changed:  # brought in as it is: the laptop that sent it keeps its own copy
            shown = some_of([printable(name) for name in changed])
            ctx.warn(
                f"session {session.id} was changed since it was sealed ({shown}): "
                "imported as it is, and it reads SEAL BROKEN until it is reopened and "
                "finished again"
            )
    attachments = [a for record in session.records for a in record.attachments]
    lacking = evidence.check(ctx.store.folder, attachments)
    if lacking:
        names = some_of([f"{printable(a.name)} ({a.file}, {why})" for a, why in lacking])
        print(
            f"{len(lacking)} of its {len(attachments)} evidence files are not here: "
            f"{names}; copy its evidence folder from the other laptop",
            file=ctx.stderr,
        )
    return 0


def _check_items(ctx: Context, path: Path) -> None:
    """Refuse a session whose results name items its checklist does not have, when that
    very checklist (the same bytes, by its SHA-256) is at hand here: a result for an item
    that is not in it was made by hand, and would be counted as audited."""
    from auditui.errors import AudituiError
    from auditui.session_toml import read_session_file

    session = read_session_file(path, follow=True, keep=False)
    if not session.checklist_sha256:
        return
    try:
        checklist = ctx.catalog.resolve(session.checklist_id)
    except AudituiError:
        return  # not here (or broken here): nothing to check against
    if checklist.sha256 != session.checklist_sha256:
        return  # another version: its items may differ
    known = checklist.item_index
    unknown = [record.item_id for record in session.records if record.item_id not in known]
    if unknown:
        raise AudituiError(
            f"results for items that checklist {session.checklist_id} (version "
            f"{session.checklist_version}) does not have: {some_of(unknown)}; nothing was "
            "imported",
            path=path,
        )
