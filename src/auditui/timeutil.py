"""Timestamps as auditors read them: local time with its offset, to the second."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current local time, with the UTC offset, without microseconds."""
    return datetime.now().astimezone().replace(microsecond=0)


def with_zone(stamp: datetime) -> datetime:
    """A time read from a file: without a zone it is taken as this computer's. It must
    also exist in UTC (OverflowError if not), or it could not be saved again."""
    stamp = stamp if stamp.tzinfo else stamp.astimezone()
    stamp.astimezone(UTC)
    return stamp
