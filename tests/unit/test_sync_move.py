"""`auditui sync` bringing files in: each written atomically (sync/fast_forward.py), a move
cut short taken up again by the next sync with every rule of a merge, and what git's own
fast-forward did right kept (modes, refusals).

Real git repositories on the local disk: a bare remote and laptops' folders.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from conftest import STARTED
from sync_helpers import (
    Killed,
    bare_remote,
    git,
    on_both,
    push_by_hand,
    three_laptops,
    writes_then,
)

from auditui.finding_records import FindingRecords


@pytest.fixture
def laptops(tmp_path: Path, monkeypatch):
    return three_laptops(tmp_path / "laptops", bare_remote(tmp_path / "remote.git"), monkeypatch)


def cut_short(laptop, run_cli, monkeypatch, allowed: int = 0) -> None:
    """A sync of `laptop` killed after `allowed` files were brought in."""
    with monkeypatch.context() as patch:
        writes_then(Killed(), allowed, patch)
        with pytest.raises(Killed):
            laptop.sync(run_cli)
    assert (laptop.folder / ".git" / "auditui-moving").exists()


def test_a_session_finished_elsewhere_and_marked_here_after_a_cut_short_sync_stays_sealed(
    laptops, checklist, run_cli, monkeypatch
) -> None:
    """The next sync merged the file itself, found it could not, and committed this
    laptop's unsealed version over the finished one: the audit was no longer finished."""
    mai, anan, _ = laptops
    session_id = on_both(mai, anan, run_cli, checklist, {"4.1-a": "pass"})
    anan.finish_saved(session_id)
    assert anan.sync(run_cli)[0] == 0
    cut_short(mai, run_cli, monkeypatch)
    mai.mark_saved(session_id, {"5.1-a": ("fail", "Mai's late finding")})
    code, _, err = mai.sync(run_cli)
    assert code == 0, err
    assert anan.sync(run_cli)[0] == 0
    for laptop in (mai, anan):
        assert laptop.session(session_id).finished is not None
        kept = [path for path in laptop.folder.glob(f"{session_id}.kept-*.toml")]
        assert len(kept) == 1 and "Mai's late finding" in kept[0].read_text("utf-8")


def test_two_sessions_of_one_id_both_survive_a_cut_short_sync(
    laptops, checklist, run_cli, monkeypatch
) -> None:
    """Taken up again, the clash was merged into one file under one id: Mai's session
    was gone from every folder."""
    mai, anan, _ = laptops
    with monkeypatch.context() as patch:
        patch.setattr("auditui.config.laptop_part", lambda: "same")
        ours = mai.start(checklist, {"4.1-a": ("pass", "Mai's")}, started=STARTED)
        theirs = anan.start(checklist, {"4.1-a": ("fail", "Anan's")},
                            started=STARTED + timedelta(seconds=20))  # fmt: skip
    assert ours == theirs
    assert mai.sync(run_cli)[0] == 0
    cut_short(anan, run_cli, monkeypatch)
    anan.mark_saved(ours, {"4.2-a": ("na", "Anan, after")})
    code, _, err = anan.sync(run_cli)
    assert code == 0, err
    assert mai.sync(run_cli)[0] == 0
    for laptop in (mai, anan):
        notes = sorted(laptop.session(i).record("4.1-a").note for i in laptop.ids())
        assert notes == ["Anan's", "Mai's"], (laptop.name, notes)


