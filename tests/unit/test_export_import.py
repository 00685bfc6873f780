"""`auditui export` and `auditui import`: a session handed from one laptop to another, intact."""

from __future__ import annotations

import csv
import re
import tomllib
from pathlib import Path

import pytest

from auditui.checklist import load_checklist
from auditui.store import SessionStore

NOTES = [
    "องค์กรยังไม่ได้ทบทวนความเสี่ยง",  # Thai, with combining vowels and tone marks
    "Chưa có biên bản họp xem xét của lãnh đạo",  # Vietnamese, composed
    "Chu\u031ba co\u0301 bie\u0302n ba\u0309n",  # Vietnamese, decomposed: kept as typed
    "Fine 👍🏽 — 👩‍🔬 signed ✅",
    "first line\r\nsecond line (Windows)",
    "first line\nsecond line\n",
    "\tindented\twith tabs",
    "[bold]not bold[/bold]",
    "[/]",
    "[@click=app.quit]quit[/]",
    "C:\\audits\\2026\\new \\n not a newline \\",
    'quotes "double" \'single\' """triple""" \'\'\'',
    "| pipe | and *stars* and <b>html</b> and # hash",
    "   leading and trailing spaces   ",
    "escape \x1b[31m red \x7f del",
    "line\u2028separator and \ufeffzero-width",
    "",
]


@pytest.fixture
def notes_session(write_file, make_checklist_text, store, started):
    """A closed session with every item answered (notes from NOTES) and graded where allowed."""
    checklist = load_checklist(write_file("notes.toml", make_checklist_text("notes", items=20)))
    writer = store.create(
        checklist, auditor="Nguyễn Thị Lan", auditee="โรงงาน 2", title="[b]Q4[/b]", started=started
    )
    results = ["pass", "fail", "na"]
    for index, note in enumerate(NOTES):
        result = results[index % 3]
        grade = {"fail": "minor", "pass": "ofi"}.get(result) if index % 2 else None
        writer.answer(f"i{index}", result=result, note=note, grade=grade)
    writer.close()
    return writer.session.id, checklist


def export(run_cli, session: str, sessions_dir: Path, *options: str) -> str:
    code, out, err = run_cli("export", session, "--sessions-dir", sessions_dir, *options)
    assert (code, err) == (0, ""), err
    return out


def test_export_toml_follows_the_spec_layout(notes_session, sessions_dir, run_cli) -> None:
    session_id, checklist = notes_session
    text = export(run_cli, session_id, sessions_dir)
    document = tomllib.loads(text)
    # The session failed items: the export carries their findings after the results.
    assert list(document) == ["session", "summary", "results", "findings"]
    assert list(document["session"]) == [
        "id",
        "checklist_id",
        "checklist_title",
        "checklist_version",
        "checklist_sha256",
        "kind",
        "auditor",
        "auditee",
        "title",
        "started",
        "updated",
    ]
    head = document["session"]
    assert head["id"] == session_id
    assert head["checklist_id"] == "notes"
    assert head["checklist_sha256"] == checklist.sha256
    assert (head["auditor"], head["auditee"], head["title"]) == (
        "Nguyễn Thị Lan",
        "โรงงาน 2",
        "[b]Q4[/b]",
    )
    assert list(document["summary"]) == [
        "total",
        "answered",
        "pass",
        "fail",
        "na",
        "unanswered",
        "score",
    ]
    assert document["summary"] == {
        "total": 20,
        "answered": 17,
        "pass": 6,
        "fail": 6,
        "na": 5,
        "unanswered": 3,
        "score": 0.5,
    }
    results = document["results"]
    assert [r["item_id"] for r in results] == [item.id for item in checklist.items]
    spec_order = [
        "item_id",
        "section_id",
        "section_title",
        "clause",
        "prompt",
        "result",
        "note",
        "grade",
        "recorded",
    ]
    for result in results:
        assert [k for k in result if k in spec_order] == [k for k in spec_order if k in result]
        assert ("recorded" in result) == (result["result"] != "unanswered")
        assert result["clause"] == checklist.item_index[result["item_id"]].clause
    assert [r.get("grade") for r in results[:4]] == [None, "minor", None, "ofi"]
    assert "grade" not in results[0] and "grade" not in results[-1]
    assert results[-1]["result"] == "unanswered" and "recorded" not in results[-1]
    stamps = re.findall(r"^(?:started|updated|recorded) = (.*)$", text, re.MULTILINE)
    assert len(stamps) == 2 + 17
    for stamp in stamps:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)", stamp)
    assert "started = 2026-11-25T09:30:00+07:00\n" in text


