"""The findings register written out: a TOML table per finding, CSV rows, and text.

The keys and their order are SPEC's ("The findings register"): `id`, `checklist_id`,
`item_id`, `clause`, `prompt`, `grade`, `note`, `raised_in`, `raised`,
`last_failed_in`, `streak`, `status`, then where set `owner`, `due`, `cause`,
`action`, `overdue`, `closed_in`, `closed_reason`; after them what auditui adds:
`correction`, `closed`, `closed_by`, `checklist_title`, `last_failed`, `orphaned`,
`not_effective_in` (the first session that failed the item after its action was marked
done: the status reads `open` again), `not_in_checklist_version` (the checklist as it is
here has no such item, so only a person can close the finding), `recurrence_of` (the
item's earlier finding, closed before this one was raised: the nonconformity came back).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from auditui.finding_records import CLOSING, FIELDS
from auditui.findings import AtNew, Finding, not_in_checklist_words, recurrence_words
from auditui.textwidth import (
    WIDTH,
    cell_width,
    fit,
    line_width,
    plural,
    printable,
    truncate,
    wrap,
)
from auditui.vocabulary import Grade

if TYPE_CHECKING:
    from auditui.finding_records import FindingRecords
    from auditui.session import Session

CSV_COLUMNS = (
    "id", "checklist_id", "item_id", "clause", "prompt", "grade", "note", "raised_in",
    "raised", "last_failed_in", "streak", "status", "owner", "due", "cause", "action",
    "overdue", "closed_in", "closed_reason", "correction", "closed", "closed_by",
    "checklist_title", "last_failed", "orphaned", "not_effective_in", "recurrence_of",
    "not_in_checklist_version",
)  # fmt: skip
_CSV_RISKY = ("=", "+", "-", "@", "\t", "\r")


def finding_table(finding: Finding, today: date) -> dict[str, Any]:
    """One finding as SPEC's TOML table (keys absent where nothing is set)."""
    table: dict[str, Any] = {"id": finding.id}
    if finding.checklist_id:
        table["checklist_id"] = finding.checklist_id
    table["item_id"] = finding.item_id
    record = finding.record
    if record is not None:
        if record.clause:
            table["clause"] = record.clause
        table["prompt"] = record.prompt
        if record.grade:
            table["grade"] = record.grade
        table["note"] = record.note
    table["raised_in"] = finding.raised_in
    if finding.raised is not None:
        table["raised"] = finding.raised
    if finding.last_failed_in:
        table["last_failed_in"] = finding.last_failed_in
    if not finding.orphaned:
        table["streak"] = finding.streak
    table["status"] = finding.status
    action = finding.action
    if action is not None:
        for name in ("owner", "due", "cause", "action"):
            if getattr(action, name) is not None:
                table[name] = getattr(action, name)
    if finding.due() is not None:
        table["overdue"] = finding.overdue(today)
    if finding.closed_in is not None:
        table["closed_in"] = finding.closed_in
    if finding.closed_by_hand and action is not None and action.closed_reason is not None:
        table["closed_reason"] = action.closed_reason
    if action is not None and action.correction is not None:
        table["correction"] = action.correction
    if finding.closed is not None:
        table["closed"] = finding.closed
    if finding.closed_by_hand and action is not None and action.closed_by is not None:
        table["closed_by"] = action.closed_by
    if finding.checklist_title:
        table["checklist_title"] = finding.checklist_title
    if finding.last_failed is not None:
        table["last_failed"] = finding.last_failed
    if finding.orphaned:
        table["orphaned"] = True
    if finding.not_effective_in is not None:
        table["not_effective_in"] = finding.not_effective_in
    if finding.not_in_checklist_version is not None:
        table["not_in_checklist_version"] = finding.not_in_checklist_version
    if finding.follows is not None:
        table["recurrence_of"] = finding.follows.id
    return table


def to_document(findings: list[Finding], today: date) -> dict[str, Any]:
    """`findings --format toml`: `[[findings]]`, in the register's order."""
    return {"findings": [finding_table(finding, today) for finding in findings]}


