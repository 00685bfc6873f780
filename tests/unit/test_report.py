"""`auditui report SESSION`: the audit report people send, as one self-contained HTML file
or as Markdown, holding what ISO 19011 (6.5.1) lists, with every user string shown as text.

The HTML is read back with a real parser; the Markdown is rendered with a real Markdown
parser (markdown-it, as GitHub-like viewers do) and that HTML is checked too.
"""

from __future__ import annotations

import re
import tomllib
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from history_helpers import at, make_session, write_session
from html_helpers import Page, assert_self_contained
from markdown_it import MarkdownIt

from auditui.reports.audit import CorrectiveAction, build_report
from auditui.reports.html import render_html
from auditui.reports.markdown import render_markdown

HOSTILE = [
    "<script>alert('note')</script>",
    "</style><b>bold?</b>",
    '<img src=x onerror="alert(1)">',
    "[click me](javascript:alert(1)) <a href=\"javascript:alert(2)\">link</a>",
    "&lt;already escaped&gt; &amp; &#60;",
    "# not a heading\n- not a list\n1. not numbered\n> not a quote",
    "*not emphasis* _nor this_ `not code` | pipe ~~strike~~ \\ backslash",
    "องค์กรยังไม่ได้ทบทวนความเสี่ยง · Chưa có biên bản · 还没有记录 👍🏽",
    "escape \x1b[31m red \u202e reversed",
]


def _history(folder: Path) -> None:
    """Two sessions of `demo`: the older passed 1.1-a and failed 2.1-a."""
    write_session(
        folder,
        make_session(
            "old",
            [("1.1-a", "pass"), ("1.2-a", "pass"), ("2.1-a", "fail", "", "minor"), ("2.2-a", "na")],
            started=at(1),
        ),
    )
    session = make_session(
        "new",
        [
            ("1.1-a", "fail", HOSTILE[0], "major"),
            ("1.2-a", "pass", HOSTILE[3], "ofi"),
            ("2.1-a", "pass", HOSTILE[2]),
            ("2.2-a", "fail", HOSTILE[1]),
            ("2.3-a", "unanswered"),
        ],
        started=at(10),
    )
    session.title = "Q4 <script>audit</script>"
    session.auditor = "Mai </style><script>x()</script>"
    session.auditee = '<img src=x onerror="alert(1)">'
    write_session(folder, session)


def report(run_cli, tmp_path: Path, *argv: str) -> str:
    code, out, err = run_cli("report", *argv, "--sessions-dir", tmp_path / "sessions")
    assert (code, err) == (0, ""), err
    return out


def test_html_report_is_self_contained_and_holds_every_part(run_cli, tmp_path) -> None:
    _history(tmp_path / "sessions")
    source = report(run_cli, tmp_path, "new")
    page = assert_self_contained(source)
    for part in ("summary", "findings", "observations", "conclusion", "appendix"):
        page.by_id(part)
    assert page.all("title")[0].content == "Audit report: Q4 <script>audit</script>"
    details = page.all("header")[0].content
    for fact in ("Demo audit", "2026.1", "Mai </style><script>x()</script>", "2026-01-10 09:30"):
        assert fact in details
    assert '<img src=x onerror="alert(1)">' in details  # the auditee, as text

    summary = page.by_id("summary").content
    assert "first session" not in summary
    assert "Against the previous session" in summary and "old" in summary
    assert "): score 66.7% → 50.0%" in summary  # the same scope: the scores as they are
    assert "1 improved (fail → pass), 1 regressed (pass → fail)" in summary
    assert "Score 50.0%" in summary  # 2 pass, 2 fail
    assert page.all("svg"), "the chart"

    findings = page.by_id("findings").content
    assert findings.index("Major nonconformity") < findings.index("Nonconformity (not graded)")
    assert "<script>alert('note')</script>" in findings
    assert "Question 1.1-a?" in findings and "clause 1.1" in findings
    assert "Findingnew/1.1-a" in findings  # its id in the findings register
    assert "Action statusOpen: action not started" in findings
    assert "Question 2.1-a?" not in findings  # passed now
    observations = page.by_id("observations").content
    assert "Opportunity for improvement" in observations and HOSTILE[3] in observations

    conclusion = page.by_id("conclusion").content
    assert "not finished" in conclusion

    appendix = page.by_id("appendix")
    rows = [tr for tr in page.all("tr") if tr in _inside(page, appendix, "tr")]
    assert len(rows) == 5 + 2  # five items and one header row per section
    assert "Not answered" in appendix.content


def _inside(page: Page, outer, tag: str):
    start = page.elements.index(outer)
    found = []
    for element in page.elements[start + 1 :]:
        if element.tag == "section":
            break
        if element.tag == tag:
            found.append(element)
    return found


@pytest.mark.parametrize("note", HOSTILE)
def test_every_hostile_note_shows_as_text_in_html(note, tmp_path) -> None:
    session = make_session("s", [("1.1-a", "fail", note, "minor"), ("1.2-a", "pass", note, "ofi")])
    session.auditor = session.auditee = session.title = note
    session.records[0].prompt = note
    source = render_html(build_report(session))
    page = assert_self_contained(source)
    expected = note.replace("\r\n", "\n").replace("\x1b", "␛").replace("\u202e", "\ufffd")
    assert page.text.count(expected) >= 5  # title, auditor, auditee, prompt, notes
    assert [s.content for s in page.all("style")] == [page.all("style")[0].content]
    assert "alert" not in page.all("style")[0].content


def test_markdown_report_reads_as_plain_text_and_renders_as_text(run_cli, tmp_path) -> None:
    _history(tmp_path / "sessions")
    text = report(run_cli, tmp_path, "new", "--format", "markdown")
    assert report(run_cli, tmp_path, "new", "--format", "md") == text  # the ending people know
    assert "&lt;" not in text and "&amp;" not in text and "&#" not in text
    assert text.startswith("# Audit report: Q4 \\<script>audit\\</script>\n")
    for heading in (
        "## Summary",
        "## Findings",
        "## Observations and opportunities for improvement",
        "## Conclusion and sign-off",
        "## Appendix: every result",
    ):
        assert f"\n{heading}\n" in text
    assert "| 1 Section 1 | 1 | 1 | 0 | 0 | 50.0% | 100.0% | -50.0 |" in text
    # Not finished: lines to sign on paper, as the HTML has (docs/reports.md).
    sign_off = text[text.index("## Conclusion and sign-off"):text.index("## Appendix")]
    assert "- Auditor: ___" in sign_off and "- Auditee: ___" in sign_off
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    page = Page(rendered)
    assert page.errors == []
    for tag in ("script", "img", "a", "style", "em", "code"):
        assert page.all(tag) == [], tag
    assert "<script>alert('note')</script>" in page.text
    assert '<img src=x onerror="alert(1)">' in page.text
    assert HOSTILE[3] in page.text


