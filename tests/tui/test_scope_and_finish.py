"""A scoped walkthrough, finishing from the app, marks refused when finished, reopening:
each checked against the session file on disk."""

from __future__ import annotations

import tomllib

from textual.widgets import Static

from auditui.export import export_session
from auditui.seal import verify_file
from auditui.tui.app import AuditApp
from auditui.tui.screens.dialogs import Confirm
from auditui.tui.screens.finishing_dialogs import FinishDialog, ReasonDialog, ScopeDialog
from auditui.tui.screens.walkthrough import SETTLE_S, WalkthroughScreen
from auditui.tui.widgets.item_list import ItemList
from auditui.tui.widgets.key_bar import KeyBar

from .conftest import disk_full, saved


def scoped_app(locations, store, checklist, scope=("8",)):
    writer = store.create(checklist, auditor="Mai", auditee="Dispatch", scope=scope)
    return AuditApp(locations, writer=writer), writer.session.id


async def test_a_scoped_walkthrough_shows_and_counts_only_its_sections(locations, store, checklist):
    app, session_id = scoped_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        items = app.screen.query_one(ItemList)
        session = app.screen.session
        shown = [session.records[i].item_id for i in items.shown_records()]
        assert shown == ["8.5.1-a", "8.5.2-a"]
        assert "0/2 answered" in str(app.screen.query_one("#walk-bar").content)
        await pilot.press("p", "f")
        assert "2/2 answered" in str(app.screen.query_one("#walk-bar").content)
        await pilot.press("q")
    on_disk = saved(store, session_id)
    assert [r.result for r in on_disk.records] == ["unanswered", "unanswered", "pass", "fail"]
    document = tomllib.loads(export_session(on_disk, "toml").decode("utf-8"))
    results = [r["result"] for r in document["results"]]
    assert results == ["out-of-scope", "out-of-scope", "pass", "fail"]
    assert document["summary"]["total"] == 2


def open_app(locations, store, checklist):
    writer = store.create(checklist, auditor="Mai", auditee="Moulding")
    return AuditApp(locations, writer=writer), writer.session.id


async def test_the_finish_dialog_asks_for_a_conclusion_and_keeps_what_was_typed(
    locations, store, checklist
):
    """ctrl+s with the conclusion empty finished and sealed an audit with no conclusion;
    now the dialog stays, says what is missing, and keeps the names typed."""
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "p", "p", "p", "ctrl+f")
        assert isinstance(app.screen, FinishDialog)
        await pilot.press("tab", "end", "enter", *"Anan (manager)", "ctrl+s")
        assert isinstance(app.screen, FinishDialog)
        assert app.screen.focused is app.screen.query_one("#finish-conclusion")
        messages = [str(n.message) for n in app._notifications]
        assert any("Write the conclusion first" in m for m in messages), messages
        assert not saved(store, session_id).is_finished
        await pilot.press(*"Conforms", "ctrl+s")
        assert isinstance(app.screen, WalkthroughScreen)
    on_disk = saved(store, session_id)
    assert on_disk.is_finished and on_disk.conclusion == "Conforms"
    assert on_disk.signed_by == ("Mai (auditor)", "Anan (manager)")


async def test_a_finish_that_cannot_be_saved_keeps_what_was_typed(
    locations, store, checklist, monkeypatch
):
    """On a full disk the finish failed and the conclusion and second signer typed were
    gone: ctrl+f again offers them, and finishing once there is room seals them."""
    import os

    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "p", "p", "p")

        monkeypatch.setattr(os, "fsync", disk_full)
        await pilot.press("ctrl+f", *"Conforms", "tab", "end", "enter", *"Anan (QA)", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, WalkthroughScreen)
        assert any("No space left" in str(n.message) for n in app._notifications)
        monkeypatch.undo()
        await pilot.press("ctrl+f")
        dialog = app.screen
        assert isinstance(dialog, FinishDialog)
        assert dialog.query_one("#finish-conclusion").text == "Conforms"
        await pilot.press("ctrl+s")
        await pilot.pause()
    on_disk = saved(store, session_id)
    assert on_disk.is_finished and on_disk.conclusion == "Conforms"
    assert on_disk.signed_by == ("Mai (auditor)", "Anan (QA)")