def csv_cell(value: Any) -> str:
    """A value for a spreadsheet: dates as ISO text, true/false as words, and text that a
    spreadsheet would run as a formula made inert with a leading `'` (OWASP)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if text.startswith(_CSV_RISKY):
        return "'" + text
    return text


def to_csv(findings: list[Finding], today: date, *, bom: bool = True) -> str:
    """`findings --format csv`: a header row of SPEC's columns (and auditui's), one row
    a finding, every cell quoted; UTF-8 with a byte-order mark, so that spreadsheets on
    Windows read it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_COLUMNS)
    for finding in findings:
        table = finding_table(finding, today)
        writer.writerow([csv_cell(table.get(column)) for column in CSV_COLUMNS])
    return ("\ufeff" if bom else "") + buffer.getvalue()


def age_text(finding: Finding, today: date, *, at_audit: bool = False) -> str:
    """`raised 12 days ago`, `raised today`; "" when not known (an orphan: said apart).
    Beside a status, "action 0 days" read like a due date. `at_audit`: `today` is an
    audit's day, not the reader's (`compare`): `raised 12 days before this audit`."""
    days = finding.age_days(today)
    if days is None:
        return ""
    if at_audit:
        if days == 0:
            return "raised the day of this audit"
        return f"raised {days} day{'s' if days != 1 else ''} before this audit"
    if days == 0:
        return "raised today"
    return f"raised {days} day{'s' if days != 1 else ''} ago"


def head_lines(
    finding: Finding, today: date, indent: str = "", *, at_audit: bool = False
) -> list[str]:
    """`MAJOR  <id>  open, raised 12 days ago  due 2026-02-01 OVERDUE  owner Mai` (user
    text printable), on one line when it fits in `line_width()`; else the due date and owner
    go on a second line, so that a long id or owner never cuts off the date or OVERDUE."""
    parts = []
    if finding.grade:
        parts.append(Grade(finding.grade).tag)
    parts.append(printable(finding.id))
    status = finding.status
    age = age_text(finding, today, at_audit=at_audit) if finding.is_open else ""
    parts.append(f"{status}, {age}" if age else status)
    due = finding.due()
    when = ""
    if due is not None:
        when = f"due {due.isoformat()}" + (" OVERDUE" if finding.overdue(today) else "")
    action = finding.action
    owner = printable(action.owner) if action is not None and action.owner else ""

    def tail(owner_cells: int) -> list[str]:
        return [part for part in (when, owner and "owner " + truncate(owner, owner_cells)) if part]

    line = indent + "  ".join(parts + tail(24))
    if not (when or owner) or cell_width(line) <= line_width():
        return [line]
    # On a line of their own, the owner's name is cut only where the line must end.
    return [indent + "  ".join(parts), f"{indent}    " + "  ".join(tail(line_width()))]


