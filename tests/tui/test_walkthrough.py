"""The walkthrough, driven by keys, checked against the session saved on disk."""

from __future__ import annotations

from datetime import UTC

from auditui.store import SessionStore
from auditui.tui.app import AuditApp
from auditui.tui.screens.walkthrough import SETTLE_S
from auditui.tui.widgets.item_list import ItemList

from .conftest import saved, wait_until


def open_app(locations, store: SessionStore, checklist, **names):
    writer = store.create(checklist, auditor="Somchai", auditee="Moulding", **names)
    return AuditApp(locations, writer=writer), writer.session.id


async def test_marks_are_on_disk_at_once_and_move_on(locations, store, checklist):
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "f", "j", "n")  # f stays on the failed item (SPEC, round 2)
        on_disk = saved(store, session_id)  # before quitting: the journal holds them
        assert [r.result for r in on_disk.records] == ["pass", "fail", "na", "unanswered"]
        assert app.screen.query_one(ItemList).current_record == 3
        await pilot.press("q")
    final = saved(store, session_id)
    assert [r.result for r in final.records] == ["pass", "fail", "na", "unanswered"]
    assert all(r.recorded is not None for r in final.records[:3])
    assert not store.path_for(session_id).with_suffix(".journal").exists()
    assert not store.path_for(session_id).with_suffix(".lock").exists()
    # The file just saved, which `auditui` reads into the cache once the app has ended.
    assert app.closed_session_file == store.path_for(session_id)


async def test_note_grade_and_stay_keys(locations, store, checklist):
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("F")  # fail and stay
        await pilot.press("2")  # minor nonconformity
        await pilot.press("e")
        await pilot.press(*"No [bold] label [/]")
        await pilot.press("ctrl+s")
        await pilot.press("j", "P", "3")  # pass with an observation
    first, second = saved(store, session_id).records[:2]
    assert (first.result, first.grade, first.note) == ("fail", "minor", "No [bold] label [/]")
    assert (second.result, second.grade) == ("pass", "observation")


async def test_escape_in_the_note_editor_keeps_the_text(locations, store, checklist):
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", *"kept", "escape")
        assert saved(store, session_id).records[0].note == "kept"


async def test_escape_and_a_key_at_once_close_the_editor_and_do_what_the_key_does(
    locations, store, checklist
):
    """Esc then q within ~80 ms reaches the app as alt+q: it typed a q into the note and
    left the editor open. It now closes the editor (keeping the note) and the key does
    what it does on the walkthrough: j moves on, q quits."""
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", *"kept", "alt+j")
        await pilot.pause()
        assert app.screen.query_one(ItemList).current_record == 1
        assert saved(store, session_id).records[0].note == "kept"
        await pilot.press("e", *"too", "alt+q")
        await pilot.pause()
        assert not app.is_running
    assert saved(store, session_id).records[1].note == "too"


async def test_escape_and_a_key_at_once_on_the_walkthrough_do_what_the_key_does(
    locations, store, checklist
):
    """Outside the editor, esc then q typed together did nothing at all: read as alt+q,
    which nothing binds. In the help, esc closes it and q then quits."""
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "question_mark")
        await pilot.press("alt+q")
        await pilot.pause()
        assert not app.is_running
    assert saved(store, session_id).records[0].result == "pass"


async def test_a_note_being_typed_is_on_disk_before_the_editor_closes(locations, store, checklist):
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", *"Gauge 7 has no")
        await pilot.pause(0.6)  # a quarter second after the last key, plus slack
        assert saved(store, session_id).records[0].note == "Gauge 7 has no"
        await pilot.press(*" calibration label")
        await pilot.pause(0.6)
        assert saved(store, session_id).records[0].note == "Gauge 7 has no calibration label"
        assert app.screen.query_one("#note-text")  # still typing: the editor is open


