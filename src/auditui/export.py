"""A session handed on: TOML (what `import` reads), a Markdown report, or CSV.

Every export is self-contained: it carries the text of each item as the session
was started, so it reads right without the checklist.
"""

from __future__ import annotations

import copy
import csv
import io
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from auditui.errors import AudituiError
from auditui.exporters import exporter
from auditui.paths import EXPORTS_ELSEWHERE, Locations
from auditui.reports.common import escape_markdown, md
from auditui.session import Session
from auditui.session_toml import dumps_session
from auditui.textwidth import visible
from auditui.tomlio import atomic_write
from auditui.vocabulary import Grade, Result

if TYPE_CHECKING:
    from auditui.findings import Finding

CSV_COLUMNS = (
    "item_id", "section_id", "section_title", "clause", "prompt",
    "result", "grade", "note", "recorded", "attachments",
    "session_id", "checklist_id", "title", "auditor", "auditee", "started", "finished",
    "language", "prompt_in_language",
)  # fmt: skip
"""One row per item; the session's own columns next (the same on every row), so that a
sheet opened on its own says which audit it is, and scripts reading the first ten keep
working; last, the language the session was walked in and the question in it (empty
when it shows no translation, or the checklist is not at hand)."""


def export_session(
    session: Session,
    fmt: str,
    findings: list[Finding] | None = None,
    *,
    bom: bool = True,
    translated: Mapping[str, str] | None = None,
) -> bytes:
    """The export; `findings` (see `findings.session_findings`) are the findings the session
    failed, carried by TOML as `[[findings]]` and by Markdown under each failed item. CSV
    starts with a UTF-8 byte-order mark unless `bom` is false, and gives `translated`
    (the questions in the session's language, by item id) beside the English. The
    formats are `exporters.EXPORTERS`."""
    return exporter(fmt).write(session, findings or [], bom=bom, translated=translated)


def toml_export(
    session: Session, findings: list[Finding], bom: bool, translated: Mapping[str, str]
) -> bytes:
    """The session file as `import` reads it, then the findings as `[[findings]]`."""
    if "findings" in session.extra:  # an export copied in by hand: its findings are stale
        session = copy.copy(session)
        session.extra = {k: v for k, v in session.extra.items() if k != "findings"}
    return dumps_session(session) + _findings_toml(findings)


def markdown_export(
    session: Session, findings: list[Finding], bom: bool, translated: Mapping[str, str]
) -> bytes:
    return to_markdown(session, findings).encode("utf-8")


def csv_export(
    session: Session, findings: list[Finding], bom: bool, translated: Mapping[str, str]
) -> bytes:
    return to_csv(session, bom=bom, translated=translated).encode("utf-8")


def _findings_toml(findings: list[Finding]) -> bytes:
    """`[[findings]]` tables after the session's own (`import` keeps no copy of them)."""
    if not findings:
        return b""
    from auditui.findings_output import finding_table
    from auditui.tomlio import dumps

    tables = []
    for finding in findings:
        table = finding_table(finding, date.today())
        action = finding.action
        if action is not None:
            # The record as people made it, for `import`: `status` above is what the
            # register works out (a done action failed again reads open).
            if action.status is not None:
                table["action_status"] = action.status
            from auditui.finding_records import HISTORY

            history = action.extra.get(HISTORY)
            if history:  # what an audit found of the action as it stood then
                table["action_status_history"] = history
            if action.changed:
                table["changed"] = dict(action.changed)
        tables.append(table)
    return b"\n" + dumps({"findings": tables}).encode("utf-8")


