"""For every test folder: the cache of read files is the test's own, never the user's.

`AUDITUI_CACHE_DIR` covers auditui in this process and in subprocesses that keep the
environment; `XDG_CACHE_HOME` covers subprocesses started without the `AUDITUI_` variables.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _own_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUDITUI_NO_CACHE", raising=False)
    monkeypatch.setenv("AUDITUI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