async def test_a_note_typed_just_before_ctrl_q_is_saved(locations, store, checklist):
    """ctrl+q in the editor, faster than the draft timer: the note is in the file."""
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", *"Gauge 7 has no label", "ctrl+q")
    assert saved(store, session_id).records[0].note == "Gauge 7 has no label"
    assert not store.path_for(session_id).with_suffix(".journal").exists()


async def test_a_note_being_typed_when_the_session_closes_is_saved(locations, store, checklist):
    """The same when the session is closed from the palette or by the app ending."""
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", *"Half a sentence")
        app.exit()
    assert saved(store, session_id).records[0].note == "Half a sentence"


async def test_the_detail_shows_guidance_and_each_piece_of_evidence_on_its_own_line(
    locations, store, checklist
):
    app, _ = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        evidence = str(app.screen.query_one("#detail-evidence").render())
        assert evidence.splitlines() == [
            "Typical evidence",
            " • Calibration register",
            " • Certificates from the lab",
        ]
        guidance = str(app.screen.query_one("#detail-guidance").render())
        assert "Pick 3 gauges" in guidance


async def test_a_grade_that_does_not_fit_is_refused(locations, store, checklist):
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")  # major on an unanswered item
        await pilot.press("P", "1")  # major on a pass
    assert saved(store, session_id).records[0].grade is None


async def test_the_grade_list_offers_only_the_grades_the_result_takes(
    locations, store, checklist
):
    """`g` on a pass listed major and minor too; picking one gave only a refusal."""
    from textual.widgets import OptionList

    from auditui.tui.screens.dialogs import PickOne

    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")  # unanswered: nothing to pick, and why
        assert not isinstance(app.screen, PickOne)
        assert any("takes no grade: mark it first" in str(n.message) for n in app._notifications)
        await pilot.press("P", "g")
        assert isinstance(app.screen, PickOne)
        offered = app.screen.query_one(OptionList)
        words = [str(offered.get_option_at_index(i).prompt) for i in range(offered.option_count)]
        assert words == ["3  observation", "4  opportunity for improvement", "0  no grade"]
        await pilot.press("4")
        await pilot.press("F", "g")
        offered = app.screen.query_one(OptionList)
        assert offered.option_count == 5  # every grade goes with a fail
        await pilot.press("2")
    record = saved(store, session_id).records[0]
    assert (record.result, record.grade) == ("fail", "minor")


async def test_undo_goes_back_step_by_step(locations, store, checklist):
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "f", "u")
        assert [r.result for r in saved(store, session_id).records[:2]] == ["pass", "unanswered"]
        assert app.screen.query_one(ItemList).current_record == 1
        await pilot.press("u")
        assert saved(store, session_id).records[0].result == "unanswered"


async def test_resume_opens_on_the_first_unanswered_item(locations, store, checklist):
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "p")
    writer = store.open(session_id)
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.query_one(ItemList).current_record == 2
        await pilot.press("n")
    assert [r.result for r in saved(store, session_id).records] == [
        "pass",
        "pass",
        "na",
        "unanswered",
    ]


async def test_markup_in_user_text_is_shown_literally(locations, store, checklist):
    app, session_id = open_app(locations, store, checklist, title="[bold]Q4[/] [@click=app.quit]")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j")  # the prompt with [@click=app.quit]
        await pilot.press("e", *"[/] [@click=app.quit] \x1b[31m", "ctrl+s")
        prompt = str(app.screen.query_one("#detail-prompt").render())
        assert "[@click=app.quit]" in prompt
        bar = str(app.screen.query_one("#walk-bar").render())
        assert "[bold]Q4[/]" in bar
        assert app.is_running
    assert saved(store, session_id).records[1].note.startswith("[/] [@click=app.quit]")


async def test_a_bar_too_long_for_the_screen_says_it_is_cut(locations, store, checklist):
    # At 80 columns the title and auditee do not fit: cut with …, not dropped silently.
    title = "Quarterly internal audit of the moulding and printing lines"
    app, _ = open_app(locations, store, checklist, title=title)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one("#walk-bar")
        shown = bar.render_line(0).text
        assert "answered" in shown and shown.rstrip().endswith("…")
        await pilot.resize_terminal(160, 24)
        await pilot.pause()
        assert bar.render_line(0).text.rstrip().endswith("Moulding")