@pytest.mark.parametrize("note", HOSTILE)
def test_every_hostile_note_shows_as_text_in_markdown(note) -> None:
    session = make_session("s", [("1.1-a", "fail", note, "minor"), ("1.2-a", "pass", note, "ofi")])
    session.auditor = session.title = note
    text = render_markdown(build_report(session))
    assert text.count("&") == text.count("\\&")  # the user's own, each escaped
    page = Page(MarkdownIt("commonmark").enable("table").render(text))
    for tag in ("script", "img", "a", "style", "code", "h1"):
        assert len(page.all(tag)) == (1 if tag == "h1" else 0), tag
    assert len(page.all("h2")) == 5
    shown = note.replace("\x1b", "␛").replace("\u202e", "\ufffd")
    for line in shown.split("\n"):
        assert line.strip() in page.text


def test_no_previous_session_and_an_empty_session_still_report(tmp_path) -> None:
    session = make_session("only", [("1.1-a", "unanswered"), ("2.1-a", "unanswered")])
    report_ = build_report(session)
    page = assert_self_contained(render_html(report_))
    summary = page.by_id("summary").content
    assert "first session of this checklist" in summary
    assert "0 of 2 items answered" in summary and "Score –" in summary
    assert "no findings" in page.by_id("findings").content
    text = render_markdown(report_)
    assert "first session of this checklist" in text and "Score **–**" in text

    nothing = make_session("none", [])
    page = assert_self_contained(render_html(build_report(nothing)))
    assert "no items in its scope" in page.by_id("summary").content
    assert "nothing to report" in render_markdown(build_report(nothing))


def test_finished_session_shows_conclusion_sign_off_and_seal() -> None:
    session = make_session("done", [("1.1-a", "pass"), ("1.2-a", "fail", "gap", "minor")])
    session.set_scope(["1"])
    session.finished = at(2)
    session.conclusion = "Effective, with one <minor> gap.\nFollow up in Q1."
    session.signed_by = ("Mai (auditor)", "Anan <production>")
    session.seal = "sha256:" + "ab" * 32
    session.reopened = [{"at": at(1, 10), "reason": "typo in <note>"}]
    report_ = build_report(session)
    page = assert_self_contained(render_html(report_))
    conclusion = page.by_id("conclusion").content
    assert "Effective, with one <minor> gap.\nFollow up in Q1." in conclusion
    assert "Mai (auditor)" in conclusion and "Anan <production>" in conclusion
    assert "sha256:" + "ab" * 32 in conclusion
    assert "not finished" not in conclusion
    assert "Reopened 2026-01-01 10:30 +07:00: typo in <note>" in conclusion
    # Printed, the seal was alone on the last page, the signatures apart from the
    # conclusion: the section, and when it was finished, the names and the seal in it, are
    # each one block a page break does not cut.
    source = render_html(report_)
    start = source.index('<div class="signed">')
    signed = source[start : source.index("</section>", start)]
    assert "Finished 2026-01-02" in signed and 'class="sign"' in signed and "sha256:" in signed
    assert ".signed,#conclusion{break-inside:avoid;" in page.all("style")[0].content
    text = render_markdown(report_)
    assert "Effective, with one \\<minor> gap.  \nFollow up in Q1." in text
    assert "- Anan \\<production>" in text
    # Finished, signed, reopened, finished again: the history in the order it happened,
    # the first finish and its signers too (they were nowhere, the last finish first).
    session.reopened = [{"at": at(1, 10), "reason": "add the missing record",
                         "finished": at(1, 9), "signed_by": ["Mai (auditor)"]}]  # fmt: skip
    for text in (page_text(render_html(build_report(session))),
                 render_markdown(build_report(session))):  # fmt: skip
        first = text.index("Finished 2026-01-01 09:30 +07:00 and signed by Mai (auditor); "
                           "reopened 2026-01-01 10:30 +07:00: add the missing record")  # fmt: skip
        assert first < text.index("Finished 2026-01-02 09:30 +07:00.")


def page_text(source: str) -> str:
    return assert_self_contained(source).by_id("conclusion").content


def test_observations_on_failed_items_are_not_denied_by_the_observations_part() -> None:
    """A fail graded OFI is a finding; the observations part (items that did not fail)
    said "None recorded." beside it, as if there were no OFI at all."""
    session = make_session("ofi", [("1.1-a", "fail", "labels faded", "ofi"), ("1.2-a", "pass")])
    report_ = build_report(session)
    page = Page(render_html(report_))
    assert "Opportunity for improvement" in page.by_id("findings").content
    said = page.by_id("observations").content
    assert "None recorded" not in said
    assert "None on items that did not fail; one failed item graded so is under Findings" in said
    assert "one failed item graded so is under Findings above." in render_markdown(report_)
    plain = make_session("plain", [("1.1-a", "fail", "gap", "minor"), ("1.2-a", "pass")])
    assert "None recorded." in Page(render_html(build_report(plain))).by_id("observations").content


def test_scope_leaves_other_sections_out_of_counts_findings_and_appendix() -> None:
    session = make_session("scoped", [("1.1-a", "fail"), ("2.1-a", "fail"), ("2.2-a", "pass")])
    session.set_scope(["2"])
    report_ = build_report(session)
    assert (report_.summary.total, report_.summary.failed) == (2, 1)
    assert [entry.record.item_id for entry in report_.findings] == ["2.1-a"]
    assert report_.out_of_scope == 1
    page = Page(render_html(report_))
    assert "Question 1.1-a?" not in page.text
    appendix = page.by_id("appendix").content
    assert "1 item outside the scope is not listed" in " ".join(appendix.split())
    assert "(1 item out of scope)" in " ".join(page.text.split())
    markdown = render_markdown(report_)
    assert "(1 item out of scope)" in markdown
    assert "1 item outside the scope is not listed." in markdown


