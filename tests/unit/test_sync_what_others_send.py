"""What a sync brings in that a laptop did not ask for: a session deleted on another
laptop, a file broken by hand and sent with git. Nothing is lost and nothing goes
unsaid; real repositories on the local disk, as in test_sync.py."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from sync_helpers import Laptop, bare_remote, git, push_by_hand, three_laptops

from auditui.session_toml import read_session_file


@pytest.fixture
def laptops(tmp_path: Path, monkeypatch) -> list[Laptop]:
    return three_laptops(tmp_path / "laptops", bare_remote(tmp_path / "remote.git"), monkeypatch)


def test_a_session_deleted_on_another_laptop_is_kept_in_this_ones_trash_and_said(
    laptops, checklist, run_cli
) -> None:
    mai, anan, _ = laptops
    session_id = mai.start(checklist, {"4.2-a": ("fail", "pallets stacked five high")})
    assert mai.sync(run_cli)[0] == 0
    assert anan.sync(run_cli)[0] == 0
    anan.use()
    anan.store.delete(session_id)
    assert anan.sync(run_cli)[0] == 0
    before = (mai.folder / f"{session_id}.toml").read_bytes()
    code, _, err = mai.sync(run_cli)
    assert code == 0, err
    copy = mai.folder / "trash" / f"{session_id}.toml"
    assert f"deleted on another laptop: session {session_id}; a copy is kept in {copy}" in err
    assert "brought in from other laptops" not in err
    assert not (mai.folder / f"{session_id}.toml").exists()
    assert copy.read_bytes() == before
    assert read_session_file(copy).record("4.2-a").note == "pallets stacked five high"
    assert "trash" not in git("-C", mai.folder, "ls-files")  # each laptop's own
    assert git("-C", mai.folder, "status", "--porcelain") == ""  # and not "?? trash/"


def test_a_folder_shared_by_an_older_auditui_gets_the_trash_ignored(
    laptops, checklist, run_cli
) -> None:
    mai = laptops[0]
    session_id = mai.start(checklist, {"4.2-a": "fail"})
    assert mai.sync(run_cli)[0] == 0
    ignore = mai.folder / ".gitignore"
    ignore.write_text(ignore.read_text(encoding="utf-8").replace("/trash/\n", ""), "utf-8")
    git("-C", mai.folder, "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-q",
        "--no-verify", "-am", "as an older auditui left it")  # fmt: skip
    mai.use()
    mai.store.delete(session_id)
    code, _, err = mai.sync(run_cli)
    assert code == 0, err
    assert git("-C", mai.folder, "status", "--porcelain") == ""
    assert "/trash/" in git("-C", mai.folder, "show", "HEAD:.gitignore").splitlines()


def test_a_gitignore_of_the_users_own_is_added_to_never_replaced(laptops, checklist, run_cli):
    """Saved by an editor in another encoding, it was replaced by sync's six lines (and
    that pushed as "the sessions folder set up for sync")."""
    mai = laptops[0]
    mai.start(checklist, {"4.2-a": "fail"})
    assert mai.sync(run_cli)[0] == 0
    ignore = mai.folder / ".gitignore"
    own = b"# Pr\xfcfung\r\n/scans/\r\n*.journal\r\n"  # Latin-1, Windows line ends
    ignore.write_bytes(own)
    git("-C", mai.folder, "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-q",
        "--no-verify", "-am", "edited by hand")  # fmt: skip
    code, _, err = mai.sync(run_cli)
    assert code == 0, err
    data = ignore.read_bytes()
    assert data.startswith(own) and data.splitlines().count(b"*.journal") == 1
    assert b"/trash/\n" in data and b"*.lock\n" in data
    assert mai.log("-1", "--format=%s").strip() == "Mai: the folder's .gitignore updated"
    code, _, err = mai.sync(run_cli)
    assert code == 0 and ignore.read_bytes() == data  # nothing more to add


def test_a_session_broken_by_hand_and_pushed_is_set_aside_and_named(
    laptops, checklist, run_cli
) -> None:
    mai, anan, linh = laptops
    session_id = mai.start(checklist, {"4.1-a": "pass"})
    assert mai.sync(run_cli)[0] == 0
    assert anan.sync(run_cli)[0] == 0
    good = (mai.folder / f"{session_id}.toml").read_bytes()
    path = anan.folder / f"{session_id}.toml"
    broken = path.read_text(encoding="utf-8").replace('result = "pass"', 'result = "pas', 1)
    path.write_text(broken, encoding="utf-8")
    git("add", path.name, cwd=anan.folder)
    push_by_hand(anan, "hand edit")
    code, _, err = mai.sync(run_cli)
    assert code == 1
    lines = err.splitlines()
    problem = [line for line in lines if "sent by another laptop" in line]
    assert len(problem) == 1 and "Traceback" not in err
    assert problem[0].startswith(f"auditui: {mai.folder / f'{session_id}.toml'}:")
    assert "this laptop's last version is kept" in problem[0]
    assert f"{session_id}.toml.from-another-laptop" in problem[0]
    assert (mai.folder / f"{session_id}.toml").read_bytes() == good
    aside = mai.folder / f"{session_id}.toml.from-another-laptop"
    assert aside.read_text(encoding="utf-8") == broken
    code, out, err = run_cli("--sessions-dir", mai.folder, "sessions")
    # Named by the lists until dealt with (only the sync said it); read by none.
    assert code == 0 and err == (
        f"auditui: {aside}: another laptop's version of {session_id}.toml, set aside by a "
        "sync (it did not read, could not be joined, or was changed by hand since it was "
        "sealed or attached); compare it with the one here, then delete it\n"
    )
    # A third laptop gets the readable version, and the broken one beside it.
    code, _, err = linh.sync(run_cli)
    assert code == 0, err
    assert read_session_file(linh.folder / f"{session_id}.toml").record("4.1-a").result == "pass"
    assert (linh.folder / f"{session_id}.toml.from-another-laptop").exists()


def test_a_new_file_that_does_not_read_is_not_brought_in(laptops, checklist, run_cli) -> None:
    mai, anan, _ = laptops
    mai.start(checklist, {"4.1-a": "pass"})
    assert mai.sync(run_cli)[0] == 0
    assert anan.sync(run_cli)[0] == 0
    name = "2026-12-01-0900-demo-zz99.toml"
    (anan.folder / name).write_bytes(b'[session]\nid = "2026-12-01-0900-demo-zz99"\nstarted = 3\n')
    git("add", name, cwd=anan.folder)
    push_by_hand(anan, "a file made by hand")
    code, _, err = mai.sync(run_cli)
    assert code == 1
    assert f"auditui: {mai.folder / name}:" in err and "not brought in" in err
    assert not (mai.folder / name).exists()
    assert (mai.folder / f"{name}.from-another-laptop").exists()
    code, _, err = run_cli("--sessions-dir", mai.folder, "sessions")
    assert code == 0 and err.startswith(f"auditui: {mai.folder / name}.from-another-laptop: ")
    assert len(err.splitlines()) == 1


def test_a_findings_file_with_a_wrong_value_pushed_by_hand_keeps_the_action_here(
    laptops, checklist, run_cli
) -> None:
    """A due date turned into text was taken in: every command then left the file out,
    and the finding's owner, status and action were gone from the register."""
    mai, anan, _ = laptops
    session_id = mai.start(checklist, {"4.1-a": "fail"})
    finding = f"{session_id}/4.1-a"
    folder = ("--sessions-dir", mai.folder)
    assert run_cli("finding", finding, "--owner", "Anan", "--due", "2031-12-31", *folder)[0] == 0
    assert mai.sync(run_cli)[0] == 0
    assert anan.sync(run_cli)[0] == 0
    [path] = (anan.folder / "findings").glob("*.toml")
    path.write_text(path.read_text("utf-8").replace("due = 2031-12-31", 'due = "next week"'),
                    "utf-8")  # fmt: skip
    git("add", "findings", cwd=anan.folder)
    push_by_hand(anan, "hand edit")
    code, _, err = mai.sync(run_cli)
    assert code == 1 and "Traceback" not in err
    [problem] = [line for line in err.splitlines() if "sent by another laptop" in line]
    assert "finding.due" in problem and "this laptop's last version is kept" in problem
    code, out, err = run_cli("finding", finding, "--format", "toml", *folder)
    assert (code, err) == (0, "")
    assert 'owner = "Anan"' in out and "due = 2031-12-31" in out
    # Nor does this laptop send such a file: named, and nothing shared.
    anan.use()
    git("reset", "--hard", "--quiet", "HEAD~1", cwd=anan.folder)
    [path] = (anan.folder / "findings").glob("*.toml")
    path.write_text(path.read_text("utf-8").replace('status = "open"', 'status = "closed"')
                    .replace('owner = "Anan"', 'owner = "Anan"\nstatus = "closed"'),
                    "utf-8")  # fmt: skip
    code, _, err = anan.sync(run_cli)
    assert code == 1 and "finding.status" in err and len(err.splitlines()) == 1


