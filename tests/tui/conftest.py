"""For the terminal app: what a session looks like on disk (the shop-floor checklist and
its folders come from tests/conftest.py)."""

from __future__ import annotations

import contextlib
import errno

import pytest
from textual.worker import WorkerCancelled, WorkerFailed

from auditui.store import SessionStore, read_session


def disk_full(*args, **kwargs):
    """In place of `os.fsync` (or `os.write`): the disk is full."""
    raise OSError(errno.ENOSPC, "No space left on device")


def saved(store: SessionStore, session_id: str):
    """The session as another program would read it from disk right now."""
    return read_session(store.path_for(session_id))


@pytest.fixture
def home_loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Gets a "home" each time a home screen reads the checklists and sessions."""
    from auditui.tui.screens.home import HomeScreen

    loads: list[str] = []
    real_reload = HomeScreen.action_reload

    def counting_reload(screen: HomeScreen) -> None:
        loads.append("home")
        real_reload(screen)

    monkeypatch.setattr(HomeScreen, "action_reload", counting_reload)
    return loads


async def home_read(pilot) -> None:
    """Let the home screen read the checklists and sessions (in its thread) and show them:
    waits for any read under way, then for the screen to settle."""
    await pilot.pause()
    for worker in [worker for worker in pilot.app.workers if worker.group == "home-read"]:
        with contextlib.suppress(WorkerCancelled, WorkerFailed):  # a read replaced, or failed
            await worker.wait()
    await pilot.pause()


async def wait_until(pilot, condition, seconds: float = 4.0) -> None:
    """Let the app run until `condition()` holds (a worker's result shown), at most
    `seconds`; the assertion after it says what was expected."""
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)


def palette_command(app, title: str):
    """The callback of the command palette's command `title` on the screen shown."""
    from textual.content import Content

    commands = {Content.from_markup(command.title).plain: command
                for command in app.get_system_commands(app.screen)}  # fmt: skip
    return commands[title].callback