def test_corrective_actions_from_the_register_are_shown() -> None:
    session = make_session("s", [("1.1-a", "fail", "", "major")])
    action = CorrectiveAction(
        status="action",
        owner="Anan <QA>",
        due=at(20).date(),
        cause="No <training> plan",
        action="Train\nevery shift",
        overdue=True,
    )
    report_ = build_report(session, actions={"1.1-a": action})
    findings = Page(render_html(report_)).by_id("findings").content
    for text in ("Action under way — OVERDUE", "Anan <QA>", "2026-01-20", "No <training> plan",
                 "Train\nevery shift"):  # fmt: skip
        assert text in findings
    text = render_markdown(report_)
    assert "- Owner: Anan \\<QA>" in text and "**OVERDUE**" in text


def test_a_5000_item_session_reports_every_item(tmp_path) -> None:
    items = [(f"{n // 100}.{n}", ("pass", "fail", "na", "unanswered")[n % 4]) for n in range(5000)]
    session = make_session("big", items)
    previous = make_session("before", items[:4000], started=at(1) - timedelta(days=30))
    report_ = build_report(session, previous)
    page = assert_self_contained(render_html(report_))
    assert len(_inside(page, page.by_id("appendix"), "tr")) == 5000 + 50  # a head per section
    assert len(_inside(page, page.by_id("summary"), "tr")) == 1 + 50 + 1  # head, sections, all
    assert report_.changes is not None and report_.changes["added"] == 1000
    appendix = render_markdown(report_).split("## Appendix: every result")[1]
    assert appendix.count("\n- **") == 5000


def test_report_command_writes_a_file_and_refuses_bad_input(run_cli, tmp_path) -> None:
    _history(tmp_path / "sessions")
    out = tmp_path / "out" / "report.html"
    out.parent.mkdir()
    assert report(run_cli, tmp_path, "new", "-o", str(out)) == ""
    assert_self_contained(out.read_text(encoding="utf-8"))
    code, _, err = run_cli("report", "nope", "--sessions-dir", tmp_path / "sessions")
    assert code == 1 and "no session 'nope'" in err and err[-1] == "\n" and err.count("\n") == 1
    code, _, err = run_cli("report", "new", "--format", "pdf")
    assert code == 2


def test_the_register_s_corrective_action_and_streak_reach_the_report(run_cli, tmp_path) -> None:
    folder = tmp_path / "sessions"
    write_session(folder, make_session("a", [("1.1-a", "fail"), ("1.2-a", "fail")], started=at(1)))
    write_session(folder, make_session("b", [("1.1-a", "fail"), ("1.2-a", "pass")], started=at(5)))
    write_session(folder, make_session("c", [("1.1-a", "fail", "", "major")], started=at(9)))
    code, _, err = run_cli(
        "finding", "a/1.1-a", "--owner", "Anan <QA>", "--due", "2026-01-07",
        "--cause", "No </style> plan", "--action", "Train every shift", "--status", "action",
        "--sessions-dir", folder,
    )  # fmt: skip
    assert code == 0, err
    findings = Page(report(run_cli, tmp_path, "c")).by_id("findings").content
    assert "Findinga/1.1-a" in findings
    repeats = "The item failed in 3 sessions in a row; this finding was raised in session a."
    assert repeats in findings
    for text in ("Action under way — OVERDUE", "OwnerAnan <QA>", "Due2026-01-07",
                 "CauseNo </style> plan", "Corrective actionTrain every shift"):  # fmt: skip
        assert text in findings
    # The report of the older session shows the same finding; session b's own. Each
    # says the repeats as that audit saw them, not the fails that came after it.
    older = Page(report(run_cli, tmp_path, "a")).by_id("findings").content
    assert "Findinga/1.1-a" in older and "in a row" not in older
    middle = Page(report(run_cli, tmp_path, "b")).by_id("findings").content
    assert "The item failed in 2 sessions in a row; this finding was raised in session a." in middle
    text = report(run_cli, tmp_path, "c", "--format", "markdown")
    assert "- Finding: a/1.1-a" in text and "- Owner: Anan \\<QA>" in text


TRANSLATED = """\
[checklist]
id = "demo"
title = "Demo audit"
kind = "internal-audit"
version = "2026.1"

[checklist.translations.vi]
title = "Đánh giá <thử>"

[[sections]]
id = "1"
title = "Section 1"

[sections.translations.vi]
title = "Phần một"

[[sections.items]]
id = "1.1-a"
prompt = "Question 1.1-a?"
clause = "1.1"

[sections.items.translations.vi]
prompt = "Câu hỏi <1.1-a>?"

[[sections.items]]
id = "1.2-a"
prompt = "Question 1.2-a?"
"""


def test_a_session_shown_in_a_translation_reports_in_that_language(run_cli, tmp_path) -> None:
    (tmp_path / "checklists").mkdir()
    (tmp_path / "checklists" / "demo.toml").write_text(TRANSLATED, encoding="utf-8")
    session = make_session("vi", [("1.1-a", "fail", "Thiếu hồ sơ"), ("1.2-a", "pass")])
    session.language = "vi"
    write_session(tmp_path / "sessions", session)
    where = ["--checklists-dir", tmp_path / "checklists"]
    page = assert_self_contained(report(run_cli, tmp_path, "vi", *where))
    # The report's own words are English: the page says so, and marks each piece of the
    # translation with its language (it said "vi" of the whole page).
    assert page.all("html")[0].attrs["lang"] == "en"
    assert page.all("h1")[0].content == "Đánh giá <thử>"
    marked = [e.content for e in page.all("span") if e.attrs.get("lang") == "vi"]
    assert "Đánh giá <thử>" in marked and "Câu hỏi <1.1-a>?" in marked
    assert "Phần một" in marked
    findings = page.by_id("findings").content
    assert "QuestionCâu hỏi <1.1-a>?Question 1.1-a?" in findings  # the English beneath
    appendix = page.by_id("appendix").content
    assert "1 Phần một" in appendix and "Question 1.2-a?" in appendix  # no translation: English
    assert "LanguageTiếng Việt (Vietnamese)" in page.all("header")[0].content
    # The checklist's title too, in the details, with its English (it read English only).
    assert "ChecklistĐánh giá <thử> — Demo audit, version" in page.all("header")[0].content
    text = report(run_cli, tmp_path, "vi", *where, "--format", "markdown")
    assert "- **Checklist:** Đánh giá \\<thử> — Demo audit, version" in text
    assert "- Question: Câu hỏi <1.1-a>?\n- In English: Question 1.1-a?" in text
    assert "### 1 Phần một" in text
    # A follow-up in Vietnamese: the earlier finding's question is marked so too.
    later = make_session("vi-2", [("1.1-a", "na")], started=at(5))
    later.language = "vi"
    write_session(tmp_path / "sessions", later)
    page = assert_self_contained(report(run_cli, tmp_path, "vi-2", *where))
    earlier = page.by_id("earlier-findings")
    marked = [e.content for e in _inside(page, earlier, "span") if e.attrs.get("lang") == "vi"]
    assert marked == ["Câu hỏi <1.1-a>?"]
    english = [e.content for e in _inside(page, earlier, "span") if e.attrs.get("lang") == "en"]
    assert english == ["Question 1.1-a?"]  # beneath, as this audit's findings have it
    text = report(run_cli, tmp_path, "vi-2", *where, "--format", "markdown")
    assert "Câu hỏi <1.1-a>? (Question 1.1-a?)" in text