async def test_tab_jumps_to_the_next_unanswered_item(locations, store, checklist):
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "p", "k", "k", "k")
        assert app.screen.query_one(ItemList).current_record == 0
        await pilot.press("p")  # item 0 answered; cursor on 1
        await pilot.press("j", "tab")  # from 2 (answered) to 3
        assert app.screen.query_one(ItemList).current_record == 3


async def test_view_only_failed_items(locations, store, checklist):
    app, _ = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "f", "j", "p", "f")
        await pilot.press("v", "f")
        items = app.screen.query_one(ItemList)
        shown = items.shown_records()
        assert shown == [1, 3]
        await pilot.press("escape")
        shown = items.shown_records()
        assert shown == [0, 1, 2, 3]


async def test_a_failed_save_is_shown_and_retried(locations, store, checklist, monkeypatch):
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        import auditui.journal as journal_module

        real_append = journal_module.JournalWriter.append

        def full_disk(self, payload):
            raise journal_module.AudituiError(
                "cannot save: No space left on device", path=self.path
            )

        monkeypatch.setattr(journal_module.JournalWriter, "append", full_disk)
        import auditui.store as store_module

        real_write = store_module.atomic_write

        def no_write(path, data, **kw):
            raise store_module.AudituiError("cannot save: No space left on device", path=path)

        monkeypatch.setattr(store_module, "atomic_write", no_write)
        await pilot.press("f")
        error = app.screen.query_one("#walk-error")
        assert error.display
        assert "No space left" in str(error.render())
        assert app.screen.session.records[0].result == "fail"  # kept in memory
        monkeypatch.setattr(journal_module.JournalWriter, "append", real_append)
        monkeypatch.setattr(store_module, "atomic_write", real_write)
        for _ in range(150):  # the one-second retry, however late a busy machine runs it
            if not error.display:
                break
            await pilot.pause(0.1)
        assert not error.display
        assert saved(store, session_id).records[0].result == "fail"


async def test_long_prompt_and_note_stay_on_screen_at_80x24(locations, store, tmp_path):
    from auditui.checklist import load_checklist

    long_prompt = "Thai โรงงานผลิตจุกไม้ก๊อก, Vietnamese Nhà máy sản xuất, 中文 软木塞工厂. " * 5
    path = tmp_path / "long.toml"
    path.write_text(
        '[checklist]\nid = "long"\ntitle = "Long"\nkind = "custom"\nversion = "1"\n'
        '[[sections]]\nid = "1"\ntitle = "One"\n'
        f'[[sections.items]]\nid = "a"\nprompt = "{long_prompt}"\n'
        'guidance = "' + "Look at the records. " * 30 + '"\n',
        encoding="utf-8",
    )
    writer = store.create(load_checklist(path), auditor="A", auditee="B")
    writer.answer("a", note="Không có hồ sơ hiệu chuẩn [bold] " * 4)
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        for name in ("#detail-prompt", "#detail-note"):
            widget = screen.query_one(name)
            region = widget.region
            assert region.height > 0 and region.bottom <= 23, (name, region)
        assert "[bold]" in str(screen.query_one("#detail-note").render())
        assert "1/1 answered" not in str(screen.query_one("#walk-bar").render())
        assert "0/1 answered" in str(screen.query_one("#walk-bar").render())


async def test_export_a_report_from_the_walkthrough(
    locations, store, checklist, tmp_path
):
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "x", "m")
        await pilot.pause()
        await app.workers.wait_for_complete()  # written in a thread
    report = tmp_path / "exports" / f"{session_id}.md"
    text = report.read_text(encoding="utf-8")
    assert "## Findings" in text and "7.1.5-a" in text
    assert not list((tmp_path / "exports").glob("*.tmp"))