def test_a_findings_file_copied_by_hand_does_not_stop_a_sync_and_a_new_broken_one_is_named(
    laptops, checklist, run_cli
) -> None:
    mai, _, _ = laptops
    session_id = mai.start(checklist, {"4.1-a": "fail"})
    folder = ("--sessions-dir", mai.folder)
    assert run_cli("finding", f"{session_id}/4.1-a", "--owner", "Anan", *folder)[0] == 0
    [record] = (mai.folder / "findings").glob("*.toml")
    (mai.folder / "findings" / "backup.toml").write_bytes(record.read_bytes())
    code, _, err = mai.sync(run_cli)
    assert code == 0, err  # the register leaves a misnamed copy out; the sync goes on
    broken = mai.folder / "findings" / "new.toml"
    broken.write_text(record.read_text("utf-8").replace('owner = "Anan"', "owner = 3"), "utf-8")
    code, _, err = mai.sync(run_cli)
    assert code == 1 and "finding.owner" in err
    assert "move it out of the sessions folder; nothing was synced" in err


LIMIT = 20_000
"""The read limit in the tests of files too large (`tomlio.MAX_FILE_BYTES`, 64 MiB, in use):
a session of the test checklist is about 2 KB."""


def test_a_session_over_the_read_limit_sent_by_another_laptop_is_set_aside(
    laptops, checklist, run_cli, monkeypatch
) -> None:
    """Sent by an auditui that joined two long notes without checking the size: taken in
    "in step", and then every command left the session out ("too large")."""
    from auditui import tomlio

    mai, anan, _ = laptops
    session_id = mai.start(checklist, {"4.1-a": "pass"})
    assert mai.sync(run_cli)[0] == 0
    assert anan.sync(run_cli)[0] == 0
    anan.mark_saved(session_id, {"4.1-a": ("pass", "b" * 30_000)})
    assert anan.sync(run_cli)[0] == 0
    good = (mai.folder / f"{session_id}.toml").read_bytes()
    monkeypatch.setattr(tomlio, "MAX_FILE_BYTES", LIMIT)  # as if it had been over 64 MiB
    code, _, err = mai.sync(run_cli)
    assert code == 1 and "Traceback" not in err
    [problem] = [line for line in err.splitlines() if "sent by another laptop" in line]
    assert problem.startswith(f"auditui: {mai.folder / f'{session_id}.toml'}: too large")
    assert "this laptop's last version is kept" in problem
    assert (mai.folder / f"{session_id}.toml").read_bytes() == good
    aside = mai.folder / f"{session_id}.toml.from-another-laptop"
    assert aside.read_bytes() == (anan.folder / f"{session_id}.toml").read_bytes()
    code, _, err = run_cli("--sessions-dir", mai.folder, "sessions")
    assert code == 0 and err.startswith(f"auditui: {aside}: ") and len(err.splitlines()) == 1


