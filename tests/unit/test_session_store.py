"""The sessions folder: every change on disk at once, nothing half-written, nothing lost."""

from __future__ import annotations

import errno
import os
import tomllib
from dataclasses import astuple
from pathlib import Path

import pytest

from auditui import tomlio
from auditui.errors import AudituiError
from auditui.session import apply_answer
from auditui.session_toml import read_session_file
from auditui.store import SessionStore, SessionWriter, read_session
from auditui.timeutil import now


def folder_names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def disk_full(*args, **kwargs):
    raise OSError(28, "No space left on device")


# --- create, answer, close, resume -------------------------------------------------------------


def test_create_saves_at_once_and_locks(store, checklist, sessions_dir, started) -> None:
    writer = store.create(checklist, auditor="Somchai", auditee="Plant 2", started=started)
    session_id = writer.session.id
    # Start, checklist, then this laptop's part (so two laptops never make one id).
    assert session_id == "2026-11-25-0930-demo-t3st"
    assert writer.path == sessions_dir / f"{session_id}.toml"
    on_disk = read_session_file(writer.path)
    assert (on_disk.auditor, on_disk.auditee, on_disk.started) == ("Somchai", "Plant 2", started)
    assert [r.item_id for r in on_disk.records] == [i.id for i in checklist.items]
    assert on_disk.checklist_sha256 == checklist.sha256
    assert writer.lock.held
    writer.close()


def test_two_sessions_started_in_the_same_minute_get_different_ids(
    store, checklist, started
) -> None:
    first = store.create(checklist, started=started)
    second = store.create(checklist, started=started)
    assert first.session.id != second.session.id
    assert first.path.exists() and second.path.exists()
    first.close()
    second.close()


def test_a_session_started_again_after_a_delete_never_takes_the_deleted_one_s_id(
    store, checklist, sessions_dir, started, run_cli
) -> None:
    """Wrong auditee: delete, start again in the same minute. The new session got the
    deleted one's id, and with it that session's corrective actions: its major fail read
    "closed: started by mistake". The trash, the evidence and the findings files keep
    the ids they hold from being given out again."""
    item_id = checklist.items[0].id
    first = store.create(checklist, auditee="Wrong department", started=started)
    first.answer(item_id, result="fail", grade="major")
    first.close()
    old_id = first.session.id
    folder = ("--sessions-dir", sessions_dir)
    assert run_cli("finding", f"{old_id}/{item_id}", "--close", "--reason",
                   "started by mistake", *folder)[0] == 0  # fmt: skip
    store.delete(old_id)
    again = store.create(checklist, auditee="Right department", started=started)
    again.answer(item_id, result="fail", grade="major")
    again.close()
    assert again.session.id != old_id
    code, out, err = run_cli("findings", *folder)
    assert code == 0 and "1 open finding" in out and f"{again.session.id}/{item_id}" in out
    # An id whose evidence folder is still there (its session deleted by hand) is skipped.
    (sessions_dir / "evidence" / f"{old_id}-3").mkdir(parents=True)
    third = store.create(checklist, started=started)
    assert third.session.id not in (old_id, again.session.id, f"{old_id}-3")
    third.close()


def test_a_mark_is_on_disk_before_close(store, checklist, started) -> None:
    writer = store.create(checklist, started=started)
    writer.answer("4.2-a", result="fail", note="No list of interested parties")
    # What another program (the `sessions` command, a second laptop on a share) reads now:
    fresh = read_session(writer.path)
    record = fresh.record("4.2-a")
    assert (record.result, record.note) == ("fail", "No list of interested parties")
    assert record.recorded is not None
    assert fresh.summary().failed == 1
    # ... held in the journal, the snapshot is untouched until the session is folded.
    assert writer.path.with_suffix(".journal").exists()
    assert read_session_file(writer.path).record("4.2-a").result == "unanswered"
    writer.close()