async def test_the_app_s_toml_export_is_the_command_s(locations, store, checklist, run_cli):
    """From the app the TOML export lacked the session's findings (`[[findings]]`), which
    `auditui export` gives and `import` records on the other laptop."""
    import tomllib

    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "x", "t")
        await pilot.pause()
        await app.workers.wait_for_complete()  # written in a thread
    from_app = (locations.exports_dir / f"{session_id}.export.toml").read_text(encoding="utf-8")
    code, from_command, err = run_cli("export", session_id, "--sessions-dir",
                                      locations.sessions_dir, "--checklists-dir",
                                      locations.checklists_dir)  # fmt: skip
    assert code == 0, err
    assert [f["id"] for f in tomllib.loads(from_app)["findings"]] == [f"{session_id}/7.1.5-a"]
    assert from_app == from_command


async def test_items_failed_last_time_are_marked(locations, store, checklist):
    from datetime import datetime

    earlier = store.create(
        checklist, auditor="A", auditee="B", started=datetime(2026, 1, 5, tzinfo=UTC)
    )
    earlier.answer("7.2-a", result="fail", note="operators unsure [bold]")
    earlier.close()
    app, _ = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        items = app.screen.query_one(ItemList)
        await wait_until(pilot, lambda: items.failed_last_time)
        assert items.failed_last_time == {"7.2-a"}
        await pilot.press("j")
        last = str(app.screen.query_one("#detail-last").render())
        assert "FAIL" in last and "operators unsure [bold]" in last


async def test_last_time_looks_past_an_audit_of_other_sections(locations, store, checklist):
    """The last session audited only section 8: for the items of section 7 "Last time"
    said only "out of that audit's scope", and a fail before it had no `!`. The answer
    of the audit before it is shown under, and its fail marked."""
    from datetime import datetime

    full = store.create(checklist, auditor="A", started=datetime(2026, 1, 5, tzinfo=UTC))
    full.answer("7.1.5-a", result="fail", note="gauge 7 [red]unlabelled[/]", grade="minor")
    full.answer("7.2-a", result="pass")
    full.close()
    scoped = store.create(checklist, auditor="A", started=datetime(2026, 2, 5, tzinfo=UTC),
                          scope=["8"])  # fmt: skip
    scoped.answer("8.5.1-a", result="fail")
    scoped.close()
    app, _ = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        items = app.screen.query_one(ItemList)
        await wait_until(pilot, lambda: "7.1.5-a" in items.failed_last_time)
        assert items.failed_last_time == {"7.1.5-a", "8.5.1-a"}
        last = str(app.screen.query_one("#detail-last").render())
        assert "Last time (2026-02-05): out of that audit's scope" in last
        assert "Before that (2026-01-05): FAIL, minor" in last
        assert "gauge 7 [red]unlabelled[/]" in last
        await pilot.press("j")
        last = str(app.screen.query_one("#detail-last").render())
        assert "Before that (2026-01-05): PASS" in last


async def test_keys_after_the_session_is_closed_change_nothing(locations, store, checklist):
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f")
        screen = app.screen
        app._close_writer()  # what q does first, before the app is gone
        await pilot.press("c", "p", "e", "u")  # typed while the app is quitting
        assert app.screen is screen  # no dialog opened
    assert saved(store, session_id).records[0].result == "fail"


async def test_a_note_of_millions_of_characters_is_shown_cut_and_kept_whole(
    locations, store, checklist
):
    huge = "ไม่มีบันทึก การสอบเทียบ " * 100_000  # 2.4 million characters
    writer = store.create(checklist, auditor="Somchai", auditee="Moulding")
    writer.answer(writer.session.records[0].item_id, result="fail", note=huge)
    session_id = writer.session.id
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("home")
        shown = str(app.screen.query_one("#detail-note").render())
        assert "more characters, kept in the session" in shown
        assert len(shown) < 20_000
        await pilot.press("j", "p")
    assert saved(store, session_id).records[0].note == huge


