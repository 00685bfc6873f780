"""A session's scope: the sections it audits. Items outside it are not asked, not
counted, written `out-of-scope`, and not compared."""

from __future__ import annotations

import csv
import io
import tomllib
from pathlib import Path

import pytest
from history_helpers import make_session, write_session

from auditui.compare import compare_sessions
from auditui.errors import AudituiError
from auditui.export import export_session
from auditui.store import SessionStore, read_session


@pytest.fixture
def scoped(store: SessionStore, checklist, started):
    """A session of the demo checklist (sections 4 and 5) scoped to section 5."""
    writer = store.create(checklist, auditor="Mai", auditee="QA", started=started, scope=["5"])
    return writer


def test_scope_is_written_and_read_back(scoped, sessions_dir: Path) -> None:
    scoped.answer("5.1-a", result="pass")
    scoped.close()
    path = sessions_dir / f"{scoped.session.id}.toml"
    document = tomllib.loads(path.read_text("utf-8"))
    assert document["session"]["scope"] == ["5"]
    results = {r["item_id"]: r["result"] for r in document["results"]}
    assert results == {
        "4.1-a": "out-of-scope",
        "4.2-a": "out-of-scope",
        "5.1-a": "pass",
        "5.2-a": "unanswered",
    }
    assert document["summary"]["total"] == 2
    assert document["summary"]["answered"] == 1
    assert document["summary"]["unanswered"] == 1
    again = read_session(path)
    assert again.scope == ("5",)
    assert not again.in_scope("4.1-a") and again.in_scope("5.2-a")
    assert [r.item_id for r in again.scoped_records()] == ["5.1-a", "5.2-a"]
    assert again.summary().total == 2
    assert again.first_unanswered() == again.index["5.2-a"]


def test_a_whole_checklist_session_writes_no_scope(store, checklist, started, sessions_dir) -> None:
    writer = store.create(checklist, started=started)
    writer.close()
    text = (sessions_dir / f"{writer.session.id}.toml").read_text("utf-8")
    assert "scope" not in tomllib.loads(text)["session"]
    assert "out-of-scope" not in text
    assert all(writer.session.in_scope(r) for r in writer.session.records)


def test_marks_outside_the_scope_are_refused_until_it_is_widened(scoped, sessions_dir) -> None:
    with pytest.raises(AudituiError, match="outside the scope.*widen the scope to section 4"):
        scoped.answer("4.1-a", result="fail")
    assert scoped.session.record("4.1-a").result == "unanswered"
    scoped.widen_scope(["4"])
    scoped.answer("4.1-a", result="fail")
    scoped.close()
    again = read_session(sessions_dir / f"{scoped.session.id}.toml")
    assert again.scope == ("4", "5")  # checklist order
    assert again.record("4.1-a").result == "fail"
    assert again.summary().total == 4


def test_unknown_sections_are_refused(store, checklist, started) -> None:
    with pytest.raises(AudituiError, match="no section '9' in checklist demo"):
        store.create(checklist, started=started, scope=["9"])
    assert not store.folder.exists() or not list(store.folder.glob("*.toml"))


def test_a_file_naming_an_unknown_section_is_reported(tmp_path: Path) -> None:
    session = make_session("s1", [("4.1-a", "pass"), ("5.1-a", "unanswered")])
    path = write_session(tmp_path, session)
    text = path.read_text("utf-8").replace('\nstarted = ', '\nscope = ["7"]\nstarted = ', 1)
    path.write_text(text, "utf-8")
    with pytest.raises(AudituiError, match=r"session\.scope\[0\]: no section '7'"):
        read_session(path)


def test_out_of_scope_read_back_as_unanswered_and_counted_nowhere(tmp_path: Path) -> None:
    session = make_session("s1", [("4.1-a", "unanswered"), ("5.1-a", "fail")])
    session.set_scope(["5"])
    path = write_session(tmp_path, session)
    again = read_session(path)
    assert again.record("4.1-a").result == "unanswered"
    assert again.file_result(again.record("4.1-a")) == "out-of-scope"
    summary = again.summary()
    assert (summary.total, summary.failed, summary.unanswered) == (1, 1, 0)


