"""`auditui finding FINDING`: one finding; with options, its corrective action recorded first."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from auditui.commands.common import Context, add_format, text
from auditui.vocabulary import STATUSES

if TYPE_CHECKING:
    from auditui.finding_records import FindingRecords
    from auditui.findings import Finding

UPDATES = ("owner", "due", "cause", "correction", "action", "status")


def add_parser(subparsers, parents) -> None:
    parser = subparsers.add_parser(
        "finding",
        parents=parents,
        help="show one finding; with options, record its corrective action first",
        description="FINDING is a finding id (<session id>/<item id>), a unique prefix of "
        "one, or an item id that only one open finding has. Options record the corrective "
        "action (an empty value clears a field); only the fields given are changed.",
    )
    parser.add_argument("finding", metavar="FINDING")
    parser.add_argument(
        "--owner", metavar="NAME", type=text, help="who is responsible for the action"
    )
    parser.add_argument("--due", metavar="YYYY-MM-DD", help="when the action is due")
    parser.add_argument("--cause", metavar="TEXT", type=text, help="why it happened (root cause)")
    parser.add_argument(
        "--correction",
        metavar="TEXT",
        type=text,
        help="what was done about this nonconformity itself",
    )
    parser.add_argument("--action", metavar="TEXT", type=text, help="what will stop it coming back")
    parser.add_argument(  # the words, as a usage error shows the choices
        "--status", choices=[str(status) for status in STATUSES], help="open -> action -> done"
    )
    parser.add_argument("--close", action="store_true", help="close it by hand (needs --reason)")
    parser.add_argument("--reason", metavar="TEXT", type=text, help="why it is closed by hand")
    parser.add_argument("--by", metavar="NAME", type=text, help="who closes it (with --close)")
    add_format(parser, ("text", "toml"), "text")


def run(ctx: Context, args: argparse.Namespace) -> int:
    from datetime import date

    from auditui.errors import AudituiError, ExitCode
    from auditui.finding_records import FindingRecords, parse_due
    from auditui.findings import mark_items_not_in_checklist, register_from_store, resolve
    from auditui.findings_output import finding_table, render_one, set_aside_values
    from auditui.timeutil import now

    if args.close and not (args.reason or "").strip():
        ctx.warn("finding: --close needs --reason TEXT (why it is closed)")
        return ExitCode.USAGE
    if (args.reason is not None or args.by is not None) and not args.close:
        ctx.warn("finding: --reason and --by go with --close")
        return ExitCode.USAGE
    changes = {name: getattr(args, name) for name in UPDATES if getattr(args, name) is not None}
    if "due" in changes:
        try:
            changes["due"] = parse_due(changes["due"])
        except AudituiError as error:  # the command line is wrong: as review-pack --since
            ctx.warn(f"finding: --due: {error}")
            return ExitCode.USAGE
    store = ctx.store
    records = FindingRecords(store.folder)
    records.check_folder()  # a file in its place: never a finding shown without its action
    said: list[str] = []  # said once the finding is known (below)
    findings = register_from_store(store, records, on_error=said.append)
    try:
        finding = resolve(findings, args.finding)
        if changes or args.close:
            _refuse_unreadable_record(records, finding, said)
    finally:
        for message in said:
            ctx.warn_once(message)
    if "status" in changes and not finding.is_open:
        # The file would keep the status while the register says closed, for good.
        how = f"passed in {finding.closed_in}" if finding.closed_in else "closed by hand"
        raise AudituiError(
            f"finding {finding.id} is closed ({how}): its status cannot change; a new fail "
            "of the item raises a new finding"
        )
    if args.close:
        if not finding.is_open:
            raise AudituiError(f"finding {finding.id} is already closed")
        changes.update(closed=now(), closed_reason=args.reason)
        if args.by is not None:
            changes["closed_by"] = args.by
    if changes:
        records.update(finding.record_id, changes, aliases=finding.aliases)
        findings = register_from_store(store, records)
        finding = resolve(findings, finding.id)
    mark_items_not_in_checklist([finding], ctx.catalog.at_hand)
    today = date.today()
    due = changes.get("due")
    if due is not None and finding.overdue(today):  # a typo of the year, often
        ctx.warn(f"finding {finding.id}: due {due.isoformat()} is in the past: it reads overdue")
    if args.format == "toml":
        ctx.emit_toml({"finding": finding_table(finding, today)}, args.output)
    else:
        ctx.emit_fitted(lambda: render_one(finding, today), args.output)
    hidden = set_aside_values(finding, records)
    if hidden:
        from auditui.textwidth import some_of

        ctx.warn(
            f"finding {finding.id} joins corrective-action records made under several ids "
            "(sessions that failed the item before a sync brought them together, or the "
            "parts of a merged audit); the newer of each field is shown above, and these "
            f"are not: {some_of(hidden)}"
        )
    return 0


def _refuse_unreadable_record(
    records: FindingRecords, finding: Finding, said: list[str]
) -> None:
    """`AudituiError` when a file of the finding's record cannot be read
    (`unreadable_record`; it is never overwritten), its "(left out)" taken from what the
    register `said`: the file is named once, as what stops the change."""
    from auditui.finding_records import BrokenRecord
    from auditui.findings import left_out_words, unreadable_record

    error = unreadable_record(records, finding)
    if error is not None:
        left_out = left_out_words(BrokenRecord(records.folder, error))
        said[:] = [message for message in said if message != left_out]
        raise error