def export_to_folder(
    session: Session,
    fmt: str,
    locations: Locations,
    findings: list[Finding] | None = None,
    translated: Mapping[str, str] | None = None,
) -> Path:
    """Write an export into the exports folder (made if missing), atomically; refused when
    that folder is one auditui reads its own files from (`Locations.checked_output`)."""
    folder = locations.exports_dir
    path = locations.checked_output(folder / f"{session.id}{exporter(fmt).suffix}",
                                    EXPORTS_ELSEWHERE)  # fmt: skip
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        message = f"cannot create the folder: {exc.strerror or exc}"
        raise AudituiError(message, path=folder) from None
    atomic_write(path, export_session(session, fmt, findings, translated=translated))
    return path


def to_csv(
    session: Session, *, bom: bool = True, translated: Mapping[str, str] | None = None
) -> str:
    """One row per item, for a spreadsheet: every cell quoted, text a spreadsheet would
    run as a formula (`=`, `+`, `-`, `@`, tab, CR first) made inert with a leading `'`
    (OWASP's advice, `csv_cell`), and a UTF-8 byte-order mark first so that Excel on
    Windows reads Thai and Vietnamese (`bom=False` leaves it out, for scripts)."""
    from auditui.findings_output import csv_cell

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_COLUMNS)
    about = [
        session.id, session.checklist_id, session.display_title, session.auditor,
        session.auditee, session.started.isoformat(),
        session.finished.isoformat() if session.finished else "",
    ]  # fmt: skip
    for record in session.records:
        writer.writerow(
            csv_cell(cell)
            for cell in [
                record.item_id,
                record.section_id,
                record.section_title,
                record.clause or "",
                record.prompt,
                session.file_result(record),
                record.grade or "",
                record.note,
                record.recorded.isoformat() if record.recorded else "",
                "; ".join(f"{a.name} ({a.file})" for a in record.attachments),
                *about,
                session.language,
                (translated or {}).get(record.item_id, ""),
            ]
        )
    return ("\ufeff" if bom else "") + buffer.getvalue()


_MD_LINE_MARK = re.compile(r"^(\s*)([#>+=-]|\[(?=[^\]]*\]:))")
_MD_LINE_NUMBER = re.compile(r"^(\s*\d+)([.)])")


def _md(text: str) -> str:
    """User text for a Markdown table cell: shown literally (no emphasis, links or HTML),
    breaks kept as `<br>`, the one way a cell holds them. Headings and list items take
    `md` (one line, breaks as ` / `)."""
    text = escape_markdown(visible(text))
    return text.replace("\n", "<br>")


def _md_block(text: str) -> str:
    """Free text as a quoted block, each line literal and kept a line of its own (a hard
    break, two spaces, at the end of each but the last: a viewer ran them together)."""
    lines = [f"> {_md_line(line)}" if line else ">" for line in visible(text).split("\n")]
    return "\n".join(
        line + "  " if line != ">" and number < len(lines) - 1 else line
        for number, line in enumerate(lines)
    )


def _md_line(line: str) -> str:
    """One line literal, also at its start (no heading, list or quote)."""
    line = _MD_LINE_MARK.sub(r"\1\\\2", escape_markdown(line))
    return _MD_LINE_NUMBER.sub(r"\1\\\2", line)


