"""A session: one walkthrough of one checklist, with a result and a note per item.

A session carries the text of every item it was started with, so it still reads,
compares and exports correctly after its checklist is edited, renamed or deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from operator import attrgetter
from pathlib import Path
from typing import Any

from auditui.checklist import Checklist
from auditui.errors import AudituiError, one_line
from auditui.evidence import Attachment
from auditui.vocabulary import ANSWERS, GRADES, RESULTS, Result, grade_fits

OUT_OF_SCOPE = Result.OUT_OF_SCOPE
"""The result files and exports give an item outside the session's scope (never held in
memory: such an item is `unanswered` there, and `Session.in_scope` says it is outside)."""


def clean_text(text: str) -> str:
    """Text that can always be saved: lone surrogates (some terminals send them) become U+FFFD.

    A surrogate pair (UTF-16 halves of one character) is joined into that character.
    """
    if not _has_surrogate(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class NotGiven(Enum):
    """The type of `NOT_GIVEN`."""

    NOT_GIVEN = "not given"


NOT_GIVEN = NotGiven.NOT_GIVEN
"""A grade left as it is by `apply_answer` (None there means: no grade)."""


@dataclass(frozen=True, slots=True)
class Answer:
    """An item's answer as undo keeps it, and what a change of the answer touches."""

    result: str = "unanswered"
    note: str = ""
    grade: str | None = None
    recorded: datetime | None = None
    attachments: tuple[Attachment, ...] = ()


@dataclass(slots=True)
class ItemRecord:
    """One item as the session knows it: its text when started, and the answer."""

    item_id: str
    section_id: str
    section_title: str
    prompt: str
    clause: str | None = None
    guidance: str | None = None
    evidence: tuple[str, ...] = ()
    result: str = "unanswered"
    note: str = ""
    grade: str | None = None
    recorded: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    attachments: tuple[Attachment, ...] = ()
    """Evidence files attached to the answer (copies in the sessions folder)."""

    @property
    def answered(self) -> bool:
        return self.result in ANSWERS

    @property
    def is_remark(self) -> bool:
        """An observation or opportunity for improvement noted on an item that did not
        fail (a fail so graded is a finding): what the audit report and the review pack
        list apart from the findings."""
        return self.result != "fail" and self.grade in ("observation", "ofi")

    def answer(self) -> Answer:
        """The parts a change of the answer touches, for undo and for the journal."""
        return Answer(self.result, self.note, self.grade, self.recorded, self.attachments)

    def __reduce__(self):
        # Pickled (for the cache of read files) as the constructor's arguments, in field
        # order: twice as fast to load as the state dataclasses pickle for slots.
        return (type(self), _record_fields(self))


_record_fields = attrgetter(*ItemRecord.__slots__)
"""An `ItemRecord`'s fields as a tuple, in order (one call for all of them)."""


@dataclass(frozen=True, slots=True)
class Summary:
    total: int
    answered: int
    passed: int
    failed: int
    na: int
    unanswered: int
    score: float | None
    """pass ÷ (pass + fail), exact (what is shown, `80.0%`, is rounded from it once);
    None when nothing was judged pass or fail. Files get it to 4 places: `saved_score`."""

    @classmethod
    def of(cls, records: list[ItemRecord]) -> Summary:
        counts: dict[str, int] = {result: 0 for result in RESULTS}
        for record in records:
            counts[record.result] += 1
        return cls.from_counts(counts["pass"], counts["fail"], counts["na"], counts["unanswered"])

    @classmethod
    def from_counts(cls, passed: int, failed: int, na: int, unanswered: int) -> Summary:
        judged = passed + failed
        score = passed / judged if judged else None
        return cls(
            total=passed + failed + na + unanswered,
            answered=passed + failed + na,
            passed=passed,
            failed=failed,
            na=na,
            unanswered=unanswered,
            score=score,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "answered": self.answered,
            "pass": self.passed,
            "fail": self.failed,
            "na": self.na,
            "unanswered": self.unanswered,
            "score": self.saved_score,
        }

    @property
    def saved_score(self) -> float:
        """The score as files and documents write it: to 4 places, 0.0 when nothing was
        judged."""
        return 0.0 if self.score is None else round(self.score, 4)


