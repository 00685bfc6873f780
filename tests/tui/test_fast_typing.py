"""Keys typed faster than the screen changes: a terminal hands a fast typist's keys (or a
barcode scanner's, or keys typed while the laptop is busy) to auditui all at once. Each key
must reach what the keys before it opened, in order, and none may be lost.

`pilot.press` waits for the app to settle after every key, which hides these defects, so the
keys here are posted in one go, as the terminal driver posts what it reads."""

from __future__ import annotations

import unicodedata

from textual import events

from auditui.tui.app import AuditApp
from auditui.tui.screens.new_session import NewSessionScreen
from auditui.tui.screens.walkthrough import WalkthroughScreen

from .conftest import home_read, saved

NAMED = {" ": "space", "\r": "enter", "\t": "tab", "\x1b": "escape"}


def burst(app: AuditApp, keys: list[str]) -> None:
    """Post every key at once, as the driver does with what one read of the terminal gave."""
    for key in keys:
        if len(key) == 1 and key in NAMED:
            key, char = NAMED[key], key
        elif len(key) == 1:
            char = key
            key = key if key.isalnum() else unicodedata.name(key).lower().replace(" ", "_")
        else:
            char = None
        event = events.Key(key, char)
        event.set_sender(app)
        app.post_message(event)


async def settle(pilot) -> None:
    for _ in range(6):
        await pilot.pause()


async def test_a_note_typed_right_after_e_is_kept_whole(locations, store, checklist):
    writer = store.create(checklist, auditor="Somchai", auditee="Moulding")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, ["F", "e", *"Gauge 7 unlabelled", "ctrl+s", "j", "p"])
        await settle(pilot)
        records = saved(store, writer.session.id).records
        assert (records[0].result, records[0].note) == ("fail", "Gauge 7 unlabelled")
        assert records[1].result == "pass"


async def test_a_grade_picked_from_the_list_at_once_is_kept(locations, store, checklist):
    writer = store.create(checklist, auditor="Somchai", auditee="Moulding")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, ["f", "k", "g", "2"])  # f moves on; k back to the failed item; grade 2
        await settle(pilot)
        first = saved(store, writer.session.id).records[0]
        assert (first.result, first.grade) == ("fail", "minor")


async def test_enter_then_typing_fills_the_next_field_of_the_new_session_form(locations, store):
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, NewSessionScreen)
        burst(app, [*"Mai", "enter", *"Line 2", "enter", *"Q4", "enter", "p"])
        await settle(pilot)
        assert isinstance(app.screen, WalkthroughScreen)
        session = saved(store, app.screen.writer.session.id)
        assert (session.auditor, session.auditee, session.title) == ("Mai", "Line 2", "Q4")
        assert session.records[0].result == "pass"