def test_an_action_saved_in_the_app_while_files_come_in_is_kept(
    laptops, checklist, run_cli, monkeypatch
) -> None:
    """The files were checked, then written: a corrective action saved in between (the
    app runs a sync in the background) was overwritten by the other laptop's record."""
    from auditui.sync import engine

    mai, anan, _ = laptops
    session_id = mai.start(checklist, {"4.2-a": "fail"})
    finding_id = f"{session_id}/4.2-a"
    mai.use()
    FindingRecords(mai.folder).update(finding_id, {"owner": "Somchai"})
    assert mai.sync(run_cli)[0] == 0
    assert anan.sync(run_cli)[0] == 0
    anan.use()
    FindingRecords(anan.folder).update(finding_id, {"due": "2027-01-31"})
    assert anan.sync(run_cli)[0] == 0

    real, saved = engine.read_blobs, []

    def read_blobs(git_, names):  # the files are being written: the auditor saves
        import traceback

        if not saved and any(frame.name == "_write" for frame in traceback.extract_stack()):
            saved.append(True)
            FindingRecords(mai.folder).update(finding_id, {"action": "Retrain the team"})
        return real(git_, names)

    mai.use()
    with monkeypatch.context() as patch:
        patch.setattr(engine, "read_blobs", read_blobs)
        code, _, err = mai.sync(run_cli)
    assert saved and code == 1 and "the next sync completes the work" in err
    code, _, err = mai.sync(run_cli)
    assert code == 0, err
    assert anan.sync(run_cli)[0] == 0
    for laptop in (mai, anan):
        laptop.use()
        record = FindingRecords(laptop.folder).get(finding_id)
        assert record is not None
        assert (record.owner, str(record.due), record.action) == (
            "Somchai", "2027-01-31", "Retrain the team")


def test_an_executable_evidence_file_arrives_as_git_has_it(laptops, checklist, run_cli) -> None:
    """Its mode was dropped: `git status` showed it changed, and the next sync committed
    a change nobody made, under this laptop's name."""
    mai, anan, _ = laptops
    session_id = on_both(mai, anan, run_cli, checklist, {"4.1-a": "pass"})
    scan = anan.folder / "evidence" / session_id / "scan.pdf"
    scan.parent.mkdir(parents=True)
    scan.write_bytes(b"%PDF-1.4 the record")
    scan.chmod(0o755)  # copied from a FAT stick
    assert anan.sync(run_cli)[0] == 0
    assert mai.sync(run_cli)[0] == 0
    assert git("-C", mai.folder, "status", "--porcelain") == ""


def test_a_repository_inside_pushed_by_hand_stops_no_sync(laptops, checklist, run_cli) -> None:
    """A gitlink (a folder that is a repository of its own) made every sync fail with an
    internal error."""
    mai, anan, _ = laptops
    session_id = on_both(mai, anan, run_cli, checklist, {"4.1-a": "pass"})
    git("-C", anan.folder, "update-index", "--add", "--cacheinfo",
        f"160000,{'1' * 40},evidence/{session_id}/sub")  # fmt: skip
    push_by_hand(anan, "a repository inside")
    anan.mark_saved(session_id, {"4.2-a": ("fail", "Anan's")})
    assert anan.sync(run_cli)[0] == 0
    code, _, err = mai.sync(run_cli)
    assert code == 0, err
    assert mai.session(session_id).record("4.2-a").note == "Anan's"


def test_a_file_never_synced_in_the_way_of_one_brought_in_is_named(
    laptops, checklist, run_cli
) -> None:
    """"changed here while the sync ran … sync again", which could never succeed."""
    mai, anan, _ = laptops
    mai.start(checklist, {"4.1-a": "pass"})
    assert mai.sync(run_cli)[0] == 0
    assert anan.sync(run_cli)[0] == 0
    (mai.folder / "README.txt").write_text("Mai's own notes", encoding="utf-8")  # not shared
    (anan.folder / "README.txt").write_text("How we audit", encoding="utf-8")
    git("add", "README.txt", cwd=anan.folder)
    push_by_hand(anan, "readme")
    code, _, err = mai.sync(run_cli)
    assert code == 1 and "README.txt" in err and "never synced" in err
    assert "move it out of the sessions folder" in err
    assert (mai.folder / "README.txt").read_text("utf-8") == "Mai's own notes"


def moved_before_the_kill(mai, anan, checklist, run_cli, monkeypatch) -> tuple[str, str]:
    """Two sessions Anan marked; Mai's sync of them killed after the first was written:
    (the session written, the one not reached)."""
    ids = sorted(mai.start(checklist, {"4.1-a": "pass"}) for _ in range(2))
    assert mai.sync(run_cli)[0] == 0
    assert anan.sync(run_cli)[0] == 0
    for session_id in ids:
        anan.mark_saved(session_id, {"5.1-a": ("fail", "Anan's finding")})
    assert anan.sync(run_cli)[0] == 0
    cut_short(mai, run_cli, monkeypatch, allowed=1)
    written = [i for i in ids if "Anan's finding" in mai.session(i).record("5.1-a").note]
    assert len(written) == 1
    return written[0], next(i for i in ids if i != written[0])


