"""What an audit report holds (ISO 19011, 6.5.1), gathered once for every format.

`build_report` takes a session, the previous session of its checklist (if any) and the
corrective actions recorded for its findings, and returns plain data: the audit's
details, the summary against the previous session, the findings, the observations and
opportunities for improvement, the conclusion and sign-off, and every result. The HTML
and Markdown renderers only lay this out, so both always say the same thing.

Items outside the session's scope are left out of every part (they are counted, and the
appendix says how many). When the session shows a translation, the checklist's text
is given in that language, with the English the session recorded beneath it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from auditui.checklist import Checklist
from auditui.compare import (
    both_audited,
    checklist_changed_words,
    checklist_changes,
    compare_sessions,
    section_groups,
)
from auditui.reports.common import when
from auditui.session import ItemRecord, Session, Summary
from auditui.textwidth import plural, some_of
from auditui.timeutil import now
from auditui.vocabulary import Grade

FINDING_ORDER = {"major": 0, "minor": 1, None: 2, "observation": 3, "ofi": 4}
"""Findings are listed majors first, then minors, then ungraded, in checklist order."""



@dataclass(frozen=True, slots=True)
class CorrectiveAction:
    """A finding of the register as a report shows it: what people recorded against it
    (owner, due, cause, correction, action, status) and how long it has lasted."""

    status: str = "open"
    owner: str = ""
    due: date | None = None
    cause: str = ""
    correction: str = ""
    action: str = ""
    overdue: bool = False
    closed_reason: str = ""
    closed_by_hand: str = ""
    """When a person closed it, and who where known: `2026-11-20 by Mai`."""
    finding_id: str = ""
    raised_in: str = ""
    streak: int = 0
    """Sessions in a row that failed the item, up to its latest fail."""
    not_effective_in: str = ""
    """The session that failed the item after its action was marked done (not effective)."""
    closed_in: str = ""
    """The later session that passed the item, closing the finding."""
    recurrence: str = ""
    """The item's earlier finding, closed before this one was raised, and how it was
    closed (`findings.recurrence_words`): the nonconformity came back."""

    def status_words(self) -> str:
        """`Open: action not started — OVERDUE`, or why an action marked done is open."""
        return status_words(self.status, self.not_effective_in, self.closed_in) + (
            " — OVERDUE" if self.overdue else ""
        )


def status_words(status: str, not_effective_in: str | None, closed_in: str | None = None) -> str:
    """A finding's status as the register has it, for people: an action marked done that
    a later fail showed did not work reads so while the finding is open (a pass since
    closed it); a finding closed by a later audit names it."""
    if not_effective_in and status != "closed":
        return f"Not effective: marked done, and {not_effective_in} failed it again"
    from auditui.vocabulary import status_of

    known = status_of(status)
    words = known.label if known else status
    if status == "closed" and closed_in:
        words += f": session {closed_in} passed the item"
    return words


@dataclass(frozen=True, slots=True)
class FindingEntry:
    """A failed item of the audit, with what was done about it."""

    record: ItemRecord
    repeat: bool
    """Failed in the previous session of the checklist too."""
    action: CorrectiveAction | None


def repeat_text(entry: FindingEntry) -> str:
    """Whether the item failed before: from the register's streak when there is one."""
    action = entry.action
    if action is not None and action.streak > 1:
        return (
            f"The item failed in {action.streak} sessions in a row; this finding was raised "
            f"in session {action.raised_in}."
        )
    if entry.repeat:
        return "Failed in the previous session of this checklist too."
    return ""


@dataclass(frozen=True, slots=True)
class SectionRow:
    section_id: str
    title: str
    summary: Summary
    previous: Summary | None
    """The same section in the previous session; None when there is none or it lacked it."""


@dataclass(frozen=True)
class Translation:
    """A checklist's text in one language: what the session's language shows instead of
    the English (items whose English changed since the session started are left out)."""

    language: str
    title: str = ""
    sections: dict[str, str] = field(default_factory=dict)
    prompts: dict[str, str] = field(default_factory=dict)


def translation_of(
    checklist: Checklist, session: Session, language: str | None = None
) -> Translation | None:
    """The checklist's text in the session's language (or in `language`), for the items
    the session has with the same English text; None when there is no language."""
    language = session.language if language is None else language
    if not language or checklist.id != session.checklist_id:
        return None
    prompts = {}
    for record in session.records:
        item = checklist.item_index.get(record.item_id)
        if item is not None and item.prompt == record.prompt:
            text = item.text_in(language)
            if text is not None:
                prompts[record.item_id] = text[0]
    sections = {s.id: title for s in checklist.sections if (title := s.title_in(language))}
    return Translation(language, checklist.title_in(language) or "", sections, prompts)


