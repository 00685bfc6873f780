"""`auditui compare OLD NEW`: per-item changes, across checklist versions, TOML and text.

The TOML document (SPEC keys, plus additions this module checks too):
  [compare]   old, new; added: checklist_id, checklist_title, old_version, new_version,
              old_started, new_started, old_score, new_score
  [summary]   improved, regressed, changed, unchanged, added, removed
  [[changes]] item_id, old, new, change; added: section_id, clause (when set), prompt,
              old_prompt (when the wording changed), old_note / new_note (when that session
              has the item), old_grade / new_grade (when set)
  [[sections]] section_id, title, old_score / old_pass / old_fail (when OLD has the section),
              new_score / new_pass / new_fail (when NEW has it)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from history_helpers import at, cli, make_session, parse, write_session

from auditui.compare import classify, compare_sessions
from auditui.errors import AudituiError
from auditui.textwidth import cell_width

OLD_ITEMS = [
    ("4.1-a", "pass"),
    ("4.2-a", "fail", "no context analysis"),
    ("5.1-a", "pass"),
    ("5.2-a", "na"),
    ("6.1-a", "unanswered"),
    ("7.1-a", "fail"),  # renamed to 7.1-b in the new version
    ("8.1-a", "pass"),
]
NEW_ITEMS = [
    ("4.1-a", "pass"),  # unchanged
    ("4.2-a", "pass", "done"),  # improved
    ("5.1-a", "fail", "policy not posted", "minor"),  # regressed
    ("5.2-a", "fail"),  # changed (na -> fail): a new failure
    ("6.1-a", "pass"),  # changed (unanswered -> pass)
    ("7.1-b", "fail", "new item fails"),  # added, a new failure
    ("8.1-a", "unanswered"),  # changed (pass -> unanswered)
    ("9.1-a", "na"),  # added
]


@pytest.fixture
def two(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "sessions"
    old = write_session(folder, make_session("old", OLD_ITEMS, started=at(1), version="2026.1"))
    new = write_session(folder, make_session("new", NEW_ITEMS, started=at(8), version="2026.2"))
    return old, new


def test_classify() -> None:
    assert classify("fail", "pass") == "improved"
    assert classify("pass", "fail") == "regressed"
    assert classify("na", "fail") == "changed"
    assert classify("unanswered", "pass") == "changed"
    assert classify("pass", "na") == "changed"
    assert classify("na", "na") == "unchanged"
    assert classify("absent", "pass") == "added"
    assert classify("fail", "absent") == "removed"


def test_toml_counts_changes_and_order(capsys, tmp_path, two) -> None:
    code, out, err = cli(capsys, tmp_path, "compare", "old", "new", "--format", "toml")
    assert code == 0, err
    assert err == ""
    document = parse(out)
    assert document["compare"]["old"] == "old"
    assert document["compare"]["new"] == "new"
    assert document["summary"] == {
        "improved": 1,
        "regressed": 1,
        "changed": 3,
        "unchanged": 1,
        "added": 2,
        "removed": 1,
        "out_of_scope": 0,
    }
    rows = [(c["item_id"], c["old"], c["new"], c["change"]) for c in document["changes"]]
    # NEW's order, then the removed items in OLD's order.
    assert rows == [
        ("4.2-a", "fail", "pass", "improved"),
        ("5.1-a", "pass", "fail", "regressed"),
        ("5.2-a", "na", "fail", "changed"),
        ("6.1-a", "unanswered", "pass", "changed"),
        ("7.1-b", "absent", "fail", "added"),
        ("8.1-a", "pass", "unanswered", "changed"),
        ("9.1-a", "absent", "na", "added"),
        ("7.1-a", "fail", "absent", "removed"),
    ]
    # The summary's keys come in SPEC order.
    assert list(document["summary"]) == [
        "improved", "regressed", "changed", "unchanged", "added", "removed", "out_of_scope",
    ]  # fmt: skip


def test_toml_additions(capsys, tmp_path, two) -> None:
    code, out, _ = cli(capsys, tmp_path, "compare", "old", "new", "--format", "toml")
    assert code == 0
    document = parse(out)
    head = document["compare"]
    assert head["old_version"] == "2026.1" and head["new_version"] == "2026.2"
    assert head["old_started"] == at(1) and head["new_started"] == at(8)
    assert "old_started = 2026-01-01T09:30:00+07:00" in out
    assert head["old_score"] == 0.6 and head["new_score"] == 0.5
    by_id = {c["item_id"]: c for c in document["changes"]}
    regressed = by_id["5.1-a"]
    assert regressed["clause"] == "5.1"
    assert regressed["prompt"] == "Question 5.1-a?"
    assert regressed["old_note"] == "" and regressed["new_note"] == "policy not posted"
    assert regressed["new_grade"] == "minor" and "old_grade" not in regressed
    assert "old_note" not in by_id["7.1-b"] and by_id["7.1-b"]["new_note"] == "new item fails"
    assert "new_note" not in by_id["7.1-a"]
    sections = {s["section_id"]: s for s in document["sections"]}
    assert [s["section_id"] for s in document["sections"]] == list("45678") + ["9"]
    assert sections["4"]["old_score"] == 0.5 and sections["4"]["new_score"] == 1.0
    assert sections["5"]["old_score"] == 1.0 and sections["5"]["new_score"] == 0.0
    assert "old_score" not in sections["9"] and sections["9"]["new_pass"] == 0


def test_prompt_changed_between_versions(tmp_path) -> None:
    old = make_session("a", [("4.1-a", "pass")])
    new = make_session("b", [("4.1-a", "pass")], started=at(2))
    new.records[0].prompt = "Reworded?"
    comparison = compare_sessions(old, new)
    assert [item.change for item in comparison.items] == ["unchanged"]
    new.records[0].result = "fail"
    from auditui.compare import to_document

    change = to_document(compare_sessions(old, new))["changes"][0]
    assert change["prompt"] == "Reworded?" and change["old_prompt"] == "Question 4.1-a?"


def test_same_session_is_all_unchanged_and_empty_changes(capsys, tmp_path, two) -> None:
    code, out, err = cli(capsys, tmp_path, "compare", "new", "new", "--format", "toml")
    assert code == 0, err
    assert "changes = []" in out
    document = parse(out)
    assert document["changes"] == []
    assert document["summary"]["unchanged"] == len(NEW_ITEMS)
    assert sum(document["summary"].values()) == len(NEW_ITEMS)


def test_paths_work_as_arguments(capsys, tmp_path, two) -> None:
    old, new = two
    code, out, _ = cli(capsys, tmp_path, "compare", str(old), str(new), "--format", "toml")
    assert code == 0
    head = parse(out)["compare"]
    assert (head["old"], head["new"]) == ("old", "new")


def test_output_file(capsys, tmp_path, two) -> None:
    target = tmp_path / "cmp.toml"
    code, out, _ = cli(
        capsys, tmp_path, "compare", "old", "new", "--format", "toml", "-o", str(target)
    )
    assert code == 0 and out == ""
    assert parse(target.read_text("utf-8"))["summary"]["regressed"] == 1


def test_different_checklists_refused(capsys, tmp_path) -> None:
    folder = tmp_path / "sessions"
    write_session(folder, make_session("a", [("4.1-a", "pass")], checklist_id="one"))
    write_session(folder, make_session("b", [("4.1-a", "pass")], checklist_id="two"))
    code, out, err = cli(capsys, tmp_path, "compare", "a", "b")
    assert code == 1
    assert out == ""
    assert "sessions a and b are of different checklists (one, two)" in err
    assert err.count("\n") == 1
    with pytest.raises(AudituiError):
        compare_sessions(make_session("x", [], checklist_id="p"), make_session("y", []))


def test_missing_session_and_bad_arguments(capsys, tmp_path, two) -> None:
    code, out, err = cli(capsys, tmp_path, "compare", "old", "nope")
    assert code == 1 and out == ""
    assert "nope" in err and "Traceback" not in err
    assert cli(capsys, tmp_path, "compare", "old")[0] == 2
    assert cli(capsys, tmp_path, "compare", "old", "new", "--format", "csv")[0] == 2


def test_unreadable_session_is_named(capsys, tmp_path, two) -> None:
    broken = tmp_path / "sessions" / "broken.toml"
    broken.write_text("[session\n", encoding="utf-8")
    code, out, err = cli(capsys, tmp_path, "compare", "old", "broken")
    assert code == 1 and out == ""
    assert "broken.toml" in err


def test_text_output(capsys, tmp_path, two) -> None:
    code, out, err = cli(capsys, tmp_path, "compare", "old", "new")
    assert code == 0, err
    assert "old" in out and "new" in out
    assert "2026-01-01 09:30" in out and "2026-01-08 09:30" in out
    assert "60.0% → 50.0%" in out
    # The summary counts what the lists below it list, group by group (the TOML keeps
    # SPEC's kinds: there a new failure is also `changed` or `added`).
    assert "1 regressed · 2 new failures · 1 improved · 4 other changes · 1 unchanged" in out
    assert "Other changes: 4 items (2 changed, 1 added, 1 removed)" in out
    regressions = out.index("Regressions")
    new_failures = out.index("New failures")
    improvements = out.index("Improvements")
    others = out.index("Other changes")
    sections = out.index("Pass rate by section")
    assert regressions < new_failures < improvements < others < sections
    assert "5.1-a" in out[regressions:new_failures]
    assert "policy not posted" in out[regressions:new_failures]
    failures = out[new_failures:improvements]
    assert "5.2-a" in failures and "na → fail" in failures
    assert "7.1-b" in failures and "absent → fail" in failures
    assert "4.2-a" in out[improvements:others]
    rest = out[others:sections]
    assert "1 removed" in rest and "7.1-a" in rest and "fail → absent" in rest
    for line in out.splitlines():
        assert cell_width(line) <= 100, line


def test_items_failing_in_both_are_named_majors_first(capsys, tmp_path) -> None:
    """A follow-up audit: "3 unchanged (3 still failing)" and no item named, not even a
    major that failed again with its action overdue (the report named it)."""
    import tomllib

    folder = tmp_path / "sessions"
    write_session(folder, make_session("q1", [
        ("4.1-a", "fail", "", "minor"), ("4.2-a", "fail", "", "major"), ("5.1-a", "pass"),
    ], started=at(1)))  # fmt: skip
    write_session(folder, make_session("follow-up", [
        ("4.1-a", "fail", "still no list", "minor"), ("4.2-a", "fail", "gauge overdue", "major"),
        ("5.1-a", "pass"),
    ], started=at(8)))  # fmt: skip
    code, out, err = cli(capsys, tmp_path, "compare", "q1", "follow-up")
    assert code == 0, err
    block = out[out.index("Still failing: 2 items failed before and fail again"):]
    assert block.index("4.2-a") < block.index("4.1-a")  # the major first
    assert "grade major · note: gauge overdue" in block
    code, out, err = cli(capsys, tmp_path, "compare", "q1", "follow-up", "--format", "toml")
    still = tomllib.loads(out)["still_failing"]
    assert [(t["item_id"], t["new_grade"]) for t in still] == [("4.2-a", "major"),
                                                                 ("4.1-a", "minor")]


def test_text_shows_user_text_literally(capsys, tmp_path) -> None:
    folder = tmp_path / "sessions"
    long_prompt = "Is this a very long question " * 10
    write_session(folder, make_session("a", [("4.1-a", "pass")]))
    new = make_session(
        "b", [("4.1-a", "fail", "[bold]loud[/bold] \x1b[31mred\x1b[0m")], started=at(2)
    )
    new.records[0].prompt = long_prompt
    new.checklist_title = "Title [i]x[/i]\x1b]0;pwned\x07"
    write_session(folder, new)
    code, out, _ = cli(capsys, tmp_path, "compare", "a", "b")
    assert code == 0
    assert "[bold]loud[/bold] ␛[31mred␛[0m" in out
    assert "Title [i]x[/i]␛]0;pwned␇" in out
    assert "\x1b" not in out and "\x07" not in out
    assert "…" in out  # the long prompt is cut
    for line in out.splitlines():
        assert cell_width(line) <= 100, line


def test_no_differences_text(capsys, tmp_path, two) -> None:
    code, out, _ = cli(capsys, tmp_path, "compare", "old", "old")
    assert code == 0
    assert "No differences in results." in out
    assert "Regressions" not in out


def test_journal_marks_are_seen(capsys, tmp_path, two) -> None:
    """A change still in the session's journal (not yet folded in) counts."""
    from auditui.store import SessionStore

    store = SessionStore(tmp_path / "sessions")
    writer = store.open("new")
    try:
        writer.answer("4.1-a", result="fail")
    finally:
        writer.abandon()
    code, out, _ = cli(capsys, tmp_path, "compare", "old", "new", "--format", "toml")
    assert code == 0
    assert parse(out)["summary"]["regressed"] == 2


