"""A scoped walkthrough, finishing from the app, marks refused when finished, reopening:
each checked against the session file on disk."""

from __future__ import annotations

import tomllib

from auditui.export import export_session
from auditui.tui.app import AuditApp
from auditui.tui.widgets.item_list import ItemList

from .conftest import saved


def scoped_app(locations, store, checklist, scope=("8",)):
    writer = store.create(checklist, auditor="Mai", auditee="Dispatch", scope=scope)
    return AuditApp(locations, writer=writer), writer.session.id


async def test_a_scoped_walkthrough_shows_and_counts_only_its_sections(locations, store, checklist):
    app, session_id = scoped_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        items = app.screen.query_one(ItemList)
        session = app.screen.session
        shown = [session.records[i].item_id for i in items.shown_records()]
        assert shown == ["8.5.1-a", "8.5.2-a"]
        assert "0/2 answered" in str(app.screen.query_one("#walk-bar").content)
        await pilot.press("p", "f")
        assert "2/2 answered" in str(app.screen.query_one("#walk-bar").content)
        await pilot.press("q")
    on_disk = saved(store, session_id)
    assert [r.result for r in on_disk.records] == ["unanswered", "unanswered", "pass", "fail"]
    document = tomllib.loads(export_session(on_disk, "toml").decode("utf-8"))
    results = [r["result"] for r in document["results"]]
    assert results == ["out-of-scope", "out-of-scope", "pass", "fail"]
    assert document["summary"]["total"] == 2