@dataclass
class Session:
    """The whole state of one walkthrough; the one source of truth for the app."""

    id: str
    checklist_id: str
    started: datetime
    updated: datetime
    records: list[ItemRecord]
    checklist_title: str = ""
    checklist_version: str = ""
    checklist_sha256: str = ""
    kind: str = "custom"
    standard: str = ""
    """The standard the checklist checks against, when it names one (e.g. "ISO 9001:2015")."""
    auditor: str = ""
    auditee: str = ""
    title: str = ""
    scope: tuple[str, ...] = ()
    """The section ids this session audits, in checklist order; empty: every section."""
    finished: datetime | None = None
    """When the auditor finished the session (conclusion and sign-off); None while in work."""
    conclusion: str = ""
    signed_by: tuple[str, ...] = ()
    """The names signing the conclusion, as typed (e.g. "Mai (auditor)")."""
    seal: str = ""
    """`sha256:<hex>` over what was agreed (see `auditui.seal`), set when finished."""
    seal_parts: dict[str, dict[str, str]] = field(default_factory=dict)
    """Short digests of each sealed part (`fields`, `items`), so `verify` can name what changed."""
    reopened: list[dict[str, Any]] = field(default_factory=list)
    """Each time a finished session was taken back into work, kept for good: `at` and
    `reason`, and what it had when finished (`finished`, `seal`, `conclusion`,
    `signed_by`)."""
    language: str = ""
    """The language tag of the translation shown under each question ("" for none)."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Keys written by another version or by hand; kept so a save never drops them."""
    summary_edited: bool = field(default=False, compare=False)
    """A finished file whose `[summary]` is not what its results give: recomputed on
    reading, but edited by hand since it was sealed, which every list and report says
    as `verify` does (`seal.seal_broken`)."""
    path: Path | None = field(default=None, compare=False)
    """The file the session was read from, when it was read from one."""

    def __post_init__(self) -> None:
        self.index = {record.item_id: position for position, record in enumerate(self.records)}
        self.scope = tuple(self.scope)
        self._scope_set = frozenset(self.scope)

    # --- scope ---------------------------------------------------------------------

    def set_scope(self, section_ids: Iterable[str]) -> None:
        """Audit these sections (none: every section); kept in checklist order."""
        wanted = set(section_ids)
        self.scope = tuple(s for s in self.section_ids() if s in wanted)
        self._scope_set = frozenset(self.scope)

    def in_scope(self, item: ItemRecord | str) -> bool:
        """Whether an item (a record or an item id) is one this session audits. Items
        outside the scope are not asked, not counted, not compared, and never raise or
        close a finding."""
        if not self._scope_set:
            return True
        record = item if isinstance(item, ItemRecord) else self.record(item)
        return record.section_id in self._scope_set

    def scoped_records(self) -> list[ItemRecord]:
        """The records of the items in scope, in checklist order."""
        if not self._scope_set:
            return self.records
        return [r for r in self.records if r.section_id in self._scope_set]

    def section_ids(self) -> list[str]:
        """Every section id of the session's checklist, in order."""
        return list(dict.fromkeys(record.section_id for record in self.records))

    def file_result(self, record: ItemRecord) -> str:
        """The result a file or export gives the item: `out-of-scope` for an unanswered
        item outside the scope (a result typed there by hand is kept as it is)."""
        if record.result == "unanswered" and not self.in_scope(record):
            return OUT_OF_SCOPE
        return record.result

    # --- finishing -----------------------------------------------------------------

    @property
    def is_finished(self) -> bool:
        return self.finished is not None

    def last_sign_off(self) -> tuple[str, tuple[str, ...]]:
        """The current conclusion and signers, else those the session had before it was
        last reopened: finishing offers the conclusion again and shows who signed it."""
        if self.conclusion or self.signed_by or not self.reopened:
            return self.conclusion, self.signed_by
        last = self.reopened[-1]
        names = last.get("signed_by", [])
        conclusion = last.get("conclusion", "")
        return (
            conclusion if isinstance(conclusion, str) else "",
            tuple(n for n in names if isinstance(n, str)) if isinstance(names, list) else (),
        )

    def auditor_signing(self) -> tuple[str, ...]:
        """Who signs when no name is given: the auditor, as `Mai (auditor)` (none when
        the session names no auditor); each auditor of a merged audit on their own."""
        return tuple(f"{name.strip()} (auditor)" for name in self.auditors() if name.strip())

    def auditors(self) -> tuple[str, ...]:
        """The auditors by name: a merged audit's as its parts gave them (`auditor` joins
        them with ", ", which a name may hold too), else the one `auditor`."""
        names = self.extra.get("session", {}).get("auditors") if self.merged_from else None
        if isinstance(names, list) and all(isinstance(name, str) for name in names):
            return tuple(names)
        return (self.auditor,)

    @classmethod
    def start(
        cls,
        session_id: str,
        checklist: Checklist,
        *,
        started: datetime,
        auditor: str = "",
        auditee: str = "",
        title: str = "",
        scope: Iterable[str] = (),
        language: str = "",
    ) -> Session:
        records = [
            ItemRecord(
                item_id=item.id,
                section_id=item.section_id,
                section_title=item.section_title,
                prompt=item.prompt,
                clause=item.clause,
                guidance=item.guidance,
                evidence=item.evidence,
            )
            for item in checklist.items
        ]
        session = cls(
            id=session_id,
            checklist_id=checklist.id,
            started=started,
            updated=started,
            records=records,
            checklist_title=checklist.title,
            checklist_version=checklist.version,
            checklist_sha256=checklist.sha256,
            kind=checklist.kind,
            standard=checklist.standard or "",
            auditor=clean_text(auditor),
            auditee=clean_text(auditee),
            title=clean_text(title),
            language=language,
        )
        session.set_scope(check_scope(session, scope))
        return session

    @property
    def display_title(self) -> str:
        return display_title(self)

    def record(self, item_id: str) -> ItemRecord:
        return self.records[self.index[item_id]]

    @property
    def merged_from(self) -> tuple[str, ...]:
        """The sessions `auditui merge` joined into this one (counted as this one), as
        `store.Head` and `session_index.Digest` hold them too."""
        return merged_from(self.extra.get("session", {}))

    def summary(self) -> Summary:
        """The counts and score of the items in scope."""
        return Summary.of(self.scoped_records())

    def first_unanswered(self) -> int:
        """Position of the first unanswered item in scope, else of the first item in scope."""
        first = None
        for position, record in enumerate(self.records):
            if not self.in_scope(record):
                continue
            if not record.answered:
                return position
            if first is None:
                first = position
        return first or 0

    def sections(self) -> list[tuple[str, str, list[ItemRecord]]]:
        """Items grouped by section: (section id, title, records), each section once, in
        the order sections first appear; the records in their order. A section whose
        items a hand-edited file split apart is one group, as reports, trend and compare
        count it."""
        groups: dict[str, tuple[str, str, list[ItemRecord]]] = {}
        for record in self.records:
            group = groups.get(record.section_id)
            if group is None:
                group = groups[record.section_id] = (record.section_id, record.section_title, [])
            group[2].append(record)
        return list(groups.values())


