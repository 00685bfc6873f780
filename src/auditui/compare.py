"""Comparing two sessions of one checklist: what changed, item by item and per section.

Items are matched by id, so sessions started from different versions of a
checklist compare too: an item only in the newer session is `added`, one only
in the older is `removed`. Everything here is linear in the number of items.

Every line of the text output fits in `textwidth.line_width()` cells, and all user text
goes through `printable()` first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from auditui.errors import AudituiError
from auditui.session import ItemRecord, Session, Summary
from auditui.textwidth import (
    cell_width,
    fact_lines,
    fit,
    line_width,
    ljust,
    minute,
    plural,
    points_moved,
    printable,
    score_text,
    truncate,
    wrap,
)

ABSENT = "absent"
"""The `old`/`new` of an item that one of the two sessions does not have."""
OUT_OF_SCOPE = "out-of-scope"
"""The old side of an item the older session did not audit (`fails_not_compared`)."""

CHANGE_KINDS = ("improved", "regressed", "changed", "unchanged", "added", "removed")
CHANGE_GROUPS = ("regressed", "new_failure", "improved", "other")
"""How changes are listed, the worst news first (the text report and the compare screen)."""

GROUP_COUNT_WORDS = {
    "regressed": ("regressed", "regressed"),
    "new_failure": ("new failure", "new failures"),
    "improved": ("improved", "improved"),
    "other": ("other change", "other changes"),
    "unchanged": ("unchanged", "unchanged"),
}
"""How a count of each group reads: (one, many)."""


def counted(group: str, count: int) -> str:
    """`1 new failure`, `3 other changes`: a count of one of `GROUP_COUNT_WORDS`."""
    return f"{count} {GROUP_COUNT_WORDS[group][count != 1]}"

# --- the comparison --------------------------------------------------------------------


def classify(old: str, new: str) -> str:
    """The kind of change from result `old` to result `new` (either may be `absent`)."""
    if old == new:
        return "unchanged"
    if old == ABSENT:
        return "added"
    if new == ABSENT:
        return "removed"
    if old == "fail" and new == "pass":
        return "improved"
    if old == "pass" and new == "fail":
        return "regressed"
    return "changed"


@dataclass(frozen=True, slots=True)
class ItemChange:
    """One item, old and new: its results (`absent` when a session lacks it) and records."""

    item_id: str
    old: str
    new: str
    change: str
    old_record: ItemRecord | None
    new_record: ItemRecord | None

    @property
    def record(self) -> ItemRecord:
        """The item as the newer session knows it (the older one for a removed item)."""
        record = self.new_record or self.old_record
        assert record is not None
        return record

    @property
    def new_failure(self) -> bool:
        """Fails now, and neither failed nor passed before (new item, or was n/a/unanswered)."""
        return self.new == "fail" and self.change in ("added", "changed")

    @property
    def group(self) -> str:
        """Which of `CHANGE_GROUPS` a change is listed under."""
        if self.change == "regressed":
            return "regressed"
        if self.new_failure:
            return "new_failure"
        if self.change == "improved":
            return "improved"
        return "other"


@dataclass(frozen=True, slots=True)
class SectionChange:
    """A section's results in each session; `None` where the session has no such section."""

    section_id: str
    title: str
    old: Summary | None
    new: Summary | None

    @property
    def change(self) -> str:
        """`added`, `removed`, the pass rate's move in points (`+12.5`), or `` when either
        session judged nothing pass or fail in it."""
        old, new = self.old, self.new
        if old is None:
            return "added"
        if new is None:
            return "removed"
        if old.score is not None and new.score is not None:
            return points_moved(old.score, new.score)
        return ""


