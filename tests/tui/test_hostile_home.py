"""The home screen over a hostile sessions folder: a journal nested 100,000 levels deep
and a FIFO named like a journal leave out only their own sessions, with a message; the
screen neither dies nor hangs."""

from __future__ import annotations

import os

import pytest

from auditui.tui.app import AuditApp

from .conftest import home_read


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
async def test_home_lists_the_good_sessions_and_names_the_bad_ones(locations, store, checklist):
    ids = []
    for _ in range(3):
        writer = store.create(checklist, auditor="Mai", auditee="Moulding")
        writer.close()
        ids.append(writer.session.id)
    good, nested, fifo = ids
    nested_line = "[" * 100_000 + "]" * 100_000 + "\n"
    store.path_for(nested).with_suffix(".journal").write_text(nested_line * 2)
    os.mkfifo(store.path_for(fifo).with_suffix(".journal"))
    app = AuditApp(locations)
    async with app.run_test(size=(100, 30)) as pilot:
        await home_read(pilot)
        home = app.screen
        # The journal's damaged lines are left out and said; the pipe leaves out its session.
        assert sorted(session.id for session in home.sessions) == sorted([good, nested])
        problems = str(home.query_one("#home-problems").render())
        assert "2 files" in problems, problems
        await pilot.press("q")
    assert app.return_code in (0, None)
