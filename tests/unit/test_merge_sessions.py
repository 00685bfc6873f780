"""`auditui merge`: one audit split between auditors becomes one session for the report."""

from __future__ import annotations

import shutil
import tomllib
from datetime import timedelta

import pytest

from auditui.errors import AudituiError
from auditui.session_toml import read_session_file


def split_audit(store, checklist, started):
    """Mai audits section 4, Anan section 5, of one internal audit."""
    mai = store.create(checklist, auditor="Mai", auditee="Plant 2", started=started,
                       scope=["4"])  # fmt: skip
    mai.answer("4.1-a", result="pass", note="Context analysis seen")
    mai.answer("4.2-a", result="fail", note="No register of interested parties")
    mai.answer("4.2-a", grade="minor")
    mai.close()
    anan = store.create(checklist, auditor="Anan", auditee="Plant 2",
                        started=started + timedelta(minutes=5), scope=["5"])  # fmt: skip
    anan.answer("5.1-a", result="pass")
    anan.answer("5.2-a", result="na", note="Policy under review")
    anan.close()
    return mai.session.id, anan.session.id


def merged_audit(run_cli, store, checklist, started) -> tuple[str, str, str]:
    """The split audit merged: the two parts' ids and the merged session's."""
    mai, anan = split_audit(store, checklist, started)
    code, out, err = run_cli("merge", mai, anan, "--sessions-dir", store.folder)
    assert code == 0, err
    return mai, anan, out.strip()


def test_two_auditors_sessions_become_one(run_cli, store, checklist, started) -> None:
    mai, anan = split_audit(store, checklist, started)
    code, out, err = run_cli("merge", mai, anan, "--title", "Internal audit, Plant 2",
                             "--sessions-dir", store.folder)  # fmt: skip
    assert code == 0, err
    merged_id = out.strip()
    assert merged_id not in (mai, anan)
    merged = read_session_file(store.path_for(merged_id))
    assert merged.auditor == "Mai, Anan"
    assert merged.auditee == "Plant 2"
    assert merged.title == "Internal audit, Plant 2"
    assert merged.scope == ("4", "5")  # the union of the scopes
    assert merged.started == started
    answers = {r.item_id: (r.result, r.grade, r.note) for r in merged.records}
    assert answers == {
        "4.1-a": ("pass", None, "Context analysis seen"),
        "4.2-a": ("fail", "minor", "No register of interested parties"),
        "5.1-a": ("pass", None, ""),
        "5.2-a": ("na", None, "Policy under review"),
    }
    assert merged.summary().answered == 4
    document = tomllib.loads(store.path_for(merged_id).read_text(encoding="utf-8"))
    assert document["session"]["merged_from"] == [mai, anan]
    # The sources are left as they were.
    assert read_session_file(store.path_for(mai)).record("5.1-a").result == "unanswered"
    assert "merged 2 sessions" in err


def test_a_part_walked_in_a_translation_keeps_it_and_each_auditor_signs_apart(
    run_cli, store, checklist, started
) -> None:
    """Anan walked in Vietnamese: the merged session was English only (its report, its
    exports); and finishing it offered "Mai, Anan (auditor)" as one name signing."""
    from auditui.session import Session

    mai, anan = split_audit(store, checklist, started)
    path = store.path_for(anan)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("[session]\n", '[session]\nlanguage = "vi"\n', 1), "utf-8")
    code, out, err = run_cli("merge", mai, anan, "--sessions-dir", store.folder)
    assert code == 0, err
    merged = read_session_file(store.path_for(out.strip()))
    assert merged.language == "vi"
    assert merged.auditor_signing() == ("Mai (auditor)", "Anan (auditor)")
    assert Session.auditor_signing(read_session_file(store.path_for(mai))) == ("Mai (auditor)",)


def test_a_merged_audit_finished_again_is_not_signed_for_its_other_auditor(
    run_cli, store, checklist, started
) -> None:
    """After a reopening, `finish` with no --sign signed both auditors again, though only
    one was there to sign the changed results."""
    mai, anan = split_audit(store, checklist, started)
    folder = ("--sessions-dir", store.folder)
    code, out, err = run_cli("merge", mai, anan, *folder)
    assert code == 0, err
    merged_id = out.strip()
    code, _, err = run_cli("finish", merged_id, "--conclusion", "Conforms", *folder)
    assert code == 0, err
    assert read_session_file(store.path_for(merged_id)).signed_by == (
        "Mai (auditor)", "Anan (auditor)",
    )
    # Signed for both by whoever ran it: said, so it is not done unseen.
    assert "signed by Mai (auditor), Anan (auditor), the audit's auditors" in err
    assert run_cli("reopen", merged_id, "--reason", "4.1 re-checked", *folder)[0] == 0
    before = store.path_for(merged_id).read_bytes()
    code, _, err = run_cli("finish", merged_id, *folder)
    assert code == 1
    assert "signed before by Mai (auditor), Anan (auditor)" in err and "--sign" in err
    assert store.path_for(merged_id).read_bytes() == before
    code, _, err = run_cli("finish", merged_id, "--sign", "Mai (auditor)", *folder)
    assert code == 0, err
    finished = read_session_file(store.path_for(merged_id))
    assert finished.signed_by == ("Mai (auditor)",) and finished.conclusion == "Conforms"


