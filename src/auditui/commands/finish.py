"""`auditui finish SESSION`: conclusion and sign-off, then the session is sealed.

Never waits for input: unanswered items in scope are counted on stderr, and the
session is finished all the same (the app asks about them before finishing).
"""

from __future__ import annotations

import argparse

from auditui.commands.common import Context, text


def add_parser(subparsers, parents) -> None:
    parser = subparsers.add_parser(
        "finish", parents=parents, help="finish and seal a session (conclusion and sign-off)"
    )
    parser.add_argument("session", metavar="SESSION", help="session id or path")
    parser.add_argument(
        "--conclusion",
        metavar="TEXT",
        type=text,
        default="",
        help="the audit conclusion (default: the one it had before it was reopened; a "
        "session never finished needs one)",
    )
    parser.add_argument(
        "--sign",
        metavar="NAME",
        type=text,
        action="append",
        default=[],
        help='a name signing the conclusion, e.g. "Anan (production manager)"; repeat for '
        'each (default: the auditor, as "Mai (auditor)")',
    )


DRAFT_SHOWN = 20_000
"""The most of an unused conclusion draft said on stderr: a conclusion is a paragraph or
a page; a 70 MB draft was printed whole, as one line."""


def run(ctx: Context, args: argparse.Namespace) -> int:
    from auditui.errors import AudituiError, ExitCode

    if any(not name.strip() for name in args.sign):  # `--sign "$NAME"` with NAME unset
        ctx.warn('finish: --sign NAME was given an empty name (e.g. --sign "Mai (auditor)")')
        return ExitCode.USAGE
    writer = ctx.store.open(args.session)
    drafted = None
    try:
        writer.merged_into = writer.store.merged_into(writer.session.id)
        writer.refuse_if_finished()
        if writer.journal_gap is not None:  # sealed, a missing mark would be signed for
            for notice in writer.notices:
                ctx.warn(notice)
            writer.notices.clear()
            writer.abandon()  # nothing written: the journal stays, and so does this refusal
            raise AudituiError(
                f"{writer.journal_gap}, and a mark may be missing: resume the session "
                f"(auditui resume {writer.session.id}) and check it before finishing; the "
                "session was not finished",
                path=writer.path,
            )
        conclusion, signers = _sign_off(writer.session, args)
        lacking = [
            what
            for what, absent in (
                ("the audit's conclusion: --conclusion TEXT", not conclusion),
                ('a name signing it: --sign NAME (e.g. --sign "Mai (auditor)"), since the '
                 "session names no auditor", not signers),
            )
            if absent
        ]  # fmt: skip
        if lacking:
            raise AudituiError(
                f"finishing needs {' and '.join(lacking)}; the session was not finished",
                path=writer.path,
            )
        from auditui.finish_drafts import load_draft

        drafted = load_draft(writer.path)  # typed in the app's finish dialog, not finished
        writer.finish(conclusion=conclusion, signed_by=signers)
    finally:
        if not writer.closed:  # abandoned above: nothing to save
            writer.close()
    for notice in writer.notices:
        ctx.warn(notice)
    if drafted is not None and drafted[0].strip() and drafted[0].strip() != conclusion.strip():
        from auditui.errors import one_line

        typed = one_line(drafted[0])
        if len(typed) > DRAFT_SHOWN:  # a file grown by hand or by a fault: not all of it
            typed = f"{typed[:DRAFT_SHOWN]}… ({len(typed) - DRAFT_SHOWN:,} more characters)"
        ctx.warn(
            "the conclusion typed in the app's finish dialog was not used, and is not kept: "
            f"“{typed}”"
        )
    session = writer.session
    if not args.sign and len(session.signed_by) > 1:  # a merged audit's auditors, unnamed
        from auditui.textwidth import printable

        ctx.warn(
            f"signed by {printable(', '.join(session.signed_by))}, the audit's auditors "
            "(reopen, then finish with --sign NAME for each, if not all of them sign it)"
        )
    summary = session.summary()
    if summary.unanswered:
        items = "item" if summary.unanswered == 1 else "items"
        ctx.warn(f"{summary.unanswered} {items} in scope left unanswered; finished anyway")
    from auditui.seal import evidence_problems
    from auditui.textwidth import plural

    lacking = evidence_problems(session, writer.path.parent)
    if lacking:
        ctx.warn(
            f"{plural(len(lacking), 'evidence file')} not here or changed ({lacking[0]}); "
            "sealed all the same, and verify will name them until the files are put back"
        )
    assert session.finished is not None
    ctx.say(f"{session.id}: finished {session.finished.isoformat()}, {session.seal}")
    return 0


def _sign_off(session, args: argparse.Namespace) -> tuple[str, list[str]]:
    """The conclusion and names to finish with: those given, else what the app offers
    (the conclusion the session had before it was last reopened; its auditor signing).

    Names that signed before a reopening are never signed again unasked (they signed
    other results), nor dropped without a word: with no `--sign`, a session signed
    before by others than its auditor, or by the auditors of a merged audit, is refused,
    naming them."""
    from auditui.errors import AudituiError
    from auditui.textwidth import printable

    last_conclusion, signed_before = session.last_sign_off()
    conclusion = args.conclusion if args.conclusion.strip() else last_conclusion
    signers = [name for name in args.sign if name.strip()]
    if not signers:
        signers = list(session.auditor_signing())
        others = [name for name in signed_before if name not in signers]
        # The auditors of a merged audit: the one finishing it again here cannot sign
        # for the others, who signed other results.
        if others or (signed_before and len(signers) > 1):
            raise AudituiError(
                f"it was signed before by {printable(', '.join(signed_before))}; "
                "give --sign NAME for each who signs it now (their names are not signed "
                "again unasked); the session was not finished",
                path=session.path,
            )
    return conclusion.strip() and conclusion, signers
