"""The audit report from the app: the walkthrough's export key and home's report key write
the same file into ./exports/ as `auditui report` prints."""

from __future__ import annotations

import re

from auditui.cli import main
from auditui.tui.app import AuditApp

from .conftest import home_read, palette_command


def _made_at_one_time(report: bytes) -> bytes:
    """The report with its "Report made" time (to the minute) taken out: made a few
    seconds apart, three reports straddled a minute now and then."""
    return re.sub(rb"(Report made</th><td>)\d{4}-\d\d-\d\d \d\d:\d\d", rb"\1(made)", report)


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
        await app.workers.wait_for_complete()  # written in a thread
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
    assert _made_at_one_time(from_home) == _made_at_one_time(from_walkthrough)
    markdown = (tmp_path / "exports" / f"{session_id}.report.md").read_text(encoding="utf-8")
    assert "## Findings" in markdown and "Somchai \\<script>" in markdown

    capsysbinary.readouterr()
    argv = ["report", session_id, "--sessions-dir", str(locations.sessions_dir)]
    assert main([*argv, "--checklists-dir", str(locations.checklists_dir)]) == 0
    from_command = capsysbinary.readouterr().out
    assert _made_at_one_time(from_command) == _made_at_one_time(from_walkthrough)
    assert b"Report made</th><td>(made)" in _made_at_one_time(from_command)  # one time only


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


async def test_the_management_review_pack_from_home_is_the_command_s(
    locations, store, checklist, tmp_path, monkeypatch, capsysbinary
):
    """The pack for the management review could only be made on the command line."""
    from datetime import date

    from .conftest import wait_until

    monkeypatch.chdir(tmp_path)
    writer = store.create(checklist, auditor="Somchai", auditee="Moulding <b>")
    writer.answer("7.2-a", result="fail", grade="major")
    writer.close()
    app = AuditApp(locations)
    pack = tmp_path / "exports" / f"review-pack-{date.today().isoformat()}.html"
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        palette_command(app, "Management review pack")()
        await pilot.pause()
        await pilot.press("h")
        await wait_until(pilot, pack.exists)
        await wait_until(pilot, lambda: any("review pack written" in str(n.message)
                                            for n in app._notifications))  # fmt: skip
    capsysbinary.readouterr()
    argv = ["review-pack", "--sessions-dir", str(locations.sessions_dir)]
    assert main(argv) == 0
    assert capsysbinary.readouterr().out == pack.read_bytes()
    assert b"Moulding &lt;b&gt;" in pack.read_bytes()


async def test_the_pack_for_a_review_just_held_in_the_app_is_in_the_palette(
    locations, store, checklist, tmp_path, monkeypatch
):
    """A management review walked and finished in the app, then its pack made: it was
    empty (its period started at that review), and only `--since` on the command line
    went back. The palette has the pack for the last review, written beside the other."""
    from datetime import date, datetime, timedelta
    from pathlib import Path

    from auditui.checklist import load_checklist

    from .conftest import wait_until

    monkeypatch.chdir(tmp_path)
    an_hour_ago = datetime.now().astimezone() - timedelta(hours=1)
    audit = store.create(checklist, auditor="Somchai", auditee="Moulding", started=an_hour_ago)
    audit.answer("7.2-a", result="fail", grade="major")
    audit.close()
    shipped = Path(__file__).resolve().parents[2] / "checklists"
    review_checklist = load_checklist(shipped / "iso9001-management-review.toml")
    review = store.create(review_checklist, auditor="Mai", auditee="Board")
    review.finish(conclusion="Reviewed", signed_by=["Mai (chair)"])
    review.close()
    app = AuditApp(locations)
    exports = tmp_path / "exports"
    async with app.run_test(size=(80, 24)) as pilot:
        await home_read(pilot)
        palette_command(app, "Management review pack for the last review")()
        await pilot.pause()
        await pilot.press("r")
        await wait_until(pilot, lambda: exports.exists() and any(exports.iterdir()))
    [written] = list(exports.iterdir())
    day = date.today().isoformat()
    assert written.name == f"review-pack-{day}-for-review-of-{day}.md"
    text = written.read_text(encoding="utf-8")
    assert "1 audit held" in text and "7.2-a" in text
    assert "Period: for the management review " in text


async def test_an_exports_folder_inside_the_sessions_folder_is_refused(
    locations, store, checklist, tmp_path
):
    """An exports folder set to the sessions folder (or one inside it) would put the
    export of a session over the session's own file: the export is refused, the session
    file is untouched, and the app says what to change."""
    from dataclasses import replace

    writer = store.create(checklist, auditor="Somchai", auditee="Moulding")
    writer.answer("7.2-a", result="fail", note="kept")
    path = writer.path
    inside = replace(locations, exports_dir=locations.sessions_dir)
    app = AuditApp(inside, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x", "t")  # <id>.export.toml, read as a second copy of the session
        await pilot.pause()
        await app.workers.wait_for_complete()  # written in a thread
        said = [str(notice.message) for notice in app._notifications]
        assert any("sessions folder" in text and "--exports-dir" in text for text in said)
        await pilot.press("x", "h")
        await pilot.pause()
        await app.workers.wait_for_complete()  # written in a thread
    assert sorted(p.name for p in locations.sessions_dir.iterdir() if p.is_file()) == [path.name]
    from auditui.session_toml import read_session_file

    assert read_session_file(path).record("7.2-a").note == "kept"