def test_close_folds_journal_and_removes_lock(store, checklist, sessions_dir, started) -> None:
    writer = store.create(checklist, started=started)
    writer.answer("4.1-a", result="pass")
    writer.answer("5.1-a", result="na", note="No top management on site")
    writer.set_details(auditor="Lan", auditee="Warehouse", title="Q4 audit")
    writer.close()
    assert folder_names(sessions_dir) == [writer.path.name]
    snapshot = read_session_file(writer.path)
    assert snapshot.record("4.1-a").result == "pass"
    assert snapshot.record("5.1-a").note == "No top management on site"
    assert (snapshot.auditor, snapshot.auditee, snapshot.title) == ("Lan", "Warehouse", "Q4 audit")
    summary = tomllib.loads(writer.path.read_text("utf-8"))["summary"]
    assert (summary["answered"], summary["pass"], summary["na"]) == (2, 1, 1)


def test_a_fold_that_fails_on_closing_is_said(store, checklist, started, monkeypatch) -> None:
    """Quitting on a full disk left the file behind its journal without a word (the
    marks were safe, but nobody knew the file itself was not up to date)."""
    from auditui import store as store_module

    writer = store.create(checklist, started=started)
    writer.answer("4.1-a", result="fail", note="kept in the journal")

    def no_room(path, *args, **kwargs):
        raise AudituiError("cannot save: No space left on device", path=path)

    monkeypatch.setattr(store_module, "atomic_write", no_room)
    writer.close()
    (said,) = writer.notices
    assert "No space left on device" in said and f"{writer.session.id}.journal" in said
    assert "next opened" in said
    monkeypatch.undo()
    assert read_session(writer.path).record("4.1-a").note == "kept in the journal"


def test_resume_sees_everything(store, checklist, started) -> None:
    writer = store.create(checklist, started=started)
    writer.answer("4.1-a", result="fail", note="First\nsecond line", grade="minor")
    writer.answer("4.2-a", result="pass")
    writer.close()
    resumed = store.open(writer.session.id)
    resumed_answer = resumed.session.record("4.1-a").answer()
    assert astuple(resumed_answer)[:3] == ("fail", "First\nsecond line", "minor")
    assert resumed.session.record("4.2-a").result == "pass"
    assert resumed.session.first_unanswered() == 2
    resumed.answer("5.1-a", result="pass")
    resumed.close()
    again = store.load(writer.session.id)
    assert again.summary().answered == 3


def test_resume_by_path(store, checklist, started) -> None:
    writer = store.create(checklist, started=started)
    writer.answer("4.1-a", result="pass")
    writer.close()
    resumed = store.open(str(writer.path))
    assert resumed.session.record("4.1-a").result == "pass"
    resumed.close()


def test_unknown_session_is_a_clean_error(store) -> None:
    with pytest.raises(AudituiError, match="no session 'nope'"):
        store.open("nope")
    with pytest.raises(AudituiError, match="no session"):
        store.load("../../etc/passwd")


def test_undo_restores_the_previous_answer(store, checklist, started) -> None:
    writer = store.create(checklist, started=started)
    before = writer.answer("4.1-a", result="fail", note="x", grade="major")
    assert astuple(before)[:3] == ("unanswered", "", None)
    writer.restore("4.1-a", before)
    restored = read_session(writer.path).record("4.1-a").answer()
    assert astuple(restored)[:3] == ("unanswered", "", None)
    writer.close()


# --- where files go -----------------------------------------------------------------------------


def test_missing_sessions_folder_lists_nothing_and_is_created_on_first_save(
    tmp_path, checklist, started
) -> None:
    folder = tmp_path / "not" / "yet"
    store = SessionStore(folder)
    assert store.list_sessions() == []
    assert not folder.exists()
    writer = store.create(checklist, started=started)
    assert folder.is_dir()
    writer.close()
    assert [s.id for s in store.list_sessions()] == [writer.session.id]


def test_sessions_folder_that_is_a_file_is_a_clean_error(tmp_path, checklist) -> None:
    (tmp_path / "sessions-file").write_text("not a folder")
    store = SessionStore(tmp_path / "sessions-file")
    with pytest.raises(AudituiError, match="not a folder"):
        store.create(checklist)


def test_lock_journal_and_temp_files_never_end_in_toml(store, checklist, sessions_dir, started):
    writer = store.create(checklist, started=started)
    writer.answer("4.1-a", result="pass")
    names = folder_names(sessions_dir)
    assert names == sorted(
        [f"{writer.session.id}.toml", f"{writer.session.id}.journal", f"{writer.session.id}.lock"]
    )
    temp = tomlio.temp_path_for(writer.path)
    assert temp.parent == sessions_dir
    assert not temp.name.endswith(".toml") and temp.name.startswith(".")
    # Listing while the session is open shows it once, with the mark.
    (listed,) = store.list_sessions()
    assert listed.record("4.1-a").result == "pass"
    writer.close()