def test_export_import_export_is_identical(notes_session, sessions_dir, tmp_path, run_cli):
    session_id, _ = notes_session
    first = tmp_path / "first.toml"
    export(run_cli, session_id, sessions_dir, "-o", str(first))
    other = tmp_path / "laptop-2"
    code, out, err = run_cli("import", first, "--sessions-dir", other)
    assert code == 0
    assert out == f"{session_id}\n"
    assert "imported session" in err
    second = tmp_path / "second.toml"
    export(run_cli, session_id, other, "-o", str(second))
    assert second.read_bytes() == first.read_bytes()


def test_notes_survive_export_and_import_byte_for_byte(
    notes_session, sessions_dir, tmp_path, run_cli
) -> None:
    session_id, _ = notes_session
    exported = tmp_path / "out.toml"
    export(run_cli, session_id, sessions_dir, "--format", "toml", "-o", str(exported))
    assert run_cli("import", exported, "--sessions-dir", tmp_path / "other")[0] == 0
    session = SessionStore(tmp_path / "other").load(session_id)
    assert [r.note for r in session.records[: len(NOTES)]] == NOTES
    assert (session.auditor, session.auditee, session.title) == (
        "Nguyễn Thị Lan",
        "โรงงาน 2",
        "[b]Q4[/b]",
    )
    # tomllib is the reference reader: the file itself says the same.
    document = tomllib.loads(exported.read_text("utf-8"))
    assert [r["note"] for r in document["results"][: len(NOTES)]] == NOTES


def test_csv_export_parses_back_to_the_same_notes(
    notes_session, sessions_dir, tmp_path, run_cli
) -> None:
    session_id, checklist = notes_session
    target = tmp_path / "out.csv"
    export(run_cli, session_id, sessions_dir, "--format", "csv", "-o", str(target))
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, for Excel
    with open(target, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["item_id"] for row in rows] == [item.id for item in checklist.items]
    # Exact, except that a note a spreadsheet would run as a formula starts with ' (OWASP).
    inert = ["'" + n if n.startswith(("=", "+", "-", "@", "\t", "\r")) else n for n in NOTES]
    assert [row["note"] for row in rows[: len(NOTES)]] == inert
    assert rows[1]["result"] == "fail" and rows[1]["grade"] == "minor"
    assert rows[0]["grade"] == "" and rows[0]["clause"] == "0.1"
    assert rows[-1]["result"] == "unanswered" and rows[-1]["recorded"] == ""
    assert rows[0]["recorded"].startswith(tuple("0123456789")) and "T" in rows[0]["recorded"]
    # Which audit it is, on every row (a sheet opened on its own said nothing of it).
    assert {(row["session_id"], row["checklist_id"]) for row in rows} == {
        (session_id, checklist.id)
    }
    assert rows[0]["started"].startswith("20") and rows[0]["finished"] == ""
    assert list(rows[0])[:10] == ["item_id", "section_id", "section_title", "clause", "prompt",
                                  "result", "grade", "note", "recorded", "attachments"]


def test_markdown_export_says_the_language_the_questions_were_read_in(
    store, sessions_dir, run_cli
) -> None:
    """A session walked in Vietnamese: its Markdown said nothing of it, and a reader took
    the English questions for the ones the auditee was asked."""
    from auditui.checklist import load_checklist

    repository = Path(__file__).resolve().parents[2]
    checklist = load_checklist(repository / "checklists" / "iso9001-internal-audit.toml")
    writer = store.create(checklist, auditor="Mai", auditee="Kho", language="vi")
    writer.close()
    raw = export(run_cli, writer.session.id, sessions_dir, "--format", "markdown")
    assert "| Language | vi (questions here as the checklist words them) |" in raw