async def test_passing_a_fail_graded_an_observation_asks_about_the_finding(
    locations, store, checklist
):
    """An observation is a finding, not a nonconformity: the question said "dropping the
    nonconformity" of it."""
    from auditui.tui.screens.dialogs import Confirm

    app, _ = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "3")  # fail, graded an observation (f stays on the item)
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert app.screen.question.endswith("Record pass instead, dropping the finding?")


async def test_a_fail_is_not_passed_at_one_key_walking_on(locations, store, checklist):
    """Walking on through a half-done section with p, a major fail became a pass, its
    grade and finding gone, with a passing notice at most: p pressed again and again
    passed one fail after another, as fast as typed."""
    from auditui.tui.screens.dialogs import Confirm

    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "f", "1", "home", "p")  # a pass over a pass: nothing asked
        await pilot.pause()
        assert not isinstance(app.screen, Confirm)
        await pilot.press("p", "p", "p")  # over the major fail of 7.2-a: the walk stops
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert "7.2-a is a fail (major nonconformity)" in app.screen.question
        assert app.screen.question.endswith("dropping the nonconformity?")
        record = saved(store, session_id).record("7.2-a")
        assert (record.result, record.grade) == ("fail", "major")
        assert set(app.screen.typed_on) == {"p"}  # the p keys after: typed on, no answer
        await pilot.press("escape")  # no: the fail stays, and so does the auditor
        await pilot.pause()
        assert app.screen.session.records[app.screen._current()].item_id == "7.2-a"
        await pilot.press("p")
        await pilot.pause(SETTLE_S)  # read the question, then answer it
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.session.records[app.screen._current()].item_id == "7.2-a"
        await pilot.press("n")
        await pilot.pause(SETTLE_S)
        await pilot.press("y")  # yes: not applicable after all, and on to the next
        await pilot.pause()
        record = saved(store, session_id).record("7.2-a")
        assert (record.result, record.grade) == ("na", None)
        assert app.screen.session.records[app.screen._current()].item_id != "7.2-a"
        await pilot.press("u")
        await pilot.pause()
        record = saved(store, session_id).record("7.2-a")
        assert (record.result, record.grade) == ("fail", "major")
        app.screen.items.move_to_record(1)
        await pilot.press("c")  # clearing it drops it too: asked the same
        await pilot.pause()
        assert isinstance(app.screen, Confirm) and "Clear it instead" in app.screen.question
        await pilot.pause(SETTLE_S)
        await pilot.press("n")
        await pilot.pause()
        assert saved(store, session_id).record("7.2-a").result == "fail"
        await pilot.press("c")
        await pilot.pause(SETTLE_S)
        await pilot.press("y")
        await pilot.pause()
        assert saved(store, session_id).record("7.2-a").result == "unanswered"


async def test_keys_typed_on_after_p_over_a_fail_do_not_answer_the_question(
    locations, store, checklist, monkeypatch
):
    """`p` over a fail, then `e` and a note typed on before the question was seen: the
    `y` of "yellow" answered yes, the fail became a pass, and the rest of the note went
    to the next item. Keys typed on are no answers; escape always keeps the fail."""
    from auditui.tui.screens.dialogs import Confirm

    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "2")
        await pilot.pause()
        await pilot.press("p", "e", *"yellow tag missing on rack 3")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        first = saved(store, session_id).records[0]
        assert (first.result, first.grade, first.note) == ("fail", "minor", "")
        assert saved(store, session_id).records[1].note == ""
        # What was typed is shown as not used; a pause, then "yes, ..." answers nothing.
        answers = str(app.screen.query_one("#confirm-answers").content)
        assert "not used: eyellow tag missing" in answers
        await pilot.pause(SETTLE_S)
        await pilot.press(*"yes")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("escape")  # keeps the fail
        await pilot.pause()
        assert not isinstance(app.screen, Confirm)
        assert app.screen.session.records[app.screen._current()].item_id == first.item_id
        assert saved(store, session_id).records[0].result == "fail"
        # y at once: typing on, not an answer. ("At once" made sure of: a machine busy
        # enough takes half a second between two keys a test presses.)
        import auditui.tui.screens.walkthrough as walkthrough

        monkeypatch.setattr(walkthrough, "SETTLE_S", 60.0)
        await pilot.press("p", "y")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        monkeypatch.undo()
        await pilot.press("escape", "p")  # asked again, read, answered
        await pilot.pause(SETTLE_S)
        await pilot.press("Y")  # caps lock on: an answer all the same
        await pilot.pause()
    assert saved(store, session_id).records[0].result == "pass"