def test_exports_say_out_of_scope(scoped) -> None:
    scoped.answer("5.1-a", result="fail", note="no policy posted")
    session = scoped.session
    rows = list(csv.DictReader(io.StringIO(export_session(session, "csv").decode("utf-8"))))
    assert [row["result"] for row in rows] == ["out-of-scope", "out-of-scope", "fail", "unanswered"]
    markdown = export_session(session, "markdown").decode("utf-8")
    assert "Context of the organization — out of scope" in markdown
    assert "Answered: 1/2" in markdown
    document = tomllib.loads(export_session(session, "toml").decode("utf-8"))
    assert document["session"]["scope"] == ["5"]
    assert document["summary"]["fail"] == 1
    scoped.close()


def test_compare_leaves_out_items_outside_either_scope() -> None:
    old = make_session("old", [("4.1-a", "pass"), ("5.1-a", "pass"), ("6.1-a", "fail")])
    new = make_session("new", [("4.1-a", "unanswered"), ("5.1-a", "fail"), ("6.1-a", "pass")])
    new.set_scope(["5", "6"])
    old.set_scope(["4", "5"])
    comparison = compare_sessions(old, new)
    counts = comparison.counts()
    assert counts["out_of_scope"] == 2  # 4.1-a outside new's scope, 6.1-a outside old's
    assert [(c.item_id, c.change) for c in comparison.changes] == [("5.1-a", "regressed")]
    assert [s.section_id for s in comparison.sections] == ["5"]


def test_items_of_one_version_only_are_added_or_removed_whatever_the_scope() -> None:
    """SPEC: `out_of_scope` counts items in both versions outside either scope; an item
    only in NEW's version is `added` and one only in OLD's `removed`, in scope or not."""
    old = make_session("old", [("7.1-a", "pass"), ("7.2-a", "fail"), ("8.1-a", "pass"),
                               ("9.1-a", "pass")], version="1")  # fmt: skip
    new = make_session("new", [("7.1-a", "pass"), ("7.3-new", "fail"), ("8.1-a", "unanswered"),
                               ("8.7-new", "unanswered")], version="2")  # fmt: skip
    new.set_scope(["7"])
    old.set_scope(["7", "8"])
    counts = compare_sessions(old, new).counts()
    assert (counts["added"], counts["removed"], counts["out_of_scope"]) == (2, 2, 1)
    assert counts["unchanged"] == 1  # 7.1-a; 8.1-a is outside NEW's scope


def test_run_with_an_unknown_scope_section_exits_1(run_cli, write_file, valid_text) -> None:
    checklist = write_file("demo.toml", valid_text, Path.cwd() / "checklists")
    code, out, err = run_cli("run", "demo", "--scope", "4,9", "--auditor", "a", "--auditee", "b")
    assert code == 1
    assert "no section '9' in checklist demo" in err
    assert err.count("\n") == 1
    assert checklist.exists()
    assert not (Path.cwd() / "sessions").exists()


@pytest.mark.parametrize("command", ["run", "print"])
@pytest.mark.parametrize("scope", ["", ",", " , "])
def test_a_scope_that_names_no_section_is_refused(run_cli, write_file, valid_text, command, scope):
    """`--scope ,` (a script's empty variable) is not taken for the whole checklist; the
    command line is wrong, so the status is 2 (SPEC's exit statuses)."""
    write_file("demo.toml", valid_text, Path.cwd() / "checklists")
    people = ["--auditor", "a", "--auditee", "b"] if command == "run" else []
    code, out, err = run_cli(command, "demo", "--scope", scope, *people)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "--scope names no section" in err
    assert not (Path.cwd() / "sessions").exists()


def test_sessions_listing_counts_the_scope_only(run_cli, scoped, sessions_dir) -> None:
    scoped.answer("5.1-a", result="pass")
    scoped.close()
    code, out, err = run_cli("sessions", "--sessions-dir", sessions_dir, "--format", "toml")
    assert code == 0, err
    (row,) = tomllib.loads(out)["sessions"]
    assert (row["answered"], row["total"]) == (1, 2)
