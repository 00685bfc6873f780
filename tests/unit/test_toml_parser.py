"""tomli (compiled) or the standard library's tomllib: the same files, the same messages."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from auditui import tomlio

CASES = [
    'a = "ok"\nb = 2\n',
    '[checklist]\nid = "x"\nid = "y"\n',
    "[checklist]\n[checklist]\n",
    'x = "abc\n',
    "x = 2026-13-01T00:00:00Z\n",
    "x = 2026-02-30\n",
    'x = "\\ud800"\n',
    "a = " + "[" * 2000,
    "n = " + "9" * 5000 + "\n",
    "a = {b = 1,}\n",  # TOML 1.1 only: refused by both
    'a = "\\e"\n',  # TOML 1.1 only
    "t = 09:30\n",  # TOML 1.1 only (no seconds)
    "\x00",
]

PARSE_ALL = textwrap.dedent(
    """
    import json, sys
    if sys.argv[1] == "tomllib":
        sys.modules["tomli"] = None  # as on a machine without the compiled parser
    from auditui import tomlio
    from auditui.errors import AudituiError
    out = []
    for text in json.loads(sys.stdin.read()):
        try:
            out.append(["ok", repr(tomlio.parse_toml(text, "f.toml"))])
        except AudituiError as error:
            out.append(["error", str(error)])
    print(json.dumps([tomlio._toml.__name__, out]))
    """
)


def parse_all(parser: str, tmp_path: Path) -> tuple[str, list]:
    result = subprocess.run(
        [sys.executable, "-c", PARSE_ALL, parser],
        input=json.dumps(CASES),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    name, out = json.loads(result.stdout)
    return name, out


def test_tomli_is_used_when_installed() -> None:
    assert tomlio._parser().__name__ == "tomli"  # imported at the first parse


def test_both_parsers_accept_and_refuse_the_same_with_the_same_words(tmp_path: Path) -> None:
    name_fast, fast = parse_all("tomli", tmp_path)
    name_std, std = parse_all("tomllib", tmp_path)
    assert (name_fast, name_std) == ("tomli", "tomllib")
    for case, a, b in zip(CASES, fast, std, strict=True):
        if "nested too deeply" in a[1] or "nested too deeply" in b[1]:
            assert a == b or a[0] == b[0] == "error", case  # depth limits differ a little
            continue
        assert a == b, case
    assert [kind for kind, _ in fast[-4:]] == ["error"] * 4  # TOML 1.0 on either


def test_a_number_too_long_for_python_is_named_by_its_line_in_plain_words(tmp_path) -> None:
    """A 5,000-digit number gave Python's words, with no line, telling an auditor to
    call `sys.set_int_max_str_digits()`."""
    import pytest

    from auditui.errors import AudituiError

    text = '[checklist]\nid = "x"\nversion = 1_' + "9" * 5000 + "\n"
    with pytest.raises(AudituiError) as caught:
        tomlio.parse_toml(text, tmp_path / "big.toml")
    said = str(caught.value)
    assert said == (
        f"{tmp_path / 'big.toml'}:3: not valid TOML: a number of 5,001 digits (no count or "
        "score has more than a few)"
    )
