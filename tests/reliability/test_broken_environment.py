"""A broken environment: full disk, a sessions folder that is a file or is gone, files without
permission, a session file deleted while open.

Headless commands answer with one line and exit status 1, and leave the file that was
there before as it was. The app shows the error, keeps the marks in memory, and saves
them once the fault clears.
"""

from __future__ import annotations

import builtins
import errno
import os
import shutil
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from auditui.errors import AudituiError, SessionLockedError
from auditui.session_toml import read_session_file
from auditui.store import SessionStore, read_session
from auditui.tui.app import AuditApp
from auditui.tui.screens.dialogs import Confirm

from .ptydriver import HAS_PTY, AppProcess, auditui_command, child_env

ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


def disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


async def settles(pilot, condition, within: float = 15.0) -> bool:
    """Whether `condition` becomes true within `within` seconds (the app's one-second retry
    may come late on a busy machine: the test waits for it rather than for a fixed time)."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            return False
        await pilot.pause(0.1)
    return True


def one_line_failure(code: int, out: str, err: str, *fragments: str) -> str:
    assert code == 1, (code, out, err)
    assert out == ""
    assert "Traceback" not in err and "internal error" not in err
    assert len(err.splitlines()) == 1, err
    assert err.startswith("auditui: ")
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    return err


def folder_args(locations) -> list:
    return ["--sessions-dir", locations.sessions_dir, "--checklists-dir", locations.checklists_dir]


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.fixture
def exported(checklist, tmp_path) -> Path:
    """An exported session (one mark, one note), as it would come from another laptop."""
    writer = SessionStore(tmp_path / "other-laptop").create(
        checklist, auditor="Lan", auditee="Plant 2", started=datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    )
    writer.answer("7.1.5-a", result="fail", note="Gauge G-12 overdue")
    writer.close()
    source = tmp_path / "from-another-laptop.toml"
    source.write_bytes(writer.path.read_bytes())
    return source


@pytest.fixture
def saved_session(store, checklist) -> str:
    writer = store.create(checklist, auditor="Lan", auditee="Plant 2")
    writer.answer("7.1.5-a", result="pass")
    writer.close()
    return writer.session.id


# --- full disk ------------------------------------------------------------------------------------


@pytest.mark.parametrize("failing", ["write", "fsync"])
def test_import_on_a_full_disk_leaves_nothing(
    run_cli, exported, sessions_dir, monkeypatch, failing
) -> None:
    monkeypatch.setattr(os, failing, disk_full)
    code, out, err = run_cli("import", exported, "--sessions-dir", sessions_dir)
    monkeypatch.undo()
    one_line_failure(code, out, err, "No space left on device")
    assert names(sessions_dir) == []  # no session, no temporary file
    code, out, err = run_cli("import", exported, "--sessions-dir", sessions_dir)
    assert code == 0, err  # and it works once there is room again


@pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
def test_export_to_a_file_on_a_full_disk_keeps_the_previous_file(
    run_cli, saved_session, sessions_dir, tmp_path, monkeypatch, failing
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "report.md"
    target.write_text("the report from last week\n", encoding="utf-8")
    monkeypatch.setattr(os, failing, disk_full)
    argv = ["export", saved_session, "--format", "markdown", "-o", target]
    code, out, err = run_cli(*argv, "--sessions-dir", sessions_dir)
    monkeypatch.undo()
    one_line_failure(code, out, err, str(target), "No space left on device")
    assert target.read_text(encoding="utf-8") == "the report from last week\n"
    assert names(out_dir) == ["report.md"]


def run_limited(argv, limit: int, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        auditui_command(argv, limit),
        capture_output=True,
        text=True,
        cwd=cwd,
        env=child_env(),
        timeout=60,
    )


@pytest.mark.skipif(not hasattr(os, "setpgid"), reason="needs POSIX resource limits")
def test_a_really_full_disk_through_real_processes(
    exported, store, sessions_dir, saved_session, tmp_path
) -> None:
    # RLIMIT_FSIZE makes every write past the limit fail with EFBIG, as a full disk would.
    big = exported.read_text("utf-8").replace("Gauge G-12 overdue", "x" * 50_000)
    exported.write_text(big, encoding="utf-8")
    before = names(sessions_dir)
    result = run_limited(["import", exported, "--sessions-dir", sessions_dir], 10_000, tmp_path)
    one_line_failure(result.returncode, result.stdout, result.stderr, "File too large")
    assert names(sessions_dir) == before

    target = tmp_path / "report.csv"
    target.write_bytes(b"old,report\r\n")
    argv = ["export", saved_session, "--format", "csv", "-o", target]
    result = run_limited([*argv, "--sessions-dir", sessions_dir], 100, tmp_path)
    one_line_failure(result.returncode, result.stdout, result.stderr, "File too large")
    assert target.read_bytes() == b"old,report\r\n"
    assert names(tmp_path).count("report.csv") == 1
    assert not [name for name in names(tmp_path) if name.endswith(".tmp")]


@pytest.mark.skipif(not HAS_PTY, reason="needs a POSIX pseudo-terminal")
def test_the_app_on_a_full_disk_keeps_marks_and_asks_before_dropping_them(
    locations, store, saved_session, tmp_path
) -> None:
    path = store.path_for(saved_session)
    before = path.read_bytes()
    folders = folder_args(locations)
    with AppProcess(["resume", saved_session, *folders], cwd=tmp_path, file_limit=0) as app:
        assert app.wait_for(b"answered", timeout=60), app.output()[-2000:]
        mark = app.mark
        app.send("f")
        assert app.wait_for(b"NOT SAVED", since=mark, timeout=20)
        assert app.wait_for(b"2/4 answered", since=mark, timeout=20)  # kept in memory
        mark = app.mark
        app.send("q")
        assert app.wait_for(b"Quit anyway", since=mark, timeout=20)
        mark = app.mark
        app.send("n")  # no: keep the marks on screen
        assert app.wait_for(b"2/4 answered", since=mark, timeout=20)
        assert app.process.poll() is None
    assert path.read_bytes() == before  # the last good version, untouched
    assert not path.with_suffix(".journal").exists() or read_session(path)
    store.open(saved_session).close()  # the killed app holds no lock


@pytest.mark.skipif(not HAS_PTY, reason="needs a POSIX pseudo-terminal")
def test_run_on_a_full_disk_says_so_and_leaves_nothing(locations, tmp_path) -> None:
    folders = folder_args(locations)
    argv = ["run", "shop-floor", "--auditor", "A", "--auditee", "B", *folders]
    with AppProcess(argv, cwd=tmp_path, file_limit=0) as app:
        assert app.wait(60) == 1
        assert app.wait_for(b"File too large", timeout=5)
        text = app.output().decode("utf-8", "replace").strip()
    assert text.startswith("auditui: ") and len(text.splitlines()) == 1, text
    assert names(locations.sessions_dir) == []


async def test_full_disk_in_the_app_then_room_again(locations, store, checklist, monkeypatch):
    writer = store.create(checklist, auditor="A", auditee="B")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        attempts: list[int] = []

        def counted_disk_full(*args, **kwargs):
            attempts.append(1)
            disk_full()

        monkeypatch.setattr(os, "fsync", counted_disk_full)
        await pilot.press("f", "j", "e", *"kept", "ctrl+s")
        error = app.screen.query_one("#walk-error")
        assert error.display and "No space left on device" in str(error.render())
        session = app.screen.session
        assert [r.result for r in session.records[:2]] == ["pass", "fail"]
        assert session.records[2].note == "kept"
        on_disk = read_session(writer.path)
        assert [r.result for r in on_disk.records[:2]] == ["pass", "unanswered"]
        await pilot.press("q")
        assert isinstance(app.screen, Confirm)  # asks before dropping unsaved marks
        await pilot.press("n")
        tried = len(attempts)
        assert await settles(pilot, lambda: len(attempts) > tried)  # retried every second
        assert error.display  # still failing
        monkeypatch.undo()
        assert await settles(pilot, lambda: not error.display)  # the next retry saves it
        on_disk = read_session(writer.path)
        assert [r.result for r in on_disk.records[:2]] == ["pass", "fail"]
        assert on_disk.records[2].note == "kept"
        await pilot.press("q")
    assert app.return_code == 0
    assert not writer.path.with_suffix(".journal").exists()


async def test_a_disk_with_a_little_room_again_saves_the_marks_at_once(
    locations, store, checklist, monkeypatch
):
    """A full disk, then a few kilobytes freed: not enough for a whole copy of the session,
    enough for a line of the journal. The marks made meanwhile are saved by the next retry;
    before, every retry rewrote the whole file and the marks stayed in memory only."""
    writer = store.create(checklist, auditor="A", auditee="B")
    app = AuditApp(locations, writer=writer)
    whole_file = len(writer.path.read_bytes())
    real_write = os.write
    room = {"bytes": 0}

    def little_room(fd, data):
        if len(data) > room["bytes"]:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    async with app.run_test(size=(80, 24)) as pilot:
        monkeypatch.setattr(os, "write", little_room)
        await pilot.press("p", "f")
        error = app.screen.query_one("#walk-error")
        assert error.display and "No space left on device" in str(error.render())
        room["bytes"] = whole_file // 3  # a journal line fits; the session file does not
        assert await settles(pilot, lambda: not error.display)
        on_disk = read_session(writer.path)  # the file and its journal, as a resume reads them
        assert [r.result for r in on_disk.records[:2]] == ["pass", "fail"]
        monkeypatch.undo()
        await pilot.press("q")
    assert app.return_code == 0
    assert [r.result for r in read_session(writer.path).records[:2]] == ["pass", "fail"]


# --- the sessions folder: a file, gone, replaced -------------------------------------------------


def test_a_sessions_folder_that_is_a_file(run_cli, exported, tmp_path) -> None:
    folder = tmp_path / "sessions-file"
    folder.write_text("not a folder\n")
    code, out, err = run_cli("import", exported, "--sessions-dir", folder)
    one_line_failure(code, out, err, "not a folder")
    assert folder.read_text() == "not a folder\n"
    # Said, not listed as an empty folder: a script took it for a folder with no sessions.
    code, out, err = run_cli("sessions", "--format", "toml", "--sessions-dir", folder)
    one_line_failure(code, out, err, "the sessions folder is a file, not a folder")
    code, out, err = run_cli("export", "some-id", "--sessions-dir", folder)
    one_line_failure(code, out, err, "the sessions folder is a file, not a folder")


@pytest.mark.skipif(not HAS_PTY, reason="needs a POSIX pseudo-terminal")
def test_run_with_a_sessions_folder_that_is_a_file(locations, tmp_path) -> None:
    locations.sessions_dir.write_text("not a folder\n")
    folders = folder_args(locations)
    argv = ["run", "shop-floor", "--auditor", "A", "--auditee", "B", *folders]
    with AppProcess(argv, cwd=tmp_path) as app:
        assert app.wait(60) == 1
        assert app.wait_for(b"not a folder", timeout=5)
        text = app.output().decode("utf-8", "replace").strip()
    assert text.startswith("auditui: ") and len(text.splitlines()) == 1, text
    assert locations.sessions_dir.read_text() == "not a folder\n"


async def test_start_from_home_with_a_sessions_folder_that_is_a_file(locations, checklist):
    app = AuditApp(locations, new_session=(checklist, "A", "B", ""))
    async with app.run_test(size=(80, 24)) as pilot:
        locations.sessions_dir.write_text("not a folder\n")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.is_running
        assert any("not a folder" in str(n.message) for n in app._notifications)
    assert locations.sessions_dir.read_text() == "not a folder\n"


async def test_sessions_folder_deleted_while_open(locations, store, checklist):
    writer = store.create(checklist, auditor="A", auditee="B")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        shutil.rmtree(locations.sessions_dir)
        await pilot.press("f", "j")
        assert not app.screen.query_one("#walk-error").display
        on_disk = read_session_file(writer.path)  # the folder and a full snapshot, at once
        assert [r.result for r in on_disk.records[:2]] == ["pass", "fail"]
        # Still ours: a second auditui is refused, as before the folder went.
        with pytest.raises(SessionLockedError):
            store.open(writer.session.id)
        await pilot.press("n")
    assert [r.result for r in read_session_file(writer.path).records[:3]] == ["pass", "fail", "na"]
    assert names(locations.sessions_dir) == [writer.path.name]


async def test_sessions_folder_replaced_by_a_file_then_back(locations, store, checklist):
    writer = store.create(checklist, auditor="A", auditee="B")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        shutil.rmtree(locations.sessions_dir)
        locations.sessions_dir.write_text("someone put a file here\n")
        await pilot.press("f", "j", "n")
        error = app.screen.query_one("#walk-error")
        assert error.display and "not a folder" in str(error.render())
        assert [r.result for r in app.screen.session.records[:3]] == ["pass", "fail", "na"]
        locations.sessions_dir.unlink()
        assert await settles(pilot, lambda: not error.display)  # the next retry saves it
        on_disk = read_session_file(writer.path)
        assert [r.result for r in on_disk.records[:3]] == ["pass", "fail", "na"]


async def test_session_file_deleted_while_open(locations, store, checklist):
    writer = store.create(checklist, auditor="A", auditee="B")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        writer.path.unlink()
        await pilot.press("f", "j")
        assert not app.screen.query_one("#walk-error").display
        on_disk = read_session_file(writer.path)  # written again at once, every mark in it
        assert [r.result for r in on_disk.records[:2]] == ["pass", "fail"]
        writer.path.with_suffix(".journal").unlink(missing_ok=True)
        await pilot.press("n")  # the journal deleted too: a snapshot again
        assert [r.result for r in read_session(writer.path).records[:3]] == ["pass", "fail", "na"]
    assert [r.result for r in read_session_file(writer.path).records[:3]] == ["pass", "fail", "na"]


async def test_session_file_replaced_by_a_folder_then_back(locations, store, checklist):
    # The marks still go to the journal; once the folder is gone, the file is written again.
    writer = store.create(checklist, auditor="A", auditee="B")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        writer.path.unlink()
        writer.path.mkdir()
        await pilot.press("f", "j")
        with pytest.raises(AudituiError, match="is a folder"):
            read_session(writer.path)
        writer.path.rmdir()
        await pilot.press("n")
        assert not app.screen.query_one("#walk-error").display
        on_disk = read_session_file(writer.path)
        assert [r.result for r in on_disk.records[:3]] == ["pass", "fail", "na"]


async def test_a_session_taken_over_while_its_folder_was_gone(locations, store, checklist):
    # The folder deleted, and another auditui opened the session again in the new one:
    # this app must not write over it. It says so, and its marks go on disk at once, beside
    # the session (they were held in memory until the other closed: lost if the laptop
    # died meanwhile).
    writer = store.create(checklist, auditor="A", auditee="B")
    session_file = writer.path
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        snapshot = session_file.read_bytes()
        shutil.rmtree(locations.sessions_dir)
        locations.sessions_dir.mkdir()
        session_file.write_bytes(snapshot)
        other = store.open(writer.session.id)
        await pilot.press("f")
        error = app.screen.query_one("#walk-error")
        assert not error.display and writer.path != session_file
        assert ".kept-" in writer.path.name
        assert "was opened in another auditui" in writer.notices[-1]
        assert [r.result for r in read_session(writer.path).records[:2]] == ["pass", "fail"]
        assert session_file.read_bytes() == snapshot  # the other's, untouched
        other.close()
        await pilot.press("j", "n")
        assert await settles(pilot, lambda: not writer.pending)
        assert read_session(session_file).records[1].result == "unanswered"
    assert [r.result for r in read_session(writer.path).records[:3]] == ["pass", "fail", "na"]


# --- permissions ----------------------------------------------------------------------------------


@pytest.fixture
def forbid(monkeypatch):
    """Make opening some paths fail with PermissionError, as for a user without rights
    (the tests run as root here, where chmod alone forbids nothing)."""
    forbidden: set[Path] = set()
    real_open, real_os_open = builtins.open, os.open

    def check(path) -> None:
        if isinstance(path, str | os.PathLike) and Path(path).absolute() in forbidden:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))

    def fake_open(file, *args, **kwargs):
        check(file)
        return real_open(file, *args, **kwargs)

    def fake_os_open(path, *args, **kwargs):
        check(path)
        return real_os_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(os, "open", fake_os_open)
    return forbidden


def test_a_session_file_without_read_permission(
    run_cli, store, saved_session, sessions_dir, checklist, forbid
) -> None:
    other = store.create(checklist, auditor="B", auditee="C")
    other.close()
    path = store.path_for(saved_session)
    forbid.add(path.absolute())
    code, out, err = run_cli("sessions", "--sessions-dir", sessions_dir)
    assert code == 0
    listed = [line.split()[0] for line in out.splitlines()[1:]]
    assert listed == [other.session.id]
    assert err.strip() == f"auditui: {path}: permission denied (left out)"
    code, out, err = run_cli("export", saved_session, "--sessions-dir", sessions_dir)
    one_line_failure(code, out, err, str(path), "permission denied")
    with pytest.raises(AudituiError, match="permission denied"):
        store.open(saved_session)
    forbid.clear()
    store.open(saved_session).close()  # no lock left behind by the refused open


def test_a_sessions_folder_without_write_permission(
    run_cli, exported, store, saved_session, sessions_dir, forbid
) -> None:
    before = names(sessions_dir)
    session_id = read_session_file(exported).id
    lock = store.path_for(saved_session).with_suffix(".lock")
    forbid.add(lock.absolute())
    # A change needs the lock (the app opens such a session to be read: test_read_only).
    code, out, err = run_cli("finish", saved_session, "--conclusion", "OK", "--sign", "Mai",
                             "--sessions-dir", sessions_dir)  # fmt: skip
    one_line_failure(code, out, err, "cannot create the lock file", "Permission denied")
    forbid.clear()

    real_os_open = os.open

    def no_new_files(path, flags, *args, **kwargs):
        if flags & os.O_CREAT and Path(path).parent == sessions_dir:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_os_open(path, flags, *args, **kwargs)

    os.open = no_new_files
    try:
        code, out, err = run_cli("import", exported, "--sessions-dir", sessions_dir)
    finally:
        os.open = real_os_open
    one_line_failure(code, out, err, "Permission denied")
    assert names(sessions_dir) == before
    assert not store.path_for(session_id).exists()


@pytest.mark.skipif(ROOT, reason="root may read and write anything; simulated above")
def test_real_permissions(run_cli, store, saved_session, sessions_dir, exported) -> None:
    path = store.path_for(saved_session)
    path.chmod(0)
    try:
        code, out, err = run_cli("export", saved_session, "--sessions-dir", sessions_dir)
        one_line_failure(code, out, err, "permission denied")
    finally:
        path.chmod(0o644)
    sessions_dir.chmod(0o555)
    try:
        code, out, err = run_cli("import", exported, "--sessions-dir", sessions_dir)
        one_line_failure(code, out, err, "Permission denied")
    finally:
        sessions_dir.chmod(0o755)


async def test_journal_without_permission_then_allowed(locations, store, checklist, forbid):
    writer = store.create(checklist, auditor="A", auditee="B")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        journal = writer.path.with_suffix(".journal")
        forbid.add(journal.absolute())
        await pilot.press("p")  # the journal refused: saved as a whole copy of the session
        error = app.screen.query_one("#walk-error")
        await pilot.pause()
        assert not error.display
        assert read_session_file(writer.path).records[0].result == "pass"
        forbid.clear()
        await pilot.press("f")  # and in the journal again, once it can be written
        await pilot.pause()
        assert journal.exists() and not error.display
        assert read_session(writer.path).records[1].result == "fail"