async def test_finish_from_the_app_then_marks_are_refused(locations, store, checklist):
    app, session_id = open_app(locations, store, checklist)
    path = store.path_for(session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "p", "p")  # one item in scope left unanswered
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, Confirm)  # asked about the unanswered item first
        await pilot.press("n")
        assert isinstance(app.screen, WalkthroughScreen)
        assert not saved(store, session_id).is_finished
        await pilot.press("ctrl+f", "y")
        assert isinstance(app.screen, FinishDialog)
        await pilot.press(*"Conforms [bold]", "tab")
        # The auditor is offered as the first signer; add the auditee's representative.
        await pilot.press("end", "enter", *"Anan (manager)", "ctrl+s")
        assert isinstance(app.screen, WalkthroughScreen)
        on_disk = saved(store, session_id)
        assert on_disk.is_finished
        assert on_disk.conclusion == "Conforms [bold]"
        assert on_disk.signed_by == ("Mai (auditor)", "Anan (manager)")
        assert verify_file(path).intact
        assert "FINISHED" in str(app.screen.query_one("#walk-bar").content)
        await pilot.pause()
        shown = [words for _, _, words, _ in app.screen.query_one(KeyBar).keys()[0]]
        assert shown == ["Find", "View", "Report", "Help", "Quit"]  # no mark keys now
        sealed_bytes = path.read_bytes()
        app.screen.items.move_to_record(3)
        await pilot.press("p", "f", "e", "2", "u")  # every change is refused
        assert isinstance(app.screen, WalkthroughScreen)
        assert app.screen.items.current_record == 3  # a refused p does not move on
        messages = [n.message for n in app._notifications]
        assert any("finished and sealed" in m and "Reopen" in m for m in messages)
        await pilot.press("q")
    assert path.read_bytes() == sealed_bytes
    assert not path.with_suffix(".journal").exists()
    assert verify_file(path).intact


async def test_the_last_answer_says_how_to_finish_not_only_how_to_quit(
    locations, store, checklist
):
    """"Every item is answered. q quits" led a hurried auditor to quit and leave the audit
    unfinished and unsealed: the notice names ctrl+f first, and ctrl+f does it."""
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"pppp")
        await pilot.pause()
        said = [str(n.message) for n in app._notifications]
        assert any(m.startswith("Every item is answered: ctrl+f finishes and seals") for m in said)
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, FinishDialog)


async def test_a_name_typed_under_the_auditor_signs_beside_the_auditor(
    locations, store, checklist
):
    """The signers' box opened with its cursor before the offered "Mai (auditor)": a name
    typed at once was sealed as one garbled signatory, "Boss (MD)Mai (auditor)"."""
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"pppp")
        await pilot.press("ctrl+f", *"Conforms", "tab", *"Boss (MD)", "ctrl+s")
        await pilot.press("q")
    assert saved(store, session_id).signed_by == ("Mai (auditor)", "Boss (MD)")


async def test_a_signer_s_name_typed_with_joiners_is_sealed_as_typed(
    locations, store, checklist
):
    """The signers' box dropped the zero-width non-joiner and joiner a Persian or Indic
    keyboard types inside a name, as every text box did before it kept them: the name
    sealed was not the one typed."""
    from textual import events

    name = "Me\u200chdi Ra\u200dj (QA)"
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"pppp")
        await pilot.press("ctrl+f", *"Conforms", "tab")
        for character in name:  # as the terminal hands them over, one key each
            app.screen.focused.post_message(events.Key(character, character))
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.press("q")
    assert saved(store, session_id).signed_by == ("Mai (auditor)", name)


async def test_what_the_finish_dialog_said_goes_with_it(locations, store, checklist):
    """ctrl+s with no conclusion warns; the warning stayed beside "Finished and sealed"
    once the dialog had gone."""
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press(*"pppp", "ctrl+f", "ctrl+s")
        await pilot.pause()
        assert ["Write the conclusion first" in n.message for n in app._notifications] == [True]
        await pilot.press(*"Conforms", "ctrl+s")
        await pilot.pause()
        assert [n.message.split(".")[0] for n in app._notifications] == ["Finished and sealed"]
        assert len(app.screen.query("Toast")) == 1
        await pilot.press("q")
    assert saved(store, session_id).is_finished


