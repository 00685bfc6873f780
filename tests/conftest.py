"""For every test folder: the cache of read files is the test's own, never the user's;
and the fixtures the app, reliability and command tests share.

`AUDITUI_CACHE_DIR` covers auditui in this process and in subprocesses that keep the
environment; `XDG_CACHE_HOME` covers subprocesses started without the `AUDITUI_` variables.

`locations`, `store` and `checklist` give the shop-floor checklist (markup-looking text
in its title and a prompt on purpose) in a checklists folder, and an empty sessions
folder. `tests/unit` has fixtures of the same names for its own "demo" checklist: the
closest conftest wins.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from auditui.catalog import Catalog
from auditui.checklist import Checklist
from auditui.paths import Locations
from auditui.store import SessionStore

SHOP_FLOOR = """\
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


@pytest.fixture(autouse=True)
def _own_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUDITUI_NO_CACHE", raising=False)
    monkeypatch.setenv("AUDITUI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


LAPTOP = "t3st"
"""The laptop part of session ids made in tests (config.laptop_part)."""


@pytest.fixture(autouse=True)
def _own_config_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This laptop's config (auditor name, laptop part of ids) is the test's own, never the
    user's, with the laptop part fixed so that ids are known in advance."""
    folder = tmp_path / "config"
    # The same file where child processes without the AUDITUI_ variables look (Linux).
    for where in (folder, tmp_path / "xdg-config" / "auditui"):
        where.mkdir(parents=True)
        (where / "config.toml").write_text(f'[laptop]\nid = "{LAPTOP}"\n', encoding="utf-8")
    monkeypatch.setenv("AUDITUI_CONFIG_DIR", str(folder))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    return folder


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder (the current one), no auditui variables, and no shipped
    checklists in this process. Folders that want it for every test make it autouse."""
    for name in ("AUDITUI_CHECKLISTS_DIR", "AUDITUI_SESSIONS_DIR", "AUDITUI_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    monkeypatch.setattr("auditui.paths.shipped_checklists_dir", lambda: shipped)
    return work


@pytest.fixture
def locations(tmp_path: Path) -> Locations:
    checklists = tmp_path / "checklists"
    checklists.mkdir()
    (checklists / "shop-floor.toml").write_text(SHOP_FLOOR, encoding="utf-8")
    return Locations(checklists, tmp_path / "sessions", tmp_path / "exports")


@pytest.fixture
def store(locations: Locations) -> SessionStore:
    return SessionStore(locations.sessions_dir)


@pytest.fixture
def checklist(locations: Locations) -> Checklist:
    return Catalog(locations).resolve("shop-floor")


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):
    """`auditui.cli.main(argv)` in this process: (exit status, stdout, stderr)."""
    from auditui.cli import main

    def run(*argv: str | os.PathLike) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            code = main([str(arg) for arg in argv])
        except SystemExit as exit_:  # argparse: usage errors, --help, --version
            code = exit_.code if isinstance(exit_.code, int) else 1
        out, err = capsys.readouterr()
        return code, out, err

    return run
