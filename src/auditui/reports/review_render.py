"""The management-review pack laid out for people: HTML (one self-contained file, like the
audit report) and Markdown. The parts follow ISO 9001 9.3.2: the period, the audits held
and their scores, the findings (open ones majors and repeats first, by checklist; raised,
closed and overdue in the period), the trend of each checklist, and the open actions of
the previous management review. Every user string goes through `h` or `md`."""

from __future__ import annotations

import re

from auditui.findings import Finding
from auditui.reports.common import h, md, page, score_bars, when
from auditui.reports.review import ReviewPack, grade_counts
from auditui.session import ItemRecord, Session, Summary
from auditui.textwidth import in_number_order, plural, score_text
from auditui.trend import PointSession
from auditui.vocabulary import Grade, status_of

TITLE = "Management review: inputs from the audits"




def _no_audits(pack: ReviewPack) -> str:
    """What the pack says when no audit was held in its period: after a review just held,
    how to take the period before it (the pack is made before the review, for it)."""
    if pack.since_from == "management-review" and pack.for_review is None:
        return (
            "No audit was held in this period, which starts at the last management review. "
            "For the pack of that review: auditui review-pack --for-last-review (or "
            '"Management review pack for the last review" in the app).'
        )
    return "No audit was held in this period."


def _period(pack: ReviewPack) -> str:
    period = _since(pack)
    review = pack.for_review
    if review is None:
        return period
    return (
        f"for the management review {review.display_title} (session {review.id}, held "
        f"{when(review.started)}), as it stood before it: {period}"
    )


def _since(pack: ReviewPack) -> str:
    if pack.since_from == "--since":
        return f"since {when(pack.since.date()) if pack.since else ''}"
    if pack.since_from == "management-review" and pack.previous_review is not None:
        review = pack.previous_review
        return (
            f"since the last management review ({review.display_title}, session {review.id}, "
            f"held {when(pack.since)}, finished {when(review.finished)})"
        )
    if pack.for_review is not None:
        return "everything recorded (no management review was finished before it)"
    return "everything recorded (no management review has been finished yet)"




def _open_when(pack: ReviewPack) -> str:
    """"open now", or "open at the review" in the pack of a review held before."""
    return "open at the review" if pack.for_review is not None else "open now"


def _counts(pack: ReviewPack) -> str:
    """The pack in one sentence. The register's findings and the management reviews' own
    actions are counted apart, as the pack lists them (`findings` counts both)."""
    reviews, of_reviews = pack.review_actions_open, pack.review_actions_overdue
    apart = f" (and {plural(reviews, 'management review action')}, listed apart)" if reviews else ""
    which = f", {of_reviews} of them of management reviews" if of_reviews else ""
    return (
        f"{plural(len(pack.audits), 'audit')} held; findings: {len(pack.raised)} raised, "
        f"{len(pack.closed)} closed in the period; {len(pack.open)} {_open_when(pack)}{apart}; "
        f"{plural(len(pack.overdue), 'corrective action')} overdue{which}."
    )


def _grade(finding: Finding) -> str:
    return Grade(finding.grade).abbrev if finding.grade else "–"


def _audit_status(pack: ReviewPack, session: Session) -> str:
    """An audit's state in the pack: a seal that no longer holds is never "finished"."""
    if session.id in pack.seal_broken:
        return "SEAL BROKEN"  # changed since it was sealed: the command says so
    return "finished" if session.finished else "in progress"


def _status(finding: Finding, pack: ReviewPack) -> str:
    """The finding's status; an action marked done whose item failed again since is named
    (10.2.1 d: the review must see an action that did not work, not a plain "open")."""
    known = status_of(finding.status)
    text = known.short if known else finding.status
    if finding.not_effective_in is not None:
        # Closed since by a pass: the action that failed was an earlier one.
        text += ", an earlier action not effective" if finding.status == "closed" else (
            ", action not effective"
        )
    return text + (" OVERDUE" if finding.overdue(pack.today) else "")


NOTE_SHOWN = 200
"""The most of a finding's note the pack's tables give after its question."""


