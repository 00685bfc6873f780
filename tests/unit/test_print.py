"""`auditui print CHECKLIST`: the blank checklist for a walkthrough on paper, as HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from html_helpers import assert_self_contained

from auditui.checklist import checklist_from_document, load_checklist
from auditui.reports.blank import blank_sections, render_blank

REPO_ROOT = Path(__file__).resolve().parents[2]

HOSTILE_CHECKLIST = """\
[checklist]
id = "hostile"
title = "Audit </title><script>alert(1)</script>"
kind = "custom"
version = "1 </style>"

[[sections]]
id = "a"
title = "<img src=x onerror=alert(1)>"

[[sections.items]]
id = "a-1"
prompt = "Is [this](javascript:alert(1)) shown as text? <b>no bold</b>"
clause = "7.1 <i>"

[[sections]]
id = "b"
title = "Vận hành · การดำเนินงาน · 运行"

[[sections.items]]
id = "b-1"
prompt = "Có hồ sơ không?"
"""


def test_print_gives_every_question_with_boxes_and_a_header_to_fill(
    run_cli, workdir, valid_text
) -> None:
    (workdir / "checklists").mkdir()
    (workdir / "checklists" / "demo.toml").write_text(valid_text, encoding="utf-8")
    code, out, err = run_cli("print", "demo")
    assert (code, err) == (0, "")
    page = assert_self_contained(out)
    text = page.text
    for label in ("Auditor(s)", "Auditee", "Date"):
        assert label in text
    assert [h2.content for h2 in page.all("h2")] == [
        "4 Context of the organization",
        "5 Leadership",
    ]
    rows = [tr for tr in page.all("tr") if tr.content.startswith(("4.", "5."))]
    assert [tr.content.split("?")[0][:5] for tr in rows] == ["4.1-a", "4.2-a", "5.1-a", "5.2-a"]
    for row in rows:
        assert row.content.count("N/A") == 1 and "P" in row.content and "F" in row.content
    assert len([e for e in page.all("i") if e.attrs.get("class") == "box"]) == 4 * 3
    assert len(page.all("thead")) == 2  # repeated on each printed page of a long section
    assert "Does top management show leadership?" in text
    assert "4 questions" in text


def test_print_scope_keeps_the_sections_named_and_refuses_unknown_ones(
    run_cli, workdir, valid_text, tmp_path
) -> None:
    (workdir / "checklists").mkdir()
    (workdir / "checklists" / "demo.toml").write_text(valid_text, encoding="utf-8")
    out = tmp_path / "blank.html"
    code, stdout, err = run_cli("print", "demo", "--scope", "5", "-o", out)
    assert (code, stdout, err) == (0, "", "")
    page = assert_self_contained(out.read_text(encoding="utf-8"))
    assert [h2.content for h2 in page.all("h2")] == ["5 Leadership"]
    assert "scope: 5" in page.text and "2 questions" in page.text
    code, _, err = run_cli("print", "demo", "--scope", "5,9")
    assert code == 1 and "no section '9'" in err and err.count("\n") == 1
    code, _, err = run_cli("print", "nope")
    assert code == 1 and "no checklist 'nope'" in err


def test_print_escapes_checklist_text() -> None:
    import tomllib

    checklist = checklist_from_document(tomllib.loads(HOSTILE_CHECKLIST))
    source = render_blank(checklist, blank_sections(checklist))
    page = assert_self_contained(source)
    assert page.all("title")[0].content == "Checklist: Audit </title><script>alert(1)</script>"
    assert "<img src=x onerror=alert(1)>" in page.text
    assert "Is [this](javascript:alert(1)) shown as text? <b>no bold</b>" in page.text
    assert page.all("b") == [] and "1 </style>" in page.text
    assert "Vận hành · การดำเนินงาน · 运行" in page.text


def test_the_shipped_internal_audit_prints_every_question_in_one_flow(run_cli) -> None:
    path = REPO_ROOT / "checklists" / "iso9001-internal-audit.toml"
    code, out, err = run_cli("print", path)
    assert (code, err) == (0, "")
    page = assert_self_contained(out)
    marks = [td for td in page.all("td") if td.attrs.get("class") == "marks"]
    assert len(marks) == len(load_checklist(path).items) >= 190  # 192 in version 2026.2
    # Sections follow one another (no page break before each): compact on paper.
    assert not [e for e in page.elements if "part" in (e.attrs.get("class") or "").split()]


TRANSLATED = """\
[checklist]
id = "tr"
title = "Audit"
kind = "custom"
version = "1"
languages = ["th"]