def test_markdown_export_has_summary_findings_and_every_item(
    notes_session, sessions_dir, run_cli
) -> None:
    session_id, checklist = notes_session
    raw = export(run_cli, session_id, sessions_dir, "--format", "markdown")
    # User text is escaped so Markdown shows it literally (no emphasis, links, HTML);
    # undoing the escapes must give back exactly what was typed.
    # A bracket that no `(` follows is no link: left as it is, to read as plain text.
    assert "[bold]" in raw and "\\[bold" not in raw
    text = re.sub(r"\\(.)", r"\1", raw).replace("&lt;", "<").replace("&amp;", "&")
    assert text.startswith("# [b]Q4[/b]\n")
    assert "## Summary" in text
    assert "Score: **50.0%**" in text
    assert "Answered: 17/20" in text
    findings = text.split("## Findings", 1)[1].split("## All items", 1)[0]
    failed = [f"i{n}" for n in range(len(NOTES)) if n % 3 == 1]
    for item_id in failed:
        assert f"### {item_id} (clause {item_id[1:]}.1) — " in findings
    assert "Minor nonconformity, FAIL" in findings
    assert "Opportunity for improvement, Pass" in findings  # graded passes are findings too
    all_items = text.split("## All items", 1)[1]
    for item in checklist.items:
        assert f"| {item.id} | " in all_items
    for note in ("[bold]not bold[/bold]", "[/]", "[@click=app.quit]quit[/]", NOTES[0], NOTES[3]):
        assert note in all_items, note
    assert NOTES[1] in findings  # a failed item's note, quoted in full
    assert "Nguyễn Thị Lan" in text and "โรงงาน 2" in text
    # Line breaks and pipes in a note never break the table row.
    rows = [line for line in all_items.splitlines() if line.startswith("| i")]
    assert len(rows) == 20
    assert "first line<br>second line (Windows)" in all_items
    assert "\\| pipe \\|" in raw
    # A tab goes as typed, as README says of files and pipes (it was written as ␉).
    assert "\tindented\twith tabs" in raw and "\u2409" not in raw


def test_output_file_is_written_atomically_and_stdout_stays_empty(
    notes_session, sessions_dir, tmp_path, run_cli
) -> None:
    session_id, _ = notes_session
    folder = tmp_path / "reports"
    folder.mkdir()
    target = folder / "report.md"
    target.write_text("an old report\n")
    for fmt in ("toml", "markdown", "csv"):
        on_stdout = export(run_cli, session_id, sessions_dir, "--format", fmt)
        code, out, err = run_cli(
            "export", session_id, "--format", fmt, "-o", target, "--sessions-dir", sessions_dir
        )
        assert (code, out, err) == (0, "", "")
        assert target.read_bytes() == on_stdout.encode("utf-8")
        assert [p.name for p in folder.iterdir()] == ["report.md"]


def test_output_into_a_missing_folder_is_a_clean_error(
    notes_session, sessions_dir, tmp_path, run_cli
) -> None:
    session_id, _ = notes_session
    target = tmp_path / "no" / "such" / "out.toml"
    code, out, err = run_cli("export", session_id, "-o", target, "--sessions-dir", sessions_dir)
    assert code == 1 and out == ""
    assert err.startswith(f"auditui: {target}: cannot save")
    assert len(err.splitlines()) == 1


def test_export_of_an_open_session_includes_its_journal(
    store, checklist, sessions_dir, started, run_cli
) -> None:
    writer = store.create(checklist, started=started)
    writer.answer("4.1-a", result="fail", note="not yet folded")
    document = tomllib.loads(export(run_cli, writer.session.id, sessions_dir))
    assert document["results"][0]["note"] == "not yet folded"
    assert document["summary"]["fail"] == 1
    writer.close()


def test_export_by_path_and_unknown_session(notes_session, sessions_dir, run_cli) -> None:
    session_id, _ = notes_session
    by_path = export(run_cli, str(sessions_dir / f"{session_id}.toml"), sessions_dir)
    assert by_path == export(run_cli, session_id, sessions_dir)
    code, out, err = run_cli("export", "no-such-session", "--sessions-dir", sessions_dir)
    assert (code, out) == (1, "")
    assert err.startswith("auditui: no session 'no-such-session'")


# --- import ---------------------------------------------------------------------------------------


