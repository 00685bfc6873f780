"""The audit report as one self-contained HTML file, to send, open anywhere and print.

Parts in the order ISO 19011 (6.5.1) lists them: the audit's details, the summary
against the previous session (with a small inline-SVG chart), the findings with their
corrective actions, observations and opportunities for improvement, the conclusion and
sign-off, and every result as an appendix. Every user string goes through `h`.
"""

from __future__ import annotations

from pathlib import Path

from auditui.evidence import size_text
from auditui.reports.audit import (
    EARLIER_HEADING,
    NO_EARLIER,
    AuditReport,
    CorrectiveAction,
    EarlierFinding,
    FindingEntry,
    all_row_before,
    both_audited_words,
    changes_words,
    checklist_changed_tail,
    repeat_text,
)
from auditui.reports.common import h, moved, not_listed, page, points, score_bars, when
from auditui.reports.evidence import STATE_WORDS
from auditui.reports.evidence import views as evidence_views
from auditui.session import ItemRecord
from auditui.textwidth import plural, score_text
from auditui.translations import language_name
from auditui.vocabulary import Grade, Result


def render_html(report: AuditReport) -> str:
    body = [
        *_details(report),
        *_summary(report),
        *_findings(report),
        *_earlier(report),
        *_remarks(report),
        *_conclusion(report),
        *_appendix(report),
    ]
    # The report's own words are English; what the translation gives is marked as its
    # language where it stands (for hyphenation, fonts and screen readers).
    return page(f"Audit report: {report.title}", body, lang="en")


def _in_its_language(report: AuditReport, shown: str, english: str) -> str:
    """`shown`, escaped; marked with the translation's language when it is not the
    English (`english`)."""
    if report.translation is None or shown == english:
        return h(shown)
    # dir="auto": a translation written right to left (Arabic, Hebrew) reads so, in a
    # page of English.
    return f'<span lang="{h(report.translation.language)}" dir="auto">{h(shown)}</span>'


def _section(report: AuditReport, section_id: str, title: str) -> str:
    return _in_its_language(report, report.section_title(section_id, title), title)






def _facts(rows: list[tuple[str, str]]) -> list[str]:
    out = ['<table class="facts">']
    out += [f"<tr><th>{h(name)}</th><td>{value}</td></tr>" for name, value in rows if value]
    out.append("</table>")
    return out


def _details(report: AuditReport) -> list[str]:
    session = report.session
    english = session.checklist_title or session.checklist_id
    translated = report.translation.title if report.translation else ""
    checklist = h(english)
    if translated and translated != english:  # its title in the report's language too
        checklist = f"{_in_its_language(report, translated, english)} — {checklist}"
    if session.checklist_version:
        checklist += f", version {h(session.checklist_version)}"
    checklist += f' <span class="muted">({h(session.checklist_id)})</span>'
    if report.whole_checklist:
        count = len(report.scope)
        scope = f"The whole checklist ({count} section{'s' if count != 1 else ''})"
    else:
        scope = "<br>".join(
            f"{h(sid)} {_section(report, sid, title)}" for sid, title in report.scope
        )
        scope += f' <span class="muted">({plural(report.out_of_scope, "item")} out of scope)</span>'
    dates = f"started {h(when(session.started))}, last change {h(when(session.updated))}"
    if report.finished:
        dates += f", finished {h(when(report.finished))}"
    status = h(report.status)  # names what changed: item ids, as typed
    rows = [
        ("Checklist", checklist),
        ("Standard", h(report.standard)),
        ("Kind", h(session.kind)),
        ("Scope", scope),
        ("Auditee", h(session.auditee) or '<span class="muted">not recorded</span>'),
        ("Audit team", h(session.auditor) or '<span class="muted">not recorded</span>'),
        ("Dates", dates),
        ("Status", status),
        ("Language", h(language_name(report.language)) if report.language else ""),
        ("Session", h(session.id)),
        ("Report made", h(report.made_text)),
    ]
    return [
        '<header class="details">',
        '<p class="kind">Audit report</p>',
        f"<h1>{_in_its_language(report, report.title, report.session.display_title)}</h1>",
        *_facts(rows),
        "</header>",
    ]


