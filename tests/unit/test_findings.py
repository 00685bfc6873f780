"""`auditui findings` and `auditui finding`: the register over hand-made histories.

SPEC "The findings register": a finding is raised by the first fail of an item while
none of that item is open (id `<session id>/<item id>`), grows with later fails
(`last_failed_in`, `streak`), is left as it is by na, unanswered, out of scope or an
item absent from a checklist version, and is closed by a later pass (`closed_in`) or
by hand with a reason. Majors first, then by age.
"""

from __future__ import annotations

import csv
import io
import os
from datetime import date, datetime, timedelta

import pytest
from history_helpers import (
    at,
    cli,
    indexed_history,  # noqa: F401  (the fixture)
    make_session,
    parse,
    write_checklist,
    write_session,
)

from auditui.textwidth import cell_width

pytestmark = pytest.mark.usefixtures("indexed_history")


def _write(tmp_path, *sessions) -> None:
    for session in sessions:
        write_session(tmp_path / "sessions", session)


def _findings(capsys, tmp_path, *options) -> list[dict]:
    code, out, err = cli(capsys, tmp_path, "findings", "--format", "toml", *options)
    assert code == 0, err
    return parse(out)["findings"]


def test_a_fail_recorded_after_a_closing_by_hand_raises_a_new_finding(capsys, tmp_path) -> None:
    """SPEC: "A later `fail` of an item whose finding is closed raises a new one." An
    audit under way when the finding was closed by hand (started before the closing)
    failed the item after it: that fail, a major, went into the closed finding and was
    in no register, count or review pack."""
    _write(tmp_path, make_session("s1", [("2.1-a", "fail", "first", "minor")], started=at(1)))
    close = ("finding", "s1/2.1-a", "--close", "--reason", "moved to a new process")
    assert cli(capsys, tmp_path, *close)[0] == 0
    closing = datetime.now().astimezone()
    under_way = make_session("s2", [("2.1-a", "fail", "seen again", "major")],
                             started=closing - timedelta(hours=1))  # fmt: skip
    under_way.records[0].recorded = closing + timedelta(minutes=5)
    _write(tmp_path, under_way)
    [new] = _findings(capsys, tmp_path)
    assert (new["id"], new["status"], new["grade"]) == ("s2/2.1-a", "open", "major")
    closed = {f["id"]: f for f in _findings(capsys, tmp_path, "--all")}["s1/2.1-a"]
    assert (closed["status"], closed["last_failed_in"]) == ("closed", "s1")
    # A fail recorded before the closing was there to be seen by whoever closed it: it
    # stays in the finding closed by hand, and nothing is open.
    under_way.records[0].recorded = closing - timedelta(minutes=30)
    _write(tmp_path, under_way)
    assert _findings(capsys, tmp_path) == []


def test_a_not_applicable_breaks_the_streak_and_leaves_the_finding_open(capsys, tmp_path):
    """SPEC: `streak` counts the sessions in a row, "ending with the latest session of the
    checklist that answered the item, that failed it"; n/a is an answer (it counts in
    `answered`), so fail, n/a, fail is not "failed 2 audits in a row". A session that did
    not answer the item (unanswered) does not break the row."""
    _write(
        tmp_path,
        make_session("s1", [("2.1-a", "fail"), ("2.2-a", "fail")], started=at(1)),
        make_session("s2", [("2.1-a", "na"), ("2.2-a", "unanswered")], started=at(2)),
        make_session("s3", [("2.1-a", "fail"), ("2.2-a", "fail")], started=at(3)),
    )
    found = {f["id"]: f for f in _findings(capsys, tmp_path)}
    assert set(found) == {"s1/2.1-a", "s1/2.2-a"}  # left open by the n/a and the skip
    assert found["s1/2.1-a"]["streak"] == 1
    assert found["s1/2.2-a"]["streak"] == 2
    # Fail, fail, then n/a: the latest session that answered the item did not fail it.
    _write(tmp_path, make_session("s4", [("2.1-a", "pass"), ("2.2-a", "na")], started=at(4)))
    [found] = _findings(capsys, tmp_path)
    assert (found["id"], found["streak"], found["status"]) == ("s1/2.2-a", 0, "open")
    # Closed by a pass, as after an n/a: the latest session that answered it passed it.
    closed = {f["id"]: f for f in _findings(capsys, tmp_path, "--all")}["s1/2.1-a"]
    assert (closed["status"], closed["streak"]) == ("closed", 0)


def test_a_finding_closed_by_hand_then_passed_has_a_streak_of_0(capsys, tmp_path) -> None:
    """Fail, fail, closed by hand, pass kept "2"; fail, fail, pass gave 0."""
    _write(tmp_path, make_session("s1", [("2.1-a", "fail")], started=at(1)),
           make_session("s2", [("2.1-a", "fail")], started=at(2)))  # fmt: skip
    from auditui.finding_records import FindingRecords

    closing = {"closed": at(2) + timedelta(hours=2), "closed_reason": "process retired"}
    FindingRecords(tmp_path / "sessions").update("s1/2.1-a", closing, at=at(2))
    _write(tmp_path, make_session("s3", [("2.1-a", "pass")], started=at(3)))
    [closed] = _findings(capsys, tmp_path, "--all")
    assert (closed["status"], closed["streak"]) == ("closed", 0)