@dataclass(frozen=True, slots=True)
class Reopening:
    at: datetime | None
    reason: str
    changed_since_sealed: tuple[str, ...] = ()
    """What had been changed by hand after sealing, found when it was reopened."""
    finished: datetime | None = None
    """When it had been finished before this reopening (the seal then taken out)."""
    signed_by: tuple[str, ...] = ()
    """Who had signed that finish."""

    @property
    def words(self) -> str:
        """`Finished 2026-02-17 09:00 +07:00 and signed by Mai; reopened 2026-12-07 16:29
        +07:00: <reason>`: the audit's history in the order it happened (the report put
        the last finish first, and the first finish nowhere)."""
        signed = f" and signed by {', '.join(self.signed_by)}" if self.signed_by else ""
        finished = f"Finished {when(self.finished)}{signed}; reopened" if self.finished else (
            "Reopened")  # fmt: skip
        return f"{finished} {when(self.at)}: {self.reason}"


EARLIER_VERDICTS = {
    "not_effective": "corrective action not effective: marked done, failed again here",
    "failed_again": "still open: failed again in this audit",
    "closed": "closed: passed in this audit",
    "closed_by_hand": "closed by hand since this audit started",
    "not_audited": "still open: neither passed nor failed in this audit",
}
"""What an audit did to a finding of an earlier one, worst first."""
NOT_AUDITED_WORDS = {
    "na": "still open: not applicable in this audit",
    "unanswered": "still open: not answered in this audit",
    "out-of-scope": "still open: outside this audit's scope",
}
EARLIER_HEADING = "Findings of earlier audits"
NO_EARLIER = "No finding of an earlier audit of this checklist was open when this audit started."


@dataclass(frozen=True, slots=True)
class EarlierFinding:
    """A finding of an earlier audit of the checklist, open when this one started, and
    what this audit found (ISO 9001 10.2.1 d: the corrective action's effectiveness is
    reviewed; a follow-up audit is where it is seen)."""

    finding_id: str
    item_id: str
    clause: str
    prompt: str
    grade: str
    verdict: str
    """A key of `EARLIER_VERDICTS`."""
    answer_here: str = ""
    """For one not audited: what this audit has for the item (`na`, `unanswered`,
    `out-of-scope`, or `not-in-checklist` when its checklist version has no such item)."""
    action: str = ""
    """Its corrective action as recorded: the action, status, owner, due (OVERDUE when
    past), in one line; "" when none is recorded."""
    english: str = ""
    """The question in English when `prompt` is its translation (shown beneath it)."""
    version: str = ""
    """This audit's checklist version: named when the item is not in it."""

    @property
    def where(self) -> str:
        """`4.1-a · clause 4.1`: the item, and its clause when it has one."""
        return " · ".join(part for part in (self.item_id, self.clause and
                                            f"clause {self.clause}") if part)  # fmt: skip

    @property
    def grade_words(self) -> str:
        """` (Major nonconformity)`, or "" for a finding not graded."""
        return f" ({Grade(self.grade).label})" if self.grade else ""

    @property
    def verdict_words(self) -> str:
        if self.verdict == "not_audited" and self.answer_here in NOT_AUDITED_WORDS:
            return NOT_AUDITED_WORDS[self.answer_here]
        if self.verdict == "not_audited" and self.answer_here == "not-in-checklist":
            # No later audit of this version can close it: the reader must hear why.
            return (f"still open: not in this audit's checklist (version {self.version}); "
                    f"no audit of it can close the finding: close it by hand if the "
                    f"requirement is gone (auditui finding {self.finding_id} --close "
                    f"--reason …)")  # fmt: skip
        return EARLIER_VERDICTS[self.verdict]