def detail_lines(finding: Finding, today: date, indent: str = "    ") -> list[str]:
    room = line_width() - len(indent)
    lines = []
    if finding.session_unreadable:
        why = (f"its session {finding.raised_in} cannot be read (said above); mended, the "
               "finding comes back with its history")  # fmt: skip
        lines += _labelled(indent, "orphaned", why)
    elif finding.orphaned:
        lines += _labelled(indent, "orphaned", orphan_words(finding))
    record = finding.record
    if record is not None:
        where = f"{printable(finding.checklist_id)} {printable(finding.item_id)}"
        if record.clause:
            where += f" (clause {truncate(printable(record.clause), 16)})"
        # The question on one line; on a terminal narrower than `WIDTH`, on two.
        question = wrap(f"{where}: {printable(record.prompt)}", room)
        shown = question[: 1 if line_width() >= WIDTH else 2]
        if len(shown) < len(question):
            shown[-1] = truncate(shown[-1] + " " + question[len(shown)], room)
        lines += [indent + line for line in shown]
        if finding.streak > 1:
            lines += [indent + line for line in wrap(
                f"failed in {finding.streak} sessions in a row, last in "
                f"{printable(finding.last_failed_in)}", room)]  # fmt: skip
        if record.note:
            lines += _labelled(indent, "note", record.note)
    action = finding.action
    if action is not None:
        for name in ("cause", "correction", "action"):
            value = getattr(action, name)
            if value:
                lines += _labelled(indent, name, value)
    if finding.not_effective_in is not None:
        lines += _labelled(indent, "not effective", "the action was marked done, and "
                           f"{finding.not_effective_in} failed the item again")  # fmt: skip
    if finding.not_in_checklist_version is not None:
        lines += _labelled(indent, "not in checklist", not_in_checklist_words(finding))
    if finding.follows is not None:
        lines += _labelled(indent, "came back", recurrence_words(finding))
    if finding.closed_in is not None:
        lines.append(f"{indent}closed: passed in {printable(finding.closed_in)}")
    elif finding.closed is not None and action is not None:
        reason = printable(action.closed_reason or "")
        by = f" by {action.closed_by}" if action.closed_by else ""
        lines += _labelled(indent, "closed", f"{finding.closed:%Y-%m-%d} by hand{by}: {reason}")
    return lines


def orphan_words(finding: Finding) -> str:
    """Why a corrective action has no finding: its session no longer fails the item, or
    the session is not here."""
    if finding.answer_changed:
        return (f"session {finding.raised_in} no longer fails {finding.item_id} (its answer "
                "was changed, or a sync kept another laptop's newer answer); the action is "
                "kept")  # fmt: skip
    return (f"no session shows this finding any more (session {finding.raised_in} deleted, "
            "or not here)")  # fmt: skip


def _labelled(indent: str, label: str, text: str) -> list[str]:
    prefix = f"{indent}{label}: "
    wrapped = wrap(printable(text), line_width() - len(prefix))
    return [prefix + wrapped[0]] + [" " * len(prefix) + line for line in wrapped[1:]]


def render_text(findings: list[Finding], today: date, *, open_in_all: int | None = None) -> str:
    """The register for people: one block per finding, worst first, and a count; for the
    overdue ones only (`open_in_all`: how many are open in all), what they are out of."""
    lines: list[str] = []
    for finding in findings:
        if lines:
            lines.append("")
        lines += head_lines(finding, today)
        lines += detail_lines(finding, today)
    # An orphan is an action with no finding (SPEC: a finding lives while a session fails
    # its item): counted apart, as trend and the review pack leave it out.
    counted = [finding for finding in findings if not finding.orphaned]
    open_count = sum(1 for finding in counted if finding.is_open)
    overdue = sum(1 for finding in counted if finding.overdue(today))
    if lines:
        lines.append("")
    summary = f"{open_count} open finding{'s' if open_count != 1 else ''}"
    if overdue:
        summary += f", {overdue} overdue"
    closed = len(counted) - open_count
    if closed:
        summary += f"; {closed} closed"
    orphans = len(findings) - len(counted)
    if orphans:
        orphaned = plural(orphans, "orphaned corrective action")
        summary += f"; {orphaned} (no session read fails its item)"
    if open_in_all is not None:
        summary = f"{plural(overdue, 'overdue finding')} of {open_in_all} open"
    lines.append(summary + ".")
    return "\n".join(fit(line) for line in lines) + "\n"


READING_ORDER = (
    "id", "checklist_id", "checklist_title", "item_id", "clause", "prompt", "grade", "note",
    "raised_in", "raised", "last_failed_in", "last_failed", "streak", "status",
    "not_effective_in", "not_in_checklist_version", "recurrence_of", "owner", "due", "overdue",
    "cause", "correction", "action",
    "closed_in", "closed", "closed_reason", "closed_by", "orphaned",
)  # fmt: skip


def _reading_order(key: str) -> int:
    return READING_ORDER.index(key) if key in READING_ORDER else len(READING_ORDER)


