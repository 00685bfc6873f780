"""The current item in full: prompt, answer, note, last time's finding, guidance, evidence.

The prompt and the note come first, so at 80×24 they are always on screen; the
rest scrolls below them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from auditui.clauses import clause_title
from auditui.session import ItemRecord, Session
from auditui.tui.text import multiline, styled
from auditui.vocabulary import Grade, Result

if TYPE_CHECKING:
    from auditui.findings import Finding

SHOWN_CHARACTERS = 5_000
"""Longer text is cut on screen (the file keeps all of it): laying out a note of millions
of characters took seconds on every visit to its item, with the keys waiting."""


def shown(text: str) -> Content:
    """`text` as `multiline` shows it, cut after `SHOWN_CHARACTERS` with a word on how
    much more there is."""
    if len(text) <= SHOWN_CHARACTERS:
        return multiline(text)
    rest = len(text) - SHOWN_CHARACTERS
    return Content.assemble(
        multiline(text[:SHOWN_CHARACTERS]),
        (f" … ({rest:,} more characters, kept in the session)", "dim"),
    )




class AnswerLine(Static):
    """One line, in the first of its `forms` that fits the width it has (the last, cut,
    when none does): it is laid out again at every resize."""

    forms: reactive[list[Content]] = reactive(list, layout=False)

    def render(self) -> Content:
        width = self.content_size.width
        for form in self.forms:
            if not width or form.cell_length <= width:
                return form
        return self.forms[-1] if self.forms else Content("")


class ItemDetail(VerticalScroll, can_focus=False):
    """Shows one item; `show()` redraws it from the session's record."""

    DEFAULT_CSS = """
    ItemDetail { padding: 0 1; }
    ItemDetail > Static { width: 1fr; height: auto; }
    ItemDetail > #detail-heading { color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    ItemDetail > #detail-prompt { text-style: bold; margin-bottom: 1; }
    ItemDetail > #detail-answer { text-wrap: nowrap; text-overflow: ellipsis; }
    ItemDetail > #detail-translation { margin-bottom: 1; display: none; }
    ItemDetail > #detail-note { border-left: thick $accent; padding-left: 1; margin-bottom: 1; }
    ItemDetail > #detail-attachments { margin-bottom: 1; }
    ItemDetail > #detail-last { color: $text-muted; margin-bottom: 1; }
    ItemDetail > #detail-guidance { margin-bottom: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.previous: Session | None = None
        self.show_clause_titles = True
        self.takes_notes = True
        """Whether `e` writes a note now (not in a finished, read-only or merged session)."""
        self.previous_loaded = False
        self.open_findings: dict[str, Finding] = {}
        self.session_started: datetime | None = None
        """When the session on screen started (a fail in it after an action was marked
        done says the action was not effective)."""
        self.older: dict[str, tuple[Session, ItemRecord]] = {}
        """For items the previous session did not audit: the last session that did, and
        its answer (`last_time.answered_before`)."""
        """The findings open when this session started, by item id (see findings.open_before)."""
        self.translated: dict[str, tuple[str, str | None]] = {}
        """The current translation, by item id: (prompt, guidance); empty for none."""

    def compose(self) -> ComposeResult:
        yield Static(id="detail-heading")
        yield Static(id="detail-prompt")
        yield Static(id="detail-translation")
        yield AnswerLine(id="detail-answer")
        yield Static(id="detail-note")
        yield Static(id="detail-attachments")
        yield Static(id="detail-last")
        yield Static(id="detail-guidance")
        yield Static(id="detail-evidence")

    def show(self, record: ItemRecord | None) -> None:
        heading = self.query_one("#detail-heading", Static)
        if record is None:
            heading.update(Content("No item to show."))
            self.query_one("#detail-translation", Static).display = False
            for name in ("prompt", "note", "attachments", "last", "guidance", "evidence"):
                self.query_one(f"#detail-{name}", Static).update(Content(""))
            self.query_one("#detail-answer", AnswerLine).forms = []
            return
        parts = [record.item_id]
        if record.clause:
            label = clause_title(record.clause) if self.show_clause_titles else None
            parts.append(f"clause {record.clause}" + (f" {label}" if label else ""))
        parts.append(f"{record.section_id} {record.section_title}")
        heading.update(styled(" · ".join(parts)))
        self.query_one("#detail-prompt", Static).update(shown(record.prompt))
        translated = self.translated.get(record.item_id)
        translation = self.query_one("#detail-translation", Static)
        translation.display = translated is not None
        prompt, guidance = translated or ("", None)
        translation.update(shown(prompt))
        self.query_one("#detail-answer", AnswerLine).forms = self._answer(record)
        note = self.query_one("#detail-note", Static)
        if record.note:
            note.update(Content.assemble(("Note  ", "dim"), shown(record.note)))
        else:
            hint = "No note. Press e to write one." if self.takes_notes else "No note."
            note.update(Content.assemble((hint, "dim")))
        attached = self.query_one("#detail-attachments", Static)
        attached.display = bool(record.attachments)
        attached.update(self._attachments(record))
        self.query_one("#detail-last", Static).update(self._last_time(record))
        guidance_parts = []
        if record.guidance:
            title = ("Guidance  ", "bold")
            guidance_parts.append(Content.assemble(title, shown(record.guidance)))
        if guidance:
            guidance_parts.append(shown(guidance))
        self.query_one("#detail-guidance", Static).update(Content("\n").join(guidance_parts))
        evidence = self.query_one("#detail-evidence", Static)
        if record.evidence:
            # One entry per line: the line breaks are ours, the entries are shown literally.
            lines = [styled(("Typical evidence", "bold"))]
            lines += [styled(f" • {entry}") for entry in record.evidence]
            evidence.update(Content("\n").join(lines))
        else:
            evidence.update(Content(""))
        self.scroll_home(animate=False)

    def _attachments(self, record: ItemRecord) -> Content:
        """The evidence attached: each file's name, kind and size (o opens, A detaches
        where the session takes changes)."""
        from auditui.evidence import size_text

        count = len(record.attachments)
        if not count:
            return Content("")
        heading = (f"Evidence attached ({count})", "bold")
        keys = "  o opens · A detaches" if self.takes_notes else "  o opens"
        lines = [styled(heading, (keys, "dim"))]
        for attachment in record.attachments:
            kind = "image" if attachment.is_image else "file"
            about = (f"  {kind}, {size_text(attachment.size)}", "dim")
            lines.append(styled(f" • {attachment.name}", about))
        return Content("\n").join(lines)

    def _answer(self, record: ItemRecord) -> list[Content]:
        """The answer line, then shorter forms of it for a narrow pane: one line at
        80×24, never wrapped, and "opportunity for improvement" left no room for when."""
        result = [("Result ", "dim"), (Result(record.result).word, Result(record.result).style)]
        when: list[tuple[str, str]] = []
        if record.recorded and record.answered:
            today = record.recorded.date() == date.today()  # then the time is enough
            stamp = f"{record.recorded:%H:%M}" if today else f"{record.recorded:%Y-%m-%d %H:%M}"
            when = [(f"  at {stamp}", "dim")]
        if not record.grade:
            return [styled(*result, *when)]
        grade = Grade(record.grade)
        return [
            styled(*result, ("  Grade ", "dim"), (grade.words, "bold"), *when),
            styled(*result, ("  Grade ", "dim"), (grade.tag, "bold"), *when),
        ]

    def _last_time(self, record: ItemRecord) -> Content:
        last = self._last_result(record)
        finding = self.open_findings.get(record.item_id)
        if finding is None:
            return last
        started = self.session_started or datetime.now().astimezone()
        return Content("\n").join([last, finding_line(finding, record, started)])

    def _last_result(self, record: ItemRecord) -> Content:
        if not self.previous_loaded:
            return Content.assemble(("Last time: looking…", "dim"))
        if self.previous is None:
            return Content.assemble(("Last time: no earlier session of this checklist.", "dim"))
        when = f"{self.previous.started:%Y-%m-%d}"
        if record.item_id not in self.previous.index:
            return styled((f"Last time ({when}): ", "bold"), ("not in that checklist version", ""))
        earlier = self.previous.record(record.item_id)
        if not self.previous.in_scope(earlier) and not earlier.answered:
            head = styled((f"Last time ({when}): ", "bold"), ("out of that audit's scope", "dim"))
            found = self.older.get(record.item_id)
            if found is None:
                return head
            older, answer = found
            return Content("\n").join([head, _said(f"Before that ({older.started:%Y-%m-%d}): ",
                                                    answer)])  # fmt: skip
        return _said(f"Last time ({when}): ", earlier)


def _said(label: str, earlier: ItemRecord) -> Content:
    """`Last time (date): Fail, minor — note`: an earlier session's answer to the item."""
    parts: list[str | tuple[str, str]] = [
        (label, "bold"),
        (Result(earlier.result).word, Result(earlier.result).style),
    ]
    if earlier.grade:
        parts.append(f", {Grade(earlier.grade).words}")
    if earlier.note:
        return Content.assemble(styled(*parts), Content(" — "), shown(earlier.note))
    return styled(*parts)