def test_report_lang_gives_the_report_in_a_translation_or_in_english(
    run_cli, tmp_path
) -> None:
    """The auditor walked in English; the director reads Vietnamese (`--lang vi`). A
    session walked in Vietnamese goes to a certification body in English (`--lang en`)."""
    (tmp_path / "checklists").mkdir()
    (tmp_path / "checklists" / "demo.toml").write_text(TRANSLATED, encoding="utf-8")
    write_session(tmp_path / "sessions", make_session("en", [("1.1-a", "fail", "No record")]))
    walked_vi = make_session("vi", [("1.1-a", "fail", "Thiếu hồ sơ")], started=at(5))
    walked_vi.language = "vi"
    write_session(tmp_path / "sessions", walked_vi)
    where = ["--checklists-dir", tmp_path / "checklists"]
    page = assert_self_contained(report(run_cli, tmp_path, "en", *where, "--lang", "VI-vn"))
    findings = page.by_id("findings").content
    assert "QuestionCâu hỏi <1.1-a>?Question 1.1-a?" in findings  # the English beneath
    assert "LanguageTiếng Việt (Vietnamese)" in page.all("header")[0].content
    assert "Câu hỏi <1.1-a>?" not in report(run_cli, tmp_path, "en", *where)  # as walked
    for english in ("en", "en-GB"):
        text = report(run_cli, tmp_path, "vi", *where, "--lang", english, "--format", "markdown")
        assert "Câu hỏi" not in text and "Phần một" not in text and "Language" not in text
        assert "Question 1.1-a?" in text and "Thiếu hồ sơ" in text  # the auditor's note stays
    # A language the checklist lacks, and a checklist no longer here: one line, exit 1.
    code, out, err = run_cli("report", "en", *where, "--lang", "fr",
                             "--sessions-dir", tmp_path / "sessions")  # fmt: skip
    assert (code, out) == (1, "") and err.count("\n") == 1
    assert "no translation into 'fr' (its languages: vi)" in err
    (tmp_path / "checklists" / "demo.toml").unlink()
    code, out, err = run_cli("report", "en", *where, "--lang", "vi",
                             "--sessions-dir", tmp_path / "sessions")  # fmt: skip
    assert (code, out) == (1, "") and err.count("\n") == 1 and "--lang vi" in err, err
    assert "demo" in err
    assert "Question 1.1-a?" in report(run_cli, tmp_path, "en", *where, "--lang", "en")


def test_the_report_says_when_it_was_made(run_cli, tmp_path) -> None:
    """The report of a sealed audit changes after it (its corrective actions, later audits
    closing its findings): two printouts are told apart by when each was made."""
    from datetime import datetime

    _history(tmp_path / "sessions")
    before = datetime.now().astimezone().strftime("%Y-%m-%d")
    page = assert_self_contained(report(run_cli, tmp_path, "new"))
    text = report(run_cli, tmp_path, "new", "--format", "markdown")
    days = {before, datetime.now().astimezone().strftime("%Y-%m-%d")}  # around midnight
    head = page.all("header")[0].content
    assert any(f"Report made{day} " in head for day in days)
    assert "corrective actions as they stood then" in head
    assert any(f"- **Report made:** {day} " in text for day in days)
    clean = build_report(make_session("clean", [("1.1-a", "pass")]))
    assert "Report made" in render_markdown(clean) and "as they stood" not in clean.made_text


def test_a_result_is_never_broken_inside_a_word() -> None:
    """At 1200 px the appendix's result column broke "Not answered" as "Not answe|red":
    each result cell is a `result` cell that wraps only between words, in a column wide
    enough for "answered"."""
    session = make_session("s", [("1.1-a", "fail"), ("1.2-a", "unanswered")])
    source = render_html(build_report(session))
    page = Page(source)
    cells = [e for e in page.all("td") if "result" in (e.attrs.get("class") or "").split()]
    assert [cell.content for cell in cells] == ["Fail", "Not answered"]
    assert "td.result{overflow-wrap:normal;hyphens:none}" in source
    assert '<th style="width:12%">Result</th>' in source


def test_the_report_compares_with_the_last_session_that_audited_its_sections(
    run_cli, tmp_path
) -> None:
    """An audit of section 1 came between: the report of an audit of section 2 compared
    with it (0.0% → 0.0%, nothing in common) instead of the last audit of section 2."""
    folder = tmp_path / "sessions"
    write_session(folder, make_session("full", [
        ("1.1-a", "fail"), ("2.1-a", "pass"), ("2.2-a", "fail"),
    ], started=at(1)))  # fmt: skip
    other = make_session("other", [("1.1-a", "pass"), ("2.1-a", "unanswered"),
                                   ("2.2-a", "unanswered")], started=at(5))  # fmt: skip
    other.set_scope(["1"])
    write_session(folder, other)
    new = make_session("new", [("1.1-a", "unanswered"), ("2.1-a", "pass"), ("2.2-a", "pass")],
                       started=at(9))  # fmt: skip
    new.set_scope(["2"])
    write_session(folder, new)
    for kind in ("markdown", "html"):
        text = report(run_cli, tmp_path, "new", "--format", kind)
        assert "session full)" in text and "session other" not in text
        assert "in the sections both audited (2): 50.0% → 100.0% (+50.0 points)" in text
        # Said so: "the previous session" named one that was not.
        assert "Against the last earlier session that audited any of these sections (" in text
    # An audit of section 2 after only one of section 1: not "the first session".
    folder2 = tmp_path / "second" / "sessions"
    write_session(folder2, other)
    write_session(folder2, new)
    code, out, err = run_cli("report", "new", "--format", "markdown", "--sessions-dir", folder2)
    assert code == 0, err
    assert ("No earlier session of this checklist audited these sections (the last, other, "
            "audited others): nothing to compare with.") in out  # fmt: skip
    assert "first session" not in out
    code, out, err = run_cli("compare", "other", "new", "--sessions-dir", folder)
    assert code == 0, err
    assert "Nothing to compare: the two sessions audited no section in common." in out
    # No move of the score either: the two are of different sections.
    assert "score 100.0% → 100.0% (of different sections: not compared)" in out
    code, out, err = run_cli("compare", "other", "new", "--format", "toml",
                             "--sessions-dir", folder)  # fmt: skip
    assert tomllib.loads(out)["compare"]["sections_both_audited"] == []
    code, out, err = run_cli("compare", "full", "other", "--format", "toml",
                             "--sessions-dir", folder)  # fmt: skip
    assert tomllib.loads(out)["compare"]["sections_both_audited"] == ["1"]


