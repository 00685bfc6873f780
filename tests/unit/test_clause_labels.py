"""Clause labels shown beside a clause number, and the standard a session records."""

from __future__ import annotations

import tomllib
from pathlib import Path

from auditui.checklist import load_checklist
from auditui.clauses import clause_title
from auditui.session_toml import dumps_session, session_from_document
from auditui.store import SessionStore

REPO = Path(__file__).resolve().parents[2]


def test_every_clause_a_shipped_checklist_uses_has_a_label() -> None:
    for path in sorted((REPO / "checklists").glob("*.toml")):
        checklist = load_checklist(path)
        for item in checklist.items:
            if item.clause:
                assert clause_title(item.clause), (path.name, item.id, item.clause)


def test_labels_use_2015_numbering() -> None:
    assert clause_title("10.2") == "Nonconformity and corrective action"
    assert clause_title("10.3") == "Continual improvement"
    assert clause_title("7.1.5.2") == "Measurement traceability"
    assert clause_title("11.1") is None and clause_title("") is None


def test_a_session_keeps_the_standard_of_its_checklist(tmp_path: Path) -> None:
    checklist = load_checklist(REPO / "checklists" / "iso9001-internal-audit.toml")
    writer = SessionStore(tmp_path).create(checklist, auditor="A", auditee="B")
    writer.close()
    data = dumps_session(writer.session)
    document = tomllib.loads(data.decode())
    assert document["session"]["standard"] == "ISO 9001:2015"
    again = session_from_document(document)
    assert again.standard == "ISO 9001:2015"
    assert dumps_session(again) == data


def test_the_labels_come_from_the_cache_once_read(tmp_path) -> None:
    """The walkthrough's first screen shows a clause label: after the first run the index
    comes from the cache of read files, with no TOML parser loaded, and says the same."""
    import json
    import os
    import subprocess
    import sys

    code = (
        "import json, sys; from auditui.clauses import clause_titles; titles = clause_titles(); "
        "print(json.dumps([titles, 'tomli' in sys.modules or 'tomllib' in sys.modules]))"
    )
    env = dict(os.environ, AUDITUI_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("AUDITUI_NO_CACHE", None)
    runs = [
        json.loads(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                                  text=True, check=True).stdout)  # fmt: skip
        for _ in range(2)
    ]
    (first, parsed), (second, parsed_again) = runs
    assert first == second and first["7.1.5"] and parsed and not parsed_again