def test_work_on_a_file_written_before_the_kill_is_this_laptop_s_alone(
    laptops, checklist, run_cli, monkeypatch
) -> None:
    """Taken up again against the old commit, Mai's one mark was committed with Anan's
    fail in the same file: "Mai: …, 2 marks"."""
    mai, anan, _ = laptops
    written, _ = moved_before_the_kill(mai, anan, checklist, run_cli, monkeypatch)
    mai.mark_saved(written, {"5.2-a": ("pass", "Mai's own")})
    code, _, err = mai.sync(run_cli)
    assert code == 0, err
    mine = mai.log("--author=Mai", "--no-merges", "--format=%s").splitlines()[0]
    assert mine.endswith(", 1 mark"), mine
    assert anan.sync(run_cli)[0] == 0
    for laptop in (mai, anan):
        session = laptop.session(written)
        assert (session.record("5.1-a").note, session.record("5.2-a").note) == (
            "Anan's finding", "Mai's own")


def test_marks_in_the_journal_of_an_app_that_died_after_a_cut_short_sync_arrive(
    laptops, checklist, run_cli, monkeypatch
) -> None:
    """The next sync put the old file back under the journal, which then continued
    another file and was set aside: the mark reached neither laptop, and nothing said so."""
    mai, anan, _ = laptops
    written, _ = moved_before_the_kill(mai, anan, checklist, run_cli, monkeypatch)
    mai.use()
    writer = mai.store.open(written)
    writer.answer("5.2-a", result="fail", note="Mai typed this")
    writer.journal.close()
    writer.lock.release()  # the app dies: its journal stays
    assert (mai.folder / f"{written}.journal").exists()
    code, _, err = mai.sync(run_cli)
    assert code == 0, err
    assert anan.sync(run_cli)[0] == 0
    for laptop in (mai, anan):
        session = laptop.session(written)
        assert session.record("5.2-a").note == "Mai typed this"
        assert session.record("5.1-a").note == "Anan's finding"


def test_a_session_finished_or_deleted_here_after_the_kill_stays_so(
    laptops, checklist, run_cli, monkeypatch
) -> None:
    """Merged against the old commit, the finished session got a needless kept copy of
    Anan's version, and the deleted one came back."""
    from auditui.trash import move_to_trash

    mai, anan, _ = laptops
    written, _ = moved_before_the_kill(mai, anan, checklist, run_cli, monkeypatch)
    mai.finish_saved(written)
    assert mai.sync(run_cli)[0] == 0
    assert not list(mai.folder.glob("*.kept-*"))
    assert mai.session(written).finished is not None

    other, _ = moved_before_the_kill(mai, anan, checklist, run_cli, monkeypatch)
    mai.use()
    move_to_trash(mai.store, other)
    code, _, err = mai.sync(run_cli)
    assert code == 0, err
    assert not (mai.folder / f"{other}.toml").exists()


def test_a_session_deleted_elsewhere_is_kept_in_the_trash_once(
    laptops, checklist, run_cli, monkeypatch
) -> None:
    """Taken up again, the copy was made a second time, under a numbered name."""
    from auditui.trash import move_to_trash

    mai, anan, _ = laptops
    ids = sorted(mai.start(checklist, {"4.1-a": "pass"}) for _ in range(2))
    assert mai.sync(run_cli)[0] == 0
    assert anan.sync(run_cli)[0] == 0
    anan.use()
    move_to_trash(anan.store, ids[0])
    anan.mark_saved(ids[1], {"4.2-a": "fail"})
    assert anan.sync(run_cli)[0] == 0
    cut_short(mai, run_cli, monkeypatch, allowed=0)
    assert mai.sync(run_cli)[0] == 0
    assert [path.name for path in (mai.folder / "trash").iterdir()] == [f"{ids[0]}.toml"]
