"""Compare, trend and open findings in the app: opened from home and the palette, at 80×24."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from textual.content import Content
from textual.widgets import DataTable, OptionList

from auditui.errors import AudituiError
from auditui.tui.app import AuditApp
from auditui.tui.screens import history as history_screen
from auditui.tui.screens.compare import CompareScreen
from auditui.tui.screens.dialogs import HelpScreen
from auditui.tui.screens.findings import FindingsScreen
from auditui.tui.screens.history import SessionPicker
from auditui.tui.screens.home import HomeScreen
from auditui.tui.screens.trend import TrendScreen
from auditui.tui.screens.walkthrough import SETTLE_S, WalkthroughScreen
from auditui.tui.widgets.item_list import ItemList

from .conftest import home_read, wait_until

TZ = timezone(timedelta(hours=7))
ITEMS = ("7.1.5-a", "7.2-a", "8.5.1-a", "8.5.2-a")


def make_session(store, checklist, started: datetime, results, notes=None, grades=None):
    """A closed session with `results` in item order (None leaves an item unanswered)."""
    writer = store.create(checklist, auditor="Somchai", auditee="Moulding", started=started)
    for item_id, result in zip(ITEMS, results, strict=True):
        if result is None:
            continue
        change = {"result": result}
        if notes and item_id in notes:
            change["note"] = notes[item_id]
        if grades and item_id in grades:
            change["grade"] = grades[item_id]
        writer.answer(item_id, **change)
    writer.close()
    return writer.session.id


def day(month: int, date: int) -> datetime:
    return datetime(2026, month, date, 9, 30, tzinfo=TZ)


async def loaded(pilot, kind=None):
    """Wait until the history screen on top has read the sessions."""
    for _ in range(200):
        screen = pilot.app.screen
        if getattr(screen, "loaded", False) and (kind is None or isinstance(screen, kind)):
            break
        await pilot.pause(0.02)
    await home_read(pilot)
    return pilot.app.screen


def rows(table: DataTable) -> list[list[str]]:
    return [[str(value) for value in table.get_row_at(i)] for i in range(table.row_count)]


def screen_text(app) -> str:
    """Everything on screen, as the SVG screenshot has it (spaces as no-break spaces)."""
    import html

    return html.unescape(app.export_screenshot()).replace("\xa0", " ")


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


def two_audits(store, checklist) -> tuple[str, str]:
    old = make_session(store, checklist, day(6, 1), ["pass", "fail", "pass", "na"])
    new = make_session(
        store,
        checklist,
        day(11, 25),
        ["fail", "pass", "na", "fail"],
        notes={"7.1.5-a": "No [bold] label [@click=app.quit]"},
        grades={"7.1.5-a": "minor"},
    )
    return old, new


# --- compare ------------------------------------------------------------------------------


async def test_compare_lists_regressions_first_with_a_summary(locations, store, checklist):
    old, new = two_audits(store, checklist)
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("tab", "c")  # the sessions table: the newest session's checklist
        screen = await loaded(pilot, CompareScreen)
        assert isinstance(screen, CompareScreen)
        assert (screen.old_id, screen.new_id) == (old, new)
        table = screen.query_one("#compare-changes", DataTable)
        assert [(row[0], row[1], row[2]) for row in rows(table)] == [
            ("REGRESSED", "7.1.5-a", "pass → fail"),
            ("new failure", "8.5.2-a", "n/a → fail"),
            ("improved", "7.2-a", "fail → pass"),
            ("changed", "8.5.1-a", "pass → n/a"),
        ]
        summary = text_of(screen, "#compare-summary")
        assert "1 regressed · 1 new failure · 1 improved · 1 other change · 0 unchanged" in (
            " ".join(summary.split())
        )
        assert "66.7% → 33.3% (-33.3 points)" in summary
        sections = rows(screen.query_one("#compare-sections", DataTable))
        assert [row[0] for row in sections] == ["7", "8"]
        assert sections[0][2:4] == ["50.0%", "50.0%"]
        assert sections[1][2:4] == ["100.0%", "0.0%"]
        # The regression's note is shown literally, markup and all.
        detail = text_of(screen, "#compare-detail")
        assert "No [bold] label [@click=app.quit]" in detail
        assert "minor nonconformity" in detail
        assert "REGRESSED: pass → fail" in detail
        await pilot.press("down")  # the detail calls a change what the list calls it
        assert "new failure: n/a → fail" in text_of(screen, "#compare-detail")
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_compare_shows_both_notes_of_a_change_whole_at_80x24(
    locations, store, checklist
):
    """The detail of a regression holds the note of each audit, each a sentence or two:
    at 80×24 the detail had four lines, and the earlier note (why the item passed then,
    what the auditor saw) was cut off."""
    make_session(
        store, checklist, day(6, 1), ["pass", None, None, None],
        notes={"7.1.5-a": "Torque gauge at station 4 calibrated on 2026-05-20, label on "
               "the gauge and the record in the calibration register"},
    )  # fmt: skip
    make_session(
        store, checklist, day(11, 25), ["fail", None, None, None],
        notes={"7.1.5-a": "Torque gauge at station 4 overdue for calibration since "
               "2026-11-20; the label was ordered but never put on"},
        grades={"7.1.5-a": "major"},
    )  # fmt: skip
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("tab", "c")
        await loaded(pilot, CompareScreen)
        await pilot.pause()
        shown = " ".join(screen_text(app).split())
        assert "REGRESSED: pass → fail" in shown
        assert "never put on" in shown  # the end of the note now
        assert "before:" in shown and "calibration register" in shown  # and of the one before


async def test_compare_opens_on_the_latest_two_audits_that_answered_something(
    locations, store, checklist
):
    """A session started and left at once (trying the app) became "new": compare showed
    every answer of the last audit as changed to unanswered."""
    old, new = two_audits(store, checklist)
    store.create(checklist, auditor="Lan", auditee="Tried it", started=day(12, 1)).close()
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await compare_from_home(pilot)
        assert (screen.old_id, screen.new_id) == (old, new)


async def compare_from_home(pilot) -> CompareScreen:
    """`c` on home's sessions: the compare screen of the newest session's checklist."""
    await home_read(pilot)
    await pilot.press("tab", "c")
    screen = await loaded(pilot, CompareScreen)
    assert isinstance(screen, CompareScreen)
    return screen


async def test_compare_filters(locations, store, checklist):
    two_audits(store, checklist)
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("tab", "c")
        screen = await loaded(pilot, CompareScreen)
        table = screen.query_one("#compare-changes", DataTable)
        expected = {"r": "7.1.5-a", "f": "8.5.2-a", "i": "7.2-a", "c": "8.5.1-a"}
        for key, item_id in expected.items():
            await pilot.press(key)
            assert [row[1] for row in rows(table)] == [item_id], key
        assert "1 of 4" in text_of(screen, "#compare-filter")
        await pilot.press("a")
        assert table.row_count == 4
        await pilot.press("v")
        assert app.screen.query_one(OptionList)
        await pilot.press("i")
        assert [row[1] for row in rows(table)] == ["7.2-a"]
        assert "improvements" in text_of(screen, "#compare-filter")


async def test_compare_summary_list_and_menu_give_one_number_per_group(locations, store, checklist):
    # 8.5.2-a (n/a -> fail) is both a `changed` result and a new failure: the summary once
    # counted it as changed while the list put it under new failures.
    two_audits(store, checklist)
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("tab", "c")
        screen = await loaded(pilot, CompareScreen)
        table = screen.query_one("#compare-changes", DataTable)
        summary = " ".join(text_of(screen, "#compare-summary").split())
        await pilot.press("v")
        menu = [str(option.prompt) for option in app.screen.query_one(OptionList).options]
        await pilot.press("escape")
        words = {"r": "regressed", "f": "new failure", "i": "improved", "c": "other change"}
        for key, word in words.items():
            await pilot.press(key)
            shown = table.row_count
            assert f"{shown} {word}" in summary, (word, summary)
            assert any(line.startswith(key) and f"({shown})" in line for line in menu), menu
        assert "all changes (4)" in " ".join(menu)


async def test_compare_with_nothing_in_a_filter_says_so(locations, store, checklist):
    make_session(store, checklist, day(6, 1), ["pass"] * 4)
    make_session(store, checklist, day(11, 25), ["pass", "pass", "pass", "fail"])
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("tab", "c")
        screen = await loaded(pilot, CompareScreen)
        await pilot.press("i")
        table = screen.query_one("#compare-changes", DataTable)
        # In the wide column, where it is not cut off (the first is 11 cells).
        assert [row[3] for row in rows(table)] == ["No improvements."]


async def test_pick_the_old_and_the_new_session(locations, store, checklist):
    first = make_session(store, checklist, day(3, 1), ["fail"] * 4)
    second = make_session(store, checklist, day(6, 1), ["pass"] * 4)
    third = make_session(store, checklist, day(11, 25), ["pass", "pass", "fail", "fail"])
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await compare_from_home(pilot)
        assert (screen.old_id, screen.new_id) == (second, third)
        await pilot.press("o")
        assert isinstance(app.screen, SessionPicker)
        await pilot.press("end", "enter")  # newest first: the oldest is last
        assert app.screen is screen
        assert (screen.old_id, screen.new_id) == (first, third)
        changes = rows(screen.query_one("#compare-changes", DataTable))
        assert [row[0] for row in changes] == ["improved", "improved"]
        await pilot.press("w", "down", "enter")  # the list starts on the current NEW
        assert (screen.old_id, screen.new_id) == (first, second)
        # An OLD later than NEW swaps them: OLD is always the earlier one.
        await pilot.press("o", "home", "enter")
        assert (screen.old_id, screen.new_id) == (second, third)
        await pilot.press("o", "escape")
        assert (screen.old_id, screen.new_id) == (second, third)
        # NEW chosen as OLD too: nothing to compare, so refused, said, and left as it was.
        await pilot.press("o", "home", "enter")
        assert (screen.old_id, screen.new_id) == (second, third)
        assert any("That session is NEW already" in str(n.message) for n in app._notifications)


async def test_compare_needs_two_sessions(locations, store, checklist):
    make_session(store, checklist, day(6, 1), ["pass"] * 4)
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("tab", "c")
        await home_read(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert any("comparing needs two" in str(n.message) for n in app._notifications)


async def test_compare_from_the_checklists_table(locations, store, checklist):
    two_audits(store, checklist)
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        table = app.screen.query_one("#home-checklists", DataTable)
        table.move_cursor(row=[str(key.value) for key in table.rows].index("shop-floor"))
        await pilot.press("c")
        screen = await loaded(pilot, CompareScreen)
        assert screen.checklist_id == "shop-floor"
        await pilot.press("escape")
        # A shipped checklist without sessions: nothing to compare, no trend.
        table.move_cursor(row=[str(key.value) for key in table.rows].index("iso9001-gap-analysis"))
        await pilot.press("c", "t")
        await home_read(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert any("no sessions yet" in str(n.message) for n in app._notifications)


# --- trend --------------------------------------------------------------------------------


async def test_trend_with_a_broken_findings_file_names_it_and_shows_the_trend(
    locations, store, checklist
):
    """One findings file that cannot be read: the trend screen showed only "cannot read
    the sessions: AttributeError(…)" (`auditui trend` coped)."""
    first = make_session(store, checklist, day(3, 1), ["fail", "fail", "pass", "pass"])
    second = make_session(store, checklist, day(6, 1), ["pass", "fail", "pass", "pass"])
    broken = store.folder / "findings" / "x+7.2-a.toml"
    broken.parent.mkdir(exist_ok=True)
    broken.write_text("[finding\n", encoding="utf-8")
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("tab", "t")
        screen = await loaded(pilot, TrendScreen)
        scores = screen.query_one("#trend-scores", DataTable)
        assert [str(key.value) for key in scores.rows] == [first, second]