def test_a_fail_after_the_action_was_marked_done_opens_the_finding_again(capsys, tmp_path):
    """ISO 9001 10.2.1 d: the effectiveness of a corrective action is reviewed. A finding
    marked done that the next audit failed again stayed "done", off the overdue list. It
    now reads open, says which session showed the action did not work, and is overdue
    when its date has passed; marked done again after that fail, it is done again."""
    from auditui.finding_records import FindingRecords

    records = FindingRecords(tmp_path / "sessions")
    _write(tmp_path, make_session("s1", [("2.1-a", "fail", "no WI", "minor")], started=at(1)))
    done = {"owner": "Mai", "due": date(2020, 1, 31), "status": "done"}
    records.update("s1/2.1-a", done, at=at(1) + timedelta(hours=2))
    [finding] = _findings(capsys, tmp_path)
    assert (finding["status"], finding["overdue"]) == ("done", False)
    assert "not_effective_in" not in finding
    again = make_session("s2", [("2.1-a", "fail", "still no WI")], started=at(2))
    _write(tmp_path, again)
    [finding] = _findings(capsys, tmp_path)
    assert (finding["status"], finding["overdue"]) == ("open", True)
    assert finding["not_effective_in"] == "s2"
    code, out, _ = cli(capsys, tmp_path, "findings", "--overdue")
    assert code == 0 and "s1/2.1-a" in out
    assert out.endswith("\n1 overdue finding of 1 open.\n")  # not "1 open finding, 1 overdue"
    code, out, _ = cli(capsys, tmp_path, "findings")
    assert "not effective: the action was marked done, and s2 failed the item again" in out
    # The owner acts again and marks it done after that fail: done, and not overdue.
    records.update("s1/2.1-a", {"status": "done"}, at=at(3))
    [finding] = _findings(capsys, tmp_path)
    assert (finding["status"], finding["overdue"]) == ("done", False)
    assert "not_effective_in" not in finding
    # A fail recorded before the action was marked done, in an audit under way then, was
    # there to be seen by whoever marked it: still done.
    records.update("s1/2.1-a", {"status": "done"}, at=at(2) + timedelta(hours=2))
    again.records[0].recorded = at(2) + timedelta(hours=1)
    _write(tmp_path, again)
    assert _findings(capsys, tmp_path)[0]["status"] == "done"
    again.records[0].recorded = at(2) + timedelta(hours=3)
    _write(tmp_path, again)
    assert _findings(capsys, tmp_path)[0]["status"] == "open"


def test_the_id_a_finding_had_before_an_older_session_arrived_still_names_it(
    capsys, tmp_path
) -> None:
    """A session older than the one that raised a finding arrives by sync and fails the
    item too: the older one raises it now, and the id noted before is still accepted."""
    _write(tmp_path, make_session("s2", [("1.1-a", "fail", "second")], started=at(2)))
    [finding] = _findings(capsys, tmp_path)
    assert finding["id"] == "s2/1.1-a"
    _write(tmp_path, make_session("s1", [("1.1-a", "fail", "first")], started=at(1)))
    code, out, err = cli(capsys, tmp_path, "finding", "s2/1.1-a", "--format", "toml")
    assert code == 0, err
    assert parse(out)["finding"]["id"] == "s1/1.1-a"


def test_fail_skip_skip_pass(capsys, tmp_path) -> None:
    _write(
        tmp_path,
        make_session("s1", [("1.1-a", "fail", "no [bold]records[/bold]", "minor")], started=at(1)),
        make_session("s2", [("1.1-a", "unanswered")], started=at(2)),
        make_session("s3", [("1.1-a", "na")], started=at(3)),
    )
    # After an audit that did not answer the item and one that found it not applicable,
    # the finding is still open. Its streak is 0: the latest session that answered the
    # item (n/a) did not fail it (SPEC: "ending with the latest session of the checklist
    # that answered the item").
    assert _findings(capsys, tmp_path) == [
        {
            "id": "s1/1.1-a",
            "checklist_id": "demo",
            "item_id": "1.1-a",
            "clause": "1.1",
            "prompt": "Question 1.1-a?",
            "grade": "minor",
            "note": "no [bold]records[/bold]",
            "raised_in": "s1",
            "raised": at(1),
            "last_failed_in": "s1",
            "streak": 0,
            "status": "open",
            "checklist_title": "Demo audit",
            "last_failed": at(1),
        }
    ]
    _write(tmp_path, make_session("s4", [("1.1-a", "pass")], started=at(4)))
    assert _findings(capsys, tmp_path) == []
    [closed] = _findings(capsys, tmp_path, "--all")
    assert closed["status"] == "closed"
    assert closed["closed_in"] == "s4" and closed["closed"] == at(4)
    assert closed["streak"] == 0 and closed["last_failed_in"] == "s1"
    assert "closed_reason" not in closed


def test_fail_fail_close_by_hand_then_fail_again(capsys, tmp_path) -> None:
    _write(
        tmp_path,
        make_session("s1", [("2.1-a", "fail", "first", "minor")], started=at(1)),
        make_session("s2", [("2.1-a", "fail", "second", "major")], started=at(2)),
    )
    [finding] = _findings(capsys, tmp_path)
    assert finding["id"] == "s1/2.1-a"
    assert (finding["last_failed_in"], finding["streak"]) == ("s2", 2)
    assert (finding["grade"], finding["note"]) == ("major", "second")  # the latest fail's

    code, out, err = cli(
        capsys, tmp_path, "finding", "s1/2.1-a", "--close", "--reason", "moved to a new site",
        "--format", "toml",
    )  # fmt: skip
    assert code == 0, err
    shown = parse(out)["finding"]
    assert shown["status"] == "closed"
    assert shown["closed_reason"] == "moved to a new site"
    assert "closed_in" not in shown
    assert _findings(capsys, tmp_path) == []
    [listed] = _findings(capsys, tmp_path, "--all")
    assert listed["closed_reason"] == "moved to a new site"
    # Closing again is refused; a fail after the closing raises a new finding.
    code, _, err = cli(capsys, tmp_path, "finding", "s1/2.1-a", "--close", "--reason", "x")
    assert code == 1 and "already closed" in err
    # An hour from now: after the closing, and not "from the future" (counted.py), which a
    # session more than a day ahead of the clock would be, and not counted.
    later = datetime.now().astimezone() + timedelta(hours=1)
    _write(tmp_path, make_session("s3", [("2.1-a", "fail")], started=later))
    [new] = _findings(capsys, tmp_path)
    assert new["id"] == "s3/2.1-a" and new["raised_in"] == "s3"
    assert new["status"] == "open"
    assert new["streak"] == 3  # three sessions in a row failed the item
    assert [f["id"] for f in _findings(capsys, tmp_path, "--all")] == ["s1/2.1-a", "s3/2.1-a"]