def test_a_new_failure_is_named_as_compare_names_it(run_cli, tmp_path) -> None:
    """An item n/a last time and failed (a major) now was counted among "36 otherwise
    changed" in the report, where `compare` listed it as a new failure."""
    folder = tmp_path / "sessions"
    write_session(folder, make_session("old", [
        ("1.1-a", "na"), ("1.2-a", "fail"), ("2.1-a", "pass"), ("2.2-a", "pass"),
    ], started=at(1)))  # fmt: skip
    write_session(folder, make_session("new", [
        ("1.1-a", "fail", "", "major"), ("1.2-a", "pass"), ("2.1-a", "na"), ("2.2-a", "fail",
        "", "major"),
    ], started=at(5)))  # fmt: skip
    code, out, err = run_cli("compare", "old", "new", "--sessions-dir", folder)
    assert code == 0 and "1 regressed · 1 new failure · 1 improved · 1 other change" in out, err
    said = ("1 improved (fail → pass), 1 regressed (pass → fail), 1 new failure (n/a or not "
            "answered → fail), 1 otherwise changed.")  # fmt: skip
    for kind in ("markdown", "html"):
        assert said in report(run_cli, tmp_path, "new", "--format", kind), kind
    assert "2 failed items: 2 major nonconformities." in report(run_cli, tmp_path, "new")
    # The Markdown said only "2 failed items."
    assert "2 failed items: 2 major nonconformities." in report(
        run_cli, tmp_path, "new", "--format", "markdown"
    )


def test_evidence_files_are_named_with_the_answer() -> None:
    from auditui.evidence import Attachment

    session = make_session("s", [("1.1-a", "fail", "see photo", "minor"), ("1.2-a", "pass")])
    session.records[0].attachments = (
        Attachment("evidence/s/ab.jpg", "ab" * 32, 2048, "<img src=x>.jpg", at(1)),
    )
    report_ = build_report(session)
    page = Page(render_html(report_))
    assert "Evidence<img src=x>.jpg (2.0 KB)" in page.by_id("findings").content
    assert "Evidence: <img src=x>.jpg (2.0 KB)" in page.by_id("appendix").content
    assert page.all("img") == []
    assert "- Evidence: \\<img src=x>.jpg (2.0 KB)" in render_markdown(report_)
    # In the appendix, after the note's quote: its own paragraph, not a line of the quote.
    rendered = Page(MarkdownIt("commonmark").render(render_markdown(report_)))
    quoted = " ".join(quote.content for quote in rendered.all("blockquote"))
    assert "see photo" in quoted and "Evidence" not in quoted


def test_a_scoped_session_s_report_gives_the_scores_compare_gives(run_cli, tmp_path) -> None:
    """Against a previous session that audited other sections, the report and `compare`
    said different scores (66.7% → 66.7% against 40.0% → 66.7%; later 0.0% → 83.3% against
    77.8% → 83.3%). Both now give each session's own score, then the like-for-like one
    over the sections both audited, in the same words."""
    folder = tmp_path / "sessions"
    write_session(folder, make_session("old", [
        ("1.1-a", "fail"), ("1.2-a", "fail"), ("2.1-a", "pass"), ("2.2-a", "pass"),
        ("2.3-a", "fail"),
    ], started=at(1)))  # fmt: skip
    scoped = make_session("new", [("2.1-a", "pass"), ("2.2-a", "fail"), ("2.3-a", "pass")],
                          started=at(10))  # fmt: skip
    scoped.set_scope(["2"])
    write_session(folder, scoped)
    code, out, err = run_cli("compare", "old", "new", "--sessions-dir", folder)
    both = "in the sections both audited (2): 66.7% → 66.7% (no change)"
    assert code == 0 and "score 40.0% → 66.7% (+26.7 points)\n" in out, err
    assert f"        {both}\n" in out
    code, out, err = run_cli("compare", "old", "new", "--format", "toml", "--sessions-dir",
                             folder)  # fmt: skip
    head = tomllib.loads(out)["compare"]
    assert head["sections_both_audited"] == ["2"]
    assert (head["old_score_both_audited"], head["new_score_both_audited"]) == (0.6667, 0.6667)
    for kind in ("markdown", "html"):
        text = report(run_cli, tmp_path, "new", "--format", kind)
        assert f"score 40.0% → 66.7% (+26.7 points); {both};" in text
    # The sections table's "All" row compared the whole earlier audit with this scoped one
    # ("Before 40.0%, Points +26.7"): no figure there; the sentence above gives both.
    markdown = report(run_cli, tmp_path, "new", "--format", "markdown")
    assert "| **All** | 2 | 1 | 0 | 0 | 66.7% | – | – |" in markdown
    source = report(run_cli, tmp_path, "new")
    row = source[source.index("<strong>All</strong>") :].split("</tr>")[0]
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == ["2", "1", "0", "0", "66.7%",
                                                               "–", "–"]  # fmt: skip
    later = make_session("later", [("2.1-a", "fail")], started=at(20))
    later.set_scope(["2"])
    write_session(folder, later)
    code, out, err = run_cli("compare", "new", "later", "--sessions-dir", folder)
    assert code == 0 and "both audited" not in out, err  # one scope: one score says it all
    markdown = report(run_cli, tmp_path, "later", "--format", "markdown")
    assert "both audited" not in markdown
    assert "| **All** | 0 | 1 | 0 | 0 | 0.0% | 66.7% | -66.7 |" in markdown  # same sections


