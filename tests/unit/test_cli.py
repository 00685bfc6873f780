"""The command line contract: exit codes, where things live, the checklist listing."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import auditui
from auditui.catalog import Catalog
from auditui.errors import AudituiError
from auditui.paths import Locations


def listing(run_cli, *argv) -> tuple[list[dict], str]:
    code, out, err = run_cli("checklists", "--format", "toml", *argv)
    assert code == 0, err
    return tomllib.loads(out)["checklists"], err


# --- exit codes -----------------------------------------------------------------------------------


def test_version(run_cli, cli_subprocess) -> None:
    code, out, _ = run_cli("--version")
    assert (code, out.strip()) == (0, f"auditui {auditui.__version__}")
    result = cli_subprocess("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"auditui {auditui.__version__}"


def test_help_lists_every_command(run_cli) -> None:
    code, out, _ = run_cli("--help")
    assert code == 0
    for command in ("run", "resume", "validate", "checklists", "sessions", "export", "import"):
        assert command in out


def test_every_command_s_help_says_what_it_does(run_cli) -> None:
    """`auditui run --help` and most others showed the usage and options only."""
    from auditui.cli import build_parser

    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name in commands:
        code, out, _ = run_cli(name, "--help")
        assert code == 0
        said = out.split("\n\n")[1]
        assert said[0].isupper() and not said.startswith(("positional", "options")), name


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        ["export"],
        ["export", "x", "--format", "pdf"],
        ["sessions", "--format", "yaml"],
        ["checklists", "--bogus"],
        ["import"],
        ["--sessions-dir"],
        ["sessions", "--sessions-dir"],
        ["export", "x", "-o", ""],  # a script's empty variable: it wrote to stdout
        ["print", "x", "--output", " "],
        ["print", "x", "--lang", ""],
        ["sessions", "--sessions-dir", ""],
        ["--checklists-dir", "", "checklists"],
        ["import", ""],  # it named "." as the file
    ],
    ids=lambda argv: " ".join(argv),
)
def test_usage_errors_exit_2(run_cli, argv) -> None:
    code, out, err = run_cli(*argv)
    assert code == 2
    assert out == ""
    # One line: what is wrong, and where the options are (not argparse's usage first).
    assert err.count("\n") == 1 and err.startswith("auditui") and "--help`)" in err


def test_an_option_a_command_does_not_know_points_to_that_command_s_help(run_cli) -> None:
    code, out, err = run_cli("review-pack", "--bogus")
    assert (code, out) == (2, "")
    assert err == "auditui: unrecognized arguments: --bogus (see `auditui review-pack --help`)\n"
    code, out, err = run_cli("bogus")
    assert code == 2 and err.endswith("(see `auditui --help`)\n")
    assert err.splitlines()[-1].startswith("auditui")
    assert "Traceback" not in err


def test_usage_error_in_a_real_process(cli_subprocess) -> None:
    result = cli_subprocess("export", "--format", "pdf", "x")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "invalid choice" in result.stderr


def test_something_named_that_does_not_exist_exits_1_with_one_line(run_cli) -> None:
    for argv in (["export", "ghost"], ["validate", "ghost.toml"], ["import", "ghost.toml"]):
        code, out, err = run_cli(*argv)
        assert code == 1, argv
        assert out == ""
        assert err.startswith("auditui: ")
        assert "ghost" in err.splitlines()[0]


def test_a_bug_is_still_one_line_without_traceback(run_cli, monkeypatch) -> None:
    import auditui.commands.sessions as sessions_command

    def explode(ctx, args):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(sessions_command, "run", explode)
    code, out, err = run_cli("sessions")
    assert code == 1
    assert err == (
        "auditui: internal error: RuntimeError: boom second line "
        "(set AUDITUI_DEBUG=1 to see where)\n"
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize(
    "command",
    [["checklists"], ["sessions"], ["checklists", "--format", "toml"], ["validate", "SHIPPED"]],
)
def test_output_to_a_full_disk_is_one_line_not_an_internal_error(
    command: list[str], tmp_path: Path
) -> None:
    """`auditui sessions > file` on a full disk said "internal error: OSError …"."""
    import os
    import subprocess
    import sys

    shipped = str(next((Path(__file__).parents[2] / "checklists").glob("*.toml")))
    command = [shipped if word == "SHIPPED" else word for word in command]  # a line: `ok`
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUDITUI_")}
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "auditui", *command, "--sessions-dir", str(tmp_path)],
            stdout=full, stderr=subprocess.PIPE, text=True, env=env, timeout=60,
        )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == (
        "auditui: cannot write the output: No space left on device; it is incomplete\n"
    )


def test_a_closed_output_is_no_internal_error(tmp_path: Path) -> None:
    """`auditui checklists >&-` said "internal error: AttributeError: 'NoneType' …"."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("AUDITUI_")}
    result = subprocess.run(
        [sys.executable, "-m", "auditui", "checklists", "--sessions-dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, timeout=60,
        close_fds=True, preexec_fn=lambda: os.close(1),
    )  # fmt: skip
    assert (result.returncode, result.stderr) == (0, "")


# --- where things live ----------------------------------------------------------------------------


@pytest.fixture
def folders(tmp_path: Path, make_checklist_text, store, started) -> tuple[Path, Path]:
    """A checklists folder with one checklist, and a sessions folder with one session of it."""
    checklists_dir = tmp_path / "my-checklists"
    checklists_dir.mkdir()
    (checklists_dir / "mine.toml").write_text(make_checklist_text("mine", items=3), "utf-8")
    checklist = Catalog(Locations(checklists_dir, store.folder)).resolve("mine")
    store.create(checklist, started=started).close()
    return checklists_dir, store.folder


@pytest.mark.parametrize("position", ["before", "after"])
def test_folder_options_before_or_after_the_command(run_cli, folders, position) -> None:
    checklists_dir, sessions_dir = folders
    options = ["--checklists-dir", str(checklists_dir), "--sessions-dir", str(sessions_dir)]
    for command in (["checklists", "--format", "toml"], ["sessions", "--format", "toml"]):
        argv = options + command if position == "before" else command + options
        code, out, err = run_cli(*argv)
        assert (code, err) == (0, "")
        entries = tomllib.loads(out)[command[0]]
        assert len(entries) == 1
        key = "id" if command[0] == "checklists" else "checklist_id"
        assert entries[0][key] == "mine"


def test_environment_variables_are_honoured(run_cli, folders, monkeypatch) -> None:
    checklists_dir, sessions_dir = folders
    monkeypatch.setenv("AUDITUI_CHECKLISTS_DIR", str(checklists_dir))
    monkeypatch.setenv("AUDITUI_SESSIONS_DIR", str(sessions_dir))
    entries, _ = listing(run_cli)
    assert [e["id"] for e in entries] == ["mine"]
    code, out, _ = run_cli("sessions", "--format", "toml")
    assert [s["checklist_id"] for s in tomllib.loads(out)["sessions"]] == ["mine"]


def test_an_option_wins_over_the_environment(run_cli, folders, tmp_path, monkeypatch) -> None:
    checklists_dir, sessions_dir = folders
    monkeypatch.setenv("AUDITUI_CHECKLISTS_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("AUDITUI_SESSIONS_DIR", str(tmp_path / "elsewhere"))
    entries, _ = listing(run_cli, "--checklists-dir", str(checklists_dir))
    assert [e["id"] for e in entries] == ["mine"]
    code, out, _ = run_cli("sessions", "--format", "toml", "--sessions-dir", str(sessions_dir))
    assert len(tomllib.loads(out)["sessions"]) == 1


def test_default_folders_are_relative_to_the_current_folder(
    run_cli, make_checklist_text, workdir: Path
) -> None:
    (workdir / "checklists").mkdir()
    (workdir / "checklists" / "here.toml").write_text(make_checklist_text("here"), "utf-8")
    entries, _ = listing(run_cli)
    assert [e["id"] for e in entries] == ["here"]
    assert entries[0]["path"] == str(workdir / "checklists" / "here.toml")
    code, out, _ = run_cli("sessions", "--format", "toml")
    assert out == "sessions = []\n"
    assert not (workdir / "sessions").exists()


@pytest.mark.parametrize("end", ["\n", "\r", " "])
def test_a_folder_name_ending_in_a_line_break_or_space_is_refused_when_no_such_folder(
    run_cli, folders, monkeypatch, end
) -> None:
    """`AUDITUI_SESSIONS_DIR` read from a file with Windows line ends named
    "…/sessions\\r": every session seemed gone ("No sessions in …", exit 0), and the
    next save made a second folder, line break and all. Refused now, in one line."""
    _, sessions_dir = folders
    monkeypatch.setenv("AUDITUI_SESSIONS_DIR", f"{sessions_dir}{end}")
    code, out, err = run_cli("sessions", "--format", "toml")
    assert (code, out) == (1, "")
    assert err.startswith("auditui: AUDITUI_SESSIONS_DIR names ") and "no such folder" in err
    assert len(err.strip().splitlines()) == 1
    code, _, err = run_cli("sessions", "--sessions-dir", f"{sessions_dir}{end}")
    assert code == 2 and err.startswith("auditui: --sessions-dir names ")  # the command line
    assert not Path(f"{sessions_dir}{end}").exists()


def test_a_folder_whose_name_really_ends_in_a_space_is_used(run_cli, folders) -> None:
    _, sessions_dir = folders
    spaced = sessions_dir.rename(f"{sessions_dir} ")
    code, out, err = run_cli("sessions", "--format", "toml", "--sessions-dir", str(spaced))
    assert code == 0, err
    assert len(tomllib.loads(out)["sessions"]) == 1


def test_environment_in_a_real_process(folders, cli_subprocess) -> None:
    checklists_dir, sessions_dir = folders
    result = cli_subprocess(
        "sessions",
        "--format",
        "toml",
        env={"AUDITUI_SESSIONS_DIR": str(sessions_dir), "AUDITUI_CHECKLISTS_DIR": "unused"},
    )
    assert result.returncode == 0, result.stderr
    assert [s["checklist_id"] for s in tomllib.loads(result.stdout)["sessions"]] == ["mine"]


# --- `auditui checklists` -------------------------------------------------------------------------


def test_checklists_toml_lists_every_field(run_cli, write_file, valid_text, tmp_path) -> None:
    folder = tmp_path / "lists"
    write_file("demo.toml", valid_text, folder=folder)
    write_file("second.toml", valid_text.replace('id = "demo"', 'id = "second"'), folder=folder)
    entries, err = listing(run_cli, "--checklists-dir", "../lists")  # relative to the cwd
    assert err == ""
    demo = next(e for e in entries if e["id"] == "demo")
    assert demo == {
        "id": "demo",
        "title": "Demo audit",
        "kind": "internal-audit",
        "version": "2026.1",
        "path": str(folder / "demo.toml"),
        "items": 4,
    }
    assert Path(demo["path"]).is_absolute()
    assert sorted(e["id"] for e in entries) == ["demo", "second"]


def test_checklists_text_listing(run_cli, write_file, valid_text, tmp_path) -> None:
    write_file("demo.toml", valid_text, folder=tmp_path / "lists")
    code, out, err = run_cli("checklists", "--checklists-dir", tmp_path / "lists")
    assert (code, err) == (0, "")
    header, row = out.splitlines()
    assert header.split() == ["ID", "KIND", "VERSION", "ITEMS", "TITLE"]
    assert row.split() == ["demo", "internal-audit", "2026.1", "4", "Demo", "audit"]


def test_no_checklists_is_an_empty_array(run_cli, tmp_path) -> None:
    code, out, err = run_cli("checklists", "--format", "toml", "--checklists-dir", tmp_path / "no")
    assert (code, out, err) == (0, "checklists = []\n", "")


def test_user_checklist_with_a_shipped_id_replaces_it(
    run_cli, shipped_dir, make_checklist_text, tmp_path
) -> None:
    (shipped_dir / "iso.toml").write_text(make_checklist_text("iso", version="2026.1"), "utf-8")
    (shipped_dir / "other.toml").write_text(make_checklist_text("other"), "utf-8")
    entries, _ = listing(run_cli)
    assert sorted((e["id"], e["version"]) for e in entries) == [
        ("iso", "2026.1"),
        ("other", "2026.1"),
    ]
    mine = tmp_path / "company"
    mine.mkdir()
    adapted = mine / "our-iso.toml"  # another file name, the same id
    adapted.write_text(make_checklist_text("iso", version="ACME-3", items=5), "utf-8")
    entries, _ = listing(run_cli, "--checklists-dir", mine)
    assert sorted((e["id"], e["version"], e["items"]) for e in entries) == [
        ("iso", "ACME-3", 5),
        ("other", "2026.1", 3),
    ]
    assert next(e for e in entries if e["id"] == "iso")["path"] == str(adapted)
    catalog = Catalog(Locations.resolve(checklists_dir=mine))
    assert catalog.resolve("iso").version == "ACME-3"
    assert catalog.resolve("other").path == shipped_dir / "other.toml"


def test_broken_checklist_in_the_folder_is_named_and_left_out(
    run_cli, write_file, valid_text, tmp_path
) -> None:
    folder = tmp_path / "lists"
    write_file("good.toml", valid_text, folder=folder)
    broken = write_file("broken.toml", valid_text.replace('kind = "internal-audit"', ""), folder)
    write_file("notes.txt", "not a checklist", folder=folder)
    write_file(".hidden.toml", "garbage = [", folder=folder)
    entries, err = listing(run_cli, "--checklists-dir", folder)
    assert [e["id"] for e in entries] == ["demo"]
    (line,) = err.splitlines()
    assert line.startswith(f"auditui: {broken}:1: checklist.kind: required key is missing")
    assert line.endswith("(left out)")


def test_what_cannot_be_a_checklist_in_the_folder_is_named(
    run_cli, write_file, valid_text, tmp_path
) -> None:
    """A folder or a pipe named `*.toml` among the checklists was left out without a word
    (`validate` and `sessions` name such files)."""
    import os

    folder = tmp_path / "lists"
    write_file("good.toml", valid_text, folder=folder)
    (folder / "old.toml").mkdir()
    os.mkfifo(folder / "pipe.toml")
    entries, err = listing(run_cli, "--checklists-dir", folder)
    assert [e["id"] for e in entries] == ["demo"]
    said = "not a regular file (a pipe, a device, a folder or a broken link) (left out)"
    assert err.splitlines() == [
        f"auditui: {folder / 'old.toml'}: {said}",
        f"auditui: {folder / 'pipe.toml'}: {said}",
    ]


def test_checklist_argument_is_an_id_or_a_path(write_file, valid_text, tmp_path) -> None:
    folder = tmp_path / "lists"
    by_id_file = write_file("renamed-file.toml", valid_text, folder=folder)
    outside = write_file("outside.toml", valid_text.replace('id = "demo"', 'id = "away"'))
    catalog = Catalog(Locations.resolve(checklists_dir=folder))
    assert catalog.resolve("demo").path == by_id_file
    assert catalog.resolve(str(outside)).id == "away"
    with pytest.raises(AudituiError, match="no checklist 'away'"):
        catalog.resolve("away")  # only by path: it is not in any checklists folder
    with pytest.raises(AudituiError, match="no such checklist file"):
        catalog.resolve(str(tmp_path / "missing.toml"))
    broken = write_file("broken.toml", "[checklist", folder=tmp_path / "other")
    with pytest.raises(AudituiError, match="not valid TOML"):
        catalog.resolve(str(broken))


def test_fast_path_file_named_after_another_id_is_not_trusted(
    write_file, valid_text, tmp_path
) -> None:
    folder = tmp_path / "lists"
    # `demo.toml` holds checklist "other"; checklist "demo" lives in `x.toml`.
    write_file("demo.toml", valid_text.replace('id = "demo"', 'id = "other"'), folder=folder)
    real = write_file("x.toml", valid_text, folder=folder)
    catalog = Catalog(Locations.resolve(checklists_dir=folder))
    assert catalog.resolve("demo").path == real
    assert catalog.resolve("other").id == "other"


def test_the_exports_folder_follows_the_option_then_the_environment_then_the_default(
    tmp_path, monkeypatch
) -> None:
    from auditui.paths import EXPORTS_ENV

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(EXPORTS_ENV, raising=False)
    assert Locations.resolve().exports_dir == tmp_path / "exports"
    monkeypatch.setenv(EXPORTS_ENV, str(tmp_path / "shared" / "reports"))
    assert Locations.resolve().exports_dir == tmp_path / "shared" / "reports"
    assert Locations.resolve(exports_dir="mine").exports_dir == tmp_path / "mine"


def test_a_checklist_named_that_does_not_load_says_why(run_cli, tmp_path) -> None:
    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "bad2.toml").write_text('[checklist]\nid = "bad2"\ntitle = 3\n', "utf-8")
    code, out, err = run_cli("print", "bad2", "--checklists-dir", folder)
    assert (code, out) == (1, "")
    # The first problem in the file's order (validate lists them all).
    assert "bad2.toml:1: checklist.kind: required key is missing" in err
    assert len(err.splitlines()) == 1


def test_validate_lists_a_checklist_s_problems_in_the_file_s_order(run_cli, tmp_path) -> None:
    path = tmp_path / "dupe.toml"
    path.write_text(
        '[checklist]\nid = "dupe"\ntitle = "D"\nkind = "custom"\nversion = "1"\n\n'
        '[[sections]]\nid = "a"\ntitle = "A"\n\n[[sections.items]]\nid = "a-1"\n'
        'prompt = "Q?"\n\n[[sections]]\nid = "a"\ntitle = "B"\n',
        "utf-8",
    )
    code, _, err = run_cli("validate", path)
    assert code == 1
    lines = [int(line.split(":")[2]) for line in err.splitlines()]
    assert lines == sorted(lines) and len(lines) == 2, err


def test_a_checklist_id_not_found_while_some_files_do_not_load_names_them(
    run_cli, tmp_path
) -> None:
    """The id may be in a file that does not load: "no checklist 'qc-out'" alone sent
    people looking for a file that was there all along."""
    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "bad2.toml").write_text(
        '[checklist]\nid = "qc-out"\ntitle = "QC"\nkind = "custom"\nversion = 1\n', "utf-8"
    )
    code, out, err = run_cli("print", "qc-out", "--checklists-dir", folder)
    assert (code, out) == (1, "")
    assert "no checklist 'qc-out' among those that load" in err
    assert str(folder / "bad2.toml") in err and "auditui validate" in err
    assert len(err.splitlines()) == 1