async def test_trend_shows_every_session_oldest_first(locations, store, checklist):
    first = make_session(store, checklist, day(3, 1), ["fail", "fail", "pass", "pass"])
    second = make_session(store, checklist, day(6, 1), ["pass", "fail", "pass", "pass"])
    third = make_session(store, checklist, day(11, 25), ["pass", "pass", "pass", "pass"])
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("tab", "t")
        screen = await loaded(pilot, TrendScreen)
        scores = screen.query_one("#trend-scores", DataTable)
        assert [str(key.value) for key in scores.rows] == [first, second, third]
        table = rows(scores)
        assert [row[0] for row in table] == [
            "2026-03-01 09:30",
            "2026-06-01 09:30",
            "2026-11-25 09:30",
        ]
        assert [row[1] for row in table] == ["50.0%", "75.0%", "100.0%"]
        bars = [row[2].rstrip() for row in table]
        assert all(set(bar) <= set("█▏▎▍▌▋▊▉") for bar in bars)
        assert len(bars[0]) < len(bars[1]) < len(bars[2])
        # Findings open after each session, as `auditui trend` counts them.
        assert [row[4] for row in table] == ["2", "1", "0"]
        sections = rows(screen.query_one("#trend-sections", DataTable))
        assert [(row[0], row[2], row[3]) for row in sections] == [
            ("7", "▁▅█", "100.0%"),
            ("8", "███", "100.0%"),
        ]
        assert "3 sessions, 2026-03-01 to 2026-11-25" in text_of(screen, "#trend-span")
        # enter compares the highlighted session (the latest) with the one before it.
        await pilot.press("enter")
        compare = await loaded(pilot, CompareScreen)
        assert (compare.old_id, compare.new_id) == (second, third)
        await pilot.press("escape")  # back to the trend it was opened from
        assert app.screen is screen
        await pilot.press("up", "c")
        compare = await loaded(pilot, CompareScreen)
        assert (compare.old_id, compare.new_id) == (first, second)
        await pilot.press("escape", "up", "enter")  # the first session: nothing before it
        assert app.screen is screen
        assert any("nothing before it" in str(n.message) for n in app._notifications)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