def test_same_item_failed_in_two_checklists(capsys, tmp_path) -> None:
    _write(
        tmp_path,
        make_session("a1", [("7.5-a", "fail")], checklist_id="alpha", started=at(2)),
        make_session("b1", [("7.5-a", "fail", "", "major")], checklist_id="beta", started=at(3)),
        make_session("b2", [("7.5-a", "pass")], checklist_id="alpha-other", started=at(4)),
    )
    found = _findings(capsys, tmp_path)
    # Majors first (though newer), then by age; another checklist's pass closes neither.
    assert [(f["id"], f["checklist_id"]) for f in found] == [
        ("b1/7.5-a", "beta"),
        ("a1/7.5-a", "alpha"),
    ]
    only = _findings(capsys, tmp_path, "--checklist", "alpha")
    assert [f["id"] for f in only] == ["a1/7.5-a"]
    # The item id alone is ambiguous; the id prefix is not.
    code, _, err = cli(capsys, tmp_path, "finding", "7.5-a")
    assert code == 1 and "matches 2 findings" in err
    code, out, _ = cli(capsys, tmp_path, "finding", "b1", "--format", "toml")
    assert code == 0 and parse(out)["finding"]["id"] == "b1/7.5-a"


def test_checklist_version_that_dropped_the_item(capsys, tmp_path) -> None:
    _write(
        tmp_path,
        make_session("v1", [("1.1-a", "fail"), ("1.2-a", "fail")], started=at(1), version="1"),
        make_session("v2", [("1.2-a", "pass")], started=at(2), version="2"),
    )
    [kept] = _findings(capsys, tmp_path)
    assert (kept["id"], kept["status"], kept["streak"]) == ("v1/1.1-a", "open", 1)
    assert kept["last_failed_in"] == "v1"
    code, out, _ = cli(capsys, tmp_path, "finding", "1.1-a", "--format", "toml")
    assert code == 0 and parse(out)["finding"]["id"] == "v1/1.1-a"  # the one open finding


def test_the_status_of_a_closed_finding_cannot_change(capsys, tmp_path) -> None:
    """`--status action` on a closed finding was kept in its file while the register went
    on saying closed: now refused, saying how it was closed."""
    _write(
        tmp_path,
        make_session("s1", [("2.1-a", "fail")], started=at(1)),
        make_session("s2", [("2.1-a", "pass")], started=at(2)),
    )
    code, out, err = cli(capsys, tmp_path, "finding", "s1/2.1-a", "--status", "action")
    assert (code, out) == (1, "")
    assert "finding s1/2.1-a is closed (passed in s2): its status cannot change" in err
    assert not (tmp_path / "sessions" / "findings").exists() or not list(
        (tmp_path / "sessions" / "findings").glob("*.toml")
    )
    # Its corrective action can still be written down for the record.
    code, _, err = cli(capsys, tmp_path, "finding", "s1/2.1-a", "--action", "new gauge bought")
    assert code == 0, err


def test_out_of_scope_never_opens_or_closes(capsys, tmp_path) -> None:
    items = [("1.1-a", "pass"), ("2.1-a", "fail"), ("3.1-a", "fail")]
    outside = make_session("s2", items, started=at(2))
    outside.set_scope(["3"])  # passes and fails typed by hand outside it count for nothing
    _write(tmp_path, make_session("s1", [("1.1-a", "fail")], started=at(1)), outside)
    assert [f["id"] for f in _findings(capsys, tmp_path)] == ["s1/1.1-a", "s2/3.1-a"]


def test_corrective_action_recorded_and_shown(capsys, tmp_path) -> None:
    _write(tmp_path, make_session("s1", [("1.1-a", "fail")], started=at(1)))
    code, out, err = cli(
        capsys, tmp_path, "finding", "s1/1.1-a", "--owner", "Mai [b]", "--due", "2000-01-31",
        "--cause", "no =training", "--action", "train the line", "--status", "action",
        "--format", "toml",
    )  # fmt: skip
    assert code == 0, err
    shown = parse(out)["finding"]
    assert shown["owner"] == "Mai [b]" and shown["due"] == date(2000, 1, 31)
    assert shown["cause"] == "no =training" and shown["action"] == "train the line"
    assert shown["status"] == "action" and shown["overdue"] is True
    keys = list(shown)
    assert keys[: keys.index("closed_reason") if "closed_reason" in keys else None][:17] == [
        "id", "checklist_id", "item_id", "clause", "prompt", "note", "raised_in", "raised",
        "last_failed_in", "streak", "status", "owner", "due", "cause", "action", "overdue",
        "checklist_title",
    ]  # fmt: skip
    # The file holds what was typed, not what the sessions say.
    [path] = (tmp_path / "sessions" / "findings").glob("*.toml")
    assert path.name == "s1+1.1-a.toml"
    stored = parse(path.read_text(encoding="utf-8"))
    assert set(stored["finding"]) == {"id", "owner", "due", "cause", "action", "status"}
    assert set(stored["changed"]) == {"owner", "due", "cause", "action", "status"}
    assert _findings(capsys, tmp_path, "--overdue")[0]["id"] == "s1/1.1-a"
    # Done is not overdue; only the fields given change.
    assert cli(capsys, tmp_path, "finding", "s1", "--status", "done")[0] == 0
    assert _findings(capsys, tmp_path, "--overdue") == []
    [again] = _findings(capsys, tmp_path)
    assert (again["owner"], again["status"], again["overdue"]) == ("Mai [b]", "done", False)
    # An empty value clears a field.
    assert cli(capsys, tmp_path, "finding", "s1", "--owner", "")[0] == 0
    assert "owner" not in _findings(capsys, tmp_path)[0]


