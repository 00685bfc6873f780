"""A session file replaced by another program while the walkthrough has it open: the
replacement is left as it is, the marks made here go to a kept copy beside it, and the
auditor is told on screen and again on the terminal when the app ends."""

from __future__ import annotations

import shutil

from auditui.session_toml import dumps_session, read_session_file
from auditui.store import read_session
from auditui.tui.app import AuditApp

from .conftest import saved


def open_with_a_replacement(store, checklist, tmp_path):
    """A session open for writing, and a copy of its file as another laptop changed it
    (another auditor), ready to be copied over it."""
    writer = store.create(checklist, auditor="Somchai", auditee="Moulding")
    other = read_session_file(store.path_for(writer.session.id))
    other.auditor = "Anan (another laptop)"
    replacement = tmp_path / "replacement.toml"
    replacement.write_bytes(dumps_session(other))
    return writer, replacement


async def test_a_replaced_session_file_is_kept_and_the_marks_go_beside_it(
    locations, store, checklist, tmp_path
):
    writer, replacement = open_with_a_replacement(store, checklist, tmp_path)
    session_id = writer.session.id
    path = store.path_for(session_id)
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        shutil.copyfile(replacement, path)  # copied over the open session
        await pilot.press("f")
        await pilot.pause()
        assert app.exit_notices and "replaced" in app.exit_notices[0]
        await pilot.press("q")
    assert path.read_bytes() == replacement.read_bytes()  # not overwritten on quit
    assert saved(store, session_id).auditor == "Anan (another laptop)"
    kept = sorted(store.folder.glob(f"{session_id}.kept-*.toml"))
    assert len(kept) == 1
    mine = read_session(kept[0])
    assert mine.auditor == "Somchai"
    assert [r.result for r in mine.records[:2]] == ["pass", "fail"]


async def test_the_warning_stays_on_screen_when_the_last_mark_says_all_is_answered(
    locations, store, checklist, tmp_path
):
    """One notice at a time, but an information notice ("Every item is answered") does
    not take the place of the warning the same key gave (the file was replaced)."""
    writer, replacement = open_with_a_replacement(store, checklist, tmp_path)
    path = store.path_for(writer.session.id)
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"p" * (len(writer.session.records) - 1))
        shutil.copyfile(replacement, path)
        await pilot.press("p")  # the last item
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert len(shown) == 2 and "replaced" in shown[0] and "Every item" in shown[1]
        await pilot.press("u")  # a later notice takes the place of the information only
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert len(shown) == 2 and "replaced" in shown[0] and "Every item" not in shown[1]
        await pilot.press("q")


async def test_a_sessions_folder_moved_away_while_open_is_said_and_nothing_is_lost(
    locations, store, checklist, tmp_path
):
    """The folder renamed (or its drive unplugged) under an open session: the next mark
    makes the folder again with this session in it, and the screen says so, instead of a
    new folder appearing without a word."""
    writer = store.create(checklist, auditor="Somchai", auditee="Moulding")
    session_id = writer.session.id
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        store.folder.rename(tmp_path / "sessions-away")
        await pilot.press("f")
        await pilot.pause()
        assert any("sessions folder" in n and "was gone" in n for n in app.exit_notices)
        await pilot.press("q")
    assert [r.result for r in saved(store, session_id).records[:2]] == ["pass", "fail"]
    assert (tmp_path / "sessions-away" / f"{session_id}.toml").exists()


async def test_the_notice_of_a_session_taken_stays_when_the_note_editor_closes(
    locations, store, checklist
):
    """The lock file removed and another auditui in: the notice that the marks now go to
    a kept copy came while a note was typed, and went with the editor a second later."""
    writer = store.create(checklist, auditor="Somchai", auditee="Moulding")
    session_id = writer.session.id
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        (store.folder / f"{session_id}.lock").unlink()
        other = store.open(session_id)
        await pilot.press("f", "e", *"gauge 7", "ctrl+s")
        await pilot.pause(0.3)
        said = [str(n.message) for n in app._notifications]
        assert any("was opened in another auditui" in line for line in said), said
        other.close()
    [kept] = store.folder.glob(f"{session_id}.kept-*.toml")
    assert read_session(kept).records[0].note == "gauge 7"
