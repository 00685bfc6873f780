"""`auditui findings`: the findings register, open findings, majors first, then oldest first."""

from __future__ import annotations

import argparse

from auditui.commands.common import Context, add_format


def add_parser(subparsers, parents) -> None:
    parser = subparsers.add_parser(
        "findings",
        parents=parents,
        help="the findings register: open findings (with --all, closed ones too), majors "
        "first, then oldest first",
        description="Every finding raised by a failed item and not yet closed (by a later "
        "session that passed the item, or by hand), majors first, then oldest first, with "
        "its corrective action.",
    )
    parser.add_argument("--checklist", metavar="ID", help="only this checklist (id or path)")
    parser.add_argument("--all", action="store_true", help="closed findings too")
    parser.add_argument(
        "--overdue", action="store_true", help="only findings past their due date"
    )
    add_format(parser, ("text", "toml", "csv"), "text")
    parser.add_argument(
        "--no-bom", action="store_true", help="CSV without the UTF-8 byte-order mark"
    )


def run(ctx: Context, args: argparse.Namespace) -> int:
    from datetime import date

    from auditui.finding_records import FindingRecords
    from auditui.findings import mark_items_not_in_checklist, register_from_store
    from auditui.findings_output import render_text, to_csv, to_document

    store = ctx.store
    records = FindingRecords(store.folder)
    records.check_folder()  # a file in its place: not a register without any action
    checklist_id = None
    if args.checklist is not None:  # "" too: refused by name, not taken for every checklist
        from auditui.trend import resolve_checklist_id

        sessions = store.heads()
        checklist_id, _ = resolve_checklist_id(args.checklist, ctx.catalog, sessions)
    today = date.today()
    findings = register_from_store(
        store,
        records,
        checklist_id=checklist_id,
        keep_closed=args.all,
        on_error=ctx.warn_once,
    )
    mark_items_not_in_checklist(findings, ctx.catalog.at_hand)
    open_in_all = None
    if args.overdue:
        open_in_all = sum(1 for f in findings if f.is_open and not f.orphaned)
        findings = [finding for finding in findings if finding.overdue(today)]
    if args.format == "toml":
        ctx.emit_toml(to_document(findings, today), args.output)
    elif args.format == "csv":
        ctx.emit(to_csv(findings, today, bom=not args.no_bom), args.output, text=True)
    else:
        ctx.emit_fitted(
            lambda: render_text(findings, today, open_in_all=open_in_all), args.output
        )
    unread = sorted({f.raised_in for f in findings if f.session_unreadable})
    if unread:
        ctx.warn(
            f"the register is not whole: {', '.join(unread)} cannot be read (said above), so "
            "its findings show as orphaned and an item it failed may show a newer finding; "
            "mend the file"
        )
    from auditui.session_merge import merge_notices

    for notice in merge_notices(store, checklist_id=checklist_id):  # a fail there
        ctx.warn(notice)  # is in no finding
    ctx.warn_set_aside()
    return 0