[checklist.translations.th]
title = "การตรวจ <ประจำปี>"

[[sections]]
id = "7"
title = "Support"

[sections.translations.th]
title = "การสนับสนุน"

[[sections.items]]
id = "7-a"
prompt = "Are gauges calibrated?"

[sections.items.translations.th]
prompt = "เครื่องมือวัดได้รับการสอบเทียบหรือไม่?"
"""


def test_print_in_a_translation_gives_its_text_with_the_english_beneath(
    run_cli, workdir
) -> None:
    (workdir / "checklists").mkdir()
    (workdir / "checklists" / "tr.toml").write_text(TRANSLATED, encoding="utf-8")
    code, out, err = run_cli("print", "tr", "--lang", "TH")
    assert (code, err) == (0, "")
    page = assert_self_contained(out)
    assert page.all("html")[0].attrs["lang"] == "th"
    assert page.all("h1")[0].content == "การตรวจ <ประจำปี>"
    assert [h2.content for h2 in page.all("h2")] == ["7 การสนับสนุน"]
    assert "เครื่องมือวัดได้รับการสอบเทียบหรือไม่?Are gauges calibrated?" in page.text
    # The form's own words too: a supervisor handed the paper reads one language.
    header = page.all("header")[0].content
    for word in ("ผู้ตรวจประเมิน", "ผู้รับการตรวจประเมิน", "วันที่", "ผ่าน", "1 คำถาม"):
        assert word in header, word
    assert [th.content for th in page.all("th")] == ["ข้อ", "คำถาม", "ผล", "หมายเหตุ"]
    assert "Tick one box" not in page.text and "Auditee" not in page.text
    assert page.all("title")[0].content.startswith("รายการตรวจ: ")
    code, _, err = run_cli("print", "tr", "--lang", "vi")
    assert code == 1 and "no translation into 'vi'" in err and "th" in err
    # English is the checklist's own text, as `report --lang en` takes it (it was refused).
    code, out, err = run_cli("print", "tr", "--lang", "en-GB")
    assert (code, err) == (0, "")
    assert assert_self_contained(out).all("html")[0].attrs["lang"] == "en"


def test_each_grade_word_of_the_paper_form_is_kept_whole(run_cli, workdir) -> None:
    """Printed in Thai, ข้อสังเกต (observation) broke in every result cell, ข้อ | สังเกต:
    each grade is a span the printer does not break inside."""
    (workdir / "checklists").mkdir()
    (workdir / "checklists" / "tr.toml").write_text(TRANSLATED, encoding="utf-8")
    code, out, _ = run_cli("print", "tr", "--lang", "th")
    page = assert_self_contained(out)
    words = [span.content for span in page.all("span") if span.content == "ข้อสังเกต"]
    assert words, "each grade in a span of its own"
    assert ".grades span{white-space:nowrap}" in page.all("style")[0].content


def test_a_checklist_printed_in_arabic_reads_right_to_left(run_cli, workdir) -> None:
    """`print --lang ar`: the questions printed left to right, their punctuation at the
    wrong end. Each translated text now takes its own direction (`dir="auto"`); the
    form's words, the item ids and the English beneath stay left to right."""
    text = TRANSLATED.replace('languages = ["th"]', 'languages = ["ar"]').replace(
        ".th]", ".ar]"
    ).replace("เครื่องมือวัดได้รับการสอบเทียบหรือไม่?", "هل أجهزة القياس معايرة؟")
    (workdir / "checklists").mkdir()
    (workdir / "checklists" / "tr.toml").write_text(text, encoding="utf-8")
    code, out, err = run_cli("print", "tr", "--lang", "ar")
    assert (code, err) == (0, ""), err
    page = assert_self_contained(out)
    assert "dir" not in page.all("html")[0].attrs  # the page: its words are English here
    auto = [e.content for e in page.all("span") if e.attrs.get("dir") == "auto"]
    assert "هل أجهزة القياس معايرة؟" in auto
    assert page.all("h1")[0].attrs["dir"] == "auto"
    english = [e for e in page.all("span") if e.attrs.get("lang") == "en"]
    assert english and all(e.attrs.get("dir") == "ltr" for e in english)