def test_large_sessions_are_linear() -> None:
    items = [(f"{n % 50}.{n}-a", "pass" if n % 3 else "fail") for n in range(5000)]
    flipped = [(item_id, "fail" if result == "pass" else "pass") for item_id, result in items]
    comparison = compare_sessions(make_session("a", items), make_session("b", flipped))
    counts = comparison.counts()
    assert counts["improved"] + counts["regressed"] == 5000
    assert len(comparison.sections) == 50


def test_sessions_given_newer_first_are_compared_as_given_and_said_so(
    capsys, tmp_path, two
) -> None:
    """`compare NEWER OLDER` read as if the later audit had regressed; one line on stderr
    says the order was reversed, and the output is still what was asked for."""
    code, out, err = cli(capsys, tmp_path, "compare", "new", "old", "--format", "toml")
    assert code == 0
    assert err.count("\n") == 1 and "new started after old" in err
    assert parse(out)["compare"]["old"] == "new"
    assert cli(capsys, tmp_path, "compare", "old", "new")[2] == ""


def test_the_text_says_how_many_of_the_unchanged_still_fail(capsys, tmp_path) -> None:
    """A follow-up audit's main news, an item failing again, was only counted among the
    unchanged ("0 new failures · 1 unchanged")."""
    folder = tmp_path / "sessions"
    write_session(folder, make_session("old", [("4.1-a", "fail"), ("4.2-a", "pass")],
                                       started=at(1)))  # fmt: skip
    write_session(folder, make_session("new", [("4.1-a", "fail"), ("4.2-a", "pass")],
                                       started=at(8)))  # fmt: skip
    code, out, err = cli(capsys, tmp_path, "compare", "old", "new")
    assert code == 0, err
    assert "2 unchanged (1 still failing)" in out