async def test_item_ids_stay_in_one_column_when_some_are_graded(locations, store, checklist):
    """A grade pushed its item's id four columns right of the others: the list read as a
    ragged column, the grades in no column at all."""
    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(100, 30)) as pilot:
        items = app.screen.query_one(ItemList)
        await pilot.press("f", "2")
        await pilot.pause()
        record = saved(store, session_id).records[0]
        assert (record.result, record.grade) == ("fail", "minor")
        lines = [items.render_line(y).text for y in range(items.size.height)]
        ids = [r.item_id for r in saved(store, session_id).records[:3]]
        columns = {line.index(item_id) for item_id in ids for line in lines if item_id in line}
        assert len(columns) == 1, lines[:5]


async def test_finishing_a_merged_part_is_refused_before_any_dialog(locations, store, checklist):
    """ctrl+f on a part of a merged audit asked to finish with items unanswered, then for
    a conclusion and names, and refused only when they were saved."""
    from auditui.tui.screens.walkthrough import WalkthroughScreen

    app, _ = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        walkthrough = app.screen
        walkthrough.writer.merged_into = "2026-11-01-0900-shop-floor-m3rg"
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, WalkthroughScreen)
        said = [str(n.message) for n in app._notifications]
        assert any("merged into 2026-11-01-0900-shop-floor-m3rg" in m for m in said), said


async def test_a_key_typed_in_a_thai_layout_says_why_nothing_happened(locations, store, checklist):
    """After a Thai note the keyboard still sends ย for p: nothing happened, and nothing
    said why. Nothing is marked, and the auditor hears to switch the layout back."""
    from textual import events

    app, session_id = open_app(locations, store, checklist)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.items.post_message(events.Key("ย", "ย"))
        await pilot.pause()
        said = [str(n.message) for n in app._notifications]
        assert any("“ย” is not a key here" in m and "layout" in m for m in said), said
    assert not any(record.answered for record in saved(store, session_id).records)


async def test_the_answer_line_gives_the_grade_and_when_in_the_width_it_has(
    locations, store, checklist
):
    """At 80 columns "Grade opportunity for improvement" left "at 2026-…" of an answer
    given on an earlier day: the grade is then shortened (OFI), and when is whole. At
    120 columns the grade is in words again."""
    from datetime import datetime

    writer = store.create(checklist, auditor="Somchai", auditee="Moulding")
    item = checklist.items[0].id
    writer.answer(item, result="fail", grade="ofi")
    writer.session.records[0].recorded = datetime(2026, 1, 5, 9, 30).astimezone()
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        answer = app.screen.query_one("#detail-answer")
        await pilot.press("k")  # it opened on the first unanswered item
        await pilot.pause()
        line = str(answer.render())
        assert line == "Result FAIL  Grade OFI  at 2026-01-05 09:30", line
        await pilot.resize_terminal(140, 30)
        await pilot.pause()
        line = str(answer.render())
        assert line == "Result FAIL  Grade opportunity for improvement  at 2026-01-05 09:30"
        await pilot.press("4")  # the grade given again: the line is redrawn
        assert str(answer.render()).startswith("Result FAIL  Grade opportunity")
