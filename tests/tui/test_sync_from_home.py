"""Sync from the home screen: sessions another laptop shared appear without a restart."""

from __future__ import annotations

import subprocess

from textual.widgets import DataTable

from auditui.store import SessionStore
from auditui.sync.engine import sync
from auditui.tui.app import AuditApp

from .conftest import home_read


def git(*args) -> None:
    subprocess.run(["git", *map(str, args)], check=True, capture_output=True)


async def test_y_syncs_and_shows_the_sessions_brought_in(locations, checklist, tmp_path):
    remote = tmp_path / "remote.git"
    git("init", "--quiet", "--bare", remote)
    # This laptop's folder was set up before (empty so far).
    sync(locations.sessions_dir, author="Mai", remote=str(remote))
    # Another laptop shares a session it marked.
    other = SessionStore(tmp_path / "other-laptop")
    writer = other.create(checklist, auditor="Anan", auditee="Moulding")
    writer.answer("7.1.5-a", result="fail", note="Gauge 12 out of date")
    writer.close()
    sync(other.folder, author="Anan", remote=str(remote))
    assert not list(locations.sessions_dir.glob("*.toml"))

    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        table = app.screen.query_one("#home-sessions", DataTable)
        assert app.screen.sessions == []
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await home_read(pilot)
        assert [s.auditee for s in app.screen.sessions] == ["Moulding"]
        assert table.row_count == 1
    brought = SessionStore(locations.sessions_dir).load(writer.session.id)
    assert brought.record("7.1.5-a").note == "Gauge 12 out of date"


async def test_sync_on_a_folder_not_shared_says_how(locations):
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("y")
        await home_read(pilot)
        messages = [n.message for n in app._notifications]
        assert any("not shared yet" in m and "--remote URL" in m for m in messages)
        assert not (locations.sessions_dir / ".git").exists()


async def test_sync_failure_is_shown_and_the_app_goes_on(locations, checklist, tmp_path):
    import shutil

    remote = tmp_path / "remote.git"
    git("init", "--quiet", "--bare", remote)
    sync(locations.sessions_dir, author="Mai", remote=str(remote))
    shutil.rmtree(remote)
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await home_read(pilot)
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert errors and errors[-1].startswith("Sync failed: ")
        assert app.is_running


async def test_sync_is_in_the_palette(locations):
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("ctrl+p")
        await home_read(pilot)
        await pilot.press(*"Sync")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await home_read(pilot)
        messages = [n.message for n in app._notifications]
        assert any("not shared yet" in m for m in messages)
