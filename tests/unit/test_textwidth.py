"""Columns in text output line up with what the terminal (and Textual, through Rich) draws."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from auditui.textwidth import cell_width, ljust, some_of, take, truncate

WIDE_AND_JOINED = ["👍🏽", "❤️", "👨\u200d👩\u200d👧", "中文", "ภาษาไทย", "nút chai", "a\u0301"]


@pytest.mark.parametrize("text", WIDE_AND_JOINED)
def test_widths_agree_with_what_textual_draws(text: str) -> None:
    assert cell_width(text) == cell_len(text)


def test_emoji_with_modifiers_take_two_cells_so_padded_columns_line_up() -> None:
    rows = [ljust(name, 6) + "|" for name in ("👍🏽", "❤️", "👨\u200d👩\u200d👧", "ab")]
    assert {cell_len(row) for row in rows} == {7}


def test_cutting_never_splits_a_character_made_of_several_code_points() -> None:
    head, taken = take("ab👍🏽cd", 3)
    assert head == "ab"
    assert taken == 2
    assert take("ab👍🏽cd", 4) == ("ab👍🏽", 4)


def test_truncate_fits_the_width_with_an_ellipsis() -> None:
    text = "Kho nút chai 👨\u200d👩\u200d👧 中文 warehouse"
    for width in range(2, 30):
        cut = truncate(text, width)
        assert cell_len(cut) <= width
        assert cut == text or cut.endswith("…")


def test_whole_percents_round_halves_up_as_people_do() -> None:
    """Home showed 5 of 8 (62.5%) as 62%: half to even, on the binary value. Screens and
    the printed one-decimal figures both round the exact ratio halves up."""
    from auditui.textwidth import percent, whole_percent

    assert [whole_percent(p / j) for p, j in ((5, 8), (57, 200), (2, 3), (1, 200), (0, 4))] == [
        "63%", "29%", "67%", "1%", "0%"
    ]  # fmt: skip
    assert (percent(5 / 8), whole_percent(168 / 174)) == ("62.5%", "97%")
    assert (percent(1 / 16), percent(3 / 16), percent(2 / 3)) == ("6.3%", "18.8%", "66.7%")
    assert (percent(5 / 11), whole_percent(5 / 11)) == ("45.5%", "45%")


def test_some_of_names_the_first_and_counts_the_rest() -> None:
    """One-line messages name a few candidates and say how many more there are."""
    assert some_of(["a", "b"]) == "a, b"
    assert some_of([f"s{n}" for n in range(7)]) == "s0, s1, s2, s3, s4 and 2 more"
    assert some_of(["x", "y", "z", "w"], 3) == "x, y, z and 1 more"