@dataclass
class Comparison:
    old: Session
    new: Session
    items: list[ItemChange]
    """Every item: NEW's order, then the removed items in OLD's order."""
    sections: list[SectionChange]
    out_of_scope: int = 0
    """Items in both sessions but outside the scope of either: not compared, not listed."""
    fails_not_compared: list[ItemChange] = field(default_factory=list)
    """Among those, the items NEW fails in sections OLD did not audit: not compared, but
    each a finding of the newer audit (a new major there must not read as "0 new
    failures" with nothing said)."""
    edited: list[ItemChange] = field(default_factory=list)
    """Two versions of one session (the same id: the copy a sync kept beside it): the
    items of the same result whose note, grade or evidence differ. Between two audits
    every note differs; between two versions of one, that is what was done meanwhile."""
    old_summary: Summary = field(init=False)
    new_summary: Summary = field(init=False)

    @cached_property
    def reworded(self) -> list[ItemChange]:
        """Items in both whose checklist version changed them: another question, another
        section, another clause (`checklist_changes`). Compared by id all the same. Found
        once: the text, the TOML and the report each ask."""
        return [item for item in self.items if checklist_changes(item)]

    def __post_init__(self) -> None:
        self.old_summary = self.old.summary()
        self.new_summary = self.new.summary()

    @property
    def changes(self) -> list[ItemChange]:
        return [item for item in self.items if item.change != "unchanged"]

    def grouped(self) -> dict[str, list[ItemChange]]:
        """The changes by `CHANGE_GROUPS`, each group in the comparison's order."""
        groups: dict[str, list[ItemChange]] = {group: [] for group in CHANGE_GROUPS}
        for item in self.changes:
            groups[item.group].append(item)
        return groups

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(CHANGE_KINDS, 0)
        for item in self.items:
            counts[item.change] += 1
        counts["out_of_scope"] = self.out_of_scope
        return counts

    def group_counts(self) -> dict[str, int]:
        """How many changes each of `CHANGE_GROUPS` lists, and `unchanged`: the numbers
        a person reads (text, the compare screen's summary, its list and its menu), so
        that a summary never says one number and the list under it another."""
        counts = {group: len(items) for group, items in self.grouped().items()}
        counts["unchanged"] = len(self.items) - len(self.changes)
        return counts

    @property
    def nothing_in_common(self) -> bool:
        """The two audited no section in common: every item of both out of one's scope."""
        return bool(self.out_of_scope) and not self.items

    def score_words(self) -> str:
        """`66.7% → 33.3% (-33.3 points)`; with no section in common no move is said: the
        two scores are of different things."""
        if self.nothing_in_common:
            return (f"{score_text(self.old_summary)} → {score_text(self.new_summary)} (of "
                    "different sections: not compared)")  # fmt: skip
        return score_move(self.old_summary, self.new_summary)

    def summary_line(self) -> str:
        """`1 regressed · 2 new failures · 1 improved · 4 other changes · 1 unchanged`."""
        counts = self.group_counts()
        return " · ".join(counted(group, count) for group, count in counts.items())


def checklist_changes(item: ItemChange) -> list[tuple[str, str, str]]:
    """(what, before, now) for each way the newer checklist version changed the item:
    `question` reworded, `section` moved to, `clause` cited; none for an item one session
    lacks. A rewording changes what a "pass" means: the reader must see it."""
    old, new = item.old_record, item.new_record
    if old is None or new is None:
        return []
    found = []
    if old.prompt != new.prompt:
        found.append(("question", old.prompt, new.prompt))
    if old.section_id != new.section_id:
        found.append(("section", old.section_id, new.section_id))
    if (old.clause or "") != (new.clause or ""):
        found.append(("clause", old.clause or "", new.clause or ""))
    return found