def test_notes_and_files_on_items_left_unanswered_are_kept(
    run_cli, store, checklist, started, tmp_path
) -> None:
    """A note waiting for a record, a photo taken before the verdict: work done on an item
    a part did not answer is in the merged session, not silently dropped."""
    photo = tmp_path / "IMG_2231.jpg"
    photo.write_bytes(b"\xff\xd8 a photo")
    mai = store.create(checklist, auditor="Mai", started=started, scope=["4", "5"])
    mai.answer("4.1-a", note="Ghi chú chưa chấm: đang chờ hồ sơ")  # no result yet
    (attached,) = mai.attach("4.2-a", [photo])  # no result yet
    mai.answer("5.1-a", note="seen in passing: policy board empty")  # Anan's to judge
    mai.close()
    anan = store.create(checklist, auditor="Anan", started=started + timedelta(minutes=5),
                        scope=["5"])  # fmt: skip
    anan.answer("5.1-a", result="fail", note="No policy on the board")
    anan.close()
    code, out, err = run_cli("merge", mai.session.id, anan.session.id,
                             "--sessions-dir", store.folder)  # fmt: skip
    assert code == 0, err
    merged = read_session_file(store.path_for(out.strip()))
    assert merged.record("4.1-a").note == "Ghi chú chưa chấm: đang chờ hồ sơ"
    assert merged.record("4.1-a").result == "unanswered"
    (kept_file,) = merged.record("4.2-a").attachments
    assert (kept_file.sha256, kept_file.name) == (attached.sha256, attached.name)
    assert kept_file.file.startswith(f"evidence/{merged.id}/")
    kept = merged.record("5.1-a")
    assert kept.result == "fail"
    assert kept.note == "No policy on the board\n\nseen in passing: policy board empty"


def parts_with_a_file(store, checklist, started, photo):
    """Mai's part (section 4) with `photo` attached to a failed item, Anan's (section 5)."""
    photo.write_bytes(b"\xff\xd8 evidence of " + photo.name.encode())
    mai = store.create(checklist, auditor="Mai", started=started, scope=["4"])
    mai.answer("4.2-a", result="fail", note="No register")
    (attached,) = mai.attach("4.2-a", [photo])
    mai.close()
    anan = store.create(checklist, auditor="Anan", started=started + timedelta(minutes=5),
                        scope=["5"])  # fmt: skip
    anan.answer("5.1-a", result="pass")
    anan.close()
    return mai, anan, attached


def test_a_merged_session_keeps_its_evidence_in_its_own_folder(
    run_cli, store, checklist, started, tmp_path
) -> None:
    """SPEC: an attachment's file is `evidence/<session id>/…`. The merged session's files
    are copied there, so clearing a part's folder away (or copying only the merged
    session's folder to another laptop) loses none of its evidence."""
    import shutil

    from auditui.evidence import check

    mai, anan, attached = parts_with_a_file(store, checklist, started, tmp_path / "IMG_2231.jpg")
    code, out, err = run_cli("merge", mai.session.id, anan.session.id,
                             "--sessions-dir", store.folder)  # fmt: skip
    assert code == 0, err
    merged_id = out.strip()
    (kept,) = read_session_file(store.path_for(merged_id)).record("4.2-a").attachments
    assert kept.file.startswith(f"evidence/{merged_id}/")
    assert (kept.sha256, kept.size, kept.name, kept.added) == (
        attached.sha256, attached.size, "IMG_2231.jpg", attached.added)  # fmt: skip
    shutil.rmtree(store.folder / "evidence" / mai.session.id)
    assert check(store.folder, [kept]) == []
    code, _, err = run_cli("finish", merged_id, "--conclusion", "Effective",
                           "--sign", "Mai", "--sessions-dir", store.folder)  # fmt: skip
    assert code == 0, err
    assert "evidence" not in err


def test_a_part_s_missing_evidence_is_named_and_the_merge_goes_on(
    run_cli, store, checklist, started, tmp_path
) -> None:
    mai, anan, attached = parts_with_a_file(store, checklist, started, tmp_path / "scan.pdf")
    (store.folder / attached.file).unlink()  # a session synced without its evidence
    code, out, err = run_cli("merge", mai.session.id, anan.session.id,
                             "--sessions-dir", store.folder)  # fmt: skip
    assert code == 0, err
    (kept,) = read_session_file(store.path_for(out.strip())).record("4.2-a").attachments
    assert kept == attached  # still where the part has it: a copy may come later
    line = next(line for line in err.splitlines() if "evidence" in line)
    assert "1 evidence file could not be copied" in line and attached.file in line


def test_the_scope_is_the_union(run_cli, make_checklist_text, write_file, store, started) -> None:
    from auditui.checklist import load_checklist

    checklist = load_checklist(write_file("six.toml", make_checklist_text("six", items=6)))
    first = store.create(checklist, auditor="Mai", started=started, scope=["s0"])
    first.answer("i0", result="pass")
    first.close()
    second = store.create(checklist, auditor="Anan", started=started, scope=["s2"])
    second.answer("i5", result="fail")
    second.close()
    code, out, err = run_cli("merge", first.session.id, second.session.id,
                             "--sessions-dir", store.folder)  # fmt: skip
    assert code == 0, err
    merged = read_session_file(store.path_for(out.strip()))
    assert merged.scope == ("s0", "s2")
    assert merged.record("i2").result == "unanswered" and not merged.in_scope("i2")
    summary = merged.summary()
    assert (summary.total, summary.passed, summary.failed) == (4, 1, 1)


