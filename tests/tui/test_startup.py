"""Start-up does only what the first screen needs, and the progress stays right mark by mark."""

from __future__ import annotations

from textual.widgets import DataTable

from auditui.tui.app import AuditApp
from auditui.tui.screens.home import HomeScreen
from auditui.tui.screens.walkthrough import WalkthroughScreen

from .conftest import home_read, saved


async def test_opened_on_a_session_the_home_screen_waits_until_it_is_wanted(
    locations, store, checklist, home_loads
):
    earlier = store.create(checklist, auditor="A", auditee="Earlier")
    earlier.close()
    writer = store.create(checklist, auditor="A", auditee="Now")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        assert isinstance(app.screen, WalkthroughScreen)
        assert not any(isinstance(screen, HomeScreen) for screen in app.screen_stack)
        assert home_loads == []
        await pilot.press("p", "escape")  # back "home": made now, and filled
        await home_read(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert home_loads == ["home"]
        sessions = app.screen.query_one("#home-sessions", DataTable)
        assert sessions.row_count == 2
        assert any("1/4" in str(cell) for cell in sessions.get_row_at(0))
        await pilot.press("tab", "enter")  # and on into a session and back again
        assert isinstance(app.screen, WalkthroughScreen)
        await pilot.press("escape")
        await home_read(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert saved(store, writer.session.id).records[0].result == "pass"


async def test_the_progress_bar_follows_every_kind_of_change(locations, store, checklist):
    writer = store.create(checklist, auditor="A", auditee="B")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        keys = ["p", "f", "u", "F", "c", "n", "k", "k", "P", "u", "u", "e", *"x", "ctrl+s"]
        for key in keys:
            await pilot.press(key)
            summary = screen.session.summary()
            bar = str(screen.query_one("#walk-bar").render())
            expected = f"{summary.answered}/{summary.total} answered"
            assert expected in bar, (key, bar)
            assert f"✔{summary.passed} ✘{summary.failed} –{summary.na}" in bar


async def test_the_garbage_collector_held_off_for_start_up_comes_back_with_the_first_frame(
    locations, store, checklist
):
    """`auditui` starts with Python's cyclic collector off (start.py); a long session with
    it left off would only grow, so the app turns it back on once its first screen is up."""
    import gc

    writer = store.create(checklist, auditor="A", auditee="B")
    app = AuditApp(locations, writer=writer)
    gc.disable()
    try:
        app.when_ready(gc.enable)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
            await pilot.press("p")
    finally:
        gc.enable()
    assert saved(store, writer.session.id).records[0].result == "pass"


async def test_a_dialog_opened_clears_the_notes_that_would_cover_its_question(
    locations, store, checklist
):
    """At 80×24 a note ("finished and sealed … reopen it") sat on the Reopen dialog's
    question for five seconds; the dialog is the answer to the note."""
    from auditui.tui.screens.dialogs import HelpScreen

    writer = store.create(checklist, auditor="A", auditee="B")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        app.notify("Finished and sealed: reopen it to change it.", markup=False)
        await pilot.pause()
        assert len(app._notifications) == 1
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert len(app._notifications) == 0
        await pilot.press("escape", "p")
    assert saved(store, writer.session.id).records[0].result == "pass"