async def test_one_notice_at_a_time_so_the_item_stays_in_view(locations, store, checklist):
    """At 80×24 two stacked notices (a refused mark, then u) covered the current item's
    prompt and note: a new notice takes the place of the one before."""
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("p", "p", "p", "p")
        await pilot.press("ctrl+f", *"Conforms", "ctrl+s")
        assert saved(store, session_id).is_finished
        await pilot.press("p")
        await pilot.pause()
        assert ["finished and sealed" in n.message for n in app._notifications] == [True]
        await pilot.press("u", "e")
        await pilot.pause()
        assert len(app._notifications) == 1  # the last refusal only
        await pilot.press("q")


async def test_reopen_from_the_app_and_finish_again(locations, store, checklist, run_cli):
    writer = store.create(checklist, auditor="Mai", auditee="Moulding")
    for record in writer.session.records:
        writer.answer(record.item_id, result="pass")
    writer.finish(conclusion="All conform", signed_by=["Mai (auditor)", "Anan (manager)"])
    first_seal = writer.session.seal
    session_id = writer.session.id
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"Reopen this")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press("enter")  # no reason: refused, still asking
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press(*"Gauge record found late", "enter")
        on_disk = saved(store, session_id)
        assert not on_disk.is_finished and not on_disk.seal
        assert on_disk.reopened[0]["reason"] == "Gauge record found late"
        assert on_disk.reopened[0]["seal"] == first_seal
        app.screen.items.move_to_record(0)
        await pilot.press("f")
        assert saved(store, session_id).records[0].result == "fail"
        await pilot.press("ctrl+f")  # everything answered: straight to the sign-off
        assert isinstance(app.screen, FinishDialog)
        # Offered the conclusion it had before it was reopened, selected: typing replaces
        # it (it was typed onto its end). Who signed it then is shown, not signed again.
        assert app.screen.query_one("#finish-conclusion").text == "All conform"
        assert app.screen.query_one("#finish-signers").text == "Mai (auditor)\n"  # and a line
        shown = [str(static.content) for static in app.screen.query(".dialog-help")]
        assert "Signed before it was reopened: Mai (auditor), Anan (manager)" in shown
        await pilot.press("escape", "ctrl+f")  # left untouched: still offered, selected
        assert isinstance(app.screen, FinishDialog)
        await pilot.press(*"One finding", "ctrl+s")
        # Anan signed before and is not among the names now: asked, not dropped at one key.
        assert isinstance(app.screen, Confirm)
        asked = str(app.screen.query(Static).first().content)
        assert "Signed before it was reopened by Anan (manager)" in asked
        await pilot.press("n")  # back to the names, nothing sealed
        assert isinstance(app.screen, FinishDialog)
        assert not saved(store, session_id).is_finished
        await pilot.press("ctrl+s", "y")
    final = saved(store, session_id)
    assert final.is_finished and final.conclusion == "One finding"
    assert final.signed_by == ("Mai (auditor)",)
    assert final.seal != first_seal
    code, out, _ = run_cli("verify", store.path_for(session_id))
    assert code == 0 and out.endswith("intact\n")


async def test_finishing_again_with_every_earlier_signer_asks_nothing(
    locations, store, checklist
):
    writer = store.create(checklist, auditor="Mai", auditee="Moulding")
    for record in writer.session.records:
        writer.answer(record.item_id, result="pass")
    writer.finish(conclusion="All conform", signed_by=["Mai (auditor)", "Anan (manager)"])
    writer.reopen("Gauge record found late")
    session_id = writer.session.id
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, FinishDialog)
        await pilot.press("tab", *"Anan (manager)", "ctrl+s")
        assert not isinstance(app.screen, (Confirm, FinishDialog))
    final = saved(store, session_id)
    assert final.signed_by == ("Mai (auditor)", "Anan (manager)")


async def test_a_mark_outside_the_scope_asks_to_widen_it_first(locations, store, checklist):
    app, session_id = scoped_app(locations, store, checklist, scope=("8",))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"gauges")  # 7.1.5-a, outside the scope
        await pilot.pause()
        # Said in the list, before it is picked (it was listed like any other item).
        from textual.widgets import OptionList

        found = app.screen.query_one(OptionList).get_option_at_index(0).prompt
        assert str(found).startswith("outside the scope  7.1.5-a  ")
        await pilot.press("enter")
        assert isinstance(app.screen, Confirm)
        await pilot.pause(SETTLE_S)
        await pilot.press("n")
        assert not isinstance(app.screen, Confirm)
        assert saved(store, session_id).scope == ("8",)
        await pilot.press("slash", *"gauges")
        await pilot.pause()
        # A `y` typed on at once is typing that went on, not an answer: shown, not used.
        await pilot.press("enter", "y")
        assert isinstance(app.screen, Confirm) and saved(store, session_id).scope == ("8",)
        assert "not used: y" in str(app.screen.query_one("#confirm-answers").content)
        await pilot.press("escape")
        await pilot.press("slash", *"gauges")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause(SETTLE_S)
        await pilot.press("y")
        assert saved(store, session_id).scope == ("7", "8")
        screen = app.screen
        assert screen.session.records[screen.items.current_record].item_id == "7.1.5-a"
        assert "0/4 answered" in str(screen.query_one("#walk-bar").content)
        await pilot.press("p")
    assert saved(store, session_id).record("7.1.5-a").result == "pass"