def test_sessions_are_listed_oldest_first(store, checklist, started) -> None:
    from datetime import timedelta

    ids = []
    for hours in (5, 0, 2):
        writer = store.create(checklist, started=started + timedelta(hours=hours))
        ids.append((hours, writer.session.id))
        writer.close()
    assert [s.id for s in store.list_sessions()] == [i for _, i in sorted(ids)]


# --- atomic writes and failures -----------------------------------------------------------------


@pytest.mark.parametrize("failing", ["replace", "fsync", "write"])
def test_atomic_write_failure_keeps_old_file_and_leaves_no_temp(tmp_path, monkeypatch, failing):
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "data.toml"
    target.write_bytes(b"old = 1\n")
    monkeypatch.setattr(os, failing, disk_full)
    with pytest.raises(AudituiError) as caught:
        tomlio.atomic_write(target, b"new = 2\n")
    monkeypatch.undo()
    assert "No space left on device" in str(caught.value)
    assert str(target) in str(caught.value)
    assert target.read_bytes() == b"old = 1\n"
    assert folder_names(folder) == ["data.toml"]


def test_atomic_write_exclusive_refuses_to_overwrite(tmp_path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "data.toml"
    target.write_bytes(b"old\n")
    with pytest.raises(AudituiError, match="already exists"):
        tomlio.atomic_write(target, b"new\n", exclusive=True)
    assert target.read_bytes() == b"old\n"
    assert folder_names(folder) == ["data.toml"]


def test_failed_save_keeps_the_change_pending_then_saves_it(store, checklist, started, monkeypatch):
    writer = store.create(checklist, started=started)
    writer.answer("4.1-a", result="pass")
    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(AudituiError, match="No space left on device"):
        writer.answer("4.2-a", result="fail", note="Kept in memory")
    assert writer.pending
    assert writer.last_error is not None
    with pytest.raises(AudituiError):
        writer.flush()  # still failing: still pending
    assert writer.pending
    monkeypatch.undo()
    writer.flush()
    assert not writer.pending
    assert writer.last_error is None
    # The retry appended to the journal (a line, where a whole copy of the session may
    # not fit yet): the file and its journal hold both marks, as a resume reads them.
    saved = read_session(writer.path)
    assert saved.record("4.1-a").result == "pass"
    assert astuple(saved.record("4.2-a").answer())[:2] == ("fail", "Kept in memory")
    writer.close()
    assert not writer.path.with_suffix(".journal").exists()  # folded in on closing
    snapshot = read_session_file(writer.path)
    assert astuple(snapshot.record("4.2-a").answer())[:2] == ("fail", "Kept in memory")


def test_failed_journal_write_leaves_no_half_line(store, checklist, started, monkeypatch):
    writer = store.create(checklist, started=started)
    writer.answer("4.1-a", result="pass")
    journal_path = writer.path.with_suffix(".journal")
    good = journal_path.read_bytes()
    real_write = os.write

    def half_write(fd, data):
        real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", half_write)
    with pytest.raises(AudituiError):
        writer.answer("4.2-a", result="fail")
    monkeypatch.undo()
    assert journal_path.read_bytes() == good
    assert read_session(writer.path).record("4.2-a").result == "unanswered"
    writer.close()
    assert read_session_file(writer.path).record("4.2-a").result == "fail"


def test_close_with_a_change_that_cannot_be_saved_keeps_the_lock(
    store, checklist, started, monkeypatch
) -> None:
    writer = store.create(checklist, started=started)
    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(AudituiError):
        writer.answer("4.1-a", result="pass")
    with pytest.raises(AudituiError):
        writer.close()
    assert writer.lock.held
    monkeypatch.undo()
    writer.close()
    assert not writer.lock.held
    assert read_session_file(writer.path).record("4.1-a").result == "pass"


def test_session_file_deleted_while_open_is_recreated(store, checklist, started) -> None:
    writer = store.create(checklist, started=started)
    writer.answer("4.1-a", result="pass")
    writer.path.unlink()
    writer.answer("4.2-a", result="fail")
    snapshot = read_session_file(writer.path)
    assert snapshot.record("4.1-a").result == "pass"
    assert snapshot.record("4.2-a").result == "fail"
    writer.close()


def test_sessions_folder_deleted_while_open_is_recreated(store, checklist, started) -> None:
    import shutil

    writer = store.create(checklist, started=started)
    writer.answer("4.1-a", result="pass")
    shutil.rmtree(store.folder)
    writer.answer("4.2-a", result="fail")  # a full snapshot, folder and all
    snapshot = read_session_file(writer.path)
    assert snapshot.record("4.1-a").result == "pass"
    assert snapshot.record("4.2-a").result == "fail"
    writer.close()


# --- what a session accepts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "grade", "kept"),
    [
        ("fail", "major", True),
        ("fail", "minor", True),
        ("fail", "observation", True),
        ("fail", "ofi", True),
        ("pass", "observation", True),
        ("pass", "ofi", True),
        ("pass", "major", False),
        ("pass", "minor", False),
        ("na", "observation", False),
        ("na", "ofi", False),
        ("na", "major", False),
        ("unanswered", "ofi", False),
    ],
)
def test_grade_goes_only_with_the_results_it_fits(store, checklist, started, result, grade, kept):
    writer = store.create(checklist, started=started)
    writer.answer("4.1-a", result=result, grade=grade)
    expected = grade if kept else None
    assert writer.session.record("4.1-a").grade == expected
    writer.close()
    assert read_session_file(writer.path).record("4.1-a").grade == expected


