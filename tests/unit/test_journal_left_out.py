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


def test_opening_says_the_journal_is_left_out_and_where_it_is_kept(store, checklist) -> None:
    session_id = crash_then_edit_by_hand(store, checklist)
    path = store.path_for(session_id)
    writer = store.open(session_id)
    kept = list(store.folder.glob(f"{session_id}.journal.foreign-*"))
    assert len(kept) == 1  # kept aside at once, under the name said
    assert writer.notices == [
        f"{session_id}.journal holds 2 changes made to another version of {path.name} (the "
        "file was changed outside auditui after they were made, as after a crash): they "
        f"are not applied; the journal is kept as {kept[0].name}"
    ]
    assert b"no label" in kept[0].read_bytes()  # the marks are there to be typed again
    writer.answer("5.1-a", result="pass")  # a new journal, for this version of the file
    writer.close()
    assert read_session_file(path).auditee == "Moulding line"  # the hand edit stays
    assert read_session_file(path).record("5.1-a").result == "pass"
    assert list(store.folder.glob(f"{session_id}.journal.foreign-*")) == kept


def test_commands_that_only_read_say_the_marks_are_not_counted(store, checklist, run_cli):
    """`sessions` counted 0 answered and `export` showed every item unanswered, with no
    word of the journal's marks: each names the journal and what to do."""
    session_id = crash_then_edit_by_hand(store, checklist)
    path = store.path_for(session_id)
    said = (
        f"auditui: {path}: {session_id}.journal holds 2 changes made to another version of "
        f"{path.name}"
    )
    for command in (["sessions"], ["export", session_id], ["report", session_id],
                    ["compare", session_id, session_id], ["findings"]):  # fmt: skip
        code, out, err = run_cli(*command, "--sessions-dir", store.folder)
        assert code == 0 and said in err, (command, err)
        assert "resume the session to keep the journal aside" in err
        assert len([line for line in err.splitlines() if said in line]) == 1, command
    assert session_id in run_cli("sessions", "--sessions-dir", store.folder)[1]  # listed
    store.open(session_id).close()
    code, _, err = run_cli("sessions", "--sessions-dir", store.folder)
    assert code == 0 and err == ""


def test_the_export_of_a_later_session_names_an_earlier_ones_journal(
    store, checklist, run_cli
) -> None:
    """The export carries the findings the history makes of its fails: a journal left out
    of an earlier session (its fail not counted) is said there too, as it was before the
    history was read from the index."""
    earlier = crash_then_edit_by_hand(store, checklist)
    later = store.create(checklist, auditor="Mai", auditee="Moulding")
    later.answer("4.1-a", result="fail")
    later.close()
    code, _, err = run_cli("export", later.session.id, "--sessions-dir", store.folder)
    assert code == 0
    assert f"{earlier}.journal holds 2 changes made to another version" in err


def test_finish_prints_it(store, checklist, run_cli) -> None:
    session_id = crash_then_edit_by_hand(store, checklist)
    code, _, err = run_cli(
        "finish", session_id, "--sessions-dir", store.folder,
        "--conclusion", "Done", "--sign", "Mai (auditor)",
    )  # fmt: skip
    assert code == 0
    assert f"auditui: {session_id}.journal holds 2 changes" in err


def with_a_damaged_last_line(store, checklist, line: bytes):
    """A session whose journal holds one mark (4.1-a passed), then `line`, whole: (its
    writer, the journal's path)."""
    writer = store.create(checklist, auditor="Mai")
    writer.answer("4.1-a", result="pass")
    writer.abandon()
    journal = store.path_for(writer.session.id).with_suffix(".journal")
    with open(journal, "ab") as handle:
        handle.write(line)
    return writer, journal


def test_a_damaged_last_line_is_said_too(store, checklist) -> None:
    writer, _ = with_a_damaged_last_line(store, checklist, b'{"t":"item","item":"no-such-item"}\n')
    opened = store.open(writer.session.id)
    assert opened.session.record("4.1-a").result == "pass"
    assert len(opened.notices) == 1
    assert "last line" in opened.notices[0] and "damaged" in opened.notices[0]
    assert "the 1 change before it is applied" in opened.notices[0]
    opened.close()
    assert len(list(store.folder.glob(f"{writer.session.id}.journal.damaged-*"))) == 1
    assert "kept aside as " in opened.notices[0] and ".journal.damaged-… at the next save" in (
        opened.notices[0]
    )


def test_commands_that_only_read_say_a_damaged_last_line(store, checklist, run_cli) -> None:
    """A whole last line that is no entry (an unknown item, written by hand) was left out
    by `export` and the lists without a word; the app said it."""
    line = b'{"t":"item","item":"NOPE","result":"zzz","note":"","grade":null}\n'
    writer, journal = with_a_damaged_last_line(store, checklist, line)
    for command in (["export", writer.session.id], ["sessions"]):
        code, out, err = run_cli(*command, "--sessions-dir", store.folder)
        assert code == 0, err
        said = [line for line in err.splitlines() if "damaged" in line]
        assert len(said) == 1 and "the 1 change before it is applied" in said[0], command
    assert journal.exists()  # only read: nothing moved
    code, out, _ = run_cli("export", writer.session.id, "--sessions-dir", store.folder)
    assert code == 0 and 'result = "pass"' in out  # the change before it is applied


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


def test_a_session_opened_to_be_read_says_its_journal_is_left_out_and_moves_nothing(
    store, checklist, monkeypatch
) -> None:
    """On storage that cannot be written (the app opens the session to be read), a
    journal left out was not said at all."""
    from auditui.errors import AudituiError
    from auditui.lock import SessionLock

    session_id = crash_then_edit_by_hand(store, checklist)

    def no_lock(self) -> None:
        raise AudituiError("cannot create the lock file: Read-only file system", path=self.path)

    monkeypatch.setattr(SessionLock, "acquire", no_lock)
    before = sorted(p.name for p in store.folder.iterdir())
    opened = store.open(session_id, read_only_ok=True)
    assert len(opened.notices) == 1
    assert "holds 2 changes made to another version" in opened.notices[0]
    assert "kept" not in opened.notices[0]  # nothing is set aside where nothing is written
    opened.close()
    assert sorted(p.name for p in store.folder.iterdir()) == before