async def test_widen_scope_from_the_palette(locations, store, checklist):
    app, session_id = scoped_app(locations, store, checklist, scope=("8",))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", *"Widen scope")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ScopeDialog)
        await pilot.press("space", "ctrl+s")
        assert saved(store, session_id).scope == ("7", "8")
        shown = app.screen.items.shown_records()
        assert len(shown) == 4


async def test_undo_after_widening_the_scope_says_so_before_undoing_the_mark_before(
    locations, store, checklist
):
    """u right after widening the scope undid the mark made before it, without a word
    that the scope stood."""
    app, session_id = scoped_app(locations, store, checklist, scope=("8",))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await pilot.press("ctrl+p", *"Widen scope")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("space", "ctrl+s")
        await pilot.pause()
        await pilot.press("u")
        messages = [str(n.message) for n in app._notifications]
        assert "the scope widened to section 7, is not narrowed by u" in messages[-1]
        on_disk = saved(store, session_id)
        assert on_disk.scope == ("7", "8")
        assert [r.result for r in on_disk.records if r.result != "unanswered"] == ["pass"]
        await pilot.press("u")  # again: the pass before it
    assert all(r.result == "unanswered" for r in saved(store, session_id).records)


async def test_the_form_offers_the_sections_failed_last_time(locations, store, checklist):
    earlier = store.create(checklist, auditor="Mai", auditee="Dispatch")
    earlier.answer("8.5.2-a", result="fail")
    earlier.answer("7.2-a", result="pass")
    earlier.close()
    app = AuditApp(locations, new_session=(checklist, "Mai", "", ""))
    async with app.run_test(size=(80, 24)) as pilot:
        form = app.screen
        assert "all 2 sections" in str(form.query_one("#scope-summary").content)
        await app.workers.wait_for_complete()  # the last session is read off the UI thread
        await pilot.pause()
        assert form.failed_last_time == ["8"]
        assert form.query_one("#scope-failed").display
        await pilot.click("#scope-failed")
        assert "1 of 2 sections: 8" in str(form.query_one("#scope-summary").content)
        form.query_one("#auditee").value = "Dispatch"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, WalkthroughScreen)
        session_id = app.screen.session.id
        await pilot.press("q")
    assert saved(store, session_id).scope == ("8",)


async def test_the_form_chooses_sections_from_a_list(locations, store, checklist):
    app = AuditApp(locations, new_session=(checklist, "Mai", "Stores", ""))
    async with app.run_test(size=(80, 24)) as pilot:
        assert not app.screen.query_one("#scope-failed").display  # no earlier session
        await pilot.click("#scope-choose")
        assert isinstance(app.screen, ScopeDialog)
        await pilot.press("space", "ctrl+s")  # untick section 7
        assert "1 of 2 sections: 8" in str(app.screen.query_one("#scope-summary").content)
        await pilot.press("ctrl+s")
        session_id = app.screen.session.id
        shown = app.screen.items.shown_records()
        assert [app.screen.session.records[i].item_id for i in shown] == ["8.5.1-a", "8.5.2-a"]
    assert saved(store, session_id).scope == ("8",)


