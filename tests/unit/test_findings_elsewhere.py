"""The findings register where else it shows: export carries the session's findings,
compare lists findings closed and findings still open but not audited, trend counts the
open findings after each session."""

from __future__ import annotations

import pytest
from history_helpers import (
    at,
    cli,
    indexed_history,  # noqa: F401  (the fixture)
    make_session,
    parse,
    write_session,
)

pytestmark = pytest.mark.usefixtures("indexed_history")


def _history(tmp_path) -> None:
    folder = tmp_path / "sessions"
    write_session(folder, make_session("s1", [("1.1-a", "fail", "", "major"), ("1.2-a", "fail"),
                                              ("1.3-a", "fail")], started=at(1)))  # fmt: skip
    write_session(folder, make_session("s2", [("1.1-a", "fail"), ("1.2-a", "pass"),
                                              ("1.3-a", "na")], started=at(2)))  # fmt: skip
    write_session(folder, make_session("s3", [("1.1-a", "unanswered"), ("1.2-a", "fail"),
                                              ("1.3-a", "pass")], started=at(3)))  # fmt: skip


def test_export_carries_the_findings_of_the_session_and_import_keeps_no_copy(
    capsys, tmp_path
) -> None:
    _history(tmp_path)
    assert cli(capsys, tmp_path, "finding", "s1/1.1-a", "--owner", "Mai [b]")[0] == 0
    code, out, err = cli(capsys, tmp_path, "export", "s2", "--format", "toml")
    assert code == 0, err
    document = parse(out)
    findings = {f["id"]: f for f in document["findings"]}
    # s2 failed 1.1-a (the open finding s1 raised); 1.2-a it passed, 1.3-a it did not judge.
    assert list(findings) == ["s1/1.1-a"]
    assert findings["s1/1.1-a"]["owner"] == "Mai [b]" and findings["s1/1.1-a"]["streak"] == 2
    code, out, _ = cli(capsys, tmp_path, "export", "s3", "--format", "markdown")
    assert code == 0
    assert "- Finding: s3/1.2-a, raised 2026-01-03" in out and "- Status: open" in out
    # Imported elsewhere, the session file holds no copy of the register.
    exported = tmp_path / "s2.export.toml"
    assert cli(capsys, tmp_path, "export", "s2", "--format", "toml", "-o", str(exported))[0] == 0
    other = tmp_path / "other"
    code, _, err = cli(capsys, other, "import", str(exported))
    assert code == 0, err
    assert "findings" not in parse((other / "sessions" / "s2.toml").read_text(encoding="utf-8"))
    code, out, _ = cli(capsys, other, "export", "s2", "--format", "toml")
    assert [f["id"] for f in parse(out)["findings"]] == ["s2/1.1-a"]
    # What people typed comes along: s1 is not there, so s2 raises the finding there.
    assert parse(out)["findings"][0]["owner"] == "Mai [b]"
    assert "1 corrective action of its findings recorded here" in err


def test_import_records_the_corrective_actions_and_closings_the_export_carries(
    capsys, tmp_path
) -> None:
    """Imported into another folder, a session lost every owner, due date and action of
    its findings, and one closed by hand read open again."""
    _history(tmp_path)
    for finding, change in (
        ("s3/1.2-a", ("--owner", "Anan", "--due", "2027-01-31", "--status", "action")),
        ("s1/1.1-a", ("--close", "--reason", "process retired")),
    ):
        assert cli(capsys, tmp_path, "finding", finding, *change)[0] == 0
    exported = tmp_path / "s3.export.toml"
    assert cli(capsys, tmp_path, "export", "s3", "--format", "toml", "-o", str(exported))[0] == 0
    other = tmp_path / "other"
    code, _, err = cli(capsys, other, "import", str(exported))
    assert code == 0, err
    code, out, err = cli(capsys, other, "findings", "--all", "--format", "toml")
    assert code == 0, err
    found = {f["id"]: f for f in parse(out)["findings"]}
    assert (found["s3/1.2-a"]["owner"], found["s3/1.2-a"]["status"]) == ("Anan", "action")
    assert str(found["s3/1.2-a"]["due"]) == "2027-01-31"
    # Importing again (into a folder that has the actions) leaves what is there alone:
    # the same action, without a word (it said "recorded here already … left out")...
    (other / "sessions" / "s3.toml").unlink()
    code, _, err = cli(capsys, other, "import", str(exported))
    assert code == 0 and "recorded here already" not in err, err
    # ... a newer one here, said to be kept.
    (other / "sessions" / "s3.toml").unlink()
    assert cli(capsys, other, "finding", "s3/1.2-a", "--owner", "Mai")[0] == 0
    code, _, err = cli(capsys, other, "import", str(exported))
    assert code == 0 and "recorded here already, newer; the imported one was left out" in err
    # A finding closed by hand stays closed, with its reason.
    exported = tmp_path / "s2.export.toml"
    assert cli(capsys, tmp_path, "export", "s2", "--format", "toml", "-o", str(exported))[0] == 0
    third = tmp_path / "third"
    assert cli(capsys, third, "import", str(exported))[0] == 0
    code, out, err = cli(capsys, third, "findings", "--all", "--format", "toml")
    closed = {f["id"]: f for f in parse(out)["findings"]}["s2/1.1-a"]
    assert (closed["status"], closed["closed_reason"]) == ("closed", "process retired")
    assert cli(capsys, third, "findings")[1].count("s2/1.1-a") == 0


