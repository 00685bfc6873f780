"""A nonconformity that comes back: an item whose finding was closed (a later pass, or by
hand) and that fails again raises a new finding, which names the one it follows in the
register, the audit report and the review pack (ISO 9001 10.2.1 a, 9.3.2). It was a new
finding like any other: a recurrence 13 days after closing was seen nowhere."""

from __future__ import annotations

import csv
import io

from history_helpers import at, cli, make_session, parse, write_session
from html_helpers import assert_self_contained


def _came_back(tmp_path) -> None:
    """s1 fails 1.1-a and 1.2-a; s2 passes 1.1-a (closing s1/1.1-a); 1.2-a is closed by
    hand; s3 fails both again."""
    folder = tmp_path / "sessions"
    write_session(folder, make_session("s1", [("1.1-a", "fail", "", "major"),
                                              ("1.2-a", "fail")], started=at(1)))  # fmt: skip
    write_session(folder, make_session("s2", [("1.1-a", "pass"), ("1.2-a", "na")],
                                       started=at(5)))  # fmt: skip
    from auditui.finding_records import FindingRecords

    FindingRecords(folder).update(
        "s1/1.2-a", {"closed": at(6), "closed_reason": "an observation, not a nonconformity"},
        at=at(6),
    )
    write_session(folder, make_session("s3", [("1.1-a", "fail", "gauge out of date again"),
                                              ("1.2-a", "fail")], started=at(18)))  # fmt: skip


def test_the_register_names_the_finding_a_new_one_follows(capsys, tmp_path) -> None:
    _came_back(tmp_path)
    code, out, err = cli(capsys, tmp_path, "findings", "--all", "--format", "toml")
    assert code == 0, err
    tables = {f["id"]: f for f in parse(out)["findings"]}
    assert tables["s3/1.1-a"]["recurrence_of"] == "s1/1.1-a"
    assert tables["s3/1.2-a"]["recurrence_of"] == "s1/1.2-a"
    assert "recurrence_of" not in tables["s1/1.1-a"] and "recurrence_of" not in tables["s1/1.2-a"]
    code, out, _ = cli(capsys, tmp_path, "findings")
    assert "came back: finding s1/1.1-a was closed 2026-01-05 (passed in s2)" in out
    assert "came back: finding s1/1.2-a was closed 2026-01-06 (by hand: an observation," in out
    code, out, _ = cli(capsys, tmp_path, "finding", "s3/1.1-a")
    assert any(line.split() == ["recurrence_of", "s1/1.1-a"] for line in out.splitlines())
    code, out, _ = cli(capsys, tmp_path, "findings", "--format", "csv")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(out.lstrip("\ufeff")))}
    assert rows["s3/1.1-a"]["recurrence_of"] == "s1/1.1-a"


def test_a_finding_after_a_streak_broken_by_na_follows_nothing(capsys, tmp_path) -> None:
    """An n/a leaves the finding open: the fail after it adds to it, and follows nothing."""
    folder = tmp_path / "sessions"
    write_session(folder, make_session("s1", [("1.1-a", "fail")], started=at(1)))
    write_session(folder, make_session("s2", [("1.1-a", "na")], started=at(2)))
    write_session(folder, make_session("s3", [("1.1-a", "fail")], started=at(3)))
    code, out, err = cli(capsys, tmp_path, "findings", "--all", "--format", "toml")
    assert code == 0, err
    [table] = parse(out)["findings"]
    assert table["id"] == "s1/1.1-a" and "recurrence_of" not in table


def test_the_audit_report_and_the_review_pack_say_it_came_back(run_cli, tmp_path) -> None:
    _came_back(tmp_path)
    folder = tmp_path / "sessions"
    code, out, err = run_cli("report", "s3", "--sessions-dir", folder)
    assert code == 0, err
    findings = assert_self_contained(out).by_id("findings").content
    assert "Came back" in findings
    assert "finding s1/1.1-a was closed 2026-01-05 (passed in s2)" in findings
    code, out, err = run_cli("report", "s3", "--format", "markdown", "--sessions-dir", folder)
    assert code == 0, err
    assert "- Came back: finding s1/1.1-a was closed 2026-01-05 (passed in s2)" in out
    code, out, err = run_cli("review-pack", "--format", "markdown", "--sessions-dir", folder)
    assert code == 0, err
    rows = [line for line in out.splitlines() if "| 1.1-a | Question 1.1-a?" in line]
    assert rows and all("| came back |" in row for row in rows)  # the Repeat column


def test_an_export_carrying_a_recurrence_imports(capsys, tmp_path) -> None:
    _came_back(tmp_path)
    exported = tmp_path / "s3.export.toml"
    assert cli(capsys, tmp_path, "export", "s3", "-o", str(exported))[0] == 0
    tables = {f["id"]: f for f in parse(exported.read_text(encoding="utf-8"))["findings"]}
    assert tables["s3/1.1-a"].get("recurrence_of") == "s1/1.1-a"
    code, _, err = cli(capsys, tmp_path / "other", "import", str(exported))
    assert code == 0, err


def test_compare_names_the_findings_that_came_back(capsys, tmp_path) -> None:
    """compare s1 s3: 1.2-a (closed by hand, failed again) read only "unchanged (still
    failing)"; the register and the report said it came back."""
    _came_back(tmp_path)
    code, out, err = cli(capsys, tmp_path, "compare", "s1", "s3")
    assert code == 0, err
    part = out[out.index("Findings that came back"):]
    assert part.startswith("Findings that came back (closed before, failed again in the "
                           "newer session): 2")  # fmt: skip
    assert "s3/1.2-a" in part
    assert "came back: finding s1/1.2-a was closed 2026-01-06 (by hand:" in part
    code, out, err = cli(capsys, tmp_path, "compare", "s1", "s3", "--format", "toml")
    came = parse(out)["findings_came_back"]
    assert sorted(f["id"] for f in came) == ["s3/1.1-a", "s3/1.2-a"]
    assert {f["recurrence_of"] for f in came} == {"s1/1.1-a", "s1/1.2-a"}
