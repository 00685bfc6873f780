"""Every key acts on the item the walkthrough shows as current, whatever view, find or
section jump came before: checked on the session file, not on the screen alone."""

from __future__ import annotations

from auditui.checklist import load_checklist
from auditui.tui.app import AuditApp
from auditui.tui.screens.walkthrough import SETTLE_S
from auditui.tui.widgets.item_list import ItemList

from .conftest import saved

WAREHOUSE = """\
[checklist]
id = "warehouse"
title = "Warehouse"
kind = "internal-audit"
version = "1"

[[sections]]
id = "5"
title = "Leadership"

[[sections.items]]
id = "5.1-a"
prompt = "Does top management show commitment?"

[[sections]]
id = "7"
title = "Support"

[[sections.items]]
id = "7.1-a"
prompt = "Is the forklift inspected before each shift?"
guidance = "Look at the nút chai log."

[[sections.items]]
id = "7.1-b"
prompt = "Are racks labelled?"
evidence = ["Rack inspection sheet"]

[[sections]]
id = "8"
title = "Shipping and dispatch"

[[sections.items]]
id = "8.5-a"
prompt = "Is each shipped pallet wrapped and labelled?"

[[sections.items]]
id = "8.5-b"
prompt = "Are dispatch notes signed?"
"""


def open_app(locations, store, checklist):
    writer = store.create(checklist, auditor="Somchai", auditee="Moulding")
    return AuditApp(locations, writer=writer), writer.session.id


def shown_item(app) -> str:
    """The id of the item the screen shows as current (the detail pane's prompt)."""
    items = app.screen.query_one(ItemList)
    record = app.screen.session.records[items.current_record]
    prompt = str(app.screen.query_one("#detail-prompt").render())
    assert record.prompt.split()[0] in prompt  # the detail shows the list's current item
    return record.item_id


async def test_leaving_a_view_keeps_the_current_item_and_the_next_mark_lands_on_it(
    locations, store, checklist
):
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        # Items 1, 2 and 3 fail; the view of failed items; up one: 8.5.1-a is current.
        await pilot.press("p", "f", "j", "f", "j", "f")
        await pilot.press("v", "f", "k")
        assert shown_item(app) == "8.5.1-a"
        await pilot.press("escape")  # back to all items: the same item stays current
        assert shown_item(app) == "8.5.1-a"
        await pilot.press("p")  # a fail passed: asked first
        await pilot.pause(SETTLE_S)
        await pilot.press("y")
        results = [record.result for record in saved(store, session_id).records]
        assert results == ["pass", "fail", "pass", "fail"]


async def test_a_view_that_hides_the_current_item_moves_to_the_nearest_shown_one(
    locations, store, checklist
):
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "f", "j", "j", "f", "home")  # 7.2-a and 8.5.2-a fail
        assert shown_item(app) == "7.1.5-a"
        await pilot.press("v", "f")  # 7.1.5-a is not shown: the nearest failed one is
        assert shown_item(app) == "7.2-a"
        await pilot.press("3")  # an observation on the item shown
        await pilot.press("end", "v", "a")  # the last item, then every item again
        assert shown_item(app) == "8.5.2-a"
        await pilot.press("1")
    records = saved(store, session_id).records
    assert [(r.item_id, r.grade) for r in records if r.grade] == [
        ("7.2-a", "observation"),
        ("8.5.2-a", "major"),
    ]


