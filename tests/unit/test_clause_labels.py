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
