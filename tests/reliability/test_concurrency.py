"""Two programs at once: one session is written by one auditui at a time, imports never
clobber each other, new sessions started together get their own ids, and a killed
program holds no lock.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
import tomllib
from pathlib import Path

import pytest

from auditui.session_toml import read_session_file
from auditui.store import SessionStore, read_session

from . import figures
from .ptydriver import HAS_PTY, AppProcess, child_env

pty_only = pytest.mark.skipif(not HAS_PTY, reason="needs a POSIX pseudo-terminal")

AT_THE_SAME_MOMENT = textwrap.dedent(
    """
    import sys
    from auditui.cli import main
    print("ready", flush=True)
    sys.stdin.readline()
    sys.exit(main(sys.argv[1:]))
    """
)
"""`auditui ARGV...` that says "ready" once imported, then waits for a line on stdin."""

CREATE_AT_THE_SAME_MOMENT = textwrap.dedent(
    """
    import sys, time
    from datetime import datetime, timezone
    from pathlib import Path
    from auditui.checklist import load_checklist
    from auditui.store import SessionStore
    checklist = load_checklist(sys.argv[2])
    store = SessionStore(Path(sys.argv[1]))
    started = datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)
    print("ready", flush=True)
    sys.stdin.readline()
    writer = store.create(checklist, auditor=sys.argv[3], auditee="B", started=started)
    print(writer.session.id, flush=True)
    time.sleep(0.3)  # hold the lock while the other one tries
    writer.close()
    """
)


def together(*commands: list, cwd: Path) -> list[subprocess.CompletedProcess[str]]:
    """Run python processes so that their real work starts at the same moment: each says
    "ready" once started and imported, then all are let go at once."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, *map(str, args)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=cwd,
            env=child_env(),
        )
        for script, *args in commands
    ]
    for process in processes:
        assert process.stdout.readline() == "ready\n", process.communicate(timeout=60)
    for process in processes:
        process.stdin.write("go\n")
    for process in processes:
        process.stdin.flush()
    results = []
    for process in processes:
        out, err = process.communicate(timeout=60)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


def auditui(*argv, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "auditui", *map(str, argv)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=child_env(),
        timeout=60,
    )


def folder_args(locations) -> list:
    return ["--sessions-dir", locations.sessions_dir, "--checklists-dir", locations.checklists_dir]


def snapshot_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix != ".lock"}


# --- one session, two programs -------------------------------------------------------------------


@pty_only
def test_a_second_auditui_on_an_open_session_is_refused(locations, store, checklist, tmp_path):
    writer = store.create(checklist, auditor="A", auditee="B")
    writer.close()
    session_id = writer.session.id
    with AppProcess(["resume", session_id, *folder_args(locations)], cwd=tmp_path) as first:
        assert first.wait_for(b"answered", timeout=60)
        mark = first.mark
        first.send("f")
        assert first.wait_for(b"1/4 answered", since=mark, timeout=20)
        before = snapshot_of(locations.sessions_dir)
        for argv in (["resume", session_id], ["resume", str(writer.path)]):
            second = auditui(*argv, *folder_args(locations), cwd=tmp_path)
            assert second.returncode == 1, second
            assert second.stdout == ""
            (line,) = second.stderr.splitlines()
            assert line.startswith("auditui: ") and "open in another auditui" in line
            assert snapshot_of(locations.sessions_dir) == before  # left as it was
        # Readers are never blocked, and see the mark already.
        exported = auditui("export", session_id, *folder_args(locations), cwd=tmp_path)
        assert exported.returncode == 0
        assert tomllib.loads(exported.stdout)["results"][0]["result"] == "fail"
        mark = first.mark
        first.send("jp")  # the first one carries on (`f` stayed on the failed item)
        assert first.wait_for(b"2/4 answered", since=mark, timeout=20)
        first.send("q")
        assert first.wait(30) == 0
    assert [r.result for r in read_session_file(writer.path).records[:2]] == ["fail", "pass"]
    with AppProcess(["resume", session_id, *folder_args(locations)], cwd=tmp_path) as again:
        assert again.wait_for(b"2/4 answered", timeout=60)  # free once the first one quit
        again.send("q")
        assert again.wait(30) == 0


