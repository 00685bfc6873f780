"""The core and the headless commands never load Textual: they start fast and run anywhere."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

FIND_CORE_MODULES = textwrap.dedent(
    """
    import importlib, pkgutil

    SKIP = {"auditui.tui", "auditui.commands.app", "auditui.__main__"}

    def core_modules(package="auditui"):
        # pkgutil.walk_packages would import auditui.tui to look inside it: walk by hand.
        names = []
        path = importlib.import_module(package).__path__
        for info in pkgutil.iter_modules(path, package + "."):
            if info.name in SKIP:
                continue
            names.append(info.name)
            if info.ispkg:
                names.extend(core_modules(info.name))
        return names
    """
)


def run_python(code: str, cwd: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_core_module_imports_without_textual(tmp_path: Path) -> None:
    code = FIND_CORE_MODULES + textwrap.dedent(
        """
        import json, sys
        names = core_modules()
        for name in names:
            importlib.import_module(name)
        loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith(("textual.",
                        "auditui.tui")))
        print(json.dumps({"names": names, "loaded": loaded}))
        """
    )
    report = run_python(code, tmp_path)
    names = set(report["names"])
    expected = {
        "auditui.cli",
        "auditui.checklist",
        "auditui.store",
        "auditui.session",
        "auditui.session_toml",
        "auditui.export",
        "auditui.journal",
        "auditui.lock",
        "auditui.catalog",
        "auditui.paths",
        "auditui.tomlio",
        "auditui.schema",
        "auditui.locate",
        "auditui.textwidth",
        "auditui.errors",
        "auditui.timeutil",
        "auditui.commands.validate",
        "auditui.commands.checklists",
        "auditui.commands.sessions",
        "auditui.commands.export",
        "auditui.commands.importing",
        "auditui.commands.common",
    }
    assert expected <= names, expected - names
    assert report["loaded"] == []


def test_headless_commands_never_load_textual(tmp_path: Path, valid_text: str) -> None:
    """Run validate, checklists, sessions, export and import through `main` in one
    process, then look at what it loaded."""
    checklist = tmp_path / "demo.toml"
    checklist.write_text(valid_text, "utf-8")
    code = textwrap.dedent(
        f"""
        import contextlib, io, json, sys
        from pathlib import Path
        from auditui.cli import main
        from auditui.store import SessionStore
        from auditui.checklist import load_checklist

        base = Path({str(tmp_path)!r})
        writer = SessionStore(base / "sessions").create(load_checklist(base / "demo.toml"))
        writer.answer("4.1-a", result="fail", note="[bold]x")
        writer.close()
        sid = writer.session.id
        (base / "out").mkdir()  # not into the checklists folder: -o writes no .toml there
        options = ["--sessions-dir", str(base / "sessions"), "--checklists-dir", str(base)]
        runs = [
            ["validate", str(base / "demo.toml")],
            ["checklists", "--format", "toml"],
            ["checklists"],
            ["sessions"],
            ["sessions", "--format", "toml"],
            ["export", sid],
            ["export", sid, "--format", "markdown"],
            ["export", sid, "--format", "csv", "-o", str(base / "out.csv")],
            ["export", sid, "-o", str(base / "out" / "out.toml")],
            ["import", str(base / "out" / "out.toml"), "--sessions-dir", str(base / "other")],
            ["export", "no-such-session"],
        ]
        codes = []
        for argv in runs:
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                codes.append(main(argv[:1] + options + argv[1:]))
        loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith(("textual.",
                        "auditui.tui")))
        print(json.dumps({{"codes": codes, "loaded": loaded}}))
        """
    )
    report = run_python(code, tmp_path)
    assert report["codes"] == [0] * 10 + [1]
    assert report["loaded"] == []


def test_version_and_help_do_not_load_textual(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "auditui", "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()]
    assert "auditui.cli" in imported
    assert not [name for name in imported if name.split(".")[0] == "textual"]
    assert not [name for name in imported if name.startswith("auditui.tui")]


def test_the_command_line_alone_loads_no_session_code(tmp_path: Path) -> None:
    """Every command starts by building the command line: it loads only what `--help`
    needs, so `sync` or `validate` do not pay for the session store (each command imports
    its own modules when it runs)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "auditui", "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    heavy = {"auditui.store", "auditui.session", "auditui.finding_records", "auditui.session_toml"}
    assert not imported & heavy, sorted(imported & heavy)
    # Sorting on disk (spill.py) loads its modules only for a history that needs it.
    assert not imported & {"pickle", "tempfile"}, sorted(imported & {"pickle", "tempfile"})


def test_the_walkthrough_loads_its_dialogs_when_they_are_first_opened(tmp_path: Path) -> None:
    """`resume` and `run` start on the walkthrough: the finishing dialogs' text areas and
    selection list (about 9 ms of imports) wait until the auditor first opens one."""
    code = textwrap.dedent(
        """
        import json, sys
        import auditui.tui.app, auditui.tui.screens.walkthrough
        print(json.dumps({"loaded": sorted(sys.modules)}))
        """
    )
    loaded = set(run_python(code, tmp_path)["loaded"])
    assert "auditui.tui.screens.walkthrough" in loaded
    later = {"auditui.tui.screens.finishing_dialogs", "textual.widgets._text_area"}
    assert not loaded & later, sorted(loaded & later)


def test_the_command_turns_the_collector_back_on_for_headless_commands(
    tmp_path: Path, monkeypatch
) -> None:
    """start.py holds Python's cyclic garbage collector off while auditui loads; a headless
    command (which may read 100,000 sessions) runs with it on, and it is on afterwards."""
    import gc
    import tomllib

    from auditui import start
    from auditui.commands import sessions

    seen: list[bool] = []
    monkeypatch.setattr(sessions, "run", lambda ctx, args: seen.append(gc.isenabled()) or 0)
    assert start.main(["sessions", "--sessions-dir", str(tmp_path)]) == 0
    assert seen == [True] and gc.isenabled()
    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    assert project["project"]["scripts"]["auditui"] == "auditui.start:main"
