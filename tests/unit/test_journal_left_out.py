"""A journal that cannot be applied in full is never dropped without a word.

After a crash the journal holds the last marks; if the session file is then edited by
hand (or put back from a copy), the journal continues another version of it and is not
applied. Opening the session keeps it aside and says so, in the app and in the commands
that open a session, naming the journal and how many changes it holds.
"""

from __future__ import annotations

from auditui.session_toml import read_session_file
from auditui.store import SessionStore


def crash_then_edit_by_hand(store: SessionStore, checklist) -> str:
    """Two marks in the journal, the program gone, then the file changed by hand."""
    writer = store.create(checklist, auditor="Mai", auditee="Moulding")
    writer.answer("4.1-a", result="fail", note="no label")
    writer.answer("4.2-a", result="pass")
    writer.abandon()  # the laptop died: the marks are in the journal only
    path = store.path_for(writer.session.id)
    text = path.read_text("utf-8").replace('auditee = "Moulding"', 'auditee = "Moulding line"')
    path.write_text(text, "utf-8")
    return writer.session.id


def test_opening_says_the_journal_is_left_out_and_keeps_it_aside(store, checklist) -> None:
    session_id = crash_then_edit_by_hand(store, checklist)
    path = store.path_for(session_id)
    writer = store.open(session_id)
    assert len(writer.notices) == 1
    said = writer.notices[0]
    assert f"{session_id}.journal holds 2 changes" in said
    assert "not applied" in said and ".journal.foreign-" in said
    writer.close()
    kept = list(store.folder.glob(f"{session_id}.journal.foreign-*"))
    assert len(kept) == 1
    assert b"no label" in kept[0].read_bytes()  # the marks are there to be typed again
    assert read_session_file(path).auditee == "Moulding line"  # the hand edit stays


def test_finish_prints_it(store, checklist, run_cli) -> None:
    session_id = crash_then_edit_by_hand(store, checklist)
    code, _, err = run_cli(
        "finish", session_id, "--sessions-dir", store.folder,
        "--conclusion", "Done", "--sign", "Mai (auditor)",
    )  # fmt: skip
    assert code == 0
    assert f"auditui: {session_id}.journal holds 2 changes" in err


def test_a_damaged_last_line_is_said_too(store, checklist) -> None:
    writer = store.create(checklist, auditor="Mai")
    writer.answer("4.1-a", result="pass")
    writer.abandon()
    journal = store.path_for(writer.session.id).with_suffix(".journal")
    with open(journal, "ab") as handle:
        handle.write(b'{"t":"item","item":"no-such-item"}\n')
    opened = store.open(writer.session.id)
    assert opened.session.record("4.1-a").result == "pass"
    assert len(opened.notices) == 1
    assert "last line" in opened.notices[0] and "damaged" in opened.notices[0]
    assert "the 1 change before it is applied" in opened.notices[0]
    opened.close()
    assert len(list(store.folder.glob(f"{writer.session.id}.journal.damaged-*"))) == 1


def test_a_clean_open_says_nothing(store, checklist) -> None:
    writer = store.create(checklist, auditor="Mai")
    writer.answer("4.1-a", result="pass")
    writer.abandon()
    opened = store.open(writer.session.id)
    assert opened.notices == []
    opened.close()


async def test_the_app_shows_it_and_prints_it_on_leaving(locations, store, checklist) -> None:
    from auditui.tui.app import AuditApp

    session_id = crash_then_edit_by_hand(store, checklist)
    app = AuditApp(locations, store=store, writer=store.open(session_id))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = [str(n.message) for n in app._notifications]
        assert any(f"{session_id}.journal holds 2 changes" in text for text in shown)
        await pilot.press("q")
    assert any(f"{session_id}.journal holds 2 changes" in n for n in app.exit_notices)