def test_a_follow_up_audit_reports_what_it_found_of_earlier_findings(run_cli, tmp_path) -> None:
    """The follow-up audit closed two findings, found an action that did not work, failed
    one again and left one open: its report showed only its own fails, and the auditee
    could not see which corrective actions were verified (10.2.1 d). Each is told as it
    stood then: a later audit that closed the one left open changes nothing of it."""
    from auditui.finding_records import FindingRecords

    folder = tmp_path / "sessions"
    write_session(folder, make_session("first", [
        ("1.1-a", "fail", "", "major"), ("1.2-a", "fail"), ("2.1-a", "fail"), ("2.2-a", "fail"),
        ("2.3-a", "fail"),
    ], started=at(1)))  # fmt: skip
    FindingRecords(folder).update("first/1.1-a", {"status": "done"}, at=at(3))
    FindingRecords(folder).update("first/2.3-a", {"owner": "Somchai", "due": "2026-01-05",
                                                  "action": "new gauge"}, at=at(3))
    write_session(folder, make_session("follow-up", [
        ("1.1-a", "fail", "gauge still out of date"), ("1.2-a", "pass"), ("2.1-a", "pass"),
        ("2.2-a", "na"), ("2.3-a", "fail"),
    ], started=at(10)))  # fmt: skip
    write_session(folder, make_session("later", [("2.2-a", "pass")], started=at(20)))
    page = assert_self_contained(report(run_cli, tmp_path, "follow-up"))
    earlier = [li.content for li in _inside(page, page.by_id("earlier-findings"), "li")]
    assert [text.split(" first/")[0] for text in earlier] == [
        "corrective action not effective: marked done, failed again here:",
        "still open: failed again in this audit:",
        "closed: passed in this audit:",
        "closed: passed in this audit:",
        "still open: not applicable in this audit:",
    ]
    assert "first/1.1-a" in earlier[0] and "clause 1.1: Question 1.1-a?" in earlier[0]
    # The action that did not work, named as the findings part names it (the record
    # says "done"; the register has it open again).
    assert "status now: Not effective: marked done, and follow-up failed it again" in earlier[0]
    # Closed by a later pass is closed, whatever status the record was left with; what
    # this audit found of it stands, and the later closing is said as such.
    write_session(folder, make_session("third", [("1.1-a", "pass")], started=at(30)))
    page = assert_self_contained(report(run_cli, tmp_path, "follow-up"))
    earlier = [li.content for li in _inside(page, page.by_id("earlier-findings"), "li")]
    assert earlier[0].startswith("corrective action not effective: marked done, failed again")
    assert "status now: Closed: session third passed the item" in earlier[0]
    assert "Action done" not in earlier[0]
    assert "first/2.3-a" in earlier[1] and "first/2.2-a" in earlier[4]
    # Each says its status as it stands now, one with no action recorded too (the
    # findings part said "Open: action not started" of it, this part nothing).
    assert all("status now: " in entry for entry in earlier), earlier
    assert "action: new gauge; status now: Open: action not started; owner: Somchai; due "\
           "2026-01-05 OVERDUE" in earlier[1]
    text = report(run_cli, tmp_path, "follow-up", "--format", "markdown")
    part = text[text.index("## Findings of earlier audits"):]
    assert part.index("first/1.1-a") < part.index("first/2.3-a") < part.index("first/2.2-a")
    assert "**still open: not applicable in this audit**" in part
    first = assert_self_contained(report(run_cli, tmp_path, "first"))
    assert "No finding of an earlier audit" in first.by_id("earlier-findings").content


def test_a_session_from_an_export_without_a_standard_takes_it_from_its_checklist(
    run_cli, locations, store
) -> None:
    """SPEC's export format has no `standard`: a session imported in it was reported with
    no Standard line, though its checklist, at hand, names one."""
    from auditui.catalog import Catalog

    source = locations.checklists_dir / "shop-floor.toml"
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace('version = "1"\n', 'version = "1"\nstandard = "ISO 9001:2015"\n'), "utf-8"
    )
    writer = store.create(Catalog(locations).resolve("shop-floor"), auditor="Mai")
    writer.close()
    path = store.path_for(writer.session.id)
    saved = path.read_text(encoding="utf-8")
    assert 'standard = "ISO 9001:2015"' in saved
    path.write_text(saved.replace('standard = "ISO 9001:2015"\n', ""), encoding="utf-8")
    where = ("--checklists-dir", locations.checklists_dir, "--sessions-dir", store.folder)
    code, out, err = run_cli("report", writer.session.id, *where)
    assert code == 0, err
    assert "ISO 9001:2015" in assert_self_contained(out).all("header")[0].content
    code, out, err = run_cli("report", writer.session.id, "--format", "markdown", *where)
    assert code == 0 and "ISO 9001:2015" in out
    # Finished so, it is sealed without a standard: the report adds it, and the seal
    # still holds (it said "changed since it was sealed: standard").
    code, _, err = run_cli("finish", writer.session.id, "--conclusion", "Conforms", *where)
    assert code == 0, err
    code, out, err = run_cli("report", writer.session.id, "--format", "markdown", *where)
    assert code == 0 and "ISO 9001:2015" in out
    assert "Finished and sealed" in out and "changed since it was sealed" not in out


def test_a_fail_after_a_finding_closed_by_hand_shows_its_own_finding(run_cli, tmp_path) -> None:
    """s0's finding of 4.1-a was closed by hand while s1 was under way, before s1 failed the
    item again: s1's fail raised a finding of its own, with its own action. The report
    showed the closed one (its owner, its action, "Closed")."""
    from auditui.finding_records import FindingRecords

    folder = tmp_path / "sessions"
    write_session(folder, make_session("s0", [("1.1-a", "fail", "first", "major")], started=at(1)))
    s1 = make_session("s1", [("1.1-a", "fail", "again", "major")], started=at(8))
    s1.records[0].recorded = at(8, hour=11)
    write_session(folder, s1)
    records = FindingRecords(folder)
    records.update("s0/1.1-a", {"owner": "Old", "action": "old action"}, at=at(2))
    records.update("s0/1.1-a", {"closed": at(8, hour=10), "closed_reason": "fixed on the spot"},
                   at=at(8, hour=10))
    records.update("s1/1.1-a", {"owner": "New", "action": "new action"}, at=at(9))
    text = report(run_cli, tmp_path, "s1", "--format", "markdown")
    start = text.index("## Findings\n")
    findings = text[start:text.index("\n## ", start + 1)]  # not the earlier audits' part
    assert "s1/1.1-a" in findings and "New" in findings and "new action" in findings
    assert "old action" not in findings and "Old" not in findings
    # The closed one is named only as the finding this one follows: it came back.
    mentions = [line for line in findings.splitlines() if "s0/1.1-a" in line]
    assert mentions == ["- Came back: finding s0/1.1-a was closed 2026-01-08 (by hand: fixed on "
                        "the spot)"]  # fmt: skip