@dataclass
class AuditReport:
    session: Session
    previous: Session | None
    summary: Summary
    previous_summary: Summary | None
    sections: list[SectionRow]
    changes: dict[str, int] | None
    """improved / regressed / changed / added / removed counts against the previous session."""
    findings: list[FindingEntry]
    remarks: list[ItemRecord]
    """Observations and opportunities for improvement on items that did not fail."""

    @property
    def status(self) -> str:
        """Where the audit stands, in the words of the report's head."""
        return self._status + self._evidence_status

    @property
    def _status(self) -> str:
        changed = some_of(list(self.changed_since_sealed), 6)
        if self.finished is None and self.seal_broken:
            return (
                "In progress, but it had been sealed and its seal was taken out of the file "
                f"by hand; changed since it was sealed: {changed}"
            )
        if self.finished is None and self.reopened:
            # It was finished and signed once: a reader of the head saw only "In progress".
            last = self.reopened[-1]
            return (
                f"In progress: reopened {when(last.at)} after it was finished and sealed "
                "(see the conclusion); results may still change"
            )
        if self.finished is None:
            return "In progress: results may still change"
        if self.seal_broken:
            return f"Finished, but changed since it was sealed: {changed}"
        return "Finished and sealed"

    @property
    def _evidence_status(self) -> str:
        words = ""
        if self.evidence_changed:
            copies = some_of(list(self.evidence_changed), 6)
            but = ", but" if self.finished is not None and not self.seal_broken else ";"
            words = f"{but} evidence changed since it was attached: {copies}"
        if self.evidence_missing:  # as `verify` says it: not checked, not a change
            copies = some_of(list(self.evidence_missing), 6)
            words += f"; evidence not checked, not in this folder: {copies}"
        return words

    @property
    def findings_sentence(self) -> str:
        """`6 failed items: 2 major nonconformities, 3 minor nonconformities, 1 observation.`
        (the grades in the order the findings are listed), in the HTML and Markdown alike."""
        counts: dict[str | None, int] = {}
        for entry in self.findings:
            counts[entry.record.grade] = counts.get(entry.record.grade, 0) + 1
        parts = [_graded(number, grade) for grade, number in counts.items()]
        return f"{plural(len(self.findings), 'failed item')}: {', '.join(parts)}."

    @property
    def none_remarked(self) -> str:
        """What the observations part says when it lists nothing: those graded on failed
        items are with the findings, and saying "none" alone would deny them."""
        graded = sum(1 for entry in self.findings if entry.record.grade in ("observation", "ofi"))
        if not graded:
            return "None recorded."
        what = "one failed item" if graded == 1 else f"{graded} failed items"
        verb = "is" if graded == 1 else "are"
        return f"None on items that did not fail; {what} graded so {verb} under Findings above."
    appendix: list[tuple[str, str, list[ItemRecord]]]
    """Every in-scope item by section: (section id, title, records)."""
    scope: list[tuple[str, str]]
    """The sections audited, (id, title); every section when the whole checklist was."""
    whole_checklist: bool
    out_of_scope: int
    language: str = ""
    finished: datetime | None = None
    conclusion: str = ""
    signed_by: list[str] = field(default_factory=list)
    seal: str = ""
    seal_broken: bool = False
    """Finished, but the results no longer match the seal (changed by hand since), or its
    seal taken out of the file by hand."""
    changed_since_sealed: tuple[str, ...] = ()
    """What was changed, when `seal_broken`: named in the report, whose reader has no
    auditui to run `verify`."""
    reopened: list[Reopening] = field(default_factory=list)
    translation: Translation | None = None
    """The checklist's text in the session's language, when it has one."""
    earlier: list[EarlierFinding] | None = None
    """The findings of earlier audits open when this one started, and what it did to
    each (None: not looked up, for a report made from the session alone)."""
    standard: str = ""
    """The standard the checklist checks against: the session's, else its checklist's
    (a session imported from SPEC's export format has none; the session itself is left
    as it is, its seal covering that key)."""
    checklist_changed: str = ""
    """What the checklist version changed in the items both sessions have ("" if nothing):
    `compare`'s words (`checklist_changed_words`)."""
    checklist_changes: list[str] = field(default_factory=list)
    """Each of those changes, one line each: `1.1-a: the question was "…"`."""
    evidence_changed: tuple[str, ...] = ()
    """`<item id> <name>` of each evidence copy that no longer matches its hash: said in
    the head, as `verify` says it."""
    evidence_missing: tuple[str, ...] = ()
    """`<item id> <name>` of each evidence copy not in the folder (or not readable)."""
    evidence_states: dict[str, str] | None = None
    """What became of each evidence copy that is not as attached, by its `file`
    (`reports.evidence.copy_states`); None when the copies were not looked at."""
    latest_earlier: Session | None = None
    """The session of the checklist started last before this one, whatever it audited:
    the one `previous` is (compared with), or one of other sections (passed over)."""
    made: datetime = field(default_factory=now)
    """When the report was made. The report of a sealed audit still changes afterwards
    (its findings' corrective actions, later audits that closed them): two printouts
    are told apart by it."""

    @property
    def nothing_to_compare(self) -> str:
        """What the summary says when there is no `previous`: the first session of the
        checklist, or one after sessions that audited none of its sections (it said
        "the first session" after an audit of other sections of the same checklist)."""
        earlier = self.latest_earlier
        if earlier is None:
            return "This is the first session of this checklist: nothing to compare with."
        return (f"No earlier session of this checklist audited these sections (the last, "
                f"{earlier.id}, audited others): nothing to compare with.")  # fmt: skip

    @property
    def compared_with(self) -> str:
        """`the previous session`, or what the one compared with is when a later session
        of other sections came between (the report skipped it without a word)."""
        earlier, previous = self.latest_earlier, self.previous
        if earlier is None or previous is None or earlier.id == previous.id:
            return "the previous session"
        return "the last earlier session that audited any of these sections"

    @property
    def made_text(self) -> str:
        """The "Report made" line of the head: when, and what that date settles."""
        if self.findings or self.earlier:
            return f"{when(self.made)}; corrective actions as they stood then"
        return when(self.made)

    @property
    def title(self) -> str:
        session = self.session
        if not session.title and self.translation and self.translation.title:
            return self.translation.title
        return session.display_title

    def prompt(self, record: ItemRecord) -> tuple[str, str]:
        """(the question as the report shows it, the English beneath it or "")."""
        if self.translation is not None:
            translated = self.translation.prompts.get(record.item_id)
            if translated and translated != record.prompt:
                return translated, record.prompt
        return record.prompt, ""

    def section_title(self, section_id: str, title: str) -> str:
        if self.translation is not None:
            return self.translation.sections.get(section_id) or title
        return title

    @property
    def team(self) -> str:
        return self.session.auditor


