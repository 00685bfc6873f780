"""The index of the sessions folder: used only while a session file and its journal are
exactly as they were, never in the way, never beside the data (session_index.py)."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from auditui import filecache, session_index
from auditui.session_index import Digest, SessionIndex


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test's cache folder, taking files however fresh (tests cannot wait 2 s)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("AUDITUI_CACHE_DIR", str(folder))
    monkeypatch.setattr(filecache, "MIN_AGE_NS", -(10**12))
    return folder


def spy_on_session_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every session file read in full (from the file or the cache of read files)."""
    import auditui.findings
    import auditui.store

    read: list[Path] = []
    real = auditui.store.read_session

    def spy(path, **options):
        read.append(Path(path))
        return real(path, **options)

    for module in (auditui.store, auditui.findings):
        monkeypatch.setattr(module, "read_session", spy)
    return read


@pytest.fixture
def history(store, checklist):
    """Three sessions: a fail and a pass of 4.1-a, and one in work (its marks in the
    journal, not yet folded into the file)."""
    paths = []
    for result in ("fail", "pass"):
        writer = store.create(checklist)
        writer.answer("4.1-a", result=result, note=f"{result} [bold]x[/]")
        writer.close()
        paths.append(writer.path)
    writer = store.create(checklist)
    writer.answer("4.1-a", result="fail", note="open again")
    writer.answer("4.2-a", result="na")
    writer.abandon()
    paths.append(writer.path)
    return paths


def test_a_second_listing_reads_no_session(cache, store, history, run_cli, monkeypatch):
    argv = ("--sessions-dir", store.folder, "sessions", "--format", "toml")
    code, first, _ = run_cli(*argv)
    assert code == 0
    assert (cache / session_index.NAME).is_file()
    read = spy_on_session_reads(monkeypatch)
    code, again, _ = run_cli(*argv)
    assert code == 0 and again == first
    assert read == []
    code, findings_out, _ = run_cli("--sessions-dir", store.folder, "findings", "--format", "toml")
    assert code == 0
    # Only the session whose item the open finding shows is read, for its note.
    assert read == [history[2]]
    assert 'note = "open again"' in findings_out


def test_trend_comes_from_the_index_and_says_what_reading_every_file_says(
    cache, store, history, checklist, run_cli, monkeypatch
):
    """`trend` draws each session's sections from its row in the index: a second trend
    reads no session, and says exactly what it says with no cache or index at all (a
    scoped session and marks still in a journal included)."""
    scoped = store.create(checklist, scope=["4"])
    scoped.answer("4.1-a", result="pass")
    scoped.close()
    argv = ("--sessions-dir", store.folder, "trend", "demo", "--format", "toml")
    code, first, _ = run_cli(*argv)
    assert code == 0 and first.count("[[points]]") == 4
    read = spy_on_session_reads(monkeypatch)
    code, again, _ = run_cli(*argv)
    assert code == 0 and again == first
    assert read == []
    code, text, _ = run_cli(*argv[:-2])
    monkeypatch.setenv("AUDITUI_NO_CACHE", "1")
    assert run_cli(*argv) == (0, first, "")
    assert run_cli(*argv[:-2])[1] == text


def test_a_mark_in_the_journal_is_seen(cache, store, history, run_cli) -> None:
    argv = ("--sessions-dir", store.folder, "sessions", "--format", "toml")
    run_cli(*argv)
    writer = store.open(history[0].stem)
    writer.answer("4.2-a", result="pass")
    writer.abandon()  # the mark is in the journal only
    code, out, _ = run_cli(*argv)
    assert code == 0
    first = out.split("[[sessions]]")[1]
    assert history[0].stem in first and "answered = 2" in first


def test_a_file_copied_over_a_session_is_seen(cache, store, history, run_cli) -> None:
    argv = ("--sessions-dir", store.folder, "findings", "--format", "toml")
    code, before, _ = run_cli(*argv)
    assert "open again" in before
    # The third session is replaced by the second's content under its own name.
    shutil.copyfile(history[2], history[2].with_name("spare"))
    history[2].with_suffix(".journal").unlink()
    text = history[1].read_text(encoding="utf-8").replace(history[1].stem, history[2].stem)
    history[2].write_text(text, encoding="utf-8")
    code, after, _ = run_cli(*argv)
    assert code == 0
    assert "open again" not in after


def test_the_index_gives_back_what_reading_gives(cache, store, history) -> None:
    from auditui.store import read_session

    with SessionIndex(store.folder) as index:
        for path in history:
            identity = session_index.identity_of(path, path.with_suffix(".journal"))
            index.remember(path, identity, Digest.of(read_session(path)))
    with SessionIndex(store.folder) as index:
        for path in history:
            identity = session_index.identity_of(path, path.with_suffix(".journal"))
            assert index.lookup(path, identity) == Digest.of(read_session(path))


