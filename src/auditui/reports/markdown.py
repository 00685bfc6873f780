"""The audit report in Markdown: the same parts as the HTML report, for plain-text readers.

It reads well as plain text (no HTML, no entities; only what Markdown would take as
markup is escaped, with a backslash) and renders as a tidy document where Markdown is
shown. Every user string goes through `md` or `md_lines`.
"""

from __future__ import annotations

from auditui.evidence import Attachment, size_text
from auditui.reports.audit import (
    EARLIER_HEADING,
    NO_EARLIER,
    AuditReport,
    CorrectiveAction,
    FindingEntry,
    all_row_before,
    both_audited_words,
    changes_words,
    checklist_changed_tail,
    repeat_text,
)
from auditui.reports.common import md, md_lines, moved, not_listed, points, when
from auditui.reports.evidence import STATE_WORDS
from auditui.reports.evidence import views as evidence_views
from auditui.session import ItemRecord
from auditui.textwidth import plural, score_text
from auditui.translations import language_name
from auditui.vocabulary import Grade, Result


def render_markdown(report: AuditReport) -> str:
    out = [
        *_details(report),
        *_summary(report),
        *_findings(report),
        *_earlier(report),
        *_remarks(report),
        *_conclusion(report),
        *_appendix(report),
    ]
    return "\n".join(out).rstrip("\n") + "\n"








def _details(report: AuditReport) -> list[str]:
    session = report.session
    english = session.checklist_title or session.checklist_id
    translated = report.translation.title if report.translation else ""
    checklist = md(english)
    if translated and translated != english:  # its title in the report's language too
        checklist = f"{md(translated)} — {checklist}"
    if session.checklist_version:
        checklist += f", version {md(session.checklist_version)}"
    checklist += f" ({md(session.checklist_id)})"
    if report.whole_checklist:
        count = len(report.scope)
        scope = f"the whole checklist ({count} section{'s' if count != 1 else ''})"
    else:
        scope = "; ".join(
            f"{md(sid)} {md(report.section_title(sid, title))}" for sid, title in report.scope
        )
        scope += f" ({plural(report.out_of_scope, 'item')} out of scope)"
    dates = f"started {when(session.started)}, last change {when(session.updated)}"
    if report.finished:
        dates += f", finished {when(report.finished)}"
    rows = [
        ("Checklist", checklist),
        ("Standard", md(report.standard)),
        ("Kind", md(session.kind)),
        ("Scope", scope),
        ("Auditee", md(session.auditee) or "not recorded"),
        ("Audit team", md(session.auditor) or "not recorded"),
        ("Dates", dates),
        ("Status", md(report.status)),  # as the HTML has it
        ("Language", md(language_name(report.language)) if report.language else ""),
        ("Session", md(session.id)),
        ("Report made", md(report.made_text)),
    ]
    out = [f"# Audit report: {md(report.title)}", ""]
    out += [f"- **{name}:** {value}" for name, value in rows if value]
    return [*out, ""]


def _summary(report: AuditReport) -> list[str]:
    s = report.summary
    out = ["## Summary", ""]
    if not s.total:
        return [*out, "This session has no items in its scope: there is nothing to report.", ""]
    out += [
        f"Score **{score_text(s)}** (pass ÷ (pass + fail)); {s.answered} of {s.total} items "
        f"answered: {s.passed} pass, {s.failed} fail, {s.na} not applicable, "
        f"{s.unanswered} not answered.",
        "",
    ]
    previous = report.previous
    if previous is None:
        out += [md(report.nothing_to_compare), ""]
    else:
        changes = report.changes or {}
        both = both_audited_words(report)
        out += [
            f"Against {md(report.compared_with)} ({md(previous.display_title)}, "
            f"{when(previous.started)}, session {md(previous.id)}): score "
            f"{score_text(report.previous_summary)} → {score_text(s)}"
            f"{points(report.previous_summary, s)}{md(both)}; {md(changes_words(changes))}"
            f"{md(checklist_changed_tail(report))}.",
            "",
        ]
        if report.checklist_changes:
            out += [*(f"- {md(line)}" for line in report.checklist_changes), ""]
    head = ["Section", "Pass", "Fail", "N/A", "Not answered", "Score"]
    if previous:
        head += ["Before", "Points"]
    out += ["| " + " | ".join(head) + " |", "|---" + "|--:" * (len(head) - 1) + "|"]
    for row in [*report.sections, None]:
        if row is None:
            name, now, before = "**All**", s, all_row_before(report)
        else:
            title = report.section_title(row.section_id, row.title)
            name, now, before = f"{md(row.section_id)} {md(title)}", row.summary, row.previous
        cells = [name, now.passed, now.failed, now.na, now.unanswered, score_text(now)]
        if previous:
            cells += [score_text(before), moved(before, now)]
        out.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    return [*out, ""]


