"""A section whose items a hand-edited session file split apart is one section everywhere:
the item list, the export, the report and the comparison group it the same way."""

from __future__ import annotations

from datetime import UTC, datetime

from auditui.compare import compare_sessions, section_groups
from auditui.export import export_session
from auditui.session import ItemRecord, Session


def split_session(session_id: str = "s1", first: str = "pass") -> Session:
    at = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    records = [
        ItemRecord("7.1-a", "7", "Support", "Resources?", result=first),
        ItemRecord("8.1-a", "8", "Operation", "Planned?", result="fail"),
        ItemRecord("7.2-a", "7", "Support", "Competence?", result="na"),
    ]
    return Session(session_id, "iso", at, at, records, checklist_title="ISO")


def test_a_split_section_is_one_group_in_file_order() -> None:
    session = split_session()
    groups = [(sid, [r.item_id for r in records]) for sid, _, records in session.sections()]
    assert groups == [("7", ["7.1-a", "7.2-a"]), ("8", ["8.1-a"])]
    in_scope = section_groups(session)
    assert {sid: [r.item_id for r in records] for sid, (_, records) in in_scope.items()} == dict(
        groups
    )


def test_the_export_and_the_comparison_count_a_split_section_once() -> None:
    markdown = export_session(split_session(), "markdown").decode("utf-8")
    assert markdown.count("### 7 Support") == 1
    comparison = compare_sessions(split_session("s0", first="fail"), split_session())
    assert [section.section_id for section in comparison.sections] == ["7", "8"]
