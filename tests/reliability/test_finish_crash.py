"""Finishing is atomic: a `kill -9` at any moment of `auditui finish` leaves either the
session as it was (every mark kept, not finished) or the finished session with a valid
seal, never a finished session without one, and never a journal beside a sealed file.

Real `auditui finish` processes are killed with SIGKILL at seeded random moments over
the whole run (start-up, folding the journal in, writing the sealed file). A failed
write in the middle of finishing is also forced in this process, deterministically.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from auditui.checklist import load_checklist
from auditui.errors import AudituiError
from auditui.seal import verify_file
from auditui.store import SessionStore, read_session

from .figures import add, note
from .ptydriver import auditui_command, child_env

ITEMS = 1500
"""Big enough that writing the session takes a few milliseconds, so kills land inside."""
ROUNDS = 14


def big_checklist(folder: Path) -> Path:
    lines = ['[checklist]\nid = "big"\ntitle = "Big"\nkind = "internal-audit"\nversion = "1"\n']
    for number in range(ITEMS):
        if number % 50 == 0:
            section = number // 50
            lines.append(f'[[sections]]\nid = "s{section}"\ntitle = "Section {section}"\n')
        lines.append(f'[[sections.items]]\nid = "i{number}"\nprompt = "Question {number}?"\n')
    path = folder / "big.toml"
    path.write_text("\n".join(lines), "utf-8")
    return path


def session_with_journal(store: SessionStore, checklist, seed: int) -> tuple[str, dict]:
    """A session whose marks are still in its journal (the app was killed), as `finish`
    finds it: the marks must be folded in before sealing."""
    rng = random.Random(seed)
    writer = store.create(checklist, auditor="Mai", auditee="QA")
    marks = {}
    for item_id in rng.sample([f"i{n}" for n in range(ITEMS)], 40):
        result = rng.choice(["pass", "fail", "na"])
        writer.answer(item_id, result=result, note=f"note {item_id} ✓")
        marks[item_id] = result
    writer.abandon()  # leaves the journal, as a killed app does
    assert writer.journal.path.exists()
    return writer.session.id, marks


def check_after(store: SessionStore, session_id: str, marks: dict) -> str:
    path = store.path_for(session_id)
    session = read_session(path)
    for item_id, result in marks.items():
        assert session.record(item_id).result == result, item_id
    if session.is_finished:
        assert session.seal, "finished without a seal"
        assert verify_file(path).intact, verify_file(path).line()
        assert not path.with_suffix(".journal").exists(), "a journal beside a sealed file"
        return "finished"
    assert not session.seal
    return "unfinished"


def finish_command(store: SessionStore, session_id: str) -> list[str]:
    return auditui_command(
        ["finish", session_id, "--sessions-dir", store.folder, "--conclusion", "Done",
         "--sign", "Mai (auditor)"]  # fmt: skip
    )


def test_kill_during_finish_leaves_unfinished_or_validly_sealed(tmp_path: Path) -> None:
    checklist = load_checklist(big_checklist(tmp_path))
    store = SessionStore(tmp_path / "sessions")
    env = child_env()
    # One clean run: how long a whole `auditui finish` takes here.
    session_id, marks = session_with_journal(store, checklist, 0)
    began = time.monotonic()
    done = subprocess.run(finish_command(store, session_id), env=env, capture_output=True)
    whole = time.monotonic() - began
    assert done.returncode == 0, done.stderr
    assert check_after(store, session_id, marks) == "finished"

    rng = random.Random(14)
    outcomes = {"finished": 0, "unfinished": 0}
    for round_number in range(1, ROUNDS + 1):
        session_id, marks = session_with_journal(store, checklist, round_number)
        process = subprocess.Popen(
            finish_command(store, session_id),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Most kills in the last part of the run, where the files are written.
        delay = whole * (rng.uniform(0.5, 1.1) if rng.random() < 0.8 else rng.uniform(0, 0.5))
        time.sleep(delay)
        try:
            os.kill(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
        outcomes[check_after(store, session_id, marks)] += 1
        # Whatever happened, the next finish completes it (no lock left behind).
        if not read_session(store.path_for(session_id)).is_finished:
            again = subprocess.run(finish_command(store, session_id), env=env, capture_output=True)
            assert again.returncode == 0, again.stderr
            assert check_after(store, session_id, marks) == "finished"
    add("finish kills leaving the session unfinished", outcomes["unfinished"])
    add("finish kills leaving it finished and sealed", outcomes["finished"])
    note(f"a whole `auditui finish` of {ITEMS} items took {whole * 1000:.0f} ms")


def test_a_failed_write_while_finishing_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checklist = load_checklist(big_checklist(tmp_path))
    store = SessionStore(tmp_path / "sessions")
    session_id, marks = session_with_journal(store, checklist, 1)
    writer = store.open(session_id)
    from auditui import store as store_module

    real_write = store_module.atomic_write
    writes = []

    def second_write_fails(path, data, **kwargs):
        writes.append(path)
        if len(writes) == 2:  # the journal is folded in; writing the sealed file fails
            raise AudituiError("No space left on device", path=path)
        return real_write(path, data, **kwargs)

    monkeypatch.setattr(store_module, "atomic_write", second_write_fails)
    with pytest.raises(AudituiError, match="No space"):
        writer.finish(conclusion="Done", signed_by=["Mai"])
    assert not writer.session.is_finished and not writer.session.seal
    assert check_after(store, session_id, marks) == "unfinished"
    monkeypatch.undo()
    writer.finish(conclusion="Done", signed_by=["Mai"])
    writer.close()
    assert check_after(store, session_id, marks) == "finished"
