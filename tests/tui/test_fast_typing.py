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


async def test_keys_typed_after_esc_and_a_key_at_once_come_after_both(
    locations, store, checklist
):
    """Esc and `j` typed at once reach the app as `alt+j`, which it takes as the two keys.
    They were posted anew, so they went behind the keys typed after them: the fail and the
    grade landed on the item with the note, the pass on the item meant for the fail."""
    writer = store.create(checklist, auditor="Somchai", auditee="Moulding")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, ["e", *"note for a", "alt+j", "f", "2", "j", "p"])
        await settle(pilot)
        records = saved(store, writer.session.id).records
    assert [(r.result, r.grade, r.note) for r in records[:3]] == [
        ("unanswered", None, "note for a"),
        ("fail", "minor", ""),
        ("pass", None, ""),
    ]


async def test_esc_and_a_key_at_once_on_the_walkthrough_keep_their_order(
    locations, store, checklist
):
    """The same in the walkthrough showing only unanswered items (v u): esc shows them
    all again, k goes back to the item passed last, f fails it. The fail landed on the
    next item, while the screen showed the passed one as current."""
    writer = store.create(checklist, auditor="Somchai", auditee="Moulding")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("p", "p", "v", "u")
        await settle(pilot)
        assert isinstance(app.screen, WalkthroughScreen)
        burst(app, ["alt+k", "f"])
        await settle(pilot)
        records = saved(store, writer.session.id).records
        assert app.screen.items.current_record == 1
    assert [r.result for r in records[:3]] == ["pass", "fail", "unanswered"]


async def test_a_question_handed_a_whole_word_at_once_answers_nothing(
    locations, store, checklist
):
    """A laptop that froze while "yellow" was typed after `p` over a fail hands the
    question all six letters at once, long after it came up: the `y` dropped the
    nonconformity and the rest went to the next item."""
    writer = store.create(checklist, auditor="Somchai", auditee="Moulding")
    writer.answer("7.1.5-a", result="fail", grade="major", note="gauge unlabelled")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.items.move_to_record(0)
        await pilot.press("p")
        await pilot.pause(0.7)  # the question has been up long enough to be read
        burst(app, list("yellow"))
        await settle(pilot)
        assert "Typed while this was asked, not used: yellow" in str(
            app.screen.query_one("#confirm-answers").render()
        )
        await pilot.press("escape")
        await settle(pilot)
        records = saved(store, writer.session.id).records
    assert (records[0].result, records[0].grade, records[0].note) == (
        "fail", "major", "gauge unlabelled"
    )
    assert records[1].note == ""


def typed(app: AuditApp, *reads: str) -> None:
    """What the terminal sends, in these reads, read as auditui's driver reads it (one
    `escape_keys` parser), every key posted at once."""
    from auditui.tui.escape_keys import SplitEscapeParser

    parser = SplitEscapeParser()
    for data in reads:
        for token in parser.feed(data):
            token.set_sender(app)
            app.post_message(token)


async def test_esc_and_a_grade_digit_typed_at_once_after_a_note_set_the_grade(
    locations, store, checklist
):
    """Esc and the next key reach auditui as one sequence. Read as Textual reads it, esc 2
    was "™" typed into the note: the editor stayed open and the grade was lost."""
    writer = store.create(checklist, auditor="Somchai", auditee="Moulding")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        typed(app, "feleak\x1b2")  # f stays on the failed item
        await settle(pilot)
        records = saved(store, writer.session.id).records
    assert (records[0].result, records[0].grade, records[0].note) == ("fail", "minor", "leak")


async def test_esc_and_tab_typed_at_once_after_a_note_move_on_to_the_next_item(
    locations, store, checklist
):
    """Esc tab was read as shift+tab: the editor stayed open, and the `p` meant for the
    next unanswered item went into the note."""
    writer = store.create(checklist, auditor="Somchai", auditee="Moulding")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        typed(app, "feno record\x1b\tp")
        await settle(pilot)
        records = saved(store, writer.session.id).records
    assert [(r.result, r.note) for r in records[:3]] == [
        ("fail", "no record"), ("pass", ""), ("unanswered", "")
    ]


async def test_esc_then_f_in_a_filtered_view_fails_the_item_and_option_arrow_does_nothing(
    locations, store, checklist
):
    """Esc f was read as ctrl+right: the fail was lost, and the view stayed filtered. Esc
    and f typed by a person (each in a read of its own) now fail the item. ESC f in one
    read is a Mac's option+→: outside a text box it does nothing (taken as esc and f, it
    failed the item)."""
    writer = store.create(checklist, auditor="Somchai", auditee="Moulding")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("p", "v", "u")
        await settle(pilot)
        typed(app, "\x1bf")  # option+→
        await settle(pilot)
        assert [r.result for r in saved(store, writer.session.id).records[:2]] == [
            "pass", "unanswered"
        ]
        typed(app, "\x1b", "f")  # two reads, as a person types them
        await settle(pilot)
        records = saved(store, writer.session.id).records
    assert [r.result for r in records[:3]] == ["pass", "fail", "unanswered"]