def check_scope(session: Session | Checklist, section_ids: Iterable[str]) -> list[str]:
    """`section_ids` (blanks dropped) if each names a section of the session's (or the
    checklist's) checklist; else an `AudituiError` naming the first that does not."""
    known, checklist_id = _sections_of(session)
    wanted = [s.strip() for s in section_ids if s.strip()]
    for section_id in wanted:
        if section_id not in known:
            raise AudituiError(_no_section(section_id, checklist_id, known))
    return wanted


def clause_scope(checklist: Checklist, section_ids: Iterable[str]) -> list[str]:
    """The sections `--scope` names. A section's id names that section (SPEC: a scope is
    section ids), and only it; `7*` names a clause with the sections under it, as an
    auditor says "clause 7": `7`, `7.1.5` and `7.5`. An id that is no section's but
    starts some (`8`, where a checklist walks clause 8 in `8-sales`, `8-design`...) takes
    those. Each once, in the order given; `AudituiError` for an id that names none."""
    known, checklist_id = _sections_of(checklist)
    wanted: list[str] = []
    for given in (s.strip() for s in section_ids if s.strip()):
        section_id = given.removesuffix("*").rstrip(".-")
        if given == section_id and section_id in known:
            named = [section_id]
        else:
            named = [
                k for k in known
                if k == section_id or k.startswith((f"{section_id}.", f"{section_id}-"))
            ]  # fmt: skip
        if not named:
            raise AudituiError(_no_section(given, checklist_id, known))
        wanted += [k for k in named if k not in wanted]
    return wanted