@pytest.fixture
def exported(notes_session, sessions_dir, tmp_path, run_cli) -> tuple[str, Path]:
    session_id, _ = notes_session
    path = tmp_path / "exported.toml"
    export(run_cli, session_id, sessions_dir, "-o", str(path))
    return session_id, path


def test_import_of_an_id_already_there_is_refused_and_nothing_is_overwritten(
    exported, sessions_dir, tmp_path, run_cli
) -> None:
    session_id, path = exported
    target = sessions_dir / f"{session_id}.toml"
    before = target.read_bytes()
    changed = tmp_path / "changed.toml"
    changed.write_text(path.read_text("utf-8").replace("Nguyễn Thị Lan", "Someone else"), "utf-8")
    code, out, err = run_cli("import", changed, "--sessions-dir", sessions_dir)
    assert (code, out) == (1, "")
    assert err.startswith(f"auditui: {changed}: session '{session_id}' is already in")
    assert "nothing was imported" in err
    assert len(err.splitlines()) == 1
    assert target.read_bytes() == before
    assert sorted(p.name for p in sessions_dir.iterdir()) == [f"{session_id}.toml"]


def test_import_recomputes_a_tampered_summary(exported, tmp_path, run_cli) -> None:
    session_id, path = exported
    text = path.read_text("utf-8")
    tampered = re.sub(r"(?m)^total = 20$", "total = 999", text)
    tampered = re.sub(r"(?m)^score = 0\.5$", "score = 1.0", tampered)
    assert tampered != text
    path.write_text(tampered, "utf-8")
    other = tmp_path / "other"
    assert run_cli("import", path, "--sessions-dir", other)[0] == 0
    summary = tomllib.loads((other / f"{session_id}.toml").read_text("utf-8"))["summary"]
    assert (summary["total"], summary["score"]) == (20, 0.5)


def test_import_accepts_a_missing_summary_and_empty_checksum(exported, tmp_path, run_cli):
    session_id, path = exported
    text = path.read_text("utf-8")
    text = re.sub(r"\[summary\]\n(?:.+\n)+\n", "", text)
    text = re.sub(r'(?m)^checklist_sha256 = ".*"$', 'checklist_sha256 = ""', text)
    assert "[summary]" not in text
    path.write_text(text, "utf-8")
    other = tmp_path / "other"
    code, out, err = run_cli("import", path, "--sessions-dir", other)
    assert code == 0, err
    document = tomllib.loads((other / f"{session_id}.toml").read_text("utf-8"))
    assert document["summary"]["answered"] == 17
    assert document["session"]["checklist_sha256"] == ""


def test_import_of_a_minimal_hand_written_session(write_file, tmp_path, run_cli) -> None:
    path = write_file(
        "minimal.toml",
        '[session]\nid = "paper-audit-1"\nchecklist_id = "demo"\n'
        "started = 2026-03-01T08:00:00+07:00\n"
        '[[results]]\nitem_id = "a"\nprompt = "A?"\nresult = "pass"\n'
        "recorded = 2026-03-01T08:05:00+07:00\n"
        '[[results]]\nitem_id = "b"\nprompt = "B?"\n',
    )
    code, out, _ = run_cli("import", path, "--sessions-dir", tmp_path / "s")
    assert (code, out) == (0, "paper-audit-1\n")
    session = SessionStore(tmp_path / "s").load("paper-audit-1")
    assert [r.result for r in session.records] == ["pass", "unanswered"]
    assert session.updated == session.started


@pytest.mark.parametrize(
    "bad_id", ["../x", "../../etc/cron.d/x", "a/b", "a\\b", ".hidden", "", "x y", "C:x"]
)
def test_import_refuses_a_session_id_that_is_not_a_plain_name(
    exported, tmp_path, run_cli, bad_id: str
) -> None:
    session_id, path = exported
    escaped = bad_id.replace("\\", "\\\\")
    text = path.read_text("utf-8").replace(f'id = "{session_id}"', f'id = "{escaped}"', 1)
    path.write_text(text, "utf-8")
    target = tmp_path / "deep" / "sessions"
    code, out, err = run_cli("import", path, "--sessions-dir", target)
    assert (code, out) == (1, "")
    assert err.startswith(f"auditui: {path}:")
    assert "session.id" in err
    assert not target.exists()
    assert not (tmp_path / "deep" / "x.toml").exists()