# --- findings -----------------------------------------------------------------------------


async def test_open_findings_with_streaks_and_literal_notes(locations, store, checklist):
    note = "Gauge G-7 [bold] overdue [@click=app.quit]"
    first = make_session(store, checklist, day(3, 1), ["fail", "pass", "pass", "pass"])
    make_session(store, checklist, day(6, 1), ["fail", "pass", "fail", "pass"])
    latest = make_session(
        store,
        checklist,
        day(11, 25),
        ["fail", "fail", "pass", "pass"],
        notes={"7.1.5-a": note},
        grades={"7.1.5-a": "major"},
    )
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("o")
        screen = await loaded(pilot, FindingsScreen)
        # 8.5.1-a failed in June and passed in November: closed, not listed.
        assert [(f.id, f.streak) for f in screen.entries] == [
            (f"{first}/7.1.5-a", 3),
            (f"{latest}/7.2-a", 1),
        ]
        options = screen.query_one(OptionList)
        texts = [options.get_option_at_index(i).prompt.plain for i in range(options.option_count)]
        assert texts[0].startswith(f"MAJOR  {first}/7.1.5-a  open, ")
        assert "failed in 3 sessions in a row" in texts[0]
        assert f"note: {note}" in texts[0]
        prompt = "Do operators at printing know the acceptance criteria? [@click=app.quit]"
        assert prompt in texts[1]
        assert "2 open findings · 1 major" in text_of(screen, "#findings-summary")
        # The first finding is highlighted; enter opens the session that last failed it.
        assert options.highlighted == 0
        await pilot.press("down", "enter")
        await home_read(pilot)
        walk = app.screen
        assert isinstance(walk, WalkthroughScreen)
        assert walk.session.id == latest
        assert walk.query_one(ItemList).current_record == 1  # 7.2-a
        await pilot.press("p")  # passed (asked: it was a fail), back: read again
        await pilot.pause(SETTLE_S)
        await pilot.press("y", "escape")
        assert app.screen is screen
        await wait_until(pilot, lambda: len(screen.entries) == 1)
        assert [f.item_id for f in screen.entries] == ["7.1.5-a"]
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_findings_without_sessions(locations):
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("o")
        screen = await loaded(pilot, FindingsScreen)
        assert "No sessions yet" in text_of(screen, "#findings-summary")
        await pilot.press("enter", "escape")
        assert isinstance(app.screen, HomeScreen)


