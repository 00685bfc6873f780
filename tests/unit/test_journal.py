"""The journal beside an open session: each mark appended at once, replayed by every reader."""

from __future__ import annotations

import json
import os
from dataclasses import astuple

import pytest

from auditui import journal
from auditui.errors import AudituiError
from auditui.session_toml import read_session_file
from auditui.store import SessionWriter, read_session


@pytest.fixture
def writer(store, checklist, started):
    opened = store.create(checklist, started=started)
    yield opened
    if opened.lock.held:
        opened.abandon()


def journal_lines(writer: SessionWriter) -> list[dict]:
    """The journal's entries after its first line, which names the session file it
    continues (a `base` line with that file's SHA-256)."""
    raw = writer.path.with_suffix(".journal").read_bytes()
    assert raw.endswith(b"\n")
    entries = [json.loads(line) for line in raw.decode("utf-8").splitlines()]
    assert entries[0]["t"] == "base"
    return entries[1:]


def test_each_change_is_one_complete_line(writer) -> None:
    writer.answer("4.1-a", result="fail", note="Thai: ไม่มีบันทึก\r\nline 2", grade="major")
    writer.answer("4.2-a", result="pass")
    writer.set_details(auditor="Mai", auditee="Line 3", title="")
    entries = journal_lines(writer)
    assert [e["t"] for e in entries] == ["item", "item", "meta"]
    assert entries[0]["item"] == "4.1-a"
    assert entries[0]["note"] == "Thai: ไม่มีบันทึก\r\nline 2"
    assert entries[0]["grade"] == "major"
    assert entries[2]["auditor"] == "Mai"


def test_unchanged_answer_writes_nothing(writer) -> None:
    writer.answer("4.1-a", result="pass")
    size = writer.path.with_suffix(".journal").stat().st_size
    writer.answer("4.1-a", result="pass")
    assert writer.path.with_suffix(".journal").stat().st_size == size


def test_replaying_twice_gives_the_same_session(writer) -> None:
    writer.answer("4.1-a", result="fail", note="n", grade="minor")
    writer.answer("4.1-a", result="pass", note="fixed")
    once = read_session(writer.path)
    twice = read_session(writer.path)
    journal.replay(twice, writer.path.with_suffix(".journal"))
    assert [r.answer() for r in twice.records] == [r.answer() for r in once.records]
    assert astuple(once.record("4.1-a").answer())[:3] == ("pass", "fixed", None)


def test_crash_between_snapshot_and_journal_removal_loses_nothing(writer) -> None:
    writer.answer("4.1-a", result="fail", note="first")
    journal_bytes = writer.path.with_suffix(".journal").read_bytes()
    writer.snapshot()  # snapshot written, journal removed ...
    writer.path.with_suffix(".journal").write_bytes(journal_bytes)  # ... or not: crash
    assert astuple(read_session(writer.path).record("4.1-a").answer())[:2] == ("fail", "first")


def test_torn_last_line_is_ignored(writer) -> None:
    writer.answer("4.1-a", result="pass")
    writer.abandon()  # the program is gone: simulate what a crash mid-write leaves
    path = writer.path.with_suffix(".journal")
    with open(path, "ab") as handle:
        handle.write(b'{"t":"item","item":"4.2-a","result":"fa')
    session = read_session(writer.path)
    assert session.record("4.1-a").result == "pass"
    assert session.record("4.2-a").result == "unanswered"


def test_torn_last_line_is_dropped_when_the_session_is_resumed(writer, store) -> None:
    writer.answer("4.1-a", result="pass")
    writer.abandon()
    path = writer.path.with_suffix(".journal")
    with open(path, "ab") as handle:
        handle.write(b'{"t":"item","item":"4.2-a"')
    resumed = store.open(writer.session.id)
    resumed.answer("5.1-a", result="fail")
    resumed.answer("5.2-a", result="na")
    # Before any fold (a second crash now): the new marks are readable, not glued
    # onto the torn line.
    live = read_session(writer.path)
    expected = ["pass", "unanswered", "fail", "na"]
    assert [r.result for r in live.records] == expected
    resumed.close()
    assert [r.result for r in read_session_file(writer.path).records] == expected