def test_the_report_of_a_part_of_a_merged_audit_counts_that_audit_once(run_cli, tmp_path):
    """The part and the merged session holding it were both counted: "Failed in 3
    sessions in a row" for an item failed in two audits."""
    folder = tmp_path / "sessions"
    write_session(folder, make_session("s0", [("1.1-a", "fail")], started=at(1)))
    items = ("1.1-a", "1.2-a", "2.1-a")
    anan = make_session("p-anan", list(zip(items, ("fail", "fail", "unanswered"), strict=True)),
                        started=at(5))  # fmt: skip
    anan.set_scope(["1"])
    mai = make_session("p-mai", list(zip(items, ("unanswered", "unanswered", "pass"), strict=True)),
                       started=at(5, hour=10))  # fmt: skip
    mai.set_scope(["2"])
    write_session(folder, anan)
    write_session(folder, mai)
    code, out, err = run_cli("merge", "p-anan", "p-mai", "--sessions-dir", folder)
    assert code == 0, err
    merged = out.strip()
    assert merged < "p-anan"  # the same start: the merged session is replayed first
    for session_id in ("p-anan", merged):
        text = report(run_cli, tmp_path, session_id, "--format", "markdown")
        assert "2 sessions in a row" in text and "3 sessions in a row" not in text
        # 1.2-a failed for the first time in this audit: no repeat said of it.
        assert text.count("in a row") == 1, text


def test_a_session_left_out_unread_is_named_not_silently_skipped(run_cli, tmp_path) -> None:
    """The session before this one does not read (hand-edited): the report compared with
    the one before it, counted a shorter repeat, and said nothing. It still reports, and
    names the file it left out."""
    folder = tmp_path / "sessions"
    for name, day in (("first", 1), ("second", 5), ("third", 9)):
        write_session(folder, make_session(name, [("1.1-a", "fail", "", "minor")],
                                           started=at(day)))  # fmt: skip
    broken = next(folder.glob("*second*.toml"))
    broken.write_text(broken.read_text("utf-8") + "\noops = [\n", "utf-8")
    for kind in ("markdown", "html"):
        code, out, err = run_cli("report", "third", "--format", kind, "--sessions-dir", folder)
        assert code == 0
        assert "session first" in out  # compared with what could be read
        lines = err.splitlines()
        assert len(lines) == 1 and broken.name in lines[0] and "(left out)" in lines[0], err


def test_a_finding_closed_by_a_later_audit_names_that_audit(run_cli, tmp_path) -> None:
    """The report of an older audit said only "Action status: Closed" for a finding a
    later audit passed: not which audit verified it. And an action typed with its full
    stop read "….; status" among the earlier findings."""
    from auditui.finding_records import FindingRecords

    folder = tmp_path / "sessions"
    write_session(folder, make_session("first", [("1.1-a", "fail", "", "minor")], started=at(1)))
    FindingRecords(folder).update("first/1.1-a", {"action": "New gauge bought."}, at=at(2))
    write_session(folder, make_session("second", [("1.1-a", "pass")], started=at(10)))
    page = assert_self_contained(report(run_cli, tmp_path, "first"))
    assert "Closed: session second passed the item" in page.by_id("findings").content
    text = report(run_cli, tmp_path, "first", "--format", "markdown")
    assert "- Action status: Closed: session second passed the item" in text
    later = assert_self_contained(report(run_cli, tmp_path, "second"))
    earlier = later.by_id("earlier-findings").content
    assert "action: New gauge bought; status now: Closed" in earlier and ".;" not in earlier


def test_an_older_audit_s_report_and_compare_tell_earlier_findings_as_they_stood_then(
    run_cli, tmp_path
) -> None:
    """The report of an audit made months ago named an earlier finding with the grade a
    later audit gave it, and "still open" beside "status: Closed" (closed later); compare
    of the two older sessions gave the note and the last fail of a session after both."""
    folder = tmp_path / "sessions"
    write_session(folder, make_session("first", [("1.1-a", "fail", "no list", "minor")],
                                       started=at(1)))  # fmt: skip
    write_session(folder, make_session("follow-up", [("1.1-a", "na")], started=at(10)))
    write_session(folder, make_session("later", [("1.1-a", "fail", "still none", "major")],
                                       started=at(20)))  # fmt: skip
    write_session(folder, make_session("latest", [("1.1-a", "pass")], started=at(30)))
    page = assert_self_contained(report(run_cli, tmp_path, "follow-up"))
    (earlier,) = [li.content for li in _inside(page, page.by_id("earlier-findings"), "li")]
    assert earlier.startswith("still open: not applicable in this audit: first/1.1-a")
    assert "(Minor nonconformity)" in earlier and "Major" not in earlier
    assert "status now: Closed: session latest passed the item" in earlier
    code, out, err = run_cli("compare", "first", "follow-up", "--format", "toml",
                             "--sessions-dir", folder)  # fmt: skip
    assert code == 0, err
    (still,) = tomllib.loads(out)["findings_not_audited"]
    assert (still["id"], still["grade"], still["note"]) == ("first/1.1-a", "minor", "no list")
    assert still["last_failed_in"] == "first" and "closed_in" not in still


def test_a_finding_closed_by_hand_says_when_and_by_whom(run_cli, tmp_path) -> None:
    """The report gave only "Closed because …": not the day, nor who closed it, which
    `auditui finding` shows and a certification auditor asks for."""
    folder = tmp_path / "sessions"
    write_session(folder, make_session("s1", [("1.1-a", "fail", "gap", "minor")], started=at(1)))
    code, _, err = run_cli("finding", "s1/1.1-a", "--close", "--reason", "process retired",
                           "--by", "Mai", "--sessions-dir", folder)  # fmt: skip
    assert code == 0, err
    today = datetime.now().astimezone().date().isoformat()
    page = assert_self_contained(report(run_cli, tmp_path, "s1")).by_id("findings").content
    assert f"Closed by hand{today} by Mai" in page and "Closed becauseprocess retired" in page
    markdown = report(run_cli, tmp_path, "s1", "--format", "markdown")
    assert f"- Closed by hand: {today} by Mai" in markdown