# --- loading, errors, help, palette -------------------------------------------------------


async def test_loading_then_unreadable_files_are_reported(locations, store, checklist, monkeypatch):
    two_audits(store, checklist)
    (locations.sessions_dir / "broken.toml").write_text("this is [not toml", encoding="utf-8")
    gate = threading.Event()
    real = history_screen.read_history

    def slow(folder):
        gate.wait(5)
        return real(folder)

    monkeypatch.setattr(history_screen, "read_history", slow)
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("o")
        await home_read(pilot)
        assert "loading…" in text_of(app.screen, "#history-status")
        gate.set()
        screen = await loaded(pilot, FindingsScreen)
        assert not screen.query_one("#history-status").display
        problems = screen.query_one("#history-problems")
        assert problems.display
        assert "1 session file to look at" in str(problems.render())
        assert "broken.toml" in str(problems.render())
        assert len(screen.entries) == 2  # the readable sessions still count


async def test_a_folder_that_cannot_be_read_is_a_message(locations, store, checklist, monkeypatch):
    two_audits(store, checklist)

    def fails(folder):
        raise AudituiError("cannot list the sessions: Permission denied", path=folder)

    monkeypatch.setattr(history_screen, "read_history", fails)
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("tab", "c")
        status = "#history-status"
        await wait_until(pilot, lambda: "Permission denied" in text_of(app.screen, status))
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert "Permission denied" in text_of(screen, "#history-status")
        await pilot.press("r", "o", "v")  # nothing to act on: no crash
        assert app.screen is screen
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_help_on_each_screen(locations, store, checklist):
    two_audits(store, checklist)
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = [key for key, _ in app.screen.keys]
        assert {"c", "t", "o"} <= set(keys)
        await pilot.press("escape")
        for key, kind in (("c", CompareScreen), ("t", TrendScreen), ("o", FindingsScreen)):
            await pilot.press("tab" if key == "c" else "escape")
            await pilot.press(key)
            await loaded(pilot, kind)
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen), key
            await pilot.press("escape")
            assert isinstance(app.screen, kind)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_palette_commands(locations, store, checklist):
    two_audits(store, checklist)
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        commands = {
            Content.from_markup(command.title).plain: command
            for command in app.get_system_commands(app.screen)
        }
        compare = commands["Compare the latest two sessions of Shop floor [bold] audit"]
        assert "Trend of Shop floor [bold] audit" in commands
        resume = [command for title, command in commands.items() if title.startswith("Resume:")]
        assert len(resume) == 2
        assert all("4/4 answered" in Content.from_markup(c.help).plain for c in resume)
        assert "Open findings" in commands
        assert "Report of the highlighted session" in commands  # not only the x key
        compare.callback()
        screen = await loaded(pilot, CompareScreen)
        assert screen.checklist_id == "shop-floor"
        # From a history view the others are there too, and replace it.
        commands = {
            Content.from_markup(command.title).plain: command
            for command in app.get_system_commands(app.screen)
        }
        commands["Trend of Shop floor [bold] audit"].callback()
        await loaded(pilot, TrendScreen)
        commands["Open findings"].callback()
        await loaded(pilot, FindingsScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_the_palette_shows_the_commands(locations, store, checklist):
    two_audits(store, checklist)
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("ctrl+p", *"open findings")
        await pilot.pause(0.3)
        await pilot.press("enter")
        screen = await loaded(pilot, FindingsScreen)
        assert isinstance(screen, FindingsScreen)
        # Textual's key panel (esc does not close it), maximize and screenshot are not
        # offered; its theme and quit are.
        titles = {Content.from_markup(c.title).plain for c in app.get_system_commands(screen)}
        assert {"Theme", "Quit"} <= titles
        assert not titles & {"Keys", "Maximize", "Minimize", "Screenshot"}


# --- a picture ------------------------------------------------------------------------------


def test_compare_at_80x24(snap_compare, locations, store, checklist):
    two_audits(store, checklist)
    app = AuditApp(locations)

    async def open_compare(pilot) -> None:
        await home_read(pilot)
        await pilot.press("tab", "c")
        await loaded(pilot, CompareScreen)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_compare)


