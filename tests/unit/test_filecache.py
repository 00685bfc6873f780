"""The cache of read files: used only while a file is unchanged, never trusted blindly,
never in the way, never beside the data."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from auditui import filecache
from auditui.checklist import ChecklistError, load_checklist
from auditui.session_toml import read_session_file
from auditui.store import SessionStore


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test's cache folder, taking files however fresh (tests cannot wait 2 s)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("AUDITUI_CACHE_DIR", str(folder))
    monkeypatch.setattr(filecache, "MIN_AGE_NS", -(10**12))
    return folder


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle")) if folder.is_dir() else []


def spy_on_parsing(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every file that is really parsed (not taken from the cache)."""
    parsed: list[Path] = []
    import auditui.checklist
    import auditui.session_toml

    for module in (auditui.checklist, auditui.session_toml):
        real = module.parse_toml

        def spy(text, path, real=real):
            parsed.append(Path(path))
            return real(text, path)

        monkeypatch.setattr(module, "parse_toml", spy)
    return parsed


def test_an_unchanged_checklist_is_read_from_the_cache(
    cache: Path, checklist_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_checklist(checklist_file)
    assert len(entries(cache)) == 1
    parsed = spy_on_parsing(monkeypatch)
    again = load_checklist(checklist_file)
    assert parsed == []
    assert again == first
    assert again.items == first.items
    assert again.sha256 == first.sha256
    assert again.path == checklist_file


def test_any_change_to_the_file_is_seen(
    cache: Path, checklist_file: Path, valid_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_checklist(checklist_file)
    # Same size, same modification time: still a different file to the cache.
    stat = checklist_file.stat()
    edited = valid_text.replace("Demo audit", "Demo AUDIT")
    assert len(edited) == len(valid_text)
    checklist_file.write_text(edited, encoding="utf-8")
    os.utime(checklist_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    parsed = spy_on_parsing(monkeypatch)
    assert load_checklist(checklist_file).title == "Demo AUDIT"
    assert parsed == [checklist_file]


def test_a_file_changed_moments_ago_is_not_cached(
    tmp_path: Path, checklist_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUDITUI_CACHE_DIR", str(tmp_path / "cache"))
    load_checklist(checklist_file)  # written just now: a second edit could share its tick
    assert entries(tmp_path / "cache") == []


def test_damaged_entries_are_ignored(
    cache: Path, checklist_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_checklist(checklist_file)
    (entry,) = entries(cache)
    good = entry.read_bytes()
    damages = [
        b"",
        good[: len(good) // 2],
        good[:-1] + bytes([good[-1] ^ 1]),
        b"not a cache entry at all" * 10,
        filecache.MAGIC + b"\0" * 32 + pickle.dumps("something else"),
    ]
    for damaged in damages:
        entry.write_bytes(damaged)
        parsed = spy_on_parsing(monkeypatch)
        assert load_checklist(checklist_file).id == "demo"
        assert parsed == [checklist_file]
        monkeypatch.undo()
        monkeypatch.setenv("AUDITUI_CACHE_DIR", str(cache))
        monkeypatch.setattr(filecache, "MIN_AGE_NS", -(10**12))


def test_an_entry_of_another_file_or_version_is_not_used(
    cache: Path, write_file, valid_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = write_file("one.toml", valid_text)
    two = write_file("two.toml", valid_text.replace('id = "demo"', 'id = "other"'))
    load_checklist(one)
    load_checklist(two)
    entry_one, entry_two = (filecache._entry_path(cache, "checklist", p)[0] for p in (one, two))
    entry_one.write_bytes(entry_two.read_bytes())  # another file's entry under this name
    assert load_checklist(one).id == "demo"
    load_checklist(one)
    monkeypatch.setattr(filecache, "code_stamp", lambda: ("another version",))
    parsed = spy_on_parsing(monkeypatch)
    assert load_checklist(one).id == "demo"
    assert parsed == [one]


def test_turned_off_it_writes_nothing(
    cache: Path, checklist_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUDITUI_NO_CACHE", "1")
    load_checklist(checklist_file)
    load_checklist(checklist_file)
    assert not cache.exists()


@pytest.mark.parametrize("trouble", ["a-file", "read-only", "shared"])
def test_a_cache_folder_that_cannot_be_used_never_fails_a_command(
    tmp_path: Path, checklist_file: Path, monkeypatch: pytest.MonkeyPatch, run_cli, trouble
) -> None:
    folder = tmp_path / "cache"
    monkeypatch.setenv("AUDITUI_CACHE_DIR", str(folder))
    monkeypatch.setattr(filecache, "MIN_AGE_NS", -(10**12))
    if trouble == "a-file":
        folder.write_text("not a folder")
    else:
        folder.mkdir()
        folder.chmod(0o500 if trouble == "read-only" else 0o777)
    try:
        for _ in range(2):
            code, out, err = run_cli("validate", checklist_file)
            assert (code, err) == (0, "")
            assert "ok (demo, 4 items)" in out
        if trouble == "shared":  # others could plant entries there: it is not used
            assert entries(folder) == []
    finally:
        if folder.is_dir():
            folder.chmod(0o700)


def test_a_checklist_with_problems_is_reported_every_time(
    cache: Path, write_file, valid_text: str
) -> None:
    path = write_file("bad.toml", valid_text.replace('kind = "internal-audit"', "kind = 3"))
    for _ in range(2):
        with pytest.raises(ChecklistError):
            load_checklist(path)
    assert entries(cache) == []


def test_sessions_are_cached_outside_the_sessions_folder(
    cache: Path, checklist, sessions_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SessionStore(sessions_dir)
    writer = store.create(checklist, auditor="Somchai")
    writer.answer("4.1-a", result="fail", note="gauge label missing")
    writer.close()
    before = sorted(p.name for p in sessions_dir.iterdir())
    first = read_session_file(store.path_for(writer.session.id))
    parsed = spy_on_parsing(monkeypatch)
    again = read_session_file(store.path_for(writer.session.id))
    assert parsed == []
    assert again == first
    assert again is not first  # every reader gets its own copy to change
    assert again.record("4.1-a").note == "gauge label missing"
    assert sorted(p.name for p in sessions_dir.iterdir()) == before
    assert entries(cache)


def test_the_journal_is_always_read_fresh(cache: Path, checklist, sessions_dir: Path) -> None:
    store = SessionStore(sessions_dir)
    writer = store.create(checklist)
    path = store.path_for(writer.session.id)
    assert store.load(writer.session.id).record("4.1-a").result == "unanswered"
    writer.answer("4.1-a", result="pass")  # into the journal; the session file is unchanged
    assert store.load(writer.session.id).record("4.1-a").result == "pass"
    writer.close()
    assert store.load(str(path)).record("4.1-a").result == "pass"


def test_default_folder_is_the_users_cache_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUDITUI_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    folder = filecache.cache_dir()
    assert folder is not None and folder.name == "auditui"
    monkeypatch.setenv("AUDITUI_NO_CACHE", "1")
    assert filecache.cache_dir() is None
    monkeypatch.setenv("AUDITUI_NO_CACHE", "0")
    assert filecache.cache_dir() is not None


def test_prune_keeps_the_newest_entries(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    for number in range(6):
        entry = folder / f"{number:040d}.session.pickle"
        entry.write_bytes(b"x")
        os.utime(entry, (1_000_000 + number, 1_000_000 + number))
    writing = folder / ".being-written.tmp"
    writing.write_bytes(b"x")
    crashed = folder / ".left-by-a-crash.tmp"
    crashed.write_bytes(b"x")
    os.utime(crashed, (1_000_000, 1_000_000))
    filecache.prune(folder, keep=2, max_age_s=10**12)
    assert sorted(p.name[:40] for p in entries(folder)) == [f"{4:040d}", f"{5:040d}"]
    assert not crashed.exists()
    filecache.prune(folder, keep=10, max_bytes=1, max_age_s=10**12)
    assert [p.name[:40] for p in entries(folder)] == [f"{5:040d}"]
    filecache.prune(folder, keep=10, max_age_s=1)
    assert list(folder.iterdir()) == [writing]  # another auditui may be writing it
