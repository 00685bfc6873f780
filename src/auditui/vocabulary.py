"""The words for an item's result and a finding's grade, in one place.

A result or a grade is written in files as a short string (`pass`, `na`, `major`,
`ofi` ...). Each output says it its own way: a report writes `N/A`, the item list a
glyph, the compare screen `n/a`, a finding's line `MAJOR`. `Result` and `Grade` hold
every one of those spellings beside the value, so a new way of showing a result is a
new attribute here, not another map in the module that shows it.

Both are `StrEnum`s: a member equals (and hashes, formats and is saved as) its string,
so `record.result == Result.PASS`, `Grade("ofi")` and a dict keyed by strings all work
with what the files hold. Styles are Textual style strings; this module imports
nothing of Textual or Rich.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING


class Result(StrEnum):
    """An item's result, as its file writes it; `OUT_OF_SCOPE` is only ever written
    (an unanswered item outside the session's scope), never held by a record."""

    label: str
    """In reports: `Pass`, `N/A`, `Not answered`."""
    word: str
    """On screen beside an item: `PASS`, `N/A`, `unanswered`."""
    short: str
    """In a line of changes: `pass`, `n/a`."""
    glyph: str
    """One cell in the item list."""
    style: str
    """How `word` is shown on screen."""
    export_label: str
    """In the Markdown export's table: `FAIL` stands out, `—` for not answered."""

    if TYPE_CHECKING:
        # What callers do: look a member up by its value, `Result("pass")`. (The
        # `__new__` below makes the members from their tuples; the type checker would
        # take it for the signature of every call.)
        def __new__(cls, value: str) -> Result: ...
    else:

        def __new__(
            cls, value: str, label: str, word: str, short: str, glyph: str, style: str,
            export: str,
        ) -> Result:  # fmt: skip
            member = str.__new__(cls, value)
            member._value_ = value
            member.label, member.word, member.short = label, word, short
            member.glyph, member.style, member.export_label = glyph, style, export
            return member

    # value, label, word, short, glyph, style, export_label
    PASS = ("pass", "Pass", "PASS", "pass", "✔", "bold green", "Pass")
    FAIL = ("fail", "Fail", "FAIL", "fail", "✘", "bold red", "FAIL")
    NA = ("na", "N/A", "N/A", "n/a", "–", "bold", "N/A")
    UNANSWERED = ("unanswered", "Not answered", "unanswered", "unanswered", "·", "dim", "—")
    OUT_OF_SCOPE = (
        "out-of-scope", "Out of scope", "out of scope", "out of scope", " ", "dim", "out of scope"
    )  # fmt: skip


RESULTS = (Result.PASS, Result.FAIL, Result.NA, Result.UNANSWERED)
"""The results a record holds."""
ANSWERS = (Result.PASS, Result.FAIL, Result.NA)
"""The results that answer an item."""


class Grade(StrEnum):
    """A finding's grade, as its file writes it."""

    words: str
    """In a sentence: `major nonconformity`, `opportunity for improvement`."""
    label: str
    """In reports and exports: `Major nonconformity`."""
    short: str
    """Three letters in the item list: `MAJ`, `obs`."""
    tag: str
    """Heading a finding's line in text output: `MAJOR`, `OFI`."""
    abbrev: str
    """In a report's narrow table: `Major`, `Obs.`."""
    style: str
    """How the grade is shown on screen."""
    allows: tuple[Result, ...]
    """The results the grade may go with (major and minor are nonconformities)."""

    if TYPE_CHECKING:
        # `Grade("ofi")`: a look-up by value, as for `Result`.
        def __new__(cls, value: str) -> Grade: ...
    else:

        def __new__(
            cls,
            value: str,
            words: str,
            short: str,
            tag: str,
            abbrev: str,
            style: str,
            allows: tuple[Result, ...],
        ) -> Grade:
            member = str.__new__(cls, value)
            member._value_ = value
            member.words, member.label = words, words.capitalize()
            member.short, member.tag, member.abbrev = short, tag, abbrev
            member.style, member.allows = style, allows
            return member

    # value, words, short, tag, abbrev, style, allows
    MAJOR = ("major", "major nonconformity", "MAJ", "MAJOR", "Major", "bold $text-error",
             (Result.FAIL,))  # fmt: skip
    MINOR = ("minor", "minor nonconformity", "min", "minor", "Minor", "$text-error",
             (Result.FAIL,))  # fmt: skip
    OBSERVATION = ("observation", "observation", "obs", "observation", "Obs.", "$text-warning",
                   (Result.PASS, Result.FAIL))  # fmt: skip
    OFI = ("ofi", "opportunity for improvement", "ofi", "OFI", "OFI", "$text-accent",
           (Result.PASS, Result.FAIL))  # fmt: skip


GRADES = tuple(Grade)
"""Every grade, the gravest first."""


def grade_fits(grade: str | None, result: str) -> bool:
    """Whether `grade` (None: no grade) may go on an item marked `result`."""
    return grade is None or (grade in GRADES and result in Grade(grade).allows)
