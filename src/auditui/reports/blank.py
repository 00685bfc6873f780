"""The blank checklist on paper (`auditui print`): for a walkthrough when there is no laptop.

One HTML file like the audit report (inline CSS, no script, nothing fetched), laid out
for A4: a header to fill in (auditor, auditee, date, place), then each section's
questions with their clause, three boxes (P / F / N/A), a grade to circle and room for a
note. Compact on purpose: the 192-item internal audit prints on 11 A4 pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditui.checklist import Checklist, Item
from auditui.reports.common import CSS, h, page
from auditui.reports.form_words import form_words
from auditui.session import check_scope

BLANK_CSS = CSS + """
html{font-size:9.5pt}
.conclusion-box{border:1px solid #333;min-height:9em;margin:.4em 0 1em}
.signed .sign{margin-top:3.5em}
.form{display:grid;grid-template-columns:1fr 1fr;gap:.3em 1.5em;margin:.6em 0 .8em}
.form div{border-bottom:1px solid #333;padding-top:1.1em;font-size:.85em;color:#444}
.how{font-size:.85em;color:#333;margin:.2em 0 .6em}
table.blank{margin-top:.2em}
table.blank td{padding:.3em .35em;height:3.2em}
td.id{width:12%;font-size:.85em}
td.marks{width:14%;white-space:nowrap;font-size:.8em}
td.marks span{margin-right:.35em}
td.write{width:31%}
.grades{display:block;color:#555;font-size:.78em;margin-top:.3em;white-space:normal}
.grades span{white-space:nowrap}
h2{margin:1em 0 .3em;font-size:1.1em;break-after:avoid;page-break-after:avoid}
@media print{html{font-size:8.5pt}}
"""


@dataclass(frozen=True, slots=True)
class BlankItem:
    item_id: str
    clause: str | None
    prompt: str
    english: str = ""
    """The English prompt, printed beneath a translated one."""


@dataclass(frozen=True, slots=True)
class BlankSection:
    section_id: str
    title: str
    items: list[BlankItem]


def blank_sections(
    checklist: Checklist, scope: list[str] | None = None, lang: str = ""
) -> list[BlankSection]:
    """The sections to print: all, or those named in `scope` (checklist order), in the
    language `lang` (the checklist's own tag for it; see `chosen_language`) where the
    checklist translates them, the English beneath."""
    scope = check_scope(checklist, scope or ())
    return [
        BlankSection(
            section.id,
            (section.title_in(lang) if lang else None) or section.title,
            [BlankItem(item.id, item.clause, *_prompt(item, lang)) for item in section.items],
        )
        for section in checklist.sections
        if not scope or section.id in scope
    ]


def _prompt(item: Item, lang: str) -> tuple[str, str]:
    """(the question in `lang`, the English beneath it), or (the English, "")."""
    text = item.text_in(lang) if lang else None
    return (text[0], item.prompt) if text is not None else (item.prompt, "")


def render_blank(
    checklist: Checklist, sections: list[BlankSection], *, lang: str = "", title: str = ""
) -> str:
    words = form_words(lang)
    total = sum(len(section.items) for section in sections)
    name = title or (checklist.title_in(lang) if lang else None) or checklist.title
    about = [f"{words.version} {h(checklist.version)}"]
    if checklist.standard:
        about.insert(0, h(checklist.standard))
    about.append(h(checklist.id))
    if len(sections) < len(checklist.sections):
        shown = ", ".join(h(section.section_id) for section in sections)
        about.append(f"{words.scope}: {shown}")
    about.append(f"{total} {words.questions}")
    body = [
        "<header>",
        f'<p class="kind">{h(words.kind)}</p>',
        f'<h1 dir="auto">{h(name)}</h1>',
        f'<p class="muted">{" · ".join(about)}</p>',
        '<div class="form">',
        *(f"<div>{h(label)}</div>" for label in words.header),
        "</div>",
        f'<p class="how">{words.how}</p>',  # the form's own HTML, never user text
        "</header>",
    ]
    columns = [h(column) for column in words.columns]
    head = (
        f'<thead><tr><th style="width:12%">{columns[0]}</th><th>{columns[1]}</th>'
        f'<th style="width:14%">{columns[2]}</th><th style="width:31%">{columns[3]}</th>'
        "</tr></thead>"
    )
    # Each grade whole on its line: ข้อสังเกต (observation) broke inside, ข้อ | สังเกต.
    grades = " · ".join(f"<span>{h(word)}</span>" for word in words.grades.split(" · "))
    marks = (
        '<td class="marks"><span><i class="box"></i>P</span><span><i class="box"></i>F</span>'
        '<span><i class="box"></i>N/A</span>'
        f'<span class="grades">{grades}</span></td>'
    )
    for section in sections:
        body += [
            f'<h2>{h(section.section_id)} <span dir="auto">{h(section.title)}</span></h2>',
            '<table class="blank">',
            head,
            "<tbody>",
        ]
        for item in section.items:
            clause = f'<br><span class="muted">{h(item.clause)}</span>' if item.clause else ""
            english = ""
            if item.english:
                english = f'<br><span class="muted" lang="en" dir="ltr">{h(item.english)}</span>'
            body.append(
                f'<tr><td class="id">{h(item.item_id)}{clause}</td>'
                f'<td><span dir="auto">{h(item.prompt)}</span>{english}</td>{marks}'
                '<td class="write"></td></tr>'
            )
        body += ["</tbody>", "</table>"]
    # The paper ends as a report does: the conclusion, then who signs (kept together).
    conclusion, auditor, auditee = (h(word) for word in words.closing)
    body += [
        '<section class="signed">',
        f"<h3>{conclusion}</h3>",  # not a section of the checklist (those are h2)
        '<div class="conclusion-box"></div>',
        f'<div class="sign"><div>{auditor}</div><div>{auditee}</div></div>',
        "</section>",
    ]
    return page(f"{words.page_title}: {name}", body, lang=lang or "en", css=BLANK_CSS)
