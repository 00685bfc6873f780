"""A session saved a moment ago (on quitting) is still read from the cache of read
files, but only once every byte of the file has been read and found the same."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from auditui import filecache
from auditui.session_toml import SESSION_CONTENT, content_key, read_session_file
from auditui.store import SessionStore
from auditui.warm import warm_after_exit


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test's cache folder, with the real two-second rule: files here are new."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("AUDITUI_CACHE_DIR", str(folder))
    monkeypatch.delenv("AUDITUI_NO_CACHE", raising=False)
    return folder


def parsing_spy(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    import auditui.session_toml

    parsed: list[Path] = []
    real = auditui.session_toml.parse_toml

    def spy(text, path):
        parsed.append(Path(path))
        return real(text, path)

    monkeypatch.setattr(auditui.session_toml, "parse_toml", spy)
    return parsed


def saved_session(checklist, sessions_dir: Path) -> Path:
    """A session closed just now, as quitting leaves it: a new file."""
    store = SessionStore(sessions_dir)
    writer = store.create(checklist, auditor="Somchai")
    writer.answer("4.1-a", result="fail", note="gauge label missing")
    writer.close()
    return store.path_for(writer.session.id)


def test_a_file_saved_moments_ago_is_kept_under_its_contents_digest(
    cache: Path, checklist, sessions_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = saved_session(checklist, sessions_dir)
    first = read_session_file(path)
    key = content_key(path.read_bytes())
    assert filecache.recall(SESSION_CONTENT, key) == first
    parsed = parsing_spy(monkeypatch)
    again = read_session_file(path)
    assert parsed == []
    assert again == first and again is not first
    assert again.record("4.1-a").note == "gauge label missing"


def test_any_changed_byte_is_read_afresh_however_the_file_looks(
    cache: Path, checklist, sessions_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = saved_session(checklist, sessions_dir)
    read_session_file(path)
    status = path.stat()
    text = path.read_text(encoding="utf-8")
    edited = text.replace("gauge label missing", "gauge label MISSING")
    assert len(edited) == len(text)
    path.write_text(edited, encoding="utf-8")  # same size, same times, other bytes
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    parsed = parsing_spy(monkeypatch)
    assert read_session_file(path).record("4.1-a").note == "gauge label MISSING"
    assert parsed == [path]


def test_the_same_bytes_saved_again_need_no_parsing(
    cache: Path, checklist, sessions_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = saved_session(checklist, sessions_dir)
    first = read_session_file(path)
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data)  # a new file (another inode) with the same content
    parsed = parsing_spy(monkeypatch)
    assert read_session_file(path) == first
    assert parsed == []


def test_lists_that_do_not_keep_sessions_leave_no_entry(
    cache: Path, checklist, sessions_dir: Path
) -> None:
    path = saved_session(checklist, sessions_dir)
    read_session_file(path, keep=False)
    assert filecache.recall(SESSION_CONTENT, content_key(path.read_bytes())) is None


def test_after_quitting_the_saved_file_is_read_in_the_background(
    cache: Path, checklist, sessions_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What `auditui` does once the app has ended: fork, and read the file just saved."""
    path = saved_session(checklist, sessions_dir)
    script = textwrap.dedent(
        """
        import os, sys
        from pathlib import Path
        from auditui import warm
        warm.WORTH_BYTES = 0  # the test's session is small
        child = warm.warm_after_exit(Path(sys.argv[1]))
        assert child is not None, "nothing was started"
        _, status = os.waitpid(child, 0)
        print(os.waitstatus_to_exitcode(status))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True, text=True, env=os.environ.copy(), timeout=60,
    )  # fmt: skip
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "0", "")
    parsed = parsing_spy(monkeypatch)
    assert read_session_file(path).record("4.1-a").result == "fail"
    assert parsed == []


def test_nothing_is_started_when_it_would_not_help(
    cache: Path, checklist, sessions_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = saved_session(checklist, sessions_dir)
    assert warm_after_exit(path) is None  # a small session is read in no time anyway
    monkeypatch.setattr("auditui.warm.WORTH_BYTES", 0)
    assert warm_after_exit(None) is None
    assert warm_after_exit(sessions_dir / "gone.toml") is None
    monkeypatch.setenv("AUDITUI_NO_CACHE", "1")
    assert warm_after_exit(path) is None


def test_a_resume_at_once_waits_for_the_background_read_instead_of_reading_again(
    cache: Path, checklist, sessions_dir: Path
) -> None:
    """The up arrow and enter straight after quitting: the child is still reading. The
    new read waits for it (slowed here to 0.5 s) and parses nothing itself."""
    path = saved_session(checklist, sessions_dir)
    script = textwrap.dedent(
        """
        import os, sys, time
        from pathlib import Path
        import auditui.session_toml as st
        from auditui import warm
        warm.WORTH_BYTES = 0
        real = st.parse_toml
        def slow(text, where):
            time.sleep(0.5)
            return real(text, where)
        st.parse_toml = slow  # what the child will run
        child = warm.warm_after_exit(Path(sys.argv[1]))
        assert child is not None, "nothing was started"
        parsed = []
        def counted(text, where):
            parsed.append(where)
            return real(text, where)
        st.parse_toml = counted  # what this process runs
        session = st.read_session_file(Path(sys.argv[1]))
        os.waitpid(child, 0)
        print(len(parsed), session.record("4.1-a").result)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True, text=True, env=os.environ.copy(), timeout=60,
    )  # fmt: skip
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "0 fail", "")
    assert not list(cache.glob("*.lock")), "the child leaves no lock file behind"