def test_bad_dates_and_misuse(capsys, tmp_path) -> None:
    _write(tmp_path, make_session("s1", [("1.1-a", "fail")], started=at(1)))
    for bad in ("2026-02-30", "31/01/2026", "2026-1-5", "soon"):
        code, out, err = cli(capsys, tmp_path, "finding", "s1", "--due", bad)
        assert code == 2 and out == "" and "YYYY-MM-DD" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "sessions" / "findings").exists()
    assert cli(capsys, tmp_path, "finding", "s1", "--close")[0] == 2
    assert cli(capsys, tmp_path, "finding", "s1", "--reason", "x")[0] == 2
    code, _, err = cli(capsys, tmp_path, "finding", "s1", "--status", "closed")
    assert code == 2 and "(choose from 'open', 'action', 'done')" in err  # words, not enums
    assert cli(capsys, tmp_path, "findings", "--format", "html")[0] == 2
    code, _, err = cli(capsys, tmp_path, "finding", "nope")
    assert code == 1 and "no finding 'nope'" in err


@pytest.mark.parametrize("reference", ["", " "])
@pytest.mark.parametrize(
    "options",
    [("--owner", "x"), ("--status", "done"), ("--close", "--reason", "moved"), ()],
)
def test_an_empty_finding_names_none(capsys, tmp_path, reference, options) -> None:
    """`finding "" --owner x` (a script's empty $ID) matched the empty `action_id` of
    the first finding, a closed one even, and wrote to it with exit 0: now refused as
    `export ''` is (exit 1, one line), and nothing is written."""
    _write(
        tmp_path,
        make_session("s1", [("4.1-a", "fail"), ("4.2-a", "fail")], started=at(1)),
        make_session("s2", [("4.1-a", "pass")], started=at(2)),
    )
    code, out, err = cli(capsys, tmp_path, "finding", reference, *options)
    assert (code, out) == (1, "")
    assert err == f"auditui: no finding '{reference}' (see auditui findings --all)\n"
    assert not (tmp_path / "sessions" / "findings").exists()


def test_a_due_date_in_the_past_is_recorded_and_said(capsys, tmp_path) -> None:
    """2025 typed for 2026 went in without a word, and the finding was overdue at once."""
    _write(tmp_path, make_session("s1", [("1.1-a", "fail")], started=at(1)))
    past = (date.today() - timedelta(days=1)).isoformat()
    code, _, err = cli(capsys, tmp_path, "finding", "s1", "--due", past)
    assert code == 0
    assert err == f"auditui: finding s1/1.1-a: due {past} is in the past: it reads overdue\n"
    assert _findings(capsys, tmp_path)[0]["overdue"] is True
    code, _, err = cli(capsys, tmp_path, "finding", "s1", "--due", date.today().isoformat())
    assert (code, err) == (0, "")
    # An action marked done by a date now past is not overdue, and is not said to be.
    code, _, err = cli(capsys, tmp_path, "finding", "s1", "--due", past, "--status", "done")
    assert (code, err) == (0, "")
    assert _findings(capsys, tmp_path)[0]["overdue"] is False


def test_broken_findings_file_is_named_left_out_and_never_overwritten(capsys, tmp_path) -> None:
    _write(tmp_path, make_session("s1", [("1.1-a", "fail")], started=at(1)))
    folder = tmp_path / "sessions" / "findings"
    folder.mkdir(parents=True)
    broken = folder / "s1+1.1-a.toml"
    broken.write_text('[finding]\nid = "s1/1.1-a"\ndue = "tomorrow"\n', encoding="utf-8")
    code, out, err = cli(capsys, tmp_path, "findings", "--format", "toml")
    assert code == 0 and "s1+1.1-a.toml" in err and "finding.due" in err
    assert parse(out)["findings"][0]["status"] == "open"
    code, _, err = cli(capsys, tmp_path, "finding", "s1", "--owner", "Mai")
    assert code == 1 and "s1+1.1-a.toml" in err
    assert broken.read_text(encoding="utf-8").endswith('due = "tomorrow"\n')


def test_a_table_added_by_hand_to_a_record_is_kept_through_updates(capsys, tmp_path) -> None:
    """A `[review]` table typed into a findings file was read without a word, then gone
    after the next `finding --due`: kept now, as a session file keeps a table of its own
    and a record a key of its own in [finding]."""
    _write(tmp_path, make_session("s1", [("4.2-a", "fail")], started=at(1)))
    code, _, err = cli(capsys, tmp_path, "finding", "4.2-a", "--owner", "Mai", "--status", "action")
    assert code == 0, err
    path = tmp_path / "sessions" / "findings" / "s1+4.2-a.toml"
    with path.open("a", encoding="utf-8") as file:
        file.write('\n[review]\nverified_by = "QA lead"\nverified_on = 2027-01-05\n')
    code, _, err = cli(capsys, tmp_path, "findings")
    assert (code, err) == (0, "")
    code, _, err = cli(capsys, tmp_path, "finding", "4.2-a", "--due", "2099-02-01")
    assert (code, err) == (0, "")
    stored = parse(path.read_text(encoding="utf-8"))
    assert stored["review"] == {"verified_by": "QA lead", "verified_on": date(2027, 1, 5)}
    assert stored["finding"]["owner"] == "Mai" and stored["finding"]["due"] == date(2099, 2, 1)


def _bad_record(path, kind: str) -> None:
    """A findings file at `path` that cannot be read, in one of the ways a tester found."""
    import os

    head = '[finding]\nid = "s1/4.2-a"\n'
    if kind == "symlink":
        target = path.parent.parent.parent / "elsewhere.toml"
        target.write_text(head, encoding="utf-8")
        path.symlink_to(target)
    elif kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.write_text(
            {
                "due": head + 'due = "soon"\n',
                "status": head + 'status = "finished"\n',
                "id": '[finding]\nid = "s1/4.1-a"\n',
                "large": head + "# " + "x" * 2_000_000 + "\n",
            }[kind],
            encoding="utf-8",
        )


