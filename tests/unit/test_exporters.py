"""Every export format is one entry of `exporters.EXPORTERS`: the command line offers it,
the exporter writes it, and its file gets the entry's suffix."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from auditui.export import export_session, export_to_folder
from auditui.exporters import EXPORTERS, FORMATS, exporter
from auditui.paths import Locations
from auditui.session import ItemRecord, Session


def a_session() -> Session:
    at = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    records = [ItemRecord("7.1-a", "7", "Support", "Resources?", result="fail", note="none")]
    return Session("s1", "iso", at, at, records, checklist_title="ISO")


def test_each_format_writes_through_its_entry(tmp_path: Path) -> None:
    session = a_session()
    locations = Locations(tmp_path / "checklists", tmp_path / "sessions", tmp_path / "exports")
    for entry in EXPORTERS:
        data = export_session(session, entry.name, [])
        assert data == entry.write(session, [])
        assert b"7.1-a" in data
        path = export_to_folder(session, entry.name, locations)
        assert path == tmp_path / "exports" / f"s1{entry.suffix}"
        assert path.read_bytes() == data
    assert exporter("toml").binary and not exporter("csv").binary


def test_the_command_line_offers_every_format_without_loading_the_exporter() -> None:
    code = (
        "import sys; from auditui.commands import export; "
        "print('auditui.export' in sys.modules)"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert loaded.stdout.strip() == "False"
    shown = subprocess.run(
        [sys.executable, "-m", "auditui", "export", "--help"], capture_output=True, text=True
    )
    assert "{" + ",".join(FORMATS) + "}" in shown.stdout
