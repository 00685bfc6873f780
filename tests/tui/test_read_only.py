"""A session on storage auditui cannot write (a USB stick mounted read-only, a CD, a
shared folder without write permission): the app opened nothing ("cannot create the lock
file"); it now opens it to be read, says so, and refuses every change before it is made."""

from __future__ import annotations

import pytest

from auditui.errors import AudituiError
from auditui.lock import SessionLock
from auditui.tui.app import AuditApp

READ_ONLY = "cannot create the lock file: Read-only file system"


@pytest.fixture
def read_only_storage(monkeypatch):
    """Call it once the session is written: from then on no lock file can be made."""

    def refused(self) -> None:
        raise AudituiError(READ_ONLY, path=self.path)

    return lambda: monkeypatch.setattr(SessionLock, "acquire", refused)


async def test_a_session_that_cannot_be_written_is_opened_to_be_read(
    locations, store, checklist, read_only_storage, tmp_path
):
    writer = store.create(checklist, auditor="Mai", auditee="Stores")
    writer.answer("7.2-a", result="fail", note="as found")
    photos = [tmp_path / "one.jpg", tmp_path / "two.jpg"]
    for number, photo in enumerate(photos):
        photo.write_bytes(f"photo {number}".encode())
    writer.attach("7.2-a", photos)  # two: A would ask which before refusing
    writer.close()
    read_only_storage()
    path = store.path_for(writer.session.id)
    before = path.read_bytes()
    app = AuditApp(locations, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.resume_session(writer.session.id)
        await pilot.pause()
        screen = app.screen
        assert screen.writer.read_only == READ_ONLY
        bar = screen.query_one("#walk-bar").render_line(0).text
        assert bar.strip().startswith("1/4 answered · READ ONLY · ")
        said = [str(notice.message) for notice in app._notifications]
        assert any("Open to be read only" in text and "Read-only file system" in text
                   for text in said)  # fmt: skip
        for keys in (["p"], ["j", "f"], ["e"], ["3"], ["g"], ["ctrl+f"], ["a"], ["A"]):
            await pilot.press(*keys)
            await pilot.pause()
            assert app.screen is screen, keys  # no dialog opened, nothing to lose
        assert [r.result for r in screen.session.records] == ["unanswered", "fail", "unanswered",
                                                              "unanswered"]  # fmt: skip
        assert not screen.query_one("#walk-error").display  # not "NOT SAVED": never tried
        await pilot.press("q")
    assert path.read_bytes() == before
    names = sorted(p.name for p in path.parent.iterdir() if p.is_file())
    assert names == [path.name]  # no lock, no journal


def test_commands_that_change_a_session_still_refuse_it(store, checklist, read_only_storage):
    """Only the app opens a session to be read; finish, reopen and merge need the lock."""
    writer = store.create(checklist, auditor="Mai", auditee="Stores")
    writer.close()
    read_only_storage()
    with pytest.raises(AudituiError, match="cannot create the lock file"):
        store.open(writer.session.id)
