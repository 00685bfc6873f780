"""Checklist files (SPEC "Checklist file"): what loads, and how every broken rule is reported."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from auditui.checklist import ChecklistError, load_checklist
from auditui.errors import AudituiError

REPO_CHECKLISTS = Path(__file__).resolve().parents[2] / "checklists"


def line_of(text: str, fragment: str) -> int:
    """The 1-based line of the first line containing `fragment`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in text")


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


# --- files that load ---------------------------------------------------------------------------


def test_valid_checklist_loads_every_field(checklist_file: Path) -> None:
    checklist = load_checklist(checklist_file)
    assert (checklist.id, checklist.title, checklist.kind, checklist.version) == (
        "demo",
        "Demo audit",
        "internal-audit",
        "2026.1",
    )
    assert checklist.standard == "ISO 9001:2015"
    assert checklist.description == "A small checklist for tests."
    assert [s.id for s in checklist.sections] == ["4", "5"]
    assert [i.id for i in checklist.items] == ["4.1-a", "4.2-a", "5.1-a", "5.2-a"]
    first = checklist.items[0]
    assert first.section_id == "4"
    assert first.section_title == "Context of the organization"
    assert first.clause == "4.1"
    assert first.guidance == "Ask top management."
    assert first.evidence == ("Context analysis", "Strategy minutes")
    assert checklist.item_index["5.1-a"].clause is None
    assert checklist.path == checklist_file
    assert checklist.sha256 == hashlib.sha256(checklist_file.read_bytes()).hexdigest()


def test_optional_keys_may_be_absent(write_file) -> None:
    path = write_file(
        "minimal.toml",
        '[checklist]\nid = "m"\ntitle = "M"\nkind = "custom"\nversion = "1"\n'
        '[[sections]]\nid = "a"\ntitle = "A"\n[[sections.items]]\nid = "q"\nprompt = "Q?"\n',
    )
    checklist = load_checklist(path)
    assert checklist.standard is None and checklist.description is None
    (item,) = checklist.items
    assert (item.clause, item.guidance, item.evidence) == (None, None, ())


@pytest.mark.parametrize("kind", ["gap-analysis", "internal-audit", "management-review", "custom"])
def test_every_kind_is_accepted(write_file, make_checklist_text, kind: str) -> None:
    assert load_checklist(write_file("k.toml", make_checklist_text(kind=kind))).kind == kind


def test_utf8_byte_order_mark_is_accepted(write_file, valid_text: str) -> None:
    plain = load_checklist(write_file("plain.toml", valid_text))
    with_bom = load_checklist(write_file("bom.toml", b"\xef\xbb\xbf" + valid_text.encode()))
    assert with_bom.items == plain.items
    assert with_bom.title == plain.title


def test_any_utf8_text_is_kept_exactly(write_file) -> None:
    thai = "องค์กรได้กำหนดประเด็นภายนอกและภายในแล้วหรือไม่"
    viet_composed = "Tổ chức đã xác định các vấn đề nội bộ chưa?"
    viet_decomposed = "To\u0302\u0309 chu\u031bc"  # the same letters as combining marks
    chinese = "组织是否确定了内外部问题？"
    emoji = "Audit 🚀✅ 👩🏽‍🔬"
    text = (
        "[checklist]\n"
        f'id = "intl"\ntitle = "{emoji}"\nkind = "custom"\nversion = "{chinese}"\n'
        f'[[sections]]\nid = "ไทย"\ntitle = "{thai}"\n'
        f'[[sections.items]]\nid = "q1"\nprompt = "{viet_composed}"\n'
        f'guidance = "{viet_decomposed}"\nevidence = ["{thai}", "{emoji}"]\n'
    )
    checklist = load_checklist(write_file("intl.toml", text))
    assert checklist.title == emoji
    assert checklist.version == chinese
    section = checklist.sections[0]
    assert (section.id, section.title) == ("ไทย", thai)
    item = checklist.items[0]
    assert item.prompt == viet_composed
    assert item.guidance == viet_decomposed  # not normalized to the composed form
    assert item.evidence == (thai, emoji)