def _record_head(record: ItemRecord) -> str:
    return md(record.item_id) + (f" (clause {md(record.clause)})" if record.clause else "")


def _block(name: str, text: str) -> list[str]:
    if not text.strip():
        return [f"- {name}: (none)"]
    lines = md_lines(text, "  ")
    if len(lines) == 1:
        return [f"- {name}: {lines[0].strip()}"]
    return [f"- {name}:", *lines]


def _question(report: AuditReport, record: ItemRecord) -> list[str]:
    shown, english = report.prompt(record)
    lines = _block("Question", shown)
    if english:
        lines += _block("In English", english)
    return lines


def _evidence_names(report: AuditReport, record: ItemRecord) -> str:
    states = report.evidence_states or {}

    def state(attachment: Attachment) -> str:
        found = states.get(attachment.file, "")
        return f" — {STATE_WORDS[found]}" if found in STATE_WORDS else ""

    return ", ".join(f"{md(a.name)} ({size_text(a.size)}{state(a)})" for a in record.attachments)


def _finding(report: AuditReport, entry: FindingEntry) -> list[str]:
    record = entry.record
    label = Grade(record.grade).label if record.grade else "Nonconformity (not graded)"
    out = [f"### {label}: {_record_head(record)}", ""]
    out += _question(report, record)
    out += _block("Note", record.note)
    if repeat_text(entry):
        out.append(f"- Repeat: {md(repeat_text(entry))}")
    if entry.action is not None and entry.action.recurrence:
        out.append(f"- Came back: {md(entry.action.recurrence)}")
    out += _action(entry.action)
    out += _evidence(report, record)
    return [*out, ""]


def _evidence(report: AuditReport, record: ItemRecord) -> list[str]:
    """One line per evidence file: name, size, where the copy is and its SHA-256, and, as
    the HTML says it, a copy not here or changed since it was attached."""
    if not record.attachments:
        return []
    folder = report.session.path.parent if report.session.path else None
    lines = []
    checked = report.evidence_states or {}  # not looked at: nothing to say
    for view in evidence_views(record.attachments, folder, pictures=False, checked=checked):
        a = view.attachment
        state = f" — **{STATE_WORDS[view.state]}**" if view.state in STATE_WORDS else ""
        lines.append(f"- Evidence: {md(a.name)} ({size_text(a.size)}), {md(a.file)}, "
                     f"SHA-256 {a.sha256}{state}")  # fmt: skip
    return lines


def _action(action: CorrectiveAction | None) -> list[str]:
    if action is None:
        return ["- Corrective action: none recorded yet"]
    out = [f"- Finding: {md(action.finding_id)}"] if action.finding_id else []
    words = action.status_words().removesuffix(" — OVERDUE")
    out.append(f"- Action status: {md(words)}" + (" — **OVERDUE**" if action.overdue else ""))
    if action.owner:
        out.append(f"- Owner: {md(action.owner)}")
    if action.due:
        out.append(f"- Due: {action.due.isoformat()}")
    if action.closed_by_hand:
        out.append(f"- Closed by hand: {md(action.closed_by_hand)}")
    for name, text in (
        ("Cause", action.cause),
        ("Correction", action.correction),
        ("Corrective action", action.action),
        ("Closed because", action.closed_reason),
    ):
        if text:
            out += _block(name, text)
    return out


