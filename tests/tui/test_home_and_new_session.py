"""Home screen and new-session form: start, resume, remembered auditor, locks."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from auditui.cli import main
from auditui.tui.app import AuditApp
from auditui.tui.screens.new_session import NewSessionScreen
from auditui.tui.screens.walkthrough import WalkthroughScreen

from .conftest import home_read, saved, wait_until


async def test_start_a_session_from_home_and_mark_it(locations, store):
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        table = app.screen.query_one("#home-checklists", DataTable)
        assert table.row_count == 1 + 4  # ours and the shipped ones
        row = [str(key.value) for key in table.rows].index("shop-floor")
        table.move_cursor(row=row)
        await pilot.press("enter")
        assert isinstance(app.screen, NewSessionScreen)
        await pilot.press(*"Lan", "enter", *"Printing [red]", "enter", "enter")
        assert isinstance(app.screen, WalkthroughScreen)
        session_id = app.screen.session.id
        await pilot.press("f")
    session = saved(store, session_id)
    assert (session.auditor, session.auditee) == ("Lan", "Printing [red]")
    assert session.records[0].result == "fail"


async def test_the_last_auditor_is_remembered(locations, store, checklist):
    store.create(checklist, auditor="Nguyễn Thị Mai", auditee="Warehouse").close()
    app = AuditApp(locations, new_session=(checklist, "", "", ""))
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        assert app.screen.query_one("#auditor", Input).value == "Nguyễn Thị Mai"
        # The form starts at the auditor, the name offered selected: names typed ahead
        # land in their fields (they went one field down, the auditor's as the auditee).
        assert app.focused is app.screen.query_one("#auditor", Input)
        # Said beside it: a new user typed the auditee over the name offered.
        labels = [str(label.render()) for label in app.screen.query("Label")]
        assert "Auditor (who audits) — the last one: enter keeps it, typing replaces it" in labels
        await pilot.press(*"Lan", "enter", *"Kho", "enter", "enter")
    session = store.list_sessions()[-1]
    assert (session.auditor, session.auditee, session.title) == ("Lan", "Kho", "")
    app = AuditApp(locations, new_session=(checklist, "", "", ""))
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("enter", *"Stores", "enter", "enter")  # enter keeps the name
    assert store.list_sessions()[-1].auditor == "Lan"


async def test_names_typed_with_joiners_are_kept_on_the_form(locations, store, checklist):
    """A Persian or Indic keyboard types a zero-width non-joiner or joiner inside a name:
    the form's one-line fields dropped them, as Textual takes them for unprintable keys."""
    from textual import events

    auditor, auditee = "Me\u200chdi", "Kho\u200dA"
    app = AuditApp(locations, new_session=(checklist, "", "", ""))
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        for name in (auditor, auditee):
            for character in name:  # as the terminal hands them over, one key each
                app.screen.focused.post_message(events.Key(character, character))
            await pilot.pause()
            await pilot.press("enter")
        await pilot.press("enter")
    session = store.list_sessions()[-1]
    assert (session.auditor, session.auditee) == (auditor, auditee)


async def test_an_auditor_given_on_the_command_line_starts_the_form_at_the_auditee(
    locations, store, checklist
):
    """`run CHECKLIST --auditor Mai`: the form started at the auditor, Mai selected, and
    the auditee typed next replaced her (saved as the auditor, with no auditee)."""
    store.create(checklist, auditor="Lan", auditee="Warehouse").close()  # offered otherwise
    app = AuditApp(locations, new_session=(checklist, "Mai", "", ""))
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        assert app.screen.query_one("#auditor", Input).value == "Mai"
        assert app.focused is app.screen.query_one("#auditee", Input)
        await pilot.press(*"Kho", "enter", "enter")
    session = store.list_sessions()[-1]
    assert (session.auditor, session.auditee) == ("Mai", "Kho")