def test_the_terminal_parser_keeps_esc_and_the_next_key_apart_and_sequences_whole():
    """What the driver reads, as keys: esc joined to any key is two keys (a burst of more
    than 32 keys after esc made Textual type the esc as "^"); arrows, ctrl+arrows, SS3
    keys and pastes read as before."""
    import time

    from textual._xterm_parser import XTermParser

    from auditui.tui import escape_keys

    def keys(data: str) -> list[str]:
        parser = escape_keys.SplitEscapeParser()
        tokens = list(parser.feed(data))
        time.sleep(0.15)  # past the wait for the rest of a sequence
        tokens += list(parser.tick())
        return [getattr(token, "key", type(token).__name__) for token in tokens]

    assert keys("\x1b\tp") == ["escape", "tab", "p"]
    assert keys("\x1b2") == ["escape", "2"]
    assert keys("\x1b\x7f") == ["ctrl+w"]  # one read: option+backspace, settled later
    assert keys("\x1bf") == ["ctrl+right"]  # option+→ (an `EscapeThen`)
    parser = escape_keys.SplitEscapeParser()
    assert [t.key for t in [*parser.feed("\x1b"), *parser.feed("f")]] == ["escape", "f"]
    (joined,) = escape_keys.SplitEscapeParser().feed("\x1bb")
    assert isinstance(joined, escape_keys.EscapeThen) and joined.typed == "b"
    assert keys("\x1bjf2") == ["escape", "j", "f", "2"]
    assert keys("\x1b" + "y" * 40) == ["escape"] + ["y"] * 40
    assert keys("\x1bP") == ["escape", "P"]  # waited on, then two keys
    # Esc, shift+P (pass, stay), esc, in one read: Textual gave up on "ESC P" at the next
    # ESC and typed it as "^" (a note got "^P", the pass was lost). So after 32 keys.
    assert keys("ab\x1bP\x1b") == ["a", "b", "escape", "P", "escape"]
    assert keys("\x1bP" + "j" * 40) == ["escape", "P"] + ["j"] * 40
    assert keys("^") == ["circumflex_accent"]  # a "^" typed is one
    parser = escape_keys.SplitEscapeParser()  # a person's esc, then P: split at once
    assert [t.key for t in [*parser.feed("\x1b"), *parser.feed("P")]] == ["escape", "P"]
    parser = escape_keys.SplitEscapeParser()  # an arrow split over two reads: waited on
    assert [t.key for t in [*parser.feed("\x1b"), *parser.feed("[A")]] == ["up"]
    assert keys("\x1b[A\x1bOB\x1b[1;5C") == ["up", "down", "ctrl+right"]
    assert keys("\x1b[200~a b\x1b[201~") == ["Paste"]
    # Text copied with its colour codes: one paste, no key pressed (Textual ended the
    # paste at the ESC and pressed "[", "1", "m", "f", "a", "i", "l"...).
    (paste,) = escape_keys.SplitEscapeParser().feed("\x1b[200~\x1b[1mfail\x1b[0m\x1b[201~")
    assert isinstance(paste, events.Paste) and paste.text == "␛[1mfail␛[0m"

    def reads(*data: str) -> list:
        parser = escape_keys.SplitEscapeParser()
        return [token for one in data for token in parser.feed(one)]

    # A paste over several reads, its markers cut anywhere: still one paste, no key.
    for cut in ("\x1b[200~a\x1b[31mb|\x1b[0mc\x1b[201~", "\x1b[20|0~a\x1b[31mb\x1b[0mc\x1b[201~",
                "\x1b[200~a\x1b[31mb\x1b[0mc\x1b[2|01~", "\x1b[200~a\x1b[31mb\x1b[0mc\x1b|[201~"):
        (paste,) = reads(*cut.split("|"))
        assert paste.text == "a␛[31mb␛[0mc", cut
    # Option+→ right after an esc that went on alone: a word move still.
    assert [t.key for t in reads("\x1b", "\x1bf")] == ["escape", "ctrl+right"]
    assert keys("\x1b") == ["escape"]
    from textual.drivers import linux_driver

    escape_keys.install()
    assert linux_driver.XTermParser is escape_keys.SplitEscapeParser
    linux_driver.XTermParser = XTermParser  # as it was, for the tests after this one


async def test_option_arrow_in_the_note_editor_moves_by_word_and_esc_then_f_fails(
    locations, store, checklist
):
    """A Mac's option+→ sends ESC f in one read: in the note it is a word move, the editor
    stays open. Esc typed, then f (each read apart, as a person types them): the editor
    closes and f fails the item."""
    writer = store.create(checklist, auditor="Somchai", auditee="Moulding")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        typed(app, "egauge label")
        await settle(pilot)
        typed(app, "\x1b[H\x1bf!")  # home, option+→, then "!" typed after the word
        await settle(pilot)
        typed(app, "\x1b", "f")  # two reads, as a person types them
        await settle(pilot)
        records = saved(store, writer.session.id).records
    assert (records[0].result, records[0].note) == ("fail", "gauge! label")