def compare_sessions(old: Session, new: Session) -> Comparison:
    """Compare two sessions of the same checklist; refuse two different checklists."""
    if old.checklist_id != new.checklist_id:
        raise AudituiError(
            f"sessions {old.id} and {new.id} are of different checklists "
            f"({printable(old.checklist_id)}, {printable(new.checklist_id)})"
        )
    items: list[ItemChange] = []
    fails_not_compared: list[ItemChange] = []
    out_of_scope = 0  # items of both versions outside either scope; one version's are
    for record in new.records:  # added or removed, in scope or not (SPEC)
        before = old.record(record.item_id) if record.item_id in old.index else None
        if before is not None and not (new.in_scope(record) and old.in_scope(before)):
            out_of_scope += 1
            if record.result == "fail" and new.in_scope(record):
                change = ItemChange(record.item_id, OUT_OF_SCOPE, "fail", OUT_OF_SCOPE,
                                    before, record)  # fmt: skip
                fails_not_compared.append(change)
            continue
        old_result = before.result if before is not None else ABSENT
        items.append(
            ItemChange(
                record.item_id,
                old_result,
                record.result,
                classify(old_result, record.result),
                before,
                record,
            )
        )
    for record in old.records:
        if record.item_id not in new.index:
            items.append(ItemChange(record.item_id, record.result, ABSENT, "removed", record, None))
    edited = []
    if old.id == new.id:
        edited = [item for item in items if item.change == "unchanged" and _edited(item)]
    return Comparison(
        old, new, items, _sections(old, new), out_of_scope, fails_not_compared, edited
    )


def _edited(item: ItemChange) -> bool:
    """The item's note, grade or evidence differ between the two versions."""
    before, after = item.old_record, item.new_record
    if before is None or after is None:
        return False
    return (before.note, before.grade, before.attachments) != (
        after.note, after.grade, after.attachments
    )


def section_groups(session: Session) -> dict[str, tuple[str, list[ItemRecord]]]:
    """`Session.sections()` in scope, by section id: id -> (title, records)."""
    return {
        section_id: (title, records)
        for section_id, title, records in session.sections()
        if session.in_scope(records[0])
    }


def _sections(old: Session, new: Session) -> list[SectionChange]:
    old_groups = section_groups(old)
    new_groups = section_groups(new)
    old_all, new_all = set(old.section_ids()), set(new.section_ids())
    # A section one session has but left out of its scope is not compared at all.
    old_groups = {k: v for k, v in old_groups.items() if k in new_groups or k not in new_all}
    new_groups = {k: v for k, v in new_groups.items() if k in old_groups or k not in old_all}
    sections = []
    for section_id, (title, records) in new_groups.items():
        before = old_groups.get(section_id)
        sections.append(
            SectionChange(
                section_id,
                title,
                Summary.of(before[1]) if before is not None else None,
                Summary.of(records),
            )
        )
    for section_id, (title, records) in old_groups.items():
        if section_id not in new_groups:
            sections.append(SectionChange(section_id, title, Summary.of(records), None))
    return sections


# --- output ----------------------------------------------------------------------------


def still_failing(comparison: Comparison) -> list[ItemChange]:
    """The items both sessions fail (counted among the unchanged), majors first, then in
    checklist order: what a follow-up audit looks at first."""
    rank = {"major": 0, "minor": 1}
    both = [item for item in comparison.items if item.old == item.new == "fail"]
    return sorted(both, key=lambda item: rank.get(item.record.grade or "", 2))


def to_document(comparison: Comparison) -> dict[str, Any]:
    """The `compare --format toml` document (SPEC keys first, additions after)."""
    old, new = comparison.old, comparison.new
    head = {
        "old": old.id,
        "new": new.id,
        "checklist_id": new.checklist_id,
        "checklist_title": new.checklist_title or old.checklist_title,
        "old_version": old.checklist_version,
        "new_version": new.checklist_version,
        "old_started": old.started,
        "new_started": new.started,
        "old_score": comparison.old_summary.saved_score,
        "new_score": comparison.new_summary.saved_score,
    }
    like_for_like = both_audited(old, new)
    if comparison.nothing_in_common:  # told apart from the same scopes (no key either)
        head["sections_both_audited"] = []
    if like_for_like is not None:  # scopes differ: the scores over what both audited
        head["sections_both_audited"] = list(like_for_like.sections)
        head["old_score_both_audited"] = like_for_like.old.saved_score
        head["new_score_both_audited"] = like_for_like.new.saved_score
    return {
        "compare": head,
        "summary": comparison.counts(),
        "changes": [_change_table(item) for item in comparison.changes],
        "still_failing": [_change_table(item) for item in still_failing(comparison)],
        "fails_not_compared": [_change_table(item) for item in comparison.fails_not_compared],
        "edited": [_edited_table(item) for item in comparison.edited],
        "sections": [_section_table(section) for section in comparison.sections],
        "checklist_changed": [
            {"item_id": item.item_id, "what": what, "old": before, "new": now}
            for item in comparison.reworded
            for what, before, now in checklist_changes(item)
        ],
    }