@pytest.mark.parametrize(
    ("lang", "words"),
    [("vi", ("Bên được đánh giá", "Câu hỏi", "không áp dụng")),
     ("id", ("Auditi", "Pertanyaan", "tidak berlaku"))],
)  # fmt: skip
def test_the_shipped_checklists_print_in_one_language(run_cli, lang, words) -> None:
    path = REPO_ROOT / "checklists" / "iso9001-internal-audit.toml"
    code, out, err = run_cli("print", path, "--lang", lang, "--scope", "7")
    assert (code, err) == (0, "")
    page = assert_self_contained(out)
    for word in words:
        assert word in page.text, word
    assert "Tick one box" not in page.text and "Question" not in page.text


def test_a_scope_by_clause_takes_the_sections_of_its_clauses(run_cli) -> None:
    """`--scope 7,8` was refused ("no section '8'": the checklist walks clause 8 in
    sections 8-sales, 8-design...); `7*` takes 7.1.5 and 7.5 too, which clause 7 holds.
    A section's own id takes that section only (SPEC: a scope is section ids): a
    checklist with sections `8` and `8-supplier` can audit `8` alone."""
    from auditui.session import clause_scope

    path = REPO_ROOT / "checklists" / "iso9001-internal-audit.toml"
    checklist = load_checklist(path)
    scope = clause_scope(checklist, ["7*", "8", "7.5"])
    assert scope[:3] == ["7", "7.1.5", "7.5"]
    assert scope[3:] == [s.id for s in checklist.sections if s.id.startswith("8-")]
    assert clause_scope(checklist, ["7"]) == ["7"]
    assert clause_scope(checklist, ["7.1.5"]) == ["7.1.5"]
    assert clause_scope(checklist, ["8-sales"]) == ["8-sales"]
    code, out, err = run_cli("print", path, "--scope", "7*,8")
    assert (code, err) == (0, "")
    titles = [h2.content.split(" ")[0] for h2 in assert_self_contained(out).all("h2")]
    assert titles == clause_scope(checklist, ["7*", "8"])
    code, _, err = run_cli("print", path, "--scope", "7,11")
    assert code == 1 and "no section '11'" in err


def test_every_printed_page_is_numbered_in_no_language(run_cli, workdir, valid_text) -> None:
    """A printed report or checklist had no page numbers: a page missing from a signed
    report went unseen. "3 / 12", in the page's bottom margin (Chromium prints @page
    margin boxes), in every language."""
    from auditui.reports.common import CSS

    assert '@bottom-right{content:counter(page) " / " counter(pages)' in CSS
    (workdir / "checklists").mkdir()
    (workdir / "checklists" / "demo.toml").write_text(valid_text, encoding="utf-8")
    code, out, err = run_cli("print", "demo")
    assert code == 0 and "counter(page) \" / \" counter(pages)" in out, err


def test_the_paper_ends_with_a_conclusion_and_the_signatures(run_cli, workdir, valid_text):
    """The printed checklist stopped after the last question: no place for the audit's
    conclusion, nor for the auditor and auditee to sign it, in the form's language."""
    (workdir / "checklists").mkdir()
    (workdir / "checklists" / "demo.toml").write_text(valid_text, encoding="utf-8")
    code, out, err = run_cli("print", "demo")
    assert code == 0, err
    page = assert_self_contained(out)
    [signed] = [e for e in page.all("section") if e.attrs.get("class") == "signed"]
    for words in ("Conclusion", "Auditor's signature", "Auditee's signature"):
        assert words in signed.content
    from auditui.reports.form_words import ENGLISH, TRANSLATED

    assert all(words.closing != ENGLISH.closing for words in TRANSLATED.values())
    assert TRANSLATED["th"].closing[1] == "ลายมือชื่อผู้ตรวจประเมิน"
