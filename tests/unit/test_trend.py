"""`auditui trend CHECKLIST`: every session of one checklist, oldest first.

The TOML document: `[[points]]` with the SPEC keys (session_id, started, score, pass,
fail, na, unanswered) plus answered, total, checklist_version, and per-section results
as `[[points.sections]]` (section_id, title, score, pass, fail, na, unanswered); and a
`[trend]` table: checklist_id, title (when known), sessions (the number of points).
"""

from __future__ import annotations

from pathlib import Path

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

from auditui.session import Summary
from auditui.textwidth import cell_width
from auditui.trend import bar, spark

pytestmark = pytest.mark.usefixtures("indexed_history")


def _three(tmp_path: Path) -> None:
    """Three sessions of `demo` (file names not in time order) and one of `other`."""
    folder = tmp_path / "sessions"
    write_session(
        folder,
        make_session("zz-first", [("4.1-a", "fail"), ("4.2-a", "fail"), ("5.1-a", "pass")],
                     started=at(1), version="2026.1"),
    )  # fmt: skip
    write_session(
        folder,
        make_session("aa-second", [("4.1-a", "pass"), ("4.2-a", "fail"), ("5.1-a", "na")],
                     started=at(5), version="2026.1"),
    )  # fmt: skip
    write_session(
        folder,
        make_session("mm-third", [("4.1-a", "pass"), ("4.2-a", "pass"), ("6.1-a", "unanswered")],
                     started=at(9), version="2026.2"),
    )  # fmt: skip
    write_session(folder, make_session("other", [("1.1", "fail")], checklist_id="other"))


def test_points_oldest_first_from_sessions_alone(capsys, tmp_path) -> None:
    """No checklist file exists for `demo`: the sessions are enough."""
    _three(tmp_path)
    code, out, err = cli(capsys, tmp_path, "trend", "demo", "--format", "toml")
    assert code == 0, err
    assert err == ""
    document = parse(out)
    points = document["points"]
    assert [p["session_id"] for p in points] == ["zz-first", "aa-second", "mm-third"]
    assert [p["started"] for p in points] == [at(1), at(5), at(9)]
    assert "started = 2026-01-01T09:30:00+07:00" in out
    first, second, third = points
    assert {k: first[k] for k in ("score", "pass", "fail", "na", "unanswered")} == {
        "score": round(1 / 3, 4), "pass": 1, "fail": 2, "na": 0, "unanswered": 0,
    }  # fmt: skip
    assert (second["score"], second["pass"], second["fail"], second["na"]) == (0.5, 1, 1, 1)
    assert (third["score"], third["unanswered"], third["answered"], third["total"]) == (
        1.0, 1, 2, 3,
    )  # fmt: skip
    assert third["checklist_version"] == "2026.2"
    assert [(s["section_id"], s["score"], s["pass"], s["fail"]) for s in first["sections"]] == [
        ("4", 0.0, 0, 2),
        ("5", 1.0, 1, 0),
    ]
    assert [s["section_id"] for s in third["sections"]] == ["4", "6"]
    assert document["trend"] == {"checklist_id": "demo", "title": "Demo audit", "sessions": 3}


def test_checklist_path_gives_its_id(capsys, tmp_path) -> None:
    _three(tmp_path)
    path = write_checklist(tmp_path / "elsewhere", "demo", ["4.1-a", "4.2-a"])
    code, out, _ = cli(capsys, tmp_path, "trend", str(path), "--format", "toml")
    assert code == 0
    assert len(parse(out)["points"]) == 3


def test_known_checklist_without_sessions(capsys, tmp_path) -> None:
    write_checklist(tmp_path / "checklists", "fresh", ["1.1-a"])
    code, out, err = cli(capsys, tmp_path, "trend", "fresh", "--format", "toml")
    assert code == 0, err
    assert "points = []" in out
    assert parse(out)["points"] == []
    code, out, _ = cli(capsys, tmp_path, "trend", "fresh")
    assert code == 0
    assert "No sessions of checklist fresh yet." in out


def test_unknown_checklist(capsys, tmp_path) -> None:
    _three(tmp_path)
    code, out, err = cli(capsys, tmp_path, "trend", "nothing-here", "--format", "toml")
    assert code == 1 and out == ""
    assert "no checklist with id nothing-here, in the checklists folders or in the sessions" in err
    code, _, err = cli(capsys, tmp_path, "trend", "mm-third")
    assert code == 1
    assert "mm-third is a session, not a checklist; give its checklist's id: demo" in err
    code, _, err = cli(capsys, tmp_path, "trend", "missing/file.toml")
    assert code == 1 and "Traceback" not in err


def test_bad_arguments(capsys, tmp_path) -> None:
    assert cli(capsys, tmp_path, "trend")[0] == 2
    assert cli(capsys, tmp_path, "trend", "demo", "--format", "csv")[0] == 2


def test_unreadable_session_is_named_and_left_out(capsys, tmp_path) -> None:
    _three(tmp_path)
    (tmp_path / "sessions" / "broken.toml").write_bytes(b"[session]\nid = \xff\n")
    code, out, err = cli(capsys, tmp_path, "trend", "demo", "--format", "toml")
    assert code == 0
    assert "broken.toml" in err and "left out" in err
    assert err.count("broken.toml") == 1  # named once, not for each pass over the folder
    assert len(parse(out)["points"]) == 3