def to_markdown(session: Session, tracked: list[Finding] | None = None) -> str:
    by_item = {finding.item_id: finding for finding in tracked or []}
    summary = session.summary()
    heading = session.display_title
    out = [f"# {md(heading)}", ""]
    meta = [
        (
            "Checklist",
            f"{session.checklist_title} ({session.checklist_id}, "
            f"version {session.checklist_version})",
        ),
        ("Auditor", session.auditor),
        ("Auditee", session.auditee),
        ("Scope", ", ".join(session.scope)),
        # The translation the auditor read the questions in (the questions here are in the
        # checklist's own language; `auditui report` gives both).
        ("Language", f"{session.language} (questions here as the checklist words them)"
         if session.language else ""),  # fmt: skip
        ("Started", session.started.isoformat()),
        ("Last change", session.updated.isoformat()),
        ("Finished", session.finished.isoformat() if session.finished else ""),
        # A sign-off and seal only for a finished audit: in one that is not, they were left
        # by a hand edit (seal.seal_taken_out), over results nobody signed.
        *([("Conclusion", session.conclusion), ("Signed by", "; ".join(session.signed_by)),
           ("Seal", session.seal)] if session.finished is not None else []),
        ("Session", session.id),
    ]  # fmt: skip
    out += ["| | |", "|---|---|"]
    out += [f"| {name} | {_md(value)} |" for name, value in meta if value]
    out += [
        "",
        "## Summary",
        "",
        f"- Score: **{summary.saved_score:.1%}** (pass ÷ (pass + fail))",
        f"- Answered: {summary.answered}/{summary.total}",
        f"- Pass: {summary.passed} · Fail: {summary.failed} · N/A: {summary.na} · "
        f"Unanswered: {summary.unanswered}",
        "",
    ]
    findings = [r for r in session.scoped_records() if r.result == "fail" or r.grade is not None]
    if findings:
        out += ["## Findings", ""]
        for record in findings:
            if record.grade:
                grade = Grade(record.grade).label
            else:
                grade = "Nonconformity" if record.result == "fail" else ""
            clause = f" (clause {record.clause})" if record.clause else ""
            result = Result(record.result).export_label
            out.append(f"### {md(record.item_id)}{md(clause)} — {grade}, {result}")
            out += ["", _md_block(record.prompt), ""]
            if record.note:
                out += ["Note:", "", _md_block(record.note), ""]
            if record.item_id in by_item:
                out += _finding_lines(by_item[record.item_id])
    attached = [r for r in session.scoped_records() if r.attachments]
    if attached:
        out += ["## Evidence", ""]
        for record in attached:
            for attachment in record.attachments:
                size = attachment.size
                out.append(  # a list item: one line, names with a break in them included
                    f"- {md(record.item_id)}: {md(attachment.name)} — {md(attachment.file)}, "
                    f"{size:,} byte{'s' if size != 1 else ''}, SHA-256 {attachment.sha256}"
                )
        out.append("")
    out += ["## All items", ""]
    for section_id, title, records in session.sections():
        if not session.in_scope(records[0]):
            out += [f"### {md(section_id)} {md(title)} — out of scope", ""]
            continue
        section_summary = type(summary).of(records)
        out += [
            f"### {md(section_id)} {md(title)} — "
            f"{section_summary.answered}/{section_summary.total} answered",
            "",
            "| Item | Clause | Question | Result | Grade | Note |",
            "|---|---|---|---|---|---|",
        ]
        for record in records:
            grade = Grade(record.grade).label if record.grade else ""
            out.append(
                f"| {_md(record.item_id)} | {_md(record.clause or '')} | {_md(record.prompt)} | "
                f"{Result(record.result).export_label} | {grade} | "
                f"{_md(record.note)} |"
            )
        out.append("")
    return "\n".join(out)


def _finding_lines(finding: Finding) -> list[str]:
    """The finding an item is part of and its corrective action, as a Markdown list."""
    today = date.today()
    status = finding.status + (" (overdue)" if finding.overdue(today) else "")
    raised = f", raised {finding.raised:%Y-%m-%d}" if finding.raised else ""
    lines = [f"- Finding: {md(finding.id)}{raised}", f"- Status: {status}"]
    action = finding.action
    if action is not None:
        fields = [("Owner", action.owner), ("Cause", action.cause),
                  ("Correction", action.correction), ("Action", action.action)]  # fmt: skip
        for label, value in fields:
            if value:
                lines.append(f"- {label}: {md(value)}")
        if action.due is not None:
            lines.append(f"- Due: {action.due.isoformat()}")
    if finding.closed_in:
        lines.append(f"- Closed: passed in {md(finding.closed_in)}")
    elif finding.closed is not None and action is not None:
        lines.append(f"- Closed by hand: {md(action.closed_reason or '')}")
    return [*lines, ""]
