"""Sorting a long history with memory that does not grow with it (spill.py)."""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from auditui import spill
from auditui.store import Head


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 20), st.integers()), max_size=60),
    st.integers(1, 7),
)
def test_runs_merged_give_what_sorted_gives_equal_keys_in_order(items, run):
    # Runs written to disk and merged give what sorting in memory gives.
    got = list(spill.sorted_spilling(items, key=lambda item: item[0], run=run))
    assert got == sorted(items, key=lambda item: item[0])


def test_heads_of_a_long_history_come_back_whole_and_in_start_order(tmp_path):
    ict = timezone(timedelta(hours=7))
    start = datetime(2026, 1, 1, 8, 0, tzinfo=ict)
    heads = [
        Head(tmp_path / f"s{n}.toml", f"s{n}", "c", start + timedelta(minutes=(n * 37) % 101),
             ("joined",) if n == 3 else ())
        for n in range(101)
    ]  # fmt: skip
    got = list(spill.sorted_spilling(heads, key=lambda h: (h.started, h.id), run=10))
    assert got == sorted(heads, key=lambda h: (h.started, h.id))
    assert got[0].started.tzinfo is not None


def test_a_run_that_cannot_be_written_stays_in_memory(monkeypatch):
    # A full disk for the temporary files: the same answer, from memory.
    def no_room(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", no_room)
    items = [5, 3, 9, 1, 7, 2, 8]
    assert list(spill.sorted_spilling(items, key=lambda n: n, run=2)) == sorted(items)


def test_runs_longer_than_a_batch_come_back_whole():
    items = [(n * 7919) % 2003 for n in range(2003)]
    got = list(spill.sorted_spilling(items, key=lambda n: n, run=700))
    assert got == sorted(items) and len(got) == 2003


def test_lists_of_a_history_longer_than_a_run_are_the_same(store, checklist, run_cli, monkeypatch):
    # `sessions` and `findings` of a history sorted on disk say what they say in memory:
    # sessions started out of file order, findings raised, closed and left open.
    import random

    shuffle = random.Random(5)
    start = datetime(2026, 2, 1, 8, 0).astimezone()
    days = list(range(14))
    shuffle.shuffle(days)
    for day in days:
        writer = store.create(checklist, auditee=f"day {day}", started=start + timedelta(days=day))
        writer.answer("4.1-a", result=shuffle.choice(["pass", "fail", "fail"]))
        writer.answer("4.2-a", result=shuffle.choice(["pass", "fail", "na"]), note=f"n{day}")
        writer.close()
    folder = ("--sessions-dir", store.folder)
    commands = [
        ("sessions",),
        ("sessions", "--format", "toml"),
        ("findings",),
        ("findings", "--all", "--format", "toml"),
    ]
    in_memory = [run_cli(*folder, *command) for command in commands]
    monkeypatch.setattr(spill, "RUN", 3)
    monkeypatch.setattr(spill, "BATCH", 2)
    on_disk = [run_cli(*folder, *command) for command in commands]
    assert on_disk == in_memory
    assert all(code == 0 for code, _, _ in on_disk)
    assert in_memory[2][1].count("4.1-a") >= 1  # something open to compare