@pytest.mark.parametrize(
    "damage",
    [
        b"this is not json\n",
        b'{"t":"item","item":"no-such-item","result":"pass","note":"","grade":null,'
        b'"recorded":null,"updated":"2026-11-25T10:00:00+07:00"}\n',
        b'{"t":"item","item":"4.2-a","result":"maybe","note":"","grade":null,'
        b'"recorded":null,"updated":"2026-11-25T10:00:00+07:00"}\n',
        b'{"t":"item","item":"4.2-a","result":"pass","note":"","grade":"major",'
        b'"recorded":null,"updated":"2026-11-25T10:00:00+07:00"}\n',
        b'{"t":"item","item":"4.2-a","result":"pass","note":"","grade":null,'
        b'"recorded":"0001-01-01T00:00:00","updated":"2026-11-25T10:00:00+07:00"}\n',
        b'{"t":"surprise"}\n',
        b"[1, 2, 3]\n",
        b"\xff\xfe\n",
    ],
    ids=[
        "not-json",
        "unknown-item",
        "bad-result",
        "grade-does-not-fit",
        "date-out-of-range",
        "unknown-type",
        "not-an-object",
        "not-utf8",
    ],
)
def test_a_damaged_middle_line_is_left_out_and_the_lines_after_it_applied(
    writer, store, run_cli, damage: bytes
) -> None:
    """A damaged line before the last refused the session in every command, the marks
    after it out of reach. It is left out now, named by its number, and the rest applied."""
    writer.answer("4.1-a", result="pass")
    writer.abandon()
    path = writer.path.with_suffix(".journal")
    good = path.read_bytes()
    later = b'{"t":"item","item":"4.2-a","result":"fail","note":"after","grade":null,' \
        b'"recorded":"2026-11-25T10:00:00+07:00","updated":"2026-11-25T10:00:00+07:00"}\n'
    path.write_bytes(good + damage + later)
    session = read_session(writer.path)
    assert [session.record(i).result for i in ("4.1-a", "4.2-a")] == ["pass", "fail"]
    line = good.count(b"\n") + 1  # after the base line and one mark
    code, out, err = run_cli("export", writer.session.id, "--sessions-dir", store.folder)
    assert code == 0 and 'note = "after"' in out
    said = err.strip()
    assert said.startswith(
        f"auditui: {writer.path}: line {line} of {path.name} is damaged and left out ("
    )
    assert said.endswith("the 2 other changes are applied)") and "\n" not in said
    # The item the line was about, where it can be read; else that a mark may be missing.
    assert ("may lack a change" in said) == (b'"item"' in damage), said
    assert ("a mark may be missing" in said) == (b'"item"' not in damage), said


def test_a_damaged_first_line_applies_nothing_as_it_may_name_another_file(
    writer, store, sessions_dir, run_cli
) -> None:
    """The first line names the version of the session file the journal continues: with
    it unreadable, the journal may belong to another version (a file replaced while a
    crash left its journal), so none of it is applied; the session is listed and said,
    and opening it keeps the journal aside."""
    writer.answer("4.1-a", result="pass")
    writer.abandon()
    path = writer.path.with_suffix(".journal")
    path.write_bytes(b"garbage" + path.read_bytes()[7:])  # the base line's start bitten off
    code, out, err = run_cli("sessions", "--format", "toml", "--sessions-dir", sessions_dir)
    assert code == 0 and f'id = "{writer.session.id}"' in out
    said = [line for line in err.splitlines() if "damaged" in line]
    assert len(said) == 1 and f"line 1 of {path.name}, which names the version" in said[0]
    assert "its 1 change is not applied" in said[0]
    assert read_session(writer.path).record("4.1-a").result == "unanswered"
    code, _, err = run_cli("finish", writer.session.id, "--conclusion", "ok",
                           "--sessions-dir", sessions_dir)  # fmt: skip
    assert code == 1 and "a mark may be missing: resume the session" in err
    assert f"the journal is kept as {path.name}.damaged-" in err  # said, before the refusal
    assert not read_session(writer.path).is_finished
    assert not path.exists() and len(list(sessions_dir.glob(f"{path.name}.damaged-*"))) == 1
    opened = store.open(writer.session.id)  # as saved, the journal aside: nothing to say
    assert opened.session.record("4.1-a").result == "unanswered" and opened.notices == []
    opened.close()


