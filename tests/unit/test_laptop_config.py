"""This laptop's settings: the laptop part of session ids and the auditor for the history."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditui import config
from auditui.errors import AudituiError


@pytest.fixture
def empty_config(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "fresh-config"
    monkeypatch.setenv("AUDITUI_CONFIG_DIR", str(folder))
    return folder


def test_the_laptop_part_is_made_once_and_kept(empty_config: Path) -> None:
    first = config.laptop_part()
    assert config.LAPTOP_PART.fullmatch(first)
    assert config.laptop_part() == first
    assert f'id = "{first}"' in (empty_config / "config.toml").read_text(encoding="utf-8")


def test_new_session_ids_carry_it(empty_config: Path, store, checklist, started) -> None:
    writer = store.create(checklist, started=started)
    writer.close()
    assert writer.session.id == f"2026-11-25-0930-demo-{config.laptop_part()}"


def test_the_auditor_is_remembered(empty_config: Path) -> None:
    config.set_auditor_name("Mai Tran")
    part = config.laptop_part()
    assert config.auditor_name() == "Mai Tran"
    assert config.laptop_part() == part  # setting the name kept the id


def test_a_broken_config_file_is_never_overwritten(empty_config: Path) -> None:
    empty_config.mkdir()
    path = empty_config / "config.toml"
    path.write_text("laptop = [\n", encoding="utf-8")
    assert config.LAPTOP_PART.fullmatch(config.laptop_part())  # still a part for this run
    assert config.auditor_name()  # falls back to the system user
    with pytest.raises(AudituiError, match="cannot read the config file"):
        config.set_auditor_name("Mai")
    assert path.read_text(encoding="utf-8") == "laptop = [\n"