@pytest.mark.parametrize("change", [("--owner", "Z"), ("--close", "--reason", "Z")])
@pytest.mark.parametrize("kind", ["due", "status", "id", "symlink", "folder", "fifo", "large"])
def test_an_unreadable_record_is_named_once_when_refused(capsys, tmp_path, kind, change):
    """`finding 4.2-a --owner Z` on a findings file that cannot be read named it twice:
    once as left out of the register, then again as what stops the change. Once now, as
    what stops it; another broken file is still named as left out."""
    _write(tmp_path, make_session("s1", [("4.1-a", "fail"), ("4.2-a", "fail")], started=at(1)))
    folder = tmp_path / "sessions" / "findings"
    folder.mkdir(parents=True)
    path = folder / "s1+4.2-a.toml"
    _bad_record(path, kind)
    other = folder / "s1+4.1-a.toml"
    other.write_text('[finding]\nid = "s1/4.1-a"\ndue = "soon"\n', encoding="utf-8")
    before = sorted(os.listdir(folder))
    code, out, err = cli(capsys, tmp_path, "finding", "4.2-a", *change)
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert len(lines) == 2, err
    assert lines[0].startswith(f"auditui: {other}:") and lines[0].endswith("(left out)")
    assert lines[1].startswith(f"auditui: {path}:") and "(left out)" not in lines[1]
    assert sorted(os.listdir(folder)) == before
    if kind not in ("folder", "fifo", "symlink"):
        assert "Z" not in path.read_text(encoding="utf-8")
    # Shown, not changed: it is left out of what is shown, and said so.
    code, _, err = cli(capsys, tmp_path, "finding", "4.2-a")
    assert code == 0 and f"auditui: {path}:" in err and err.count("(left out)") == 2


def test_a_change_is_refused_while_a_record_under_another_id_of_the_finding_is_unreadable(
    capsys, tmp_path
) -> None:
    """The action was kept under the later session's id (an earlier session that failed the
    item arrived after it was typed); with that file broken, `finding --owner` wrote a new
    record without it, and the register read the finding as open, no cause, no action."""
    _write(tmp_path, make_session("s2", [("4.1-a", "fail")], started=at(2)))
    code, _, err = cli(capsys, tmp_path, "finding", "s2/4.1-a", "--cause", "no training",
                       "--status", "action")  # fmt: skip
    assert code == 0, err
    _write(tmp_path, make_session("s1", [("4.1-a", "fail")], started=at(1)))
    folder = tmp_path / "sessions" / "findings"
    kept = folder / "s2+4.1-a.toml"
    text = kept.read_text(encoding="utf-8")
    kept.write_text(text.replace('cause = "no training"', "cause = 5", 1), encoding="utf-8")
    before = sorted(os.listdir(folder))
    code, out, err = cli(capsys, tmp_path, "finding", "s1/4.1-a", "--owner", "Bob")
    assert (code, out) == (1, "")
    line = kept.read_text(encoding="utf-8").splitlines().index("cause = 5") + 1
    assert err == (
        f"auditui: {kept}:{line}: finding.cause: must be text in quotes, not an integer\n"
    )
    assert sorted(os.listdir(folder)) == before


@pytest.mark.parametrize(
    "argv",
    [("findings",), ("findings", "--all", "--format", "toml"), ("finding", "4.2-a"),
     ("finding", "4.2-a", "--owner", "Z"), ("finding", "4.2-a", "--close", "--reason", "r")],
)  # fmt: skip
def test_a_file_in_place_of_the_findings_folder_is_named(capsys, tmp_path, argv) -> None:
    """`sessions/findings` a regular file was read as an empty folder: the register
    showed every finding without its corrective action, exit 0 and not a word. Named
    now, exit 1, and nothing written there or beside it."""
    _write(tmp_path, make_session("s1", [("4.2-a", "fail")], started=at(1)))
    sessions = tmp_path / "sessions"
    (sessions / "findings").write_text("kept\n", encoding="utf-8")
    before = sorted(os.listdir(sessions))
    code, out, err = cli(capsys, tmp_path, *argv)
    assert (code, out) == (1, "")
    said = f"{sessions / 'findings'}: the findings folder is a file, not a folder"
    assert err == f"auditui: {said}\n"
    assert (sessions / "findings").read_text(encoding="utf-8") == "kept\n"
    assert sorted(os.listdir(sessions)) == before


def test_a_fifo_in_place_of_the_findings_folder_is_named(capsys, tmp_path) -> None:
    _write(tmp_path, make_session("s1", [("4.2-a", "fail")], started=at(1)))
    os.mkfifo(tmp_path / "sessions" / "findings")
    code, out, err = cli(capsys, tmp_path, "findings")
    assert (code, out) == (1, "")
    assert err.endswith("findings: the findings folder is not a folder\n")


def test_symlink_and_fifo_are_refused(capsys, tmp_path) -> None:
    import os

    _write(tmp_path, make_session("s1", [("1.1-a", "fail"), ("1.2-a", "fail")], started=at(1)))
    folder = tmp_path / "sessions" / "findings"
    folder.mkdir(parents=True)
    target = tmp_path / "elsewhere.toml"
    target.write_text('[finding]\nid = "s1/1.1-a"\nowner = "x"\n', encoding="utf-8")
    (folder / "s1+1.1-a.toml").symlink_to(target)
    os.mkfifo(folder / "s1+1.2-a.toml")
    code, out, err = cli(capsys, tmp_path, "findings", "--format", "toml")
    assert code == 0
    assert "s1+1.1-a.toml: is a symbolic link" in err and "s1+1.2-a.toml: is a FIFO" in err
    assert all("owner" not in f for f in parse(out)["findings"])
    code, _, err = cli(capsys, tmp_path, "finding", "s1/1.1-a", "--owner", "Mai")
    assert code == 1 and "symbolic link" in err
    assert target.read_text(encoding="utf-8").endswith('owner = "x"\n')


