"""Fixtures and the figures summary for the reliability tests.

Every test runs in its own empty folder with the auditui environment variables
cleared, the cache of read files in a temporary folder (for its subprocesses too),
and the shipped checklists pointed at an empty folder (in this process; subprocesses
see the real shipped checklists, which no test here relies on): `isolated` in
tests/conftest.py, with the shop-floor checklist fixtures and `run_cli`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from auditui.paths import Locations

from .figures import FIGURES, NOTES


@pytest.fixture(autouse=True)
def _isolated(isolated: Path) -> Path:
    return isolated


@pytest.fixture
def sessions_dir(locations: Locations) -> Path:
    return locations.sessions_dir


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