def test_fails_in_sections_the_old_session_did_not_audit_are_named(capsys, tmp_path) -> None:
    """A follow-up audit widened to section 9 found a major there: compare said "0 new
    failures" and nothing else, as the item was outside the older audit's scope. It is
    still not compared, but listed as the newer audit's fail."""
    folder = tmp_path / "sessions"
    old = make_session("old", [("4.1-a", "pass"), ("9.1-a", "unanswered")], started=at(1))
    old.set_scope(["4"])
    write_session(folder, old)
    new = make_session("new", [("4.1-a", "pass"), ("9.1-a", "fail", "No <b>data</b>", "major")],
                       started=at(8))  # fmt: skip
    write_session(folder, new)
    code, out, err = cli(capsys, tmp_path, "compare", "old", "new")
    assert code == 0, err
    assert "0 new failures" in out and "1 out of scope" in out
    assert "Not compared: 1 item fails now in sections the old session did not audit" in out
    assert "grade major · note: No <b>data</b>" in out
    code, out, err = cli(capsys, tmp_path, "compare", "old", "new", "--format", "toml")
    document = parse(out)
    assert document["changes"] == [] and document["summary"]["out_of_scope"] == 1
    [fail] = document["fails_not_compared"]
    assert (fail["item_id"], fail["old"], fail["new"], fail["new_grade"]) == (
        "9.1-a", "out-of-scope", "fail", "major"
    )
    # The other way round (the older audit failed what the newer left out): nothing new.
    code, out, err = cli(capsys, tmp_path, "compare", "new", "old", "--format", "toml")
    assert parse(out)["fails_not_compared"] == []


