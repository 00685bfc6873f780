"""Checklist translations (SPEC "Checklist file", `run --lang`, export `language`): what loads,
how each broken rule is named, what a declared language must cover, and what a session keeps."""

from __future__ import annotations

import tomllib

import pytest

from auditui.checklist import ChecklistError, load_checklist
from auditui.export import export_session
from auditui.session_toml import session_from_document
from auditui.store import read_session
from auditui.translations import missing_translations

TRANSLATED = """\
[checklist]
id = "tr"
title = "Warehouse walk"
kind = "custom"
version = "1"

[checklist.translations.vi]
title = "Kiểm tra kho"

[[sections]]
id = "s"
title = "Storage"

[sections.translations.th]
title = "การจัดเก็บ"

[[sections.items]]
id = "a"
prompt = "Is every pallet labelled?"
guidance = "Walk every aisle."

[sections.items.translations.vi]
prompt = "Mọi pallet đều có nhãn không?"
guidance = "Đi hết các dãy kệ."

[sections.items.translations.th]
prompt = "ทุกพาเลทมีป้ายหรือไม่?"

[[sections.items]]
id = "b"
prompt = "Is the quarantine area marked?"
"""


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def problems_of(write_file, text: str) -> list[str]:
    with pytest.raises(ChecklistError) as caught:
        load_checklist(write_file("t.toml", text))
    return [str(problem) for problem in caught.value.problems]


def test_translations_load_beside_the_english(write_file):
    checklist = load_checklist(write_file("t.toml", TRANSLATED))
    first, second = checklist.items
    assert first.prompt == "Is every pallet labelled?"  # the English stays the text
    assert first.text_in("vi") == ("Mọi pallet đều có nhãn không?", "Đi hết các dãy kệ.")
    assert first.text_in("th") == ("ทุกพาเลทมีป้ายหรือไม่?", None)
    assert first.text_in("VI") == first.text_in("vi")  # tags compare without case
    assert first.text_in("id") is None and second.text_in("vi") is None
    assert checklist.title_in("vi") == "Kiểm tra kho"
    assert checklist.sections[0].title_in("th") == "การจัดเก็บ"
    assert checklist.offered_languages == ("vi", "th")
    assert checklist.language("TH") == "th" and checklist.language("id") is None
    assert checklist.languages == ()  # none declared: nothing has to be complete
    assert missing_translations(checklist) == []


def test_declared_languages_are_offered_and_checked_for_completeness(write_file):
    text = TRANSLATED.replace('version = "1"', 'version = "1"\nlanguages = ["vi", "th"]')
    checklist = load_checklist(write_file("t.toml", text))
    assert checklist.offered_languages == ("vi", "th")
    assert missing_translations(checklist) == [
        "sections[0].translations.vi",
        "sections[0].items[1].translations.vi",
        "sections[0].items[1].translations.th",
    ]


@pytest.mark.parametrize(
    ("old", "new", "key", "message", "line_fragment"),
    [
        (
            'prompt = "Mọi pallet đều có nhãn không?"\n',
            "",
            "sections[0].items[0].translations.vi.prompt",
            "required key is missing",
            "[sections.items.translations.vi]",
        ),
        (
            'guidance = "Đi hết các dãy kệ."',
            'guidence = "Đi hết các dãy kệ."',
            "sections[0].items[0].translations.vi.guidence",
            "did you mean 'guidance'?",
            "guidence =",
        ),
        (
            'prompt = "ทุกพาเลทมีป้ายหรือไม่?"',
            "prompt = 7",
            "sections[0].items[0].translations.th.prompt",
            "must be text",
            "prompt = 7",
        ),
        (
            "[sections.translations.th]",
            "[sections.translations.thai_]",
            "sections[0].translations.thai_",
            "not a language tag",
            "[sections.translations.thai_]",
        ),
        (  # a quoted key: its header found all the same
            "[sections.translations.th]",
            '[sections.translations."not a tag"]',
            "sections[0].translations.not a tag",
            "not a language tag",
            '[sections.translations."not a tag"]',
        ),
        (
            'title = "Kiểm tra kho"',
            'titel = "Kiểm tra kho"',
            "checklist.translations.vi.titel",
            "did you mean 'title'?",
            "titel =",
        ),
        (
            'version = "1"',
            'version = "1"\nlanguages = ["vi"]',
            "sections[0].translations.th",
            "not in checklist.languages",
            "[sections.translations.th]",
        ),
        (
            'version = "1"',
            'version = "1"\nlanguages = ["vi", "vi"]',
            "checklist.languages[1]",
            "listed twice",
            "languages =",
        ),
        (
            'version = "1"',
            'version = "1"\nlanguages = "vi"',
            "checklist.languages",
            "must be an array",
            "languages =",
        ),
    ],
)
def test_each_broken_translation_rule_is_named_with_file_line_and_key(
    write_file, old, new, key, message, line_fragment
):
    assert TRANSLATED.count(old) == 1
    text = TRANSLATED.replace(old, new)
    problems = problems_of(write_file, text)
    wanted = [p for p in problems if f": {key}: " in p]
    assert wanted, problems
    assert message in wanted[0]
    assert f"t.toml:{line_of(text, line_fragment)}:" in wanted[0]


def test_a_translation_must_be_a_table(write_file):
    text = TRANSLATED.replace(
        "[sections.items.translations.th]\nprompt = \"ทุกพาเลทมีป้ายหรือไม่?\"\n", ""
    ).replace('id = "b"', 'id = "b"\ntranslations = "vi"')
    problems = problems_of(write_file, text)
    assert any("sections[0].items[1].translations: must be a table" in p for p in problems)


