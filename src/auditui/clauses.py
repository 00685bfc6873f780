"""Short labels of the ISO 9001:2015 clauses, so a screen can say what "7.1.5.2" is.

Read once, on first use, from the clause index packaged with auditui
(`reference/iso9001_2015.toml`, our own labels, no text of the standard).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from auditui.errors import AudituiError
from auditui.tomlio import parse_toml

INDEX = Path(__file__).resolve().parent / "reference" / "iso9001_2015.toml"


@cache
def clause_titles() -> dict[str, str]:
    try:
        document = parse_toml(INDEX.read_text(encoding="utf-8"), INDEX)
    except (OSError, UnicodeDecodeError, AudituiError):
        return {}
    return {
        entry["id"]: entry["title"]
        for entry in document.get("clauses", [])
        if isinstance(entry.get("id"), str) and isinstance(entry.get("title"), str)
    }


def clause_title(clause: str | None) -> str | None:
    """The label of an ISO 9001:2015 clause number, or None for anything else."""
    if not clause:
        return None
    return clause_titles().get(clause.strip())