def _summary(report: AuditReport) -> list[str]:
    s = report.summary
    out = ['<section id="summary">', "<h2>Summary</h2>"]
    if not s.total:
        out.append("<p>This session has no items in its scope: there is nothing to report.</p>")
        return [*out, "</section>"]
    out.append(
        f"<p>Score <strong>{score_text(s)}</strong> (pass ÷ (pass + fail)); "
        f"{s.answered} of {s.total} items answered: {s.passed} pass, {s.failed} fail, "
        f"{s.na} not applicable, {s.unanswered} not answered.</p>"
    )
    previous = report.previous
    if previous is None:
        out.append(f"<p>{h(report.nothing_to_compare)}</p>")
    else:
        changes = report.changes or {}
        both = both_audited_words(report)
        out.append(
            f"<p>Against {h(report.compared_with)} ({h(previous.display_title)}, "
            f"{h(when(previous.started))}, session {h(previous.id)}): score "
            f"{score_text(report.previous_summary)} → {score_text(s)}"
            f"{points(report.previous_summary, s)}{h(both)}; {h(changes_words(changes))}"
            f"{h(checklist_changed_tail(report))}.</p>"
        )
        if report.checklist_changes:
            items = "".join(f"<li>{h(line)}</li>" for line in report.checklist_changes)
            out.append(f'<ul class="checklist-changes">{items}</ul>')
        out.append(
            '<p class="legend muted">Chart: <span class="bar-now" style="background:#234">'
            '</span>this session <span style="background:#aab"></span>previous session</p>'
        )
    out += [
        '<table class="sections">',
        "<thead><tr><th>Section</th>"
        '<th class="num">Pass</th><th class="num">Fail</th><th class="num">N/A</th>'
        '<th class="num">Not answered</th><th class="num">Score</th>'
        + ('<th class="num">Before</th><th class="num">Points</th>' if previous else "")
        + '<th style="width:16%">Chart</th></tr></thead>',
        "<tbody>",
    ]
    for row in [*report.sections, None]:
        if row is None:
            name, now, before = "<strong>All</strong>", s, all_row_before(report)
        else:
            name = f"{h(row.section_id)} {_section(report, row.section_id, row.title)}"
            now, before = row.summary, row.previous
        cells = [
            name,
            str(now.passed),
            str(now.failed),
            str(now.na),
            str(now.unanswered),
            score_text(now),
        ]
        if previous:
            cells += [score_text(before), moved(before, now)]
        out.append(
            "<tr><td>"
            + cells[0]
            + "</td>"
            + "".join(f'<td class="num">{cell}</td>' for cell in cells[1:])
            + f"<td>{score_bars(now, before if previous else None, 'score')}</td></tr>"
        )
    out += ["</tbody>", "</table>", "</section>"]
    return out


def _record_head(record: ItemRecord) -> str:
    clause = f" · clause {h(record.clause)}" if record.clause else ""
    return f"{h(record.item_id)}{clause}"


def _question(report: AuditReport, record: ItemRecord) -> str:
    """The question in the report's language, with the English the session recorded."""
    shown, english = report.prompt(record)
    if english:
        marked = _in_its_language(report, shown, english)
        return f'{marked}<br><span class="muted english" lang="en">{h(english)}</span>'
    return h(shown)


def _evidence(report: AuditReport, record: ItemRecord) -> str:
    """The names of the evidence files attached to the answer, and what became of a copy
    that is not as attached."""
    states = report.evidence_states or {}
    return ", ".join(
        f"{h(a.name)} ({h(size_text(a.size))}{h(_state(states.get(a.file, '')))})"
        for a in record.attachments
    )


def _evidence_rows(report: AuditReport, record: ItemRecord) -> list[tuple[str, str]]:
    """The item's evidence files: name, size, hash, and a thumbnail of each photo."""
    if not record.attachments:
        return []
    lines = []
    folder, checked = _sessions_dir(report), report.evidence_states
    for view in evidence_views(record.attachments, folder, checked=checked):
        a = view.attachment
        picture = ""
        if view.thumbnail:
            picture = f'<img class="thumb" src="{view.thumbnail}" alt="{h(a.name)}">'
        lines.append(
            f'<li>{picture}<span class="file">{h(a.name)}</span> ({h(size_text(a.size))})'
            f'{h(_state(view.state))}<br><code class="hash">SHA-256 {a.sha256}</code></li>'
        )
    return [("Evidence", f'<ul class="evidence">{"".join(lines)}</ul>')]


