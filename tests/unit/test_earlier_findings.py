"""Findings of earlier audits around merged audits: what the report of an audit, its
compare and its export say of the findings open when it started, for the parts of a
merged audit (also a merge of a merge), closings by hand during the audit, and the
auditors who sign a merged audit."""

from __future__ import annotations

from history_helpers import at, cli, make_session, parse, write_session
from html_helpers import Page
from markdown_it import MarkdownIt


def _split_audit(folder, first_items=None, *, auditors=("Mai", "Anan")):
    """An earlier audit S0 failing everything, then a split audit: P1 (section 4) and P2
    (section 5); P2 passes 5.1-a."""
    s0 = make_session("s0", first_items or [
        ("4.1-a", "fail"), ("4.2-a", "fail"), ("5.1-a", "fail"), ("5.2-a", "fail"),
    ], started=at(1))  # fmt: skip
    p1 = make_session("p1", [("4.1-a", "fail", "p1 note"), ("4.2-a", "pass"),
                             ("5.1-a", "unanswered"), ("5.2-a", "unanswered")], started=at(5))
    p2 = make_session("p2", [("4.1-a", "unanswered"), ("4.2-a", "unanswered"),
                             ("5.1-a", "pass"), ("5.2-a", "fail")], started=at(5, 10))
    p1.auditor, p2.auditor = auditors
    p1.set_scope(("4",))
    p2.set_scope(("5",))
    for session in (s0, p1, p2):
        write_session(folder, session)


def _merge(capsys, tmp_path, *ids: str) -> str:
    code, out, err = cli(capsys, tmp_path, "merge", *ids)
    assert code == 0, err
    return out.strip()


def test_compare_with_a_part_counts_what_its_merge_closed(capsys, tmp_path) -> None:
    """The merge passed 5.1-a (P2's answer): the register had it closed, but compare
    S0 P1 listed it as still open."""
    _split_audit(tmp_path / "sessions")
    _merge(capsys, tmp_path, "p1", "p2")
    code, out, err = cli(capsys, tmp_path, "compare", "s0", "p1", "--format", "toml")
    assert code == 0, err
    assert "s0/5.1-a" not in [f["id"] for f in parse(out)["findings_not_audited"]]


def test_a_part_s_export_carries_the_action_kept_under_its_merge(capsys, tmp_path) -> None:
    """An action typed for a finding of the merged audit went missing from the export of
    the part that failed the item."""
    folder = tmp_path / "sessions"
    write_session(folder, make_session("p1", [("4.1-a", "fail"), ("5.2-a", "unanswered")],
                                       started=at(5)))  # fmt: skip
    write_session(folder, make_session("p2", [("4.1-a", "unanswered"), ("5.2-a", "fail")],
                                       started=at(5, 10)))  # fmt: skip
    merged = _merge(capsys, tmp_path, "p1", "p2")
    code, _, err = cli(capsys, tmp_path, "finding", f"{merged}/4.1-a", "--owner", "Lek",
                       "--action", "fix it")  # fmt: skip
    assert code == 0, err
    code, out, err = cli(capsys, tmp_path, "export", "p1", "--format", "toml")
    assert code == 0, err
    (finding,) = parse(out)["findings"]
    assert (finding["owner"], finding["action"]) == ("Lek", "fix it")


def test_a_merge_of_a_merge_is_no_earlier_audit_of_its_parts(capsys, tmp_path) -> None:
    """P1 and P2 merged into M, M and P3 into M2 (P3 started first): the report of P1
    listed M2's finding of P1's own fail as an earlier one, "failed again"."""
    folder = tmp_path / "sessions"
    for session_id, items, started in (
        ("p1", [("4.1-a", "fail"), ("5.1-a", "unanswered")], at(5, 9)),
        ("p2", [("4.1-a", "unanswered"), ("5.1-a", "fail")], at(5, 10)),
        ("p3", [("4.1-a", "unanswered"), ("5.1-a", "unanswered")], at(5, 8)),
    ):
        write_session(folder, make_session(session_id, items, started=started))
    merged = _merge(capsys, tmp_path, "p1", "p2")
    _merge(capsys, tmp_path, merged, "p3")
    code, out, err = cli(capsys, tmp_path, "report", "p1", "--format", "markdown")
    assert code == 0, err
    part = out[out.index("## Findings of earlier audits"):]
    assert "No finding of an earlier audit" in part.split("##")[1]


