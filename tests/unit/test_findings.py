"""`auditui findings`: the failed items of the latest session of each checklist.

The TOML document: `[[findings]]` with the SPEC keys (checklist_id, session_id, item_id,
clause when set, prompt, note, grade when set, streak) plus section_id, section_title,
started (of the latest session), recorded (when set), since_session and since (the
first session of the streak and its start).
"""

from __future__ import annotations

from pathlib import Path

from history_helpers import at, cli, make_session, parse, write_checklist, write_session

from auditui.textwidth import cell_width


def _history(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    # `demo`: four sessions; the file names are not in time order.
    write_session(
        folder,
        make_session(
            "d-4",
            [("1.1-a", "fail"), ("2.1-a", "fail"), ("3.1-a", "pass"), ("4.1-a", "fail")],
            started=at(1),
        ),
    )
    write_session(
        folder,
        make_session(
            "d-3",
            [("1.1-a", "fail"), ("2.1-a", "pass"), ("3.1-a", "fail"), ("4.1-a", "fail")],
            started=at(2),
        ),
    )
    write_session(
        folder,
        # 4.1-a is absent in this version of the checklist: that breaks its streak.
        make_session("d-2", [("1.1-a", "fail"), ("2.1-a", "fail"), ("3.1-a", "na")], started=at(3)),
    )
    write_session(
        folder,
        make_session(
            "d-1",
            [
                ("2.1-a", "fail", "still no [bold]records[/bold]\x1b[5m", "major"),
                ("1.1-a", "fail", "again", "minor"),
                ("3.1-a", "fail"),
                ("4.1-a", "fail"),
                ("5.1", "pass", "", "ofi"),
            ],
            started=at(4),
        ),
    )
    # `alpha`: its checklist file does not exist; the latest session has one failure.
    write_session(folder, make_session("a-old", [("x.1", "pass")], checklist_id="alpha"))
    write_session(
        folder,
        make_session(
            "a-new", [("x.1", "fail"), ("x.2", "pass")], checklist_id="alpha", started=at(20)
        ),
    )
    # `zeta`: latest session without failures (an earlier one had one).
    write_session(folder, make_session("z-1", [("1", "fail")], checklist_id="zeta"))
    write_session(folder, make_session("z-2", [("1", "pass")], checklist_id="zeta", started=at(9)))


def test_findings_toml_order_and_streaks(capsys, tmp_path) -> None:
    _history(tmp_path)
    code, out, err = cli(capsys, tmp_path, "findings", "--format", "toml")
    assert code == 0, err
    assert err == ""
    findings = parse(out)["findings"]
    rows = [(f["checklist_id"], f["session_id"], f["item_id"], f["streak"]) for f in findings]
    assert rows == [
        ("alpha", "a-new", "x.1", 1),
        # The latest session's own order (2.1-a before 1.1-a).
        ("demo", "d-1", "2.1-a", 2),  # failed d-2 and d-1; passed d-3
        ("demo", "d-1", "1.1-a", 4),  # failed in all four
        ("demo", "d-1", "3.1-a", 1),  # na in d-2
        ("demo", "d-1", "4.1-a", 1),  # absent in d-2
    ]
    first = findings[1]
    assert first["clause"] == "2.1"
    assert first["prompt"] == "Question 2.1-a?"
    assert first["note"] == "still no [bold]records[/bold]\x1b[5m"
    assert first["grade"] == "major"
    assert first["since_session"] == "d-2" and first["since"] == at(3)
    assert first["started"] == at(4)
    assert findings[2]["since_session"] == "d-4"
    assert "grade" not in findings[0]
    assert "clause" not in findings[0]  # x.1 has no clause
    assert list(first)[:8] == [
        "checklist_id", "session_id", "item_id", "clause", "prompt", "note", "grade", "streak",
    ]  # fmt: skip


def test_only_one_checklist(capsys, tmp_path) -> None:
    _history(tmp_path)
    code, out, _ = cli(capsys, tmp_path, "findings", "--checklist", "alpha", "--format", "toml")
    assert code == 0
    assert [f["item_id"] for f in parse(out)["findings"]] == ["x.1"]
    code, out, _ = cli(capsys, tmp_path, "findings", "--checklist", "zeta", "--format", "toml")
    assert code == 0
    assert "findings = []" in out


def test_checklist_without_sessions_and_unknown_checklist(capsys, tmp_path) -> None:
    _history(tmp_path)
    write_checklist(tmp_path / "checklists", "fresh", ["1.1-a"])
    code, out, _ = cli(capsys, tmp_path, "findings", "--checklist", "fresh", "--format", "toml")
    assert code == 0 and parse(out) == {"findings": []}
    code, out, _ = cli(capsys, tmp_path, "findings", "--checklist", "fresh")
    assert code == 0 and "No sessions of checklist fresh" in out
    code, out, err = cli(capsys, tmp_path, "findings", "--checklist", "nope")
    assert code == 1 and out == ""
    assert "no checklist or session with id nope" in err


def test_no_sessions_at_all(capsys, tmp_path) -> None:
    code, out, err = cli(capsys, tmp_path, "findings", "--format", "toml")
    assert code == 0, err
    assert out.strip() == "findings = []"
    code, out, _ = cli(capsys, tmp_path, "findings")
    assert code == 0 and "No sessions in" in out


def test_bad_arguments(capsys, tmp_path) -> None:
    assert cli(capsys, tmp_path, "findings", "--format", "csv")[0] == 2
    assert cli(capsys, tmp_path, "findings", "extra")[0] == 2


def test_unreadable_session_is_named_and_left_out(capsys, tmp_path) -> None:
    _history(tmp_path)
    (tmp_path / "sessions" / "zz-broken.toml").write_text("not = [toml", encoding="utf-8")
    code, out, err = cli(capsys, tmp_path, "findings", "--format", "toml")
    assert code == 0
    assert "zz-broken.toml" in err
    assert len(parse(out)["findings"]) == 5


def test_latest_is_by_start_time(capsys, tmp_path) -> None:
    folder = tmp_path / "sessions"
    write_session(folder, make_session("b-newer", [("1.1", "fail")], started=at(10)))
    write_session(folder, make_session("c-older", [("1.1", "pass")], started=at(2)))
    code, out, _ = cli(capsys, tmp_path, "findings", "--format", "toml")
    assert [(f["session_id"], f["streak"]) for f in parse(out)["findings"]] == [("b-newer", 1)]


def test_text(capsys, tmp_path) -> None:
    _history(tmp_path)
    code, out, err = cli(capsys, tmp_path, "findings")
    assert code == 0, err
    alpha, demo, zeta = out.index("alpha"), out.index("demo"), out.index("zeta")
    assert alpha < demo < zeta
    block = out[demo:zeta]
    assert "latest audit 2026-01-04 09:30, session d-1: 4 findings" in block
    assert "failed 4 audits in a row (since 2026-01-01)" in block
    assert "failed 2 audits in a row (since 2026-01-03)" in block
    assert "MAJOR" in block and "minor" in block
    assert "note: still no [bold]records[/bold]␛[5m" in block
    assert "\x1b" not in out
    assert "no failed items" in out[zeta:]
    assert "5 open findings in 3 checklists." in out
    for line in out.splitlines():
        assert cell_width(line) <= 100, line


def test_long_note_is_wrapped_not_lost(capsys, tmp_path) -> None:
    words = " ".join(f"word{n}" for n in range(80)) + " " + "x" * 150
    write_session(tmp_path / "sessions", make_session("s", [("1.1", "fail", words)]))
    code, out, _ = cli(capsys, tmp_path, "findings")
    assert code == 0
    for line in out.splitlines():
        assert cell_width(line) <= 100, line
    text = "".join(line.strip() for line in out.splitlines())
    assert "word79" in text and "x" * 150 in text.replace(" ", "")
