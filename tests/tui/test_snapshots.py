"""A few pictures of the layout at 80×24, compared with the saved SVG snapshots.

Update them after an intended change with `pytest tests/tui --snapshot-update`.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from auditui.tui.app import AuditApp

from .conftest import home_read

STARTED = datetime(2026, 11, 25, 9, 30, tzinfo=timezone(timedelta(hours=7)))


async def settled(pilot) -> None:
    """Wait until last time's session has been looked up, so the picture is stable."""
    for _ in range(100):
        details = pilot.app.screen.query("#walk-detail")
        if details and details.first().previous_loaded:
            break
        await pilot.pause(0.02)
    await pilot.pause()


def test_walkthrough_at_80x24(snap_compare, locations, store, checklist):
    writer = store.create(checklist, auditor="Somchai", auditee="Moulding [bold]", started=STARTED)
    app = AuditApp(locations, writer=writer)
    assert snap_compare(app, terminal_size=(80, 24), run_before=settled)


def test_help_at_80x24(snap_compare, locations, store, checklist):
    writer = store.create(checklist, auditor="Somchai", auditee="Moulding", started=STARTED)
    app = AuditApp(locations, writer=writer)
    assert snap_compare(app, terminal_size=(80, 24), press=["question_mark"], run_before=settled)


def test_new_session_form_at_80x24(snap_compare, locations, checklist):
    app = AuditApp(locations, new_session=(checklist, "Somchai", "", ""))
    assert snap_compare(app, terminal_size=(80, 24))


def test_home_at_80x24(snap_compare, locations, store, checklist):
    earlier = store.create(
        checklist, auditor="Somchai", auditee="Moulding", started=STARTED - timedelta(days=91)
    )
    for item_id, result in (("7.1.5-a", "fail"), ("7.2-a", "pass"), ("8.5.1-a", "pass")):
        earlier.answer(item_id, result=result)
    earlier.close()
    latest = store.create(checklist, auditor="Lan", auditee="Printing [red]", started=STARTED)
    latest.answer("7.1.5-a", result="pass")
    latest.close()
    app = AuditApp(locations)
    assert snap_compare(app, terminal_size=(80, 24), run_before=home_read)