def render_one(finding: Finding, today: date) -> str:
    """`finding ID`: every field, one per line, in the order a person reads a finding
    (what, where from, where it stands, the corrective action, its closing); the TOML
    keeps SPEC's order."""
    table = finding_table(finding, today)
    table = {key: table[key] for key in sorted(table, key=_reading_order)}
    width = max(len(key) for key in table)
    lines = []
    for key, value in table.items():
        if isinstance(value, datetime):
            text = f"{value:%Y-%m-%d %H:%M}"
        elif isinstance(value, date):
            text = value.isoformat()
        elif isinstance(value, bool):
            text = "yes" if value else "no"
        else:
            text = printable(str(value))
        wrapped = wrap(text, line_width() - width - 2)
        lines.append(f"{key:<{width}}  {wrapped[0]}")
        lines += [" " * (width + 2) + line for line in wrapped[1:]]
    return "\n".join(fit(line) for line in lines) + "\n"


JOINED_FIELDS = tuple(name for name in FIELDS if name not in CLOSING)
"""The fields the register joins from several records (a closing goes whole)."""


def set_aside_values(finding: Finding, records: FindingRecords) -> list[str]:
    """What the records the register joins into `finding` hold that it does not show: two
    laptops (two sessions of one checklist, before their first sync) each recorded an
    action for one finding, and the newer of each field hid the other's owner and action
    from every output. One line per record and field: `recorded under ID: owner 'Anan'`."""
    shown = finding.action
    if shown is None or not finding.joined:
        return []
    lines = []
    for record_id in [finding.record_id, *finding.joined]:
        record = records.get(record_id)
        if record is None:
            continue
        for name in JOINED_FIELDS:
            value = getattr(record, name)
            if value is not None and value != getattr(shown, name):
                text = value.isoformat() if isinstance(value, date) else printable(str(value))
                lines.append(f"recorded under {record_id}: {name} {text!r}")
    return lines


def compare_lines(
    at_new: AtNew, as_of: date, came_back: list[Finding] | None = None, new: Session | None = None
) -> str:
    """What `compare OLD NEW` says of the findings, after the changes: those NEW closed by
    passing the item, those whose action NEW showed did not work, and those open before NEW
    that it did not audit. Each as it stood when NEW started (`as_of`): its status is
    NEW's, and its age and OVERDUE were worked out from today beside it. One whose item
    NEW's checklist version no longer has is said so: no audit of it can close it."""
    lines: list[str] = []
    for heading, findings in (
        ("Findings closed (passed in the newer session)", at_new.closed),
        ("Corrective actions not effective (marked done, failed again in the newer session)",
         at_new.not_effective),
        ("Findings still open, neither passed nor failed in the newer session",
         at_new.not_audited),
        ("Findings that came back (closed before, failed again in the newer session)",
         came_back or []),
    ):  # fmt: skip
        if not findings:
            continue
        lines += ["", *wrap(f"{heading}: {len(findings)}", line_width())]  # whole at 80
        for finding in findings:
            lines += head_lines(finding, as_of, indent="  ", at_audit=True)
            record = finding.record
            if record is not None:
                lines.append("    " + truncate(printable(record.prompt), line_width() - 4))
            if findings is came_back and finding.follows is not None:
                lines += _labelled("    ", "came back", recurrence_words(finding))
            if findings is at_new.not_audited and new is not None and (
                finding.item_id not in new.index
            ):
                lines += _labelled("    ", "not in its checklist", (
                    f"version {printable(new.checklist_version)} has no item "
                    f"{printable(finding.item_id)}: close the finding by hand if the "
                    f"requirement is gone (auditui finding {printable(finding.id)} --close "
                    "--reason …)"))  # fmt: skip
    if lines:
        lines[1:1] = wrap(f"The findings as they stood when the newer session started "
                          f"({as_of.isoformat()}); `auditui findings` gives them as they are "
                          "now.", line_width())  # fmt: skip
    return "".join(fit(line) + "\n" for line in lines)