def test_a_start_builds_and_imports_only_the_command_it_runs(tmp_path) -> None:
    """Every start imported all nineteen commands and built their options: about 20 ms
    of each `auditui resume`. What argparse needs to refuse a typo or print the help is
    still built whole."""
    import json
    import subprocess
    import sys

    code = (
        "import json, sys; from auditui import cli\n"
        "for argv in (['resume', 'x'], ['--sessions-dir', 'sessions', 'run', 'c'], [],"
        " ['--sessions-dir=s', 'sessions', '--format', 'toml']):\n"
        "    cli.build_parser(cli.command_named(argv)).parse_args(argv)\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('auditui.commands.'))\n"
        "print(json.dumps(loaded))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, check=True)  # fmt: skip
    assert json.loads(done.stdout) == [
        "auditui.commands.app", "auditui.commands.common", "auditui.commands.sessions"
    ]  # fmt: skip
    from auditui.cli import command_named

    assert command_named(["--sessions-dir", "resume", "sessions"]) == "sessions"
    assert command_named(["-h"]) == command_named(["bogus"]) == command_named(["--sess", "d"])


def test_an_empty_checklist_filter_is_refused_not_taken_for_every_checklist(run_cli, tmp_path):
    """`sessions --checklist ''` (a script's empty variable) listed every checklist's
    sessions with exit 0, where an unknown id is refused."""
    code, out, err = run_cli("--sessions-dir", tmp_path, "sessions", "--checklist", "")
    assert (code, out) == (1, "")
    assert err == "auditui: give a checklist id (or a unique start of one, or a file)\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "iso9001-gap-analysis", "--auditor", "Mai\udcc3"],
        ["run", "iso9001-gap-analysis", "--auditee", "\udcff"],
        ["run", "iso9001-gap-analysis", "--title", "\udcff"],
        ["finish", "s1", "--conclusion", "\udcff"],
        ["finish", "s1", "--sign", "Anan", "--sign", "\udcff"],
        ["reopen", "s1", "--reason", "\udcff"],
        ["merge", "s1", "s2", "--title", "\udcff"],
        ["sync", "--as", "\udcff"],
    ],
)
def test_text_options_that_are_not_utf8_are_refused_before_anything_runs(run_cli, argv) -> None:
    """Bytes that are not UTF-8 in a name, title, conclusion or reason (a terminal set to
    Latin-1) were stored as replacement marks: the command line is refused instead."""
    code, out, err = run_cli(*argv)
    assert (code, out) == (2, "")
    assert "not UTF-8 text" in err and len(err.strip().splitlines()) == 1