async def test_a_section_jump_ranks_word_starts_first(locations, store, tmp_path):
    path = tmp_path / "warehouse.toml"
    path.write_text(WAREHOUSE, encoding="utf-8")
    app, session_id = open_app(locations, store, load_checklist(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", *"ship", "enter")  # "Leadership" comes first in the file
        assert shown_item(app) == "8.5-a"
        await pilot.press("f")
        await pilot.press("s", *"7", "enter")  # an id before a title that holds a 7
        assert shown_item(app) == "7.1-a"
    records = {r.item_id: r.result for r in saved(store, session_id).records}
    assert records["8.5-a"] == "fail" and records["5.1-a"] == "unanswered"


async def test_find_folds_accents_searches_guidance_and_says_how_many(
    locations, store, tmp_path
):
    path = tmp_path / "warehouse.toml"
    path.write_text(WAREHOUSE, encoding="utf-8")
    app, session_id = open_app(locations, store, load_checklist(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("/", *"NUT CHAI")  # guidance: "nút chai"
        count = str(app.screen.query_one(".pick-count").render())
        assert "1 item matches" in count
        await pilot.press("enter", "n")
        await pilot.press("/", *"inspection sheet")  # evidence
        await pilot.press("enter", "p")
        await pilot.press("/", *"nothing like this")
        assert "No item matches" in str(app.screen.query_one(".pick-count").render())
        await pilot.press("escape")
    records = {r.item_id: r.result for r in saved(store, session_id).records}
    assert records["7.1-a"] == "na" and records["7.1-b"] == "pass"


async def test_f_stays_on_the_failed_item_so_its_grade_and_note_land_there(
    locations, store, checklist
):
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "2", "e", *"no label", "ctrl+s")
        assert shown_item(app) == "7.1.5-a"
        await pilot.press("j", "p")
    first, second = saved(store, session_id).records[:2]
    assert (first.result, first.grade, first.note) == ("fail", "minor", "no label")
    assert (second.result, second.grade, second.note) == ("pass", None, "")


async def test_a_grade_that_does_not_fit_says_which_grades_do(locations, store, checklist):
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")  # on an unanswered item
        await pilot.pause()
        said = [str(n.message) for n in app._notifications]
        await pilot.press("P", "1")  # a major nonconformity on a pass
        await pilot.pause()
        said += [str(n.message) for n in app._notifications]  # in place of the first
    assert said == [
        "An opportunity for improvement goes with pass or fail: mark the item first.",
        "A major nonconformity goes with fail; with pass: 3 observation, "
        "4 opportunity for improvement.",
    ]
    assert saved(store, session_id).records[0].grade is None


async def test_undo_after_a_resume_says_it_does_not_reach_back_and_changes_nothing(
    locations, store, checklist
):
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "p")
    app = AuditApp(locations, writer=store.open(session_id))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("u")
        messages = [str(n.message) for n in app._notifications]
        assert any("since the session was opened here" in m for m in messages), messages
    assert [r.result for r in saved(store, session_id).records[:2]] == ["pass", "pass"]


async def test_the_details_can_be_edited_after_the_start(locations, store, checklist):
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        await pilot.press("enter", "ctrl+a", "ctrl+k", *"Packing", "enter", *"Q4 [x]", "enter")
        assert "Packing" in str(app.screen.query_one("#walk-bar").render())
        await pilot.press("p")
    session = saved(store, session_id)
    assert (session.auditor, session.auditee, session.title) == ("Somchai", "Packing", "Q4 [x]")
    assert session.records[0].result == "pass"  # the mark went to the item, not the form


async def test_typing_in_the_details_goes_on_from_the_name_not_over_it(
    locations, store, checklist
):
    """`d` opened with the auditor's name selected: " (lead auditor)" typed to add to it
    replaced it."""
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        await pilot.press(*" (lead)", "ctrl+s")
        await pilot.pause()
    assert saved(store, session_id).auditor == "Somchai (lead)"


async def test_undo_after_a_details_change_says_so_before_undoing_the_mark_before(
    locations, store, checklist
):
    """u right after d undid the mark made before it, "Undone: item …", the details
    change standing: not the last change, as the help says."""
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "d")
        await pilot.press("enter", "ctrl+a", "ctrl+k", *"Packing", "enter", "enter")
        await pilot.press("u")
        messages = [str(n.message) for n in app._notifications]
        assert "the session's details, is not undone by u" in messages[-1]
        assert saved(store, session_id).records[0].result == "na"
        await pilot.press("u")  # again: the change before it
    assert saved(store, session_id).records[0].result == "unanswered"
    assert saved(store, session_id).auditee == "Packing"


REPO_CHECKLISTS = __import__("pathlib").Path(__file__).resolve().parents[2] / "checklists"


def current_row_in_view(app) -> bool:
    """The list's current item is drawn inside the list's window (not scrolled away)."""
    items = app.screen.query_one(ItemList)
    top = round(items.scroll_y)
    height = items.scrollable_content_region.height
    return top <= items.cursor < top + height


async def test_find_and_section_jump_out_of_a_view_scroll_the_list_to_the_item(
    locations, store
):
    """With only failed items shown, `/` or `s` to an item far below shows every item
    again and the list scrolls to it: the item the next mark lands on is the one the
    list highlights, not only the one the details show."""
    checklist = load_checklist(REPO_CHECKLISTS / "iso9001-internal-audit.toml")
    writer = store.create(checklist, auditor="Mai", auditee="Line 2")
    session_id = writer.session.id
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f", "v", "f")
        await pilot.press("slash", *"humidity", "enter")
        await pilot.pause()
        found = shown_item(app)
        assert found.startswith("7.1.4")
        assert current_row_in_view(app)
        await pilot.press("f", "v", "f", "s", *"Documents and", "enter")
        await pilot.pause()
        jumped = shown_item(app)
        assert jumped.startswith("7.5")
        assert current_row_in_view(app)
        await pilot.press("p")
    results = {r.item_id: r.result for r in saved(store, session_id).records if r.answered}
    assert results == {checklist.items[0].id: "fail", found: "fail", jumped: "pass"}


async def test_the_bar_says_a_view_is_on_at_80_columns(locations, store, checklist):
    """At the end of the top bar, after a long title and auditee, "only failed items" was
    cut off at 80 columns: nothing on screen said that items were hidden."""
    writer = store.create(checklist, auditor="Mai", title="Internal audit Q4, whole plant",
                          auditee="Moulding line 2 <script>alert(1)</script> night shift")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "v", "f")
        await pilot.pause()
        bar = app.screen.query_one("#walk-bar")
        assert "ONLY FAILED ITEMS (esc: all)" in bar.render_line(0).text
        await pilot.press("escape")
        await pilot.pause()
        assert "ONLY" not in bar.render_line(0).text


