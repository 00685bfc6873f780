"""Whatever bytes a file holds, auditui answers with a one-line message, never a traceback."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditui import tomlio
from auditui.checklist import Checklist, load_checklist
from auditui.errors import AudituiError
from auditui.export import export_session
from auditui.exporters import FORMATS
from auditui.session import Session
from auditui.session_toml import read_session_file
from auditui.store import read_session

HEAD = '[checklist]\nid = "x"\ntitle = "X"\nkind = "custom"\nversion = "1"\n'
BODY = '[[sections]]\nid = "a"\ntitle = "A"\n[[sections.items]]\nid = "q"\nprompt = "Q?"\n'

# (test id, file content, fragment of the message, line the message must name or None)
BROKEN_FILES = [
    (
        "invalid-utf8",
        HEAD.encode() + b'[[sections]]\nid = "a"\ntitle = "caf\xe9"\n',
        "not valid UTF-8",
        8,
    ),
    ("latin1-bom-less-utf16", "[checklist]\n".encode("utf-16"), "not valid UTF-8", 1),
    ("empty", b"", "required table [checklist] is missing", None),
    ("only-whitespace", b"\n\n   \n", "required table [checklist] is missing", None),
    ("binary", bytes(random.Random(7).randrange(256) for _ in range(4096)), "", None),
    ("nul-in-string", HEAD.encode() + b'[[sections]]\nid = "a\x00"\n', "not valid TOML", 7),
    ("nul-bytes-only", b"\x00" * 100, "not valid TOML", 1),
    ("deep-arrays", ("a = " + "[" * 100_000).encode(), "nested too deeply", None),
    ("deep-inline-tables", ("a = " + "{b = " * 100_000).encode(), "nested too deeply", None),
    ("bad-date", (HEAD + "released = 2026-02-30\n").encode(), "Invalid date", 6),
    ("bad-month", (HEAD + "released = 2026-13-01T00:00:00Z\n").encode(), "not valid TOML", 6),
    ("bad-offset", (HEAD + "released = 2026-01-01T00:00:00+24:00\n").encode(), "", 6),
    ("duplicate-key", (HEAD + 'id = "y"\n' + BODY).encode(), "not valid TOML", 6),
    ("duplicate-table", (HEAD + "[checklist]\n" + BODY).encode(), "not valid TOML", 6),
    ("huge-integer", (HEAD + "n = " + "9" * 10_000 + "\n").encode(), "not valid TOML", None),
    ("lone-surrogate-escape", (HEAD + 'x = "\\ud800"\n').encode(), "not valid TOML", 6),
    ("bare-carriage-return", (HEAD + 'x = "a"\r' + BODY).encode(), "not valid TOML", None),
    ("unterminated-string", (HEAD + 'x = "abc\n').encode(), "not valid TOML", 6),
]


def assert_clean_failure(code: int, err: str, path: Path, fragment: str = "") -> list[str]:
    """Exit 1; every stderr line starts `auditui: `; the problem lines name the file."""
    assert code == 1, err
    assert "Traceback" not in err
    assert "internal error" not in err
    lines = err.splitlines()
    assert lines, "no message at all"
    assert all(line.startswith("auditui: ") for line in lines), lines
    summary = ("files have problems", "files has problems")  # "1 of 2 files has problems"
    problems = [line for line in lines if not line.endswith(summary)]
    assert problems
    assert all(str(path) in line for line in problems), problems
    assert any(fragment in line for line in problems), (fragment, problems)
    return problems


@pytest.mark.parametrize(
    ("content", "fragment", "line"),
    [case[1:] for case in BROKEN_FILES],
    ids=[case[0] for case in BROKEN_FILES],
)
def test_broken_file_gives_one_line_per_problem(write_file, run_cli, content, fragment, line):
    path = write_file("broken.toml", content)
    code, out, err = run_cli("validate", path)
    assert out == ""
    problems = assert_clean_failure(code, err, path, fragment)
    if line is not None:
        assert problems[0].startswith(f"auditui: {path}:{line}: "), problems


def test_invalid_utf8_names_line_and_column(write_file) -> None:
    path = write_file("latin1.toml", 'a = "ok"\n\nb = "Caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(AudituiError) as caught:
        load_checklist(path)
    assert caught.value.line == 3
    assert "byte 0xe9 at column 9" in str(caught.value)


def test_missing_file(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "gone.toml"
    code, _, err = run_cli("validate", path)
    assert_clean_failure(code, err, path, "no such checklist file")


def test_directory_given_as_a_file(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    code, _, err = run_cli("validate", folder)
    assert_clean_failure(code, err, folder, "is a folder")


def test_unreadable_file(run_cli, write_file) -> None:
    path = write_file("secret.toml", HEAD + BODY)
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read anything (root)")
        code, _, err = run_cli("validate", path)
        assert_clean_failure(code, err, path, "permission denied")
    finally:
        path.chmod(0o644)


def test_five_megabyte_checklist_loads(write_file) -> None:
    parts = [HEAD]
    for section in range(50):
        parts.append(f'[[sections]]\nid = "s{section}"\ntitle = "Section {section}"\n')
        for item in range(50):
            prompt = "Is the documented information controlled? " * 48
            parts.append(f'[[sections.items]]\nid = "i{section}-{item}"\nprompt = "{prompt}"\n')
    text = "".join(parts)
    assert len(text.encode()) > 5_000_000
    checklist = load_checklist(write_file("big.toml", text))
    assert len(checklist.items) == 2500
    assert checklist.items[-1].id == "i49-49"


def test_file_over_the_size_limit_is_refused(write_file, run_cli, monkeypatch) -> None:
    monkeypatch.setattr(tomlio, "MAX_FILE_BYTES", 1000)
    small = write_file("small.toml", HEAD + BODY)
    large = write_file("large.toml", HEAD + "# padding\n" * 200 + BODY)
    code, out, err = run_cli("validate", small, large)
    problems = assert_clean_failure(code, err, large, "too large")
    assert len(problems) == 1
    assert out.startswith(f"{small}: ok")


def test_size_limit_also_holds_when_the_file_grows_while_read(tmp_path, monkeypatch) -> None:
    # A file that is reported small by stat but yields more bytes (a FIFO-like
    # source or a file being appended to) is still cut off at the limit.
    monkeypatch.setattr(tomlio, "MAX_FILE_BYTES", 10)
    real_fstat = tomlio.os.fstat

    class SmallStat:
        def __init__(self, real):
            self._real = real

        def __getattr__(self, name):
            return 0 if name == "st_size" else getattr(self._real, name)

    monkeypatch.setattr(tomlio.os, "fstat", lambda fd: SmallStat(real_fstat(fd)))
    path = tmp_path / "growing.toml"
    path.write_bytes(b"#" * 100)
    with pytest.raises(AudituiError, match="too large"):
        tomlio.read_bytes(path)


def test_checklist_errors_are_reported_through_a_real_process(write_file, cli_subprocess):
    files = {
        "utf8": write_file("bad-utf8.toml", HEAD.encode() + b"\xff\xfe\n"),
        "deep": write_file("deep.toml", "a = " + "[" * 100_000),
        "binary": write_file("binary.toml", bytes(range(256)) * 8),
        "nul": write_file("nul.toml", b"\x00\x00\x00"),
        "empty": write_file("empty.toml", b""),
        "schema": write_file("schema.toml", HEAD.replace('"custom"', "3") + BODY),
    }
    good = write_file("good.toml", HEAD + BODY)
    folder = good.parent / "a-folder"
    folder.mkdir()
    missing = good.parent / "missing.toml"
    result = cli_subprocess("validate", good, *files.values(), folder, missing)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines() == [f"{good}: ok (x, 1 item)"]
    lines = result.stderr.splitlines()
    assert all(line.startswith("auditui: ") for line in lines)
    assert lines[-1] == "auditui: 8 of 9 files have problems"
    for path in [*files.values(), folder, missing]:
        mine = [line for line in lines if f" {path}:" in line or f" {path} " in line]
        assert mine, path
    schema_lines = [line for line in lines if str(files["schema"]) in line]
    assert schema_lines == [
        f"auditui: {files['schema']}:4: checklist.kind: must be text in quotes, not an integer"
    ]
    assert any(f"{files['utf8']}:6: not valid UTF-8" in line for line in lines)


def test_broken_session_files_through_a_real_process(tmp_path, write_file, cli_subprocess):
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    (sessions / "garbage.toml").write_bytes(bytes(range(256)))
    (sessions / "deep.toml").write_text("x = " + "[" * 50_000)
    (sessions / "old-date.toml").write_text(
        '[session]\nid = "old-date"\nchecklist_id = "c"\nstarted = 0001-01-01T00:00:00\n'
    )
    env = {"AUDITUI_SESSIONS_DIR": str(sessions)}
    listing = cli_subprocess("sessions", "--format", "toml", env=env)
    assert listing.returncode == 0
    assert listing.stdout == "sessions = []\n"
    assert "Traceback" not in listing.stderr
    lines = listing.stderr.splitlines()
    assert len(lines) == 3
    assert all(line.startswith("auditui: ") and line.endswith("(left out)") for line in lines)
    assert any("old-date.toml:4: session.started" in line for line in lines)

    exported = cli_subprocess("export", "old-date", env=env)
    assert exported.returncode == 1
    assert exported.stdout == ""
    assert exported.stderr.startswith(f"auditui: {sessions / 'old-date.toml'}:4: ")
    assert len(exported.stderr.splitlines()) == 1

    garbage = write_file("garbage-import.toml", b"\x00\xff" * 100)
    imported = cli_subprocess("import", garbage, env=env)
    assert imported.returncode == 1
    assert imported.stderr.startswith(f"auditui: {garbage}")
    assert len(imported.stderr.splitlines()) == 1
    assert "Traceback" not in imported.stderr


# --- properties: any input ends in a value or an AudituiError ------------------------------------

VALID_SESSION = """\
[session]
id = "s1"
checklist_id = "x"
checklist_title = "X"
checklist_version = "1"
checklist_sha256 = ""
kind = "custom"
auditor = "A"
auditee = "B"
title = ""
started = 2026-11-25T09:30:00+07:00
updated = 2026-11-25T11:02:13+07:00

