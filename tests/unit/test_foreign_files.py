"""Files auditui did not write never get into a session: an import is exactly the file
imported, the lock is honoured by `import`, and a session file replaced while open is
kept as it is (this program's version is saved beside it, and the user is told)."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from auditui import journal
from auditui.session_toml import dumps_session, read_session_file
from auditui.store import read_session


@pytest.fixture
def saved(store, checklist, started):
    writer = store.create(checklist, started=started, auditor="Mai")
    writer.answer("4.1-a", result="pass", note="kept")
    writer.close()
    return writer.path


def exported_copy(path, tmp_path, **changes):
    """The session at `path` as another laptop would export it, with some answers changed."""
    session = read_session_file(path)  # the file alone: no journal of this laptop
    session.auditor = changes.pop("auditor", session.auditor)
    for item_id, note in changes.items():
        session.record(item_id.replace("_", ".")).note = note
    target = tmp_path / "from-another-laptop.toml"
    target.write_bytes(dumps_session(session))
    return target


def test_import_sets_aside_a_leftover_journal(store, saved, tmp_path, run_cli) -> None:
    export = exported_copy(saved, tmp_path, auditor="Anan")
    saved.unlink()
    stray = journal.encode(
        {"t": "meta", "updated": "2026-11-26T10:00:00+07:00", "auditor": "Somebody else",
         "auditee": "x", "title": "y"}
    )  # fmt: skip
    saved.with_suffix(".journal").write_bytes(stray)
    code, _, err = run_cli("--sessions-dir", store.folder, "import", export)
    assert code == 0, err
    assert "journal" in err and "not applied" in err
    assert read_session(saved) == read_session_file(export, follow=True)
    assert read_session(saved).auditor == "Anan"  # was: "Somebody else", from the journal
    assert not saved.with_suffix(".journal").exists()
    assert any(".journal.left-" in p.name for p in store.folder.iterdir())


def test_import_is_refused_while_the_session_is_open(store, saved, tmp_path, run_cli) -> None:
    export = exported_copy(saved, tmp_path, auditor="Anan")
    writer = store.open(saved.stem)
    writer.answer("4.2-a", result="fail", note="typed in the app")
    saved.unlink()
    code, _, err = run_cli("--sessions-dir", store.folder, "import", export)
    assert code == 1 and "open in another auditui" in err and "nothing was imported" in err
    writer.close()
    assert read_session(saved).record("4.2-a").note == "typed in the app"


def test_a_session_file_copied_over_an_open_session_is_not_overwritten(
    store, saved, tmp_path
) -> None:
    writer = store.open(saved.stem)
    writer.answer("4.2-a", result="fail", note="typed in the app")
    other = exported_copy(saved, tmp_path, auditor="Anan")
    shutil.copyfile(other, saved)  # a copy over it, same inode
    replacement = saved.read_bytes()
    # A reader in between does not bring the app's journal into the new file.
    assert read_session(saved).record("4.2-a").note == ""
    writer.answer("5.1-a", result="na")
    writer.close()
    assert saved.read_bytes() == replacement
    kept = sorted(store.folder.glob(f"{saved.stem}.kept-*.toml"))
    assert len(kept) == 1
    mine = read_session(kept[0])
    assert mine.record("4.2-a").note == "typed in the app"
    assert mine.record("5.1-a").result == "na"
    assert writer.notices and kept[0].name in writer.notices[0]


def test_a_touched_session_file_is_still_ours(store, saved) -> None:
    writer = store.open(saved.stem)
    writer.answer("4.2-a", result="fail")
    saved.touch()
    writer.close()
    assert list(store.folder.glob("*.kept-*")) == []
    assert read_session(saved).record("4.2-a").result == "fail"


def test_a_replaced_file_after_a_kill_does_not_take_the_old_journal(store, saved, tmp_path):
    writer = store.open(saved.stem)
    writer.answer("4.2-a", result="fail", note="before the copy")
    writer.abandon()  # killed: the journal stays
    other = exported_copy(saved, tmp_path, auditor="Anan")
    shutil.copyfile(other, saved)
    assert read_session(saved) == read_session_file(other, follow=True)
    reopened = store.open(saved.stem)
    reopened.answer("5.1-a", result="pass")
    reopened.close()
    session = read_session(saved)
    assert session.auditor == "Anan" and session.record("4.2-a").note == ""
    assert session.record("5.1-a").result == "pass"


def test_a_journal_left_by_a_crash_after_a_fold_is_dropped_quietly(store, saved) -> None:
    writer = store.open(saved.stem)
    writer.answer("4.2-a", result="fail", note="folded")
    journal_path = saved.with_suffix(".journal")
    left = journal_path.read_bytes()
    writer.close()  # folded: the snapshot holds the mark, the journal is gone
    journal_path.write_bytes(left)  # as if killed between the fold and the removal
    assert read_session(saved).record("4.2-a").note == "folded"
    store.open(saved.stem).close()
    assert sorted(p.name for p in store.folder.iterdir()) == [saved.name]


def test_a_journal_with_a_damaged_line_is_kept_aside_when_the_file_is_replaced(
    store, saved, tmp_path
) -> None:
    """Opened with a damaged journal line, the session was said to keep its journal aside
    at the next save; a file copied over it meanwhile made that save delete the journal."""
    from auditui import journal

    path = saved.with_suffix(".journal")
    path.write_bytes(
        journal.encode(journal.base_entry(hashlib.sha256(saved.read_bytes()).hexdigest()))
        + b"not an entry\n"
        + journal.encode({"t": "item", "item": "4.2-a", "result": "fail", "note": "after",
                          "grade": None, "recorded": "2026-11-25T10:00:00+07:00",
                          "updated": "2026-11-25T10:00:00+07:00"})  # fmt: skip
    )
    writer = store.open(saved.stem)
    assert "line 2 of" in writer.notices[0]
    shutil.copyfile(exported_copy(saved, tmp_path, auditor="Anan"), saved)
    writer.answer("5.1-a", result="na")
    writer.close()
    [aside] = store.folder.glob(f"{path.name}.damaged-*")
    assert b"not an entry" in aside.read_bytes()
    [kept] = store.folder.glob(f"{saved.stem}.kept-*.toml")
    assert read_session(kept).record("4.2-a").note == "after"
