"""One program at a time on a session, and no lock outlives the program that held it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from auditui.errors import AudituiError, SessionLockedError
from auditui.lock import SessionLock
from auditui.session_toml import read_session_file
from auditui.store import read_session

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from auditui.store import SessionStore

    writer = SessionStore(Path(sys.argv[1])).open(sys.argv[2])
    writer.answer("4.2-a", result="fail", note="from the other laptop")
    print("holding", flush=True)
    time.sleep(120)
    """
)

pytestmark = pytest.mark.skipif(sys.platform.startswith("win"), reason="uses SIGKILL")


@pytest.fixture
def saved_session(store, checklist, started) -> str:
    writer = store.create(checklist, started=started)
    writer.answer("4.1-a", result="pass")
    writer.close()
    return writer.session.id


def start_holder(sessions_dir, session_id) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(sessions_dir), session_id],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = holder.stdout.readline()
    if line.strip() != "holding":
        holder.kill()
        raise AssertionError(f"holder did not start: {line!r} {holder.stderr.read()}")
    return holder


def test_second_open_in_the_same_process_is_refused(store, saved_session) -> None:
    first = store.open(saved_session)
    before = first.path.read_bytes()
    with pytest.raises(SessionLockedError) as caught:
        store.open(saved_session)
    assert isinstance(caught.value, AudituiError)
    assert "open in another auditui" in str(caught.value)
    assert saved_session in str(caught.value)
    assert first.path.read_bytes() == before
    first.close()
    store.open(saved_session).close()  # free again once closed


def test_a_new_session_is_locked_until_closed(store, checklist, started) -> None:
    writer = store.create(checklist, started=started)
    with pytest.raises(SessionLockedError):
        store.open(writer.session.id)
    writer.close()
    store.open(writer.session.id).close()


def test_lock_held_by_another_process_and_released_when_it_is_killed(
    store, sessions_dir, saved_session, run_cli
) -> None:
    holder = start_holder(sessions_dir, saved_session)
    try:
        with pytest.raises(SessionLockedError):
            store.open(saved_session)
        # `auditui resume` says so, exits 1, and leaves the session as it was.
        path = store.path_for(saved_session)
        before = path.read_bytes()
        code, out, err = run_cli("resume", saved_session, "--sessions-dir", sessions_dir)
        assert code == 1
        assert out == ""
        assert err.startswith("auditui: ") and "open in another auditui" in err
        assert len(err.splitlines()) == 1
        assert path.read_bytes() == before
        # Readers are never blocked, and see the holder's marks.
        assert store.load(saved_session).record("4.2-a").note == "from the other laptop"
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
        holder.stdout.close()
        holder.stderr.close()
    # The lock file is still there, but a dead program holds no lock.
    assert store.path_for(saved_session).with_suffix(".lock").exists()
    resumed = store.open(saved_session)
    assert resumed.session.record("4.1-a").result == "pass"
    assert resumed.session.record("4.2-a").note == "from the other laptop"
    resumed.close()
    assert not store.path_for(saved_session).with_suffix(".lock").exists()
    assert read_session_file(store.path_for(saved_session)).record("4.2-a").result == "fail"


def test_release_removes_the_lock_file_and_a_second_lock_waits_for_none(tmp_path) -> None:
    path = tmp_path / "s.lock"
    first = SessionLock(path, "s")
    first.acquire()
    assert first.held and path.exists()
    second = SessionLock(path, "s")
    with pytest.raises(SessionLockedError):
        second.acquire()
    assert not second.held
    first.release()
    assert not path.exists()
    with second:
        assert second.held
    assert not second.held and not path.exists()