def test_the_palette_counts_a_merged_audit_once_as_the_trend_does(store, checklist):
    """The palette offered "the score of its 3 session(s)" where the trend it opens shows
    2: the parts of a merged audit were counted besides their merge."""
    from auditui.session_merge import merge_sessions
    from auditui.timeutil import now
    from auditui.tui.palette import audit_counts

    start = datetime(2026, 11, 1, 9, 0, tzinfo=timezone(timedelta(hours=7)))
    parts = [
        make_session(store, checklist, start + timedelta(minutes=n), ["pass"] * len(ITEMS))
        for n in (0, 5)
    ]
    sessions = [store.load(session_id) for session_id in parts]
    store.add(
        lambda new_id: merge_sessions(sessions, new_id=new_id, updated=now()),
        checklist.id,
        start,
    )
    make_session(store, checklist, start + timedelta(days=30), ["fail"] * len(ITEMS))
    digests = [digest for _, digest in store.digests()]
    assert len(digests) == 4
    assert audit_counts(digests) == {checklist.id: 2}
    assert audit_counts(store.iter_sessions()) == {checklist.id: 2}


async def test_home_marks_the_parts_of_a_merged_audit(locations, store, checklist):
    """Two auditors' parts of one audit looked alike on home at 80 columns, and nothing
    said they count as the merged session."""
    from auditui.session_merge import merge_sessions
    from auditui.timeutil import now

    start = datetime(2026, 11, 1, 9, 0, tzinfo=timezone(timedelta(hours=7)))
    parts = [
        make_session(store, checklist, start + timedelta(minutes=n), ["pass"] * len(ITEMS))
        for n in (0, 5)
    ]
    sessions = [store.load(session_id) for session_id in parts]
    merged = store.add(
        lambda new_id: merge_sessions(sessions, new_id=new_id, updated=now()),
        checklist.id,
        start,
    )
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        table = app.screen.query_one("#home-sessions", DataTable)
        progress = {key.value: str(table.get_row(key)[2]) for key in table.rows}
    assert progress[parts[0]].endswith(" merged") and progress[parts[1]].endswith(" merged")
    assert not progress[merged.id].endswith(" merged")


async def test_compare_says_how_many_items_were_out_of_scope(locations, store, checklist):
    """The command said "· 2 out of scope"; the screen left it out, so the items missing
    from the comparison were not explained."""
    start = datetime(2026, 11, 1, 9, 0, tzinfo=timezone(timedelta(hours=7)))
    make_session(store, checklist, start, ["pass"] * len(ITEMS))
    scoped = store.create(checklist, auditor="Anan", auditee="Moulding",
                          started=start + timedelta(days=7), scope=["8"])  # fmt: skip
    scoped.answer("8.5.1-a", result="fail")
    scoped.close()
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("tab", "c")
        screen = await loaded(pilot, CompareScreen)
        summary = " ".join(text_of(screen, "#compare-summary").split())
    assert "· 2 out of scope" in summary
