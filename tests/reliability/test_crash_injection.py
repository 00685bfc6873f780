"""No crash loses a mark: real `auditui` processes in a pty, killed with SIGKILL at random.

CI runs 52 kills (two workers in parallel, about two minutes). A longer soak:

    AUDITUI_SOAK_KILLS=500 pytest tests/reliability/test_crash_injection.py -s
    python -m tests.reliability.soak --kills 500

`AUDITUI_CRASH_SEED` repeats a run (the seed is printed with every failure);
`AUDITUI_CRASH_WORKERS` sets how many apps run side by side.
"""

from __future__ import annotations

import os
import random
import textwrap
from pathlib import Path

import pytest

from . import figures
from .crash import CONTRACT, DRAFT_MARGIN, Exact, History, Typing, run_campaign
from .ptydriver import HAS_PTY

pytestmark = pytest.mark.skipif(not HAS_PTY, reason="needs a POSIX pseudo-terminal")

KILLS = int(os.environ.get("AUDITUI_SOAK_KILLS", "52"))
WORKERS = int(os.environ.get("AUDITUI_CRASH_WORKERS", "2"))
SEED = int(os.environ.get("AUDITUI_CRASH_SEED", random.SystemRandom().randrange(10**6)))


@pytest.mark.slow
def test_no_kill_loses_a_mark(tmp_path: Path) -> None:
    result, failures = run_campaign(tmp_path, kills=KILLS, seed=SEED, workers=WORKERS)
    figures.note(f"crash injection (seed {SEED}): {result.summary()}")
    figures.add("crash: kills survived", result.kills)
    figures.add("crash: marks checked on disk", result.marks_checked)
    assert not failures, "\n".join(failures)
    assert result.kills >= KILLS
    assert result.marks_checked > KILLS  # the runs were long enough to check something
    if KILLS >= 50:
        assert set(result.kills_by_plan) >= {"startup", "marking", "burst", "key", "note"}


SAVES_NOTHING = textwrap.dedent(
    """
    import auditui.journal
    auditui.journal.JournalWriter.append = lambda self, payload: None
    """
)


@pytest.mark.slow
def test_the_campaign_notices_a_lost_mark(tmp_path: Path) -> None:
    # An auditui whose journal drops every mark: the very first kill after a mark
    # older than a second must be reported.
    patch = tmp_path / "patch"
    patch.mkdir()
    (patch / "sitecustomize.py").write_text(SAVES_NOTHING, encoding="utf-8")
    env = {"PYTHONPATH": os.pathsep.join([str(patch), os.environ.get("PYTHONPATH", "")])}
    for seed in range(1, 20):
        _, failures = run_campaign(tmp_path / f"run-{seed}", kills=3, seed=seed, workers=1, env=env)
        if failures:
            break
    assert failures and "marks lost" in failures[0], failures


def test_the_checker_demands_old_marks_and_allows_recent_ones() -> None:
    kill = 100.0
    old, recent = kill - CONTRACT - 0.01, kill - CONTRACT + 0.01
    history = History("unanswered", [Exact(old, "pass"), Exact(recent, "fail")])
    assert history.problem("pass", kill) is None
    assert history.problem("fail", kill) is None
    assert history.problem("unanswered", kill) is not None  # an old mark lost
    assert history.problem("na", kill) is not None  # never sent
    assert history.checked(kill) == 1

    typing = Typing(old - 5, "Note", [(kill - DRAFT_MARGIN - 1, "a"), (kill - 0.5, "b")])
    note = History("Note", [typing])
    assert note.problem("Notea", kill) is None
    assert note.problem("Noteab", kill) is None
    assert note.problem("Note", kill) is not None  # typed long ago, never saved as a draft
    assert note.problem("Notex", kill) is not None