def test_lock_on_a_file_removed_by_its_previous_holder_is_retaken(tmp_path, monkeypatch):
    # A holder that unlinks the lock file between our open() and our flock() leaves us
    # locking a file that no longer exists at the path: that lock must not count.
    import auditui.lock as lock_module

    path = tmp_path / "s.lock"
    real_try_lock = lock_module._try_lock
    calls = []

    def try_lock_after_unlink(fd):
        calls.append(fd)
        if len(calls) == 1:
            path.unlink()
        return real_try_lock(fd)

    monkeypatch.setattr(lock_module, "_try_lock", try_lock_after_unlink)
    lock = SessionLock(path, "s")
    lock.acquire()
    assert len(calls) == 2
    assert path.exists()
    assert os.path.samestat(os.fstat(lock._fd), os.stat(path))
    lock.release()


def test_lock_file_that_cannot_be_created_is_a_clean_error(tmp_path) -> None:
    lock = SessionLock(tmp_path / "missing-folder" / "s.lock", "s")
    with pytest.raises(AudituiError, match="cannot create the lock file"):
        lock.acquire()


def test_a_lock_file_removed_by_hand_is_made_again_before_another_opens(
    store, saved_session
) -> None:
    """A "stale" lock file deleted while the app ran let a second auditui open the session;
    the app's check every second makes it again, and the second is refused."""
    writer = store.open(saved_session)
    lock = store.folder / f"{saved_session}.lock"
    lock.unlink()
    writer.check_lock()
    assert lock.is_file()
    with pytest.raises(SessionLockedError):
        store.open(saved_session)
    writer.close()


def test_marks_made_after_another_auditui_took_the_session_are_on_disk_at_once(
    store, saved_session
) -> None:
    """The lock file removed and a second auditui in: the first app's marks were held in
    memory ("NOT SAVED"), and lost when its laptop died. They go into a copy beside the
    session at once, under a lock of its own, and the session file is left to the other."""
    first = store.open(saved_session)
    (store.folder / f"{saved_session}.lock").unlink()
    second = store.open(saved_session)
    second.answer("4.2-a", result="pass")
    first.answer("4.2-a", result="fail", note="lost major", grade="major")  # saved at once
    assert not first.pending and first.last_error is None
    [kept] = store.folder.glob(f"{saved_session}.kept-*.toml")
    assert first.path == kept
    record = read_session_file(kept).record("4.2-a")  # as a laptop dying now leaves it
    assert (record.result, record.note, record.grade) == ("fail", "lost major", "major")
    assert "was opened in another auditui" in first.notices[-1]
    # The other's journal is left alone: its mark is there should it die now.
    assert read_session(store.path_for(saved_session)).record("4.2-a").result == "pass"
    with pytest.raises(SessionLockedError):  # the copy is locked as a session is
        SessionLock(kept.with_suffix(".lock"), kept.stem).acquire()
    first.answer("5.1-a", result="pass")  # the next marks go on into the copy
    first.close()
    assert read_session_file(kept).record("5.1-a").result == "pass"
    second.close()
    assert read_session_file(store.path_for(saved_session)).record("4.2-a").result == "pass"
    assert not list(store.folder.glob("*.lock"))


def test_the_app_check_moves_to_a_copy_as_soon_as_another_took_the_session(
    store, saved_session, monkeypatch
) -> None:
    """Marks waiting to be saved (a full disk a moment ago) go beside the session at the
    app's next check; with none waiting, nothing is written (the other may hold the lock
    a moment only: a sync folding a journal)."""
    first = store.open(saved_session)
    (store.folder / f"{saved_session}.lock").unlink()
    second = store.open(saved_session)
    first.check_lock()
    assert not list(store.folder.glob("*.kept-*"))
    second.close()
    first.check_lock()  # the other gone: the lock is made again, the session ours
    assert (store.folder / f"{saved_session}.lock").is_file()
    first.answer("4.2-a", result="fail", note="typed here")
    (store.folder / f"{saved_session}.lock").unlink()
    second = store.open(saved_session)
    first._needs_snapshot = True  # as after a save refused by a full disk
    first.check_lock()
    [kept] = store.folder.glob(f"{saved_session}.kept-*.toml")
    assert read_session_file(kept).record("4.2-a").note == "typed here"
    first.close()
    second.close()