def test_items_answered_the_same_in_both_are_fine(run_cli, store, checklist, started) -> None:
    mai, anan = split_audit(store, checklist, started)
    writer = store.open(anan)
    writer.widen_scope(["4"])
    writer.answer("4.1-a", result="pass")  # the same answer, without a note
    writer.close()
    code, out, err = run_cli("merge", mai, anan, "--sessions-dir", store.folder)
    assert code == 0, err
    merged = read_session_file(store.path_for(out.strip()))
    assert (merged.record("4.1-a").result, merged.record("4.1-a").note) == (
        "pass",
        "Context analysis seen",
    )


def test_items_answered_differently_are_named_and_nothing_is_written(
    run_cli, store, checklist, started
) -> None:
    mai, anan = split_audit(store, checklist, started)
    writer = store.open(anan)
    writer.widen_scope(["4"])
    writer.answer("4.1-a", result="fail")
    writer.answer("4.2-a", result="fail", note="Register out of date")
    writer.answer("4.2-a", grade="minor")
    writer.close()
    before = sorted(p.name for p in store.folder.iterdir())
    code, out, err = run_cli("merge", mai, anan, "--sessions-dir", store.folder)
    assert code == 1
    assert out == ""
    assert len(err.splitlines()) == 1
    assert "2 items answered differently, nothing was written" in err
    assert f'4.1-a ({mai}: pass "Context analysis seen", {anan}: fail)' in err
    # Only the notes differ on 4.2-a: the message shows them.
    assert (
        f'4.2-a ({mai}: fail/minor "No register of interested parties", '
        f'{anan}: fail/minor "Register out of date")'
    ) in err
    assert sorted(p.name for p in store.folder.iterdir()) == before


def test_a_part_open_in_auditui_is_not_merged(run_cli, store, checklist, started) -> None:
    """Marks made in the app after the merge would count nowhere: a part that is open
    (its lock held) is refused until it is closed, and nothing is written."""
    mai, anan = split_audit(store, checklist, started)
    writer = store.open(anan)
    before = sorted(p.name for p in store.folder.iterdir())
    code, out, err = run_cli("merge", mai, anan, "--sessions-dir", store.folder)
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1 and f"session '{anan}' is open in another auditui" in err
    assert sorted(p.name for p in store.folder.iterdir()) == before
    writer.answer("5.2-a", result="fail", note="marked while the merge was tried")
    writer.close()
    code, out, _ = run_cli("merge", mai, anan, "--sessions-dir", store.folder)
    assert code == 0
    merged = read_session_file(store.path_for(out.strip()))
    assert merged.record("5.2-a").result == "fail"
    assert not list(store.folder.glob("*.lock"))  # the merge let go of the parts


def test_parts_on_storage_that_takes_no_lock_file_are_merged(
    run_cli, store, checklist, started, monkeypatch
) -> None:
    """Parts on a read-only drive (a copy handed over on a stick): no lock file can be
    made beside them, and no auditui can have them open for changes either."""
    from auditui.lock import SessionLock

    mai, anan = split_audit(store, checklist, started)

    def read_only(self) -> None:
        raise AudituiError("cannot create the lock file: Read-only file system", path=self.path)

    monkeypatch.setattr(SessionLock, "acquire", read_only)
    code, out, err = run_cli("merge", mai, anan, "--sessions-dir", store.folder)
    assert code == 0, err
    assert read_session_file(store.path_for(out.strip())).merged_from == (mai, anan)


def test_sessions_of_different_checklists_are_refused(
    run_cli, make_checklist_text, write_file, store, checklist, started
) -> None:
    from auditui.checklist import load_checklist

    other = load_checklist(write_file("other.toml", make_checklist_text("other")))
    first = store.create(checklist, started=started)
    first.close()
    second = store.create(other, started=started)
    second.close()
    code, out, err = run_cli("merge", first.session.id, second.session.id,
                             "--sessions-dir", store.folder)  # fmt: skip
    assert code == 1
    assert "different checklists" in err and len(err.splitlines()) == 1


def test_merge_usage(run_cli, store, checklist, started) -> None:
    assert run_cli("merge")[0] == 2
    one = store.create(checklist, started=started)
    one.close()
    code, _, err = run_cli("merge", one.session.id, "--sessions-dir", store.folder)
    assert code == 2 and "at least two" in err
    code, _, err = run_cli("merge", one.session.id, "ghost", "--sessions-dir", store.folder)
    assert code == 1 and "ghost" in err