def test_orphaned_when_the_session_file_is_deleted(capsys, tmp_path) -> None:
    _write(tmp_path, make_session("s1", [("1.1-a", "fail")], started=at(1)))
    assert cli(capsys, tmp_path, "finding", "s1", "--owner", "Mai")[0] == 0
    (tmp_path / "sessions" / "s1.toml").unlink()
    [orphan] = _findings(capsys, tmp_path)
    assert orphan["id"] == "s1/1.1-a" and orphan["orphaned"] is True
    assert orphan["owner"] == "Mai" and orphan["status"] == "open"
    code, out, _ = cli(capsys, tmp_path, "findings")
    assert code == 0 and "orphaned" in out
    # Not counted open: trend and the review pack leave it out, and the counts agree.
    assert out.endswith("\n0 open findings; 1 orphaned corrective action (no session read "
                        "fails its item).\n")  # fmt: skip


def test_a_session_that_cannot_be_read_is_not_called_deleted(capsys, tmp_path) -> None:
    """A hand edit broke the session that raised a finding: the register called its
    action orphaned, "deleted or changed", and its counts looked whole."""
    _write(tmp_path, make_session("s1", [("1.1-a", "fail")], started=at(1)),
           make_session("s2", [("1.1-a", "fail")], started=at(2)))  # fmt: skip
    assert cli(capsys, tmp_path, "finding", "s1/1.1-a", "--owner", "Mai")[0] == 0
    path = tmp_path / "sessions" / "s1.toml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace('result = "fail"', 'result = "bogus"', 1), encoding="utf-8")
    code, out, err = cli(capsys, tmp_path, "findings")
    assert code == 0
    # The action knows the finding's other id (s2's fail): it stays with the finding s2
    # now raises, and the command says the register is not whole.
    assert "s2/1.1-a  open" in out and "owner Mai" in out and "orphaned" not in out
    assert "deleted" not in out
    assert "s1.toml" in err and "(left out)" in err
    # An action saved before it knew the other id: orphaned, and said why.
    from auditui.finding_records import FindingRecords

    (tmp_path / "sessions" / "findings" / "s1+1.1-a.toml").unlink()
    FindingRecords(tmp_path / "sessions").update("s1/1.1-a", {"owner": "Mai"})
    code, out, err = cli(capsys, tmp_path, "findings")
    assert "its session s1 cannot be read (said above)" in " ".join(out.split())
    assert "deleted" not in out
    assert "s1.toml" in err and "the register is not whole: s1 cannot be read" in err
    path.write_text(good, encoding="utf-8")  # mended: the finding is whole again
    [finding] = _findings(capsys, tmp_path)
    assert (finding["id"], finding["owner"], finding["streak"]) == ("s1/1.1-a", "Mai", 2)


def test_csv_opens_as_a_spreadsheet_would(capsys, tmp_path) -> None:
    _write(tmp_path, make_session("s1", [("1.1-a", "fail", '=HYPERLINK("x"), "quoted"\nline')]))
    action = ("--owner", "@admin", "--due", "2999-01-01")
    assert cli(capsys, tmp_path, "finding", "s1", *action)[0] == 0
    code, out, err = cli(capsys, tmp_path, "findings", "--format", "csv")
    assert code == 0, err
    assert out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == "s1/1.1-a" and row["status"] == "open" and row["streak"] == "1"
    assert row["note"] == "'" + '=HYPERLINK("x"), "quoted"\nline'
    assert row["owner"] == "'@admin" and row["due"] == "2999-01-01" and row["overdue"] == "false"
    assert list(rows[0])[:12] == [
        "id", "checklist_id", "item_id", "clause", "prompt", "grade", "note", "raised_in",
        "raised", "last_failed_in", "streak", "status",
    ]  # fmt: skip


def test_text_register(capsys, tmp_path) -> None:
    _write(
        tmp_path,
        make_session("s1", [("1.1-a", "fail", "x" * 300 + " \x1b[5m", "major")], started=at(1)),
        make_session("s2", [("1.1-a", "fail"), ("2.1-a", "fail")], started=at(2)),
    )
    code, out, err = cli(capsys, tmp_path, "findings")
    assert code == 0, err
    assert out.index("s1/1.1-a") < out.index("s2/2.1-a")
    assert "failed in 2 sessions in a row" in out
    assert "2 open findings." in out
    assert "\x1b" not in out
    for line in out.splitlines():
        assert cell_width(line) <= 100, line
    code, out, _ = cli(capsys, tmp_path, "finding", "s2/2.1-a")
    assert code == 0 and "raised_in" in out and "s2" in out


def test_a_long_id_and_owner_never_cut_off_the_due_date_or_overdue(capsys, tmp_path) -> None:
    """A real session id and a Vietnamese owner made the head line over 100 cells: it was
    cut at the owner, hiding "due … OVERDUE", in `findings --overdue` above all."""
    session_id = "2026-09-10-0930-iso9001-internal-audit-3fnb"
    _write(tmp_path, make_session(session_id, [("7.1.5.2-b", "fail", "", "major")], started=at(1)))
    owner = ("--owner", "Trần Văn Hùng, trưởng phòng QA", "--due", "2026-01-05")
    assert cli(capsys, tmp_path, "finding", f"{session_id}/7.1.5.2-b", *owner)[0] == 0
    code, out, err = cli(capsys, tmp_path, "findings", "--overdue")
    assert code == 0, err
    assert "due 2026-01-05 OVERDUE" in out and "owner Trần Văn Hùng" in out
    for line in out.splitlines():
        assert cell_width(line) <= 100 and not line.endswith("…"), line


def test_empty_and_unknown_checklist(capsys, tmp_path) -> None:
    code, out, _ = cli(capsys, tmp_path, "findings", "--format", "toml")
    assert code == 0 and out.strip() == "findings = []"
    write_checklist(tmp_path / "checklists", "fresh", ["1.1-a"])
    assert _findings(capsys, tmp_path, "--checklist", "fresh") == []
    code, out, err = cli(capsys, tmp_path, "findings", "--checklist", "nope")
    assert code == 1 and out == ""
    assert "no checklist with id nope, in the checklists folders or in the sessions" in err


