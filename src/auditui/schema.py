"""Small checks for TOML documents that report every problem with its key path.

Shared by the checklist loader and the session reader, so both speak the same
way: `file:line: sections[2].items[5].prompt: must be text, not an integer`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from auditui.errors import AudituiError
from auditui.locate import locate

MAX_PROBLEMS = 50
MAX_ITEMS = 20_000
"""Items in one checklist, results in one session. The shipped checklists have a few
hundred; 5,000 is what the benchmarks measure. Far beyond, every screen and command
slows down for nothing (a million results took 28 s and 1.4 GB to import), so such a
file is refused when read: a checklist by `validate`, `run` and home, a session by
`import` and every command, before anything is written."""
"""Stop collecting after this many: the first screenful is what a person fixes first."""


def type_name(value: Any) -> str:
    """How a TOML value is called in a message."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, datetime):
        return "a date-time"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, time):
        return "a time"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def join_key(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


class Problems:
    """Collects errors about one file, each located by key path (and line when found)."""

    def __init__(self, path: Path | str, text: str = "") -> None:
        self.path = path
        self.text = text
        self.errors: list[AudituiError] = []

    def add(self, key: str, message: str) -> None:
        if len(self.errors) >= MAX_PROBLEMS:
            return
        line = locate(self.text, key) if self.text and key else None
        self.errors.append(AudituiError(message, path=self.path, line=line, key=key or None))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def too_many(self, found: int, where: str, what: str) -> None:
        """Refuse more than `MAX_ITEMS` items or results, at once, before any of them is
        checked."""
        if found > MAX_ITEMS:
            message = f"{found:,} {what}: auditui takes at most {MAX_ITEMS:,}"
            raise AudituiError(message, path=self.path, key=where)

    def raise_first(self) -> None:
        if self.errors:
            raise self.errors[0]

    def unknown_keys(self, table: dict[str, Any], allowed: Iterable[str], prefix: str) -> None:
        """Name every key that is not allowed, with the closest allowed one."""
        allowed = list(allowed)
        for key in table:
            if key in allowed:
                continue
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = (
                f"; did you mean '{close[0]}'?" if close else f" (known keys: {', '.join(allowed)})"
            )
            self.add(join_key(prefix, key), f"unknown key{hint}")

    def text_field(
        self,
        table: dict[str, Any],
        key: str,
        prefix: str,
        *,
        required: bool,
        blank_ok: bool = False,
    ) -> str | None:
        """A string value, or None after recording why it is missing or wrong."""
        where = join_key(prefix, key)
        if key not in table:
            if required:
                self.add(where, "required key is missing")
            return None
        value = table[key]
        if not isinstance(value, str):
            self.add(where, f"must be text in quotes, not {type_name(value)}")
            return None
        if not blank_ok and not value.strip():
            self.add(where, "must not be empty")
            return None
        return value

    def table_field(self, table: dict[str, Any], key: str, prefix: str) -> dict[str, Any] | None:
        where = join_key(prefix, key)
        if key not in table:
            self.add(where, f"required table [{where}] is missing")
            return None
        value = table[key]
        if not isinstance(value, dict):
            self.add(where, f"must be a table [{where}], not {type_name(value)}")
            return None
        return value

    def table_array(
        self, table: dict[str, Any], key: str, prefix: str, *, required: bool = True
    ) -> list[dict[str, Any]] | None:
        """An array of tables (`[[key]]`); entries that are not tables are reported."""
        where = join_key(prefix, key)
        if key not in table:
            if required:
                self.add(where, f"required [[{where}]] tables are missing")
            return None
        value = table[key]
        if not isinstance(value, list):
            self.add(where, f"must be an array of tables [[{where}]], not {type_name(value)}")
            return None
        good = []
        for index, entry in enumerate(value):
            if isinstance(entry, dict):
                good.append(entry)
            else:
                self.add(f"{where}[{index}]", f"must be a table, not {type_name(entry)}")
        return good if len(good) == len(value) else None


def _tables(value: Any) -> bool:
    """Whether `value` is an array of tables (`[[results]]`)."""
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def misspelt_key(
    key: str,
    value: Any,
    table: dict[str, Any],
    known: Iterable[str],
    holds: dict[str, type | tuple[type, ...]],
) -> str | None:
    """The key of `known` that `key` (not one of them) looks like a misspelling of, or
    None. Only a key the table lacks counts, and only when `value` is of the kind it
    holds (`holds`, text when not named): `signed_on = 2026-11-26` is not a misspelt
    `signed_by`. A known key with a word added (`owner_id`, `closed_at`) is taken for a
    key of its own, as a later version may add, not a slip of the keyboard; with only a
    `_` added (`result_`), it is a slip.

    An array of tables counts even beside the array of tables it looks like: `[[result]]` among the
    `[[results]]` is one entry typed wrong, and kept aside its item would read unanswered."""
    lacking = [
        name
        for name in known
        if (name not in table or _tables(value) and _tables(table[name]))
        and isinstance(value, holds.get(name, str))
        and not (key.startswith(f"{name}_") and key[len(name) + 1:].strip("_"))
    ]
    near = difflib.get_close_matches(key, lacking, n=1, cutoff=0.75)
    return near[0] if near else None