def test_a_damaged_middle_line_names_its_item_and_stops_a_finish(
    writer, sessions_dir, run_cli
) -> None:
    """Sealed, a session missing a mark is signed for: `finish` refuses until the session
    was opened (and looked at); the notice names the item the line was about."""
    writer.answer("4.1-a", result="pass")
    writer.abandon()
    path = writer.path.with_suffix(".journal")
    good = path.read_bytes()
    entry = good.split(b"\n")[1] + b"\n"
    path.write_bytes(good + b'{"t":"item","item":"4.2-a","result":"pass",\x00}\n' + entry)
    code, _, err = run_cli("finish", writer.session.id, "--conclusion", "ok",
                           "--sessions-dir", sessions_dir)  # fmt: skip
    assert code == 1
    assert "item 4.2-a may lack a change" in err
    assert "a mark may be missing: resume the session" in err
    assert not read_session(writer.path).is_finished


def test_a_base_line_after_the_first_is_damage(writer) -> None:
    writer.answer("4.1-a", result="pass")
    writer.abandon()
    path = writer.path.with_suffix(".journal")
    good = path.read_bytes()
    base = good.split(b"\n")[0] + b"\n"
    path.write_bytes(good + base + good[len(base):])
    session = read_session(writer.path)
    assert session.record("4.1-a").result == "pass"
    from auditui.store import left_out_journal

    said = str(left_out_journal(writer.path))
    assert f"line 3 of {path.name} is damaged and left out" in said


def test_journal_is_folded_into_a_snapshot_every_so_often(writer, monkeypatch) -> None:
    monkeypatch.setattr(SessionWriter, "COMPACT_AFTER", 3)
    journal_path = writer.path.with_suffix(".journal")
    writer.answer("4.1-a", result="pass")
    writer.answer("4.2-a", result="pass")
    assert journal_path.exists()
    writer.answer("5.1-a", result="fail")
    assert not journal_path.exists()
    snapshot = read_session_file(writer.path)
    assert snapshot.summary().answered == 3
    writer.answer("5.2-a", result="na")
    assert len(journal_lines(writer)) == 1
    assert read_session(writer.path).summary().answered == 4


def test_journal_writer_cuts_back_a_failed_append(tmp_path, monkeypatch) -> None:
    path = tmp_path / "x.journal"
    writer = journal.JournalWriter(path)
    writer.append(b"one\n")
    real_write = os.write

    def short_then_fail(fd, data):
        real_write(fd, bytes(data[:2]))
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "write", short_then_fail)
    with pytest.raises(AudituiError, match="Input/output error"):
        writer.append(b"two\n")
    monkeypatch.undo()
    assert path.read_bytes() == b"one\n"
    writer.append(b"three\n")
    assert path.read_bytes() == b"one\nthree\n"
    writer.remove()
    assert not path.exists()


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        (b"one\ntw", b"one\nthree\n"),
        (b"torn without any newline", b"three\n"),
        (b"one\n", b"one\nthree\n"),
        (b"", b"three\n"),
        (b"x" * 10_000 + b"\n" + b"y" * 9_000, b"x" * 10_000 + b"\nthree\n"),
    ],
    ids=["torn-tail", "only-a-torn-line", "clean", "empty", "long-lines"],
)
def test_journal_writer_cuts_off_a_torn_tail_before_appending(tmp_path, existing, expected):
    path = tmp_path / "x.journal"
    path.write_bytes(existing)
    writer = journal.JournalWriter(path)
    writer.append(b"three\n")
    writer.close()
    assert path.read_bytes() == expected


def test_a_journal_left_beside_its_fold_is_dropped_even_when_an_item_changed_twice(
    store, checklist, started
) -> None:
    # A crash between writing the folded session file and removing the journal: the
    # journal's last word on each item is in the file, so nothing in it is new.
    writer = store.create(checklist, started=started)
    writer.answer("4.1-a", result="pass", note="first look")
    writer.answer("4.1-a", result="fail", note="second look")
    journal = writer.path.with_suffix(".journal")
    left_over = journal.read_bytes()
    writer.close()
    journal.write_bytes(left_over)
    reopened = store.open(writer.session.id)
    assert astuple(reopened.session.record("4.1-a").answer())[:2] == ("fail", "second look")
    reopened.close()
    assert sorted(p.name for p in store.folder.iterdir() if "journal" in p.name) == []