def test_checklists_shipped_in_the_repository_all_validate() -> None:
    files = sorted(REPO_CHECKLISTS.glob("*.toml"))
    if not files:
        pytest.skip("no checklists in the repository yet")
    ids = []
    for path in files:
        ids.append(load_checklist(path).id)
    assert len(ids) == len(set(ids)), "two shipped checklists share an id"


# --- files that break a rule -------------------------------------------------------------------

# (test id, old text, new text, key path, message fragment, fragment of the reported line)
BROKEN = [
    (
        "prompt-is-an-integer",
        'prompt = "Does top management show leadership?"',
        "prompt = 42",
        "sections[1].items[0].prompt",
        "must be text",
        "prompt = 42",
    ),
    (
        "unknown-item-key",
        'prompt = "Is the quality policy communicated?"',
        'promt = "Is the quality policy communicated?"',
        "sections[1].items[1].promt",
        "did you mean 'prompt'?",
        "promt =",
    ),
    (
        "unknown-checklist-key",
        'standard = "ISO 9001:2015"',
        'standrad = "ISO 9001:2015"',
        "checklist.standrad",
        "did you mean 'standard'?",
        "standrad =",
    ),
    (
        "missing-checklist-id",
        'id = "demo"\n',
        "",
        "checklist.id",
        "required key is missing",
        "[checklist]",
    ),
    (
        "bad-checklist-id",
        'id = "demo"',
        'id = "Demo Audit"',
        "checklist.id",
        "not a valid id",
        'id = "Demo Audit"',
    ),
    (
        "bad-kind",
        'kind = "internal-audit"',
        'kind = "audit"',
        "checklist.kind",
        "gap-analysis",
        'kind = "audit"',
    ),
    (
        "title-is-an-integer",
        'title = "Demo audit"',
        "title = 2026",
        "checklist.title",
        "not an integer",
        "title = 2026",
    ),
    (
        "version-is-a-number",
        'version = "2026.1"',
        "version = 2026.1",
        "checklist.version",
        "not a number",
        "version = 2026.1",
    ),
    (
        "duplicate-section-id",
        'id = "5"',
        'id = "4"  # again',
        "sections[1].id",
        "used twice",
        "# again",
    ),
    (
        "duplicate-item-id-across-sections",
        'id = "5.1-a"',
        'id = "4.1-a"  # again',
        "sections[1].items[0].id",
        "first at sections[0].items[0]",
        "# again",
    ),
    (
        "evidence-is-text",
        'evidence = ["Context analysis", "Strategy minutes"]',
        'evidence = "Context analysis"',
        "sections[0].items[0].evidence",
        "array of text",
        'evidence = "Context analysis"',
    ),
    (
        "evidence-entry-is-an-integer",
        'evidence = ["Context analysis", "Strategy minutes"]',
        'evidence = ["Context analysis", 3]',
        "sections[0].items[0].evidence[1]",
        "must be text",
        'evidence = ["Context analysis", 3]',
    ),
    (
        "empty-prompt",
        'prompt = "Are the needs of interested parties known?"',
        'prompt = "   "',
        "sections[0].items[1].prompt",
        "must not be empty",
        'prompt = "   "',
    ),
    (
        "item-id-with-spaces",
        'id = "4.2-a"',
        'id = " 4.2-a "',
        "sections[0].items[1].id",
        "spaces",
        'id = " 4.2-a "',
    ),
    (
        "clause-is-an-array",
        'clause = "5.2"',
        'clause = ["5.2"]',
        "sections[1].items[1].clause",
        "not an array",
        'clause = ["5.2"]',
    ),
    (
        "section-title-is-a-table",
        'title = "Leadership"',
        "title = { text = 'Leadership' }",
        "sections[1].title",
        "not a table",
        "title = { text",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "key", "fragment", "line_fragment"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_each_broken_rule_names_file_line_and_key(
    write_file, valid_text, old, new, key, fragment, line_fragment
) -> None:
    text = replace_once(valid_text, old, new)
    path = write_file("broken.toml", text)
    with pytest.raises(ChecklistError) as caught:
        load_checklist(path)
    problems = caught.value.problems
    matching = [p for p in problems if p.key == key]
    assert matching, f"no problem about {key}: {[str(p) for p in problems]}"
    problem = matching[0]
    message = str(problem)
    assert str(path) in message
    assert f"{key}:" in message
    assert fragment in message
    if line_fragment:
        expected = line_of(text, line_fragment)
        assert problem.line == expected
        assert f"{path}:{expected}: " in message
    assert "\n" not in message


def test_checklist_error_str_is_its_first_problem(write_file, valid_text) -> None:
    text = replace_once(valid_text, 'prompt = "Does top management show leadership?"', "prompt = 1")
    path = write_file("one.toml", text)
    with pytest.raises(ChecklistError) as caught:
        load_checklist(path)
    assert isinstance(caught.value, AudituiError)
    assert str(caught.value) == str(caught.value.problems[0])
    assert str(caught.value).startswith(f"{path}:{line_of(text, 'prompt = 1')}: ")


def test_unknown_key_with_nothing_close_lists_the_known_keys(write_file, valid_text) -> None:
    text = replace_once(valid_text, 'clause = "4.2"', 'zzz = "4.2"')
    with pytest.raises(ChecklistError) as caught:
        load_checklist(write_file("b.toml", text))
    assert "known keys: id, prompt, clause, guidance, evidence" in str(caught.value)


def test_every_problem_of_a_file_is_reported(write_file, valid_text) -> None:
    text = valid_text
    text = replace_once(text, 'kind = "internal-audit"', 'kind = "nope"')
    text = replace_once(text, 'prompt = "Does top management show leadership?"', "prompt = 1")
    text = replace_once(text, 'id = "5.2-a"', 'id = "4.1-a"')
    with pytest.raises(ChecklistError) as caught:
        load_checklist(write_file("three.toml", text))
    keys = [p.key for p in caught.value.problems]
    assert keys == ["checklist.kind", "sections[1].items[0].prompt", "sections[1].items[1].id"]


def test_a_duplicate_id_is_named_with_the_other_problems_of_its_items(write_file, valid_text):
    """The duplicate of an item with a problem of its own (here a prompt that is a number)
    was named only once that problem was fixed: a second round of fixing."""
    text = replace_once(valid_text, 'prompt = "Are the needs of interested parties known?"',
                        "prompt = 5")  # fmt: skip
    text = replace_once(text, 'id = "5.1-a"', 'id = "4.2-a"')
    text = replace_once(text, 'prompt = "Does top management show leadership?"', "prompt = 6")
    with pytest.raises(ChecklistError) as caught:
        load_checklist(write_file("dup.toml", text))
    problems = [(p.key, p.message) for p in caught.value.problems]
    assert [key for key, _ in problems] == [
        "sections[0].items[1].prompt",
        "sections[1].items[0].id",
        "sections[1].items[0].prompt",
    ]
    assert "item id '4.2-a' is used twice (first at sections[0].items[1])" in problems[1][1]


def test_item_ids_that_differ_only_in_case_are_refused(write_file, valid_text) -> None:
    """A finding's record and an item's evidence are files named by the item id: on a Mac's
    or Windows' disk `4.2-A` and `4.2-a` would be one file, two findings sharing one action."""
    text = replace_once(valid_text, 'id = "4.2-a"', 'id = "4.2-A"')
    text = text + ('\n[[sections.items]]\nid = "4.2-a"\nprompt = "Another question?"\n')
    with pytest.raises(ChecklistError) as caught:
        load_checklist(write_file("case.toml", text))
    messages = [p.message for p in caught.value.problems]
    assert any("item id '4.2-a' differs from '4.2-A'" in m and "only in upper and lower case"
               in m for m in messages), messages  # fmt: skip


def test_empty_section_is_rejected(write_file) -> None:
    text = (
        '[checklist]\nid = "e"\ntitle = "E"\nkind = "custom"\nversion = "1"\n'
        '[[sections]]\nid = "a"\ntitle = "A"\n'
        '[[sections.items]]\nid = "q"\nprompt = "Q?"\n'
        '[[sections]]\nid = "b"\ntitle = "Empty"\n'
    )
    path = write_file("empty-section.toml", text)
    with pytest.raises(ChecklistError) as caught:
        load_checklist(path)
    assert caught.value.key == "sections[1]"
    assert "empty" in str(caught.value)
    assert caught.value.line == line_of(text, 'id = "b"') - 1  # its [[sections]] header


def test_section_with_empty_items_array_is_rejected(write_file) -> None:
    text = (
        '[checklist]\nid = "e"\ntitle = "E"\nkind = "custom"\nversion = "1"\n'
        '[[sections]]\nid = "a"\ntitle = "A"\nitems = []\n'
    )
    with pytest.raises(ChecklistError, match=r"sections\[0\]: the section is empty"):
        load_checklist(write_file("e.toml", text))


VALID_BODY = "[[sections]]\nid = 'a'\ntitle = 'A'\n[[sections.items]]\nid = 'q'\nprompt = 'Q'\n"
HEAD = '[checklist]\nid = "x"\ntitle = "X"\nkind = "custom"\nversion = "1"\n'


@pytest.mark.parametrize(
    ("text", "key", "fragment"),
    [
        (HEAD, "sections", "required [[sections]] tables are missing"),
        ("sections = []\n" + HEAD, "sections", "no sections"),
        ('sections = "all"\n' + HEAD, "sections", "not text"),
        ("sections = [1, 2]\n" + HEAD, "sections[0]", "must be a table, not an integer"),
        (HEAD + "[sections]\nid = 'a'\n", "sections", "not a table"),
        (
            HEAD + "[[sections]]\nid = 'a'\ntitle = 'A'\n[sections.items]\nid = 'q'\n",
            "sections[0].items",
            "not a table",
        ),
        (
            HEAD + "[[sections]]\nid = 'a'\ntitle = 'A'\nitems = 'q'\n",
            "sections[0].items",
            "not text",
        ),
        (
            HEAD + "[[sections]]\nid = 'a'\ntitle = 'A'\nitems = ['q']\n",
            "sections[0].items[0]",
            "must be a table, not text",
        ),
        (
            HEAD + "[[sections]]\nid = 7\ntitle = 'A'\n[[sections.items]]\nid='q'\nprompt='Q'\n",
            "sections[0].id",
            "not an integer",
        ),
        (
            HEAD + "[[sections]]\ntitle = 'A'\n[[sections.items]]\nid='q'\nprompt='Q'\n",
            "sections[0].id",
            "required key is missing",
        ),
        (
            HEAD + "[[sections]]\nid = 'a'\ntitle = 'A'\n[[sections.items]]\nid = 'q'\n",
            "sections[0].items[0].prompt",
            "required key is missing",
        ),
        (
            HEAD + "[[sections]]\nid = 'a'\ntitle = 'A'\n[[sections.items]]\nid=true\nprompt='Q'\n",
            "sections[0].items[0].id",
            "not true/false",
        ),
        (
            HEAD + "[[sections]]\nid='a'\ntitle='A'\n"
            "[[sections.items]]\nid='q'\nprompt=2026-01-01\n",
            "sections[0].items[0].prompt",
            "not a date",
        ),
        ('checklist = ["x"]\n[[sections]]\n', "checklist", "not an array"),
        ("[[sections]]\nid = 'a'\n", "checklist", "required table [checklist] is missing"),
        ("[checklist]\n[[sections]]\n", "checklist.id", "required key is missing"),
        (HEAD + "[extra]\n", "extra", "unknown key"),
    ],
    ids=[
        "no-sections",
        "sections-empty-array",
        "sections-is-text",
        "sections-entries-not-tables",
        "sections-is-a-table",
        "items-is-a-table",
        "items-is-text",
        "items-entries-not-tables",
        "section-id-is-an-integer",
        "section-id-missing",
        "prompt-missing",
        "item-id-is-a-boolean",
        "prompt-is-a-date",
        "checklist-is-an-array",
        "checklist-table-missing",
        "checklist-table-empty",
        "unknown-top-level-table",
    ],
)
def test_wrong_shapes_are_rejected_with_key_path(write_file, text: str, key: str, fragment: str):
    path = write_file("shape.toml", text)
    with pytest.raises(ChecklistError) as caught:
        load_checklist(path)
    messages = [str(p) for p in caught.value.problems]
    assert any(p.key == key and fragment in str(p) for p in caught.value.problems), messages
    assert all(m.startswith(str(path)) for m in messages)


def test_empty_checklist_table_reports_every_missing_key(write_file) -> None:
    path = write_file("head.toml", "[checklist]\n" + VALID_BODY)
    with pytest.raises(ChecklistError) as caught:
        load_checklist(path)
    keys = [p.key for p in caught.value.problems]
    assert keys == ["checklist.id", "checklist.title", "checklist.kind", "checklist.version"]
    assert all(p.line == 1 for p in caught.value.problems)


def test_toml_syntax_error_names_the_line(write_file, valid_text) -> None:
    text = replace_once(
        valid_text,
        'prompt = "Is the quality policy communicated?"',
        'prompt = "Is the quality policy communicated?',
    )
    path = write_file("syntax.toml", text)
    with pytest.raises(AudituiError) as caught:
        load_checklist(path)
    assert caught.value.line == line_of(text, 'prompt = "Is the quality')
    assert re.match(rf"{re.escape(str(path))}:\d+: not valid TOML", str(caught.value))


# --- `auditui validate` ------------------------------------------------------------------------


def test_validate_reports_every_bad_file_and_exits_1(write_file, valid_text, run_cli) -> None:
    good = write_file("good.toml", valid_text)
    two_problems = write_file(
        "two.toml",
        replace_once(
            replace_once(valid_text, 'kind = "internal-audit"', 'kind = "nope"'),
            'prompt = "Does top management show leadership?"',
            "prompt = 1",
        ),
    )
    syntax = write_file("syntax.toml", "[checklist\n")
    missing = good.parent / "missing.toml"
    code, out, err = run_cli("validate", good, two_problems, syntax, missing)
    assert code == 1
    assert out.splitlines() == [f"{good}: ok (demo, 4 items)"]
    lines = err.splitlines()
    assert all(line.startswith("auditui: ") for line in lines)
    assert [line for line in lines if str(two_problems) in line] == [
        f"auditui: {two_problems}:4: checklist.kind: 'nope' is not a kind; use one of: "
        "gap-analysis, internal-audit, management-review, custom",
        f"auditui: {two_problems}:31: sections[1].items[0].prompt: must be text in quotes, "
        "not an integer",
    ]
    assert any(line.startswith(f"auditui: {syntax}:1: not valid TOML") for line in lines)
    assert f"auditui: {missing}: no such checklist file" in lines
    assert lines[-1] == "auditui: 3 of 4 files have problems"
    assert len(lines) == 5


def test_validate_all_good_exits_0_with_ok_lines(write_file, valid_text, make_checklist_text,
                                                 run_cli) -> None:  # fmt: skip
    first = write_file("a.toml", valid_text)
    second = write_file("b.toml", make_checklist_text("other", items=5))
    code, out, err = run_cli("validate", first, second)
    assert code == 0
    assert err == ""
    assert out.splitlines() == [f"{first}: ok (demo, 4 items)", f"{second}: ok (other, 5 items)"]


def test_validate_needs_a_file(run_cli) -> None:
    code, out, err = run_cli("validate")
    assert code == 2
    assert "FILE" in err and out == ""


def test_validate_notes_a_clause_that_is_not_one_of_iso_9001(write_file, run_cli) -> None:
    """"11.4" and "8.5.2.9" read as clauses everywhere, and only the walkthrough's missing
    title gave them away. A note (the file is valid, status 0); not for another standard."""
    body = (HEAD + "[[sections]]\nid = 'a'\ntitle = 'A'\n"
            "[[sections.items]]\nid = 'q'\nprompt = 'Q'\nclause = '8.5.2.9'\n"
            "[[sections.items]]\nid = 'r'\nprompt = 'R'\nclause = '7.1.5.1'\n"
            "[[sections.items]]\nid = 's'\nprompt = 'S'\nclause = '8.5.1'\n")  # fmt: skip
    path = write_file("clauses.toml", body)
    code, out, err = run_cli("validate", path)
    assert code == 0 and out == f"{path}: ok (x, 3 items)\n"
    assert err == (f"auditui: {path}:12: sections[0].items[0].clause: note: '8.5.2.9' is not "
                   "a clause of ISO 9001:2015 (a typo? for another standard, name it in "
                   "checklist.standard)\n")  # fmt: skip
    other = write_file("other.toml", body.replace('version = "1"\n', 'version = "1"\n'
                                                  'standard = "ISO 14001:2015"\n'))  # fmt: skip
    assert run_cli("validate", other) == (0, f"{other}: ok (x, 3 items)\n", "")
    # No standard named and mostly not clauses of ISO 9001: a numbering of its own.
    own = write_file("own.toml", body.replace("'7.1.5.1'", "'Q.2'"))
    assert run_cli("validate", own) == (0, f"{own}: ok (x, 3 items)\n", "")
    # Named ISO 9001, every one is checked.
    named = write_file("named.toml", body.replace('version = "1"\n', 'version = "1"\n'
                                                  'standard = "ISO 9001:2015"\n'))  # fmt: skip
    assert "'8.5.2.9' is not a clause" in run_cli("validate", named)[2]
    older = write_file("older.toml", body.replace('version = "1"\n', 'version = "1"\n'
                                                  'standard = "ISO 9001:2008"\n'))  # fmt: skip
    assert run_cli("validate", older)[2] == ""  # another edition's numbering
    # A list item of a clause, the introduction and the annex are ISO 9001:2015's too.
    cited = named.read_text("utf-8")
    for other in ("8.5.1 c)", "10.2.1 a", "9.3.2(b)", "0.3", "A.4"):
        path = write_file("cited.toml", cited.replace("'8.5.2.9'", repr(other)))
        assert run_cli("validate", path)[2] == "", other
    path = write_file("cited.toml", cited.replace("'8.5.2.9'", "'11.4 a)'"))
    assert "'11.4 a)' is not a clause" in run_cli("validate", path)[2]
    both = write_file("both.toml", cited.replace('standard = "ISO 9001:2015"',
                                                 'standard = "ISO 9001:2015 + ISO 14001:2015"'))
    assert run_cli("validate", both)[2] == ""  # 8.5.2.9 may be the other standard's


def test_validate_notes_item_ids_that_are_hard_to_use(write_file, run_cli) -> None:
    """A tab or a NUL in an id (unseen), a leading '-' (`finding -x` is an option), and two
    ids that look the same (precomposed and combining): valid, status 0, but noted."""
    body = (HEAD + "[[sections]]\nid = 'a'\ntitle = 'A'\n"
            '[[sections.items]]\nid = "i\\ty"\nprompt = "Q"\n'
            '[[sections.items]]\nid = "-x"\nprompt = "R"\n'
            '[[sections.items]]\nid = "caf\\u00e9"\nprompt = "S"\n'
            '[[sections.items]]\nid = "cafe\\u0301"\nprompt = "T"\n'
            '[[sections.items]]\nid = "4.1-a"\nprompt = "U"\n')  # fmt: skip
    path = write_file("ids.toml", body)
    code, out, err = run_cli("validate", path)
    assert code == 0 and out == f"{path}: ok (x, 5 items)\n"
    lines = err.splitlines()
    assert len(lines) == 3 and all(line.startswith(f"auditui: {path}:") for line in lines)
    assert "sections[0].items[0].id: note: the id 'i\\ty' holds a control character" in lines[0]
    assert "sections[0].items[1].id: note: the id '-x' starts with '-'" in lines[1]
    assert ("sections[0].items[3].id: note: the id 'cafe\u0301' looks the same as the id "
            "'caf\u00e9', written another way in Unicode ('cafe\\u0301', 'caf\\xe9')"
            in lines[2])  # fmt: skip