def test_sections_stay_in_the_checklist_order_after_a_scoped_session(capsys, tmp_path) -> None:
    """A latest session scoped to section 5 listed the sections 5, 6, 4."""
    folder = tmp_path / "sessions"
    write_session(folder, make_session("s1", [("4.1-a", "pass"), ("5.1-a", "fail"),
                                              ("6.1-a", "pass")], started=at(1)))  # fmt: skip
    write_session(folder, make_session("s2", [("5.1-a", "pass")], started=at(2)))
    write_session(folder, make_session("s3", [("7.1-a", "pass")], started=at(3)))
    code, out, err = cli(capsys, tmp_path, "trend", "demo")
    assert code == 0, err
    rows = [line.split()[0] for line in out.splitlines() if line.startswith("  ")]
    assert [row for row in rows if row.isdigit()] == ["4", "5", "6", "7"]


@pytest.mark.parametrize("later", ["8", "9"])
def test_sections_follow_the_checklist_when_it_is_here(capsys, tmp_path, later) -> None:
    """An audit of 7, 8 and 10, then one of 7, 9 and 10 (or the other way round): by
    section read 7, 9, 8, 10 one way or the other. The checklist gives the order."""
    from history_helpers import write_checklist

    write_checklist(tmp_path / "checklists", "demo", ["7.1-a", "8.1-a", "9.1-a", "10.1-a"])
    first = "9" if later == "8" else "8"
    folder = tmp_path / "sessions"
    for name, section, day in (("s1", first, 1), ("s2", later, 2)):
        items = [("7.1-a", "pass"), (f"{section}.1-a", "fail"), ("10.1-a", "pass")]
        write_session(folder, make_session(name, items, started=at(day)))
    code, out, err = cli(capsys, tmp_path, "trend", "demo")
    assert code == 0, err
    rows = [line.split()[0] for line in out.splitlines() if line.startswith("  ")]
    assert [row for row in rows if row.isdigit()] == ["7", "8", "9", "10"]