def test_changing_the_result_drops_a_grade_that_no_longer_fits(store, checklist, started):
    writer = store.create(checklist, started=started)
    writer.answer("4.1-a", result="fail", grade="major")
    writer.answer("4.1-a", result="pass")
    assert writer.session.record("4.1-a").grade is None
    writer.answer("4.2-a", result="fail", grade="ofi")
    writer.answer("4.2-a", result="pass")
    assert writer.session.record("4.2-a").grade == "ofi"
    writer.answer("4.2-a", result="na")
    assert writer.session.record("4.2-a").grade is None
    writer.close()
    saved = read_session_file(writer.path)
    assert (saved.record("4.1-a").grade, saved.record("4.2-a").grade) == (None, None)


def test_bad_result_or_grade_is_refused(store, checklist, started) -> None:
    writer = store.create(checklist, started=started)
    with pytest.raises(ValueError):
        writer.answer("4.1-a", result="maybe")
    with pytest.raises(ValueError):
        writer.answer("4.1-a", result="fail", grade="critical")
    writer.close()


def test_recorded_is_set_by_an_answer_and_cleared_by_unanswered(checklist, started) -> None:
    from auditui.session import Session

    session = Session.start("s", checklist, started=started)
    at = now()
    apply_answer(session, "4.1-a", result="pass", at=at)
    assert session.record("4.1-a").recorded == at
    assert session.updated == at
    apply_answer(session, "4.1-a", result="unanswered", at=at)
    assert session.record("4.1-a").recorded is None


def test_hand_edited_grade_that_does_not_fit_is_reported(store, checklist, started) -> None:
    writer = store.create(checklist, started=started)
    writer.answer("4.1-a", result="pass")
    writer.close()
    text = writer.path.read_text("utf-8")
    text = text.replace('result = "pass"\n', 'result = "pass"\ngrade = "major"\n', 1)
    writer.path.write_text(text, "utf-8")
    with pytest.raises(AudituiError, match=r"results\[0\]\.grade: grade 'major' goes only with"):
        read_session_file(writer.path)


def test_unknown_keys_in_a_hand_edited_session_survive_a_save(store, checklist, started) -> None:
    writer = store.create(checklist, started=started)
    writer.close()
    text = writer.path.read_text("utf-8")
    text = text.replace("[summary]", 'site_code = "BKK-2"\n\n[summary]', 1)
    text = text.replace('result = "unanswered"', 'result = "unanswered"\nphoto = "IMG_0042.jpg"', 1)
    text += '\n[attachments]\nfolder = "//server/audits/2026"\nsigned = 2026-11-25T12:00:00+07:00\n'
    writer.path.write_text(text, "utf-8")

    resumed = store.open(writer.session.id)
    resumed.answer("4.1-a", result="pass")
    resumed.answer("4.2-a", result="fail")
    resumed.close()
    document = tomllib.loads(writer.path.read_text("utf-8"))
    assert document["session"]["site_code"] == "BKK-2"
    assert document["results"][0]["photo"] == "IMG_0042.jpg"
    assert document["results"][0]["result"] == "pass"
    assert document["attachments"]["folder"] == "//server/audits/2026"
    assert document["attachments"]["signed"].isoformat() == "2026-11-25T12:00:00+07:00"
    assert "signed = 2026-11-25T12:00:00+07:00" in writer.path.read_text("utf-8")