def _found(finding: Finding) -> str:
    """The question, then what the audit found (its latest fail's note, cut): top
    management read "Is every instrument on the register?" and not what was wrong."""
    record = finding.record
    return _with_note(record, "found") if record is not None else ""


def _with_note(record: ItemRecord, said: str) -> str:
    """`<question> — found: <note on one line, cut after NOTE_SHOWN>`, or the question
    alone when there is no note."""
    note = " ".join(record.note.split())
    if len(note) > NOTE_SHOWN:
        note = note[: NOTE_SHOWN - 1].rstrip() + "…"
    return f"{record.prompt} — {said}: {note}" if note else record.prompt


def _finding_cells(finding: Finding, pack: ReviewPack) -> list[str]:
    record = finding.record
    action = finding.action
    return [
        finding.checklist_title or finding.checklist_id,
        (record.clause if record is not None else None) or "",
        finding.item_id,
        _found(finding),
        _grade(finding),
        ", ".join(part for part in (
            f"{finding.streak}×" if finding.streak > 1 else "",
            "came back" if finding.follows is not None else "",  # closed before, failed again
        ) if part),
        _raised(finding),
        _status(finding, pack),
        (action.owner if action else None) or "",
        when(action.due) if action and action.due else "",
    ]


FINDING_HEADS = ("Checklist", "Clause", "Item", "Question — found", "Grade", "Repeat", "Raised",
                 "Status", "Owner", "Due")  # fmt: skip
FINDING_WIDTHS = (7, 9, None, 7, 7, 11, 12, 13, 12)
"""Column widths in percent (None: what is left), so the question gets the room."""
BRIEF_HEADS = ("Checklist", "Clause", "Item", "Grade", "Raised", "Status")
BRIEF_WIDTHS = (None, 12, 14, 10, 14, 14)


def _checklist_names(findings: list[Finding]) -> dict[str, str]:
    """Each checklist's name by its id: its title, followed by its id where another
    checklist has the same title (two were grouped as one, and their rows of one item id
    could not be told apart)."""
    titles = {f.checklist_id: f.checklist_title or f.checklist_id for f in findings}
    shared = {title for title in titles.values() if list(titles.values()).count(title) > 1}
    return {
        checklist_id: f"{title} ({checklist_id})" if title in shared else title
        for checklist_id, title in titles.items()
    }


def _by_checklist(findings: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """The findings by checklist (in the order the checklists first come), order kept."""
    names = _checklist_names(findings)
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.checklist_id, []).append(finding)
    return [(names[checklist_id], group) for checklist_id, group in groups.items()]


BY_CLAUSE = "Open findings by checklist and clause"
BY_CLAUSE_HEADS = ("Checklist", "Clause", "Open")


def _by_clause(pack: ReviewPack) -> list[list[str]]:
    """How many findings are open for each checklist and clause (where they cluster)."""
    counts: dict[tuple[str, str], int] = {}
    names = _checklist_names(pack.open)
    for finding in pack.open:
        clause = (finding.record.clause if finding.record is not None else None) or "–"
        place = (names[finding.checklist_id], clause)
        counts[place] = counts.get(place, 0) + 1
    ordered = sorted(counts, key=lambda place: (place[0], in_number_order(place[1])))
    return [[name, clause, str(counts[name, clause])] for name, clause in ordered]


def _raised(finding: Finding) -> str:
    """When the fail that raised it was recorded (else its session's start): an audit
    started before the period may fail an item in it, which is why it is in the period's
    list; every table of the pack gives the same date."""
    recorded = finding.first_recorded or finding.raised
    return when(recorded.date()) if recorded is not None else ""


def _brief_cells(finding: Finding, pack: ReviewPack) -> list[str]:
    cells = _finding_cells(finding, pack)
    return [cells[0], cells[1], cells[2], cells[4], cells[6], cells[7]]


# --- HTML --------------------------------------------------------------------------------


def render_review_html(pack: ReviewPack) -> str:
    body = [
        "<header>",
        '<p class="kind">Management review pack (ISO 9001, 9.3.2)</p>',
        f"<h1>{h(TITLE)}</h1>",
        f"<p>Period: {h(_period(pack))}. Made {h(when(pack.made))}.</p>",
        f"<p>{h(_counts(pack))}</p>",
        "</header>",
        *_audits_html(pack),
        *_findings_html(pack),
        *_improvements_html(pack),
        *_trends_html(pack),
        *_previous_html(pack),
    ]
    return page(TITLE, body)


DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _table(heads, rows: list[list[str]], numeric=(), widths=()) -> list[str]:
    def css(i: int) -> str:
        return ' class="num"' if i in numeric else ""

    def width(i: int) -> str:
        return f' style="width:{widths[i]}%"' if i < len(widths) and widths[i] else ""

    def cell_css(i: int, cell: str) -> str:  # a date is never broken at its hyphens
        return ' class="date"' if DATE.fullmatch(cell) else css(i)

    out = ["<table>", "<thead><tr>"]
    out += [f"<th{css(i)}{width(i)}>{h(x)}</th>" for i, x in enumerate(heads)]
    out += ["</tr></thead>", "<tbody>"]
    for row in rows:
        cells = "".join(f"<td{cell_css(i, cell)}>{h(cell)}</td>" for i, cell in enumerate(row))
        out.append(f"<tr>{cells}</tr>")
    return [*out, "</tbody>", "</table>"]


def _audits_html(pack: ReviewPack) -> list[str]:
    out = ['<section id="audits">', "<h2>Audits held</h2>"]
    if not pack.audits:
        return [*out, f"<p>{h(_no_audits(pack))}</p>", "</section>"]
    rows = []
    for session, summary in pack.audits:
        grades = grade_counts(session.scoped_records())
        rows.append([
            when(session.started.date()), session.display_title, session.auditee, session.auditor,
            f"{summary.answered}/{summary.total}", score_text(summary), str(summary.failed),
            str(grades["major"]), _audit_status(pack, session),
        ])  # fmt: skip
    heads = ("Date", "Audit", "Auditee", "Auditor", "Answered", "Score", "Fail", "Major", "Status")
    widths = (12, None, 16, 14, 9, 8, 6, 7, 10)  # a date is never broken: its room; names
    # are not broken inside (a Thai company's name, a person's) where there is room
    return [*out, *_table(heads, rows, numeric=(4, 5, 6, 7), widths=widths), "</section>"]


def _findings_html(pack: ReviewPack) -> list[str]:
    out = ['<section id="findings" class="part">', "<h2>Findings</h2>"]
    parts = [
        ("open", f"{_open_when(pack).capitalize()} (majors and repeats first)", pack.open, True),
        ("overdue", "Overdue corrective actions", pack.overdue, True),
        ("raised", "Raised in the period", pack.raised, False),
        ("closed", "Closed in the period", pack.closed, False),
    ]
    for key, heading, findings, full in parts:
        out.append(f'<h3 id="findings-{key}">{h(heading)}: {len(findings)}</h3>')
        if findings and full:
            for name, group in _by_checklist(findings):
                out.append(f"<h4>{h(name)}</h4>")
                rows = [_finding_cells(f, pack)[1:] for f in group]
                out += _table(FINDING_HEADS[1:], rows, widths=FINDING_WIDTHS)
        elif findings:
            rows = [_brief_cells(f, pack) for f in findings]
            out += _table(BRIEF_HEADS, rows, widths=BRIEF_WIDTHS)
    rows = _by_clause(pack)
    if rows:
        out.append(f'<h3 id="findings-by-clause">{BY_CLAUSE}</h3>')
        out += _table(BY_CLAUSE_HEADS, rows, numeric=(2,), widths=(None, 20, 12))
    return [*out, "</section>"]


IMPROVEMENTS = "Observations and opportunities for improvement from audits"
IMPROVEMENT_HEADS = ("Date", "Audit", "Clause", "Item", "Grade", "Question — noted")


def _improvement_rows(pack: ReviewPack) -> list[list[str]]:
    rows = []
    for session, record in pack.improvements:
        grade = Grade(record.grade).label if record.grade else ""
        rows.append([when(session.started.date()), session.display_title,
                     record.clause or "", record.item_id, grade,
                     _with_note(record, "noted")])  # fmt: skip
    return rows