def _state(state: str) -> str:
    return f" — {STATE_WORDS[state]}" if state in STATE_WORDS else ""


def _sessions_dir(report: AuditReport) -> Path | None:
    """Where the session's evidence copies are (beside its file)."""
    return report.session.path.parent if report.session.path else None


def _finding(report: AuditReport, entry: FindingEntry) -> list[str]:
    record = entry.record
    grade = record.grade
    label = Grade(grade).label if grade else "Nonconformity (not graded)"
    classes = f"finding {grade or 'ungraded'}"
    rows = [
        ("Question", _question(report, record)),
        ("Note", h(record.note) or "<em>no note</em>"),
        ("Repeat", h(repeat_text(entry))),
        ("Came back", h(entry.action.recurrence) if entry.action else ""),
    ]
    rows = [(name, value) for name, value in rows if value]
    rows += _action_rows(entry.action)
    rows += _evidence_rows(report, record)
    return [
        f'<article class="{classes}">',
        f'<h3><span class="grade">{h(label)}</span> — {_record_head(record)}</h3>',
        "<dl>",
        *(f"<dt>{h(name)}</dt><dd>{value}</dd>" for name, value in rows),
        "</dl>",
        "</article>",
    ]


def _action_rows(action: CorrectiveAction | None) -> list[tuple[str, str]]:
    if action is None:
        return [("Corrective action", "<em>none recorded yet</em>")]
    rows = [("Finding", h(action.finding_id)), ("Action status", h(action.status_words()))]
    rows += [
        ("Owner", h(action.owner)),
        ("Due", h(action.due.isoformat()) if action.due else ""),
        ("Cause", h(action.cause)),
        ("Correction", h(action.correction)),
        ("Corrective action", h(action.action)),
        ("Closed by hand", h(action.closed_by_hand)),
        ("Closed because", h(action.closed_reason)),
    ]
    return [(name, value) for name, value in rows if value]


def _findings(report: AuditReport) -> list[str]:
    out = ['<section id="findings" class="part">', "<h2>Findings</h2>"]
    if not report.findings:
        out.append("<p>No item failed: there are no findings.</p>")
        return [*out, "</section>"]
    out.append(f"<p>{h(report.findings_sentence)}</p>")
    for entry in report.findings:
        out += _finding(report, entry)
    return [*out, "</section>"]


def _earlier(report: AuditReport) -> list[str]:
    """The findings of earlier audits this one verified (or did not look at)."""
    if report.earlier is None:
        return []
    out = ['<section id="earlier-findings">', f"<h2>{h(EARLIER_HEADING)}</h2>"]
    if not report.earlier:
        return [*out, f"<p>{h(NO_EARLIER)}</p>", "</section>"]
    out.append('<ul class="earlier">')
    for entry in report.earlier:
        action = f'<br><span class="text">{h(entry.action)}</span>' if entry.action else ""
        out.append(
            f"<li><strong>{h(entry.verdict_words)}</strong>: {h(entry.finding_id)}"
            f'{h(entry.grade_words)}<br><span class="text">{h(entry.where)}: '
            f"{_earlier_prompt(report, entry)}</span>{action}</li>"
        )
    return [*out, "</ul>", "</section>"]


def _earlier_prompt(report: AuditReport, entry: EarlierFinding) -> str:
    """An earlier finding's question, marked with the translation's language when it is
    the translation's (`sources.earlier_findings` gives it so where there is one), with
    the English beneath, as the findings of this audit have it."""
    if not entry.english:
        return h(entry.prompt)
    marked = _in_its_language(report, entry.prompt, entry.english)
    return f'{marked}<br><span class="muted english" lang="en">{h(entry.english)}</span>'