def test_a_merged_audit_counts_once_in_trend_and_findings(run_cli, store, checklist, started):
    mai, anan = split_audit(store, checklist, started)
    folder = ["--sessions-dir", store.folder]
    code, out, err = run_cli("merge", mai, anan, *folder)
    assert code == 0, err
    merged_id = out.strip()
    code, out, err = run_cli("trend", "demo", "--format", "toml", *folder)
    assert code == 0, err
    assert [p["session_id"] for p in tomllib.loads(out)["points"]] == [merged_id]
    code, out, err = run_cli("findings", "--format", "toml", *folder)
    (finding,) = tomllib.loads(out)["findings"]
    assert finding["id"] == f"{merged_id}/4.2-a" and finding["streak"] == 1
    # Both sources are still listed: they are files the auditors wrote; and each says
    # which session it counts as, so three listed against one trend point is explained.
    code, out, _ = run_cli("sessions", "--format", "toml", *folder)
    listed = {s["id"]: s.get("merged_into") for s in tomllib.loads(out)["sessions"]}
    assert listed == {mai: merged_id, anan: merged_id, merged_id: None}
    code, out, _ = run_cli("sessions", *folder)
    table, below = out.split("\n\n")
    assert len(table.splitlines()) == 4  # the heading and three sessions
    assert below.splitlines() == [
        "Parts of a merged audit, counted as the merged session:",
        f"  {mai} -> {merged_id}",
        f"  {anan} -> {merged_id}",
    ]


def test_a_corrective_action_begun_before_the_merge_stays_with_its_finding(
    run_cli, store, checklist, started
) -> None:
    """Mai's fail raised a finding and its owner was set before the two sessions were
    merged: the merged session's finding keeps that action, answers to the id it was set
    under, and the item has one open finding, not a second one beside an orphan."""
    mai, anan = split_audit(store, checklist, started)
    folder = ["--sessions-dir", store.folder]
    assert run_cli("finding", f"{mai}/4.2-a", "--owner", "Somchai", *folder)[0] == 0
    code, out, err = run_cli("merge", mai, anan, *folder)
    assert code == 0, err
    merged_id = out.strip()
    code, out, err = run_cli("findings", "--all", "--format", "toml", *folder)
    assert code == 0, err
    (finding,) = tomllib.loads(out)["findings"]
    assert (finding["id"], finding["owner"]) == (f"{merged_id}/4.2-a", "Somchai")
    assert run_cli("finding", f"{mai}/4.2-a", "--status", "action", *folder)[0] == 0
    code, out, err = run_cli("findings", "--format", "toml", *folder)
    (finding,) = tomllib.loads(out)["findings"]
    assert (finding["owner"], finding["status"]) == ("Somchai", "action")
    assert sorted(p.name for p in (store.folder / "findings").iterdir()) == [
        f"{mai}+4.2-a.toml"
    ]


def test_a_finding_s_id_from_before_the_merge_still_names_it(
    run_cli, store, checklist, started
) -> None:
    """SPEC: a finding's id is "stable on every laptop". After a merge the merged session
    raises the finding under its own id, and the id a script or a colleague had noted
    before (the part's) gave "no finding": it still names the same finding."""
    mai, anan = split_audit(store, checklist, started)
    folder = ["--sessions-dir", store.folder]
    code, out, err = run_cli("merge", mai, anan, *folder)
    assert code == 0, err
    merged_id = out.strip()
    code, out, err = run_cli("finding", f"{mai}/4.2-a", "--format", "toml", *folder)
    assert code == 0, err
    assert tomllib.loads(out)["finding"]["id"] == f"{merged_id}/4.2-a"
    code, _, err = run_cli("finding", f"{mai}/4.2-a", "--owner", "Somchai", *folder)
    assert code == 0, err
    code, out, _ = run_cli("findings", "--format", "toml", *folder)
    (finding,) = tomllib.loads(out)["findings"]
    assert (finding["id"], finding["owner"]) == (f"{merged_id}/4.2-a", "Somchai")


def test_a_part_already_merged_is_not_merged_again(run_cli, store, checklist, started) -> None:
    """Its answers would count twice: in both merged sessions' findings and trend."""
    mai, anan = split_audit(store, checklist, started)
    code, out, _ = run_cli("merge", mai, anan, "--sessions-dir", store.folder)
    assert code == 0
    first = out.strip()
    other = store.create(checklist, auditor="Linh", started=started, scope=["4"])
    other.answer("4.1-a", result="pass")
    other.close()
    before = sorted(store.folder.glob("*.toml"))
    code, out, err = run_cli("merge", anan, other.session.id, "--sessions-dir", store.folder)
    assert (code, out) == (1, "")
    assert f"session {anan} is already merged into {first}" in err
    assert len(err.splitlines()) == 1
    assert sorted(store.folder.glob("*.toml")) == before
    # The merged session itself may be merged again with another part.
    code, _, err = run_cli("merge", first, other.session.id, "--sessions-dir", store.folder)
    assert code == 0, err


def test_a_part_s_previous_audit_is_not_its_own_merge(run_cli, store, checklist, started) -> None:
    """The merge starts when its first part did, so for the second part it looked like
    the audit before: its report compared it with itself ("0 improved")."""
    earlier = store.create(checklist, auditor="Mai", started=started - timedelta(days=30))
    earlier.answer("5.1-a", result="fail")
    earlier.close()
    mai, anan = split_audit(store, checklist, started)
    code, out, _ = run_cli("merge", mai, anan, "--sessions-dir", store.folder)
    assert code == 0
    part = store.load(anan)
    assert store.previous(part).id == earlier.session.id
    assert store.previous(part, store.list_sessions()).id == earlier.session.id
    code, report, err = run_cli("report", anan, "--format", "markdown",
                                "--sessions-dir", store.folder)  # fmt: skip
    assert code == 0, err
    assert earlier.session.id in report and out.strip() not in report


