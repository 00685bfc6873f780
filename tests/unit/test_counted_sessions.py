"""Which sessions count: a backup copy of a session file is not a second audit, and a
session dated in the future (a laptop with a wrong clock) does not become the latest
audit; the user is told about both."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta

import pytest

from auditui.session_toml import dumps_session, read_session_file
from auditui.timeutil import now


@pytest.fixture
def failed_once(store, checklist, started):
    """One audit that failed item 4.1-a."""
    writer = store.create(checklist, started=started)
    writer.answer("4.1-a", result="fail", note="no records")
    writer.close()
    return writer.path


def test_a_backup_copy_is_not_a_second_audit(store, failed_once, run_cli) -> None:
    shutil.copyfile(failed_once, store.folder / "backup.toml")
    code, out, err = run_cli("--sessions-dir", store.folder, "findings")
    assert code == 0
    assert "in a row" not in out  # was: "failed 2 audits in a row"
    assert "backup.toml" in err and "copy" in err
    code, out, err = run_cli("--sessions-dir", store.folder, "sessions", "--format", "toml")
    assert out.count("[[sessions]]") == 1
    assert f"{failed_once.stem}.toml" in out and "backup.toml" in err


def test_the_file_named_after_the_id_counts_whatever_the_names_sort_as(store, failed_once):
    copy = store.folder / "0-older-copy.toml"
    session = read_session_file(failed_once)
    session.record("4.1-a").note = "edited copy"
    copy.write_bytes(dumps_session(session))
    notices = []
    sessions = store.list_sessions(on_error=notices.append)
    assert [s.path.name for s in sessions] == [failed_once.name]
    assert sessions[0].record("4.1-a").note == "no records"
    assert [n.path.name for n in notices] == [copy.name]


def future_session(store, checklist, started: datetime):
    writer = store.create(checklist, started=started)
    for item in checklist.items:
        writer.answer(item.id, result="pass")
    writer.close()
    return writer.path


def test_a_session_from_the_future_does_not_hide_the_findings(
    store, checklist, failed_once, run_cli
) -> None:
    future = future_session(store, checklist, datetime(9999, 1, 1, 9, 0).astimezone())
    code, out, err = run_cli("--sessions-dir", store.folder, "findings")
    assert code == 0
    assert "4.1-a" in out and "no records" in out  # was: "no failed items"
    assert future.stem in err and "clock" in err
    code, out, err = run_cli("--sessions-dir", store.folder, "sessions", "--format", "toml")
    assert out.count("[[sessions]]") == 2  # listed, so it can be found and fixed
    assert future.stem in err and "(left out)" not in err
    code, out, err = run_cli(
        "--sessions-dir", store.folder, "trend", checklist.id, "--format", "toml"
    )
    assert future.stem not in out


def test_previous_skips_a_session_from_the_future(store, checklist, failed_once, started):
    future_session(store, checklist, datetime(9999, 1, 1, 9, 0).astimezone())
    writer = store.create(checklist)
    try:
        assert store.previous(writer.session).path == failed_once.absolute()
    finally:
        writer.close()


def test_a_clock_a_few_hours_ahead_still_counts(store, checklist, failed_once) -> None:
    soon = future_session(store, checklist, now() + timedelta(hours=5))
    assert [s.path.name for s in store.list_sessions()][-1] == soon.name


def test_sessions_of_a_checklist_lists_one_from_the_future_too(
    store, checklist, run_cli
) -> None:
    """`sessions` lists a session with a start in the future (to be found and fixed); with
    `--checklist` it is found by its checklist's id, or a start of it, even when no other
    session and no checklist file has that id. An empty id picks no checklist."""
    future = future_session(store, checklist, datetime(9999, 1, 1, 9, 0).astimezone())
    folder = ("--sessions-dir", store.folder)
    for reference in (checklist.id, checklist.id[:-1]):
        code, out, err = run_cli(*folder, "sessions", "--checklist", reference,
                                 "--format", "toml")  # fmt: skip
        assert code == 0, err
        assert out.count("[[sessions]]") == 1 and future.stem in out
    code, out, err = run_cli(*folder, "trend", "")
    assert code == 1 and out == "" and "give a checklist id" in err
