"""Notices in the app: one at a time, but a warning is not wiped by a notice that matters
less. Checked on the toasts drawn, not only on the app's list of notices."""

from __future__ import annotations

import pytest

from auditui.tui.app import AuditApp


@pytest.fixture
def app(locations, store, checklist) -> AuditApp:
    """The app on a new session (run with its toasts drawn)."""
    return AuditApp(locations, writer=store.create(checklist, auditor="Mai", auditee="QA"))


async def shown(app, pilot) -> tuple[list[str], int]:
    """The notices the app holds, and how many toasts are drawn, once things settle."""
    await pilot.pause()
    await pilot.pause()
    return [n.message for n in app._notifications], len(app.screen.query("Toast"))


async def test_a_warning_on_screen_stays_when_a_lesser_notice_comes(app):
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.notify("The session file was replaced", severity="warning", timeout=30)
        await pilot.pause()
        app.notify("First information")
        notices, drawn = await shown(app, pilot)
        assert notices == ["The session file was replaced", "First information"]
        assert drawn == 2
        app.notify("Second information")  # takes the place of the first only
        notices, drawn = await shown(app, pilot)
        assert notices == ["The session file was replaced", "Second information"]
        assert drawn == 2
        app.notify("Another warning", severity="warning")  # of the same rank: replaces it
        notices, drawn = await shown(app, pilot)
        assert notices == ["Another warning"] and drawn == 1
        await pilot.press("q")


async def test_two_notices_at_once_leave_the_last(app):
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.notify("A")
        app.notify("B")
        notices, drawn = await shown(app, pilot)
        assert notices == ["B"] and drawn == 1
        await pilot.press("q")


async def test_a_warning_clicked_away_does_not_come_back(app):
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.notify("W", severity="warning", timeout=30)
        await pilot.pause()
        await pilot.pause()
        await pilot.click("Toast")
        await pilot.pause()
        app.notify("I")
        notices, drawn = await shown(app, pilot)
        assert notices == ["I"] and drawn == 1
        await pilot.press("q")


async def test_a_notice_never_sends_a_control_sequence_to_the_terminal(locations):
    """A checklist title or an item id holding ESC [31m (or an OSC 52 clipboard write)
    reached the terminal raw through the notices: the rest of the notice went red, or
    vanished."""
    from auditui.tui.app import AuditApp

    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        app.notify("Undone: item 7.2-a\x1b[31m red\x1b]52;c;aGk=\x07", markup=False)
        await pilot.pause()
        shown = [str(n.message) for n in app._notifications]
    assert shown == ["Undone: item 7.2-a␛[31m red␛]52;c;aGk=␇"]
