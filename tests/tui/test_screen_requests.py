"""Screens ask the app by message and offer their own palette commands: checked by what
the user sees and what is saved."""

from __future__ import annotations

import threading

from textual.content import Content

from auditui.tui.app import AuditApp
from auditui.tui.screens.home import HomeScreen
from auditui.tui.screens.walkthrough import WalkthroughScreen
from auditui.tui.widgets.item_list import ItemList

from .conftest import home_read, saved


def commands(app: AuditApp) -> dict:
    """The palette's commands for the screen on top, by their plain title."""
    return {
        Content.from_markup(command.title).plain: command
        for command in app.get_system_commands(app.screen)
    }


async def test_the_walkthroughs_palette_commands_act_on_the_session(locations, store, checklist):
    writer = store.create(checklist, auditor="A", auditee="B")
    session_id = writer.session.id
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "j", "p")
        found = commands(app)
        assert "Start: Shop floor [bold] audit" not in found  # home's, not here
        found["Show failed items"].callback()
        await home_read(pilot)
        items = app.screen.query_one(ItemList)
        assert items.shown_records() == [0]
        commands(app)["Undo the last change"].callback()
        await home_read(pilot)
        assert [r.result for r in saved(store, session_id).records[:2]] == ["fail", "unanswered"]
        commands(app)["Export: audit report or results"].callback()
        await home_read(pilot)
        assert app.screen is not app.screen_stack[0]  # the export choices are up
        await pilot.press("escape")
        commands(app)["Finish the audit"].callback()
        await home_read(pilot)
        assert app.screen is not app.screen_stack[0]  # the finish dialog is up


async def test_opened_on_a_session_home_takes_its_place_and_the_session_is_let_go(
    locations, store, checklist
):
    writer = store.create(checklist, auditor="A", auditee="B")
    session_id = writer.session.id
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        walk = app.screen
        assert isinstance(walk, WalkthroughScreen)
        await pilot.press("n", "escape")
        await home_read(pilot)
        assert isinstance(app.screen, HomeScreen) and app.screen_stack == [app.screen]
        assert not walk.is_attached  # gone, not kept under home
        assert not store.path_for(session_id).with_suffix(".lock").exists()
        resume = [title for title in commands(app) if title.startswith("Resume:")]
        assert len(resume) == 1
        commands(app)[resume[0]].callback()
        await home_read(pilot)
        assert isinstance(app.screen, WalkthroughScreen) and len(app.screen_stack) == 2
        await pilot.press("p", "q")
    assert [r.result for r in saved(store, session_id).records[:2]] == ["na", "pass"]


async def test_home_reads_the_sessions_in_a_thread_and_stays_live_meanwhile(
    locations, store, checklist, monkeypatch
):
    from textual.widgets import DataTable

    from auditui.tui.screens import home as home_module
    from auditui.tui.screens.dialogs import HelpScreen

    writer = store.create(checklist, auditor="A", auditee="Moulding")
    writer.answer("7.1.5-a", result="pass")
    writer.close()
    gate = threading.Event()
    real = home_module.read_sessions

    def slow(repository):
        gate.wait(10)
        return real(repository)

    monkeypatch.setattr(home_module, "read_sessions", slow)
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        checklists = app.screen.query_one("#home-checklists", DataTable)
        for _ in range(200):  # the checklists come first
            if checklists.row_count:
                break
            await pilot.pause(0.02)
        sessions = app.screen.query_one("#home-sessions", DataTable)
        assert "Reading sessions" in str(sessions.get_row_at(0)[0])
        await pilot.press("question_mark")  # the screen answers keys meanwhile
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        gate.set()
        await home_read(pilot)
        assert "1/4" in str(sessions.get_row_at(0)[2])
        assert any(title.startswith("Resume:") for title in commands(app))
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, WalkthroughScreen)
        assert app.screen.session.id == writer.session.id


async def test_a_tab_typed_while_home_reads_is_kept(locations, store, checklist, monkeypatch):
    from textual.widgets import DataTable

    from auditui.tui.screens import home as home_module

    store.create(checklist, auditor="A", auditee="Moulding").close()
    gate = threading.Event()
    real = home_module.read_checklists

    def slow(where):
        gate.wait(10)
        return real(where)

    monkeypatch.setattr(home_module, "read_checklists", slow)
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("tab")  # to the sessions, before anything is read
        gate.set()
        await home_read(pilot)
        assert app.focused is app.screen.query_one("#home-sessions", DataTable)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WalkthroughScreen)