def test_an_action_marked_done_and_not_effective_comes_through_export_and_import(
    capsys, tmp_path
) -> None:
    """The export carried the register's "open" for a done action failed again: import
    recorded no status, and the "not effective" reading was lost with the stamps."""
    from datetime import timedelta

    from auditui.finding_records import FindingRecords

    folder = tmp_path / "sessions"
    write_session(folder, make_session("s1", [("2.1-a", "fail", "no WI", "minor")], started=at(1)))
    marked = at(1) + timedelta(hours=2)
    FindingRecords(folder).update("s1/2.1-a", {"owner": "Mai", "status": "done"}, at=marked)
    write_session(folder, make_session("s2", [("2.1-a", "fail", "still no WI")], started=at(2)))
    before = parse(cli(capsys, tmp_path, "findings", "--all", "--format", "toml")[1])
    assert before["findings"][0]["not_effective_in"] == "s2"
    other = tmp_path / "other"
    for session in ("s1", "s2"):
        exported = tmp_path / f"{session}.export.toml"
        argv = ("export", session, "--format", "toml", "-o", str(exported))
        assert cli(capsys, tmp_path, *argv)[0] == 0
        code, _, err = cli(capsys, other, "import", str(exported))
        assert code == 0, err
    record = FindingRecords(other / "sessions").get("s1/2.1-a")
    assert record is not None and (record.owner, record.status) == ("Mai", "done")
    assert record.changed == {"owner": marked, "status": marked}
    after = parse(cli(capsys, other, "findings", "--all", "--format", "toml")[1])
    assert after == before


def test_an_older_session_imported_later_keeps_the_action_recorded_here(
    capsys, tmp_path
) -> None:
    """The older session's own action was recorded beside the one typed here, which then
    read orphaned: one nonconformity counted twice, `finding` ambiguous. Then the older
    one was left out, its fields lost where they were newer. Both are kept and joined,
    the newer of each field, as after a sync."""
    from datetime import timedelta

    from auditui.finding_records import FindingRecords
    from auditui.timeutil import now

    _history(tmp_path)
    exported = {name: str(tmp_path / f"{name}.export.toml") for name in ("s1", "s2")}
    assert cli(capsys, tmp_path, "export", "s2", "--format", "toml", "-o", exported["s2"])[0] == 0
    assert cli(capsys, tmp_path, "finding", "s1/1.1-a", "--owner", "Mai", "--cause",
               "no training")[0] == 0  # fmt: skip
    assert cli(capsys, tmp_path, "export", "s1", "--format", "toml", "-o", exported["s1"])[0] == 0
    other = tmp_path / "other"
    assert cli(capsys, other, "import", str(exported["s2"]))[0] == 0
    later = now() + timedelta(minutes=5)  # typed here after Mai's, on the other laptop
    FindingRecords(other / "sessions").update("s2/1.1-a", {"owner": "Local"}, at=later)
    code, _, err = cli(capsys, other, "import", str(exported["s1"]))
    assert code == 0
    assert ("finding s1/1.1-a: a corrective action is recorded here already (under "
            "s2/1.1-a); the two are joined, the newer of each field kept") in err  # fmt: skip
    code, out, _ = cli(capsys, other, "findings", "--all", "--format", "toml")
    found = [f for f in parse(out)["findings"] if f["item_id"] == "1.1-a"]
    assert [(f["id"], f["owner"], f["cause"]) for f in found] == [
        ("s1/1.1-a", "Local", "no training")
    ]
    assert not any(f.get("orphaned") for f in parse(out)["findings"])


