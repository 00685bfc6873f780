"""Quitting gives the terminal back first and folds the journal after: keys typed while a
big session's file is written reach the shell instead of being swallowed by the app."""

from __future__ import annotations

import gc

from auditui.commands.app import launch
from auditui.session_toml import read_session_file
from auditui.store import SessionWriter
from auditui.tui.app import AuditApp


def test_the_fold_comes_after_the_app_has_ended(locations, store, checklist, monkeypatch):
    writer = store.create(checklist, auditor="Mai", auditee="Moulding")
    session_id = writer.session.id
    app = AuditApp(locations, store=store, writer=writer)
    seen: dict[str, bool] = {}
    real_close = SessionWriter.close

    def close(self: SessionWriter) -> None:
        seen["app running"] = app.is_running
        seen["journal there"] = self.journal.path.exists()
        real_close(self)

    monkeypatch.setattr(SessionWriter, "close", close)

    async def auto_pilot(pilot) -> None:
        await pilot.press("p", "f", "e", *"gauge 7", "ctrl+q")  # quit from the note editor
        assert writer.closing  # a key still on its way now changes nothing
        await pilot.pause()

    run = app.run
    monkeypatch.setattr(
        app, "run", lambda: run(headless=True, size=(80, 24), auto_pilot=auto_pilot)
    )
    try:
        assert launch(app) == 0
    finally:
        gc.unfreeze()
    assert seen == {"app running": False, "journal there": True}
    path = store.path_for(session_id)
    on_disk = read_session_file(path)  # the file alone, without the journal
    assert [r.result for r in on_disk.records[:3]] == ["pass", "fail", "unanswered"]
    assert on_disk.records[1].note == "gauge 7"
    assert not path.with_suffix(".journal").exists()
    assert not path.with_suffix(".lock").exists()


def test_sigterm_saves_the_note_being_typed_and_ends_as_quitting_does(
    locations, store, checklist, monkeypatch
):
    """`kill` (a shutdown) ended the app at once: the last keys of a note were lost, the
    journal not folded, the terminal left in the app's screen."""
    import os
    import signal

    writer = store.create(checklist, auditor="Mai", auditee="Moulding")
    session_id = writer.session.id
    app = AuditApp(locations, store=store, writer=writer)

    async def auto_pilot(pilot) -> None:
        await pilot.press("f", "e", *"gauge 7 out of date")
        os.kill(os.getpid(), signal.SIGTERM)
        await pilot.pause(0.2)

    run = app.run
    monkeypatch.setattr(
        app, "run", lambda: run(headless=True, size=(80, 24), auto_pilot=auto_pilot)
    )
    try:
        assert launch(app) == 128 + signal.SIGTERM
    finally:
        gc.unfreeze()
    path = store.path_for(session_id)
    assert not path.with_suffix(".journal").exists()  # folded
    assert read_session_file(path).records[0].note == "gauge 7 out of date"