def test_lone_surrogates_are_cleaned_so_saving_never_fails(store, checklist, started) -> None:
    writer = store.create(
        checklist, auditor="Nguy\udcc3n", auditee="Plant \ud800", title="x\udfff", started=started
    )
    created = read_session_file(writer.path)
    assert (created.auditor, created.auditee) == ("Nguy\ufffdn", "Plant \ufffd")
    writer.answer("4.1-a", result="fail", note="broken \ud83d paste")
    writer.answer("4.2-a", result="fail", note="pair \ud83d\ude80 joined")
    writer.set_details(auditor="A\udc80", auditee="B", title="T")
    writer.close()
    saved = read_session_file(writer.path)
    assert saved.record("4.1-a").note == "broken \ufffd paste"
    assert saved.record("4.2-a").note == "pair 🚀 joined"
    assert (saved.auditee, saved.title) == ("B", "T")
    assert saved.auditor == "A\ufffd"
    writer.path.read_bytes().decode("utf-8")  # the whole file is valid UTF-8


def test_summary_score_is_pass_over_judged(store, checklist, started) -> None:
    writer = store.create(checklist, started=started)
    nothing_judged = writer.session.summary()
    assert nothing_judged.score is None  # shown as "–", never as 0%
    assert nothing_judged.saved_score == nothing_judged.as_dict()["score"] == 0.0  # SPEC
    writer.answer("4.1-a", result="pass")
    writer.answer("4.2-a", result="pass")
    writer.answer("5.1-a", result="fail")
    writer.answer("5.2-a", result="na")
    summary = writer.session.summary()
    assert summary.score == 2 / 3  # exact in memory, to 4 places in files
    assert summary.saved_score == summary.as_dict()["score"] == 0.6667
    assert (summary.total, summary.answered, summary.unanswered) == (4, 4, 0)
    writer.close()


def test_a_score_is_rounded_once_for_people() -> None:
    """168 of 174 is 96.55…%: rounded first to 0.9655 and again for the screen it read
    96.5%, where the home screen said 97%; and a move of 2.8 points read as 2.9."""
    from auditui.compare import score_move
    from auditui.session import Summary
    from auditui.textwidth import score_text

    q2 = Summary.from_counts(168, 6, 0, 0)
    assert score_text(q2) == "96.6%" and f"{q2.score:.0%}" == "97%"
    assert q2.saved_score == 0.9655
    q1 = Summary.from_counts(164, 11, 0, 0)  # 93.714…%
    assert score_move(q1, q2) == "93.7% → 96.6% (+2.8 points)"
    # A move too small for one decimal is not "-0.0 points"; none is "no change".
    q3, q4 = Summary.from_counts(957, 43, 0, 0), Summary.from_counts(9569, 431, 0, 0)
    assert score_move(q3, q4) == "95.7% → 95.7% (down by less than 0.1 point)"
    q5 = Summary.from_counts(95700, 4301, 0, 0)  # 0.001 points down
    assert score_move(q3, q5) == "95.7% → 95.7% (down by less than 0.1 point)"
    assert score_move(Summary.from_counts(1, 1, 0, 0), Summary.from_counts(2, 2, 0, 0)) == (
        "50.0% → 50.0% (no change)"
    )
    # The per-section moves of compare and the reports: never "-0.0".
    from auditui.textwidth import points_moved

    assert points_moved(q3.score, q4.score) == "0.0"
    assert (points_moved(0.5, 0.6), points_moved(0.6, 0.5)) == ("+10.0", "-10.0")


# --- `auditui sessions` ---------------------------------------------------------------------------