def test_a_findings_file_over_the_registers_read_limit_is_not_sent(
    laptops, checklist, run_cli, monkeypatch
) -> None:
    """Checked as TOML under the 64 MiB of a session: one over the 1 MiB the register reads
    was sent, and every other laptop would then set it aside."""
    from auditui import finding_records

    mai = laptops[0]
    session_id = mai.start(checklist, {"4.1-a": "fail"})
    assert mai.sync(run_cli)[0] == 0
    sent = git("-C", mai.folder, "rev-parse", "HEAD")
    folder = ("--sessions-dir", mai.folder)
    assert run_cli("finding", f"{session_id}/4.1-a", "--owner", "Anan", *folder)[0] == 0
    monkeypatch.setattr(finding_records, "MAX_RECORD_BYTES", 50)  # as if it were over 1 MiB
    code, _, err = mai.sync(run_cli)
    assert code == 1 and len(err.splitlines()) == 1, err
    assert "too large to read" in err and "nothing was synced" in err
    assert git("-C", mai.folder, "rev-parse", "HEAD") == sent


def test_a_journal_committed_by_hand_on_another_laptop_is_never_applied_here(
    laptops, checklist, run_cli
) -> None:
    mai, anan, linh = laptops
    session_id = mai.start(checklist, {"4.1-a": "pass"})
    assert mai.sync(run_cli)[0] == 0
    assert linh.sync(run_cli)[0] == 0
    assert anan.sync(run_cli)[0] == 0
    anan.use()
    writer = anan.store.open(session_id)
    writer.answer("4.1-a", result="fail", note="Anan's mark, never saved into the file")
    writer.abandon()  # the journal stays beside the file, as after a crash
    journal = f"{session_id}.journal"
    assert (anan.folder / journal).exists()
    git("add", "-f", journal, cwd=anan.folder)
    push_by_hand(anan, "everything, journal included")
    # This laptop's own journal of the session, with a mark of its own, stays its own.
    linh.use()
    writer = linh.store.open(session_id)
    writer.answer("4.2-a", result="pass", note="Linh's, not folded yet")
    writer.abandon()

    code, _, err = mai.sync(run_cli)
    assert code == 0, err
    assert f"{journal} was committed on another laptop" in err and "left out" in err
    assert not (mai.folder / journal).exists()
    assert mai.session(session_id).record("4.1-a").result == "pass"
    assert journal not in git("-C", mai.folder, "ls-files")
    assert journal not in git("-C", mai.folder, "ls-tree", "-r", "--name-only", "origin/main")
    assert git("-C", mai.folder, "status", "--porcelain") == ""

    code, _, err = linh.sync(run_cli)
    assert code == 0, err
    session = linh.session(session_id)
    assert session.record("4.1-a").result == "pass"
    assert session.record("4.2-a").note == "Linh's, not folded yet"  # folded, then shared
    # Anan's laptop folds its own journal, as every sync does, and shares the marks.
    code, _, err = anan.sync(run_cli)
    assert code == 0, err
    assert anan.session(session_id).record("4.1-a").note == "Anan's mark, never saved into the file"
    assert journal not in git("-C", anan.folder, "ls-files")
    assert git("-C", anan.folder, "status", "--porcelain") == ""
    code, _, err = mai.sync(run_cli)
    assert code == 0, err
    assert mai.session(session_id).record("4.1-a").note == "Anan's mark, never saved into the file"
    assert mai.session(session_id).record("4.2-a").note == "Linh's, not folded yet"


