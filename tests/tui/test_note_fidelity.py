"""The note editor saves a note nobody edited exactly as it was: TextArea keeps one kind
of line break and breaks lines at U+2028, U+2029, U+0085, \\v and \\f, so what it shows
may differ from the note."""

from __future__ import annotations

import pytest

from auditui.tui.app import AuditApp

from .conftest import saved

ODD_NOTES = [
    "line one\nline two\r\nline three",
    "sep\u2028para\u2029next\u0085nel",
    "tab\vvertical\fform feed\rlone CR",
]


@pytest.mark.parametrize("note", ODD_NOTES, ids=["mixed-breaks", "unicode-breaks", "vt-ff-cr"])
async def test_an_unchanged_note_is_saved_unchanged(locations, store, checklist, note):
    writer = store.create(checklist, auditor="Somchai", auditee="Moulding")
    item_id = checklist.items[0].id
    writer.answer(item_id, note=note)  # still unanswered: the walkthrough opens on it
    session_id = writer.session.id
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await pilot.pause(0.4)  # past the draft delay
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert saved(store, session_id).record(item_id).note == note
        await pilot.press("e", "escape")
        await pilot.pause()
        await pilot.press("q")
    assert saved(store, session_id).record(item_id).note == note


async def test_an_edited_note_is_saved_as_typed(locations, store, checklist):
    writer = store.create(checklist, auditor="Somchai", auditee="Moulding")
    item_id = checklist.items[0].id
    writer.answer(item_id, note="first")
    session_id = writer.session.id
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", *" and more", "ctrl+s")
        await pilot.pause()
        await pilot.press("q")
    assert saved(store, session_id).record(item_id).note == "first and more"


async def test_joiners_typed_in_a_note_are_kept(locations, store, checklist):
    """An emoji picker or a keyboard typing 👨‍👩‍👧 sends zero-width joiners between the
    people: Textual took them for unprintable keys, and the family became three people."""
    from textual import events

    writer = store.create(checklist, auditor="Somchai", auditee="Moulding")
    session_id = writer.session.id
    app = AuditApp(locations, writer=writer)
    family = "👨\u200d👩\u200d👧 x\u200cy ไม่มี\u200bป้าย co\u00adoperate"  # Thai word break
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen.focused
        for character in family:  # as the terminal hands them over, one key each
            editor.post_message(events.Key(character, character))
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert saved(store, session_id).records[0].note == family
