"""Find the line of a key path (`sections[2].items[5].prompt`) in a TOML file's text.

`tomllib` forgets positions once a file is parsed, but people fix files by line
number. Checklists are written as `[checklist]`, `[[sections]]` and
`[[sections.items]]` tables, so a light scan of the headers finds the table an
error is about, and the key's own line inside it when the key is there.
"""

from __future__ import annotations

import re

_SEGMENT = re.compile(r"([A-Za-z0-9_-]+)(?:\[(\d+)\])?")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\- \"']+?)\s*\]\]?\s*(?:#.*)?$")


def _parse_path(key_path: str) -> list[tuple[str, int | None]]:
    parts = []
    for piece in key_path.split("."):
        match = _SEGMENT.fullmatch(piece)
        if not match:
            return []
        index = match.group(2)
        parts.append((match.group(1), int(index) if index is not None else None))
    return parts


def _quoted_key(text: str, key_path: str) -> int | None:
    """The line of a table header naming the last part of `key_path` quoted (a key with a
    space in it: `[checklist.translations."not a tag"]`), else of the table above it."""
    head, _, last = key_path.rpartition(".")
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADER.match(line)
        if match and (f'"{last}"' in match.group(2) or f"'{last}'" in match.group(2)):
            return number
    return locate(text, head) if head else None


def locate(text: str, key_path: str) -> int | None:
    """The 1-based line of `key_path` in `text`, or of its table, or None."""
    parts = _parse_path(key_path)
    if not parts:
        return _quoted_key(text, key_path)
    lines = text.splitlines()
    # Walk down the table path: each indexed part is an array of tables.
    start, end = 0, len(lines)
    prefix: list[str] = []
    found_table_line: int | None = None
    last = len(parts) - 1
    for depth, (name, index) in enumerate(parts):
        is_table = depth < last or index is not None
        if not is_table:
            break
        header_name = ".".join([*prefix, name])
        array = index is not None
        seen = -1
        hit = None
        for number in range(start, end):
            match = _HEADER.match(lines[number])
            if not match:
                continue
            brackets, raw = match.groups()
            name_here = ".".join(p.strip().strip("\"'") for p in raw.split("."))
            if name_here != header_name or (brackets == "[[") != array:
                continue
            seen += 1
            if not array or seen == index:
                hit = number
                break
        if hit is None and not array and depth < last and _has_deeper_header(
            lines, start, end, header_name
        ):
            # `translations` in `[sections.items.translations.vi]`: a table with no header
            # of its own, only the deeper ones; look for the next part inside the same range.
            prefix.append(name)
            continue
        if hit is None:
            if depth == last:
                break  # `evidence[0]`: an array value on a key line, not a table
            return found_table_line
        prefix.append(name)
        found_table_line = hit + 1
        start = hit + 1
        # The table ends at the next header at the same or a shallower level.
        for number in range(start, end):
            match = _HEADER.match(lines[number])
            if match:
                name_here = ".".join(p.strip().strip("\"'") for p in match.group(2).split("."))
                if not name_here.startswith(header_name + "."):
                    end = number
                    break
        if depth == last:
            return found_table_line
    key = parts[-1][0]
    key_line = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number in range(start, end):
        line = lines[number]
        if _HEADER.match(line):
            break
        if key_line.match(line):
            return number + 1
    # A table of its own (`[sections.translations.th]`): its header's line.
    wanted = ".".join([*prefix, key])
    for number in range(start, end):
        match = _HEADER.match(lines[number])
        if match and ".".join(p.strip().strip("\"'") for p in match.group(2).split(".")) == wanted:
            return number + 1
    return found_table_line


def _has_deeper_header(lines: list[str], start: int, end: int, header_name: str) -> bool:
    """Whether a table header below `header_name` (`header_name.x`) is in lines[start:end]."""
    for number in range(start, end):
        match = _HEADER.match(lines[number])
        if match:
            name_here = ".".join(p.strip().strip("\"'") for p in match.group(2).split("."))
            if name_here.startswith(header_name + "."):
                return True
    return False
