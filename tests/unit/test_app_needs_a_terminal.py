"""The commands that open the terminal app refuse cleanly when there is no terminal."""

from __future__ import annotations

from pathlib import Path


def test_home_without_a_terminal_says_so(run_cli) -> None:
    code, out, err = run_cli()
    assert code == 1 and out == ""
    assert err.startswith("auditui: the terminal app needs a terminal") and err.count("\n") == 1


def test_run_without_a_terminal_starts_no_session(
    run_cli, checklist_file: Path, sessions_dir: Path
) -> None:
    code, _, err = run_cli(
        "run", checklist_file, "--auditor", "A", "--auditee", "B", "--sessions-dir", sessions_dir
    )
    assert code == 1 and "needs a terminal" in err
    assert not list(sessions_dir.glob("*")) if sessions_dir.exists() else True


def test_resume_without_a_terminal_leaves_the_session_unlocked(
    run_cli, store, checklist, sessions_dir: Path
) -> None:
    writer = store.create(checklist, auditor="A", auditee="B")
    writer.close()
    code, _, err = run_cli("resume", writer.session.id, "--sessions-dir", sessions_dir)
    assert code == 1 and "needs a terminal" in err
    store.open(writer.session.id).close()  # not left locked
    assert sorted(p.suffix for p in sessions_dir.iterdir()) == [".toml"]
