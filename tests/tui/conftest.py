"""Fixtures for the terminal app: a small checklist, an empty sessions folder, an app."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditui.catalog import Catalog
from auditui.paths import Locations
from auditui.store import SessionStore, read_session

CHECKLIST = """\
[checklist]
id = "shop-floor"
title = "Shop floor [bold] audit"
kind = "internal-audit"
version = "1"

[[sections]]
id = "7"
title = "Support"

[[sections.items]]
id = "7.1.5-a"
prompt = "Are the gauges used at moulding calibrated, with records kept?"
clause = "7.1.5"
guidance = "Pick 3 gauges from the moulding line; check their labels against the register."
evidence = ["Calibration register", "Certificates from the lab"]

[[sections.items]]
id = "7.2-a"
prompt = "Do operators at printing know the acceptance criteria? [@click=app.quit]"
clause = "7.2"

[[sections]]
id = "8"
title = "Operation"

[[sections.items]]
id = "8.5.1-a"
prompt = "Are work instructions available at each station?"
clause = "8.5.1"

[[sections.items]]
id = "8.5.2-a"
prompt = "Can a shipped lot be traced back to its raw material lot?"
clause = "8.5.2"
"""


@pytest.fixture
def locations(tmp_path: Path) -> Locations:
    checklists = tmp_path / "checklists"
    checklists.mkdir()
    (checklists / "shop-floor.toml").write_text(CHECKLIST, encoding="utf-8")
    return Locations(checklists, tmp_path / "sessions")


@pytest.fixture
def store(locations: Locations) -> SessionStore:
    return SessionStore(locations.sessions_dir)


@pytest.fixture
def checklist(locations: Locations):
    return Catalog(locations).resolve("shop-floor")


def saved(store: SessionStore, session_id: str):
    """The session as another program would read it from disk right now."""
    return read_session(store.path_for(session_id))