def test_text_chart(capsys, tmp_path) -> None:
    _three(tmp_path)
    code, out, err = cli(capsys, tmp_path, "trend", "demo")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Trend: demo — Demo audit"
    rows = [line for line in lines if line.startswith("2026-")]
    assert [row[:16] for row in rows] == [
        "2026-01-01 09:30",
        "2026-01-05 09:30",
        "2026-01-09 09:30",
    ]
    assert "33.3%" in rows[0] and "50.0%" in rows[1] and "100.0%" in rows[2]
    head = next(line for line in lines if line.startswith("STARTED"))
    width = head.index("100%") + 4 - head.index("0%")  # the bar's, as wide as it fits
    assert width >= 30
    assert "█" * width in rows[2] and "█" * (width + 1) not in rows[2]  # 100%: the full bar
    assert "█" * (width // 2) + " " in rows[1] and "█" * (width // 2 + 1) not in rows[1]
    assert "3/3" in rows[0] and "2/3" in rows[2]
    assert "zz-first" in rows[0]
    # Per-section sparklines: section 4 went 0% -> 50% -> 100%.
    section_4 = next(line for line in lines if line.startswith("  4 "))
    assert "▁▅█" in section_4
    section_6 = next(line for line in lines if line.startswith("  6 "))
    assert "···" in section_6  # never judged
    for line in lines:
        assert cell_width(line) <= 100, line


def test_long_session_ids_keep_the_end_that_tells_them_apart(capsys, tmp_path) -> None:
    """Cut at the end, every id read `2026-12-06-0312-iso9001-interna…`: the laptop part
    and the `-2` of a second session in the same minute were what was cut."""
    folder = tmp_path / "sessions"
    base = "2026-01-0{}-0930-iso9001-internal-audit-with-a-long-id-k3mq"
    for day, suffix in ((1, ""), (1, "-2"), (5, "")):
        make = make_session(base.format(day) + suffix, [("4.1-a", "pass")], started=at(day))
        write_session(folder, make)
    code, out, err = cli(capsys, tmp_path, "trend", "demo")
    assert code == 0, err
    rows = [line for line in out.splitlines() if line.startswith("2026-")]
    shown = [row.rsplit("  ", 1)[1] for row in rows]
    assert len(set(shown)) == 3 and all("…" in cut for cut in shown)
    assert shown[0].startswith("2026-01-01") and shown[1].endswith("k3mq-2")
    assert all(cell_width(row) <= 100 for row in rows)


def test_text_shows_user_text_literally(capsys, tmp_path) -> None:
    session = make_session("s", [("4.1-a", "pass")], title="[bold]Audit\x1b[2J")
    session.records[0].section_title = "Sec [red]x[/red]\x1b[0m" + "y" * 200
    write_session(tmp_path / "sessions", session)
    code, out, _ = cli(capsys, tmp_path, "trend", "demo")
    assert code == 0
    assert "[bold]Audit␛[2J" in out
    assert "Sec [red]x[/red]␛[0m" in out
    assert "\x1b" not in out
    for line in out.splitlines():
        assert cell_width(line) <= 100, line


def test_bar_and_spark() -> None:
    assert bar(Summary.from_counts(0, 0, 3, 0)) == " " * 40
    assert bar(Summary.from_counts(1, 0, 0, 0)) == "█" * 40
    assert bar(Summary.from_counts(1, 1, 0, 0)) == "█" * 20 + " " * 20
    assert len(bar(Summary.from_counts(1, 2, 0, 0))) == 40
    assert spark(None) == "·"
    assert spark(Summary.from_counts(0, 1, 0, 0)) == "▁"
    assert spark(Summary.from_counts(1, 0, 0, 0)) == "█"


def test_fifty_sessions(capsys, tmp_path) -> None:
    folder = tmp_path / "sessions"
    for number in range(50):
        items = [(f"{n % 10}.{n}-a", "pass" if (n + number) % 4 else "fail") for n in range(150)]
        write_session(
            folder,
            make_session(
                f"s{number:02}", items, started=at(1 + number % 28, month=1 + number // 28)
            ),
        )
    code, out, _ = cli(capsys, tmp_path, "trend", "demo", "--format", "toml")
    assert code == 0
    points = parse(out)["points"]
    assert [p["session_id"] for p in points] == [f"s{n:02}" for n in range(50)]
    code, out, _ = cli(capsys, tmp_path, "trend", "demo")
    assert code == 0
    for line in out.splitlines():
        assert cell_width(line) <= 100, line


def test_sessions_of_a_checklist_none_of_which_is_there_says_which(capsys, tmp_path) -> None:
    """With sessions of other checklists there, "No sessions in <folder>." read as if
    the folder were empty."""
    _three(tmp_path)
    write_checklist(tmp_path / "checklists", "fresh", ["1.1-a"])
    code, out, err = cli(capsys, tmp_path, "sessions", "--checklist", "fresh")
    assert (code, err) == (0, "")
    assert out == f"No sessions of checklist fresh in {tmp_path / 'sessions'}.\n"


def test_the_by_section_heading_lines_up_with_short_section_names(capsys, tmp_path) -> None:
    """Sections named `a`/`A` left TREND and LATEST of the heading over other columns."""
    folder = tmp_path / "sessions"
    for day, result in ((1, "pass"), (2, "fail")):
        session = make_session(f"s{day}", [("4.1-a", result)], started=at(day))
        for record in session.records:
            record.section_id, record.section_title = "a", "A"
        write_session(folder, session)
    code, out, err = cli(capsys, tmp_path, "trend", "demo")
    assert code == 0, err
    lines = out.splitlines()
    head = next(line for line in lines if line.strip().startswith("SECTION"))
    row = lines[lines.index(head) + 1]
    assert row.index("█") == head.index("TREND")
    assert row.rstrip().endswith("0.0%") and len(row.rstrip()) == len(head.rstrip())


def test_a_section_the_latest_session_left_out_shows_its_last_score(capsys, tmp_path) -> None:
    """By section, LATEST read "–" for every section the latest session did not audit,
    as if it had never been scored; an id like 8-purchasing was cut to 8-purchas…."""
    folder = tmp_path / "sessions"
    write_session(folder, make_session("s1", [("7.1-a", "pass"), ("8-purchasing.1-a", "pass")],
                                       started=at(1)))  # fmt: skip
    write_session(folder, make_session("s2", [("7.1-a", "fail")], started=at(2)))
    code, out, err = cli(capsys, tmp_path, "trend", "demo")
    assert code == 0, err
    rows = {line.split()[0]: line.split()[-1] for line in out.splitlines()
            if line.startswith("  ") and line.split()[0] in ("7", "8-purchasing")}  # fmt: skip
    assert rows == {"7": "0.0%", "8-purchasing": "100.0%"}


def test_a_point_names_its_sections_only_when_not_all_of_them() -> None:
    """A merged audit keeps the union of its parts' scopes, often every section: the pack's
    trend listed them all, as if the audit had been partial."""
    from history_helpers import make_session

    from auditui.trend import PointSession

    whole = make_session("m", [("1.1-a", "pass"), ("2.1-a", "pass")])
    whole.set_scope(["1", "2"])
    part = make_session("p", [("1.1-a", "pass"), ("2.1-a", "unanswered")])
    part.set_scope(["1"])
    assert PointSession.of(whole).scope == ()
    assert PointSession.of(part).scope == ("1",)


def test_the_text_marks_where_the_checklist_version_changes(capsys, tmp_path) -> None:
    """Scores either side of a new checklist version are of other lists of items: the
    trend read on without a sign."""
    _three(tmp_path)  # the third is of version 2026.2
    code, out, err = cli(capsys, tmp_path, "trend", "demo")
    assert code == 0, err
    lines = out.splitlines()
    marker = lines.index("  — checklist version 2026.2 from here —")
    assert "aa-second" in lines[marker - 1] and "mm-third" in lines[marker + 1]
    assert sum("from here" in line for line in lines) == 1