def _change_table(item: ItemChange) -> dict[str, Any]:
    record = item.record
    table: dict[str, Any] = {
        "item_id": item.item_id,
        "old": item.old,
        "new": item.new,
        "change": item.change,
        "section_id": record.section_id,
    }
    if record.clause is not None:
        table["clause"] = record.clause
    table["prompt"] = record.prompt
    if (
        item.old_record is not None
        and item.new_record is not None
        and item.old_record.prompt != item.new_record.prompt
    ):
        table["old_prompt"] = item.old_record.prompt
    if item.old_record is not None:
        table["old_note"] = item.old_record.note
        if item.old_record.grade is not None:
            table["old_grade"] = item.old_record.grade
    if item.new_record is not None:
        table["new_note"] = item.new_record.note
        if item.new_record.grade is not None:
            table["new_grade"] = item.new_record.grade
    return table


def _edited_table(item: ItemChange) -> dict[str, Any]:
    """`_change_table`, with the evidence files of each version (by the name attached)."""
    table = _change_table(item)
    for side, record in (("old", item.old_record), ("new", item.new_record)):
        if record is not None:
            table[f"{side}_files"] = [attachment.name for attachment in record.attachments]
    return table


def _section_table(section: SectionChange) -> dict[str, Any]:
    table: dict[str, Any] = {"section_id": section.section_id, "title": section.title}
    for side, summary in (("old", section.old), ("new", section.new)):
        if summary is not None:
            table[f"{side}_score"] = summary.saved_score
            table[f"{side}_pass"] = summary.passed
            table[f"{side}_fail"] = summary.failed
    return table


OTHER_LIMIT = 30
"""At most this many `changed`/`added`/`removed` items are listed one by one in text."""


def shown_name(session: Session) -> str:
    """The session's id, and the file it was read from when that is not `<id>.toml` (a
    copy a sync or the app kept beside it: both sides of `compare ID ID.kept-…` have one
    id)."""
    path = session.path
    if path is not None and path.stem != session.id:
        return f"{session.id} ({path.name})"
    return session.id