async def test_opened_on_the_form_a_session_starts_and_leads_home(locations, store, checklist):
    # `auditui run CHECKLIST` without names: the form is the first screen, then the
    # walkthrough takes its place, and leaving it makes a home screen.
    from auditui.tui.screens.home import HomeScreen

    app = AuditApp(locations, new_session=(checklist, "", "", ""))
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press(*"Lan", "enter", *"Printing", "enter", "enter")
        assert isinstance(app.screen, WalkthroughScreen)
        session_id = app.screen.session.id
        await pilot.press("p", "escape")
        await home_read(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert len(app.screen_stack) == 1
        assert "1/4" in str(app.screen.query_one("#home-sessions", DataTable).get_row_at(0)[2])
        await pilot.press("tab", "enter")  # into it again, and back to the same home
        assert isinstance(app.screen, WalkthroughScreen)
        await pilot.press("escape")
        await home_read(pilot)
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 1
    assert saved(store, session_id).records[0].result == "pass"


async def test_home_to_the_form_and_back(locations):
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        home = app.screen
        await pilot.press("enter")
        assert isinstance(app.screen, NewSessionScreen)
        await pilot.press("escape")
        await home_read(pilot)
        assert app.screen is home


async def test_tab_on_the_form_visits_only_what_takes_keys(locations):
    """Tab stopped on the form's scrolling box, where typed keys went nowhere."""
    from textual.widgets import Button, Select

    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, NewSessionScreen)
        visited = []
        for key in ["tab"] * 8 + ["shift+tab"] * 8:
            await pilot.press(key)
            visited.append(app.focused)
        assert all(isinstance(w, Input | Select | Button) for w in visited), visited


async def test_resume_from_home_and_back(locations, store, checklist):
    writer = store.create(checklist, auditor="A", auditee="B")
    writer.answer("7.1.5-a", result="pass")
    writer.close()
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("tab", "enter")
        assert isinstance(app.screen, WalkthroughScreen)
        await pilot.press("p", "escape")
        await home_read(pilot)
        sessions = app.screen.query_one("#home-sessions", DataTable)
        assert "2/4" in str(sessions.get_row_at(0)[2])
    assert [r.result for r in saved(store, writer.session.id).records[:2]] == ["pass", "pass"]


async def test_a_session_open_elsewhere_is_refused_on_home(locations, store, checklist):
    elsewhere = store.create(checklist, auditor="A", auditee="B")
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("tab", "enter")
        await home_read(pilot)
        assert not isinstance(app.screen, WalkthroughScreen)
        assert any("open in another auditui" in str(n.message) for n in app._notifications)
    elsewhere.close()


