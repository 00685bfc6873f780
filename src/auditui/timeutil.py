"""Timestamps as auditors read them: local time with its offset, to the second."""

from __future__ import annotations

from datetime import datetime


def now() -> datetime:
    """The current local time, with the UTC offset, without microseconds."""
    return datetime.now().astimezone().replace(microsecond=0)