def render_text(comparison: Comparison) -> str:
    """The comparison as a person reads it in a terminal: the worst news first."""
    old, new = comparison.old, comparison.new
    lines: list[str] = []
    title = printable(new.checklist_title or old.checklist_title)
    heading = f"Compare: {printable(new.checklist_id)}"
    lines.append(heading + (f" — {title}" if title else ""))
    for label, session, summary in (
        ("old", old, comparison.old_summary),
        ("new", new, comparison.new_summary),
    ):
        version = printable(session.checklist_version)
        lines.append(f"  {label}  {printable(shown_name(session))}")
        lines += fact_lines("       ", [
            minute(session.started),
            *([f"version {version}"] if version else []),
            f"score {score_text(summary)} ({summary.passed} pass, {summary.failed} fail)",
            f"{summary.answered}/{summary.total} answered",
        ])  # fmt: skip
    lines.append(f"  score {comparison.score_words()}")
    like_for_like = both_audited(old, new)
    if like_for_like is not None:
        in_sections, _, move = like_for_like.text().partition(": ")
        lines += fact_lines("        ", [f"{in_sections}:", move], separator=" ")
    lines.append("")
    counts = comparison.summary_line().split(" · ")
    still = [item for item in comparison.items if item.old == item.new == "fail"]
    if still:  # among the unchanged, what a follow-up audit is about
        counts[-1] += f" ({len(still)} still failing)"
    if comparison.out_of_scope:
        counts.append(f"{comparison.out_of_scope} out of scope")
    lines += fact_lines("  ", counts)

    changes = comparison.changes
    grouped = comparison.grouped()
    regressed, new_failures = grouped["regressed"], grouped["new_failure"]
    improved, others = grouped["improved"], grouped["other"]

    if regressed:
        lines += ["", f"Regressions: {_items(len(regressed))} passed before and fail now"]
        lines += _item_block(regressed, transition=False, notes=True)
    if new_failures:
        lines += ["", f"New failures: {_items(len(new_failures))} fail now, not failed before"]
        lines += _item_block(new_failures, transition=True, notes=True)
    if improved:
        lines += ["", f"Improvements: {_items(len(improved))} failed before and pass now"]
        lines += _item_block(improved, transition=False, notes=False)
    if still:  # a follow-up audit is about these: named, majors first
        lines += ["", f"Still failing: {_items(len(still))} failed before and fail again"]
        lines += _item_block(still_failing(comparison), transition=False, notes=True)
    if others:
        kinds = dict.fromkeys(("changed", "added", "removed"), 0)
        for item in others:
            kinds[item.change] += 1
        parts = ", ".join(f"{number} {kind}" for kind, number in kinds.items() if number)
        lines += ["", f"Other changes: {_items(len(others))} ({parts})"]
        lines += _item_block(others[:OTHER_LIMIT], transition=True, notes=False)
        if len(others) > OTHER_LIMIT:
            lines.append(f"  … and {len(others) - OTHER_LIMIT} more (see `--format toml` for all)")
    if not changes:
        lines += ["", nothing_changed(comparison)]
    if comparison.fails_not_compared:
        lines += ["", fails_not_compared_heading(comparison)]
        lines += _item_block(comparison.fails_not_compared, transition=False, notes=True)
    if comparison.edited:
        lines += ["", f"Edited, the same result: {_items(len(comparison.edited))} whose note, "
                  "grade or evidence differ between the two versions"]  # fmt: skip
        lines += _edited_block(comparison.edited)
    lines += _checklist_changed_block(comparison)
    head = _head_edited(old, new) if old.id == new.id else []
    if head:
        lines += ["", "Also different between the two versions:"]
        lines += [f"  {name}: {value}" for name, value in head]

    if comparison.sections:
        lines += ["", *_section_block(comparison.sections)]
    return "\n".join(fit(line) for line in lines) + "\n"


def checklist_changed_words(comparison: Comparison) -> str:
    """`the checklist changed (version 1 → 3): 1 question reworded, 1 item moved to
    another section`; "" when no item of both changed."""
    counts = dict.fromkeys(("question", "section", "clause"), 0)
    for item in comparison.reworded:
        for what, _, _ in checklist_changes(item):
            counts[what] += 1
    words = {"question": ("question reworded", "questions reworded"),
             "section": ("item in another section", "items in another section"),
             "clause": ("item citing another clause", "items citing another clause")}
    parts = [f"{n} {words[what][n != 1]}" for what, n in counts.items() if n]
    if not parts:
        return ""
    old, new = comparison.old.checklist_version, comparison.new.checklist_version
    versions = f" (version {printable(old)} → {printable(new)})" if old != new else ""
    return f"the checklist changed{versions}: {', '.join(parts)}"