def test_a_part_of_a_merged_audit_takes_no_more_changes_and_names_the_merged_one(
    run_cli, store, checklist, started
) -> None:
    """A fail marked in a part after the merge reached no register, trend or review, and
    nothing said so: every change to a part is refused, naming the session to open."""
    mai, anan = split_audit(store, checklist, started)
    code, out, err = run_cli("merge", mai, anan, "--sessions-dir", store.folder)
    assert code == 0, err
    merged_id = out.strip()
    before = store.path_for(mai).read_bytes()
    said = f"session {mai} was merged into {merged_id}"
    code, out, err = run_cli("finish", mai, "--conclusion", "Done", "--sign", "Mai",
                             "--sessions-dir", store.folder)  # fmt: skip
    assert (code, out) == (1, "") and said in err and f"open {merged_id} instead" in err
    assert len(err.splitlines()) == 1
    writer = store.open(mai)
    writer.merged_into = store.merged_into(mai)
    try:
        with pytest.raises(AudituiError, match=said):
            writer.answer("4.1-a", result="fail")
    finally:
        writer.close()
    assert store.path_for(mai).read_bytes() == before
    assert store.merged_into(merged_id) is None


def test_marks_made_on_a_part_after_the_merge_are_named_by_every_list_until_carried(
    run_cli, store, checklist, started, monkeypatch
) -> None:
    """A laptop that had not heard of the merge marked a part: the fail reached no
    register, and only that laptop's sync said so, once. `sessions` and `findings` say
    so every time, until the mark is made in the merged session."""
    mai, anan, merged_id = merged_audit(run_cli, store, checklist, started)
    from auditui import store as store_module
    from auditui.timeutil import now

    later = now() + timedelta(hours=1)
    monkeypatch.setattr(store_module, "now", lambda: later)
    late = store.open(anan)  # as on a laptop that has not synced since the merge
    late.answer("5.1-a", result="fail", note="No policy on the wall")
    late.answer("5.1-a", grade="minor")
    late.close()
    said = f"session {anan} is part of the merged audit {merged_id}, which lacks its answers"
    said += " to 5.1-a"
    for command in (["sessions"], ["sessions", "--format", "toml"], ["findings"]):
        code, _, err = run_cli(*command, "--sessions-dir", store.folder)
        assert code == 0 and said in err and f"make those marks in {merged_id}" in err, command
    code, out, _ = run_cli("findings", "--format", "toml", "--sessions-dir", store.folder)
    assert "5.1-a" not in out  # the fail is in no register: hence the words
    finished = store.open(merged_id)  # finished meanwhile: the advice says to reopen it
    finished.finish(conclusion="Done", signed_by=["Mai (auditor)"])
    finished.close()
    code, _, err = run_cli("sessions", "--sessions-dir", store.folder)
    assert f"(it is finished: `auditui reopen {merged_id} --reason TEXT` first)" in err
    code, _, err = run_cli("reopen", merged_id, "--reason", "late marks",
                           "--sessions-dir", store.folder)  # fmt: skip
    assert code == 0, err
    carried = store.open(merged_id)
    carried.answer("5.1-a", result="fail", note="No policy on the wall")
    carried.answer("5.1-a", grade="minor")
    carried.close()
    for command in (["sessions"], ["findings"]):
        code, _, err = run_cli(*command, "--sessions-dir", store.folder)
        assert code == 0 and err == "", command
    # An answer changed in the merged session since (reviewed by the lead auditor) is
    # the merged session's own: the part's older one is not named.
    monkeypatch.setattr(store_module, "now", lambda: later + timedelta(hours=1))
    reviewed = store.open(merged_id)
    reviewed.answer("4.1-a", result="fail", note="Context analysis is three years old")
    reviewed.answer("4.2-a", note="Register of interested parties: none kept")  # its time
    reviewed.answer("4.2-a", grade="major")  # stays the part's: a note or grade changed
    reviewed.close()
    code, _, err = run_cli("sessions", "--sessions-dir", store.folder)
    assert code == 0 and err == ""


async def test_the_app_refuses_marks_on_a_merged_part_and_says_where_to_go(
    run_cli, locations, store, checklist, started
) -> None:
    from auditui.tui.app import AuditApp

    mai, anan, merged_id = merged_audit(run_cli, store, checklist, started)
    before = store.path_for(mai).read_bytes()
    app = AuditApp(locations, store=store, writer=store.open(mai))
    async with app.run_test(size=(80, 24)) as pilot:
        for worker in list(app.workers):
            await worker.wait()
        await pilot.pause()
        await pilot.press("f", "e")
        await pilot.pause()
        shown = [str(n.message) for n in app._notifications]
        assert any(f"merged into {merged_id}" in text for text in shown)
        # Said for as long as it is open, not by a notice that goes after a while.
        bar = app.screen.query_one("#walk-bar").render_line(0).text
        assert f"MERGED INTO {merged_id}" in bar
        await pilot.press("q")
    assert store.path_for(mai).read_bytes() == before