@pytest.mark.parametrize("reference", ["", " "])
def test_an_empty_checklist_filter_is_refused_not_every_checklist(
    capsys, tmp_path, reference
) -> None:
    """`findings --checklist ''` (a script's empty variable) listed every checklist's
    findings with exit 0, as if no filter was given: now refused as `--checklist nope`."""
    _write(tmp_path, make_session("s1", [("1.1-a", "fail")], started=at(1)))
    code, out, err = cli(capsys, tmp_path, "findings", "--checklist", reference)
    assert (code, out) == (1, "")
    assert err == "auditui: give a checklist id (or a unique start of one, or a file)\n"


def test_unreadable_session_is_named_and_left_out(capsys, tmp_path) -> None:
    _write(tmp_path, make_session("s1", [("1.1-a", "fail")], started=at(1)))
    (tmp_path / "sessions" / "zz-broken.toml").write_text("not = [toml", encoding="utf-8")
    code, out, err = cli(capsys, tmp_path, "findings", "--format", "toml")
    assert code == 0 and "zz-broken.toml" in err
    assert len(parse(out)["findings"]) == 1


def test_order_is_by_start_time_not_file_name(capsys, tmp_path) -> None:
    _write(
        tmp_path,
        make_session("b-newer", [("1.1", "pass")], started=at(10)),
        make_session("c-older", [("1.1", "fail")], started=at(2)),
    )
    assert _findings(capsys, tmp_path) == []  # the newer pass closed it
    assert _findings(capsys, tmp_path, "--all")[0]["closed_in"] == "b-newer"


def test_the_register_holds_what_it_gives_not_every_session() -> None:
    """Closed findings are let go as the sessions go by (unless --all wants them): after
    200 sessions that fail and pass an item in turn, one finding is held, not a hundred."""
    from auditui.findings import RegisterBuilder

    builder = RegisterBuilder({}, keep_closed=False)
    for number in range(200):
        result = "fail" if number % 2 == 0 else "pass"
        started = at(1, year=2020) + timedelta(days=number)
        builder.add(make_session(f"s{number:03d}", [("1.1-a", result)], started=started))
    assert len(builder.findings) == 0  # the last session passed it
    builder.add(make_session("s999", [("1.1-a", "fail")], started=at(1, year=2099)))
    assert [finding.id for finding in builder.result()] == ["s999/1.1-a"]


def test_an_older_session_arriving_later_keeps_the_corrective_action(capsys, tmp_path) -> None:
    # Laptop 2's audit of the 5th comes in (sync, import) after the action was recorded on
    # the finding the audit of the 8th raised: the older fail now raises the finding, and
    # the action stays with it, updated where it is kept.
    _write(tmp_path, make_session("s8", [("1.1-a", "fail", "seen again", "minor")], started=at(8)))
    code, _, err = cli(capsys, tmp_path, "finding", "s8/1.1-a", "--owner", "Mai", "--action", "x")
    assert code == 0, err
    _write(tmp_path, make_session("s5", [("1.1-a", "fail", "first seen", "minor")], started=at(5)))
    [finding] = _findings(capsys, tmp_path)
    assert (finding["id"], finding["streak"]) == ("s5/1.1-a", 2)
    assert (finding["owner"], finding["action"]) == ("Mai", "x")
    assert "orphaned" not in finding
    code, _, err = cli(capsys, tmp_path, "finding", "s5/1.1-a", "--status", "done")
    assert code == 0, err
    [finding] = _findings(capsys, tmp_path)
    assert (finding["owner"], finding["status"]) == ("Mai", "done")
    assert [p.name for p in (tmp_path / "sessions" / "findings").glob("*.toml")] == [
        "s8+1.1-a.toml"
    ]


def test_findings_of_one_age_run_in_the_standard_s_order(capsys, tmp_path) -> None:
    """Raised together, findings were listed as text sorts ids: 10.1-a before 4.2-a."""
    _write(tmp_path, make_session("s1", [("10.1-a", "fail"), ("4.2-a", "fail"),
                                         ("10.2.1-b", "fail"), ("9.1-a", "fail")],
                                  started=at(1)))  # fmt: skip
    ids = [f["item_id"] for f in _findings(capsys, tmp_path)]
    assert ids == ["4.2-a", "9.1-a", "10.1-a", "10.2.1-b"]


def test_one_finding_reads_in_a_person_s_order(capsys, tmp_path) -> None:
    """`finding ID` printed `overdue` before `correction` and the checklist's title last."""
    _write(tmp_path, make_session("s1", [("1.1-a", "fail")], started=at(1)))
    change = ("--owner", "Mai", "--due", "2031-01-31", "--correction", "x", "--action", "y")
    code, out, _ = cli(capsys, tmp_path, "finding", "s1", *change)
    assert code == 0
    keys = [line.split()[0] for line in out.splitlines() if line[:1] != " "]
    assert keys.index("checklist_title") == keys.index("checklist_id") + 1
    assert keys[-6:] == ["status", "owner", "due", "overdue", "correction", "action"]


def test_an_item_id_whose_finding_is_closed_says_so(capsys, tmp_path) -> None:
    """`finding 1.1-a` when the item's only finding is closed said "no finding"."""
    _write(tmp_path, make_session("s1", [("1.1-a", "fail")], started=at(1)),
           make_session("s2", [("1.1-a", "pass")], started=at(2)))  # fmt: skip
    code, out, err = cli(capsys, tmp_path, "finding", "1.1-a")
    assert (code, out) == (1, "")
    assert "item 1.1-a has no open finding; closed: s1/1.1-a (give the id)" in err
    assert cli(capsys, tmp_path, "finding", "s1/1.1-a")[0] == 0