def _checklist_changed_block(comparison: Comparison) -> list[str]:
    """What the newer checklist version changed in the items both sessions have: an item
    compared by id may ask another question, sit in another section, cite another clause."""
    said = checklist_changed_words(comparison)
    if not said:
        return []
    lines = ["", *wrap(f"{said[0].upper()}{said[1:]}", line_width())]
    reworded = comparison.reworded
    for item in reworded[:OTHER_LIMIT]:
        lines.append(f"  {printable(item.item_id)}")
        for what, before, now in checklist_changes(item):
            if what == "question":
                lines += ["    " + line for line in wrap(f"was: {printable(before)}",
                                                       line_width() - 4)]  # fmt: skip
            else:
                lines.append(f"    {what} {printable(before) or '–'} → {printable(now) or '–'}")
    if len(reworded) > OTHER_LIMIT:
        lines.append(f"  … and {len(reworded) - OTHER_LIMIT} more (see `--format toml` for all)")
    return lines


@dataclass(frozen=True, slots=True)
class BothAudited:
    """Two sessions' scores over only the sections both audited: the like-for-like
    figure beside their own scores when their scopes differ (`compare` and the report
    say the same two)."""

    sections: tuple[str, ...]
    old: Summary
    new: Summary

    def text(self) -> str:
        """`in the sections both audited (5, 7): 75.0% → 81.2% (+6.2 points)`."""
        named = ", ".join(printable(section) for section in self.sections)
        if len(named) > 30:
            named = f"{len(self.sections)} sections"
        return f"in the sections both audited ({named}): {score_move(self.old, self.new)}"


def both_audited(old: Session, new: Session) -> BothAudited | None:
    """The like-for-like scores when OLD and NEW audited different sections; None when
    they audited the same ones (their own scores say it all) or none in common."""
    old_records, new_records = old.scoped_records(), new.scoped_records()
    old_sections = dict.fromkeys(record.section_id for record in old_records)
    new_sections = dict.fromkeys(record.section_id for record in new_records)
    if old_sections.keys() == new_sections.keys():
        return None
    common = tuple(section for section in new_sections if section in old_sections)
    if not common:
        return None
    wanted = set(common)
    return BothAudited(
        common,
        Summary.of([record for record in old_records if record.section_id in wanted]),
        Summary.of([record for record in new_records if record.section_id in wanted]),
    )


def fails_not_compared_heading(comparison: Comparison) -> str:
    """`Not compared: 2 items fail now in sections the old session did not audit`."""
    number = len(comparison.fails_not_compared)
    verb = "fails" if number == 1 else "fail"
    return f"Not compared: {_items(number)} {verb} now in sections the old session did not audit"


def nothing_changed(comparison: Comparison) -> str:
    """What a comparison without changes says: that nothing differs, or that the two
    audited no item in common (different scopes), so there was nothing to compare."""
    if comparison.nothing_in_common:
        return "Nothing to compare: the two sessions audited no section in common."
    return "No differences in results."


def _items(number: int) -> str:
    return f"{number} item" if number == 1 else f"{number} items"


def score_move(old: Summary, new: Summary) -> str:
    """`66.7% → 33.3% (-33.3 points)`: the score before and after, and the move."""
    text = f"{score_text(old)} → {score_text(new)}"
    if old.score is not None and new.score is not None:
        delta = (new.score - old.score) * 100
        # A move too small for one decimal read "-0.0 points": said as under 0.1.
        if delta == 0:
            text += " (no change)"
        elif abs(delta) < 0.05:
            text += f" ({'up' if delta > 0 else 'down'} by less than 0.1 point)"
        else:
            text += f" ({delta:+.1f} points)"
    return text


NOTE_LINES = 4
"""Lines of a regression's or new failure's grade and note in `compare`'s text: a
sentence or two in full; the whole of a longer note is in `--format toml`."""


