"""Helpers for the compare / trend / findings tests: sessions built by hand, with known
answers, written into a sessions folder; and the CLI run in-process."""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from auditui.cli import main
from auditui.session import ItemRecord, Session
from auditui.session_toml import dumps_session

ICT = timezone(timedelta(hours=7))

READ_TWICE = ("findings", "sessions", "trend")
"""Commands that only read the history: with the index of the sessions folder in use
(`indexed_history`), each runs once to fill the index and then again for the test."""


@pytest.fixture(params=["files", "index"])
def indexed_history(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test once reading every session file, and once with the index of the
    sessions folder (`session_index.py`) taking files however fresh, each read-only
    command run a second time from the index: both must give what the test asserts."""
    if request.param == "index":
        from auditui import filecache

        monkeypatch.setattr(filecache, "MIN_AGE_NS", -(10**12))
        monkeypatch.setattr(f"{__name__}._INDEXED", True)
    return request.param


_INDEXED = False


def at(day: int, hour: int = 9, month: int = 1, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, 30, tzinfo=ICT)


def make_session(
    session_id: str,
    items: list[tuple],
    *,
    checklist_id: str = "demo",
    started: datetime | None = None,
    version: str = "2026.1",
    title: str = "Demo audit",
) -> Session:
    """`items`: (item_id, result[, note[, grade]]); the section is the id before its first `.`."""
    started = started or at(1)
    records = []
    for entry in items:
        item_id, result, *rest = entry
        note = rest[0] if rest else ""
        grade = rest[1] if len(rest) > 1 else None
        section = item_id.split(".")[0]
        records.append(
            ItemRecord(
                item_id=item_id,
                section_id=section,
                section_title=f"Section {section}",
                prompt=f"Question {item_id}?",
                clause=item_id.split("-")[0] if "-" in item_id else None,
                result=result,
                note=note,
                grade=grade,
                recorded=started if result != "unanswered" else None,
            )
        )
    return Session(
        id=session_id,
        checklist_id=checklist_id,
        started=started,
        updated=started,
        records=records,
        checklist_title=title,
        checklist_version=version,
        kind="internal-audit",
    )


def write_session(folder: Path, session: Session, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name or session.id}.toml"
    if session.finished is not None and not session.seal:  # sealed, as finishing does
        from auditui.seal import seal_document
        from auditui.session_toml import session_to_document

        session.seal, session.seal_parts = seal_document(session_to_document(session))
    path.write_bytes(dumps_session(session))
    return path


def cli(capsys: pytest.CaptureFixture[str], tmp_path: Path, *argv: str) -> tuple[int, str, str]:
    """`auditui ARGV --sessions-dir tmp/sessions --checklists-dir tmp/checklists`, in-process:
    (exit status, stdout, stderr)."""
    capsys.readouterr()
    if _INDEXED and argv[0] in READ_TWICE:
        _run(argv, tmp_path)
        capsys.readouterr()
    code = _run(argv, tmp_path)
    out, err = capsys.readouterr()
    return code, out, err


def _run(argv: tuple[str, ...], tmp_path: Path) -> int:
    full = [
        *argv,
        "--sessions-dir",
        str(tmp_path / "sessions"),
        "--checklists-dir",
        str(tmp_path / "checklists"),
    ]
    try:
        return main(full)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1


def parse(out: str) -> dict[str, Any]:
    return tomllib.loads(out)


def write_checklist(folder: Path, checklist_id: str, item_ids: list[str]) -> Path:
    """A valid checklist file; the section of an item is its id before the first `.`."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "[checklist]",
        f'id = "{checklist_id}"',
        f'title = "Checklist {checklist_id}"',
        'kind = "internal-audit"',
        'version = "2026.1"',
        "",
    ]
    current = None
    for item_id in item_ids:
        section = item_id.split(".")[0]
        if section != current:
            lines += ["[[sections]]", f'id = "{section}"', f'title = "Section {section}"', ""]
            current = section
        lines += ["[[sections.items]]", f'id = "{item_id}"', f'prompt = "Q {item_id}?"', ""]
    path = folder / f"{checklist_id}.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