def build_report(
    session: Session,
    previous: Session | None = None,
    actions: Mapping[str, CorrectiveAction] | None = None,
    translation: Translation | None = None,
    earlier: list[EarlierFinding] | None = None,
    standard: str = "",
    language: str | None = None,
) -> AuditReport:
    """The report of `session`; `previous` is the session before it of the same checklist,
    `actions` the corrective actions of its findings by item id, `translation` the
    checklist's text in the session's language, `earlier` the findings of earlier audits
    open when it started, `standard` its checklist's when the session names none,
    `language` the report's when not the session's ("" the English)."""
    actions = actions or {}
    in_scope = session.scoped_records()
    groups = section_groups(session)
    appendix = [(section_id, title, records) for section_id, (title, records) in groups.items()]

    previous_groups = section_groups(previous) if previous is not None else {}
    sections = []
    for section_id, title, records in appendix:
        before = previous_groups.get(section_id)
        sections.append(
            SectionRow(
                section_id,
                title,
                Summary.of(records),
                Summary.of(before[1]) if before is not None else None,
            )
        )
    previous_summary = None
    changes = None
    checklist_changed = ""
    changed_items: list[str] = []
    if previous is not None:
        # Its own score, as `compare` gives it; `both_audited` adds the like-for-like one.
        previous_summary = previous.summary()
        comparison = compare_sessions(previous, session)
        changes = comparison.counts()
        # A fail where there was none (n/a, unanswered) is news, not an "other change"
        # (`compare` lists it among its new failures, with the new items that fail).
        # A new item that fails is said with the new items, not taken from "changed".
        failing = [change for change in comparison.changes if change.new_failure]
        changes["new_failure"] = sum(1 for change in failing if change.change == "changed")
        changes["changed"] -= changes["new_failure"]
        changes["added_failing"] = len(failing) - changes["new_failure"]
        checklist_changed = checklist_changed_words(comparison)
        changed_items = [
            f"{item.item_id}: the question was “{before}”" if what == "question"
            else f"{item.item_id}: {what} {before or '–'} → {now or '–'}"
            for item in comparison.reworded
            for what, before, now in checklist_changes(item)
        ]  # fmt: skip

    findings = [
        FindingEntry(record, _failed_in(previous, record.item_id), actions.get(record.item_id))
        for record in in_scope
        if record.result == "fail"
    ]
    findings.sort(key=lambda entry: FINDING_ORDER.get(entry.record.grade, 2))
    remarks = [record for record in in_scope if record.is_remark]
    remarks.sort(key=lambda record: FINDING_ORDER[record.grade])

    titles = {section_id: title for section_id, title, _ in session.sections()}
    scope = [(section_id, titles.get(section_id, "")) for section_id in session.scope]
    return AuditReport(
        session=session,
        previous=previous,
        summary=Summary.of(in_scope),
        previous_summary=previous_summary,
        sections=sections,
        changes=changes,
        checklist_changed=checklist_changed,
        checklist_changes=changed_items,
        findings=findings,
        remarks=remarks,
        appendix=appendix,
        scope=scope or list(titles.items()),
        whole_checklist=not session.scope,
        out_of_scope=len(session.records) - len(in_scope),
        language=session.language if language is None else language,
        finished=session.finished,
        conclusion=session.conclusion,
        signed_by=list(session.signed_by) if session.finished is not None else [],
        seal=session.seal,
        seal_broken=_seal_broken(session),
        changed_since_sealed=tuple(_changed_since_sealed(session)),
        reopened=[_reopening(entry) for entry in session.reopened],
        translation=translation,
        earlier=earlier,
        standard=session.standard or standard,
    )