def _item_block(items: list[ItemChange], *, transition: bool, notes: bool) -> list[str]:
    id_width = min(max(cell_width(printable(item.item_id)) for item in items), 20)
    lines = []
    for item in items:
        record = item.record
        prefix = "  " + ljust(truncate(printable(item.item_id), id_width), id_width) + "  "
        if transition:
            prefix += f"{item.old} → {item.new}  "
        if record.clause:
            prefix += f"[{truncate(printable(record.clause), 12)}] "
        room = max(line_width() - cell_width(prefix), 10)
        lines.append(prefix + truncate(printable(record.prompt), room))
        if notes and item.new_record is not None:
            details = []
            if item.new_record.grade:
                details.append(f"grade {item.new_record.grade}")
            if item.new_record.note:
                details.append(f"note: {printable(item.new_record.note)}")
            if details:
                lines += _words(" · ".join(details), " " * (id_width + 4))
    return lines


def _words(text: str, indent: str) -> list[str]:
    """The auditor's words under an item: wrapped, and cut (with …) only past
    `NOTE_LINES` lines."""
    wrapped = wrap(text, line_width() - len(indent))
    if len(wrapped) > NOTE_LINES:
        wrapped[NOTE_LINES - 1] = truncate(" ".join(wrapped[NOTE_LINES - 1 :]),
                                           line_width() - len(indent))  # fmt: skip
    return [indent + line for line in wrapped[:NOTE_LINES]]


def _head_edited(old: Session, new: Session) -> list[tuple[str, str]]:
    """What else two versions of one session hold differently: its title, names, scope,
    translation (`name`, `'old' → 'new'`)."""
    changed = []
    for name in ("title", "auditor", "auditee", "scope", "language"):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            if name == "scope":
                before, after = ", ".join(before) or "all", ", ".join(after) or "all"
            changed.append((name, f"{printable(str(before))!r} in the old, "
                                  f"{printable(str(after))!r} in the new"))  # fmt: skip
    return changed


def _edited_block(items: list[ItemChange]) -> list[str]:
    """Each edited item, then what each version holds: grade, note, evidence files."""
    heads = _item_block(items, transition=False, notes=False)  # one line each
    block: list[str] = []
    for item, head in zip(items, heads, strict=True):
        block.append(head)
        for label, record in (("old", item.old_record), ("new", item.new_record)):
            assert record is not None
            parts = [f"grade {record.grade}"] if record.grade else []
            parts.append(f"note: {printable(record.note)}" if record.note else "no note")
            if record.attachments:  # with the start of each hash: a file replaced
                names = ", ".join(f"{printable(a.name)} ({a.sha256[:8]})"
                                  for a in record.attachments)  # fmt: skip
                parts.append(f"files: {names}")
            block += _words(f"{label}: " + " · ".join(parts), "    ")
    return block


def _section_block(all_sections: list[SectionChange]) -> list[str]:
    """Pass rate by section, old and new; sections neither session has a pass rate for
    (not audited by either, or only n/a) are counted below instead of listed."""
    sections = [s for s in all_sections if score_text(s.old) != "–" or score_text(s.new) != "–"]
    without = len(all_sections) - len(sections)
    if not sections:
        return [f"Pass rate by section: none in either session ({plural(without, 'section')})"]
    id_width = min(max(cell_width(printable(s.section_id)) for s in sections), 10)
    room = line_width() - 2 - id_width - 2 - (2 + 7) * 2 - 2 - 8
    title_width = min(max(cell_width(printable(s.title)) for s in sections), room)
    title_width = max(title_width, len("Pass rate by section") - id_width - 4)
    lines = [
        "Pass rate by section"
        + " " * (2 + id_width + 2 + title_width - len("Pass rate by section"))
        + f"  {'old':>7}  {'new':>7}  {'change':>8}"
    ]
    for section in sections:
        delta = section.change
        name = ljust(truncate(printable(section.section_id), id_width), id_width)
        title = ljust(truncate(printable(section.title), title_width), title_width)
        lines.append(
            f"  {name}  {title}"
            f"  {score_text(section.old):>7}  {score_text(section.new):>7}  {delta:>8}"
        )
    if without:
        lines.append(f"  and {plural(without, 'section')} with no pass rate in either session")
    return lines