async def test_home_names_a_part_marked_after_the_merge(
    run_cli, locations, store, checklist, started, monkeypatch
) -> None:
    from auditui import store as store_module
    from auditui.timeutil import now
    from auditui.tui.app import AuditApp

    mai, anan, merged_id = merged_audit(run_cli, store, checklist, started)
    later = now() + timedelta(hours=1)
    monkeypatch.setattr(store_module, "now", lambda: later)
    late = store.open(anan)  # as on a laptop that has not synced since the merge
    late.answer("5.1-a", result="fail")
    late.close()
    app = AuditApp(locations, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        for worker in list(app.workers):
            await worker.wait()
        await pilot.pause()
        said = [p for p in app.screen.problems if f"merged audit {merged_id}" in p]
        assert len(said) == 1 and anan in said[0] and "5.1-a" in said[0]
        await pilot.press("q")


def test_merge_asks_for_two_sessions_in_its_usage(run_cli, store, checklist, started) -> None:
    """`merge SESSION SESSION...` (SPEC): the help says two are needed, and one is a
    command-line mistake (exit 2) that changes nothing."""
    code, out, _ = run_cli("merge", "--help")
    assert code == 0 and "SESSION SESSION [SESSION ...]" in " ".join(out.split())
    writer = store.create(checklist, auditor="Mai", auditee="Plant 2", started=started)
    writer.close()
    before = sorted(path.name for path in store.folder.iterdir())
    code, out, err = run_cli("merge", writer.session.id, "--sessions-dir", store.folder)
    assert code == 2 and out == "" and "at least two sessions" in err
    assert sorted(path.name for path in store.folder.iterdir()) == before


def test_an_action_typed_under_a_part_s_id_elsewhere_joins_the_merged_finding(
    run_cli, store, checklist, started
) -> None:
    """One laptop merged the parts and set a due date on the merged finding; another,
    which the merge had not reached, typed the owner and the cause under the part's id.
    After a sync both records are here: the part's stood apart as an orphan ("no session
    shows this finding"), the merged finding had no owner, and the item counted twice."""
    from auditui.finding_records import FindingRecords

    mai, anan, merged_id = merged_audit(run_cli, store, checklist, started)
    folder = ["--sessions-dir", store.folder]
    code, _, err = run_cli("finding", f"{merged_id}/4.2-a", "--due", "2027-03-01",
                           "--status", "action", *folder)  # fmt: skip
    assert code == 0, err
    records = FindingRecords(store.folder)
    records.update(f"{mai}/4.2-a", {"owner": "Ploy", "cause": "ไม่มีทะเบียน"})
    code, out, err = run_cli("findings", "--all", "--format", "toml", *folder)
    assert code == 0, err
    (finding,) = tomllib.loads(out)["findings"]
    assert finding["id"] == f"{merged_id}/4.2-a"
    assert (finding["owner"], finding["cause"], finding["status"]) == (
        "Ploy", "ไม่มีทะเบียน", "action"
    )
    assert finding["due"].isoformat() == "2027-03-01"
    code, out, _ = run_cli("finding", "4.2-a", "--format", "toml", *folder)
    assert code == 0 and tomllib.loads(out)["finding"]["owner"] == "Ploy"


def test_a_field_cleared_on_the_merged_finding_stays_cleared(
    run_cli, store, checklist, started
) -> None:
    """The part's record set the owner first; then it was cleared on the merged finding:
    the part's older owner came back, whatever the stamps said."""
    from auditui.finding_records import FindingRecords

    mai, _, merged_id = merged_audit(run_cli, store, checklist, started)
    folder = ["--sessions-dir", store.folder]
    assert run_cli("finding", f"{merged_id}/4.2-a", "--due", "2027-03-01", *folder)[0] == 0
    FindingRecords(store.folder).update(
        f"{mai}/4.2-a", {"owner": "Ploy", "cause": "wrong"}, at=started
    )
    code, out, _ = run_cli("finding", "4.2-a", "--format", "toml", *folder)
    assert tomllib.loads(out)["finding"]["owner"] == "Ploy"
    code, _, err = run_cli("finding", "4.2-a", "--owner", "", "--cause", "", *folder)
    assert code == 0, err
    code, out, _ = run_cli("finding", "4.2-a", "--format", "toml", *folder)
    shown = tomllib.loads(out)["finding"]
    assert "owner" not in shown and "cause" not in shown
    assert shown["due"].isoformat() == "2027-03-01"


def test_a_merged_audit_is_not_merged_with_one_of_its_own_parts(
    run_cli, store, checklist, started
) -> None:
    """`merge <merged> <part>` (a prefix slip) made an audit of "Mai, Anan, Anan" that
    counted the part's answers twice over; refused, naming it, nothing written."""
    mai, anan, merged = merged_audit(run_cli, store, checklist, started)
    before = sorted(path.name for path in store.folder.glob("*.toml"))
    code, out, err = run_cli("merge", merged, anan, "--sessions-dir", store.folder)
    assert (code, out) == (1, "")
    assert f"session {merged} is a merged audit that holds {anan} already" in err
    assert len(err.strip().splitlines()) == 1
    assert sorted(path.name for path in store.folder.glob("*.toml")) == before


def test_a_merge_done_again_keeps_the_corrective_actions_typed_on_the_first(
    run_cli, store, checklist, started, _own_config_folder
) -> None:
    """docs/sync.md: to redo a merge, delete the merged session, change the part, merge
    again. Merged again on another laptop (another id), the owner and cause typed on the
    first merged session's finding stood apart as an orphan, and the item counted as two
    open findings."""
    mai, anan, first = merged_audit(run_cli, store, checklist, started)
    folder = ["--sessions-dir", store.folder]
    code, _, err = run_cli("finding", f"{first}/4.2-a", "--owner", "Somchai",
                           "--cause", "ไม่มีทะเบียน", *folder)  # fmt: skip
    assert code == 0, err
    store.delete(first)
    assert (store.folder / "trash" / f"{first}.toml").exists()
    (_own_config_folder / "config.toml").write_text('[laptop]\nid = "linh"\n', "utf-8")
    code, out, err = run_cli("merge", mai, anan, *folder)
    assert code == 0, err
    again = out.strip()
    assert again != first
    code, out, err = run_cli("findings", "--all", "--format", "toml", *folder)
    assert code == 0, err
    (finding,) = tomllib.loads(out)["findings"]
    assert finding["id"] == f"{again}/4.2-a"
    assert (finding["owner"], finding["cause"]) == ("Somchai", "ไม่มีทะเบียน")
    # The id the action was typed under still names it, and a change goes to its record.
    code, _, err = run_cli("finding", f"{first}/4.2-a", "--status", "action", *folder)
    assert code == 0, err
    code, out, _ = run_cli("finding", "4.2-a", "--format", "toml", *folder)
    shown = tomllib.loads(out)["finding"]
    assert (shown["id"], shown["owner"], shown["status"]) == (
        f"{again}/4.2-a", "Somchai", "action"
    )
    assert sorted(p.name for p in (store.folder / "findings").iterdir()) == [
        f"{first}+4.2-a.toml"
    ]
    code, out, _ = run_cli("findings", *folder)
    assert "orphaned" not in out and "1 open finding." in out


def test_one_of_two_merges_of_the_same_parts_deleted_keeps_its_actions(
    run_cli, store, checklist, started
) -> None:
    """Two laptops merged the same parts before syncing; the sync says keep one and
    delete the others. Actions typed on the deleted one's finding join the kept one's,
    which keeps its own where both set a field (the newer stamp wins)."""
    from auditui.finding_records import FindingRecords

    mai, anan, first = merged_audit(run_cli, store, checklist, started)
    text = (store.folder / f"{first}.toml").read_text(encoding="utf-8")
    second = first[:-4] + "linh"  # the other laptop's merge, as a sync brings it
    (store.folder / f"{second}.toml").write_text(text.replace(first, second), "utf-8")
    records = FindingRecords(store.folder)
    records.update(f"{first}/4.2-a", {"owner": "Ploy"}, at=started + timedelta(hours=1))
    records.update(f"{second}/4.2-a", {"due": started.date() + timedelta(days=30)},
                   at=started + timedelta(hours=2))  # fmt: skip
    folder = ["--sessions-dir", store.folder]
    store.delete(first)
    code, out, err = run_cli("findings", "--all", "--format", "toml", *folder)
    assert code == 0, err
    (finding,) = tomllib.loads(out)["findings"]
    assert finding["id"] == f"{second}/4.2-a"
    assert finding["owner"] == "Ploy"
    assert finding["due"] == started.date() + timedelta(days=30)
    code, out, err = run_cli("report", second, "--format", "markdown", *folder)
    assert code == 0, err
    assert "Ploy" in out


def test_a_merged_audit_deleted_leaves_its_actions_with_the_parts_findings(
    run_cli, store, checklist, started
) -> None:
    """The merged audit had replaced its parts; deleted, the parts count again and Mai's
    part raises the finding. The action typed on the merged finding stood apart as an
    orphan: the item counted twice."""
    mai, _, merged = merged_audit(run_cli, store, checklist, started)
    folder = ["--sessions-dir", store.folder]
    code, _, err = run_cli("finding", f"{merged}/4.2-a", "--owner", "Somchai", *folder)
    assert code == 0, err
    store.delete(merged)
    shutil.rmtree(store.folder / "trash")  # not from this laptop's trash: from the record
    code, out, err = run_cli("findings", "--all", "--format", "toml", *folder)
    assert code == 0, err
    (finding,) = tomllib.loads(out)["findings"]
    assert (finding["id"], finding["owner"]) == (f"{mai}/4.2-a", "Somchai")
    assert "orphaned" not in finding


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("5", "session.merged_from: must be an array of text"),
        ('[["x"]]', "session.merged_from: must be an array of text"),
        ('["../x"]', "session.merged_from[0]: '../x' is not a session id"),
        ("[SELF]", "session.merged_from[0]: names the session itself"),
    ],
)
def test_a_merged_from_edited_by_hand_is_named_with_its_key(
    run_cli, store, checklist, started, value, said
) -> None:
    """A merged audit naming itself as its part dropped out of the register and the
    trend without a word; `merged_from = 5` read as no merge at all."""
    mai, anan = split_audit(store, checklist, started)
    code, out, err = run_cli("merge", mai, anan, "--sessions-dir", store.folder)
    assert code == 0, err
    merged_id = out.strip()
    import tomli_w

    path = store.path_for(merged_id)
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    value = value.replace("SELF", f'"{merged_id}"')
    document["session"]["merged_from"] = tomllib.loads(f"v = {value}")["v"]
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    code, out, err = run_cli("export", merged_id, "--sessions-dir", store.folder)
    assert code == 1 and out == "" and err.count("\n") == 1
    assert said in err and str(path) in err
    # The register and the trend name the file too, and keep the parts' findings.
    code, out, err = run_cli("findings", "--sessions-dir", store.folder)
    assert code == 0 and said in err and "4.2-a" in out, (out, err)
    code, out, err = run_cli("trend", checklist.id, "--sessions-dir", store.folder)
    assert code == 0 and said in err and "No sessions" not in out, (out, err)


