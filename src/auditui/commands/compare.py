"""`auditui compare OLD NEW`: what changed between two sessions of one checklist."""

from __future__ import annotations

import argparse

from auditui.commands.common import Context, add_format


def add_parser(subparsers, parents) -> None:
    parser = subparsers.add_parser(
        "compare",
        parents=parents,
        help="what changed between two sessions of one checklist",
        description="Compare two sessions of the same checklist item by item (matched by "
        "item id, also across checklist versions): regressions, new failures, improvements, "
        "other changes, and the pass rate per section.",
    )
    parser.add_argument("old", metavar="OLD", help="the earlier session: id or path")
    parser.add_argument("new", metavar="NEW", help="the later session: id or path")
    add_format(parser, ("text", "toml"), "text")


def run(ctx: Context, args: argparse.Namespace) -> int:

    from auditui.compare import compare_sessions, render_text, to_document
    from auditui.session import listed_order
    from auditui.store import read_session

    store = ctx.store
    old_path = store.resolve(args.old)
    new_path = store.resolve(args.new)
    old = read_session(old_path)
    # The same file twice (a session compared with itself) is read once.
    new = old if same_file(new_path, old_path) else read_session(new_path)
    ctx.warn_journal_left_out(old_path, new_path)
    comparison = compare_sessions(old, new)
    if listed_order(old) > listed_order(new):  # the changes read from OLD to NEW as given
        ctx.warn(
            f"{old.id} started after {new.id}: the changes below go from the later session "
            "to the earlier one (give the older session first to see what improved since)"
        )
    from auditui.finding_records import FindingRecords
    from auditui.findings import AtNew, Finding, findings_at_new, findings_came_back
    from auditui.findings_output import compare_lines, finding_table

    came_back: list[Finding] = []
    if old.id == new.id:  # two versions of one session (a kept copy): no later audit
        at_new = AtNew([], [], [])
    else:
        records = FindingRecords(store.folder)
        at_new = findings_at_new(store, records, new)
        came_back = findings_came_back(store, records, new)
    as_of = new.started.date()  # the findings as NEW found them: status, age, OVERDUE
    if args.format == "toml":
        document = to_document(comparison)
        document["compare"]["findings_as_of"] = as_of
        document["findings_closed"] = [finding_table(f, as_of) for f in at_new.closed]
        document["findings_not_audited"] = [
            _not_audited_table(f, as_of, comparison.new) for f in at_new.not_audited
        ]
        document["findings_not_effective"] = [
            finding_table(f, as_of) for f in at_new.not_effective
        ]
        document["findings_came_back"] = [finding_table(f, as_of) for f in came_back]
        ctx.emit_toml(document, args.output)
    else:

        def text() -> str:
            return render_text(comparison) + compare_lines(at_new, as_of, came_back, comparison.new)

        ctx.emit_fitted(text, args.output)
    return 0


def _not_audited_table(finding, as_of, new) -> dict:
    """A finding NEW did not audit; with `not_in_checklist_version` when NEW's checklist
    version has no such item (no audit of it can close the finding)."""
    from auditui.findings_output import finding_table

    table = finding_table(finding, as_of)
    if finding.item_id not in new.index:
        table["not_in_checklist_version"] = new.checklist_version
    return table


def same_file(one, other) -> bool:
    """Whether two paths name one file; False where a path cannot be followed (a symlink
    loop: the read that follows says so)."""
    try:
        return one.resolve() == other.resolve()
    except (OSError, RuntimeError):
        return False
