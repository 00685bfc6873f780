"""Writing TOML text, laid out exactly as `tomli_w` lays it out, several times faster.

Every session save (a new session, each fold of the journal, quitting) writes the whole
file; `tomli_w` looks at every character of every string in Python, which for a 5,000-item
session (2 MB) took about 0.2 s, before the first item of a new session was on screen.
Here strings are escaped with one regular expression, and a table too long to be written
inline is known to be so without writing it out first. The layout is the one auditui's
files have always had (tests/unit/test_tomlwrite.py compares the two writers on arbitrary
documents, byte for byte): tables and arrays of tables as `tomli_w` chooses them, arrays
one item per line, basic strings with `tomli_w`'s escapes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

INDENT = "    "
MAX_LINE_LENGTH = 100
"""An array of tables is written inline only when each fits a line of this length."""

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_TO_ESCAPE = re.compile('[\x00-\x08\x0a-\x1f\x7f"\\\\]')  # control characters but tab; " \
_COMPACT = {"\b": "\\b", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}


def dumps(document: Mapping[str, Any], *, iso_datetimes: bool = False) -> str:
    """`document` as TOML text. `iso_datetimes`: every date-time written with the `T`
    (`isoformat`), as `tomlio.toml_datetime` makes them; otherwise as `str` gives them."""
    out: list[str] = []
    _Writer(out, iso_datetimes).table(document, "", False)
    return "".join(out)


class _Writer:
    def __init__(self, out: list[str], iso_datetimes: bool) -> None:
        self.out = out
        self.iso = iso_datetimes

    def table(self, table: Mapping[str, Any], name: str, in_array: bool) -> None:
        literals: list[tuple[str, Any]] = []
        tables: list[tuple[str, Any, bool]] = []
        for key, value in table.items():
            if type(value) is str:  # most values: checked first, and cheaply
                literals.append((key, value))
            elif isinstance(value, Mapping):
                tables.append((key, value, False))
            elif _is_array_of_tables(value) and not all(self._fits_inline(t) for t in value):
                tables.extend((key, inner, True) for inner in value)
            else:
                literals.append((key, value))
        out = self.out
        written = False
        if in_array or name and (literals or not tables):
            written = True
            out.append(f"[[{name}]]\n" if in_array else f"[{name}]\n")
        for key, value in literals:
            written = True
            out.append(f"{_key(key)} = {self.literal(value, 0)}\n")
        for key, value, inner_in_array in tables:
            if written:
                out.append("\n")
            written = True
            part = _key(key)
            self.table(value, f"{name}.{part}" if name else part, inner_in_array)

    def literal(self, value: Any, nesting: int) -> str:
        if isinstance(value, str):
            return _string(value)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, datetime):
            return value.isoformat() if self.iso else str(value)
        if isinstance(value, int | float | date):
            return str(value)
        if isinstance(value, time):
            if value.tzinfo:
                raise ValueError("TOML does not support offset times")
            return str(value)
        if isinstance(value, list | tuple):
            if not value:
                return "[]"
            inner = INDENT * (nesting + 1)
            items = ",\n".join(inner + self.literal(item, nesting + 1) for item in value)
            return f"[\n{items},\n{INDENT * nesting}]"
        if isinstance(value, Mapping):
            return self.inline_table(value)
        from decimal import Decimal

        if isinstance(value, Decimal):
            return _decimal(value)
        raise TypeError(f"Object of type '{type(value).__qualname__}' is not TOML serializable")

    def inline_table(self, table: Mapping[str, Any]) -> str:
        if not table:
            return "{}"
        pairs = ", ".join(f"{_key(key)} = {self.literal(value, 0)}" for key, value in table.items())
        return "{ " + pairs + " }"

    def _fits_inline(self, table: Mapping[str, Any]) -> bool:
        # The written form is at least this long (escapes only lengthen text): a result
        # with a prompt is known not to fit without writing it.
        least = (
            len(INDENT)
            + 5
            + sum(
                len(key) + 3 + (len(value) + 2 if isinstance(value, str) else 1)
                for key, value in table.items()
            )
        )
        if least > MAX_LINE_LENGTH:
            return False
        line = f"{INDENT}{self.inline_table(table)},"
        return len(line) <= MAX_LINE_LENGTH and "\n" not in line


def _is_array_of_tables(value: Any) -> bool:
    return bool(
        isinstance(value, list | tuple)
        and value
        and all(isinstance(inner, Mapping) for inner in value)
    )


def _key(part: str) -> str:
    written = _KEYS.get(part) if type(part) is str else None
    if written is not None:
        return written
    if not isinstance(part, str):
        raise TypeError(f"Invalid mapping key '{part}' of type '{type(part).__qualname__}'.")
    written = part if _BARE_KEY.fullmatch(part) else _string(part)
    if len(_KEYS) < 1000:  # the same few keys in every table of a session
        _KEYS[part] = written
    return written


_KEYS: dict[str, str] = {}


def _string(text: str) -> str:
    if _TO_ESCAPE.search(text) is None:
        return '"' + text + '"'  # a str subclass (an enum) as its text, not its format()
    return '"' + _TO_ESCAPE.sub(_escaped, text) + '"'


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    return _COMPACT.get(char) or f"\\u{ord(char):04x}"


def _decimal(value: Any) -> str:
    if value.is_nan():
        return "nan"
    if value.is_infinite():
        return "-inf" if value.is_signed() else "inf"
    text = str(value).lower()
    return text if "." in text or "e" in text else text + ".0"