def test_a_lock_or_a_draft_committed_by_hand_is_left_out_and_the_trash_too(
    laptops, checklist, run_cli
) -> None:
    mai, anan, _ = laptops
    session_id = mai.start(checklist, {"4.1-a": "pass"})
    assert mai.sync(run_cli)[0] == 0
    assert anan.sync(run_cli)[0] == 0
    (anan.folder / f"{session_id}.lock").write_text("12345 anan-laptop\n", encoding="utf-8")
    (anan.folder / "trash").mkdir()
    (anan.folder / "trash" / "old.toml").write_text("[session]\n", encoding="utf-8")
    (anan.folder / "findings").mkdir(exist_ok=True)
    (anan.folder / "findings" / "x.draft").write_text("draft", encoding="utf-8")
    git("add", "-f", f"{session_id}.lock", "trash/old.toml", "findings/x.draft", cwd=anan.folder)
    push_by_hand(anan, "by hand")
    code, _, err = mai.sync(run_cli)
    assert code == 0, err
    for path in (f"{session_id}.lock", "trash/old.toml", "findings/x.draft"):
        assert f"{path} was committed on another laptop" in err
        assert not (mai.folder / path).exists()
    mai.mark_saved(session_id, {"4.2-a": "fail"})  # not taken for open elsewhere
    assert mai.session(session_id).record("4.2-a").result == "fail"


def test_a_merge_redone_on_another_laptop_gives_every_laptop_one_register(
    laptops, checklist, run_cli
) -> None:
    """Mai merged, typed the owner on the merged finding, deleted the merged session; Anan
    merged again. Only Mai's trash knew the deleted session was a merged audit: Anan and
    Linh (synced first after it all) listed the action apart, three open findings to
    Mai's two."""
    mai, anan, linh = laptops
    parts = [
        mai.start(checklist, {"4.2-a": ("fail", "no list")}, scope=["4"]),
        mai.start(checklist, {"5.1-a": ("fail", "")}, scope=["5"]),
    ]
    assert mai.sync(run_cli)[0] == 0 and anan.sync(run_cli)[0] == 0
    mai.use()
    code, out, err = run_cli("merge", *parts, "--sessions-dir", mai.folder)
    assert code == 0, err
    first = out.strip()
    code, _, err = run_cli("finding", f"{first}/4.2-a", "--owner", "Somchai", "--due",
                           "2027-01-31", "--sessions-dir", mai.folder)  # fmt: skip
    assert code == 0, err
    mai.store.delete(first)
    assert mai.sync(run_cli)[0] == 0
    assert anan.sync(run_cli)[0] == 0
    anan.use()
    code, out, err = run_cli("merge", *parts, "--sessions-dir", anan.folder)
    assert code == 0, err
    assert anan.sync(run_cli)[0] == 0 and mai.sync(run_cli)[0] == 0
    assert linh.sync(run_cli)[0] == 0
    for laptop in (mai, anan, linh):
        laptop.use()
        code, out, err = run_cli("findings", "--format", "toml", "--sessions-dir", laptop.folder)
        assert code == 0, err
        found = {f["item_id"]: f for f in tomllib.loads(out)["findings"]}
        assert sorted(found) == ["4.2-a", "5.1-a"], laptop.name
        assert found["4.2-a"]["owner"] == "Somchai", laptop.name
        assert not any(f.get("orphaned") for f in found.values()), laptop.name
