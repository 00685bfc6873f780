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


def test_a_config_copied_from_another_laptop_gets_a_part_of_its_own(
    empty_config: Path, monkeypatch
) -> None:
    """A config folder copied onto a second laptop (with the auditor's name in it) gave
    both laptops one tag: sessions started there in the same minute had one id, and sync
    could take two audits for one. The part is kept with the machine it was made on."""
    empty_config.mkdir()
    path = empty_config / "config.toml"
    path.write_text('[laptop]\nid = "k3mq"\nauditor = "Mai"\n', encoding="utf-8")
    monkeypatch.setattr(config, "this_machine", lambda: "laptop-a")
    assert config.laptop_part() == "k3mq"  # made before machines were noted: kept
    assert config.laptop_part() == "k3mq"
    monkeypatch.setattr(config, "this_machine", lambda: "laptop-b")  # the copy
    other = config.laptop_part()
    assert other != "k3mq" and config.LAPTOP_PART.fullmatch(other)
    assert config.laptop_part() == other  # and kept there
    assert config.auditor_name() == "Mai"


def test_the_machine_is_told_apart_the_same_way_every_time() -> None:
    assert config.this_machine() == config.this_machine()
    assert len(config.this_machine()) == 16


@pytest.mark.parametrize("content", ["", "uninitialized\n"])
def test_an_empty_machine_id_does_not_make_every_machine_one(tmp_path, monkeypatch, content):
    """Containers ship an empty (or "uninitialized") /etc/machine-id: its hash was the same
    everywhere, so a config copied between them kept one tag."""
    import socket
    from pathlib import Path as RealPath

    empty = tmp_path / "machine-id"
    empty.write_text(content, encoding="ascii")
    real_init = RealPath

    def fake_path(where, *rest):
        return real_init(empty) if str(where).endswith("machine-id") else real_init(where, *rest)

    monkeypatch.setattr(config, "Path", fake_path)
    monkeypatch.setattr(socket, "gethostname", lambda: "laptop-a")
    first = config.this_machine()
    monkeypatch.setattr(socket, "gethostname", lambda: "laptop-b")
    assert config.this_machine() != first


def test_a_config_file_that_cannot_be_read_is_said_once(empty_config: Path, run_cli, tmp_path):
    """It was ignored without a word: new sessions got a new laptop part each run, and
    the history another author, with nothing to say why."""
    empty_config.mkdir()
    (empty_config / "config.toml").write_bytes(b"\xff")
    code, _, err = run_cli("--sessions-dir", tmp_path / "sessions", "sync")
    assert code == 1
    said = [line for line in err.splitlines() if "config.toml" in line]
    assert len(said) == 1 and "not valid UTF-8" in said[0] and "mend or delete" in said[0]
    (empty_config / "config.toml").write_text('[laptop]\nauditor = "Mai"\n', encoding="utf-8")
    code, _, err = run_cli("--sessions-dir", tmp_path / "sessions", "sync")
    assert "config.toml" not in err


def test_a_config_file_that_links_to_itself_is_said_not_taken_for_none(
    empty_config: Path, run_cli, tmp_path
):
    """A link to itself was taken for no file: every run made a new laptop tag, unsaid."""
    empty_config.mkdir()
    (empty_config / "config.toml").symlink_to(empty_config / "config.toml")
    _, _, err = run_cli("--sessions-dir", tmp_path / "sessions", "sync")  # reads it
    said = [line for line in err.splitlines() if "config.toml" in line]
    assert len(said) == 1 and "mend or delete" in said[0]
    assert (empty_config / "config.toml").is_symlink()  # left as it is


@pytest.mark.parametrize(
    ("text", "key"),
    [('laptop = "x"\n', "laptop"), ("[laptop]\nid = 5\n", "laptop.id"),
     ('[laptop]\nauditor = ["a"]\n', "laptop.auditor")],
)  # fmt: skip
def test_a_config_value_of_the_wrong_kind_is_said_and_the_file_left_alone(
    empty_config: Path, run_cli, tmp_path, text, key
):
    """`laptop = "x"` gave a new laptop tag on every run, an `id` of 5 was replaced and an
    auditor that is a list ignored, all without a word."""
    empty_config.mkdir()
    path = empty_config / "config.toml"
    path.write_text(text, encoding="utf-8")
    assert config.LAPTOP_PART.fullmatch(config.laptop_part())  # a part for this run
    code, _, err = run_cli("--sessions-dir", tmp_path / "sessions", "sync")
    said = [line for line in err.splitlines() if "config.toml" in line]
    assert len(said) == 1 and key in said[0] and "mend or delete" in said[0], err
    assert path.read_text(encoding="utf-8") == text


def test_a_laptop_id_typed_by_hand_not_of_its_form_is_said_and_the_rest_read(
    empty_config: Path, capsys
):
    """`id = "MAI1"` was replaced by a random tag without a word; refusing the whole file
    instead lost the auditor's name too. Now: said, a tag made from it used every run (the
    same), the auditor read, the file left alone."""
    empty_config.mkdir()
    path = empty_config / "config.toml"
    text = '[laptop]\nid = "MAI1"\nauditor = "Mai Tran"\n'
    path.write_text(text, encoding="utf-8")
    first = config.laptop_part()
    assert config.LAPTOP_PART.fullmatch(first) and config.laptop_part() == first
    assert config.auditor_name() == "Mai Tran"
    from auditui.cli import _say_config_problem

    capsys.readouterr()
    _say_config_problem()  # as every command ends
    err = capsys.readouterr().err
    said = [line for line in err.splitlines() if "config.toml" in line]
    assert len(said) == 1 and "laptop.id" in said[0] and first in said[0], err
    assert path.read_text(encoding="utf-8") == text


def test_a_config_folder_that_cannot_be_read_is_said_not_fatal(
    empty_config: Path, monkeypatch, locations
) -> None:
    """A config folder (or a checklists folder) that cannot be looked into: Python 3.11's
    `Path.exists` raises there, and the app ended with a traceback when a session was
    started or resumed from home."""
    import errno

    from auditui.catalog import Catalog

    original = Path.exists
    locked = (empty_config, locations.checklists_dir)

    def exists(path: Path, *args, **kwargs) -> bool:
        if any(folder in path.parents for folder in locked):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return original(path, *args, **kwargs)

    monkeypatch.setattr(config, "problem", None)  # what this sets is this test's own
    monkeypatch.setattr(Path, "exists", exists)
    monkeypatch.setattr(Path, "is_file", exists)
    monkeypatch.setattr(Path, "lstat", exists)
    assert config.auditor_name()  # the system user's name: the settings not read
    with pytest.raises(AudituiError) as raised:
        config.set_auditor_name("Mai")
    assert "cannot read the config file" in str(raised.value)
    for reference in ("demo", "./checklists/demo.toml"):  # an id, and a path
        try:
            Catalog(locations).resolve(reference)  # listed, or said: never an OSError
        except AudituiError:
            pass
