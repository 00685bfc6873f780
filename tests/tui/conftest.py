"""For the terminal app: what a session looks like on disk (the shop-floor checklist and
its folders come from tests/conftest.py)."""

from __future__ import annotations

from auditui.store import SessionStore, read_session


def saved(store: SessionStore, session_id: str):
    """The session as another program would read it from disk right now."""
    return read_session(store.path_for(session_id))