def test_sessions_command_lists_leaves_out_unreadable_and_exits_0(
    store, checklist, sessions_dir, started, run_cli
) -> None:
    writer = store.create(checklist, auditee="Kho Hà Nội", started=started)
    writer.answer("4.1-a", result="pass")
    writer.answer("4.2-a", result="fail")
    writer.close()
    broken = sessions_dir / "broken.toml"
    broken.write_text('[session]\nid = "broken"\n', "utf-8")
    code, out, err = run_cli("sessions", "--sessions-dir", sessions_dir)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == [
        "ID", "CHECKLIST", "STARTED", "ANSWERED", "SCORE", "FINISHED", "AUDITEE",
    ]  # fmt: skip
    assert lines[1].split()[:5] == [writer.session.id, "demo", "2026-11-25", "09:30", "2/4"]
    assert "50.0%" in lines[1] and "Kho Hà Nội" in lines[1]
    assert len(lines) == 2
    (warning,) = err.splitlines()
    assert warning.startswith(f"auditui: {broken}")
    assert "session.checklist_id: required key is missing" in warning
    assert warning.endswith("(left out)")


def test_sessions_toml_lists_every_field(store, checklist, sessions_dir, started, run_cli):
    writer = store.create(checklist, started=started)
    writer.answer("4.1-a", result="pass")
    code, out, err = run_cli("sessions", "--format", "toml", "--sessions-dir", sessions_dir)
    assert (code, err) == (0, "")
    (entry,) = tomllib.loads(out)["sessions"]
    assert entry == {
        "id": writer.session.id,
        "path": str(writer.path.absolute()),
        "checklist_id": "demo",
        "started": started,
        "answered": 1,
        "total": 4,
        "score": 1.0,
    }
    assert "started = 2026-11-25T09:30:00+07:00" in out
    writer.close()


def test_a_session_with_nothing_judged_has_no_score_in_the_list(
    store, checklist, sessions_dir, started, run_cli
):
    # As home, compare and trend say it: "–", not 0.0% (which reads as everything failed);
    # the TOML keeps SPEC's 0.0.
    writer = store.create(checklist, started=started)
    writer.answer("4.1-a", result="na")
    writer.close()
    code, out, _ = run_cli("sessions", "--sessions-dir", sessions_dir)
    assert code == 0
    row = out.splitlines()[1].split()
    assert row[4:6] == ["1/4", "–"]
    code, out, _ = run_cli("sessions", "--format", "toml", "--sessions-dir", sessions_dir)
    assert tomllib.loads(out)["sessions"][0]["score"] == 0.0


def test_sessions_filtered_by_checklist(
    store, checklist, write_file, make_checklist_text, sessions_dir, started, run_cli
) -> None:
    from auditui.checklist import load_checklist

    other = load_checklist(write_file("other.toml", make_checklist_text("other")))
    store.create(checklist, started=started).close()
    store.create(other, started=started).close()
    code, out, _ = run_cli(
        "sessions", "--checklist", "other", "--format", "toml", "--sessions-dir", sessions_dir
    )
    assert code == 0
    assert [s["checklist_id"] for s in tomllib.loads(out)["sessions"]] == ["other"]
    # By the checklist file's path too; an id nothing has is refused, as `findings` does.
    code, out, _ = run_cli("sessions", "--checklist", str(other.path), "--format", "toml",
                           "--sessions-dir", sessions_dir)  # fmt: skip
    assert code == 0
    assert [s["checklist_id"] for s in tomllib.loads(out)["sessions"]] == ["other"]
    code, out, err = run_cli("sessions", "--checklist", "nosuch", "--sessions-dir", sessions_dir)
    assert (code, out) == (1, "")
    assert "no checklist with id nosuch, in the checklists folders or in the sessions" in err


def test_no_sessions_is_an_empty_array(run_cli, tmp_path) -> None:
    code, out, err = run_cli("sessions", "--format", "toml", "--sessions-dir", tmp_path / "none")
    assert (code, out, err) == (0, "sessions = []\n", "")
    assert not (tmp_path / "none").exists()
    code, out, err = run_cli("sessions", "--sessions-dir", tmp_path / "none")
    assert code == 0 and "No sessions" in out