def test_an_action_that_failed_its_re_audit_reads_so_on_a_laptop_that_got_the_audits_late(
    capsys, tmp_path
) -> None:
    """The later audit came first (import, sync): the action was kept under its id. When
    the earlier audit arrived, the action was taken over only after the later fail was
    checked against it, so an action marked done and failed again read "done"."""
    from auditui.finding_records import FindingRecords

    _write(tmp_path, make_session("s2", [("1.1-a", "fail", "again")], started=at(10)))
    done = {"owner": "Mai", "due": date(2026, 1, 8), "status": "done"}
    FindingRecords(tmp_path / "sessions").update("s2/1.1-a", done, at=at(5))  # before s2
    _write(tmp_path, make_session("s1", [("1.1-a", "fail", "first")], started=at(1)))
    [finding] = _findings(capsys, tmp_path)
    assert (finding["id"], finding["status"]) == ("s1/1.1-a", "open")
    assert finding["not_effective_in"] == "s2" and finding["overdue"] is True
    assert finding["owner"] == "Mai"


@pytest.mark.parametrize(
    "option", ["--owner", "--cause", "--correction", "--action", "--reason", "--by"]
)
def test_text_that_is_not_utf8_is_refused_not_stored_as_replacement_marks(
    capsys, tmp_path, option
) -> None:
    """A terminal or script in Latin-1 hands `--owner $'Anan\\xe9'` to Python as a stand-in
    character; it was written to the record as "\ufffd" without a word. Now the command
    line is refused (exit 2, naming the option and the byte) and nothing is recorded."""
    _write(tmp_path, make_session("s1", [("1.1-a", "fail", "", "minor")]))
    extra = ("--close",) if option in ("--reason", "--by") else ()
    extra += ("--reason", "moved") if option == "--by" else ()
    code, _, err = cli(capsys, tmp_path, "finding", "s1", *extra, option, "Anan\udce9")
    assert code == 2
    assert f"argument {option}: not UTF-8 text: byte 0xe9 at character 5" in err
    assert len(err.strip().splitlines()) == 1
    [finding] = _findings(capsys, tmp_path)
    assert finding["status"] == "open"
    assert "owner" not in finding and "cause" not in finding
    assert not list((tmp_path / "sessions").rglob("*.toml"))[1:], "no record written"


def test_a_finding_joining_two_records_names_the_values_it_does_not_show(
    capsys, tmp_path
) -> None:
    """Two auditors' sessions of one checklist fail one item before they meet (a sync),
    and each records an action under their own finding id: the register joins them, the
    newer of each field, and the other's owner and action were in no output at all."""
    from auditui.finding_records import FindingRecords

    _write(tmp_path, make_session("s1", [("1.1-a", "fail", "anan saw", "minor")], started=at(1)),
           make_session("s2", [("1.1-a", "fail", "mai saw", "minor")], started=at(2)))  # fmt: skip
    records = FindingRecords(tmp_path / "sessions")
    records.update("s1/1.1-a", {"owner": "Anan", "action": "anan action"}, at=at(3))
    records.update("s2/1.1-a", {"owner": "Mai"}, at=at(4))
    code, out, err = cli(capsys, tmp_path, "finding", "s1/1.1-a")
    assert code == 0, err
    assert "Mai" in out and "anan action" in out  # the newer of each field
    said = [line for line in err.splitlines() if "joins corrective-action records" in line]
    assert len(said) == 1 and "recorded under s1/1.1-a: owner 'Anan'" in said[0]


@pytest.mark.parametrize("dangling", [False, True])
def test_a_findings_folder_that_is_a_symbolic_link_is_named_as_one_when_written(
    capsys, tmp_path, dangling: bool
) -> None:
    """`finding --owner` said "not a folder" of a link to a folder, and "cannot create
    the findings folder: File exists" of a link to nothing."""
    _write(tmp_path, make_session("s1", [("4.1-a", "fail")], started=at(1)))
    real = tmp_path / "elsewhere"
    if not dangling:
        real.mkdir()
    (tmp_path / "sessions" / "findings").symlink_to(real)
    code, out, err = cli(capsys, tmp_path, "finding", "s1/4.1-a", "--owner", "Bob")
    assert (code, out) == (1, "")
    assert err == (
        f"auditui: {tmp_path / 'sessions' / 'findings'}: a symbolic link, not a folder: "
        "corrective actions are written only into a folder of the sessions folder's own (put "
        "the folder itself there); nothing written\n"
    )
    assert dangling and not real.exists() or list(real.iterdir()) == []


def test_a_wrong_value_in_a_findings_file_is_named_with_its_line(capsys, tmp_path) -> None:
    """`due = "soon"` typed by hand was named without its line, as a session file's
    errors are not."""
    _write(tmp_path, make_session("s1", [("4.1-a", "fail")], started=at(1)))
    folder = tmp_path / "sessions" / "findings"
    folder.mkdir()
    path = folder / "s1+4.1-a.toml"
    path.write_text('[finding]\nid = "s1/4.1-a"\nowner = "Mai"\ndue = "soon"\n', "utf-8")
    code, _, err = cli(capsys, tmp_path, "findings")
    assert code == 0
    assert f"auditui: {path}:4: finding.due: " in err


def test_who_closed_a_finding_by_hand_is_named_in_the_register(capsys, tmp_path) -> None:
    """`--close --by NAME` was shown by `finding ID` only: `findings --all` said "by hand"."""
    _write(tmp_path, make_session("s1", [("4.1-a", "fail")], started=at(1)))
    code, _, err = cli(capsys, tmp_path, "finding", "s1/4.1-a", "--close", "--reason",
                       "process retired", "--by", "Nguyễn Thị Mai")  # fmt: skip
    assert code == 0, err
    code, out, err = cli(capsys, tmp_path, "findings", "--all")
    assert code == 0, err
    assert "by hand by Nguyễn Thị Mai: process retired" in " ".join(out.split())