def _findings(report: AuditReport) -> list[str]:
    out = ["## Findings", ""]
    if not report.findings:
        return [*out, "No item failed: there are no findings.", ""]
    out += [md(report.findings_sentence), ""]
    for entry in report.findings:
        out += _finding(report, entry)
    return out


def _earlier(report: AuditReport) -> list[str]:
    """The findings of earlier audits this one verified (or did not look at)."""
    if report.earlier is None:
        return []
    out = [f"## {EARLIER_HEADING}", ""]
    if not report.earlier:
        return [*out, NO_EARLIER, ""]
    def flat(text: str) -> str:  # one line each, so no user text starts a line of its own
        return md(" ".join(text.split()))

    for entry in report.earlier:
        head = f"- **{md(entry.verdict_words)}**: {flat(entry.finding_id)}"
        out.append(f"{head}{md(entry.grade_words)}  ")
        english = f" ({flat(entry.english)})" if entry.english else ""
        line = f"  item {flat(entry.where)}: {flat(entry.prompt)}{english}"
        out.append(line + ("  " if entry.action else ""))
        if entry.action:
            out.append(f"  {flat(entry.action)}")
    return [*out, ""]


def _remarks(report: AuditReport) -> list[str]:
    out = ["## Observations and opportunities for improvement", ""]
    if not report.remarks:
        return [*out, report.none_remarked, ""]
    for record in report.remarks:
        out += [f"### {Grade(record.grade or 'observation').label}: {_record_head(record)}", ""]
        out += _question(report, record)
        out.append(f"- Result: {Result(record.result).label}")
        out += _block("Note", record.note)
        out += _evidence(report, record)
        out.append("")
    return out


def _conclusion(report: AuditReport) -> list[str]:
    out = ["## Conclusion and sign-off", ""]
    if report.finished:
        written = report.conclusion.strip()
        out += md_lines(report.conclusion) if written else ["(no conclusion written)"]
        out += [""]
    else:
        out += [
            "**This audit is not finished.** The results may still change; the conclusion "
            "and sign-off are written when the auditor finishes it.",
            "",
        ]
    for reopening in report.reopened:  # what came before, in the order it happened
        out += [md(reopening.words), ""]
        if reopening.changed_since_sealed:
            out += [
                "**When it was reopened, its seal no longer matched: changed by hand since it "
                f"was sealed: {md(', '.join(reopening.changed_since_sealed))}**",
                "",
            ]
    if report.finished:
        out += [f"Finished {when(report.finished)}.", ""]
    if report.signed_by:
        out += ["Signed by:", ""] + [f"- {md(name)}" for name in report.signed_by] + [""]
    else:  # printed and signed by hand, as the HTML leaves lines for it
        out += ["To be signed:", "", "- Auditor: ______________________  Date: __________",
                "- Auditee: ______________________  Date: __________", ""]  # fmt: skip
    if report.seal:
        seal = md(report.seal)
        broken = " — **does not match the results: changed since it was sealed**"
        out += [
            f"Seal (SHA-256 over the results; `auditui verify` checks it): {seal}"
            + (broken if report.seal_broken else ""),
            "",
        ]
    return out


def _appendix(report: AuditReport) -> list[str]:
    out = ["## Appendix: every result", ""]
    if report.out_of_scope:
        out += [not_listed(report.out_of_scope), ""]
    if not report.appendix:
        out += ["No items.", ""]
    for section_id, title, records in report.appendix:
        out += [f"### {md(section_id)} {md(report.section_title(section_id, title))}", ""]
        for record in records:
            grade = f", {Grade(record.grade).label}" if record.grade else ""
            shown, english = report.prompt(record)
            out.append(
                f"- **{Result(record.result).label}{grade}** — {_record_head(record)}: "
                f"{md(shown)}" + (f" ({md(english)})" if english else "")
            )
            if record.note.strip():
                out += md_lines(record.note, "  > ")
            if record.attachments:  # a blank line first: else it goes on in the quote
                out += (["  "] if record.note.strip() else []) + [
                    f"  Evidence: {_evidence_names(report, record)}"
                ]
        out.append("")
    return out
