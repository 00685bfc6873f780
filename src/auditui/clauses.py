"""Short labels of the ISO 9001:2015 clauses, so a screen can say what "7.1.5.2" is.

Read once, on first use, from the clause index packaged with auditui
(`reference/iso9001_2015.toml`, our own labels, no text of the standard).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from auditui.errors import AudituiError
from auditui.tomlio import parse_toml

INDEX = Path(__file__).resolve().parent / "reference" / "iso9001_2015.toml"


@cache
def clause_titles() -> dict[str, str]:
    """Clause number to label; kept in the cache of read files (`filecache`), as the
    walkthrough shows a label on its first screen and parsing the index takes a few ms."""
    from auditui import filecache

    titles = filecache.lookup("clauses", INDEX)
    if isinstance(titles, dict):
        return titles
    try:
        status = os.stat(INDEX)
        document = parse_toml(INDEX.read_text(encoding="utf-8"), INDEX)
    except (OSError, UnicodeDecodeError, AudituiError):
        return {}
    titles = {
        entry["id"]: entry["title"]
        for entry in document.get("clauses", [])
        if isinstance(entry.get("id"), str) and isinstance(entry.get("title"), str)
    }
    filecache.store("clauses", INDEX, status, titles)
    return titles


def clause_title(clause: str | None) -> str | None:
    """The label of an ISO 9001:2015 clause number, or None for anything else."""
    if not clause:
        return None
    return clause_titles().get(clause.strip())