def test_an_import_naming_sessions_here_as_its_parts_must_hold_their_answers(
    run_cli, store, checklist, started, tmp_path
) -> None:
    """An export with `merged_from = [<a session here>]` added by hand took that session's
    place: its findings became orphans and its trend went, with only "imported"."""
    import tomli_w

    mai, anan, merged = merged_audit(run_cli, store, checklist, started)
    folder = ("--sessions-dir", store.folder)
    exported = tmp_path / "merged.toml"
    assert run_cli("export", merged, "-o", exported, *folder)[0] == 0
    # Another laptop with both parts: the merged audit takes their place, as a merge does.
    other = tmp_path / "other"
    for part in (mai, anan):
        (other).mkdir(exist_ok=True)
        (other / f"{part}.toml").write_bytes(store.path_for(part).read_bytes())
    code, _, err = run_cli("import", exported, "--sessions-dir", other)
    assert code == 0, err
    # An unrelated session claiming Mai's part: refused, nothing written.
    lone = store.create(checklist, auditor="Lan", auditee="Stores", scope=["5"],
                        started=started + timedelta(days=3))  # fmt: skip
    lone.answer("5.1-a", result="fail", grade="major")
    lone.close()
    third = tmp_path / "third"
    third.mkdir()
    (third / f"{mai}.toml").write_bytes(store.path_for(mai).read_bytes())
    lone_file = tmp_path / "lone.toml"
    assert run_cli("export", lone.session.id, "-o", lone_file, *folder)[0] == 0
    document = tomllib.loads(lone_file.read_text(encoding="utf-8"))
    document["session"]["merged_from"] = [mai]
    lone_file.write_text(tomli_w.dumps(document), encoding="utf-8")
    code, out, err = run_cli("import", lone_file, "--sessions-dir", third)
    assert code == 1 and err.count("\n") == 1, err
    assert f"names session {mai} here among the parts it was merged from" in err
    assert "4.1-a, 4.2-a otherwise or not at all" in err
    assert not (third / f"{lone.session.id}.toml").exists()


