"""Home, compare and the rules shared by every screen: what an auditor tripped over."""

from __future__ import annotations

from textual.widgets import DataTable

from auditui.tui.app import AuditApp
from auditui.tui.screens.compare import CompareScreen
from auditui.tui.screens.home import HomeScreen

from .conftest import home_read
from .test_history_screens import day, loaded, make_session


async def test_at_60_columns_the_checklists_table_shows_kind_version_and_items(locations):
    app = AuditApp(locations)
    async with app.run_test(size=(60, 20)) as pilot:
        await home_read(pilot)
        table = app.screen.query_one("#home-checklists", DataTable)
        widths = [column.get_render_width(table) for column in table.columns.values()]
        assert sum(widths) <= table.size.width
        headings = [str(column.label) for column in table.columns.values()]
        assert headings == ["Checklist", "Kind", "Version", "Items"]
        row = [str(value) for value in table.get_row("shop-floor")]
        assert row[1:] == ["internal-audit", "1", "4"]


async def test_the_sessions_table_names_its_first_column_for_what_it_shows(
    locations, store, checklist
):
    store.create(checklist, auditor="A", auditee="B", title="Warehouse Q4").close()
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        table = app.screen.query_one("#home-sessions", DataTable)
        assert str(next(iter(table.columns.values())).label) == "Session"
        assert str(table.get_row_at(0)[0]) == "Warehouse Q4"


async def test_a_notice_goes_with_the_screen_it_was_given_on(locations, store, checklist):
    make_session(store, checklist, day(6, 1), ["pass"] * 4)
    make_session(store, checklist, day(11, 25), ["pass", "pass", "pass", "fail"])
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        table = app.screen.query_one("#home-checklists", DataTable)
        keys = [str(key.value) for key in table.rows]
        table.move_cursor(row=keys.index("iso9001-gap-analysis"))
        await pilot.press("c")  # no sessions: a notice on home
        assert app._notifications
        table.move_cursor(row=keys.index("shop-floor"))
        await pilot.press("c")
        await loaded(pilot, CompareScreen)
        assert not [n for n in app._notifications if "gap" in str(n.message)]


async def test_q_quits_from_every_screen_and_escape_goes_back(locations, store, checklist):
    make_session(store, checklist, day(6, 1), ["pass"] * 4)
    make_session(store, checklist, day(11, 25), ["pass", "pass", "pass", "fail"])
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("tab", "c")
        await loaded(pilot, CompareScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("c")  # the sessions table still has the focus
        assert isinstance(await loaded(pilot, CompareScreen), CompareScreen)
        await pilot.press("q")
        await home_read(pilot)
        assert app.return_code == 0  # the app is ending, not going back home
        assert isinstance(app.screen, CompareScreen)


async def test_a_session_deleted_from_home_goes_to_the_trash_folder(locations, store, checklist):
    from auditui.tui.screens.dialogs import Confirm

    keep = make_session(store, checklist, day(6, 1), ["pass"] * 4)
    gone = make_session(store, checklist, day(11, 25), ["fail", None, None, None])
    before = store.path_for(gone).read_bytes()
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("tab", "delete")  # newest first: the November session
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")  # no: nothing moves
        assert store.path_for(gone).exists()
        await pilot.press("delete", "y")
        await home_read(pilot)
        rows = app.screen.query_one("#home-sessions", DataTable).row_count
        assert rows == 1
    assert not store.path_for(gone).exists() and store.path_for(keep).exists()
    trashed = locations.sessions_dir / "trash" / f"{gone}.toml"
    assert trashed.read_bytes() == before  # every mark kept, just moved aside
    assert [s.id for s in store.list_sessions()] == [keep]


async def test_a_session_open_elsewhere_is_not_deleted(locations, store, checklist):
    gone = make_session(store, checklist, day(11, 25), ["fail", None, None, None])
    other = store.open(gone)  # another auditui has it open
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("tab", "delete", "y")
        await home_read(pilot)
        assert any("open in another" in str(n.message) for n in app._notifications)
    other.close()
    assert store.path_for(gone).exists()