def test_a_damaged_index_is_replaced_and_never_fails_a_command(
    cache, store, history, run_cli
) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    (cache / session_index.NAME).write_bytes(b"not a database at all" * 100)
    code, out, err = run_cli("--sessions-dir", store.folder, "sessions", "--format", "toml")
    assert code == 0 and err == ""
    assert out.count("[[sessions]]") == 3
    with sqlite3.connect(cache / session_index.NAME) as db:
        assert db.execute("SELECT count(*) FROM entries").fetchone()[0] == 3


def test_rows_of_other_code_are_not_used(cache, store, history, run_cli, monkeypatch) -> None:
    argv = ("--sessions-dir", store.folder, "sessions", "--format", "toml")
    run_cli(*argv)
    monkeypatch.setattr(filecache, "code_stamp", lambda: ("another version",))
    read = spy_on_session_reads(monkeypatch)
    code, _, _ = run_cli(*argv)
    assert code == 0
    assert sorted(read) == sorted(history)


def test_a_row_with_a_wrong_digest_is_a_wrong_answer_only_if_the_file_is_unchanged(
    cache, store, history, run_cli
) -> None:
    """The index is trusted exactly as the cache of read files is: what is in it for an
    unchanged file is what reading gave. A change to the file makes it read again."""
    argv = ("--sessions-dir", store.folder, "sessions", "--format", "toml")
    run_cli(*argv)
    os.utime(history[0])  # a touch changes the times: read again
    with sqlite3.connect(cache / session_index.NAME) as db:
        db.execute("UPDATE entries SET digest = 'garbage' WHERE name = ?", (history[1].name,))
    code, out, err = run_cli(*argv)
    assert code == 0 and err == ""
    assert out.count("[[sessions]]") == 3


def test_a_cache_folder_that_cannot_be_used_never_fails(
    store, history, run_cli, tmp_path, monkeypatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("x")
    monkeypatch.setenv("AUDITUI_CACHE_DIR", str(blocked / "cache"))
    monkeypatch.setattr(filecache, "MIN_AGE_NS", -(10**12))
    code, out, err = run_cli("--sessions-dir", store.folder, "sessions", "--format", "toml")
    assert code == 0 and err == ""
    assert out.count("[[sessions]]") == 3


def test_nothing_is_written_beside_the_sessions(cache, store, history, run_cli) -> None:
    before = sorted(p.name for p in store.folder.iterdir())
    run_cli("--sessions-dir", store.folder, "sessions")
    run_cli("--sessions-dir", store.folder, "findings")
    assert sorted(p.name for p in store.folder.iterdir()) == before


def test_files_changed_moments_ago_are_not_indexed(store, history, run_cli, tmp_path) -> None:
    run_cli("--sessions-dir", store.folder, "sessions")
    with sqlite3.connect(tmp_path / "cache" / session_index.NAME) as db:
        assert db.execute("SELECT count(*) FROM entries").fetchone()[0] == 0


def test_rows_of_deleted_sessions_are_dropped(cache, store, history, run_cli) -> None:
    run_cli("--sessions-dir", store.folder, "sessions")
    history[0].unlink()
    run_cli("--sessions-dir", store.folder, "sessions")
    with sqlite3.connect(cache / session_index.NAME) as db:
        names = {row[0] for row in db.execute("SELECT name FROM entries")}
    assert names == {history[1].name, history[2].name}


def test_a_listing_keeps_digests_not_whole_sessions(cache, store, history, run_cli) -> None:
    """Listing a folder keeps one row per session in the index and writes no pickled
    session into the cache of read files (a tenth of the cost of a first listing);
    opening a session keeps it as before."""
    run_cli("--sessions-dir", store.folder, "sessions")
    assert list(cache.glob("*.session.pickle")) == []
    run_cli("--sessions-dir", store.folder, "export", history[1].stem, "--format", "toml")
    assert list(cache.glob("*.session.pickle")) != []


def test_a_first_look_reads_the_newest_and_the_listing_does_not_read_them_again(
    cache, store, checklist, monkeypatch
) -> None:
    # What home shows while a history the index does not know is read: the newest
    # sessions (by file name: an id starts with its date), each read once in all.
    from datetime import datetime, timedelta

    start = datetime(2026, 3, 2, 8, 0).astimezone()
    paths = []
    for day in range(5):
        writer = store.create(checklist, auditee=f"day {day}", started=start + timedelta(days=day))
        writer.close()
        paths.append(writer.path)
    shutil.copy(paths[4], store.folder / "zz-backup.toml")  # a copy: left to the listing
    read = spy_on_session_reads(monkeypatch)
    glimpse = store.newest_digests(2, 60)
    assert [path for path, _ in glimpse.newest] == [paths[4], paths[3]]
    assert [digest.auditee for _, digest in glimpse.newest] == ["day 4", "day 3"]
    assert (glimpse.unknown, glimpse.files) == (3, 6)  # the copy was read, and left out
    read.clear()
    listed = [path for path, _ in store.digests()]
    assert sorted(listed) == sorted(paths)
    assert sorted(read) == sorted(paths[:3])
    assert store.newest_digests(2, 60).unknown == 0
