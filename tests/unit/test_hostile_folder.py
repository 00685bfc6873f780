"""A sessions folder that holds what auditui did not put there: symbolic links, FIFOs,
journals with damaged or absurd lines. Nothing outside the folder is touched, nothing
blocks, one bad file leaves out only that file (with a one-line message)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys

import pytest

from auditui import journal
from auditui.errors import AudituiError
from auditui.session_toml import read_session_file
from auditui.store import read_session

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX links and FIFOs")


@pytest.fixture
def saved(store, checklist, started):
    """A closed session with one mark in its file."""
    writer = store.create(checklist, started=started)
    writer.answer("4.1-a", result="pass", note="kept")
    writer.close()
    return writer.path


def cli(tmp_path, *argv, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """A real process, so that a hang fails the test instead of stopping it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUDITUI_")}
    env["AUDITUI_SESSIONS_DIR"] = str(tmp_path / "sessions")
    env["AUDITUI_CHECKLISTS_DIR"] = str(tmp_path / "files")
    env["AUDITUI_NO_CACHE"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "auditui", *map(str, argv)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# 1. Symbolic links are never followed -------------------------------------------------


@pytest.mark.parametrize("suffix", [".lock", ".journal"])
def test_a_planted_link_is_not_written_through(store, saved, tmp_path, suffix) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious\n")
    saved.with_suffix(suffix).symlink_to(victim)
    with pytest.raises(AudituiError, match="symbolic link"):
        writer = store.open(saved.stem)
        writer.answer("4.2-a", result="fail")
        writer.close()
    assert victim.read_bytes() == b"precious\n"


@pytest.mark.parametrize("suffix", [".lock", ".journal"])
def test_a_dangling_link_does_not_create_its_target(store, saved, tmp_path, suffix) -> None:
    target = tmp_path / "elsewhere" / "created.txt"
    target.parent.mkdir()
    saved.with_suffix(suffix).symlink_to(target)
    with pytest.raises(AudituiError, match="symbolic link"):
        writer = store.open(saved.stem)
        writer.answer("4.2-a", result="fail")
        writer.close()
    assert not target.exists()


def test_links_planted_for_the_next_run_are_stepped_around(store, checklist, started, tmp_path):
    """Session ids are predictable: a link under the next id's names is never used."""
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious\n")
    next_id = store.new_id(checklist.id, started)
    store.folder.mkdir(parents=True, exist_ok=True)
    for suffix in (".lock", ".journal"):
        (store.folder / f"{next_id}{suffix}").symlink_to(victim)
    writer = store.create(checklist, started=started)
    writer.answer("4.1-a", result="fail")
    writer.close()
    assert writer.session.id != next_id
    assert victim.read_bytes() == b"precious\n"
    assert read_session(writer.path).record("4.1-a").result == "fail"


def test_a_session_file_that_is_a_link_is_refused(store, saved, tmp_path) -> None:
    """Decided: refused for reading and writing alike (docs/reliability.md)."""
    outside = tmp_path / "outside.toml"
    shutil.move(saved, outside)
    saved.symlink_to(outside)
    before = outside.read_bytes()
    with pytest.raises(AudituiError, match="symbolic link"):
        read_session_file(saved)
    with pytest.raises(AudituiError, match="symbolic link"):
        store.open(saved.stem)
    errors = []
    assert store.list_sessions(on_error=errors.append) == []
    assert "symbolic link" in str(errors[0].error)
    assert outside.read_bytes() == before


def test_an_export_over_a_link_leaves_the_target_alone(tmp_path, saved, run_cli) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious\n")
    link = tmp_path / "out.toml"
    link.symlink_to(victim)
    code, _, err = run_cli("--sessions-dir", saved.parent, "export", saved.stem, "-o", link)
    assert code == 1 and "symbolic link" in err
    assert victim.read_bytes() == b"precious\n"


# 7. FIFOs are never opened for reading -------------------------------------------------


def test_a_fifo_journal_does_not_block_listing(tmp_path, saved) -> None:
    os.mkfifo(saved.with_suffix(".journal"))
    done = cli(tmp_path, "sessions")
    assert done.returncode == 0
    assert "FIFO" in done.stderr and saved.stem in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_fifo_session_file_is_left_out_and_named(tmp_path, saved) -> None:
    os.mkfifo(saved.parent / "fifo.toml")
    done = cli(tmp_path, "sessions", "--format", "toml")
    assert done.returncode == 0
    assert saved.stem in done.stdout
    assert "fifo.toml: not a regular file" in done.stderr  # SPEC: refused in one line
    assert len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.count("left out") == 1


@pytest.mark.parametrize("command", ["import", "validate", "trend"])
def test_a_fifo_named_on_the_command_line_is_refused(tmp_path, command) -> None:
    fifo = tmp_path / "given.toml"
    os.mkfifo(fifo)
    done = cli(tmp_path, command, fifo)
    assert done.returncode == 1
    assert "FIFO" in done.stderr and "Traceback" not in done.stderr


# 6. One absurd journal line leaves out only its own session ---------------------------


def test_a_deeply_nested_journal_line_is_left_out_and_said(
    store, checklist, started, saved, run_cli
) -> None:
    other = store.create(checklist, started=started)
    other.close()
    nested = "[" * 100_000 + "]" * 100_000
    saved.with_suffix(".journal").write_text(nested + "\n" + nested + "\n")
    code, out, err = run_cli("--sessions-dir", store.folder, "sessions", "--format", "toml")
    assert code == 0
    assert f'id = "{other.session.id}"' in out and f'id = "{saved.stem}"' in out
    said = [line for line in err.splitlines() if "damaged" in line]
    assert len(said) == 1 and "internal error" not in err
    assert "line 1 of " in said[0] and "not applied" in said[0]  # it may have been the base
    for command in (["findings"], ["trend", checklist.id]):
        code, _, err = run_cli("--sessions-dir", store.folder, *command)
        assert "internal error" not in err


# 5. A damaged last journal line is repaired before the next append --------------------


def journal_fail(item_id: str, note: str) -> bytes:
    """A journal line as auditui writes it: `item_id` failed, with `note`."""
    at = "2026-11-25T10:00:00+07:00"
    return journal.encode({"t": "item", "item": item_id, "result": "fail", "note": note,
                           "grade": None, "recorded": at, "updated": at})  # fmt: skip


def test_a_mark_after_a_damaged_last_line_stays_readable(store, saved) -> None:
    journal_path = saved.with_suffix(".journal")
    good = journal_fail("4.2-a", "from the journal")
    journal_path.write_bytes(good + b'{"t": "item", damaged}\n')
    writer = store.open(saved.stem)
    assert writer.session.record("4.2-a").note == "from the journal"
    writer.answer("5.1-a", result="na")
    writer.abandon()  # as if killed: no fold on quit
    session = read_session(saved)  # was: "journal entry is damaged" for good
    assert session.record("4.2-a").note == "from the journal"
    assert session.record("5.1-a").result == "na"
    assert session.record("4.1-a").note == "kept"
    kept = [p.name for p in saved.parent.iterdir() if ".damaged-" in p.name]
    assert len(kept) == 1  # the damaged journal is kept aside, not thrown away
    assert b"damaged}" in (saved.parent / kept[0]).read_bytes()


@pytest.mark.parametrize(
    "last_line",
    [
        b'{"t": "item", "item": "5.1-a", "result": "pass"}',  # keys missing
        b'["t", "item"]',  # not an object
        b'{"t": "item", "item": "no-such-item", "result": "pass", "note": "",'
        b' "grade": null, "recorded": null, "updated": null}',
        b'{"t": "item", "item": "5.1-a", "result": "pass", "note": 7, "grade": null,'
        b' "recorded": null, "updated": null}',
        b'{"t": "meta"}',
        b'"just text"',
    ],
    ids=["keys-missing", "a-list", "unknown-item", "note-a-number", "meta-empty", "a-string"],
)
def test_a_complete_but_malformed_last_line_is_skipped(store, saved, last_line) -> None:
    """A last line that is whole JSON of the wrong shape (written by hand, or by another
    program) leaves the session readable, as a torn one does: nothing before it is lost."""
    journal_path = saved.with_suffix(".journal")
    good = journal_fail("4.2-a", "from the journal")
    journal_path.write_bytes(good + last_line + b"\n")
    session = read_session(saved)  # was: "journal entry is damaged", the session left out
    assert session.record("4.2-a").note == "from the journal"
    writer = store.open(saved.stem)
    writer.answer("5.1-a", result="na")
    writer.abandon()
    assert read_session(saved).record("5.1-a").result == "na"
    assert any(".damaged-" in p.name for p in saved.parent.iterdir())


def test_a_malformed_line_before_the_last_is_left_out_and_the_marks_after_it_kept(
    store, saved
) -> None:
    """A bad line in the middle (a disk error, an edit by hand) made the session unreadable
    by every command, with no way to the marks after it but deleting the journal by hand.
    Each entry holds its item whole: the line is left out and said, the rest applied, and
    the journal kept aside at the next save."""
    journal_path = saved.with_suffix(".journal")
    journal_path.write_bytes(
        journal_fail("4.1-a", "before") + b'{"t": "item"}\n' + journal_fail("4.2-a", "after")
    )
    session = read_session(saved)
    assert (session.record("4.1-a").note, session.record("4.2-a").note) == ("before", "after")
    writer = store.open(saved.stem)
    [said] = writer.notices
    assert f"line 2 of {journal_path.name} is damaged and left out" in said
    assert "the 2 other changes are applied" in said and ".journal.damaged-…" in said
    writer.answer("4.1-a", result="pass")
    writer.close()
    [kept] = store.folder.glob(f"{saved.stem}.journal.damaged-*")
    assert b'{"t": "item"}' in kept.read_bytes()
    again = store.open(saved.stem)
    assert again.notices == []
    assert [again.session.record(i).result for i in ("4.1-a", "4.2-a")] == ["pass", "fail"]
    assert again.session.record("4.2-a").note == "after"
    again.close()


def test_a_journal_names_the_session_file_it_continues(store, saved) -> None:
    writer = store.open(saved.stem)
    writer.answer("4.2-a", result="fail", note="x")
    writer.abandon()
    lines = [json.loads(line) for line in saved.with_suffix(".journal").read_bytes().splitlines()]
    assert lines[0] == {"t": "base", "sha256": hashlib.sha256(saved.read_bytes()).hexdigest()}
    assert [entry["item"] for entry in lines[1:]] == ["4.2-a"]
    assert read_session(saved).record("4.2-a").note == "x"


def test_a_renamed_session_file_is_found_by_the_id_it_holds(store, saved, run_cli) -> None:
    """`sessions` lists a file by the id inside it, so a copy renamed on the way (a USB
    stick: `audit line2 copy.toml`) must open by that id too; it said "no session"."""
    session_id = saved.stem
    renamed = saved.with_name("audit line2 copy.toml")
    saved.rename(renamed)
    code, out, err = run_cli("sessions", "--format", "toml", "--sessions-dir", store.folder)
    assert code == 0 and session_id in out, err
    for reference in (session_id, session_id[:16]):
        code, out, err = run_cli("export", reference, "--sessions-dir", store.folder)
        assert code == 0, err
        assert f'id = "{session_id}"' in out
    writer = store.open(session_id)
    writer.answer("5.1-a", result="fail", note="found by its id")
    writer.close()
    assert read_session(renamed).record("5.1-a").note == "found by its id"
    assert [p.name for p in store.folder.glob("*.toml")] == [renamed.name]  # no second file


@pytest.mark.parametrize("named", ["{id}", "sessions/{id}.toml"])
def test_a_fifo_or_folder_named_like_a_session_is_said_to_be_one(tmp_path, named) -> None:
    """A FIFO (or a folder) named `<id>.toml` was reported as "no session": what is there
    is said, as `import` says it, and nothing waits on the FIFO."""
    folder = tmp_path / "sessions"
    folder.mkdir()
    os.mkfifo(folder / "2026-03-01-0900-demo-fifo.toml")
    (folder / "2026-03-01-0900-demo-dir.toml").mkdir()
    for session_id, what in (("2026-03-01-0900-demo-fifo", "is a FIFO"),
                             ("2026-03-01-0900-demo-dir", "is a folder")):  # fmt: skip
        result = cli(tmp_path, "export", named.format(id=session_id))
        assert result.returncode == 1 and result.stdout == ""
        assert len(result.stderr.splitlines()) == 1 and what in result.stderr, result.stderr
        assert f"{session_id}.toml" in result.stderr


# 9. Names that are not UTF-8 --------------------------------------------------------------


def test_a_folder_whose_name_is_not_utf8_lists_as_text_and_as_toml(tmp_path, saved) -> None:
    """A sessions folder copied from an old drive, its name in Latin-1: listing it ended
    in "internal error: UnicodeEncodeError". The list gives the name's own bytes; the TOML
    stays UTF-8 (the odd byte as U+FFFD) and reads back."""
    import tomllib

    try:
        folder = tmp_path / os.fsdecode(b"phi\xean-b\xe1n")
        folder.mkdir()
    except (OSError, UnicodeError):
        pytest.skip("this file system takes only UTF-8 names")
    shutil.copy(saved, folder / saved.name)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUDITUI_")}
    for fmt in ("text", "toml"):
        done = subprocess.run(
            [sys.executable, "-m", "auditui", "--sessions-dir", folder, "sessions",
             "--format", fmt],
            cwd=tmp_path, env=env, capture_output=True, timeout=30,
        )  # fmt: skip
        assert (done.returncode, done.stderr) == (0, b""), done.stderr
        if fmt == "text":
            assert saved.stem.encode() in done.stdout
        else:
            listed = tomllib.loads(done.stdout.decode("utf-8"))["sessions"]
            assert listed[0]["path"].endswith(f"phi\ufffdn-b\ufffdn/{saved.name}")
