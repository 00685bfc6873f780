"""Sorting more items than memory should hold, for lists of a long history.

`sessions` and the findings register put every session in start order; held whole, a
history of 100,000 sessions costs a row each in memory. Here at most `RUN` items are
held: each full run is sorted and written to a temporary file (pickled, a few hundred
items at a time), and the runs are merged reading a few items of each at a time. A
history shorter than a run never touches the disk. Should a temporary file fail (a full
disk), its run stays in memory instead: the answer is the same, only the memory is not
saved.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from typing import IO, Any, TypeVar

T = TypeVar("T")

RUN = 5000
"""Items sorted in memory at a time."""
BATCH = 250
"""Items written (and read back) with one call: a call per item costs more than the
sorting saves."""


def sorted_spilling(
    items: Iterable[T], key: Callable[[T], Any], *, run: int | None = None
) -> Iterator[T]:
    """`items` sorted by `key`, as `sorted` gives them (equal keys keep their order), with
    at most `run` items (`RUN`) in memory while sorting. Nothing comes before every item
    was taken (the last may be the first)."""
    size = run or RUN
    with ExitStack() as files:
        runs: list[Iterable[T]] = []
        held: list[T] = []
        for item in items:
            held.append(item)
            if len(held) >= size:
                held.sort(key=key)
                runs.append(_spilled(held, files))
                held = []
        held.sort(key=key)
        if not runs:
            yield from held
            return
        runs.append(held)
        yield from heapq.merge(*runs, key=key)


def _spilled(items: list[T], files: ExitStack) -> Iterable[T]:
    """`items` written to a temporary file and read back one at a time; `items` itself
    when the file cannot be written."""
    import pickle  # only for a history longer than a run: not on every command's start
    import tempfile

    try:
        file = files.enter_context(tempfile.TemporaryFile(prefix="auditui-sort-"))  # noqa: SIM115 (closed by `files`)
        for start in range(0, len(items), BATCH):
            pickle.dump(items[start : start + BATCH], file, protocol=pickle.HIGHEST_PROTOCOL)
        file.flush()
        file.seek(0)
    except OSError:
        return items
    return _read_back(file, len(items))


def _read_back(file: IO[bytes], count: int) -> Iterator[T]:
    import pickle

    for _ in range(0, count, BATCH):
        yield from pickle.load(file)  # written above, by this process: nothing foreign
