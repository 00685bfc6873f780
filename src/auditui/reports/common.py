"""What every report shares: user text made safe for HTML and Markdown, and the HTML page.

Every string a person typed (names, notes, checklist text, conclusions) goes through
`h` (HTML) or `md` (Markdown) before it reaches a report: it shows as the text it is,
never as markup, a link or a script. The page is one self-contained file: inline CSS,
no script, nothing fetched from anywhere, UTF-8 declared, printable on A4.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from typing import TYPE_CHECKING

from auditui.textwidth import plural, points_moved, visible

if TYPE_CHECKING:
    from auditui.session import Summary


def h(text: object) -> str:
    """Text for HTML content or a quoted attribute value: shown literally."""
    return html.escape(visible(str(text)), quote=True)


_MD_ESCAPE = re.compile(r"\\(?=[!-/:-@\[-`{-~]|\n|$)|[`*\[<|]|[_~]|&(?=#?[0-9A-Za-z]+;)")
"""What Markdown may read as markup, where it may: a backslash before punctuation or at the
end, `*`, backticks, `|`; `[` only where a link can begin, `<` only where a tag or an
autolink can; `_` and `~` only where they can open or close emphasis or strikethrough; `&`
only where an entity can. `IMG_2231`, `Warehouse & dispatch`, `[bold]` and `gap < 5 mm`
stay as they are. (`>` and a link definition's `[` mean something only at the start of a
line: `md` and the line writers escape them there.)"""
_MD_LINK_END = re.compile(r"\](?=[(\[])")
"""A `]` that an inline link (`](`) or a reference (`][`) can follow."""


_MD_EMAIL = re.compile(
    r"<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>"
)
"""An email autolink (CommonMark 6.5), which may begin with a digit or a sign: `<1@1>`."""


def escape_markdown(text: str) -> str:
    """`text` with a backslash before each character Markdown would read as markup."""

    def one(match: re.Match[str]) -> str:
        char, at = match.group(0), match.start()
        before = text[at - 1] if at > 0 else " "
        after = text[at + 1] if at + 1 < len(text) else " "
        if char == "_" and before.isalnum() and after.isalnum():
            return char  # inside a word: never emphasis
        if char == "~" and "~" not in (before, after):
            return char  # one tilde strikes nothing through
        if char == "[" and not _MD_LINK_END.search(text, at):
            return char  # no `](` or `][` after it: a bracket, not a link
        if char == "<" and not (after.isalpha() or after in "/!?" or _MD_EMAIL.match(text, at)):
            return char  # `< 5 mm`, `<3`: no tag, comment or autolink (`<1@1>`) begins
        return "\\" + char

    return _MD_ESCAPE.sub(one, text)


_MD_LINE_START = re.compile(r"^(\s*\d*)((?<=\d)[.)]|(?<!\d)(?:[#>+=-]|\[(?=[^\]]*\]:)))")
"""What makes a line a heading, quote, list, rule or link definition (`[a]: url`)."""


def md(text: object) -> str:
    """Text for one Markdown line (a table cell, a list item): shown literally.

    Only what Markdown would read as markup is escaped, with a backslash (never an HTML
    entity, so the file reads as plain text too); line breaks become ` / `.
    """
    line = escape_markdown(visible(str(text))).replace("\t", " ")
    return " / ".join(part.strip() for part in line.split("\n")) if "\n" in line else line


def md_lines(text: str, prefix: str = "") -> list[str]:
    """Free text (a note, a conclusion) as Markdown lines that keep its line breaks, each
    literal also at its start (no heading, list, quote or rule), each after `prefix`."""
    lines = []
    for raw in visible(text).split("\n"):
        line = escape_markdown(raw)
        line = _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line)
        lines.append(f"{prefix}{line}  " if line.strip() else prefix.rstrip())
    if lines:
        lines[-1] = lines[-1].rstrip()
    return lines


def when(stamp: datetime | date | None) -> str:
    """A time as auditors write it: `2026-11-25 09:30 +07:00`, a date as `2026-11-25`."""
    if stamp is None:
        return ""
    if isinstance(stamp, datetime):
        zone = stamp.strftime("%z")
        zone = f" {zone[:3]}:{zone[3:]}" if zone else ""
        return f"{stamp:%Y-%m-%d %H:%M}{zone}"
    return stamp.isoformat()


def not_listed(out_of_scope: int) -> str:
    """The appendix's word on the items left out of it: `1 item outside the scope is not
    listed.` (both renderers say the same)."""
    verb = "is" if out_of_scope == 1 else "are"
    return f"{plural(out_of_scope, 'item')} outside the scope {verb} not listed."


def score_bars(now: Summary | None, before: Summary | None, label: str) -> str:
    """A small inline-SVG chart: the score now (dark) over the previous one (light)."""
    parts = [
        '<svg class="bars" viewBox="0 0 100 14" preserveAspectRatio="none" '
        f'role="img" aria-label="{h(label)}">',
        '<rect x="0" y="0" width="100" height="14" fill="#f3f3f3"/>',
    ]
    if before is not None and before.score is not None:
        parts.append(f'<rect class="bar-before" x="0" y="1" width="{before.score * 100:.1f}" '
                     'height="4"/>')  # fmt: skip
    if now is not None and now.score is not None:
        parts.append(f'<rect class="bar-now" x="0" y="6" width="{now.score * 100:.1f}" '
                     'height="7"/>')  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


CSS = """
*{box-sizing:border-box}
html{font-family:"Segoe UI","Noto Sans","Noto Sans Thai","DejaVu Sans",Arial,sans-serif;
font-size:10.5pt;line-height:1.4;color:#111;background:#fff}
body{margin:0 auto;max-width:60rem;padding:1.5rem}
h1{font-size:1.7em;margin:0 0 .2em}
h2{font-size:1.3em;margin:1.6em 0 .5em;border-bottom:2px solid #333;padding-bottom:.15em}
h3{font-size:1.08em;margin:1.2em 0 .4em}
p{margin:.4em 0}
.kind{color:#555;text-transform:uppercase;letter-spacing:.06em;font-size:.8em;margin:0}
table{border-collapse:collapse;width:100%;margin:.4em 0 .8em;table-layout:fixed}
th,td{border:1px solid #bbb;padding:.25em .4em;text-align:left;vertical-align:top;
overflow-wrap:break-word}
th{background:#eee;font-weight:600;font-size:.9em}
thead{display:table-header-group}
tr{break-inside:avoid;page-break-inside:avoid}
table.facts th{width:11rem;background:#f5f5f5}
td.num,th.num{text-align:right;width:4.8em}
td.num,td.date{white-space:nowrap}
td.result{overflow-wrap:normal;hyphens:none}
th{overflow-wrap:normal}
th.num{overflow-wrap:normal;word-break:normal;hyphens:auto}
.note,.text{white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word}
.muted{color:#666}
.fail{color:#a00;font-weight:600}
.pass{color:#060}
.grade{font-weight:600}
.finding.major .grade{color:#a00}
.finding.minor .grade{color:#a50}
.bars{display:block;width:100%;height:14px}
.bar-now{fill:#234}
.bar-before{fill:#aab}
.legend span{display:inline-block;width:1em;height:.7em;margin:0 .3em 0 1em}
.finding{border:1px solid #bbb;border-left:5px solid #a00;padding:.4em .7em;margin:.7em 0;
break-inside:avoid;page-break-inside:avoid}
.finding.minor{border-left-color:#d80}
.finding.ungraded{border-left-color:#b66;border-left-style:dashed}
.finding.remark,.finding.observation,.finding.ofi{border-left-color:#58a}
.finding h3{margin:.1em 0 .3em}
.finding dl{display:grid;grid-template-columns:9rem 1fr;gap:.15em .6em;margin:.3em 0}
.finding dt{color:#555}
.evidence{list-style:none;margin:0;padding:0;white-space:normal}
.evidence li{margin:.2em 0 .5em;break-inside:avoid}
.evidence .thumb{display:block;max-width:60%;max-height:12em;margin:.2em 0;border:1px solid #ccc}
.evidence .hash{font-size:.8em;color:#555;overflow-wrap:anywhere}
.finding dd{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
.signed,#conclusion{break-inside:avoid;page-break-inside:avoid}
.sign{display:grid;grid-template-columns:1fr 1fr;gap:2.5em 2em;margin-top:1.2em}
.sign div{border-top:1px solid #333;padding-top:.2em;min-height:3em}
.seal{font-family:"DejaVu Sans Mono",Consolas,monospace;font-size:.85em;overflow-wrap:anywhere}
.box{display:inline-block;width:1.05em;height:1.05em;border:1.5px solid #222;
vertical-align:-.3em;margin-right:.2em}
@page{size:A4;margin:14mm 12mm;
@bottom-right{content:counter(page) " / " counter(pages);font:8pt sans-serif;color:#555}}
@media print{
html{font-size:9.5pt}
body{max-width:none;padding:0}
table{width:calc(100% - 2px)}
.part{break-before:page;page-break-before:always}
h2,h3,h4{break-after:avoid;page-break-after:avoid}
th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.bars{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""
"""One stylesheet for every report: wraps long words, never cuts at the right edge,
repeats table headers on each printed page, numbers the pages ("3 / 12", in no language:
a page of a signed report missing is seen), and starts each part on a new A4 page. A
printed table is 2 px narrower than the page: at the full width Chromium cut its right
border off (the note column of the paper checklist printed without its edge)."""


def page(title: str, body: list[str], *, lang: str = "en", css: str = CSS) -> str:
    """A whole HTML document around `body` (already escaped parts)."""
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{h(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{h(title)}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
    ]
    return "\n".join([*head, *body, "</body>", "</html>", ""])


def moved(before: Summary | None, now: Summary) -> str:
    """A score's move in points against `before` (`+6.2`, `0.0`), `–` when there is none
    to tell (no earlier session, or nothing judged pass or fail)."""
    if before is None or before.score is None or now.score is None:
        return "–"
    return points_moved(before.score, now.score)


def points(before: Summary | None, now: Summary) -> str:
    """` (+6.2 points)` after a score, "" when there is no move to tell."""
    move = moved(before, now)
    return "" if move == "–" else f" ({move} points)"
