"""auditui's TOML writer lays out every document exactly as tomli-w does (tomlwrite.py).

Files written before and after the faster writer must be the same bytes: a session saved
again is unchanged, an export is reproducible, sync sees no difference that is not one."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from auditui import tomlwrite
from auditui.session_toml import dumps_session, session_to_document
from auditui.tomlio import with_iso_datetimes

KEYS = st.one_of(
    st.sampled_from(["id", "item_id", "results", "x-by", "a_b", "", "with space", "é", "a.b"]),
    st.text(max_size=6),
)
TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(['"', "\\", "\n", "\r\n", "\t", "\x00", "\x1b[31m", "\x7f", "\u2028", "ok"]),
    st.text(min_size=90, max_size=130),  # around the inline limit
)
ZONES = st.sampled_from([None, UTC, timezone(timedelta(hours=7))])
SCALARS = st.one_of(
    TEXT,
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(timezones=ZONES),
    st.dates(),
    st.times(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(KEYS, inner, max_size=4),
        st.lists(st.dictionaries(KEYS, inner, max_size=3), min_size=1, max_size=3),
    ),
    max_leaves=12,
)
DOCUMENTS = st.dictionaries(KEYS, VALUES, max_size=6)


@settings(max_examples=400, deadline=None)
@given(DOCUMENTS)
def test_any_document_is_written_as_tomli_w_writes_it(document):
    assert tomlwrite.dumps(document) == tomli_w.dumps(document)
    iso = tomlwrite.dumps(document, iso_datetimes=True)
    assert iso == tomli_w.dumps(with_iso_datetimes(document))


def test_a_session_is_written_as_before(store, checklist):
    # A session with notes, grades, a scope and evidence: the file auditui has always written.
    writer = store.create(checklist, auditor="Somchai", auditee='Kho "B" [red]')
    writer.answer("4.1-a", result="fail", note='line 1\nline "2"\t\\', grade="minor")
    writer.answer("4.2-a", result="pass")
    session = writer.session
    writer.close()
    before = tomli_w.dumps(session_to_document(session))
    assert dumps_session(session).decode("utf-8") == before


def test_offset_times_are_refused_as_before():
    with pytest.raises(ValueError):
        tomlwrite.dumps({"at": time(9, 30, tzinfo=UTC)})
    with pytest.raises(TypeError):
        tomlwrite.dumps({"x": object()})


def test_a_table_too_long_for_a_line_is_an_array_of_tables():
    short = {"results": [{"id": "a"}, {"id": "b"}]}
    long = {"results": [{"id": "a", "prompt": "x" * 120}]}
    assert tomlwrite.dumps(short) == tomli_w.dumps(short)
    assert tomlwrite.dumps(long).startswith("[[results]]\n")
    assert tomlwrite.dumps({"d": date(2026, 1, 2), "t": datetime(2026, 1, 2, 9)}) == (
        "d = 2026-01-02\nt = 2026-01-02 09:00:00\n"
    )


def test_arrays_of_tables_either_side_of_the_line_limit():
    # Inline while each table fits 100 columns, as tables beyond: decided as tomli-w does.
    for size in range(60, 110):
        for document in (
            {"t": [{"a": "x" * size}]},
            {"t": [{"a": "x" * (size // 2), "b": 1, "c": "y" * (size // 3)}, {"a": "z"}]},
            {"t": [{"a": "\n" * (size // 8)}]},
            {"t": [{"a": [1, 2]}]},
        ):
            assert tomlwrite.dumps(document) == tomli_w.dumps(document), size