def test_resume_of_a_session_open_elsewhere_exits_1(locations, store, checklist, capsys):
    elsewhere = store.create(checklist, auditor="A", auditee="B")
    elsewhere.answer("7.2-a", result="fail", note="kept")
    before = store.path_for(elsewhere.session.id).read_bytes()
    code = main(
        [
            "resume",
            elsewhere.session.id,
            "--sessions-dir",
            str(locations.sessions_dir),
            "--checklists-dir",
            str(locations.checklists_dir),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "open in another auditui" in err and err.count("\n") == 1
    assert store.path_for(elsewhere.session.id).read_bytes() == before
    elsewhere.close()


async def test_every_session_column_is_in_view_at_80_columns(locations, store, checklist):
    title = "Quarterly internal audit of the moulding and printing lines"
    store.create(
        checklist,
        auditor="Nguyễn Thị Mai Phương",
        auditee="โรงงานผลิตจุกไม้ก๊อก, warehouse and dispatch",
        title=title,
    ).close()
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        table = app.screen.query_one("#home-sessions", DataTable)
        assert [str(column.label) for column in table.columns.values()] == [
            "Session",
            "Started",
            "Progress",
            "Score",
            "Auditee",
            "Auditor",
        ]  # fmt: skip (the session's title, else its checklist's: "Session" says so)
        # Nothing to scroll sideways for: the auditor's column is on screen, names shortened.
        assert table.virtual_size.width <= table.scrollable_content_region.width
        widths = [column.width for column in table.columns.values()]
        assert min(widths[0], widths[4], widths[5]) >= 8  # the names: shortened, not gone
        await pilot.press("tab")
        await pilot.resize_terminal(160, 40)
        await home_read(pilot)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert list(table.columns.values())[0].width >= 40  # room enough: less is cut
        assert app.focused is table and table.cursor_row == 0


async def test_the_highlighted_row_is_shown_in_full_under_the_tables_at_80_columns(
    locations, store, checklist
):
    """At 80 columns the names in the rows are cut to a few letters: the auditor reads
    the highlighted session's title, auditee and auditor in full below the tables, and
    its id for the headless commands; user text shown literally."""
    from datetime import datetime, timedelta, timezone

    start = datetime(2026, 4, 1, 9, tzinfo=timezone(timedelta(hours=7)))
    ids = []
    for line in (1, 2):
        writer = store.create(
            checklist, auditor="Nguyễn Thị Mai Phương [b]QA[/b]",
            auditee=f"โรงงานผลิตจุกไม้ก๊อก, moulding line {line}",
            title=f"Quarterly internal audit of the moulding line {line}",
            started=start + timedelta(days=line),
        )  # fmt: skip
        ids.append(writer.session.id)
        writer.close()
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        detail = app.screen.query_one("#home-detail")
        row = [listed.id for listed in app.screen.checklists].index(checklist.id)
        await pilot.press(*["down"] * row)  # in the checklists, in focus first
        shown = str(detail.render())
        assert "Shop floor [bold] audit — shop-floor, internal-audit, version 1" in shown
        await pilot.press("tab", "down")
        shown = str(detail.render())
        assert "Quarterly internal audit of the moulding line 1" in shown
        assert "โรงงานผลิตจุกไม้ก๊อก, moulding line 1" in shown
        assert "auditor Nguyễn Thị Mai Phương [b]QA[/b]" in shown
        assert f"0/{len(checklist.items)} answered · {ids[0]}" in shown
        await pilot.press("up")
        assert "moulding line 2" in str(detail.render())


async def test_sessions_whose_titles_differ_at_the_end_stay_apart_at_80_columns(
    locations, store, checklist
):
    """Cut at the end, three internal audits all read "Internal…": a title too long for
    its column is cut in the middle, so "… Q1" and "… Q2" still show."""
    from datetime import datetime, timedelta, timezone

    start = datetime(2026, 4, 1, 9, tzinfo=timezone(timedelta(hours=7)))
    for quarter in (1, 2, 3):
        store.create(
            checklist, auditor="Nguyễn Thị Mai Phương",
            auditee="โรงงานผลิตจุกไม้ก๊อก, warehouse and dispatch",
            title=f"Internal audit of the moulding lines, Q{quarter}",
            started=start + timedelta(days=90 * quarter),
        ).close()  # fmt: skip
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        table = app.screen.query_one("#home-sessions", DataTable)
        shown = [str(table.get_row_at(row)[0].text) for row in range(table.row_count)]
        assert [cell[-2:] for cell in shown] == ["Q3", "Q2", "Q1"]  # newest first
        assert all("…" in cell for cell in shown)
        # The titles were cut to 13 columns: the start's time gives them its room.
        assert list(table.columns.values())[0].width >= 18
        started = [str(table.get_row_at(row)[1].text) for row in range(table.row_count)]
        assert started == ["2026-12-27", "2026-09-28", "2026-06-30"]
        await pilot.resize_terminal(120, 30)
        await home_read(pilot)
        assert str(table.get_row_at(0)[1].text) == "2026-12-27 09:00"  # room: the time too


async def test_sessions_whose_auditees_differ_at_the_end_stay_apart_at_80_columns(
    locations, store, checklist
):
    """Three lines audited the same day, titled by the checklist: cut at the end, every
    row read "Moulding…" and the sessions could be told apart only by the time."""
    from datetime import datetime, timedelta, timezone

    start = datetime(2026, 4, 1, 9, tzinfo=timezone(timedelta(hours=7)))
    for line in (1, 2, 3):
        store.create(
            checklist, auditor=f"Somchai Jaidee, shift {line}",
            auditee=f"Moulding line {line}", started=start + timedelta(hours=line),
        ).close()  # fmt: skip
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        table = app.screen.query_one("#home-sessions", DataTable)
        rows = [[str(cell.text) for cell in table.get_row_at(row)] for row in range(3)]
        assert [row[4][-1] for row in rows] == ["3", "2", "1"]  # auditee, newest first
        assert [row[5][-1] for row in rows] == ["3", "2", "1"]  # auditor
        assert all("…" in row[4] and row[4].startswith("Mou") for row in rows)


async def test_two_sessions_of_one_day_keep_their_times_at_80_columns(
    locations, store, checklist
):
    """A morning and an afternoon walk of one checklist, long names: at 80 columns the
    time gave its room to the titles, and both rows read the same title and day."""
    from datetime import datetime, timedelta, timezone

    start = datetime(2026, 4, 1, 9, tzinfo=timezone(timedelta(hours=7)))
    for hours in (0, 5):
        store.create(
            checklist, auditor="Nguyễn Thị Mai Phương",
            auditee="โรงงานผลิตจุกไม้ก๊อก, warehouse and dispatch",
            title="Internal audit of the moulding lines", started=start + timedelta(hours=hours),
        ).close()  # fmt: skip
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        table = app.screen.query_one("#home-sessions", DataTable)
        started = [str(table.get_row_at(row)[1].text) for row in range(table.row_count)]
        assert started == ["2026-04-01 14:00", "2026-04-01 09:00"]
        assert table.virtual_size.width <= table.scrollable_content_region.width


async def test_with_no_sessions_home_says_so_and_nothing_scrolls_sideways(
    locations, store, checklist
):
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        table = app.screen.query_one("#home-sessions", DataTable)
        assert "No sessions yet" in str(table.get_row_at(0)[0])
        assert table.virtual_size.width <= table.scrollable_content_region.width
        # Where it looked: from another folder, every audit seemed gone.
        heading = str(app.screen.query_one("#home-sessions-heading").render())
        assert heading == f"Sessions in {locations.sessions_dir}"
        await pilot.press("tab", "enter")  # nothing to resume: nothing happens
        assert app.screen is app.screen_stack[0]
        store.create(checklist, auditor="A", auditee="B").close()
        await pilot.press("r")  # reload: the session and all six columns appear
        await home_read(pilot)
        assert len(table.columns) == 6 and table.row_count == 1
        assert "newest first" in str(app.screen.query_one("#home-sessions-heading").render())
        assert table.virtual_size.width <= table.scrollable_content_region.width


async def test_home_reads_the_sessions_again_after_a_screen_not_after_a_dialog(
    locations, store, checklist, home_loads
):
    from auditui.tui.screens.home import HomeScreen

    store.create(checklist, auditor="A", auditee="B").close()
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        assert home_loads == ["home"]
        await pilot.press("question_mark")
        await home_read(pilot)
        await pilot.press("escape")  # help closed: nothing on disk changed
        await home_read(pilot)
        assert isinstance(app.screen, HomeScreen) and home_loads == ["home"]
        await pilot.press("tab", "enter")  # a session marked, and back
        assert isinstance(app.screen, WalkthroughScreen)
        await pilot.press("p", "escape")
        await home_read(pilot)
        assert isinstance(app.screen, HomeScreen) and home_loads == ["home", "home"]
        table = app.screen.query_one("#home-sessions", DataTable)
        assert "1/4" in str(table.get_row_at(0)[2])


async def test_resumed_from_the_palette_and_back_home_shows_the_progress(
    locations, store, checklist
):
    store.create(checklist, auditor="A", auditee="B").close()
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        await pilot.press(*"Resume")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.5)
        assert isinstance(app.screen, WalkthroughScreen)
        await pilot.press("p", "escape")
        await home_read(pilot)
        table = app.screen.query_one("#home-sessions", DataTable)
        assert "1/4" in str(table.get_row_at(0)[2])


async def test_home_names_a_checklist_file_left_out_for_its_id(locations, store, checklist):
    from auditui.tui.screens.home import HomeScreen

    copy = locations.checklists_dir / "shop-floor-old.toml"
    copy.write_text(
        (locations.checklists_dir / "shop-floor.toml")
        .read_text(encoding="utf-8")
        .replace('title = "Shop floor [bold] audit"', 'title = "An old copy"'),
        encoding="utf-8",
    )
    app = AuditApp(locations)
    async with app.run_test(size=(100, 30)) as pilot:
        await home_read(pilot)
        assert isinstance(app.screen, HomeScreen)
        note = str(app.screen.query_one("#home-problems").render())
        assert "left out" in note and "shop-floor-old.toml" in note
        used = [c for c in app.screen.checklists if c.id == "shop-floor"]
        assert [c.path.name for c in used] == ["shop-floor.toml"]  # named after its id


async def test_home_counts_findings_as_the_register_does(locations, store, checklist):
    # A session dated years ahead (a laptop with a wrong clock) is listed on home, but its
    # failed item is no finding yet, as `auditui findings` says.
    from datetime import datetime, timedelta

    future = store.create(
        checklist,
        auditor="A",
        auditee="B",
        started=datetime.now().astimezone() + timedelta(days=3650),
    )
    future.answer(future.session.records[0].item_id, result="fail")
    future.close()
    now = store.create(checklist, auditor="A", auditee="B")
    now.answer(now.session.records[1].item_id, result="fail")
    now.close()
    app = AuditApp(locations)
    async with app.run_test(size=(100, 30)) as pilot:
        await home_read(pilot)
        line = str(app.screen.query_one("#home-findings").render())
        assert "Findings: 1 open" in line
        assert len(app.screen.sessions) == 2


async def test_a_long_history_comes_in_whole_after_the_newest(
    locations, store, checklist, monkeypatch
):
    # The newest sessions are put on screen first and the rest a moment later: in the
    # end every session is listed once, newest first, and the oldest can be resumed.
    from auditui.tui.screens import home

    monkeypatch.setattr(home, "FIRST_ROWS", 2)
    made = a_day_apart(store, checklist)
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        table = app.screen.query_one("#home-sessions", DataTable)
        assert [str(key.value) for key in table.rows] == made[::-1]
        assert table.cursor_row == 0
        await pilot.press("tab", "ctrl+end", "enter")
        assert isinstance(app.screen, WalkthroughScreen)
        assert app.screen.session.id == made[0]


async def test_a_history_the_index_does_not_know_shows_its_newest_first(
    locations, store, checklist, monkeypatch
):
    # A new laptop, a cleared cache, a sync that brought a team's history: the newest
    # sessions are listed (and say the rest is being read) before every file is read.
    from auditui import filecache
    from auditui.tui import home_data
    from auditui.tui.screens import home

    monkeypatch.setattr(filecache, "MIN_AGE_NS", -(10**12))  # files however fresh
    monkeypatch.setattr(home_data, "GLIMPSE_MOST", 2)
    monkeypatch.setattr(home_data, "GLIMPSE_UNKNOWN", 2)
    # The first look's time budget (0.2 s) is a laptop's; a test machine running two
    # suites at once ran out of it before reading one file, and the first look was empty.
    monkeypatch.setattr(home_data, "GLIMPSE_S", 30.0)
    made = a_day_apart(store, checklist)
    seen: list[tuple[list[str], str]] = []
    whole = home.read_sessions

    def read_sessions(store):  # what is on screen when the whole list is read
        table = app.screen.query_one("#home-sessions", DataTable)
        line = str(app.screen.query_one("#home-findings").render())
        listed = [str(key.value) for key in table.rows if key.value in made]
        seen.append((listed, line))
        return whole(store)

    monkeypatch.setattr(home, "read_sessions", read_sessions)
    app = AuditApp(locations)
    async with app.run_test(size=(100, 30)) as pilot:
        await home_read(pilot)
        assert seen[0][0] == [made[4], made[3]]
        assert "Reading sessions… the newest 2 of 5" in seen[0][1]
        table = app.screen.query_one("#home-sessions", DataTable)
        assert [str(key.value) for key in table.rows] == made[::-1]
        assert "Reading" not in str(app.screen.query_one("#home-findings").render())
        await pilot.press("tab", "ctrl+end", "r")  # read again: the list stays meanwhile
        await home_read(pilot)
        assert seen[1][0] == made[::-1]
        assert table.cursor_row == 4
    # Known to the index, a history this short comes whole at once; a longer one shows
    # its newest first all the same, without a word about the short wait.
    seen.clear()
    app = AuditApp(locations)
    async with app.run_test(size=(100, 30)) as pilot:
        await home_read(pilot)
    assert seen == [([], "")]
    monkeypatch.setattr(home_data, "GLIMPSE_FROM", 5)
    seen.clear()
    app = AuditApp(locations)
    async with app.run_test(size=(100, 30)) as pilot:
        await home_read(pilot)
        assert seen[0][0] == [made[4], made[3]] and "Reading" not in seen[0][1]
        assert len(app.screen.query_one("#home-sessions", DataTable).rows) == 5


async def test_a_history_longer_than_home_lists_is_still_counted_whole(
    locations, store, checklist, monkeypatch
):
    # Home lists the newest sessions and says how many it leaves out; a finding raised in
    # one of those left out is counted all the same, as `auditui findings` counts it.
    from auditui.tui import home_data

    monkeypatch.setattr(home_data, "HOME_MOST", 3)
    made = a_day_apart(store, checklist, first_fails=True)
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        table = app.screen.query_one("#home-sessions", DataTable)
        assert [str(key.value) for key in table.rows] == made[:1:-1]
        heading = str(app.screen.query_one("#home-sessions-heading").render())
        assert "the newest 3 of 5" in heading
        assert "Findings: 1 open" in str(app.screen.query_one("#home-findings").render())
        await pilot.press("tab", "end")  # the last row, as ctrl+end; home: the first
        assert table.cursor_row == 2
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.press("end", "enter")  # the oldest listed opens
        assert app.screen.session.id == made[2]


def a_day_apart(store, checklist, *, first_fails: bool = False) -> list[str]:
    """Five sessions started a day apart, oldest first (their ids): the first item of the
    oldest failed when `first_fails`, the others' first item not applicable."""
    from datetime import datetime, timedelta

    start = datetime(2026, 1, 5, 9, 0).astimezone()
    made = []
    for number in range(5):
        opened = store.create(
            checklist, auditor="A", auditee=f"line {number}", started=start + timedelta(days=number)
        )
        if first_fails:
            item = opened.session.records[0].item_id
            opened.answer(item, result="fail" if number == 0 else "na")
        made.append(opened.session.id)
        opened.close()
    return made


async def test_home_says_how_to_see_every_file_left_out_not_only_the_first(locations, store):
    """Only the first of several broken files was named, and nothing on the screen leads a
    keyboard user to the others."""
    from auditui.tui.screens.home import HomeScreen

    for name in ("bad.toml", "bad2.toml", "broken-1.toml"):
        (locations.checklists_dir / name).write_text("not = [toml", encoding="utf-8")
    app = AuditApp(locations)
    async with app.run_test(size=(100, 30)) as pilot:
        await home_read(pilot)
        assert isinstance(app.screen, HomeScreen)
        note = str(app.screen.query_one("#home-problems").render())
        assert "3 files to look at" in note
        assert "and 2 more" in note and "auditui validate" in note


async def test_with_no_sessions_the_session_keys_say_there_are_none(locations, store):
    """x and delete said "Highlight a session first (tab to the sessions)" with no session
    to highlight."""
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("tab")
        for key in ("x", "delete"):
            await pilot.press(key)
            await pilot.pause()
            messages = [str(n.message) for n in app._notifications]
            assert messages == ["No sessions yet: start one from a checklist above."], key


async def test_a_resized_terminal_keeps_the_highlighted_row_so_enter_opens_it(
    locations, store, checklist
):
    """Resizing made the columns again and put the cursor on the first row: enter then
    opened another session (and marks went into it), or started another checklist."""
    titles = ["Stores audit", "Moulding audit with a much longer title for the column"]
    for title in titles:
        store.create(checklist, auditor="Mai", auditee="B", title=title).close()
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("tab", "down")
        table = app.screen.query_one("#home-sessions", DataTable)
        assert table.cursor_row == 1
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert table.cursor_row == 1
        await pilot.press("enter")
        assert isinstance(app.screen, WalkthroughScreen)
        assert app.screen.session.title == "Stores audit"  # newest first: the second row


async def test_the_form_scrolls_to_start_on_a_small_terminal(locations, store, checklist):
    """At 60x20 the Start button and the hint were below the screen, the form not
    scrolling, and the scope's summary was squeezed to two cells a line."""
    from textual.widgets import Button

    earlier = store.create(checklist, auditor="Mai", auditee="Stores")
    earlier.answer("7.1.5-a", result="fail")  # "Only sections failed last time" is offered
    earlier.close()
    app = AuditApp(locations, new_session=(checklist, "Mai", "", ""))
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_until(pilot, lambda: app.screen.query_one("#scope-failed").display)
        start = app.screen.query_one("#start", Button)
        start.focus()
        await pilot.pause()
        on_screen = app.screen.find_widget(start).region  # where it is drawn now
        assert on_screen.height == 1 and on_screen.bottom <= 20 - 1  # above the key bar
        summary = app.screen.query_one("#scope-summary")
        assert summary.size.width > 20 and summary.size.height == 1


async def test_a_reread_keeps_the_highlight_on_the_same_session(locations, store, checklist):
    """The list read again (r, a sync, back from another screen) with a newer session above
    the one highlighted: the highlight stayed on the row, now the newer session, and enter
    resumed another auditor's audit."""
    from datetime import datetime, timedelta, timezone

    zone = timezone(timedelta(hours=7))
    mine = store.create(checklist, auditor="Mai", auditee="Moulding",
                        started=datetime(2026, 3, 1, 9, tzinfo=zone))  # fmt: skip
    mine.close()
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        table = app.screen.query_one("#home-sessions", DataTable)
        table.focus()
        assert [str(key.value) for key in table.rows] == [mine.session.id]
        theirs = store.create(checklist, auditor="Anan", auditee="Moulding",
                              started=datetime(2026, 3, 2, 9, tzinfo=zone))  # fmt: skip
        theirs.close()
        await pilot.press("r")
        await home_read(pilot)
        assert [str(key.value) for key in table.rows] == [theirs.session.id, mine.session.id]
        assert table.cursor_row == 1
        await pilot.press("enter")
        await home_read(pilot)
        await pilot.press("f")
        await pilot.pause()
    assert saved(store, mine.session.id).records[0].result == "fail"
    assert saved(store, theirs.session.id).records[0].result == "unanswered"


async def test_back_home_from_a_new_session_highlights_it(locations, store, checklist):
    """Started from home, then back: the highlight stayed on the session highlighted
    before, an older one, and enter resumed that one, a finished audit of another day."""
    from datetime import datetime, timedelta, timezone

    zone = timezone(timedelta(hours=7))
    older = store.create(checklist, auditor="Mai", auditee="Moulding",
                         started=datetime(2026, 3, 1, 9, tzinfo=zone))  # fmt: skip
    older.close()
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        sessions = app.screen.query_one("#home-sessions", DataTable)
        assert sessions.cursor_row == 0
        checklists = app.screen.query_one("#home-checklists", DataTable)
        checklists.move_cursor(row=[str(key.value) for key in checklists.rows].index("shop-floor"))
        await pilot.press("enter", *"Lan", "enter", *"Printing", "enter", "enter")
        assert isinstance(app.screen, WalkthroughScreen)
        new_id = app.screen.session.id
        await pilot.press("escape")
        await home_read(pilot)
        sessions = app.screen.query_one("#home-sessions", DataTable)
        assert [str(key.value) for key in sessions.rows] == [new_id, older.session.id]
        assert sessions.cursor_row == 0
        sessions.focus()
        await pilot.press("enter")
        await home_read(pilot)
        assert isinstance(app.screen, WalkthroughScreen) and app.screen.session.id == new_id