def test_a_read_waits_no_longer_than_its_limit_for_a_stuck_background_read(
    cache: Path, checklist, sessions_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from auditui import warm

    path = saved_session(checklist, sessions_dir)
    monkeypatch.setattr(warm, "WAIT_LIMIT_S", 0.2)
    lock = warm._hold(path)  # as if a child were reading it and never ended
    assert lock is not None
    try:
        parsed = parsing_spy(monkeypatch)
        assert read_session_file(path).record("4.1-a").note == "gauge label missing"
        assert parsed == [path]  # waited 0.2 s, then read it itself
    finally:
        warm._let_go(lock, path)
    assert warm.wait_for_warming(path) is False  # nothing is being read now


def test_the_background_read_keeps_nothing_of_the_app_locked(
    cache: Path, checklist, sessions_dir: Path, tmp_path: Path
) -> None:
    """Whatever the app still had locked when it forked (its session's lock, should
    closing it have failed) is not held on by the child while it reads."""
    path = saved_session(checklist, sessions_dir)
    script = textwrap.dedent(
        """
        import fcntl, os, sys, time
        from pathlib import Path
        import auditui.session_toml as st
        from auditui import warm
        warm.WORTH_BYTES = 0
        real = st.parse_toml
        st.parse_toml = lambda text, where: (time.sleep(0.5), real(text, where))[1]
        held = os.open(sys.argv[2], os.O_RDWR | os.O_CREAT)
        fcntl.flock(held, fcntl.LOCK_EX)
        child = warm.warm_after_exit(Path(sys.argv[1]))
        assert child is not None, "nothing was started"
        os.close(held)  # the app lets go of it; the child is still reading
        again = os.open(sys.argv[2], os.O_RDWR)
        verdict = "still held"
        deadline = time.monotonic() + 0.3  # the child reads for 0.5 s at least
        while time.monotonic() < deadline:
            try:
                fcntl.flock(again, fcntl.LOCK_EX | fcntl.LOCK_NB)
                verdict = "free"
                break
            except BlockingIOError:
                time.sleep(0.01)
        print(verdict)
        os.waitpid(child, 0)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path), str(tmp_path / "some.lock")],
        capture_output=True, text=True, env=os.environ.copy(), timeout=60,
    )  # fmt: skip
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "free", "")