def _remarks(report: AuditReport) -> list[str]:
    out = ['<section id="observations">', "<h2>Observations and opportunities for improvement</h2>"]
    if not report.remarks:
        out.append(f"<p>{h(report.none_remarked)}</p>")
        return [*out, "</section>"]
    for record in report.remarks:
        label = Grade(record.grade or "observation").label
        out += [
            '<article class="finding remark">',
            f'<h3><span class="grade">{h(label)}</span> — {_record_head(record)}</h3>',
            "<dl>",
            f"<dt>Question</dt><dd>{_question(report, record)}</dd>",
            f"<dt>Result</dt><dd>{h(Result(record.result).label)}</dd>",
            f"<dt>Note</dt><dd>{h(record.note) or '<em>no note</em>'}</dd>",
            *(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in _evidence_rows(report, record)),
            "</dl>",
            "</article>",
        ]
    return [*out, "</section>"]


def _conclusion(report: AuditReport) -> list[str]:
    out = ['<section id="conclusion">', "<h2>Conclusion and sign-off</h2>"]
    if report.finished:
        conclusion = h(report.conclusion) or "<em>no conclusion written</em>"
        out.append(f'<p class="text">{conclusion}</p>')
    else:
        out.append(
            "<p><strong>This audit is not finished.</strong> The results above may still "
            "change; the conclusion and sign-off are written when the auditor finishes it.</p>"
        )
    for reopening in report.reopened:  # what came before, in the order it happened
        out.append(f'<p class="muted">{h(reopening.words)}</p>')
        if reopening.changed_since_sealed:
            out.append(
                "<p><strong>When it was reopened, its seal no longer matched: changed by "
                f"hand since it was sealed: {h(', '.join(reopening.changed_since_sealed))}"
                "</strong></p>"
            )
    # When it was finished, who signed and the seal stay on one printed page: the seal
    # was printed alone on the last page, and the signatures apart from the conclusion.
    out.append('<div class="signed">')
    if report.finished:
        out.append(f"<p>Finished {h(when(report.finished))}.</p>")
    signers = report.signed_by or ["Auditor", "Auditee"]
    out.append('<div class="sign">')
    out += [f"<div>{h(name)}</div>" for name in signers]
    out.append("</div>")
    if report.seal:
        broken = " <strong>does not match the results: changed since it was sealed</strong>"
        out.append(
            f'<p>Seal (SHA-256 over the results; <code>auditui verify</code> checks it): '
            f'<span class="seal">{h(report.seal)}</span>{broken if report.seal_broken else ""}</p>'
        )
    return [*out, "</div>", "</section>"]


def _appendix(report: AuditReport) -> list[str]:
    out = ['<section id="appendix" class="part">', "<h2>Appendix: every result</h2>"]
    if report.out_of_scope:
        out.append(f"<p>{not_listed(report.out_of_scope)}</p>")
    if not report.appendix:
        out.append("<p>No items.</p>")
    head = (
        '<thead><tr><th style="width:12%">Item</th><th>Question</th>'
        '<th style="width:12%">Result</th><th style="width:8%">Grade</th>'
        '<th style="width:30%">Note</th></tr></thead>'
    )
    for section_id, title, records in report.appendix:
        shown = _section(report, section_id, title)
        out += [f"<h3>{h(section_id)} {shown}</h3>", '<table class="results">', head, "<tbody>"]
        out += [_result_row(report, record) for record in records]
        out += ["</tbody>", "</table>"]
    return [*out, "</section>"]


def _result_row(report: AuditReport, record: ItemRecord) -> str:
    result = record.result
    # A result is a word or two, never broken inside a word ("Not answe|red").
    css_class = "result" + {"fail": " fail", "pass": " pass"}.get(result, "")
    clause = f'<br><span class="muted">{h(record.clause)}</span>' if record.clause else ""
    grade = ""
    if record.grade:  # short in the narrow column (the full name on hover and in Findings)
        spelled = Grade(record.grade)
        grade = f'<abbr title="{h(spelled.label)}">{h(spelled.abbrev)}</abbr>'
    evidence = ""
    if record.attachments:
        evidence = f'<br><span class="muted">Evidence: {_evidence(report, record)}</span>'
    return (
        f"<tr><td>{h(record.item_id)}{clause}</td><td>{_question(report, record)}</td>"
        f'<td class="{css_class}">{Result(result).label}</td><td>{grade}</td>'
        f'<td class="note">{h(record.note)}{evidence}</td></tr>'
    )
