"""`auditui merge SESSION SESSION... [--title TEXT]`: one audit split between auditors,
joined into one new session (session_merge.py says how)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from auditui.commands.common import Context, text
from auditui.errors import AudituiError, SessionLockedError
from auditui.textwidth import plural, printable


def add_parser(subparsers, parents) -> None:
    parser = subparsers.add_parser(
        "merge",
        parents=parents,
        help="join the sessions of one audit split between auditors into one new session",
        usage="%(prog)s [options] SESSION SESSION [SESSION ...]",  # at least two, as SPEC says
    )
    parser.add_argument("sessions", metavar="SESSION", nargs="+")
    parser.add_argument(
        "--title", metavar="TEXT", type=text, default="", help="the new session's title"
    )


def run(ctx: Context, args: argparse.Namespace) -> int:
    if len(args.sessions) < 2:
        ctx.warn("merge needs at least two sessions")
        return 2
    store = ctx.store
    with _parts_locked(store, args.sessions):
        return _merge(ctx, args, store)


@contextmanager
def _parts_locked(store, references: list[str]) -> Iterator[None]:
    """Hold each part's lock while it is read and merged: a part open in an auditui is
    refused (its marks after the merge would count nowhere), and none can be opened
    until the merged session is written."""
    from auditui.lock import SessionLock
    from auditui.store import LOCK_SUFFIX

    paths = dict.fromkeys(store.resolve(reference) for reference in references)
    with ExitStack() as held:
        for path in paths:  # the lock is beside the file, named after it (as `open` does)
            lock = SessionLock(path.with_suffix(LOCK_SUFFIX), path.stem)
            try:
                lock.acquire()
            except SessionLockedError:
                raise
            except AudituiError:
                continue  # no lock file can be made there (read-only): nor can an app's
            held.callback(lock.release)
        yield


def _merge(ctx: Context, args: argparse.Namespace, store) -> int:
    from auditui.session_merge import merge_sessions
    from auditui.timeutil import now

    sessions = [store.load(reference) for reference in args.sessions]  # read under the locks
    # A part already in a merged session would count twice (in both merges): merge
    # that session with the others instead.
    ids = {session.id for session in sessions}
    for head in store.iter_heads():
        taken = ids.intersection(head.merged_from)
        if taken and head.id not in ids:
            part = sorted(taken)[0]
            raise AudituiError(
                f"session {part} is already merged into {head.id}: merge {head.id} with "
                "the others instead (nothing was written)",
                path=store.path_for(part),
            )
    started = min(s.started for s in sessions)
    lacking: list[str] = []

    def build(session_id: str):
        merged = merge_sessions(sessions, new_id=session_id, updated=now(), title=args.title)
        lacking[:] = _own_evidence(merged, store.folder)
        return merged

    merged = store.add(build, sessions[0].checklist_id, started)
    summary = merged.summary()
    ctx.say(merged.id)
    if lacking:
        ctx.warn(
            f"{plural(len(lacking), 'evidence file')} could not be copied into {merged.id}'s own "
            f"folder, so it points to where the part has them: {lacking[0]}"
        )
    auditors = f"{printable(merged.auditor)}; " if merged.auditor else ""
    ctx.warn(
        f"merged {len(sessions)} sessions into {merged.id} ({auditors}"
        f"{summary.answered}/{summary.total} answered)"
    )
    return 0


def _own_evidence(merged, sessions_dir) -> list[str]:
    """Give the merged session copies of its parts' evidence in its own folder (SPEC:
    `evidence/<session id>/…`); what could not be copied, as one-line reasons."""
    from auditui.evidence import adopt

    lacking: list[str] = []
    for record in merged.records:
        if not record.attachments:
            continue
        own = []
        for attachment in record.attachments:
            try:
                own.append(adopt(sessions_dir, merged.id, attachment))
            except AudituiError as error:
                lacking.append(str(error))
                own.append(attachment)
        record.attachments = tuple(own)
    return lacking