def finding_line(finding: Finding, record: ItemRecord, started: datetime) -> Content:
    """The item's open finding: id, age, owner, due, status; and that a pass closes it
    (`started`: when the session on screen started, for a fail after the action)."""
    from auditui.findings import failed_after_done

    today = date.today()
    days = finding.age_days(today)
    # Open when the session started; closed since (a later audit passed it, or by hand),
    # it is not called open.
    label = ("Open finding ", "bold $text-error") if finding.is_open else ("Finding ", "bold")
    parts: list[str | tuple[str, str]] = [label, finding.id]
    if days is not None:
        parts.append(f" · {days} day{'s' if days != 1 else ''}")
    action = finding.action
    if action is not None and action.owner:
        parts += [" · owner ", action.owner]
    not_effective = (record.result == "fail" and finding.status == "done"
                     and failed_after_done(finding, started, record.recorded))  # fmt: skip
    due = finding.due()
    if due is not None:
        parts.append(f" · due {due.isoformat()}")
        # Not effective, it reads open again, and late when its date has passed (as the
        # register says it).
        if finding.overdue(today) or (not_effective and due < today):
            parts.append((" OVERDUE", "bold $text-error"))
    if record.result == "pass":
        parts.append((" — this pass closes it", "bold $text-success"))
    elif not_effective:
        # The action marked done did not work: the register reads open from this fail on.
        parts.append((" · done, and failed again here: not effective", "bold $text-error"))
    else:  # the status the register gives now; with the pass it would read "closed"
        parts.append(f" · {finding.status}")
    return styled(*parts)