[summary]
total = 2
answered = 1

[[results]]
item_id = "q"
section_id = "a"
section_title = "A"
clause = "4.1"
prompt = "Q?"
result = "fail"
note = "line one\\r\\n[bold]"
grade = "minor"
recorded = 2026-11-25T09:41:07+07:00

[[results]]
item_id = "r"
prompt = "R?"
result = "unanswered"
note = ""
"""

TOKENS = [
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "=",
    '"',
    "'",
    ",",
    ".",
    "\n",
    "#",
    "\\",
    "\\u",
    "\x00",
    "\r",
    "é",
    "ไทย",
    "🚀",
    "1",
    "-",
    "T",
    "Z",
    "+07:00",
    "1979-05-27",
    "true",
    "inf",
    "nan",
    "1e999",
    "0x",
    "id",
    "prompt",
    "items",
    "sections",
    "checklist",
    "sections.items",
    "results",
    "result",
    "grade",
    "major",
    "pass",
    "recorded",
    "started",
    '"""',
]

mutation = st.tuples(
    st.sampled_from(["insert", "delete", "replace"]),
    st.floats(min_value=0, max_value=1, exclude_max=True),
    st.integers(min_value=0, max_value=40),
    st.sampled_from(TOKENS),
)


def mutate(text: str, edits: list[tuple[str, float, int, str]]) -> str:
    for op, where, length, token in edits:
        position = int(where * (len(text) + 1))
        if op == "insert":
            text = text[:position] + token + text[position:]
        elif op == "delete":
            text = text[:position] + text[position + length :]
        else:
            text = text[:position] + token + text[position + length :]
    return text