@pty_only
def test_a_lock_left_by_a_killed_app_never_blocks_the_next_run(
    locations, store, checklist, tmp_path
):
    writer = store.create(checklist, auditor="A", auditee="B")
    writer.close()
    session_id = writer.session.id
    for round_ in range(3):
        with AppProcess(["resume", session_id, *folder_args(locations)], cwd=tmp_path) as app:
            assert app.wait_for(b"answered", timeout=60), app.output()[-1000:]
            mark = app.mark
            app.send("n")
            assert app.wait_for(f"{round_ + 1}/4 answered".encode(), since=mark, timeout=20)
            app.kill()
            assert app.wait(30) == -9
        assert store.path_for(session_id).with_suffix(".lock").exists()  # the file stays...
        refused = auditui("resume", "no-such-session", *folder_args(locations), cwd=tmp_path)
        assert refused.returncode == 1
    # ... but no lock: the next run opens the session at once.
    started = time.monotonic()
    with AppProcess(["resume", session_id, *folder_args(locations)], cwd=tmp_path) as app:
        assert app.wait_for(b"3/4 answered", timeout=60)
        app.send("q")
        assert app.wait(30) == 0
    assert time.monotonic() - started < 30
    assert [r.result for r in read_session_file(writer.path).records] == ["na"] * 3 + ["unanswered"]


# --- imports and new sessions at the same moment -----------------------------------------------


def test_two_imports_of_one_session_at_the_same_moment(store, checklist, tmp_path) -> None:
    writer = SessionStore(tmp_path / "laptop").create(checklist, auditor="A", auditee="B")
    writer.answer("7.1.5-a", result="fail", note="from laptop one")
    writer.close()
    one = tmp_path / "one.toml"
    one.write_bytes(writer.path.read_bytes())
    two = tmp_path / "two.toml"  # the same session id, other content
    two.write_bytes(writer.path.read_bytes().replace(b"from laptop one", b"from laptop two"))
    session_id = writer.session.id
    rounds = 20
    for round_ in range(rounds):
        sessions = tmp_path / f"sessions-{round_}"
        sources = [one, one] if round_ % 2 else [one, two]
        command = [AT_THE_SAME_MOMENT, "import", "--sessions-dir", sessions]
        results = together(*[[*command, source] for source in sources], cwd=tmp_path)
        codes = sorted(result.returncode for result in results)
        assert codes == [0, 1], results
        winner = sources[[result.returncode for result in results].index(0)]
        loser = results[[result.returncode for result in results].index(1)]
        assert loser.stdout == ""
        (line,) = loser.stderr.splitlines()
        assert line.startswith("auditui: ") and "nothing was imported" in line, line
        # Exactly the winner's session, whole: nothing of the other mixed in, no leftovers.
        assert sorted(p.name for p in sessions.iterdir()) == [f"{session_id}.toml"]
        assert read_session_file(sessions / f"{session_id}.toml") == read_session_file(winner)
        figures.add("concurrency: simultaneous imports")


def test_new_sessions_started_at_the_same_moment_get_their_own_ids(locations, tmp_path) -> None:
    checklist_path = locations.checklists_dir / "shop-floor.toml"
    for round_ in range(5):
        sessions = tmp_path / f"sessions-{round_}"
        results = together(
            [CREATE_AT_THE_SAME_MOMENT, sessions, checklist_path, "first"],
            [CREATE_AT_THE_SAME_MOMENT, sessions, checklist_path, "second"],
            cwd=tmp_path,
        )
        assert [result.returncode for result in results] == [0, 0], results
        ids = [result.stdout.strip() for result in results]
        assert sorted(ids) == [
            "2026-11-25-0930-shop-floor-t3st",
            "2026-11-25-0930-shop-floor-t3st-2",
        ]
        auditors = {read_session(sessions / f"{i}.toml").auditor for i in ids}
        assert auditors == {"first", "second"}
        assert sorted(p.name for p in sessions.iterdir()) == sorted(f"{i}.toml" for i in ids)
