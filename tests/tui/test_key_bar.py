"""The key bar at the bottom of every screen: the keys the screen offers, and a click
on one presses it."""

from __future__ import annotations

from auditui.tui.app import AuditApp
from auditui.tui.widgets.key_bar import KeyBar

from .conftest import saved


async def test_the_walkthrough_bar_lists_its_keys_and_the_palette(locations, store, checklist):
    writer = store.create(checklist, auditor="Somchai", auditee="Moulding")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        shown, palette = bar.keys()
        assert [(display, description) for _, display, description, _ in shown] == [
            ("p", "Pass"),
            ("f", "Fail"),
            ("n", "N/A"),
            ("e", "Note"),
            ("g", "Grade"),
            ("u", "Undo"),
            ("?", "Help"),
            ("q", "Quit"),
        ]
        assert palette is not None and palette[0] == "ctrl+p"
        line = str(bar.render())
        assert line.startswith(" p Pass  f Fail  n N/A ")
        assert line.rstrip().endswith("▏^p palette")
        assert len(line) == 80


async def test_a_click_on_a_key_presses_it(locations, store, checklist):
    writer = store.create(checklist, auditor="Somchai", auditee="Moulding")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = str(app.screen.query_one(KeyBar).render())
        await pilot.click(KeyBar, offset=(line.index("Fail"), 0))
        await pilot.pause()
    assert saved(store, writer.session.id).records[0].result == "fail"


async def test_the_home_bar_shows_the_home_keys(locations):
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown, _ = app.screen.query_one(KeyBar).keys()
        descriptions = [description for _, _, description, _ in shown]
        assert descriptions[:4] == ["Reload", "Compare", "Trend", "Findings"]


async def test_a_finished_session_offers_what_it_can_do_not_the_mark_keys(
    locations, store, checklist
):
    """A sealed session takes no marks: its bar offers the report, find, view, help and
    quit; reopened, the mark keys are back, and the note's hint with them."""
    writer = store.create(checklist, auditor="Mai", auditee="Moulding")
    writer.answer(writer.session.records[0].item_id, result="pass")
    writer.finish(conclusion="Conforms", signed_by=["Mai (auditor)"])
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        descriptions = [description for _, _, description, _ in bar.keys()[0]]
        assert descriptions == ["Find", "View", "Report", "Help", "Quit"]
        assert "Press e" not in str(app.screen.query_one("#detail-note").content)
        await pilot.press("ctrl+p", *"Reopen this")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"Late record", "enter")
        await pilot.pause()
        descriptions = [description for _, _, description, _ in bar.keys()[0]]
        assert descriptions[:3] == ["Pass", "Fail", "N/A"]
        assert "Press e" in str(app.screen.query_one("#detail-note").content)
        await pilot.press("n")
    assert saved(store, writer.session.id).records[1].result == "na"
