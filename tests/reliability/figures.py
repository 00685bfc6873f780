"""Figures of a reliability run (kills survived, marks checked, fuzz inputs tried).

Tests add to `FIGURES`; the conftest prints them at the end of the run, and
writes them as JSON to `$AUDITUI_RELIABILITY_FIGURES` when that is set.
"""

from __future__ import annotations

import threading
from collections import Counter

FIGURES: Counter[str] = Counter()
NOTES: list[str] = []
_lock = threading.Lock()


def add(name: str, count: int = 1) -> None:
    with _lock:
        FIGURES[name] += count


def note(line: str) -> None:
    with _lock:
        NOTES.append(line)
