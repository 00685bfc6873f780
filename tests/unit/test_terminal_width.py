"""The text output of compare, trend, findings and finding on a terminal of 80 columns
(an auditor's laptop): every line fits, where 100-cell lines wrapped and broke the
columns; into a pipe or a file it keeps its 100 cells."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest
from history_helpers import at, make_session, write_session

from auditui.cli import main
from auditui.textwidth import cell_width

LONG_ID = "2026-09-10-0930-iso9001-internal-audit-with-a-long-name-3fnb"


class Terminal(io.TextIOWrapper):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def history(tmp_path):
    folder = tmp_path / "sessions"
    note = "Gauge 14 has no calibration label and nobody could find its record " * 3
    write_session(folder, make_session(LONG_ID, [("7.1.5-a", "pass"), ("8.5.1-b", "na")],
                                       started=at(1)))  # fmt: skip
    write_session(folder, make_session(LONG_ID + "-2", [("7.1.5-a", "fail", note, "major"),
                                       ("8.5.1-b", "fail")], started=at(2)))  # fmt: skip
    return folder


def shown(monkeypatch, folder, columns: int | None, *argv: str) -> str:
    """What `auditui ARGV` prints: on a terminal `columns` wide, or into a pipe (None)."""
    out = Terminal(io.BytesIO(), encoding="utf-8") if columns else io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    size = os.terminal_size((columns or 100, 24))
    monkeypatch.setattr("shutil.get_terminal_size", lambda fallback=None: size)
    owner = ["finding", f"{LONG_ID}-2/7.1.5-a", "--owner", "Trần Văn Hùng, trưởng phòng QA",
             "--due", "2026-01-05", "--sessions-dir", str(folder)]  # fmt: skip
    assert main(owner) == 0
    out.seek(0), out.truncate()
    assert main([*argv, "--sessions-dir", str(folder)]) == 0
    out.flush()
    text = out.buffer.getvalue().decode() if columns else out.getvalue()
    return text


def on_terminal(monkeypatch, *argv: str, columns: int = 80) -> str:
    """What `auditui ARGV` prints on a terminal `columns` wide."""
    out = Terminal(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", out)
    size = os.terminal_size((columns, 24))
    monkeypatch.setattr("shutil.get_terminal_size", lambda fallback=None: size)
    assert main(list(argv)) == 0
    out.flush()
    return out.buffer.getvalue().decode()


@pytest.mark.parametrize(
    "argv",
    [
        ["compare", LONG_ID, LONG_ID + "-2"],
        ["trend", "demo"],
        ["findings"],
        ["finding", LONG_ID + "-2/7.1.5-a"],
    ],
)
def test_text_output_fits_the_terminal(monkeypatch, history, argv) -> None:
    narrow = shown(monkeypatch, history, 80, *argv)
    assert all(cell_width(line) <= 80 for line in narrow.splitlines()), narrow
    wide = shown(monkeypatch, history, None, *argv)
    assert max(cell_width(line) for line in wide.splitlines()) > 80  # a pipe: 100 cells
    assert all(cell_width(line) <= 100 for line in wide.splitlines())
    if argv[0] == "compare":  # figures go on below rather than being cut
        assert narrow.count(" answered") == 2 and "unchanged" in narrow
        assert "…" not in "".join(line for line in narrow.splitlines() if "answered" in line)
    if argv[0] == "findings":  # what a line must never lose, even at 80
        assert "due 2026-01-05 OVERDUE" in narrow and "owner Trần Văn Hùng" in narrow


def test_the_sessions_list_fits_the_terminal_two_lines_a_session(
    monkeypatch, history
) -> None:
    """The sessions table is about 130 cells wide (the ids alone take 60 here): on an
    80-column terminal each session takes two lines, its whole id (to copy into the next
    command) and its auditee first; into a pipe it is one line a session, as scripts read."""
    from dataclasses import replace

    from auditui.session_toml import dumps_session, read_session_file

    for path in history.glob("*.toml"):
        session = read_session_file(path)
        auditee = "Moulding line 1, night shift, Binh Duong"
        path.write_bytes(dumps_session(replace(session, auditee=auditee)))
    narrow = shown(monkeypatch, history, 80, "sessions").splitlines()
    assert all(cell_width(line) <= 80 for line in narrow), narrow
    assert narrow[0].split() == ["ID", "AUDITEE"]
    assert narrow[1].split()[:2] == ["CHECKLIST", "STARTED"]
    assert narrow[2].startswith(LONG_ID + "  ") and "Moulding line 1" in narrow[2]
    assert narrow[3].startswith("  demo  ") and "2/2" in narrow[3]
    assert narrow[4].split()[0] == LONG_ID + "-2"
    wide = shown(monkeypatch, history, None, "sessions").splitlines()
    assert wide[0].split()[:3] == ["ID", "CHECKLIST", "STARTED"]
    assert wide[1].startswith(LONG_ID + "  ") and "night shift" in wide[1] and "2/2" in wide[1]


def test_trend_tells_its_sessions_apart_at_80_columns(monkeypatch, tmp_path) -> None:
    """Every session id cut in the middle to `2026-…t-2sdj`: the rows could not be told
    apart. The ids leave out the checklist's id (the trend's own) and the bar goes."""
    folder = tmp_path / "sessions"
    ids = ["2026-09-10-0930-iso9001-internal-audit-3fnb",
           "2026-09-10-0930-iso9001-internal-audit-3fnb-2"]  # fmt: skip
    for number, session_id in enumerate(ids, start=1):
        write_session(folder, make_session(session_id, [("7.1.5-a", "pass")], started=at(number),
                                           checklist_id="iso9001-internal-audit"))  # fmt: skip
    lines = on_terminal(monkeypatch, "trend", "iso9001-internal-audit",
                        "--sessions-dir", str(folder)).splitlines()  # fmt: skip
    assert all(cell_width(line) <= 80 for line in lines)
    rows = [line for line in lines if line.startswith("2026-")]
    assert [row.split()[-1] for row in rows] == [
        "2026-09-10-0930-…-3fnb", "2026-09-10-0930-…-3fnb-2"
    ]


def test_a_finding_s_question_goes_on_to_a_second_line_at_80_columns(
    monkeypatch, tmp_path
) -> None:
    """The question was cut to its first 30-odd characters at 80 columns."""
    folder = tmp_path / "sessions"
    session = make_session("2026-09-10-0930-demo-3fnb", [("7.1.5-a", "fail")], started=at(1))
    session.records[0].prompt = (
        "Has the company decided whether climate change is a relevant issue for it, "
        "and does the decision hold up?"
    )
    write_session(folder, session)
    text = on_terminal(monkeypatch, "findings", "--sessions-dir", str(folder))
    assert all(cell_width(line) <= 80 for line in text.splitlines())
    assert "does the decision hold up?" in text.replace("\n    ", " ")


def test_the_checklists_list_fits_80_columns(monkeypatch) -> None:
    """Every row of the shipped checklists wrapped at 80 columns; the title now goes on a
    line of its own there, whole when it fits; into a pipe, one line a checklist."""
    shipped = ["checklists", "--checklists-dir", str(Path(__file__).parents[2] / "checklists")]
    lines = on_terminal(monkeypatch, *shipped).splitlines()
    assert all(cell_width(line) <= 80 for line in lines), lines
    assert "  ISO 9001:2015 internal audit" in lines
    piped = io.StringIO()
    monkeypatch.setattr(sys, "stdout", piped)
    assert main(shipped) == 0
    assert any(line.startswith("iso9001-internal-audit ") and line.endswith("internal audit")
               for line in piped.getvalue().splitlines())  # fmt: skip


def test_compare_lists_only_sections_with_a_pass_rate(monkeypatch, tmp_path) -> None:
    """All 16 sections were listed with "– –" when only three were audited."""
    folder = tmp_path / "sessions"
    for number, result in enumerate(("fail", "pass"), start=1):
        items = [("7.1-a", result), ("8.1-a", "unanswered"), ("9.1-a", "na")]
        write_session(folder, make_session(f"2026-09-1{number}-0930-demo-3fnb", items,
                                           started=at(number)))  # fmt: skip
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    code = main(["compare", "2026-09-11-0930-demo-3fnb", "2026-09-12-0930-demo-3fnb",
                 "--sessions-dir", str(folder)])  # fmt: skip
    assert code == 0
    text = sys.stdout.getvalue()
    block = text[text.index("Pass rate by section"):].split("\n\n")[0].splitlines()
    assert [line.split()[0] for line in block[1:-1]] == ["7"]
    assert block[-1] == "  and 2 sections with no pass rate in either session"


def test_sessions_at_80_columns_with_a_broken_seal_and_merged_parts(
    monkeypatch, tmp_path
) -> None:
    """A FINISHED cell with SEAL BROKEN made the second line 84 cells; the merged parts'
    footer wrapped in the middle of an id."""
    from datetime import timedelta

    folder = tmp_path / "sessions"
    long_list = "iso9001-internal-audit"
    ids = [f"2026-09-1{n}-0930-{long_list}-3fnb" for n in (1, 2, 3)]
    for number, session_id in enumerate(ids, start=1):
        session = make_session(session_id, [("7.1-a", "pass")], started=at(number),
                               checklist_id=long_list)  # fmt: skip
        if number == 1:
            session.finished = at(1) + timedelta(hours=1)
            session.conclusion, session.signed_by = "OK", ("Mai (auditor)",)
        if number == 3:
            session.extra["session"] = {"merged_from": ids[1:2]}
        write_session(folder, session)
    sealed = folder / f"{ids[0]}.toml"
    sealed.write_text(sealed.read_text("utf-8").replace('result = "pass"', 'result = "fail"'),
                      "utf-8")  # fmt: skip
    lines = on_terminal(monkeypatch, "sessions", "--sessions-dir", str(folder)).splitlines()
    assert all(cell_width(line) <= 80 for line in lines), lines
    assert any("SEAL BROKEN" in line for line in lines)
    assert f"  {ids[1]}" in lines and f"    -> {ids[2]}" in lines


def test_compare_wraps_a_failed_item_s_note_instead_of_cutting_it(monkeypatch, history) -> None:
    """The note of a new failure is the auditor's finding in a sentence or two: at 80
    columns it was cut after about fifty letters. It wraps under the item now; a note of
    a page stops after a few lines (the whole of it is in `--format toml`)."""
    narrow = shown(monkeypatch, history, 80, "compare", LONG_ID, LONG_ID + "-2").splitlines()
    start = next(n for n, line in enumerate(narrow) if "grade major · note: Gauge 14" in line)
    block = " ".join(line.strip() for line in narrow[start : start + 4])
    assert block.endswith("nobody could find its record"), block
    assert all(cell_width(line) <= 80 for line in narrow)
    from dataclasses import replace

    from auditui.session_toml import dumps_session, read_session_file

    path = history / f"{LONG_ID}-2.toml"
    session = read_session_file(path)
    records = [replace(r, note="A page of notes. " * 60) if r.item_id == "7.1.5-a" else r
               for r in session.records]  # fmt: skip
    path.write_bytes(dumps_session(replace(session, records=records)))
    narrow = shown(monkeypatch, history, 80, "compare", LONG_ID, LONG_ID + "-2").splitlines()
    start = next(n for n, line in enumerate(narrow) if "note: A page of notes." in line)
    assert narrow[start + 3].endswith("…") and "A page" not in narrow[start + 4]


def test_compare_s_findings_headings_are_whole_at_80_columns(monkeypatch, tmp_path) -> None:
    """"Corrective actions not effective (marked done, failed again in the newer sessio…":
    the heading of what a follow-up audit is for lost its end, and its count."""
    from datetime import timedelta

    from auditui.finding_records import FindingRecords

    folder = tmp_path / "sessions"
    write_session(folder, make_session("s1", [("7.1.5-a", "fail")], started=at(1)))
    write_session(folder, make_session("s2", [("7.1.5-a", "fail")], started=at(2)))
    FindingRecords(folder).update("s1/7.1.5-a", {"status": "done"}, at=at(1) + timedelta(hours=2))
    text = on_terminal(monkeypatch, "compare", "s1", "s2", "--sessions-dir", str(folder))
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("Corrective actions"))
    heading = " ".join(lines[start : start + 2])
    assert heading == ("Corrective actions not effective (marked done, failed again in the "
                       "newer session): 1"), heading  # fmt: skip
    assert all(cell_width(line) <= 80 for line in lines)