def test_two_versions_of_one_session_show_their_edited_notes_grades_and_files(
    capsys, tmp_path
) -> None:
    """The sync keeps another laptop's version beside a finished session and says to
    `compare` the two; compare said "No differences in results." while the copy held a
    supervisor's note, a lowered grade and a photo: the late work, deleted unread."""
    folder = tmp_path / "sessions"
    write_session(folder, make_session("s", [("4.1-a", "fail", "No record", "minor"),
                                             ("4.2-a", "pass")], started=at(1)))  # fmt: skip
    copy = make_session("s", [("4.1-a", "fail", "Record found later", "observation"),
                              ("4.2-a", "pass")], started=at(1))  # fmt: skip
    path = write_session(folder, copy, name="s.kept-20261207T120000")
    code, out, err = cli(capsys, tmp_path, "compare", "s", str(path))
    assert code == 0, err
    assert "No differences in results." in out
    assert "Edited, the same result: 1 item whose note, grade or evidence differ" in out
    assert "old: grade minor · note: No record" in out
    assert "new: grade observation · note: Record found later" in out
    code, out, err = cli(capsys, tmp_path, "compare", "s", str(path), "--format", "toml")
    [edited] = parse(out)["edited"]
    assert (edited["item_id"], edited["old_grade"], edited["new_grade"]) == (
        "4.1-a", "minor", "observation"
    )
    assert edited["old_files"] == edited["new_files"] == []
    # The title changed too: said apart from the items.
    copy.title = "Internal audit, Plant 2"
    write_session(folder, copy, name="s.kept-20261207T120000")
    code, out, err = cli(capsys, tmp_path, "compare", "s", str(path))
    assert "Also different between the two versions:" in out
    assert "  title: '' in the old, 'Internal audit, Plant 2' in the new" in out
    assert "Findings closed" not in out  # no later audit: one session, two versions
    # A supervisor's note of a page: cut after a few lines, and said to be cut.
    copy.record("4.1-a").note = "The record was found in the archive. " * 40
    write_session(folder, copy, name="s.kept-20261207T120000")
    code, out, err = cli(capsys, tmp_path, "compare", "s", str(path))
    lines = out.splitlines()
    start = next(n for n, line in enumerate(lines) if "new: grade observation" in line)
    assert lines[start + 3].endswith("…") and "archive" not in lines[start + 4]
    # Two audits: every note differs, and none of that is listed.
    write_session(folder, make_session("t", [("4.1-a", "fail", "Other words", "major"),
                                             ("4.2-a", "pass")], started=at(5)))  # fmt: skip
    code, out, err = cli(capsys, tmp_path, "compare", "s", "t", "--format", "toml")
    assert parse(out)["edited"] == []
