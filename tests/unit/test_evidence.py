"""Evidence files: copied whole into the sessions folder, named by auditui, proven unchanged."""

from __future__ import annotations

import hashlib
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from auditui import evidence
from auditui.errors import AudituiError

NOW = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)
SID = "2026-12-04-0930-iso9001-internal-audit"


def photo(folder: Path, name: str = "IMG_2231.JPG", data: bytes = b"\xff\xd8 a photo") -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_attach_copies_the_file_with_its_hash_size_and_original_name(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    source = photo(tmp_path)
    attachment = evidence.attach(sessions, SID, source, NOW)
    copy = sessions / attachment.file
    assert copy.read_bytes() == source.read_bytes()
    assert attachment.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    assert attachment.size == source.stat().st_size
    assert attachment.name == "IMG_2231.JPG"
    assert attachment.file.startswith(f"evidence/{SID}/") and attachment.file.endswith(".jpg")
    assert attachment.is_image
    assert not [p for p in copy.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_hostile_name_never_becomes_a_path(tmp_path: Path) -> None:
    odd = tmp_path / "odd"
    odd.mkdir()
    source = photo(odd, "..\\..;rm -rf ~ [bold].pdf")
    attachment = evidence.attach(tmp_path / "sessions", SID, source, NOW)
    assert attachment.name == source.name
    stored = Path(attachment.file)
    assert stored.parent == Path("evidence", SID)
    assert set(stored.name) <= set("0123456789abcdef.pdf")


def test_the_same_content_twice_is_stored_once(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    first = evidence.attach(sessions, SID, photo(tmp_path, "a.png"), NOW)
    second = evidence.attach(sessions, SID, photo(tmp_path, "b.png"), NOW)
    assert first.file == second.file
    assert len(list((sessions / "evidence" / SID).iterdir())) == 1


@pytest.mark.parametrize("kind", ["missing", "folder", "fifo", "symlink", "too large"])
def test_what_cannot_be_attached_is_refused_in_one_line_and_nothing_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    source = tmp_path / "thing"
    if kind == "folder":
        source.mkdir()
    elif kind == "fifo":
        os.mkfifo(source)
    elif kind == "symlink":
        source.symlink_to(photo(tmp_path))
    elif kind == "too large":
        monkeypatch.setenv(evidence.LIMIT_ENV, "0.001")
        source.write_bytes(b"x" * 5000)
    sessions = tmp_path / "sessions"
    with pytest.raises(AudituiError) as caught:
        evidence.attach(sessions, SID, source, NOW)
    assert "\n" not in str(caught.value) and str(source) in str(caught.value)
    left = sessions / "evidence" / SID
    assert not left.exists() or not list(left.iterdir())


def test_check_names_copies_that_are_missing_or_changed(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    kept = evidence.attach(sessions, SID, photo(tmp_path, "a.png", b"one"), NOW)
    changed = evidence.attach(sessions, SID, photo(tmp_path, "b.png", b"two"), NOW)
    gone = evidence.attach(sessions, SID, photo(tmp_path, "c.png", b"three"), NOW)
    (sessions / changed.file).write_bytes(b"tampered")
    (sessions / gone.file).unlink()
    problems = evidence.check(sessions, [kept, changed, gone])
    assert [(a.name, why) for a, why in problems] == [("b.png", "changed"), ("c.png", "missing")]


def test_a_folder_of_new_photos_is_offered_newest_first(tmp_path: Path) -> None:
    for age, name in enumerate(["new.jpg", "mid.jpg", "old.jpg"]):
        path = photo(tmp_path, name)
        os.utime(path, (1_700_000_000 - age * 100, 1_700_000_000 - age * 100))
    (tmp_path / "sub").mkdir()
    files, there = evidence.newest_first(tmp_path)
    assert ([p.name for p in files], there) == (["new.jpg", "mid.jpg", "old.jpg"], 3)


def test_the_start_of_a_name_finds_a_file_among_the_older_ones_of_a_big_folder(tmp_path):
    """300 photos: only the newest 200 were looked at, so IMG_050 typed found "no file
    here starts with IMG_050" though enter attached it."""
    for number in range(1, 301):
        path = photo(tmp_path, f"IMG_{number:03}.jpg")
        os.utime(path, (1_700_000_000 + number, 1_700_000_000 + number))
    files, there = evidence.newest_first(tmp_path)
    assert (len(files), there, files[0].name) == (200, 300, "IMG_300.jpg")
    files, there = evidence.newest_first(tmp_path, prefix="img_05")
    assert ([p.name for p in files][-1], len(files), there) == ("IMG_050.jpg", 10, 10)


def test_sizes_read_as_people_write_them() -> None:
    """A one-byte file read "(1 bytes)" in the reports and on screen."""
    from auditui.evidence import size_text

    assert [size_text(n) for n in (0, 1, 2, 1023, 1024, 3 * 1024 * 1024)] == [
        "0 bytes", "1 byte", "2 bytes", "1,023 bytes", "1.0 KB", "3.0 MB",
    ]


@pytest.mark.parametrize(
    ("given", "limit"),
    [("inf", sys.maxsize), ("1e400", sys.maxsize), ("nan", 100 * 1024 * 1024),
     ("-5", 100 * 1024 * 1024), ("0", 100 * 1024 * 1024), ("abc", 100 * 1024 * 1024),
     ("1e300", sys.maxsize), ("1e305", sys.maxsize), ("0.0000001", 100 * 1024 * 1024),
     ("0.5", 512 * 1024)],
)  # fmt: skip
def test_the_evidence_size_limit_is_a_number_of_megabytes_or_none(
    monkeypatch, given, limit
) -> None:
    """`AUDITUI_EVIDENCE_MAX_MB=inf` ended the app with a traceback (exit 0) at the first
    attach; `-5` refused every file."""
    from auditui.evidence import size_limit

    monkeypatch.setenv("AUDITUI_EVIDENCE_MAX_MB", given)
    assert size_limit() == limit


def test_a_file_too_large_under_a_limit_that_was_not_taken_says_why(
    monkeypatch, tmp_path
) -> None:
    """`AUDITUI_EVIDENCE_MAX_MB=abc` fell back to 100 MB without a word: the refusal of a
    large file told the auditor to set the variable that was set."""
    from auditui.errors import AudituiError
    from auditui.evidence import attach

    source = tmp_path / "video.mp4"
    source.write_bytes(b"x" * 2048)
    monkeypatch.setattr("auditui.evidence.DEFAULT_LIMIT_MB", 1 / 1024)  # 1 KB
    monkeypatch.setenv("AUDITUI_EVIDENCE_MAX_MB", "abc")
    with pytest.raises(AudituiError) as caught:
        attach(tmp_path / "sessions", "s1", source, datetime.now().astimezone())
    assert "AUDITUI_EVIDENCE_MAX_MB='abc' is no size auditui can use" in str(caught.value)
    monkeypatch.setenv("AUDITUI_EVIDENCE_MAX_MB", "0.001")  # taken: about 1 KB
    with pytest.raises(AudituiError) as caught:
        attach(tmp_path / "sessions", "s1", source, datetime.now().astimezone())
    assert "set AUDITUI_EVIDENCE_MAX_MB to change it" in str(caught.value)
