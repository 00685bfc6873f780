"""Notices in the app: one at a time, but a warning is not wiped by a notice that matters
less. Checked on the toasts drawn, not only on the app's list of notices."""

from __future__ import annotations

from auditui.tui.app import AuditApp


def toasts(app) -> list[object]:
    return list(app.screen.query("Toast"))


async def shown(app, pilot) -> tuple[list[str], list[str]]:
    await pilot.pause()
    await pilot.pause()
    return [n.message for n in app._notifications], [t for t in toasts(app)]


async def test_a_warning_on_screen_stays_when_a_lesser_notice_comes(locations, store, checklist):
    writer = store.create(checklist, auditor="Mai", auditee="Moulding")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.notify("The session file was replaced", severity="warning", timeout=30)
        await pilot.pause()
        app.notify("First information")
        notices, drawn = await shown(app, pilot)
        assert notices == ["The session file was replaced", "First information"]
        assert len(drawn) == 2
        app.notify("Second information")  # takes the place of the first only
        notices, drawn = await shown(app, pilot)
        assert notices == ["The session file was replaced", "Second information"]
        assert len(drawn) == 2
        app.notify("Another warning", severity="warning")  # of the same rank: replaces it
        notices, drawn = await shown(app, pilot)
        assert notices == ["Another warning"] and len(drawn) == 1
        await pilot.press("q")


async def test_two_notices_at_once_leave_the_last(locations, store, checklist):
    writer = store.create(checklist, auditor="Mai", auditee="Moulding")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.notify("A")
        app.notify("B")
        notices, drawn = await shown(app, pilot)
        assert notices == ["B"] and len(drawn) == 1
        await pilot.press("q")


async def test_a_warning_clicked_away_does_not_come_back(locations, store, checklist):
    writer = store.create(checklist, auditor="Mai", auditee="Moulding")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.notify("W", severity="warning", timeout=30)
        await pilot.pause()
        await pilot.pause()
        await pilot.click("Toast")
        await pilot.pause()
        app.notify("I")
        notices, drawn = await shown(app, pilot)
        assert notices == ["I"] and len(drawn) == 1
        await pilot.press("q")
