"""Reading only what is needed: session heads, one read to open a session, lazy imports.

Each shortcut must give exactly the answer of the long way round.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from test_filecache import spy_on_parsing

from auditui import store as store_module
from auditui.session_toml import dumps_session
from auditui.store import SessionStore, read_head


def make_sessions(store: SessionStore, checklist, started, count: int = 4) -> list[str]:
    ids = []
    for number in range(count):
        writer = store.create(
            checklist, auditor=f"A{number}", started=started + timedelta(days=number)
        )
        writer.answer("4.1-a", result="fail" if number % 2 else "pass")
        writer.close()
        ids.append(writer.session.id)
    return ids


def test_the_head_of_a_saved_session(store: SessionStore, checklist, started) -> None:
    (session_id,) = make_sessions(store, checklist, started, 1)
    head = read_head(store.path_for(session_id))
    assert head is not None
    assert (head.id, head.checklist_id, head.started) == (session_id, "demo", started)


@pytest.mark.parametrize(
    "text",
    [
        # [session] after the results: no head at the top, read it whole
        '[[results]]\nitem_id = "a"\nprompt = "?"\n\n[session]\nid = "x"\nchecklist_id = "demo"\n'
        "started = 2026-11-25T09:30:00+07:00\n",
        # a multi-line string that looks like a table header
        '[session]\nid = "x"\nchecklist_id = "demo"\nstarted = 2026-11-25T09:30:00+07:00\n'
        'title = """two\n[summary]\nlines"""\n',
        # not a session at all
        "[session]\nid = 3\n",
        "",
        "\x00\x01\x02",
    ],
)
def test_a_head_that_is_not_plain_is_left_to_the_full_reader(tmp_path: Path, text: str) -> None:
    path = tmp_path / "odd.toml"
    path.write_text(text, encoding="utf-8")
    head = read_head(path)
    assert head is None or (head.id, head.checklist_id) == ("x", "demo")


def test_previous_gives_what_the_full_listing_gives(
    store: SessionStore, checklist, started, sessions_dir: Path
) -> None:
    ids = make_sessions(store, checklist, started, 5)
    # Make the folder awkward: a broken latest file, a hand-reordered one, a foreign one.
    broken = store.load(ids[3])
    store.path_for(ids[3]).write_bytes(dumps_session(broken)[:-200])
    moved = store.load(ids[1])
    text = dumps_session(moved).decode()
    head, rest = text.split("[summary]", 1)
    store.path_for(ids[1]).write_text("[summary]" + rest + "\n" + head, encoding="utf-8")
    (sessions_dir / "notes.toml").write_text("just = 'a note'\n", encoding="utf-8")
    for session_id in ids:
        if session_id == ids[3]:
            continue
        session = store.load(session_id)
        expected = store.previous(session, store.list_sessions())
        found = store.previous(session)
        assert (found and found.id) == (expected and expected.id)
        if found is not None:
            assert found == expected
    assert store.last_auditor() == store.list_sessions()[-1].auditor == "A4"


def test_previous_reads_whole_only_the_session_it_returns(
    store: SessionStore, checklist, started, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = make_sessions(store, checklist, started, 6)
    latest = store.load(ids[-1])
    parsed = spy_on_parsing(monkeypatch)  # whole files (heads are parsed on their own)
    earlier = store.previous(latest)
    assert earlier is not None and earlier.id == ids[-2]
    assert parsed == [store.path_for(ids[-2])]


def test_opening_a_session_reads_it_once(
    store: SessionStore, checklist, started, monkeypatch: pytest.MonkeyPatch
) -> None:
    (session_id,) = make_sessions(store, checklist, started, 1)
    writer = store.open(session_id)
    writer.answer("4.2-a", result="na")  # journal only
    writer.lock.release()  # as if that auditui had died
    writer.journal.close()
    # With nothing in the cache (the file, saved just now, would be there under its digest).
    monkeypatch.setenv("AUDITUI_NO_CACHE", "1")
    parsed = spy_on_parsing(monkeypatch)
    again = store.open(session_id)
    assert len(parsed) == 1
    assert again.session.record("4.2-a").result == "na"  # the journal is applied
    assert again.session.path == store.path_for(session_id).absolute()
    again.close()


def test_a_session_saved_between_reading_and_locking_is_read_again(
    store: SessionStore, checklist, started, monkeypatch: pytest.MonkeyPatch
) -> None:
    (session_id,) = make_sessions(store, checklist, started, 1)
    path = store.path_for(session_id)
    real_acquire = store_module.SessionLock.acquire

    def acquire_after_another_save(lock) -> None:
        other = store_module.read_session(path)
        other.auditor = "Saved meanwhile"
        path.write_bytes(dumps_session(other))
        real_acquire(lock)

    monkeypatch.setattr(store_module.SessionLock, "acquire", acquire_after_another_save)
    writer = store.open(session_id)
    assert writer.session.auditor == "Saved meanwhile"
    writer.close()


def test_headless_commands_load_only_what_they_need(tmp_path: Path, valid_text: str) -> None:
    checklist = tmp_path / "demo.toml"
    checklist.write_text(valid_text, "utf-8")
    code = textwrap.dedent(
        f"""
        import contextlib, io, json, sys
        from auditui.cli import main
        with contextlib.redirect_stdout(io.StringIO()):
            code = main(["validate", {str(checklist)!r}])
        print(json.dumps({{"code": code, "loaded": sorted(sys.modules)}}))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["code"] == 0
    needless = {"auditui.store", "auditui.compare", "auditui.trend", "tomli_w", "textual"}
    assert needless.isdisjoint(report["loaded"])


def test_the_export_formats_are_the_same_in_both_places() -> None:
    import importlib

    from auditui.commands import export as export_command
    from auditui.exporters import exporter

    for name in export_command.FORMATS:  # each format the command offers has its writer
        module, function = exporter(name).writer.split(":")
        assert callable(getattr(importlib.import_module(module), function))