def _sections_of(source: Session | Checklist) -> tuple[list[str], str]:
    if isinstance(source, Checklist):
        return [section.id for section in source.sections], source.id
    return source.section_ids(), source.checklist_id


def _no_section(section_id: str, checklist_id: str, known: list[str]) -> str:
    return (
        f"no section '{one_line(section_id)}' in checklist {checklist_id} "
        f"(its sections: {', '.join(known)})"
    )


def parse_scope(text: str | None) -> list[str]:
    """`--scope 7,8.5` as section ids; [] (the whole checklist) when it is not given. Given
    with no id in it (`--scope ,`, a script's empty variable), it is refused rather than
    read as the whole checklist."""
    if text is None:
        return []
    sections = [part.strip() for part in text.split(",") if part.strip()]
    if not sections:
        from auditui.errors import UsageError

        raise UsageError(
            "--scope names no section: give section ids (like 4,7), or leave --scope out "
            "for the whole checklist"
        )
    return sections


def merged_from(head: dict[str, Any]) -> tuple[str, ...]:
    """The sessions `auditui merge` joined into this one, from its `[session]` table (they
    are counted as this one); nothing when the value is not a list of ids. Its own id
    (a hand edit, named when the file is read whole) is never one: the session would
    count as merged away, and drop out of the register and the trend."""
    value = head.get("merged_from", ())
    if isinstance(value, list) and all(isinstance(entry, str) for entry in value):
        return tuple(entry for entry in value if entry != head.get("id"))
    return ()


def display_title(session: Any) -> str:
    """What screens and reports call a session (a `Session`, or what a list keeps of one:
    `session_index.Digest`, `trend.PointSession`): its title, else its checklist's."""
    return session.title or session.checklist_title or session.checklist_id


def listed_order(session: Any) -> tuple[datetime, str]:
    """How sessions are ordered everywhere: by start time, then by id (two sessions can
    start in the same minute). Takes a `Session` or anything with `started` and `id`."""
    return (session.started, session.id)


def sessions_of(sessions: Iterable[Session], checklist_id: str) -> list[Session]:
    """The sessions of one checklist, oldest first."""
    return sorted((s for s in sessions if s.checklist_id == checklist_id), key=listed_order)


def apply_answer(
    session: Session,
    item_id: str,
    *,
    result: str | None = None,
    note: str | None = None,
    grade: str | None | NotGiven = NOT_GIVEN,
    at: datetime,
) -> Answer:
    """Change an item's answer in place and return what it was (for undo).

    A new result stamps `recorded`; a grade that no longer fits the result
    (major on a pass, anything on n/a) is dropped.
    """
    record = session.record(item_id)
    before = record.answer()
    if result is not None:
        if result not in RESULTS:
            raise ValueError(f"not a result: {result!r}")
        if result != record.result:
            record.result = result
            record.recorded = at if result in ANSWERS else None
    if note is not None:
        record.note = clean_text(note)
    if grade is not NOT_GIVEN:
        if grade is not None and grade not in GRADES:
            raise ValueError(f"not a grade: {grade!r}")
        record.grade = grade
    if not grade_fits(record.grade, record.result):
        record.grade = None
    if record.answer() != before:
        session.updated = at
    return before


def restore_answer(
    session: Session,
    item_id: str,
    answer: Answer,
    at: datetime,
) -> None:
    """Put back an answer returned by `apply_answer` (undo)."""
    record = session.record(item_id)
    record.result, record.note, record.grade = answer.result, answer.note, answer.grade
    record.recorded, record.attachments = answer.recorded, answer.attachments
    session.updated = at