# --- the session keeps the language ------------------------------------------------------------


def test_a_session_remembers_its_language_in_the_file_and_the_export(write_file, store):
    checklist = load_checklist(write_file("t.toml", TRANSLATED))
    writer = store.create(checklist, auditor="Mai", auditee="Kho", language="vi")
    writer.close()
    session = read_session(store.path_for(writer.session.id))
    assert session.language == "vi"
    exported = tomllib.loads(export_session(session, "toml").decode())
    assert exported["session"]["language"] == "vi"
    # The English text is what the session records; the translation is shown beside it.
    assert exported["results"][0]["prompt"] == "Is every pallet labelled?"


def test_without_a_language_the_export_has_no_language_key(write_file, store):
    checklist = load_checklist(write_file("t.toml", TRANSLATED))
    writer = store.create(checklist, auditor="Mai", auditee="Kho")
    writer.close()
    session = read_session(store.path_for(writer.session.id))
    assert "language" not in tomllib.loads(export_session(session, "toml").decode())["session"]


def test_switching_language_is_saved_at_once(write_file, store):
    checklist = load_checklist(write_file("t.toml", TRANSLATED))
    writer = store.create(checklist, auditor="Mai", auditee="Kho", language="vi")
    writer.set_language("th")
    assert read_session(store.path_for(writer.session.id)).language == "th"
    writer.set_language("")
    assert read_session(store.path_for(writer.session.id)).language == ""
    writer.close()


def test_an_imported_language_that_is_not_a_tag_is_refused():
    document = {
        "session": {
            "id": "s1",
            "checklist_id": "tr",
            "started": __import__("datetime").datetime(2026, 11, 25, 9, 30).astimezone(),
            "language": "Vietnamese!",
        }
    }
    with pytest.raises(Exception, match="session.language"):
        session_from_document(document)


# --- `auditui run --lang` ----------------------------------------------------------------------


def test_run_with_a_language_the_checklist_lacks_is_a_one_line_error(write_file, run_cli):
    path = write_file("t.toml", TRANSLATED)
    code, out, err = run_cli("run", path, "--lang", "id")
    assert code == 1
    assert err.count("\n") == 1
    assert "no translation into 'id'" in err and "vi, th" in err


@pytest.mark.parametrize(
    ("wanted", "found"), [("vi-VN", "vi"), ("TH-th", "th"), ("vi", "vi"), ("vi_VN", "vi")]
)
def test_a_regional_tag_finds_the_language_the_checklist_has(write_file, wanted, found):
    """BCP 47 lookup (RFC 4647): `vi-VN`, as a system or a colleague writes it, finds
    `vi` when the checklist has no Vietnamese of Vietnam in particular."""
    from auditui.commands.app import chosen_language

    checklist = load_checklist(write_file("t.toml", TRANSLATED))
    assert chosen_language(checklist, wanted) == found


def test_print_with_a_regional_tag_prints_the_language(write_file, run_cli):
    path = write_file("t.toml", TRANSLATED)
    code, out, err = run_cli("print", path, "--lang", "vi-VN")
    assert code == 0 and err == ""
    assert 'lang="vi"' in out


def test_validate_names_what_a_declared_language_lacks(write_file, run_cli):
    text = TRANSLATED.replace('version = "1"', 'version = "1"\nlanguages = ["vi", "th"]')
    path = write_file("t.toml", text)
    code, out, err = run_cli("validate", path)
    assert code == 1 and out == ""
    lines = err.splitlines()
    item_line = line_of(text, 'id = "b"') - 1  # its [[sections.items]] header
    assert f"t.toml:{item_line}: sections[0].items[1].translations.vi:" in err
    assert any("sections[0].translations.vi: no translation into 'vi'" in x for x in lines)
    assert not any("file(s) have problems" in line for line in lines)  # one file: no tally


def test_validate_accepts_a_checklist_complete_in_its_languages(write_file, run_cli):
    text = TRANSLATED.replace('version = "1"', 'version = "1"\nlanguages = ["th"]')
    text = text.replace(
        "[sections.items.translations.vi]\nprompt = \"Mọi pallet đều có nhãn không?\"\n"
        "guidance = \"Đi hết các dãy kệ.\"\n",
        "",
    ).replace("[checklist.translations.vi]\ntitle = \"Kiểm tra kho\"\n", "")
    text += '\n[sections.items.translations.th]\nprompt = "มีการทำเครื่องหมายพื้นที่กักกันหรือไม่?"\n'
    code, out, err = run_cli("validate", write_file("t.toml", text))
    assert (code, err) == (0, ""), err
    assert "ok (tr, 2 items)" in out


def test_the_csv_of_a_session_walked_in_a_language_gives_its_questions_in_it(
    write_file, store, run_cli
):
    """The spreadsheet of an audit walked in Vietnamese had the English questions only;
    the report had both."""
    import csv
    import io

    path = write_file("t.toml", TRANSLATED)
    checklist = load_checklist(path)
    writer = store.create(checklist, auditor="Mai", auditee="Kho", language="vi")
    writer.answer("a", result="fail", note="kệ 3")
    writer.close()
    code, out, err = run_cli("export", writer.session.id, "--format", "csv", "--no-bom",
                             "--sessions-dir", store.folder, "--checklists-dir", path.parent)
    assert code == 0, err
    rows = {row["item_id"]: row for row in csv.DictReader(io.StringIO(out))}
    assert rows["a"]["prompt"] == "Is every pallet labelled?"
    assert (rows["a"]["language"], rows["a"]["prompt_in_language"]) == (
        "vi", "Mọi pallet đều có nhãn không?")
    assert rows["b"]["prompt_in_language"] == ""  # not translated: the English stands