def test_a_reopened_audit_in_progress_says_in_its_head_that_it_was_sealed_once() -> None:
    """Reopened and not finished again, the head read only "In progress": nothing said it
    had been finished, signed and sealed, until the reader reached the conclusion."""
    session = make_session("again", [("1.1-a", "pass")])
    session.reopened = [{"at": at(3, 10), "reason": "add the missing record",
                         "finished": at(2), "signed_by": ["Mai (auditor)"]}]  # fmt: skip
    report_ = build_report(session)
    assert report_.status == (
        "In progress: reopened 2026-01-03 10:30 +07:00 after it was finished and sealed "
        "(see the conclusion); results may still change"
    )
    assert report_.status in render_html(report_) and report_.status in render_markdown(report_)
    assert build_report(make_session("new", [("1.1-a", "pass")])).status == (
        "In progress: results may still change"
    )


def test_a_new_item_that_fails_is_counted_once_with_the_new_items(run_cli, tmp_path) -> None:
    """An item added by a new checklist version, failed, was counted both as a new failure
    and as a new item, and taken off "otherwise changed": "-1 otherwise changed"."""
    folder = tmp_path / "sessions"
    write_session(folder, make_session("old", [("1.1-a", "pass"), ("2.1-a", "pass")],
                                       started=at(1)))  # fmt: skip
    write_session(folder, make_session("new", [
        ("1.1-a", "pass"), ("2.1-a", "na"), ("1.2-a", "fail", "", "minor"), ("2.2-a", "pass"),
    ], started=at(5)))  # fmt: skip
    said = ("0 improved (fail → pass), 0 regressed (pass → fail), 1 otherwise changed, "
            "2 new items (1 failed).")  # fmt: skip
    for kind in ("markdown", "html"):
        text = report(run_cli, tmp_path, "new", "--format", kind)
        assert said in text, kind
        assert "new failure" not in text and "-1 otherwise" not in text


def test_an_earlier_finding_on_an_item_the_checklist_dropped_says_so(run_cli, tmp_path):
    """A finding on an item a later checklist version renamed or removed read "still open:
    neither passed nor failed in this audit", and no audit could ever close it."""
    folder = tmp_path / "sessions"
    write_session(folder, make_session("old", [("1.1-a", "pass"), ("1.2-a", "fail")],
                                       started=at(1), version="2"))  # fmt: skip
    write_session(folder, make_session("new", [("1.1-a", "pass"), ("1.2-b", "pass")],
                                       started=at(5), version="3"))  # fmt: skip
    for kind in ("markdown", "html"):
        text = report(run_cli, tmp_path, "new", "--format", kind)
        text = " ".join((Page(text).text if kind == "html" else text).split())
        assert ("still open: not in this audit's checklist (version 3); no audit of it can "
                "close the finding: close it by hand if the requirement is gone (auditui "
                "finding old/1.2-a --close --reason …)") in text, kind  # fmt: skip
        assert "neither passed nor failed" not in text
    code, out, err = run_cli("compare", "old", "new", "--sessions-dir", folder)
    assert code == 0, err
    said = " ".join(out[out.index("Findings still open"):].split())
    assert ("not in its checklist: version 3 has no item 1.2-a: close the finding by hand if "
            "the requirement is gone (auditui finding old/1.2-a --close --reason …)") in said


def test_compare_says_what_the_newer_checklist_version_changed_in_an_item(run_cli, tmp_path):
    """A reworded question, an item moved to another section, another clause: compared by
    id all the same, with nothing said, so a pass of another question read as the same."""
    from auditui.session import ItemRecord

    folder = tmp_path / "sessions"
    old = make_session("old", [("1.1-a", "pass"), ("1.2-a", "fail"), ("2.1-a", "pass")],
                       started=at(1), version="1")  # fmt: skip
    new = make_session("new", [("1.1-a", "pass"), ("1.2-a", "pass"), ("2.1-a", "pass")],
                       started=at(5), version="3")  # fmt: skip
    records = {record.item_id: record for record in new.records}
    records["1.1-a"].prompt = "Is the calibration register kept up to date?"
    records["2.1-a"].clause = "2.2"
    moved = records["1.2-a"]
    new.records[1] = ItemRecord(**{**{name: getattr(moved, name) for name in
                                      ItemRecord.__dataclass_fields__}, "section_id": "2"})
    write_session(folder, old)
    write_session(folder, new)
    code, out, err = run_cli("compare", "old", "new", "--sessions-dir", folder)
    assert code == 0, err
    said = out[out.index("The checklist changed"):]
    assert " ".join(said[:said.index("  1.1-a")].split()) == (
        "The checklist changed (version 1 → 3): 1 question reworded, 1 item in another "
        "section, 1 item citing another clause")
    assert "  1.1-a\n    was: Question 1.1-a?\n" in said
    assert "  1.2-a\n    section 1 → 2\n" in said and "  2.1-a\n    clause 2.1 → 2.2\n" in said
    code, out, err = run_cli("compare", "old", "new", "--format", "toml", "--sessions-dir", folder)
    assert tomllib.loads(out)["checklist_changed"] == [
        {"item_id": "1.1-a", "what": "question", "old": "Question 1.1-a?",
         "new": "Is the calibration register kept up to date?"},
        {"item_id": "1.2-a", "what": "section", "old": "1", "new": "2"},
        {"item_id": "2.1-a", "what": "clause", "old": "2.1", "new": "2.2"},
    ]  # fmt: skip
    for kind in ("markdown", "html"):
        text = report(run_cli, tmp_path, "new", "--format", kind)
        text = " ".join((Page(text).text if kind == "html" else text).split())
        assert ("; the checklist changed (version 1 → 3): 1 question reworded, 1 item in "
                "another section, 1 item citing another clause.") in text, kind
        assert "1.1-a: the question was “Question 1.1-a?”" in text, kind
        assert "1.2-a: section 1 → 2" in text and "2.1-a: clause 2.1 → 2.2" in text, kind


def test_compare_toml_says_a_finding_s_item_is_not_in_the_newer_version(run_cli, tmp_path):
    folder = tmp_path / "sessions"
    write_session(folder, make_session("old", [("1.1-a", "pass"), ("1.2-a", "fail")],
                                       started=at(1), version="2"))  # fmt: skip
    write_session(folder, make_session("new", [("1.1-a", "pass"), ("1.2-b", "pass")],
                                       started=at(5), version="3"))  # fmt: skip
    code, out, err = run_cli("compare", "old", "new", "--format", "toml", "--sessions-dir", folder)
    assert code == 0, err
    [finding] = tomllib.loads(out)["findings_not_audited"]
    assert finding["id"] == "old/1.2-a" and finding["not_in_checklist_version"] == "3"