def _reopening(entry: dict[str, Any]) -> Reopening:
    at = entry.get("at")
    changed = entry.get("changed_since_sealed")
    finished = entry.get("finished")
    signed = entry.get("signed_by")
    return Reopening(
        at if isinstance(at, datetime) else None,
        str(entry.get("reason", "")),
        tuple(str(name) for name in changed) if isinstance(changed, list) else (),
        finished if isinstance(finished, datetime) else None,
        tuple(str(name) for name in signed) if isinstance(signed, list) else (),
    )


def changes_words(changes: dict[str, int]) -> str:
    """`5 improved (fail → pass), 1 regressed (pass → fail), 1 new failure (n/a or not
    answered → fail), 35 otherwise changed`, and items added (`2 new items (1 failed)`) or
    dropped by the checklist."""
    words = [
        f"{changes.get('improved', 0)} improved (fail → pass)",
        f"{changes.get('regressed', 0)} regressed (pass → fail)",
    ]
    if changes.get("new_failure"):
        failures = plural(changes["new_failure"], "new failure")
        words.append(f"{failures} (n/a or not answered → fail)")
    words.append(f"{changes.get('changed', 0)} otherwise changed")
    if changes.get("added"):
        added = plural(changes["added"], "new item")
        failing = changes.get("added_failing", 0)
        if failing:
            every = "failed" if failing == 1 else "all failed"
            added += f" ({every})" if failing == changes["added"] else f" ({failing} failed)"
        words.append(added)
    if changes.get("removed"):
        words.append(f"{plural(changes['removed'], 'item')} no longer asked")
    return ", ".join(words)


def checklist_changed_tail(report: AuditReport) -> str:
    """`; the checklist changed (version 1 → 3): 1 question reworded`, or "": what the
    sentence against the previous session adds after `changes_words`."""
    return f"; {report.checklist_changed}" if report.checklist_changed else ""


def both_audited_words(report: AuditReport) -> str:
    """What the summary adds when the previous session audited other sections than
    this one: the scores over the sections both audited, in `compare`'s words ("" when
    they audited the same)."""
    if report.previous is None:
        return ""
    like_for_like = both_audited(report.previous, report.session)
    return "" if like_for_like is None else f"; {like_for_like.text()}"


def all_row_before(report: AuditReport) -> Summary | None:
    """What the sections table's "All" row compares with: the previous session's whole
    score when both audited the same sections, else none ("–"): a follow-up of three
    sections read "Before 95.5%, Points −35.5" against a whole audit. The sentence
    above the table gives the score over the sections both audited."""
    if report.previous is None:
        return None
    audited = [
        {record.section_id for record in session.scoped_records()}
        for session in (report.previous, report.session)
    ]  # both_audited's None is also "no section in common"
    return report.previous_summary if audited[0] == audited[1] else None


def _failed_in(previous: Session | None, item_id: str) -> bool:
    return (
        previous is not None
        and item_id in previous.index
        and previous.record(item_id).result == "fail"
    )


_MANY = {
    "major nonconformity": "major nonconformities",
    "minor nonconformity": "minor nonconformities",
    "opportunity for improvement": "opportunities for improvement",
}


def _graded(number: int, grade: str | None) -> str:
    """`3 major nonconformities`, `1 observation`, `2 not graded`."""
    if not grade:
        return f"{number} not graded"
    one = Grade(grade).label.lower()
    return plural(number, one, _MANY.get(one))


def _changed_since_sealed(session: Session) -> list[str]:
    from auditui.seal import changed_since_sealed

    return changed_since_sealed(session)


def _seal_broken(session: Session) -> bool:
    from auditui.seal import seal_broken

    return seal_broken(session)