def _improvements_html(pack: ReviewPack) -> list[str]:
    """9.3.2 f asks for opportunities for improvement: those audits noted on items that
    did not fail were in no pack."""
    out = ['<section id="improvements">', f"<h2>{IMPROVEMENTS}</h2>"]
    rows = _improvement_rows(pack)
    if not rows:
        return [*out, "<p>None noted in the period.</p>", "</section>"]
    widths = (12, 16, 8, 9, 12, None)
    return [*out, *_table(IMPROVEMENT_HEADS, rows, widths=widths), "</section>"]


def _trend_session(session: PointSession, before: PointSession | None) -> str:
    """The session's title, the sections it audited when not all of them, and its
    checklist version where it differs from the point before (the items compared changed
    there)."""
    word = "section" if len(session.scope) == 1 else "sections"
    scope = f" ({word} {', '.join(session.scope)})" if session.scope else ""
    version = ""
    if before is not None and session.checklist_version != before.checklist_version:
        version = f" · checklist version {session.checklist_version}"
    return f"{session.display_title}{scope}{version}"


def _trend_when(session: PointSession) -> str:
    """`2026-03-01 09:30`: two audits of one day told apart (their titles are often one)."""
    return f"{session.started:%Y-%m-%d %H:%M}"


def _answered(session: PointSession, summary: Summary) -> str:
    """`5/23, in progress`: a score of a few answers, or of an audit not finished, read as
    a collapse in the trend beside whole audits."""
    done = "" if session.finished is not None else ", in progress"
    return f"{summary.answered}/{summary.total}{done}"


def _trends_html(pack: ReviewPack) -> list[str]:
    out = ['<section id="trends" class="part">', "<h2>Trends per checklist</h2>"]
    if not pack.trends:
        return [*out, "<p>No sessions yet.</p>", "</section>"]
    for trend in pack.trends:
        out.append(f"<h3>{h(trend.title or trend.checklist_id)}</h3>")
        out += ["<table>", '<thead><tr><th style="width:17%">Date</th><th>Session</th>'
                '<th style="width:17%">Answered</th><th class="num">Score</th>'
                '<th style="width:26%">Chart</th></tr></thead>', "<tbody>"]  # fmt: skip
        before = None
        earlier: PointSession | None = None
        for point in trend.points:
            out.append(
                f"<tr><td>{h(_trend_when(point.session))}</td>"
                f"<td>{h(_trend_session(point.session, earlier))}</td>"
                f"<td>{h(_answered(point.session, point.summary))}</td>"
                f'<td class="num">{score_text(point.summary)}</td>'
                f"<td>{score_bars(point.summary, before, 'score')}</td></tr>"
            )
            before, earlier = point.summary, point.session
        out += ["</tbody>", "</table>"]
    return [*out, "</section>"]


def _previous_html(pack: ReviewPack) -> list[str]:
    out = ['<section id="previous-review">', "<h2>Actions from the previous management review</h2>"]
    review = pack.previous_review
    if review is None:
        none = "<p>No management review has been finished yet.</p>"
        return [*out, none, *_review_open_html(pack), "</section>"]
    out.append(
        f"<p>{h(review.display_title)}, finished {h(when(review.finished))} "
        f"(session {h(review.id)}): {plural(len(pack.previous_open), 'item')} failed.</p>"
    )
    rows = [_previous_row(pack, r) for r in pack.previous_open]
    if rows:
        out += _table(PREVIOUS_HEADS, rows, widths=(8, 9, None, 8, 17, 12, 12, 11))
    return [*out, *_review_open_html(pack), "</section>"]


REVIEW_OPEN = "Other actions of management reviews still open"


def _review_open_html(pack: ReviewPack) -> list[str]:
    if not pack.review_open:
        return []
    rows = [_finding_cells(f, pack)[1:] for f in pack.review_open]
    return [
        f'<h3 id="review-open">{REVIEW_OPEN}: {len(rows)}</h3>',
        *_table(FINDING_HEADS[1:], rows, widths=FINDING_WIDTHS),
    ]


PREVIOUS_HEADS = ("Clause", "Item", "Question", "Grade", "Note", "Status", "Owner", "Due")