def test_a_closed_writer_refuses_changes_and_leaves_the_file_alone(
    store, checklist, started
) -> None:
    # A key that reaches the walkthrough while the app is quitting (after the writer was
    # closed and the lock let go) must not write the session any more.
    writer = store.create(checklist, started=started)
    writer.answer("4.1-a", result="fail", note="kept")
    writer.close()
    before = writer.path.read_bytes()
    for change in (
        lambda: writer.answer("4.1-a", result="unanswered"),
        lambda: writer.restore("4.1-a", writer.session.record("4.1-a").answer()),
        lambda: writer.set_details(auditor="x", auditee="y", title="z"),
        lambda: writer.set_language("vi"),
    ):
        with pytest.raises(AudituiError, match="is closed"):
            change()
    assert writer.session.record("4.1-a").result == "fail"
    assert writer.path.read_bytes() == before
    assert not writer.path.with_suffix(".journal").exists()


def _unlink_fails_once(monkeypatch, path) -> None:
    """The journal cannot be removed once (an antivirus holding it, on Windows)."""
    real_unlink = os.unlink
    failed: list[str] = []

    def unlink(target, *args, **kwargs):
        if str(target) == str(path) and not failed:
            failed.append(str(target))
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_unlink(target, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", unlink)


@pytest.mark.parametrize("how", ["after a failed append", "when compacting"])
def test_marks_never_go_into_the_journal_of_a_file_already_replaced(
    store, checklist, started, monkeypatch, how
) -> None:
    """A snapshot that wrote the file but could not remove the old journal: the next marks
    were appended to that journal, which names the file it continued, so every read left
    them out, and after a crash they were gone."""
    from auditui import journal as journal_module

    writer = store.create(checklist, started=started)
    journal_path = writer.path.with_suffix(".journal")
    writer.answer("4.1-a", result="pass")
    if how == "when compacting":
        monkeypatch.setattr(SessionWriter, "COMPACT_AFTER", 2)
        _unlink_fails_once(monkeypatch, journal_path)
        writer.answer("4.2-a", result="fail", note="one")  # compaction: removal fails
    else:
        real_append = journal_module.JournalWriter.append
        calls: list[int] = []

        def append_fails_once(self, payload):
            if not calls:
                calls.append(1)
                raise AudituiError("cannot save: Permission denied", path=self.path)
            return real_append(self, payload)

        monkeypatch.setattr(journal_module.JournalWriter, "append", append_fails_once)
        _unlink_fails_once(monkeypatch, journal_path)
        with pytest.raises(AudituiError):
            writer.answer("4.2-a", result="fail", note="one")  # snapshot: removal fails
    writer.answer("5.1-a", result="fail", note="two")
    while writer.pending:
        writer.flush()
    saved = read_session(writer.path)
    assert [saved.record(i).result for i in ("4.1-a", "4.2-a", "5.1-a")] == ["pass", "fail", "fail"]
    writer.abandon()  # a crash: nothing folded on closing
    again = store.open(writer.session.id)
    assert again.session.record("5.1-a").note == "two"
    assert not again.notices  # nothing "changed outside auditui" to say
    again.close()


def test_a_failed_reopening_keeps_a_snapshot_still_wanted(
    store, checklist, started, monkeypatch
) -> None:
    """A finished session opened with a damaged journal beside it: a snapshot is wanted
    (it sets that journal aside). A reopening that failed on a full disk dropped that, and
    the damaged journal stayed where the next marks would be appended after it."""
    writer = store.create(checklist, started=started)
    writer.finish(conclusion="OK", signed_by=["Mai"])
    writer.close()
    journal_path = writer.path.with_suffix(".journal")
    journal_path.write_bytes(b'{"t":"item","item":"no-such-item"}\n')
    opened = store.open(writer.session.id)
    assert opened.pending  # the damaged journal is to be set aside by a snapshot
    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(AudituiError):
        opened.reopen("a late record")
    monkeypatch.undo()
    assert opened.pending and opened.session.is_finished
    opened.flush()
    assert not journal_path.exists()
    assert list(store.folder.glob(f"{writer.session.id}.journal.damaged-*"))
    opened.close()


def test_a_finished_session_s_translation_is_not_changed_by_the_writer(
    store, checklist, started
) -> None:
    """The seal covers it: changing it broke the seal (the app only shows another one)."""
    writer = store.create(checklist, started=started)
    writer.finish(conclusion="OK", signed_by=["Mai"])
    with pytest.raises(AudituiError, match="finished and sealed"):
        writer.set_language("th")
    writer.close()
