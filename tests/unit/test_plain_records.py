"""A result read the quick way is the result read key by key (session_toml._plain_record).

Reading a long history with nothing cached is mostly building its results: the quick way
builds a result auditui wrote without checking each key for its message, and hands
anything unusual to the key-by-key reading. It must never accept what that refuses, nor
read a value differently."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from auditui.schema import Problems
from auditui.session_toml import RESULT_KEYS, _plain_record, _record

TEXTS = st.sampled_from([
    "", " ", "4.1-a", "pass", "fail", "na", "unanswered", "out-of-scope",
    "minor", "major", "observation", "ofi", "Kho [red]B", "\u2028x",
])  # fmt: skip
DATES = st.one_of(
    st.datetimes(),  # local times too, and the very first and last days
    st.datetimes(timezones=st.just(timezone(timedelta(hours=7)))),
    st.dates(),  # a date alone is no time of recording
)
VALUES = st.one_of(
    TEXTS, st.text(max_size=5), st.integers(), st.booleans(), DATES,
    st.lists(st.one_of(TEXTS, st.integers()), max_size=3),
    st.dictionaries(TEXTS, TEXTS, max_size=2),
)  # fmt: skip
KEYS = st.one_of(st.sampled_from(RESULT_KEYS), st.sampled_from(["extra", "x-by"]))
RESULTS = st.dictionaries(KEYS, VALUES, max_size=9)


def plain_result():
    """Results shaped like those auditui writes, now and then with one odd value."""
    base = st.fixed_dictionaries(
        {
            "item_id": st.sampled_from(["4.1-a", "x", "", " "]),
            "prompt": st.sampled_from(["", "Q?"]),
        },
        optional={
            "section_id": TEXTS, "section_title": TEXTS, "clause": TEXTS, "guidance": TEXTS,
            "note": st.one_of(TEXTS, st.text(max_size=8)), "result": TEXTS, "grade": TEXTS,
            "recorded": DATES, "evidence": st.lists(TEXTS, max_size=2),
        },
    )  # fmt: skip
    return st.one_of(base, st.builds(lambda b, extra: {**b, **extra}, base, RESULTS))


@settings(max_examples=600, deadline=None)
@given(st.one_of(plain_result(), RESULTS))
def test_the_quick_reading_gives_what_the_checked_one_gives(raw):
    quick = _plain_record(raw)
    problems = Problems("s.toml")
    checked = _record(problems, raw, "results[0]")
    if quick is None:
        return  # left to the checked reading
    assert not problems.errors, problems.errors  # never accepts what is refused
    assert quick == checked


def test_results_as_auditui_writes_them_take_the_quick_way():
    written = {
        "item_id": "4.1-a", "section_id": "4", "section_title": "Context", "clause": "4.1",
        "prompt": "Q?", "result": "fail", "note": "n", "grade": "minor",
        "recorded": datetime(2026, 11, 25, 9, 41, tzinfo=timezone(timedelta(hours=7))),
    }  # fmt: skip
    assert _plain_record(written) == _record(Problems("s.toml"), written, "results[0]")
    assert _plain_record({"item_id": "4.1-a", "prompt": "Q?"}) is not None