def test_a_finished_session_is_not_merged(run_cli, store, checklist, started) -> None:
    """A sealed audit merged with another part became a part of a new, unfinished
    session, and dropped out of trend and the review pack as a finished audit."""
    mai, anan = split_audit(store, checklist, started)
    code, _, err = run_cli("finish", mai, "--conclusion", "Conforms",
                           "--sessions-dir", store.folder)  # fmt: skip
    assert code == 0, err
    before = sorted(path.name for path in store.folder.glob("*.toml"))
    code, out, err = run_cli("merge", mai, anan, "--sessions-dir", store.folder)
    assert (code, out) == (1, "")
    assert err == (
        f"auditui: session {mai} is finished and sealed: the merged session would stand in "
        f"its place unsigned; reopen it first (auditui reopen {mai} --reason TEXT), or leave "
        "it out\n"
    )
    assert sorted(path.name for path in store.folder.glob("*.toml")) == before


def test_a_merged_audit_merged_with_another_part_names_each_auditor_once(
    run_cli, store, checklist, started
) -> None:
    """Mai's merged audit joined with Mai's third part read "Mai, Anan, Mai" in the
    report's audit team and the review pack."""
    mai, anan, merged = merged_audit(run_cli, store, checklist, started)
    third = store.create(checklist, auditor="Mai", auditee="Plant 2",
                         started=started + timedelta(hours=1), scope=["5"])  # fmt: skip
    third.close()
    code, out, err = run_cli("merge", merged, third.session.id, "--sessions-dir", store.folder)
    assert code == 0, err
    again = read_session_file(store.path_for(out.strip()))
    assert (again.auditor, again.auditee) == ("Mai, Anan", "Plant 2")
    assert again.auditors() == ("Mai", "Anan")


def test_sessions_of_one_version_listing_other_items_are_named_as_such(
    run_cli, store, checklist, started, tmp_path
) -> None:
    """Two files of one version, one written by hand with some items only, were refused as
    "started from different versions (2026.1, 2026.1)"."""
    mai, anan = split_audit(store, checklist, started)
    path = store.path_for(anan)
    text = path.read_text(encoding="utf-8")
    # The last item's table cut out by hand.
    path.write_text(text[: text.rindex("[[results]]")], encoding="utf-8")
    code, out, err = run_cli("merge", mai, anan, "--sessions-dir", store.folder)
    assert (code, out) == (1, "")
    assert err == (
        f"auditui: sessions {mai} and {anan} list different items of checklist demo (5.2-a in "
        f"one only), though both say version {checklist.version}: only "
        "sessions listing the same items are merged\n"
    )
