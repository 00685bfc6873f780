"""The audit report from the app: the walkthrough's export key and home's report key write
the same file into ./exports/ as `auditui report` prints."""

from __future__ import annotations

from auditui.cli import main
from auditui.tui.app import AuditApp

from .conftest import home_read


async def test_the_same_report_from_the_walkthrough_home_and_the_command(
    locations, store, checklist, tmp_path, monkeypatch, capsysbinary
):
    monkeypatch.chdir(tmp_path)
    writer = store.create(checklist, auditor="Somchai <script>", auditee="Moulding")
    session_id = writer.session.id
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("F", "1", "x", "h")
        await pilot.pause()
    from_walkthrough = (tmp_path / "exports" / f"{session_id}.report.html").read_bytes()
    assert b"Somchai &lt;script&gt;" in from_walkthrough
    assert b"Major nonconformity" in from_walkthrough
    (tmp_path / "exports" / f"{session_id}.report.html").unlink()

    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("tab", "x", "h")
        await pilot.pause()
        await pilot.press("x", "r")  # r, as on the walkthrough
        await pilot.pause()
    from_home = (tmp_path / "exports" / f"{session_id}.report.html").read_bytes()
    assert from_home == from_walkthrough
    markdown = (tmp_path / "exports" / f"{session_id}.report.md").read_text(encoding="utf-8")
    assert "## Findings" in markdown and "Somchai \\<script>" in markdown

    capsysbinary.readouterr()
    argv = ["report", session_id, "--sessions-dir", str(locations.sessions_dir)]
    assert main([*argv, "--checklists-dir", str(locations.checklists_dir)]) == 0
    assert capsysbinary.readouterr().out == from_walkthrough


async def test_home_report_key_asks_for_a_session_first(
    locations, store, checklist, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    store.create(checklist, auditor="Somchai", auditee="Moulding").close()
    app = AuditApp(locations)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        await pilot.press("x")  # the checklists have the focus, not the sessions
        await pilot.pause()
        assert not (tmp_path / "exports").exists()
        assert any("Highlight a session" in str(n.message) for n in app._notifications)