async def test_ticked_sections_are_told_apart_without_colour_and_none_is_a_key(
    locations, store, checklist
):
    """Ticked and empty boxes both showed `X`, told apart by colour alone; choosing 3 of 16
    sections meant unticking 13, one at a time."""
    app = AuditApp(locations, new_session=(checklist, "Mai", "Stores", ""))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#scope-choose")
        dialog = app.screen
        sections = dialog.query_one("#scope-sections")

        def boxes() -> list[str]:
            return [sections.render_line(y).text[:5] for y in range(2)]

        assert boxes() == ["▐✓▌ 7", "▐✓▌ 8"]  # the form starts with every section
        await pilot.press("ctrl+a")  # all ticked: ctrl+a unticks them all
        assert boxes() == ["▐ ▌ 7", "▐ ▌ 8"]
        await pilot.press("down", "space")
        assert boxes() == ["▐ ▌ 7", "▐✓▌ 8"]
        help_line = str(dialog.query_one(".dialog-help").render())
        assert "enter done" in help_line and "esc cancel" in help_line
        await pilot.press("enter")  # a dialog's OK (space ticks): it unticked silently
        assert "1 of 2 sections: 8" in str(app.screen.query_one("#scope-summary").content)


async def test_a_sealed_session_changed_by_hand_says_so_on_its_bar(locations, store, checklist):
    """`verify` named the change, but the walkthrough's bar still read "sealed"."""
    from .conftest import wait_until

    writer = store.create(checklist, auditor="Mai", auditee="Moulding")
    writer.answer("7.2-a", result="fail")
    writer.finish(conclusion="Done", signed_by=["Mai (auditor)"])
    writer.close()
    path = store.path_for(writer.session.id)
    path.write_text(path.read_text("utf-8").replace('auditor = "Mai"', 'auditor = "Someone"'),
                    "utf-8")  # fmt: skip
    assert verify_file(path).changed == ["auditor"]
    app = AuditApp(locations, store=store, writer=store.open(writer.session.id))
    async with app.run_test(size=(80, 24)) as pilot:
        bar = app.screen.query_one("#walk-bar")
        await wait_until(pilot, lambda: "SEAL BROKEN" in str(bar.content))
        assert "SEAL BROKEN (auditui verify)" in str(bar.content)
        assert ", sealed" not in str(bar.content)
        await pilot.press("q")


async def test_a_seal_taken_out_by_hand_on_the_bar_home_and_after_finishing(
    locations, store, checklist
):
    """A session whose finished date and seal were deleted by hand: home's Progress and
    the bar say so; finished again in the app (what changed is kept in the file), the bar
    reads sealed, not SEAL BROKEN as the flag from opening it had it."""
    from textual.widgets import DataTable

    from .conftest import home_read, wait_until

    writer = store.create(checklist, auditor="Mai", auditee="Moulding")
    writer.answer("7.2-a", result="fail")
    writer.finish(conclusion="Done", signed_by=["Mai (auditor)"])
    writer.close()
    path = store.path_for(writer.session.id)
    lines = path.read_text("utf-8").splitlines(keepends=True)
    first_finished = next(n for n, line in enumerate(lines) if line.startswith("finished = "))
    path.write_text("".join(lines[:first_finished] + lines[first_finished + 1 :]), "utf-8")
    app = AuditApp(locations, store=store)
    async with app.run_test(size=(120, 30)) as pilot:
        await home_read(pilot)
        table = app.screen.query_one("#home-sessions", DataTable)
        assert str(table.get_row_at(0)[2]) == "1/4 SEAL BROKEN"
        app.resume_session(writer.session.id)
        await pilot.pause()
        bar = app.screen.query_one("#walk-bar")
        await wait_until(pilot, lambda: "SEAL TAKEN OUT" in str(bar.content))
        await pilot.press("ctrl+f", "y")
        await pilot.pause()
        await pilot.press("ctrl+s")  # the conclusion and signer it had are offered
        await pilot.pause()
        assert ", sealed" in str(bar.content) and "SEAL" not in str(bar.content).replace(
            ", sealed", ""
        )
        await pilot.press("q")
    assert verify_file(path).intact
    assert "finished" in read_session_file_changes(path)


def read_session_file_changes(path) -> list[str]:
    """What the last reopening of the file keeps as changed since it was sealed."""
    document = tomllib.loads(path.read_text("utf-8"))
    return document["session"]["reopened"][-1]["changed_since_sealed"]


