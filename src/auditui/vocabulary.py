"""The words for an item's result and a finding's grade, in one place.

A result or a grade is written in files as a short string (`pass`, `na`, `major`,
`ofi` ...). Each output says it its own way: a report writes `N/A`, the item list a
glyph, the compare screen `n/a`, a finding's line `MAJOR`. `Result` and `Grade` hold
every one of those spellings beside the value, so a new way of showing a result is a
new field here, not another map in the module that shows it.

Both are `StrEnum`s: a member equals (and hashes, formats and is saved as) its string,
so `record.result == Result.PASS`, `Grade("ofi")` and a dict keyed by strings all work
with what the files hold. Styles are Textual style strings; this module imports
nothing of Textual or Rich.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class Result(StrEnum):
    """An item's result, as its file writes it; `OUT_OF_SCOPE` is only ever written
    (an unanswered item outside the session's scope), never held by a record."""

    PASS = "pass"
    FAIL = "fail"
    NA = "na"
    UNANSWERED = "unanswered"
    OUT_OF_SCOPE = "out-of-scope"

    @property
    def label(self) -> str:
        """In reports: `Pass`, `N/A`, `Not answered`."""
        return _RESULT_SPELLINGS[self].label

    @property
    def word(self) -> str:
        """On screen beside an item: `PASS`, `N/A`, `unanswered`."""
        return _RESULT_SPELLINGS[self].word

    @property
    def short(self) -> str:
        """In a line of changes: `pass`, `n/a`."""
        return _RESULT_SPELLINGS[self].short

    @property
    def glyph(self) -> str:
        """One cell in the item list."""
        return _RESULT_SPELLINGS[self].glyph

    @property
    def style(self) -> str:
        """How `word` is shown on screen."""
        return _RESULT_SPELLINGS[self].style

    @property
    def export_label(self) -> str:
        """In the Markdown export: `FAIL` stands out, `—` for not answered."""
        return _RESULT_SPELLINGS[self].export_label


class _ResultSpelling(NamedTuple):
    label: str
    word: str
    short: str
    glyph: str
    style: str
    export_label: str


_RESULT_SPELLINGS = {
    Result.PASS: _ResultSpelling("Pass", "PASS", "pass", "✔", "bold green", "Pass"),
    Result.FAIL: _ResultSpelling("Fail", "FAIL", "fail", "✘", "bold red", "FAIL"),
    Result.NA: _ResultSpelling("N/A", "N/A", "n/a", "–", "bold", "N/A"),
    Result.UNANSWERED: _ResultSpelling(
        "Not answered", "unanswered", "unanswered", "·", "dim", "—"
    ),
    Result.OUT_OF_SCOPE: _ResultSpelling(
        "Out of scope", "out of scope", "out of scope", " ", "dim", "out of scope"
    ),
}

RESULTS = (Result.PASS, Result.FAIL, Result.NA, Result.UNANSWERED)
"""The results a record holds."""
ANSWERS = (Result.PASS, Result.FAIL, Result.NA)
"""The results that answer an item."""


class Grade(StrEnum):
    """A finding's grade, as its file writes it."""

    MAJOR = "major"
    MINOR = "minor"
    OBSERVATION = "observation"
    OFI = "ofi"

    @property
    def words(self) -> str:
        """In a sentence: `major nonconformity`, `opportunity for improvement`."""
        return _GRADE_SPELLINGS[self].words

    @property
    def label(self) -> str:
        """In reports and exports: `Major nonconformity`."""
        return _GRADE_SPELLINGS[self].words.capitalize()

    @property
    def short(self) -> str:
        """Three letters in the item list: `MAJ`, `obs`."""
        return _GRADE_SPELLINGS[self].short

    @property
    def tag(self) -> str:
        """Heading a finding's line: `MAJOR`, `OFI`."""
        return _GRADE_SPELLINGS[self].tag

    @property
    def abbrev(self) -> str:
        """In a report's narrow table: `Major`, `Obs.`."""
        return _GRADE_SPELLINGS[self].abbrev

    @property
    def style(self) -> str:
        """How the grade is shown on screen."""
        return _GRADE_SPELLINGS[self].style

    @property
    def allows(self) -> tuple[Result, ...]:
        """The results the grade may go with (major and minor are nonconformities)."""
        return _GRADE_SPELLINGS[self].allows


class _GradeSpelling(NamedTuple):
    words: str
    short: str
    tag: str
    abbrev: str
    style: str
    allows: tuple[Result, ...]


_JUDGED = (Result.PASS, Result.FAIL)
_GRADE_SPELLINGS = {
    Grade.MAJOR: _GradeSpelling(
        "major nonconformity", "MAJ", "MAJOR", "Major", "bold $text-error", (Result.FAIL,)
    ),
    Grade.MINOR: _GradeSpelling(
        "minor nonconformity", "min", "minor", "Minor", "$text-error", (Result.FAIL,)
    ),
    Grade.OBSERVATION: _GradeSpelling(
        "observation", "obs", "observation", "Obs.", "$text-warning", _JUDGED
    ),
    Grade.OFI: _GradeSpelling(
        "opportunity for improvement", "ofi", "OFI", "OFI", "$text-accent", _JUDGED
    ),
}

GRADES = tuple(Grade)
"""Every grade, the gravest first."""


def grade_fits(grade: str | None, result: str) -> bool:
    """Whether `grade` (None: no grade) may go on an item marked `result`."""
    return grade is None or (grade in GRADES and result in Grade(grade).allows)


class Status(StrEnum):
    """Where a finding's corrective action stands, as its record writes it; `CLOSED` is
    only ever worked out (a finding that no longer fails), never set by a person."""

    OPEN = "open"
    ACTION = "action"
    DONE = "done"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        """In reports: `Open: action not started`, `Action under way`."""
        return _STATUS_SPELLINGS[self].label

    @property
    def short(self) -> str:
        """In a report's narrow table: `Open`, `Action`."""
        return _STATUS_SPELLINGS[self].short

    @property
    def choice(self) -> str:
        """In the app's list to pick one from: `open: action not started`."""
        return _STATUS_SPELLINGS[self].choice

    @property
    def change(self) -> str:
        """Telling what sync brought in: `action under way`."""
        return _STATUS_SPELLINGS[self].change


class _StatusSpelling(NamedTuple):
    label: str
    short: str
    choice: str
    change: str


_STATUS_SPELLINGS = {
    Status.OPEN: _StatusSpelling(
        "Open: action not started", "Open", "open: action not started", "action open"
    ),
    Status.ACTION: _StatusSpelling(
        "Action under way", "Action", "action under way", "action under way"
    ),
    Status.DONE: _StatusSpelling("Action done", "Done", "done", "action done"),
    Status.CLOSED: _StatusSpelling("Closed", "Closed", "closed", "closed"),
}

STATUSES = (Status.OPEN, Status.ACTION, Status.DONE)
"""What a person sets: not started, action under way, action done (awaiting verification)."""


def status_of(text: object) -> Status | None:
    """The status `text` names, or None (a value a hand-edited or newer file holds)."""
    if not isinstance(text, str):
        return None
    try:
        return Status(text)
    except ValueError:
        return None