def test_a_finding_closed_by_hand_during_the_audit_is_said_so(capsys, tmp_path) -> None:
    """Closed by hand at 10:30 in an audit that began at 9:30 and failed the item at
    11:30 (a new finding): the report said "still open: neither passed nor failed"."""
    from datetime import timedelta

    from auditui.finding_records import FindingRecords

    folder = tmp_path / "sessions"
    write_session(folder, make_session("s1", [("4.1-a", "fail")], started=at(1)))
    second = make_session("s2", [("4.1-a", "fail")], started=at(5))
    second.records[0].recorded = at(5) + timedelta(hours=2)
    write_session(folder, second)
    FindingRecords(folder).update(
        "s1/4.1-a", {"closed": at(5) + timedelta(hours=1), "closed_reason": "process retired"}
    )
    code, out, err = cli(capsys, tmp_path, "report", "s2", "--format", "markdown")
    assert code == 0, err
    assert "**closed by hand since this audit started**: s1/4.1-a" in out


def test_a_finding_closed_by_hand_that_the_audit_did_not_look_at_is_not_still_open(
    capsys, tmp_path
) -> None:
    """Out of the follow-up's scope, closed by hand after it started: the report said
    "still open: outside this audit's scope … status: Closed", where compare left it out
    of the findings still open."""
    from datetime import timedelta

    from auditui.finding_records import FindingRecords

    folder = tmp_path / "sessions"
    write_session(folder, make_session("s1", [("4.1-a", "fail"), ("4.2-a", "pass")],
                                       started=at(1)))  # fmt: skip
    second = make_session("s2", [("4.1-a", "unanswered"), ("4.2-a", "pass")], started=at(5))
    second.updated = at(5) + timedelta(hours=3)  # the audit went on till then
    write_session(folder, second)
    FindingRecords(folder).update(
        "s1/4.1-a", {"closed": at(5) + timedelta(hours=1), "closed_reason": "process retired"}
    )
    code, out, err = cli(capsys, tmp_path, "report", "s2", "--format", "markdown")
    assert code == 0, err
    part = out[out.index("## Findings of earlier audits"):]
    assert "**closed by hand since this audit started**: s1/4.1-a" in part
    assert "still open" not in part
    assert "closed by hand because: process retired" in part  # why, as the register says
    # Closed by hand months after the audit: what the audit found stands, the closing is
    # its status now (it read "closed by hand since this audit started").
    FindingRecords(folder).update("s1/4.1-a", {"closed": at(20, month=5)})
    code, out, err = cli(capsys, tmp_path, "report", "s2", "--format", "markdown")
    part = out[out.index("## Findings of earlier audits"):]
    assert "**still open: not answered in this audit**: s1/4.1-a" in part
    assert "status now: Closed" in part and "closed by hand because: process retired" in part


def test_auditors_whose_names_hold_a_comma_each_sign_a_merged_audit(capsys, tmp_path) -> None:
    """"Nguyen, Mai" and "Tran, Bao" became four people signing the sealed file."""
    _split_audit(tmp_path / "sessions", auditors=("Nguyen, Mai", "Tran, Bao"))
    merged = _merge(capsys, tmp_path, "p1", "p2")
    code, _, err = cli(capsys, tmp_path, "finish", merged, "--conclusion", "ok")
    assert code == 0, err
    code, out, _ = cli(capsys, tmp_path, "export", merged, "--format", "toml")
    assert parse(out)["session"]["signed_by"] == ["Nguyen, Mai (auditor)", "Tran, Bao (auditor)"]


def test_an_item_id_cannot_start_a_markdown_block_in_the_earlier_part(capsys, tmp_path) -> None:
    """`# Heading` as an item id began a line of the list: a heading inside the report."""
    folder = tmp_path / "sessions"
    hostile = "# Heading <img src=x>"
    write_session(folder, make_session("s1", [(hostile, "fail")], started=at(1)))
    write_session(folder, make_session("s2", [(hostile, "na")], started=at(5)))
    code, out, err = cli(capsys, tmp_path, "report", "s2", "--format", "markdown")
    assert code == 0, err
    part = out[out.index("## Findings of earlier audits"):out.index("## Observations")]
    page = Page(MarkdownIt("commonmark").render(part))
    assert [element.tag for element in page.all("h1")] == []
    assert page.all("img") == [] and hostile in page.text