async def test_home_lists_a_sealed_session_changed_by_hand_as_seal_broken(
    locations, store, checklist
):
    """Home called it "finished" like any sealed session."""
    from textual.widgets import DataTable

    from .conftest import home_read

    ids = []
    for auditor in ("Mai", "Anan"):
        writer = store.create(checklist, auditor=auditor, auditee="Moulding")
        writer.answer("7.2-a", result="pass")
        writer.finish(conclusion="Done", signed_by=[f"{auditor} (auditor)"])
        writer.close()
        ids.append(writer.session.id)
    path = store.path_for(ids[0])
    path.write_text(path.read_text("utf-8").replace('auditee = "Moulding"', 'auditee = "X"'),
                    "utf-8")  # fmt: skip
    app = AuditApp(locations, store=store)
    async with app.run_test(size=(120, 30)) as pilot:
        await home_read(pilot)
        table = app.screen.query_one("#home-sessions", DataTable)
        progress = {str(table.get_row_at(row)[4]): str(table.get_row_at(row)[2])
                    for row in range(table.row_count)}  # fmt: skip
    assert progress == {"X": "1/4 SEAL BROKEN", "Moulding": "1/4 ✓"}


async def test_esc_in_the_finish_dialog_keeps_what_was_typed_for_the_next_time(
    locations, store, checklist
):
    """esc keeps a note; in the finish dialog it threw a conclusion away."""
    writer = store.create(checklist, auditor="Mai", auditee="Moulding")
    for record in writer.session.records:
        writer.answer(record.item_id, result="pass")
    session_id = writer.session.id
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+f", *"Conforms, two", "tab", "end", "enter", *"Anan", "escape")
        assert isinstance(app.screen, WalkthroughScreen)
        await pilot.press("ctrl+f", *" observations", "ctrl+s")
    final = saved(store, session_id)
    assert final.conclusion == "Conforms, two observations"
    assert final.signed_by == ("Mai (auditor)", "Anan")


async def test_quitting_when_room_came_back_while_asked_saves_instead_of_dropping(
    locations, store, checklist, monkeypatch
):
    """A full disk at quitting asks whether to lose the marks; if room came back while the
    question was up, "yes" saves them after all and the app ends as after a save."""
    import os

    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        monkeypatch.setattr(os, "fsync", disk_full)
        await pilot.press("f", "q")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        monkeypatch.undo()  # room again
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0
    on_disk = saved(store, session_id)
    assert [r.result for r in on_disk.records[:2]] == ["pass", "fail"]


async def test_undo_in_a_finished_session_opened_again_says_how_to_reopen(
    locations, store, checklist
):
    """u with nothing to undo told to "mark the item again", which a sealed session
    refuses."""
    writer = store.create(checklist, auditor="Mai", auditee="Moulding")
    writer.answer(writer.session.records[0].item_id, result="pass")
    writer.finish(conclusion="Conforms", signed_by=["Mai (auditor)"])
    writer.close()
    app = AuditApp(locations, writer=store.open(writer.session.id))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("u")
        messages = [str(n.message) for n in app._notifications]
        assert any("finished and sealed" in m and "Reopen" in m for m in messages)
        assert not any("Nothing to undo" in m for m in messages)
        await pilot.press("q")


async def test_widening_the_scope_keeps_the_current_item_in_sight(locations, store):
    """Sections added above the item on screen: the list showed its top, the highlighted
    item nowhere on screen, while the marks typed next landed on it unseen."""
    from auditui.catalog import Catalog

    checklist = Catalog(locations).resolve("iso9001-internal-audit")
    writer = store.create(checklist, auditor="Mai", auditee="Dispatch", scope=["7.5", "10"])
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"retention")  # found: an item of 7.5
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        items = app.screen.items
        current = items.current_record
        await pilot.press("ctrl+p", *"Widen scope")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ScopeDialog)
        await pilot.press("space", "down", "space", "down", "space", "ctrl+s")
        await pilot.pause()
        assert saved(store, writer.session.id).scope == ("4", "5", "6", "7.5", "10")
        assert items.current_record == current
        top, height = round(items.scroll_y), items.scrollable_content_region.height
        assert top <= items.cursor < top + height, (top, items.cursor, height)
        await pilot.press("n")
    assert saved(store, writer.session.id).records[current].result == "na"