def test_compare_lists_findings_closed_and_still_open_but_not_audited(capsys, tmp_path) -> None:
    _history(tmp_path)
    code, out, err = cli(capsys, tmp_path, "compare", "s2", "s3", "--format", "toml")
    assert code == 0, err
    document = parse(out)
    assert [f["id"] for f in document["findings_closed"]] == ["s1/1.3-a"]
    assert [f["id"] for f in document["findings_not_audited"]] == ["s1/1.1-a"]
    assert document["findings_closed"][0]["closed_in"] == "s3"
    code, out, _ = cli(capsys, tmp_path, "compare", "s2", "s3")
    assert code == 0
    closed = out.index("Findings closed")
    still = out.index("Findings still open, neither passed nor failed")
    assert "s1/1.3-a" in out[closed:still] and "s1/1.1-a" in out[still:]
    # Closed by hand since: no longer "still open", in either form.
    close = ("finding", "s1/1.1-a", "--close", "--reason", "retired")
    assert cli(capsys, tmp_path, *close)[0] == 0
    code, out, _ = cli(capsys, tmp_path, "compare", "s2", "s3", "--format", "toml")
    assert code == 0 and parse(out).get("findings_not_audited", []) == []
    code, out, _ = cli(capsys, tmp_path, "compare", "s2", "s3")
    assert code == 0 and "s1/1.1-a" not in out


def test_trend_counts_open_findings_per_session(capsys, tmp_path) -> None:
    _history(tmp_path)
    code, out, err = cli(capsys, tmp_path, "trend", "demo", "--format", "toml")
    assert code == 0, err
    # s1 raises three; s2 closes 1.2-a; s3 closes 1.3-a and raises 1.2-a again.
    assert [p["open_findings"] for p in parse(out)["points"]] == [3, 2, 2]
    code, out, _ = cli(capsys, tmp_path, "trend", "demo")
    assert code == 0
    # Headed as what it counts: 3, 2, 2 beside fails of 3, 1, 1 read as the fails.
    head = next(line for line in out.splitlines() if line.startswith("STARTED"))
    assert "  OPEN FINDINGS  SESSION" in head
    lines = out.splitlines()
    rows = lines[lines.index(head) + 1 : lines.index(head) + 4]
    assert [row[head.index("OPEN FINDINGS") :].split()[0] for row in rows] == ["3", "2", "2"]


def test_the_audit_report_shows_the_corrective_action_recorded(capsys, tmp_path) -> None:
    _history(tmp_path)
    action = ("--owner", "Mai <b>", "--action", "add a review step", "--due", "2000-01-01")
    assert cli(capsys, tmp_path, "finding", "s1/1.1-a", *action)[0] == 0
    code, out, err = cli(capsys, tmp_path, "report", "s2", "--format", "markdown")
    assert code == 0, err
    assert "- Owner: Mai \\<b>" in out  # escaped for Markdown
    assert "add a review step" in out and "OVERDUE" in out


def test_the_audit_report_says_an_action_marked_done_was_not_effective(capsys, tmp_path):
    """The register said "not effective" when a later audit failed an item whose action
    was marked done, but the report of that audit read "Open: action not started"
    beside the cause and action people had written."""
    from datetime import date, timedelta

    from auditui.finding_records import FindingRecords

    _history(tmp_path)
    done = {"action": "add a review step", "due": date(2000, 1, 1), "status": "done"}
    FindingRecords(tmp_path / "sessions").update("s1/1.1-a", done, at=at(1) + timedelta(hours=3))
    for kind in ("markdown", "html"):
        code, out, err = cli(capsys, tmp_path, "report", "s2", "--format", kind)
        assert code == 0, err
        assert "Not effective: marked done, and s2 failed it again" in out
        assert "action not started" not in out


def test_the_open_findings_of_a_session_in_hand_do_not_read_it_again(
    store, checklist, monkeypatch
) -> None:
    """The walkthrough asks which findings were open when its session started: the
    session it has in hand is never read again from its file (a big one stayed in
    memory for good)."""
    import auditui.findings
    from auditui.finding_records import FindingRecords
    from auditui.findings import open_before

    earlier = store.create(checklist)
    earlier.answer("4.1-a", result="fail", note="no records")
    earlier.close()
    writer = store.create(checklist)
    read = []
    real = auditui.findings.read_session
    monkeypatch.setattr(
        auditui.findings, "read_session", lambda path, **kw: read.append(path) or real(path, **kw)
    )
    found = open_before(store, FindingRecords(store.folder), writer.session)
    writer.close()
    assert "4.1-a" in found
    assert writer.path not in read and earlier.path in read