def _previous_row(pack: ReviewPack, r: ItemRecord) -> list[str]:
    """A failed item of the previous review with where its action stands now."""
    grade = Grade(r.grade).abbrev if r.grade else ""  # as in the findings tables
    status, owner, due, overdue = pack.action_state(r)
    status += " OVERDUE" if overdue else ""
    return [r.clause or "", r.item_id, r.prompt, grade, r.note, status, owner,
            due.isoformat() if due else ""]  # fmt: skip


# --- Markdown ----------------------------------------------------------------------------


def _md_table(heads, rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(md(x) for x in heads) + " |", "|" + "---|" * len(heads)]
    out += ["| " + " | ".join(md(cell) for cell in row) + " |" for row in rows]
    return [*out, ""]


def render_review_markdown(pack: ReviewPack) -> str:
    out = [
        f"# {TITLE}",
        "",
        f"Period: {md(_period(pack))}. Made {when(pack.made)}.",
        "",
        md(_counts(pack)),
        "",
        "## Audits held",
        "",
    ]
    if pack.audits:
        rows = [
            [when(s.started.date()), s.display_title, s.auditee, s.auditor,
             f"{summary.answered}/{summary.total}", score_text(summary), str(summary.failed),
             str(grade_counts(s.scoped_records())["major"]),
             _audit_status(pack, s)]
            for s, summary in pack.audits
        ]  # fmt: skip
        heads = ("Date", "Audit", "Auditee", "Auditor", "Answered", "Score", "Fail", "Major",
                 "Status")  # fmt: skip
        out += _md_table(heads, rows)
    else:
        out += [md(_no_audits(pack)), ""]
    out += ["## Findings", ""]
    for heading, findings, full in (
        (f"{_open_when(pack).capitalize()} (majors and repeats first)", pack.open, True),
        ("Overdue corrective actions", pack.overdue, True),
        ("Raised in the period", pack.raised, False),
        ("Closed in the period", pack.closed, False),
    ):
        out += [f"### {heading}: {len(findings)}", ""]
        if findings and full:  # by checklist, as the HTML has it
            for name, group in _by_checklist(findings):
                rows = [_finding_cells(f, pack)[1:] for f in group]
                out += [f"#### {md(name)}", "", *_md_table(FINDING_HEADS[1:], rows)]
        elif findings:
            out += _md_table(BRIEF_HEADS, [_brief_cells(f, pack) for f in findings])
    rows = _by_clause(pack)
    if rows:
        out += [f"### {BY_CLAUSE}", "", *_md_table(BY_CLAUSE_HEADS, rows)]
    out += [f"## {IMPROVEMENTS}", ""]
    rows = _improvement_rows(pack)
    out += _md_table(IMPROVEMENT_HEADS, rows) if rows else ["None noted in the period.", ""]
    out += ["## Trends per checklist", ""]
    for trend in pack.trends:
        out += [f"### {md(trend.title or trend.checklist_id)}", ""]
        earlier = [None, *(p.session for p in trend.points)]
        rows = [
            [_trend_when(p.session), _trend_session(p.session, before),
             _answered(p.session, p.summary), score_text(p.summary)]
            for p, before in zip(trend.points, earlier, strict=False)
        ]  # fmt: skip
        out += _md_table(("Date", "Session", "Answered", "Score"), rows)
    if not pack.trends:
        out += ["No sessions yet.", ""]
    out += ["## Actions from the previous management review", ""]
    review = pack.previous_review
    if review is None:
        out += ["No management review has been finished yet.", ""]
    else:
        out += [
            f"{md(review.display_title)}, finished {when(review.finished)} (session "
            f"{md(review.id)}): {plural(len(pack.previous_open), 'item')} failed.",
            "",
        ]
        rows = [_previous_row(pack, r) for r in pack.previous_open]
        if rows:
            out += _md_table(PREVIOUS_HEADS, rows)
    if pack.review_open:
        rows = [_finding_cells(f, pack)[1:] for f in pack.review_open]
        out += [f"### {REVIEW_OPEN}: {len(rows)}", "", *_md_table(FINDING_HEADS[1:], rows)]
    return "\n".join(out).rstrip("\n") + "\n"
