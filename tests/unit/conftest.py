"""Shared fixtures for the core and headless-command tests.

Every test runs in its own empty folder with the auditui environment variables
cleared and the shipped-checklists folder pointed at an empty temporary folder,
so nothing depends on the machine, the repository's checklists or the shared
notes of the project.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from auditui.checklist import Checklist, load_checklist
from auditui.store import SessionStore

ICT = timezone(timedelta(hours=7))
"""Bangkok / Hanoi time: the offset the SPEC examples use."""

STARTED = datetime(2026, 11, 25, 9, 30, tzinfo=ICT)

VALID_CHECKLIST = """\
[checklist]
id = "demo"
title = "Demo audit"
kind = "internal-audit"
version = "2026.1"
standard = "ISO 9001:2015"
description = "A small checklist for tests."

[[sections]]
id = "4"
title = "Context of the organization"

[[sections.items]]
id = "4.1-a"
prompt = "Has the organization determined its external and internal issues?"
clause = "4.1"
guidance = "Ask top management."
evidence = ["Context analysis", "Strategy minutes"]

[[sections.items]]
id = "4.2-a"
prompt = "Are the needs of interested parties known?"
clause = "4.2"

[[sections]]
id = "5"
title = "Leadership"

[[sections.items]]
id = "5.1-a"
prompt = "Does top management show leadership?"

[[sections.items]]
id = "5.2-a"
prompt = "Is the quality policy communicated?"
clause = "5.2"
"""
"""Two sections, four items: line numbers below are relied on by tests."""

REPO_ROOT = Path(__file__).resolve().parents[2]


def checklist_text(
    checklist_id: str = "demo",
    *,
    title: str = "Demo audit",
    version: str = "2026.1",
    kind: str = "internal-audit",
    items: int = 3,
) -> str:
    """A valid checklist with one section per two items."""
    lines = [
        "[checklist]",
        f'id = "{checklist_id}"',
        f'title = "{title}"',
        f'kind = "{kind}"',
        f'version = "{version}"',
        "",
    ]
    for number in range(items):
        if number % 2 == 0:
            lines += ["[[sections]]", f'id = "s{number // 2}"', f'title = "Section {number // 2}"']
        lines += [
            "[[sections.items]]",
            f'id = "i{number}"',
            f'prompt = "Question {number}?"',
            f'clause = "{number}.1"',
            "",
        ]
    return "\n".join(lines)


@pytest.fixture(autouse=True)
def _isolated(isolated: Path) -> Path:
    """An empty working folder, no auditui variables, no shipped checklists (see
    `isolated` in tests/conftest.py, which also gives each test its own read-file cache)."""
    return isolated


@pytest.fixture
def workdir(_isolated: Path) -> Path:
    """The empty current folder the test runs in (where ./checklists and ./sessions are)."""
    return _isolated


@pytest.fixture
def valid_text() -> str:
    """A valid checklist: two sections, four items (see VALID_CHECKLIST for line numbers)."""
    return VALID_CHECKLIST


@pytest.fixture
def make_checklist_text() -> Callable[..., str]:
    return checklist_text


@pytest.fixture
def started() -> datetime:
    """A fixed start time with a +07:00 offset."""
    return STARTED


@pytest.fixture
def shipped_dir(tmp_path: Path) -> Path:
    """The (empty, temporary) folder auditui takes for its shipped checklists."""
    return tmp_path / "shipped"


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[..., Path]:
    """Write text (UTF-8) or bytes to a file under tmp_path and return its path."""

    def write(name: str, content: str | bytes, folder: Path | None = None) -> Path:
        path = (folder or tmp_path / "files") / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
        return path

    return write


@pytest.fixture
def checklist_file(write_file: Callable[..., Path]) -> Path:
    return write_file("demo.toml", VALID_CHECKLIST)


@pytest.fixture
def checklist(checklist_file: Path) -> Checklist:
    return load_checklist(checklist_file)


@pytest.fixture
def sessions_dir(tmp_path: Path) -> Path:
    return tmp_path / "sessions"


@pytest.fixture
def store(sessions_dir: Path) -> SessionStore:
    return SessionStore(sessions_dir)


def run_subprocess(
    *argv: str | os.PathLike, cwd: Path, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """`python -m auditui ARGV` in a fresh interpreter, the way a user runs it."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("AUDITUI_")}
    full_env["PYTHONIOENCODING"] = "utf-8"
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "auditui", *map(str, argv)],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


@pytest.fixture
def cli_subprocess(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    def run(*argv: str | os.PathLike, env: dict[str, str] | None = None):
        return run_subprocess(*argv, cwd=tmp_path / "work", env=env)

    return run
