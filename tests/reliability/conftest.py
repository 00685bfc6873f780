"""Fixtures and the figures summary for the reliability tests.

Every test runs in its own empty folder with the auditui environment variables
cleared, the cache of read files in a temporary folder (for its subprocesses too),
and the shipped checklists pointed at an empty folder (in this process; subprocesses
see the real shipped checklists, which no test here relies on).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from auditui.catalog import Catalog
from auditui.checklist import Checklist
from auditui.paths import Locations
from auditui.store import SessionStore

from .figures import FIGURES, NOTES

CHECKLIST = """\
[checklist]
id = "shop-floor"
title = "Shop floor audit"
kind = "internal-audit"
version = "1"

[[sections]]
id = "7"
title = "Support"

[[sections.items]]
id = "7.1.5-a"
prompt = "Are the gauges used at moulding calibrated, with records kept?"
clause = "7.1.5"
guidance = "Pick 3 gauges from the moulding line."
evidence = ["Calibration register"]

[[sections.items]]
id = "7.2-a"
prompt = "Do operators at printing know the acceptance criteria?"
clause = "7.2"

[[sections]]
id = "8"
title = "Operation"

[[sections.items]]
id = "8.5.1-a"
prompt = "Are work instructions available at each station?"

[[sections.items]]
id = "8.5.2-a"
prompt = "Can a shipped lot be traced back to its raw material lot?"
clause = "8.5.2"
"""


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("AUDITUI_CHECKLISTS_DIR", "AUDITUI_SESSIONS_DIR", "AUDITUI_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    monkeypatch.setattr("auditui.paths.shipped_checklists_dir", lambda: shipped)
    return work


@pytest.fixture
def locations(tmp_path: Path) -> Locations:
    checklists = tmp_path / "checklists"
    checklists.mkdir()
    (checklists / "shop-floor.toml").write_text(CHECKLIST, encoding="utf-8")
    return Locations(checklists, tmp_path / "sessions")


@pytest.fixture
def sessions_dir(locations: Locations) -> Path:
    return locations.sessions_dir


@pytest.fixture
def store(locations: Locations) -> SessionStore:
    return SessionStore(locations.sessions_dir)


@pytest.fixture
def checklist(locations: Locations) -> Checklist:
    return Catalog(locations).resolve("shop-floor")


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):
    """`auditui.cli.main(argv)` in this process: (exit status, stdout, stderr)."""
    from auditui.cli import main

    def run(*argv: str | os.PathLike) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            code = main([str(arg) for arg in argv])
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        out, err = capsys.readouterr()
        return code, out, err

    return run


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if not FIGURES and not NOTES:
        return
    terminalreporter.section("reliability figures")
    for name, count in sorted(FIGURES.items()):
        terminalreporter.write_line(f"{name}: {count}")
    for line in NOTES:
        terminalreporter.write_line(line)
    target = os.environ.get("AUDITUI_RELIABILITY_FIGURES")
    if target:
        Path(target).write_text(
            json.dumps({"figures": dict(FIGURES), "notes": NOTES}, indent=2), encoding="utf-8"
        )