PROPERTY_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for every example (function-scoped tmp_path is not reset between them)."""
    return tmp_path_factory.mktemp("properties")


def _load_any(folder: Path, data: bytes) -> Checklist | AudituiError:
    path = folder / "c.toml"
    path.write_bytes(data)
    try:
        return load_checklist(path)
    except AudituiError as error:
        assert str(error).startswith(str(path))
        assert "\n" not in str(error)
        return error


@PROPERTY_SETTINGS
@given(data=st.binary(max_size=2000))
def test_any_bytes_load_or_fail_cleanly(scratch: Path, data: bytes) -> None:
    assert isinstance(_load_any(scratch, data), Checklist | AudituiError)


@PROPERTY_SETTINGS
@given(edits=st.lists(mutation, min_size=1, max_size=8))
def test_mutated_checklist_loads_or_fails_cleanly(scratch: Path, valid_text: str, edits) -> None:
    text = mutate(valid_text, edits)
    result = _load_any(scratch, text.encode("utf-8", "surrogatepass"))
    if isinstance(result, Checklist):
        assert result.items, "a checklist that loads has items"
        assert len({i.id for i in result.items}) == len(result.items)


@PROPERTY_SETTINGS
@given(edits=st.lists(mutation, min_size=1, max_size=8))
def test_mutated_session_reads_and_exports_or_fails_cleanly(scratch: Path, edits) -> None:
    path = scratch / "s.toml"
    path.write_bytes(mutate(VALID_SESSION, edits).encode("utf-8", "surrogatepass"))
    try:
        session = read_session_file(path)
    except AudituiError as error:
        assert "\n" not in str(error)
        return
    assert isinstance(session, Session)
    for fmt in FORMATS:
        assert isinstance(export_session(session, fmt), bytes)


@PROPERTY_SETTINGS
@given(tail=st.binary(max_size=400))
def test_any_journal_tail_replays_or_fails_cleanly(scratch: Path, tail: bytes) -> None:
    path = scratch / "j.toml"
    path.write_text(VALID_SESSION, encoding="utf-8")
    good = (
        b'{"t":"item","item":"r","result":"pass","note":"x","grade":null,'
        b'"recorded":"2026-11-25T10:00:00+07:00","updated":"2026-11-25T10:00:00+07:00"}\n'
    )
    path.with_suffix(".journal").write_bytes(good + tail)
    try:
        session = read_session(path)
    except AudituiError as error:
        assert str(error).startswith(str(path.with_suffix(".journal")))
        return
    if b"\n" not in tail:  # a torn last line is ignored, the good one applies
        assert session.record("r").result == "pass"


def test_validate_of_one_missing_file_is_one_line(run_cli, tmp_path) -> None:
    code, out, err = run_cli("validate", tmp_path / "gone.toml")
    assert (code, out) == (1, "")
    assert err.splitlines() == [f"auditui: {tmp_path / 'gone.toml'}: no such checklist file"]


@pytest.mark.parametrize("command", [["sessions"], ["findings"], ["review-pack"], ["export", "x"]])
def test_a_sessions_folder_that_is_a_file_is_said_not_listed_as_empty(
    run_cli, tmp_path, command
) -> None:
    """`--sessions-dir` naming a file (a slip of the tab key) printed "No sessions in
    /etc/passwd." and exit 0: a script took a folder full of sessions for an empty one."""
    wrong = tmp_path / "sessions.toml"
    wrong.write_text("", "utf-8")
    code, out, err = run_cli("--sessions-dir", wrong, *command)
    assert (code, out) == (1, "")
    assert err == f"auditui: {wrong}: the sessions folder is a file, not a folder\n"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads all")
def test_a_sessions_folder_that_cannot_be_read_is_said(run_cli, tmp_path) -> None:
    folder = tmp_path / "sessions"
    folder.mkdir()
    folder.chmod(0)
    try:
        code, out, err = run_cli("--sessions-dir", folder, "sessions")
    finally:
        folder.chmod(0o755)
    assert (code, out) == (1, "")
    assert err.startswith(f"auditui: {folder}: cannot read the sessions folder: ")