async def test_every_auditor_of_a_merged_audit_is_in_sight_when_it_is_finished(
    locations, store, checklist, run_cli
):
    """Three auditors' parts merged: at 80x24 the "Signed by" box opened scrolled to the
    line after the last name, the first signer out of sight, as if left out."""
    from datetime import UTC, datetime, timedelta

    from textual.widgets import TextArea

    parts = []
    for number, (name, section) in enumerate([("Mai", "7"), ("Anan", "8"), ("Linh", "7")]):
        writer = store.create(checklist, auditor=name, auditee="Moulding", scope=[section],
                              started=datetime(2026, 3, 1, 9, tzinfo=UTC)
                              + timedelta(minutes=number))  # fmt: skip
        writer.close()
        parts.append(writer.session.id)
    code, out, err = run_cli("merge", *parts, "--sessions-dir", locations.sessions_dir)
    assert code == 0, err
    app = AuditApp(locations, writer=store.open(out.strip()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+f", "y")
        await pilot.pause(0.2)
        assert isinstance(app.screen, FinishDialog)
        signers = app.screen.query_one("#finish-signers", TextArea)
        assert signers.scroll_y == 0
        assert signers.scrollable_content_region.height >= 4  # three names and one more
        assert signers.text.splitlines()[:3] == ["Mai (auditor)", "Anan (auditor)",
                                                 "Linh (auditor)"]  # fmt: skip


async def test_a_conclusion_being_typed_survives_auditui_stopping(locations, store, checklist):
    """A conclusion typed in the finish dialog lived in memory only: a crash or a power
    cut lost it (SPEC: every change is on disk within one second). A draft beside the
    session holds it; the next finish dialog offers it, and finishing removes it."""
    from auditui.finish_drafts import draft_path

    writer = store.create(checklist, auditor="Mai", auditee="Moulding")
    for record in writer.session.records:
        writer.answer(record.item_id, result="pass")
    session_id = writer.session.id
    path = store.path_for(session_id)
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+f", *"Hệ thống hiệu lực [b]", "tab", "end", "enter", *"Anan")
        await pilot.pause(FinishDialog.DRAFT_DELAY + 0.3)
        assert draft_path(path).exists()  # what a kill -9 now would leave
        kept = draft_path(path).read_bytes()
    draft_path(path).write_bytes(kept)  # as the power cut left it
    app = AuditApp(locations, writer=store.open(session_id))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, FinishDialog)
        conclusion, lines = app.screen.typed()
        assert (conclusion, [line for line in lines if line]) == (
            "Hệ thống hiệu lực [b]", ["Mai (auditor)", "Anan"]
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
    final = saved(store, session_id)
    assert final.conclusion == "Hệ thống hiệu lực [b]"
    assert final.signed_by == ("Mai (auditor)", "Anan")
    assert not draft_path(path).exists()


async def test_a_finish_dialog_closed_with_nothing_typed_leaves_no_draft(
    locations, store, checklist
):
    """Opened and closed with esc (tab on the way), the dialog left a draft of nothing
    beside the session for good, and the next one said "what was typed here is back"."""
    from auditui.finish_drafts import draft_path

    writer = store.create(checklist, auditor="Mai", auditee="Moulding")
    for record in writer.session.records:
        writer.answer(record.item_id, result="pass")
    path = store.path_for(writer.session.id)
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+f", "tab", "tab")
        await pilot.pause(FinishDialog.DRAFT_DELAY + 0.3)
        await pilot.press("escape")
        await pilot.pause(FinishDialog.DRAFT_DELAY + 0.3)
        assert not draft_path(path).exists()
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, FinishDialog)
        assert not any("is back" in str(n.message) for n in app._notifications)
        await pilot.press(*"Conforms", "escape")  # typed: kept, as before
        await pilot.pause(FinishDialog.DRAFT_DELAY + 0.3)
        assert draft_path(path).exists()


async def test_a_conclusion_typed_on_a_full_disk_is_written_when_room_comes_back(
    locations, store, checklist, monkeypatch
):
    """The finish dialog closed with esc while the disk was full: its draft could not be
    written, the conclusion lived in memory only, and quitting dropped it without a word.
    It is written with the marks' next save once there is room, and quitting asks while
    it cannot be."""
    import os

    from auditui.finish_drafts import load_draft

    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "p", "p", "p")
        monkeypatch.setattr(os, "fsync", disk_full)
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, FinishDialog)
        await pilot.press(*"Gauges need labels")
        await pilot.pause(0.4)  # the draft's moment: refused
        await pilot.press("escape", "q")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        asked = str(app.screen.query(Static).first().content)
        assert "The conclusion typed in the finish dialog could not be saved" in asked
        await pilot.press("n")
        monkeypatch.undo()
        await pilot.pause(1.2)  # the next try of the saves
        kept = load_draft(store.path_for(session_id))
        assert kept is not None and kept[0] == "Gauges need labels"
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