def test_import_of_a_file_that_is_not_a_session(write_file, valid_text, tmp_path, run_cli):
    path = write_file("checklist.toml", valid_text)
    code, out, err = run_cli("import", path, "--sessions-dir", tmp_path / "s")
    assert (code, out) == (1, "")
    assert err.startswith(f"auditui: {path}: session: required table [session] is missing")
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize(
    ("typo", "where", "meant"),
    [
        ('result = "pass"', "results[0].reslt", "result"),
        ("auditor = ", "session.auditr", "auditor"),
        ('result = "pass"', "results[0].result_", "result"),  # a key with nothing added
        ("auditor = ", "session.auditor__", "auditor"),
    ],
)
def test_import_refuses_a_misspelt_key_rather_than_drop_what_it_holds(
    exported, tmp_path, run_cli, typo, where, meant
) -> None:
    """`reslt = "pass"` kept as an unknown key would import the item unanswered without a
    word: a key close to one auditui knows is named, with its line, and nothing is
    imported. A key far from every known one (another version's) is still kept."""
    session_id, path = exported
    text = path.read_text("utf-8")
    assert typo in text
    wrong = text.replace(typo, typo.replace(meant, where.rsplit(".", 1)[1]), 1)
    path.write_text(wrong, "utf-8")
    other = tmp_path / "other"
    code, out, err = run_cli("import", path, "--sessions-dir", other)
    assert (code, out) == (1, "")
    line = wrong[: wrong.index(where.rsplit(".", 1)[1] + " = ")].count("\n") + 1
    assert err == (
        f"auditui: {path}:{line}: {where}: unknown key; did you mean '{meant}'?\n"
    )
    assert not other.exists() or not list(other.glob("*.toml"))
    path.write_text(text.replace("[session]\n", '[session]\ncolour = "teal"\n', 1), "utf-8")
    code, _, err = run_cli("import", path, "--sessions-dir", other)
    assert code == 0, err
    assert 'colour = "teal"' in (other / f"{session_id}.toml").read_text("utf-8")


def test_import_refuses_results_for_items_the_checklist_does_not_have(
    exported, tmp_path, run_cli
) -> None:
    """An item id changed by hand was imported and counted as audited (25/27 answered),
    compare then called it added: with that very checklist at hand, it is refused."""
    session_id, path = exported
    text = path.read_text("utf-8").replace('item_id = "i3"', 'item_id = "zz-9"', 1)
    path.write_text(text, "utf-8")
    other = tmp_path / "other"
    checklists = ("--checklists-dir", tmp_path / "files")
    code, out, err = run_cli("import", path, "--sessions-dir", other, *checklists)
    assert (code, out) == (1, "") and len(err.splitlines()) == 1
    assert "does not have: zz-9" in err and "nothing was imported" in err
    assert not other.exists() or not list(other.glob("*.toml"))
    # Without the checklist here there is nothing to check against: imported as it is.
    code, _, err = run_cli("import", path, "--sessions-dir", other)
    assert code == 0, err


@pytest.mark.parametrize("typo", ["[[result]]", "[[reslts]]"])
def test_a_misspelt_array_of_tables_beside_the_right_one_is_named(
    exported, tmp_path, run_cli, typo
) -> None:
    """One `[[results]]` entry typed `[[result]]` among the others was kept as another
    version's key: its item imported unanswered and the score changed without a word."""
    _, path = exported
    text = path.read_text("utf-8")
    second = text.index("[[results]]", text.index("[[results]]") + 1)
    path.write_text(text[:second] + typo + text[second + len("[[results]]") :], "utf-8")
    other = tmp_path / "other"
    code, out, err = run_cli("import", path, "--sessions-dir", other)
    assert (code, out) == (1, "")
    line = text[:second].count("\n") + 1
    key = typo.strip("[]")
    assert err == f"auditui: {path}:{line}: {key}: unknown key; did you mean 'results'?\n"