async def test_moving_up_into_a_section_shows_its_heading_and_progress(locations, store):
    """From the end, page up twice: the current item became the top row and its section's
    heading (with the section's progress) scrolled away, while a lower heading's progress
    read as this item's."""
    checklist = load_checklist(REPO_CHECKLISTS / "iso9001-internal-audit.toml")
    writer = store.create(checklist, auditor="Mai", auditee="Line 2")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        items = app.screen.items
        for keys in (["end", "pageup", "pageup"], ["home", "slash", *"4.2-b", "enter"],
                     ["end", "k", "k", "k", "k", "k", "k", "k", "k", "k"]):  # fmt: skip
            await pilot.press(*keys)
            await pilot.pause()
            heading = items._heading_row(items.cursor)
            top, height = round(items.scroll_y), items.scrollable_content_region.height
            assert top <= items.cursor < top + height
            if items.cursor - heading < height:  # both fit: both are shown
                assert top <= heading, keys


async def test_a_section_jump_in_a_file_whose_sections_are_not_side_by_side(
    locations, store, checklist
):
    """A session file written by hand with the items in another order (7, 8, 7, 8): the
    section jump counted the sizes of the sections before it, and landed elsewhere."""
    writer = store.create(checklist, auditor="Somchai", auditee="Moulding")
    writer.close()
    path = store.path_for(writer.session.id)
    head, *tables = path.read_text(encoding="utf-8").split("[[results]]")
    assert [t.split('item_id = "')[1].split('"')[0] for t in tables] == [
        "7.1.5-a", "7.2-a", "8.5.1-a", "8.5.2-a"
    ]
    path.write_text(head + "".join(f"[[results]]{tables[i]}" for i in (0, 2, 1, 3)), "utf-8")
    app = AuditApp(locations, writer=store.open(writer.session.id))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", *"Operation", "enter")
        assert shown_item(app) == "8.5.1-a"
        await pilot.press("f")
    records = {r.item_id: r.result for r in saved(store, writer.session.id).records}
    assert records == {"7.1.5-a": "unanswered", "8.5.1-a": "fail", "7.2-a": "unanswered",
                       "8.5.2-a": "unanswered"}  # fmt: skip