async def test_the_app_s_compare_counts_findings_as_the_command_does(capsys, tmp_path) -> None:
    """The compare screen said "1 still open but not audited" for a finding closed by
    hand, which `compare` no longer lists: it counted from the sessions it had read, its
    own way. It now reads the two sessions and the findings through the same code."""
    from auditui.finding_records import FindingRecords
    from auditui.findings import findings_at_new
    from auditui.paths import Locations
    from auditui.store import SessionStore
    from auditui.tui.app import AuditApp
    from auditui.tui.screens.compare import CompareScreen

    _history(tmp_path)
    close = ("finding", "s1/1.1-a", "--close", "--reason", "retired")
    assert cli(capsys, tmp_path, *close)[0] == 0
    store = SessionStore(tmp_path / "sessions")
    headless = findings_at_new(store, FindingRecords(store.folder), store.load("s3"))
    assert [[f.id for f in part] for part in headless] == [["s1/1.3-a"], [], []]
    app = AuditApp(Locations(tmp_path / "checklists", store.folder, tmp_path / "exports"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = CompareScreen(app.store, "demo", old_id="s2", new_id="s3")
        await app.push_screen(screen)
        for _ in range(250):
            if screen.loaded:
                break
            await pilot.pause(0.02)
        summary = str(screen.query_one("#compare-summary").render())
    assert "Findings: 1 closed · 0 still open, n/a or not audited" in summary


def test_compare_names_a_corrective_action_that_did_not_work(capsys, tmp_path) -> None:
    """An action marked done, then the item failed again in NEW: the register and the
    report said "not effective", compare listed nothing (neither closed nor not audited)."""
    from datetime import timedelta

    from auditui.finding_records import FindingRecords

    _history(tmp_path)
    records = FindingRecords(tmp_path / "sessions")
    records.update("s1/1.1-a", {"status": "done"}, at=at(1) + timedelta(hours=2))
    code, out, err = cli(capsys, tmp_path, "compare", "s1", "s2", "--format", "toml")
    assert code == 0, err
    document = parse(out)
    assert [f["id"] for f in document["findings_not_effective"]] == ["s1/1.1-a"]
    assert "s1/1.1-a" not in [f["id"] for f in document["findings_not_audited"]]
    code, out, _ = cli(capsys, tmp_path, "compare", "s1", "s2")
    assert code == 0
    heading = out.index("Corrective actions not effective (marked done, failed again")
    assert "s1/1.1-a" in out[heading:]
    # A second fix, marked done after NEW failed it: NEW still found the first one not
    # effective (its report and compare said "failed again" once the record was changed).
    records.update("s1/1.1-a", {"status": "action"}, at=at(2) + timedelta(hours=1))
    records.update("s1/1.1-a", {"status": "done"}, at=at(2) + timedelta(hours=2))
    code, out, _ = cli(capsys, tmp_path, "compare", "s1", "s2", "--format", "toml")
    assert [f["id"] for f in parse(out)["findings_not_effective"]] == ["s1/1.1-a"]
    code, out, _ = cli(capsys, tmp_path, "report", "s2", "--format", "markdown")
    assert "**corrective action not effective: marked done, failed again here**" in out
    code, out, _ = cli(capsys, tmp_path, "findings", "--format", "toml")
    assert {f["id"]: f["status"] for f in parse(out)["findings"]}["s1/1.1-a"] == "done"
    # Marked done only after NEW failed it: not a verdict on the action.
    (tmp_path / "sessions" / "findings" / "s1+1.1-a.toml").unlink()
    records.update("s1/1.1-a", {"status": "done"}, at=at(2) + timedelta(hours=2))
    code, out, _ = cli(capsys, tmp_path, "compare", "s1", "s2", "--format", "toml")
    assert code == 0 and parse(out)["findings_not_effective"] == []


def test_a_status_set_back_to_open_comes_through_export_and_import(capsys, tmp_path) -> None:
    """A status set to `open` by hand (its stamp saying when) was dropped on import: the
    record lost it, and a later sync could no longer tell which laptop's status is newer."""
    from auditui.finding_records import FindingRecords

    _history(tmp_path)
    change = ("--owner", "Anan", "--status", "open")
    assert cli(capsys, tmp_path, "finding", "s3/1.2-a", *change)[0] == 0
    exported = tmp_path / "s3.export.toml"
    assert cli(capsys, tmp_path, "export", "s3", "--format", "toml", "-o", str(exported))[0] == 0
    other = tmp_path / "other"
    code, _, err = cli(capsys, other, "import", str(exported))
    assert code == 0, err
    here = FindingRecords(tmp_path / "sessions").get("s3/1.2-a")
    there = FindingRecords(other / "sessions").get("s3/1.2-a")
    assert here is not None and there is not None
    assert (there.status, there.changed.get("status")) == ("open", here.changed["status"])


def test_a_not_effective_verdict_comes_through_export_and_import(capsys, tmp_path) -> None:
    """Done, failed again in s2, then done again after a second fix: s2's report said "not
    effective" here and "failed again" in a folder the sessions were imported into (the
    record's earlier statuses stayed behind)."""
    from datetime import timedelta

    from auditui.finding_records import FindingRecords

    _history(tmp_path)
    records = FindingRecords(tmp_path / "sessions")
    records.update("s1/1.1-a", {"status": "done"}, at=at(1) + timedelta(hours=2))
    records.update("s1/1.1-a", {"status": "action"}, at=at(2) + timedelta(hours=1))
    records.update("s1/1.1-a", {"status": "done"}, at=at(2) + timedelta(hours=2))
    other = tmp_path / "other"
    for session in ("s1", "s2"):
        exported = tmp_path / f"{session}.export.toml"
        assert cli(capsys, tmp_path, "export", session, "-o", str(exported))[0] == 0
        code, _, err = cli(capsys, other, "import", str(exported))
        assert code == 0, err
    verdict = "**corrective action not effective: marked done, failed again here**"
    for folder in (tmp_path, other):
        code, out, err = cli(capsys, folder, "report", "s2", "--format", "markdown")
        assert code == 0 and verdict in out, (folder, err)


def test_an_import_names_an_action_status_it_does_not_know(capsys, tmp_path) -> None:
    """An exported file edited by hand (`action_status = "finished"`) was imported with the
    register's reading instead, without a word."""
    _history(tmp_path)
    change = ("--owner", "Anan", "--status", "action")
    assert cli(capsys, tmp_path, "finding", "s3/1.2-a", *change)[0] == 0
    exported = tmp_path / "s3.export.toml"
    assert cli(capsys, tmp_path, "export", "s3", "--format", "toml", "-o", str(exported))[0] == 0
    text = exported.read_text(encoding="utf-8")
    assert 'action_status = "action"' in text
    exported.write_text(text.replace('action_status = "action"', 'action_status = "finished"'))
    code, _, err = cli(capsys, tmp_path / "other", "import", str(exported))
    assert code == 0, err
    assert "finding s3/1.2-a: action_status 'finished' is not one of open, action, done" in err
    code, out, _ = cli(capsys, tmp_path / "other", "findings", "--format", "toml")
    assert {f["id"]: f["status"] for f in parse(out)["findings"]}["s3/1.2-a"] == "action"


@pytest.mark.parametrize(
    ("key", "value"), [("action_status", "[1, 2]"), ("owner", "[1, 2]"), ("cause", "{ a = 1 }")]
)
def test_an_import_refuses_a_corrective_action_value_of_the_wrong_kind(
    capsys, tmp_path, key, value
) -> None:
    """`action_status = [1, 2]` stopped the import with an internal error after the session
    was written (a retry then said it was there already: the actions never came in);
    `owner = [1, 2]` was recorded as the owner "[1, 2]"."""
    _history(tmp_path)
    assert cli(capsys, tmp_path, "finding", "s3/1.2-a", "--owner", "Anan", "--cause", "worn",
               "--status", "action")[0] == 0  # fmt: skip
    exported = tmp_path / "s3.export.toml"
    assert cli(capsys, tmp_path, "export", "s3", "--format", "toml", "-o", str(exported))[0] == 0
    text = exported.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith(f"{key} = "))
    exported.write_text(text.replace(line, f"{key} = {value}", 1), encoding="utf-8")
    code, _, err = cli(capsys, tmp_path / "other", "import", str(exported))
    assert code == 0, err
    assert f"finding s3/1.2-a: {key} must be text in quotes" in err
    assert "internal error" not in err
    code, out, _ = cli(capsys, tmp_path / "other", "findings", "--format", "toml")
    table = {f["id"]: f for f in parse(out)["findings"]}["s3/1.2-a"]
    assert "owner" not in table and table["status"] == "open"


def test_compare_with_a_session_file_that_is_a_symlink_loop_says_so(capsys, tmp_path) -> None:
    _history(tmp_path)
    loop = tmp_path / "sessions" / "s9.toml"
    loop.symlink_to(loop)
    code, out, err = cli(capsys, tmp_path, "compare", "s2", str(loop))
    assert (code, out) == (1, "")
    assert "internal error" not in err and "s9.toml" in err and len(err.splitlines()) == 1


def test_an_earlier_audit_arriving_late_joins_both_laptops_corrective_actions(
    capsys, tmp_path
) -> None:
    """Laptop 1 audited first and recorded an action; laptop 2, not synced, audited later,
    raised the finding under its own session and recorded the cause and the action done.
    After the sync the older session raises the finding: laptop 2's record stood apart
    as an orphan ("session deleted"), the done was lost from the finding, and the item
    counted as two open findings."""
    from auditui.finding_records import FindingRecords

    folder = tmp_path / "sessions"
    write_session(folder, make_session("early", [("1.1-a", "fail", "", "major")], started=at(1)))
    write_session(folder, make_session("later", [("1.1-a", "fail", "", "minor")], started=at(2)))
    records = FindingRecords(folder)
    records.update("early/1.1-a", {"owner": "Mai", "action": "act E", "status": "action"},
                   at=at(1, 12))  # fmt: skip
    records.update("later/1.1-a", {"owner": "Anan", "cause": "no budget",
                                   "action": "budget approved", "status": "done"},
                   at=at(2, 12))  # fmt: skip
    code, out, err = cli(capsys, tmp_path, "findings", "--all", "--format", "toml")
    assert code == 0, err
    (finding,) = parse(out)["findings"]
    assert finding["id"] == "early/1.1-a" and "orphaned" not in finding
    assert (finding["owner"], finding["cause"], finding["action"], finding["status"]) == (
        "Anan", "no budget", "budget approved", "done"
    )
    code, out, _ = cli(capsys, tmp_path, "finding", "later/1.1-a", "--format", "toml")
    assert code == 0 and parse(out)["finding"]["id"] == "early/1.1-a"


def test_a_finding_closed_under_two_of_its_ids_keeps_one_closing_whole(capsys, tmp_path):
    """Mai closed it under the later audit's id, with a reason and her name; another
    laptop, later, under the earlier audit's id, with another reason and no name. The
    register read the other's reason, closed by Mai."""
    from auditui.finding_records import FindingRecords

    folder = tmp_path / "sessions"
    write_session(folder, make_session("early", [("1.1-a", "fail")], started=at(1)))
    write_session(folder, make_session("later", [("1.1-a", "fail")], started=at(2)))
    records = FindingRecords(folder)
    records.update("later/1.1-a", {"closed": at(3), "closed_reason": "RA: process retired",
                                   "closed_by": "Mai"}, at=at(3))  # fmt: skip
    records.update("early/1.1-a", {"closed": at(4), "closed_reason": "RC: observation only"},
                   at=at(4))  # fmt: skip
    code, out, err = cli(capsys, tmp_path, "findings", "--all", "--format", "toml")
    assert code == 0, err
    (finding,) = parse(out)["findings"]
    assert finding["closed_reason"] == "RC: observation only"
    assert "closed_by" not in finding


def test_compare_keeps_an_action_found_not_effective_when_closed_by_hand_later(
    capsys, tmp_path
) -> None:
    """NEW failed the item again after its action was marked done: not effective. Closed
    by hand months later, compare OLD NEW lost it, though the report of NEW kept it."""
    from auditui.finding_records import FindingRecords

    folder = tmp_path / "sessions"
    write_session(folder, make_session("s1", [("1.1-a", "fail")], started=at(1)))
    FindingRecords(folder).update("s1/1.1-a", {"status": "done"}, at=at(2))
    write_session(folder, make_session("s2", [("1.1-a", "fail")], started=at(3)))
    FindingRecords(folder).update("s1/1.1-a", {"closed": at(20), "closed_reason": "moved"},
                                  at=at(20))  # fmt: skip
    code, out, err = cli(capsys, tmp_path, "compare", "s1", "s2", "--format", "toml")
    assert code == 0, err
    assert [f["id"] for f in parse(out)["findings_not_effective"]] == ["s1/1.1-a"]


def test_a_record_that_knows_an_earlier_id_stays_with_its_own_session_s_finding(
    capsys, tmp_path
) -> None:
    """The action was typed under s2's fail, then under s1's id once s1 (earlier) came in,
    so it knows s1/1.1-a. A pass between them then came in: two findings. The record was
    shown on both, and `finding s2/1.1-a` named the closed one."""
    folder = tmp_path / "sessions"
    write_session(folder, make_session("s2", [("1.1-a", "fail")], started=at(3)))
    assert cli(capsys, tmp_path, "finding", "s2/1.1-a", "--owner", "Mai")[0] == 0
    write_session(folder, make_session("s1", [("1.1-a", "fail")], started=at(1)))
    assert cli(capsys, tmp_path, "finding", "s1/1.1-a", "--cause", "x")[0] == 0
    write_session(folder, make_session("p", [("1.1-a", "pass")], started=at(2)))
    code, out, err = cli(capsys, tmp_path, "findings", "--all", "--format", "toml")
    assert code == 0, err
    found = {f["id"]: f for f in parse(out)["findings"]}
    assert sorted(found) == ["s1/1.1-a", "s2/1.1-a"]
    assert "owner" not in found["s1/1.1-a"]
    assert (found["s2/1.1-a"]["owner"], found["s2/1.1-a"]["cause"]) == ("Mai", "x")
    code, out, _ = cli(capsys, tmp_path, "finding", "s2/1.1-a", "--format", "toml")
    assert parse(out)["finding"]["id"] == "s2/1.1-a" and parse(out)["finding"]["status"] == "open"


def test_an_import_joins_a_record_of_the_same_id_field_by_field_and_a_closing_whole(
    tmp_path,
) -> None:
    """A field only the export set was dropped ("recorded here already"), and a closing
    brought in kept the name of the closing here."""
    from auditui.finding_records import FindingRecords, import_actions

    records = FindingRecords(tmp_path / "sessions")
    records.update("s1/1.1-a", {"owner": "Mai"}, at=at(2))
    exported = {"id": "s1/1.1-a", "closed": at(5), "closed_reason": "retired",
                "changed": {"closed": at(5), "closed_reason": at(5)}}  # fmt: skip
    count, left = import_actions(records, [exported], "s1", lambda _: True)
    assert (count, left) == (1, [])
    record = records.get("s1/1.1-a")
    assert (record.owner, record.closed, record.closed_reason) == ("Mai", at(5), "retired")
    # Closed here by Mai; the export's closing, later, has no name: its closing, whole.
    records.update("s1/1.1-a", {"closed": at(3), "closed_reason": "A", "closed_by": "Mai"},
                   at=at(3))  # fmt: skip
    exported = {"id": "s1/1.1-a", "closed": at(6), "closed_reason": "B",
                "changed": {"closed": at(6), "closed_reason": at(6)}}  # fmt: skip
    assert import_actions(records, [exported], "s1", lambda _: True)[0] == 1
    record = records.get("s1/1.1-a")
    assert (record.closed, record.closed_reason, record.closed_by) == (at(6), "B", None)


def test_an_import_applies_no_action_to_a_finding_its_session_does_not_fail(
    capsys, tmp_path
) -> None:
    """An export carries the findings of the items its session fails. One edited by hand
    (or a stale copy) carried a closing for another session's open major: `import` closed
    it, with a stamp from 2099 that would beat every later change."""
    import tomllib

    import tomli_w

    _history(tmp_path)
    victim = make_session("v", [("1.3-a", "fail", "victim", "major")], started=at(5))
    write_session(tmp_path / "sessions", victim)
    assert cli(capsys, tmp_path, "finding", "s3/1.2-a", "--owner", "Anan")[0] == 0
    exported = tmp_path / "s3.export.toml"
    assert cli(capsys, tmp_path, "export", "s3", "--format", "toml", "-o", str(exported))[0] == 0
    document = tomllib.loads(exported.read_text(encoding="utf-8"))
    document["session"]["id"] = "s3-copy"
    document["findings"][0]["id"] = "s3-copy/1.2-a"
    document["findings"][0]["changed"] = {"owner": at(1, year=2099)}  # years ahead
    document["findings"].append({
        "id": "v/1.3-a", "checklist_id": "demo", "item_id": "1.3-a", "owner": "Mallory",
        "closed": at(6), "closed_reason": "closed by a crafted import",
    })  # fmt: skip
    crafted = tmp_path / "crafted.toml"

    def imported_and_left_alone(victim: str, said: str) -> None:
        crafted.write_text(tomli_w.dumps(document), encoding="utf-8")
        code, _, err = cli(capsys, tmp_path, "import", str(crafted))
        assert code == 0, err
        assert f"finding {victim}: {said}" in err
        code, out, err = cli(capsys, tmp_path, "findings", "--format", "toml")
        found = {f["id"]: f for f in parse(out)["findings"]}
        assert found[victim]["status"] == "open" and "owner" not in found[victim]

    imported_and_left_alone("v/1.3-a", "the imported session does not fail 1.3-a")
    # The session's own finding took its action; the stamp from ahead is taken as now.
    code, out, err = cli(capsys, tmp_path, "finding", "s3-copy/1.2-a", "--format", "toml")
    assert parse(out)["finding"]["owner"] == "Anan"
    from datetime import datetime

    from auditui.finding_records import FindingRecords

    record = FindingRecords(tmp_path / "sessions").get("s3-copy/1.2-a")
    assert record is not None and record.changed["owner"] <= datetime.now().astimezone()
    # An item the imported session does fail, but the id of another checklist's finding
    # of an item of that id: not its finding either.
    other = make_session("w", [("1.2-a", "fail", "other", "major")], started=at(6),
                         checklist_id="other")  # fmt: skip
    write_session(tmp_path / "sessions", other)
    document["session"]["id"] = "s3-copy2"
    document["findings"] = [{
        "id": "w/1.2-a", "checklist_id": "demo", "item_id": "1.2-a", "owner": "Mallory",
        "closed": at(7), "closed_reason": "closed by a crafted import",
    }]  # fmt: skip
    imported_and_left_alone("w/1.2-a", "it is not the finding of the imported session's fail")


def test_compare_gives_the_findings_as_they_stood_when_the_newer_session_started(
    capsys, tmp_path
) -> None:
    """compare gave each finding's status as NEW found it, but its age and OVERDUE as of
    today: an action due after NEW read OVERDUE beside a status of months before."""
    from datetime import date

    _history(tmp_path)
    assert cli(capsys, tmp_path, "finding", "s1/1.3-a", "--due", "2026-01-10")[0] == 0
    code, out, err = cli(capsys, tmp_path, "compare", "s1", "s2")
    assert code == 0, err
    assert "The findings as they stood when the newer session started (2026-01-02)" in out
    part = out[out.index("Findings still open"):]
    assert "s1/1.3-a" in part and "OVERDUE" not in part and "raised 1 day before this audit" in part
    code, out, err = cli(capsys, tmp_path, "compare", "s1", "s2", "--format", "toml")
    document = parse(out)
    assert document["compare"]["findings_as_of"] == date(2026, 1, 2)
    [finding] = document["findings_not_audited"]
    assert finding["id"] == "s1/1.3-a" and not finding.get("overdue")  # due after NEW


def test_a_fail_after_the_one_that_found_an_action_not_effective_is_a_repeat(capsys, tmp_path):
    """Marked done after s1, failed in s2 (not effective) and again in s3 with no new
    "done": s3's compare and report called the action not effective a second time, and the
    register moved `not_effective_in` to s3. Marked done again after s3, s4's fail is a new
    verification."""
    from datetime import timedelta

    from auditui.finding_records import FindingRecords

    folder = tmp_path / "sessions"
    for number in (1, 2, 3):
        write_session(folder, make_session(f"s{number}", [("1.1-a", "fail", "", "minor")],
                                           started=at(number)))  # fmt: skip
    records = FindingRecords(folder)
    records.update("s1/1.1-a", {"status": "done"}, at=at(1) + timedelta(hours=3))
    code, out, err = cli(capsys, tmp_path, "finding", "s1/1.1-a", "--format", "toml")
    assert code == 0, err
    assert parse(out)["finding"]["not_effective_in"] == "s2"
    code, out, _ = cli(capsys, tmp_path, "compare", "s2", "s3", "--format", "toml")
    document = parse(out)
    assert document["findings_not_effective"] == []
    code, out, _ = cli(capsys, tmp_path, "compare", "s1", "s2", "--format", "toml")
    assert [f["id"] for f in parse(out)["findings_not_effective"]] == ["s1/1.1-a"]
    code, out, _ = cli(capsys, tmp_path, "report", "s3", "--format", "markdown")
    assert "still open: failed again in this audit" in out
    assert "corrective action not effective: marked done, failed again here" not in out
    code, out, _ = cli(capsys, tmp_path, "report", "s2", "--format", "markdown")
    assert "corrective action not effective: marked done, failed again here" in out
    # Marked done again after s3: s4's fail finds the second action did not work either.
    records.update("s1/1.1-a", {"status": "done"}, at=at(3) + timedelta(hours=3))
    write_session(folder, make_session("s4", [("1.1-a", "fail", "", "minor")], started=at(4)))
    code, out, _ = cli(capsys, tmp_path, "finding", "s1/1.1-a", "--format", "toml")
    assert parse(out)["finding"]["not_effective_in"] == "s4"
    code, out, _ = cli(capsys, tmp_path, "report", "s4", "--format", "markdown")
    assert "corrective action not effective: marked done, failed again here" in out
    code, out, _ = cli(capsys, tmp_path, "compare", "s3", "s4", "--format", "toml")
    assert [f["id"] for f in parse(out)["findings_not_effective"]] == ["s1/1.1-a"]


def test_a_done_during_the_audit_that_then_failed_the_item_is_judged_by_that_fail(
    capsys, tmp_path
):
    """Marked done while s2 was under way, before s2 recorded its fail: s2 found it not
    effective, and s3's fail (no new "done") is a repeat; it was measured from s2's start,
    so s3 was called not effective a second time."""
    from datetime import timedelta

    from auditui.finding_records import FindingRecords

    folder = tmp_path / "sessions"
    write_session(folder, make_session("s1", [("1.1-a", "fail")], started=at(1)))
    s2 = make_session("s2", [("1.1-a", "fail")], started=at(2))
    s2.records[0].recorded = at(2) + timedelta(hours=2)
    write_session(folder, s2)
    write_session(folder, make_session("s3", [("1.1-a", "fail")], started=at(3)))
    FindingRecords(folder).update("s1/1.1-a", {"status": "done"}, at=at(2) + timedelta(hours=1))
    code, out, _ = cli(capsys, tmp_path, "finding", "s1/1.1-a", "--format", "toml")
    assert parse(out)["finding"]["not_effective_in"] == "s2"
    code, out, _ = cli(capsys, tmp_path, "report", "s3", "--format", "markdown")
    assert "still open: failed again in this audit" in out
    code, out, _ = cli(capsys, tmp_path, "compare", "s2", "s3", "--format", "toml")
    assert parse(out)["findings_not_effective"] == []