def test_an_array_of_tables_near_a_list_of_words_is_another_version_s_key() -> None:
    """Only an array of tables beside one it looks like is a slip: `[[session.scopes]]`
    beside `scope = [...]` (words) may be a later version's, and is kept."""
    from auditui.schema import misspelt_key

    holds = {"scope": list, "results": list}
    scopes = [{"section": "7"}]
    assert misspelt_key("scopes", scopes, {"scope": ["7"]}, ["scope"], holds) is None
    result = [{"item_id": "1.1-a"}]
    table = {"results": [{"item_id": "1.2-a"}]}
    assert misspelt_key("result", result, table, ["results"], holds) == "results"


@pytest.mark.parametrize("device", ["CON", "nul", "Com1", "lpt9.2026", "aux.toml"])
def test_import_refuses_an_id_windows_takes_for_a_device(
    exported, tmp_path, run_cli, device: str
) -> None:
    """A session named CON could be kept on Linux, and then neither saved nor synced on the
    team's Windows laptops."""
    session_id, path = exported
    text = path.read_text("utf-8").replace(f'id = "{session_id}"', f'id = "{device}"', 1)
    path.write_text(text, "utf-8")
    target = tmp_path / "laptop-b"
    code, out, err = run_cli("import", path, "--sessions-dir", target)
    assert (code, out) == (1, "")
    line = text[: text.index(f'id = "{device}"')].count("\n") + 1
    assert err == (
        f"auditui: {path}:{line}: session.id: '{device}' names a device on Windows, so its "
        "file could not be kept there; change the id in the file and import again\n"
    )
    assert not target.exists()


@pytest.mark.parametrize("kept", ["console", "nul-audit", "com10", "lpt", "icon"])
def test_ids_that_only_look_like_device_names_are_imported(
    exported, tmp_path, run_cli, kept: str
) -> None:
    session_id, path = exported
    text = path.read_text("utf-8").replace(f'id = "{session_id}"', f'id = "{kept}"', 1)
    path.write_text(text, "utf-8")
    code, out, err = run_cli("import", path, "--sessions-dir", tmp_path / "laptop-b")
    assert (code, out) == (0, f"{kept}\n"), err


def test_import_refuses_an_id_that_differs_only_in_capitals(
    exported, sessions_dir, run_cli
) -> None:
    """Windows and macOS keep one file for `Audit-1.toml` and `audit-1.toml`: a sync there
    would leave one of the two sessions."""
    session_id, path = exported
    upper = session_id.upper()
    assert upper != session_id
    text = path.read_text("utf-8").replace(f'id = "{session_id}"', f'id = "{upper}"', 1)
    path.write_text(text, "utf-8")
    before = sorted(p.name for p in sessions_dir.iterdir())
    code, out, err = run_cli("import", path, "--sessions-dir", sessions_dir)
    assert (code, out) == (1, "")
    line = text[: text.index(f'id = "{upper}"')].count("\n") + 1
    assert err.startswith(
        f"auditui: {path}:{line}: session.id: '{upper}' differs only in capitals from session "
        f"'{session_id}' already in"
    )
    assert len(err.splitlines()) == 1
    assert sorted(p.name for p in sessions_dir.iterdir()) == before


def test_import_refuses_an_answer_typed_outside_the_scope(write_file, tmp_path, run_cli):
    """A fail typed by hand in a section outside the scope was imported and counted
    nowhere, unsaid: no finding, and the report said "No item failed"."""
    path = write_file(
        "outside.toml",
        '[session]\nid = "oos"\nchecklist_id = "demo"\nscope = ["s1"]\n'
        "started = 2026-03-01T08:00:00+07:00\n"
        '[[results]]\nitem_id = "a"\nsection_id = "s1"\nprompt = "A?"\nresult = "pass"\n'
        '[[results]]\nitem_id = "b"\nsection_id = "s2"\nprompt = "B?"\nresult = "fail"\n'
        'note = "forklift brakes worn"\n',
    )
    code, out, err = run_cli("import", path, "--sessions-dir", tmp_path / "s")
    assert (code, out) == (1, "")
    assert err == (
        f"auditui: {path}:15: results[1].result: 'fail' in section 's2', which is outside the "
        "session's scope (s1): add the section to session.scope, or take the answer out; "
        "nothing was imported\n"
    )
    assert not (tmp_path / "s").exists()
