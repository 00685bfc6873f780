"""The walkthrough: one item after another, marked with single keys, saved as it goes.

The session writer is the one source of truth; this screen changes it through
the writer (which puts every change on disk before returning) and then redraws
the one line and the detail that changed. A failed save is shown at the top and
retried every second; the marks stay in memory meanwhile.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

from textual import events, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Static

from auditui.checklist import Checklist
from auditui.errors import AudituiError
from auditui.exporters import EXPORTERS, TITLES
from auditui.paths import Locations
from auditui.repository import SessionRepository
from auditui.session import Answer, Session, Summary
from auditui.store import SessionWriter
from auditui.textwidth import printable, whole_percent
from auditui.tui.keyhelp import QUIT_HELP
from auditui.tui.messages import CloseSession
from auditui.tui.screens.finishing import FinishingActions
from auditui.tui.text import styled, with_left_out
from auditui.tui.widgets.item_detail import ItemDetail
from auditui.tui.widgets.item_list import ItemList
from auditui.tui.widgets.key_bar import KeyBar
from auditui.vocabulary import Grade, Result, grade_fits

# The dialogs (and TextArea with them) and the exporter are imported where they are
# used, not here: the walkthrough is what `auditui resume` shows first, so it starts
# without them.

GRADE_KEYS = {"1": "major", "2": "minor", "3": "observation", "4": "ofi", "0": None}
FILTERS = {
    "all": None,
    "failed": lambda record: record.result == "fail",
    "unanswered": lambda record: not record.answered,
    "noted": lambda record: bool(record.note),
}
FILTER_WORDS = {
    "failed": "failed items",
    "unanswered": "unanswered items",
    "noted": "items with notes",
}


def grade_refusal(grade: str, result: str) -> str:
    """Why `grade` cannot go on an item marked `result`, and what can."""
    word = Grade(grade).words
    article = "An" if word[0] in "aeiou" else "A"
    allowed = " or ".join(Grade(grade).allows)
    if result == "unanswered":
        return f"{article} {word} goes with {allowed}: mark the item first."
    fitting = [
        f"{key} {Grade(other).words}"
        for key, other in GRADE_KEYS.items()
        if other is not None and grade_fits(other, result)
    ]
    shown = Result.NA.word if result == Result.NA else result
    if not fitting:
        return f"{article} {word} goes with {allowed}; no grade goes with {shown}."
    return f"{article} {word} goes with {allowed}; with {shown}: {', '.join(fitting)}."


UNDO_HELP = "undo the last change (again to go further back, as far as the session's opening)"
GRADE_HELP = "grade: major, minor (with fail), observation, OFI (with pass or fail)"


SETTLE_S = 0.5
"""Seconds the question over a fail is up before `y` or `n` answers it
(`TypedOnQuestion.settle`)."""


class WalkthroughScreen(FinishingActions, Screen[None]):
    """Walk a session's items: p/f/n mark, e note, 1-4 grade, u undo, ? help; finish
    (ctrl+f), reopen and widen the scope (see `FinishingActions`)."""

    SCOPED_CSS = False  # rules as in a stylesheet, parsed once (screens/dialog.py says why)
    DEFAULT_CSS = """
    #walk-bar {
        height: 1;
        background: $panel;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    #walk-error { height: auto; background: $error; color: $text; padding: 0 1; }
    #walk-main { height: 1fr; }
    #walk-items { width: 36%; min-width: 28; max-width: 70; border-right: vkey $panel-lighten-2; }
    #walk-detail { width: 1fr; }
    """

    # What each key does is written once, in its tooltip: the help screen and the
    # README's keys table are made from these (tui/keyhelp.py; a test checks the README).
    BINDINGS = [
        Binding(
            "p",
            "mark('pass')",
            "Pass",
            tooltip="record pass, then go to the next item (over a fail, asked first)",
        ),
        Binding(
            "f",
            "mark('fail', False)",
            "Fail",
            tooltip="record fail and stay on the item: its note (e) and grade (1-4) come next",
        ),
        Binding(
            "n",
            "mark('na')",
            "N/A",
            tooltip="record not applicable, then go to the next item (over a fail, asked first)",
        ),
        Binding("P", "mark('pass', False)", show=False, tooltip="record pass, staying on the item"),
        Binding(
            "N",
            "mark('na', False)",
            show=False,
            tooltip="record not applicable, staying on the item",
        ),
        Binding("F", "mark('fail', False)", show=False, tooltip="record fail (like f)"),
        Binding(
            "e",
            "edit_note",
            "Note",
            tooltip="edit the note (ctrl+s saves and closes, esc closes and keeps it)",
        ),
        Binding("1", "grade('1')", "Grade: major", show=False, tooltip=GRADE_HELP),
        Binding("2", "grade('2')", "Grade: minor", show=False, tooltip=GRADE_HELP),
        Binding("3", "grade('3')", "Grade: observation", show=False, tooltip=GRADE_HELP),
        Binding("4", "grade('4')", "Grade: OFI", show=False, tooltip=GRADE_HELP),
        Binding("0", "grade('0')", show=False, tooltip="remove the grade"),
        Binding("g", "pick_grade", "Grade", tooltip="pick a grade from a list"),
        Binding("c", "clear", show=False, tooltip="clear the result (back to unanswered)"),
        Binding("u", "undo", "Undo", tooltip=UNDO_HELP),
        Binding("down,j", "cursor_down", show=False, tooltip="next item"),
        Binding("up,k", "cursor_up", show=False, tooltip="previous item"),
        Binding(
            "shift+down,J",
            "scroll_detail(1)",
            show=False,
            tooltip="scroll the item's details down (a long note, guidance, evidence)",
        ),
        Binding("shift+up,K", "scroll_detail(-1)", show=False, tooltip="scroll the details up"),
        Binding("tab", "next_unanswered", show=False, tooltip="next unanswered item"),
        Binding("shift+tab", "previous_unanswered", show=False, tooltip="previous unanswered item"),
        Binding("s", "pick_section", show=False, tooltip="jump to a section"),
        Binding(
            "slash",
            "find",
            key_display="/",
            show=False,
            tooltip="find an item by words of its question, guidance, evidence, id or note",
        ),
        Binding(
            "v",
            "pick_view",
            show=False,
            tooltip="show all items, or only failed, unanswered or noted ones",
        ),
        Binding(
            "escape",
            "back",
            show=False,
            tooltip="show all items again; then back to the home screen",
        ),
        Binding(
            "x",
            "export",
            show=False,
            tooltip=f"audit report (HTML, Markdown) or results ({TITLES}) into the exports folder",
        ),
        Binding(
            "l",
            "next_language",
            show=False,
            tooltip="switch the translation shown under each question (or none)",
        ),
        Binding(
            "a", "attach", show=False, tooltip="attach evidence files (photos, records) to the item"
        ),
        Binding("o", "open_evidence", show=False, tooltip="open an attached file"),
        Binding("A", "detach", show=False, tooltip="detach an attached file (u undoes it)"),
        Binding(
            "ctrl+f",
            "finish",
            show=False,
            tooltip="finish the audit: conclusion and sign-off, then the results are sealed "
            "(no marks until reopened: palette, Reopen this session)",
        ),
        Binding(
            "d",
            "edit_details",
            "Details",
            show=False,
            tooltip="edit the session's details: auditor, auditee, title",
        ),
        Binding("question_mark", "help", "Help", key_display="?", tooltip="this help"),
        Binding("q", "app.quit", "Quit", tooltip=QUIT_HELP),
    ]

    def __init__(
        self,
        writer: SessionWriter,
        store: SessionRepository,
        locations: Locations,
        *,
        at_item: str | None = None,
        exit_notices: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.writer = writer
        self.store = store
        """The sessions folder, for last time's session and the findings open before."""
        self.locations = locations
        self.at_item = at_item
        """The item to open on (by id); else the first unanswered one."""
        self._findings_read = 0
        """How many times the open findings were read again (`_reload_open_findings`)."""
        self._findings_changed = False
        """The register was opened for an item's corrective action: on the way back, the
        open findings shown here are read again (the item's line kept the old owner)."""
        self.seal_broken = False
        """Finished, and changed since it was sealed (found after the first screenful)."""
        self.exit_notices = exit_notices if exit_notices is not None else []
        """Where notices are kept to be printed on the terminal when the app ends."""
        self.session: Session = writer.session
        self.undo_stack: list[tuple[int, Answer]] = []
        self.kept_at: tuple[int, str] | None = None
        """The size of `undo_stack` when a change u does not undo was made (the details,
        d; a widened scope), and what u says of it: reached going back, u says so instead
        of undoing the mark before (which it did without a word)."""
        self.evidence_folder = Path.cwd()
        """Where the attach dialog starts: the folder the last files were attached from."""
        self.filter_name = "all"
        self.save_error: AudituiError | None = None
        # The progress counts, kept up to date change by change (see `_changed`):
        # counting every item on each key would make a mark cost more in a longer list.
        self._count_results()
        self.checklist: Checklist | None = None
        """The session's checklist as found now, for its translations (loaded after start)."""
        self.language = self.session.language
        """The language shown under each question ("" for none)."""
        self._takes_changes = True
        """Whether the session took marks when the bar was last drawn."""

    SHOWN_ONLY_KEYS = {
        "export": "Report",
        "find": "Find",
        "pick_view": "View",
        "help": "Help",
        "app.quit": "Quit",
    }
    """The key bar of a session that takes no marks (finished, read only, merged): what
    can be done there, instead of keys that would only say no."""

    def key_bar_entry(self, binding: Binding) -> str | None:
        """What the key bar says of `binding` (None: not on it)."""
        if self._takes_changes:
            return binding.description if binding.show else None
        return self.SHOWN_ONLY_KEYS.get(binding.action)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No key does anything once the session is closed (the app is quitting): keys
        typed right after `q` must neither change the session nor open a dialog."""
        return not self.writer.closed

    def on_key(self, event: events.Key) -> None:
        """A letter no key of this screen is, in another script (a Thai keyboard layout
        left on after a note: `ย` where `p` was meant): said, not silently ignored."""
        character = event.character or ""
        if event.is_printable and not character.isascii() and not character.isspace():
            self.notify(
                f"“{character}” is not a key here: is the keyboard layout still Thai (or "
                "another language) from the note? Switch it back to type p, f, n and the "
                "other keys (? lists them).",
                severity="warning",
                markup=False,
                timeout=6,
            )

    def _count_results(self) -> None:
        """Count the results of the items in scope (again, after the scope changed)."""
        session = self.session
        self._results = [record.result for record in session.records]
        self._counts = Counter(record.result for record in session.scoped_records())

    # -- layout -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="walk-bar")
        yield Static(id="walk-error")
        with Horizontal(id="walk-main"):
            yield ItemList(self.session, id="walk-items")
            yield ItemDetail(id="walk-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        detail = self.query_one(ItemDetail)
        # Clause labels are ISO 9001:2015's; a checklist of another standard gets none.
        standard = self.session.standard or self.session.checklist_id
        detail.show_clause_titles = "9001" in standard
        items = self.query_one(ItemList)
        items.focus()
        start = self.session.index.get(self.at_item or "", self.session.first_unanswered())
        # The item is shown now, not on the list's message: the first frame is the
        # whole screen, not one without the details and a second with them.
        items.start_at(start)
        self._show_current()
        self._update_bar()
        self.query_one("#walk-error").display = False
        self.writer.on_notice = self._tell
        if self.writer.notices:  # said while it opened (a journal left out): in one
            self._tell(*self.writer.notices)  # notice, which the next would replace
        if self.writer.read_only is not None:
            self.say_read_only(timeout=15)
        self.set_interval(1.0, self._retry_save)
        # After the first screenful: reading last time's session (the whole file when the
        # cache has not got it) must not hold up the item the auditor is waiting for.
        self.call_after_refresh(self._load_previous)
        self.call_after_refresh(self._load_checklist)

    @work(thread=True, exclusive=True, group="previous")
    def _load_previous(self) -> None:
        """Find last time's session off the UI thread: it may read many files."""
        store = self.store
        from auditui.seal import seal_broken

        if seal_broken(self.session):
            self.app.call_from_thread(self._show_seal_broken)
        try:
            merged_into = store.merged_into(self.session.id)
        except AudituiError:
            merged_into = None
        if merged_into:
            self.app.call_from_thread(self._show_merged_into, merged_into)
        try:
            earlier = store.previous(self.session)
        except AudituiError:
            earlier = None
        self.app.call_from_thread(self._show_previous, earlier)
        if earlier is not None:
            from auditui.last_time import answered_before, not_audited_by

            wanted = not_audited_by(earlier, self.session)
            try:
                older = answered_before(store, self.session, earlier, wanted) if wanted else {}
            except AudituiError:
                older = {}
            if older:
                self.app.call_from_thread(self._show_older, earlier, older)
        self.app.call_from_thread(self._show_open_findings, self._open_findings() or {})

    def _show_seal_broken(self) -> None:
        """A finished session changed by hand since it was sealed, or one whose seal was
        taken out of its file by hand: the bar says so."""
        self.seal_broken = True
        self._update_bar()

    def _show_merged_into(self, merged_into: str) -> None:
        """A part of a merged audit: every change is refused from now on, said once, and
        the top bar says so for as long as it is open."""
        from auditui.store import merged_away

        self.writer.merged_into = merged_into
        self._update_bar()
        self.notify(
            merged_away(self.session.id, merged_into), severity="warning", markup=False,
            timeout=30,
        )  # fmt: skip

    @work(thread=True, exclusive=True, group="findings")
    def _reload_open_findings(self) -> None:
        """The open findings read again (a corrective action changed in the register)."""
        self._findings_read += 1
        reading = self._findings_read
        found = self._open_findings()
        if found is not None:  # else what was shown stays (the register named the file)
            self.app.call_from_thread(self._show_open_findings, found, reading)

    def _open_findings(self) -> dict | None:
        """The findings open when this session started (read in a worker thread); None
        when they cannot be read."""
        from auditui.finding_records import FindingRecords
        from auditui.findings import open_before

        try:
            return open_before(self.store, FindingRecords(self.store.folder), self.session)
        except (AudituiError, OSError):
            return None

    def on_screen_resume(self) -> None:
        if self._findings_changed:  # back from the register its command opened
            self._findings_changed = False
            self._reload_open_findings()

    def _show_open_findings(self, found: dict, reading: int = 0) -> None:
        """The findings open when this session started, shown on their items; `reading`:
        which read they come from (the first read's, when it ends late, is older than a
        read again since, and not shown over it)."""
        if reading < self._findings_read:
            return
        detail = self.query_one(ItemDetail)
        detail.session_started = self.session.started
        detail.open_findings = found
        self._show_current()

    @work(thread=True, exclusive=True, group="checklist")
    def _load_checklist(self) -> None:
        """Find the session's checklist (for its translations) off the UI thread."""
        from auditui.catalog import Catalog

        try:
            checklist = Catalog(self.locations).resolve(self.session.checklist_id)
        except AudituiError:
            checklist = None
        self.app.call_from_thread(self._show_translation, checklist)

    def _show_translation(self, checklist: Checklist | None) -> None:
        """Show the session's language under each question: the translation of each item
        whose English text is the one the session was started with."""
        self.checklist = checklist
        detail = self.query_one(ItemDetail)
        detail.translated = {}
        language = self.language
        if checklist is not None and language:
            for record in self.session.records:
                item = checklist.item_index.get(record.item_id)
                if item is not None and item.prompt == record.prompt:
                    text = item.text_in(language)
                    if text is not None:
                        detail.translated[record.item_id] = text
        self._show_current()

    def action_next_language(self) -> None:
        """Show the next language the checklist has under each question; after the last,
        none. Remembered in the session."""
        offered = self.checklist.offered_languages if self.checklist is not None else ()
        if not offered:
            self.notify("This checklist has no translations.", markup=False)
            return
        choices = ["", *offered]
        current = self.language
        position = choices.index(current) if current in choices else 0
        language = choices[(position + 1) % len(choices)]
        self.language = language
        kept = self.writer.takes_changes()  # else only shown: finished, read only, merged
        if kept:
            self._saved(lambda: self.writer.set_language(language))
        self._show_translation(self.checklist)
        from auditui.translations import language_name

        shown = f"Translation: {language_name(language)}" if language else "Translation: none"
        self.notify(shown if kept else f"{shown} (shown here only: this session takes no changes)",
                    markup=False)  # fmt: skip

    def _show_previous(self, earlier: Session | None) -> None:
        detail = self.query_one(ItemDetail)
        detail.previous = earlier
        detail.previous_loaded = True
        if earlier is not None:
            failed = {record.item_id for record in earlier.records if record.result == "fail"}
            self.items.mark_failed_last_time(failed)
        self._show_current()

    def _show_older(self, earlier: Session, older: dict) -> None:
        """The last real answers to the items last time's session did not audit: shown
        under "Last time", and a fail among them is a `!` in the list as well."""
        self.query_one(ItemDetail).older = older
        failed = {item_id for item_id, (_, record) in older.items() if record.result == "fail"}
        self.items.mark_failed_last_time(self.items.failed_last_time | failed)
        self._show_current()

    # -- helpers ------------------------------------------------------------

    @property
    def items(self) -> ItemList:
        return self.query_one(ItemList)

    def _current(self) -> int | None:
        return self.items.current_record

    def _show_current(self) -> None:
        index = self._current()
        record = self.session.records[index] if index is not None else None
        self.query_one(ItemDetail).show(record)

    def _summary(self) -> Summary:
        counts = self._counts
        return Summary.from_counts(
            counts["pass"], counts["fail"], counts["na"], counts["unanswered"]
        )

    def _update_bar(self) -> None:
        summary = self._summary()
        title = self.session.display_title
        # The progress first, then a view that hides items: at 80 columns nothing pushes
        # them off (SPEC: progress always visible); then what the session is (finished,
        # read only, merged), the counts, the title.
        parts: list[str | tuple[str, str]] = [
            (f"{summary.answered}/{summary.total} answered", "bold"),
        ]
        if self.filter_name != "all":
            words = FILTER_WORDS[self.filter_name]
            parts.append((f" · ONLY {words.upper()} (esc: all)", "bold $text-accent"))
        parts.append(" · ")
        if self.session.finished is not None:
            finished = f"FINISHED {self.session.finished:%Y-%m-%d}"
            if self.seal_broken:  # changed by hand since: `auditui verify` names what
                parts.append((f"{finished}, SEAL BROKEN (auditui verify) · ", "bold $text-error"))
            else:
                parts.append((f"{finished}, sealed · ", "bold"))
        elif self.seal_broken:  # finished date and seal taken out by hand
            parts.append(("SEAL TAKEN OUT (auditui verify) · ", "bold $text-error"))
        if self.writer.read_only is not None:
            parts.append(("READ ONLY · ", "bold $text-warning"))
        if self.writer.merged_into:  # its marks would count nowhere: refused
            parts.append((f"MERGED INTO {self.writer.merged_into} · ", "bold $text-warning"))
        parts.append(f"✔{summary.passed} ✘{summary.failed} –{summary.na}")
        if summary.score is not None:
            parts.append(f" · {whole_percent(summary.score)}")
        parts.append("  ")
        parts.append((title, "bold"))
        if self.session.auditee:
            parts.append(f" · {self.session.auditee}")
        self.query_one("#walk-bar", Static).update(styled(*parts))
        takes_changes = self.writer.takes_changes()
        if takes_changes != self._takes_changes:  # finished, reopened, made read only
            self._takes_changes = takes_changes
            self.query_one(ItemDetail).takes_notes = takes_changes
            self._show_current()
            self.refresh_bindings()

    def _saved(self, change) -> bool:
        """Run a change through the writer; on a failed save, say so and keep going."""
        try:
            change()
        except AudituiError as error:
            self._show_save_error(error)
            return False
        if self.writer.pending:  # nothing new to write (a note saved as a draft already),
            return False  # but earlier changes are still not on disk: the error stays
        self._show_save_error(None)
        return True

    def _show_save_error(self, error: AudituiError | None) -> None:
        self.save_error = error
        bar = self.query_one("#walk-error", Static)
        if error is None:
            bar.display = False
            return
        bar.update(
            styled(
                ("NOT SAVED: ", "bold"),
                str(error),
                " — your marks are kept here and saving is retried every second.",
            )
        )
        bar.display = True

    def _tell(self, *notices: str) -> None:
        """What the writer must say that is not a failed save (its file was replaced):
        shown now, and again on the terminal when the app ends."""
        self.exit_notices.extend(notices)
        # Sticky: said while a note is typed, it must not go when the editor closes.
        app: Any = self.app  # AuditApp's notify (the screens do not import the app)
        app.notify("\n\n".join(notices), severity="warning", timeout=30, markup=False,
                   sticky=True)  # fmt: skip

    def _retry_save(self) -> None:
        self.keep_finish_draft()  # a conclusion typed while the disk was full
        try:
            self.writer.check_lock()  # its lock file removed by hand: made again at once
        except AudituiError:
            pass  # said by the save that tries again below
        if not self.writer.pending:
            return
        had_error = self.save_error is not None
        if self._saved(self.writer.flush) and had_error:
            self.notify("Saved again: every mark is on disk.", markup=False)

    def _changed(self, index: int) -> None:
        record = self.session.records[index]
        result = record.result
        if result != self._results[index]:
            if self.session.in_scope(record):
                self._counts[self._results[index]] -= 1
                self._counts[result] += 1
            self._results[index] = result
        self.items.refresh_record(index)
        self._update_bar()
        if index == self._current():
            self._show_current()

    # -- actions ------------------------------------------------------------

    def on_item_list_highlighted(self, message: ItemList.Highlighted) -> None:
        self._show_current()

    def action_cursor_down(self) -> None:
        self.items.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.items.action_cursor_up()

    def action_scroll_detail(self, direction: int) -> None:
        """Half the details pane down or up: without a mouse, the only way to the end of
        a note, a guidance or an evidence list longer than the screen."""
        detail = self.query_one(ItemDetail)
        step = max(1, detail.scrollable_content_region.height // 2)
        detail.scroll_relative(y=direction * step, animate=False)

    def _answer(self, index: int, **change) -> bool:
        """Change item `index`'s answer; False when it was refused (a finished session) or
        waits on a question (an item outside the scope), so the caller stays where it is."""
        if self.refuse_if_finished():
            return False
        record = self.session.records[index]
        if not self.session.in_scope(record):
            self.ask_to_widen(index, lambda: self._answer(index, **change))
            return False
        before = record.answer()
        self._saved(lambda: self.writer.answer(record.item_id, **change))
        if record.answer() != before:
            self.undo_stack.append((index, before))
        self._changed(index)
        return True

    def action_mark(self, result: str, advance: bool = True) -> None:
        index = self._current()
        if index is None:
            return
        if self._asked_before_dropping_a_fail(
            index, result, lambda: self._mark(index, result, advance)
        ):
            return
        self._mark(index, result, advance)

    def _asked_before_dropping_a_fail(
        self, index: int, result: str, then: Callable[[], None]
    ) -> bool:
        """A nonconformity is not dropped at one key: walking on with p through a section
        passed the fails marked before, one after the other, as fast as typed. True when
        the item is a fail that `result` would replace: asked first, and `then` done on
        yes (the keys typed after stop at the question). True too, having said why, when
        the session takes no change now (finished, read only, merged)."""
        record = self.session.records[index]
        if record.result != "fail" or result == "fail":
            return False
        if self.refuse_if_finished():
            return True
        graded = f" ({Grade(record.grade).words})" if record.grade else ""
        instead = "clear it" if result == "unanswered" else f"record {Result(result).short}"
        # A fail graded an observation or OFI is a finding, not a nonconformity.
        dropped = "finding" if record.grade in ("observation", "ofi") else "nonconformity"
        question = (
            f"{record.item_id} is a fail{graded}. {instead.capitalize()} instead, dropping "
            f"the {dropped}?"
        )

        def answered(yes: bool | None) -> None:
            if yes and self._current() == index:
                then()

        from auditui.tui.screens.dialogs import TypedOnQuestion

        self.app.push_screen(TypedOnQuestion(question, settle=SETTLE_S), answered)
        return True

    def _mark(self, index: int, result: str, advance: bool) -> None:
        record = self.session.records[index]
        if not self._answer(index, result=result):
            return  # refused: the auditor stays on the item the message is about
        finding = self.query_one(ItemDetail).open_findings.get(record.item_id)
        if finding is not None and record.result == "pass" == result:
            self.notify(
                f"Finding {finding.id} will close: this session passes the item.", markup=False
            )
        if not advance:
            return
        following = self.items.next_record(index)
        if following is not None:
            self.items.move_to_record(following)
        elif self._counts["unanswered"] == 0:  # kept mark by mark: no count of every item
            self.notify(
                "Every item is answered: ctrl+f finishes and seals the audit (conclusion and "
                "sign-off); q quits, everything is saved.",
                markup=False,
            )

    def action_clear(self) -> None:
        index = self._current()
        if index is None:
            return
        if self._asked_before_dropping_a_fail(index, "unanswered", lambda: self._clear(index)):
            return
        self._clear(index)

    def _clear(self, index: int) -> None:
        self._answer(index, result="unanswered")

    def action_grade(self, key: str) -> None:
        index = self._current()
        if index is None or self.refuse_if_finished():
            return
        grade = GRADE_KEYS[key]
        record = self.session.records[index]
        if grade is not None and not grade_fits(grade, record.result):  # no grade always fits
            self.notify(grade_refusal(grade, record.result), severity="warning", markup=False)
            return
        self._answer(index, grade=grade)

    def action_pick_grade(self) -> None:
        """The grades the item's result takes, to pick from: offered a major on a pass,
        the auditor picked it and got only a refusal."""
        index = self._current()
        if index is None or self.refuse_if_finished():  # said now, not after a grade is picked
            return
        result = self.session.records[index].result
        choices = [
            (key, key, Grade(g).words if g else "no grade")
            for key, g in GRADE_KEYS.items()
            if grade_fits(g, result)
        ]
        if len(choices) == 1:  # only "no grade": unanswered, or not applicable
            said = (
                "An unanswered item takes no grade: mark it first (f, then 1-4; p, then 3 or 4)."
                if result == Result.UNANSWERED
                else f"An item marked {Result(result).word} takes no grade."
            )
            self.notify(said, severity="warning", markup=False)
            return

        def chosen(key: str | None) -> None:
            if key is not None:
                self.action_grade(key)

        from auditui.tui.screens.dialogs import PickOne

        title = f"Finding grade (for a {Result(result).word.lower()})"
        self.app.push_screen(PickOne(title, choices), chosen)

    def action_corrective_action(self) -> None:
        """The findings register of this checklist, its action editor open on the finding
        of the item shown: it was reached only from home (o, c, the checklist, then e)."""
        index = self._current()
        if index is None:
            return
        record = self.session.records[index]
        detail = self.query_one(ItemDetail)
        if record.result != "fail" and record.item_id not in detail.open_findings:
            # Known once the open findings are read (a moment after the screen opens).
            hint = "" if self.session.is_finished else ": f fails it and raises one"
            self.notify(f"Item {record.item_id} has no finding{hint}.", markup=False)
            return
        from auditui.tui.messages import OpenFindings

        self._findings_changed = True  # its line here is read again on the way back
        self.post_message(
            OpenFindings("all", self.session.checklist_id, (self.session.id, record.item_id))
        )

    def action_edit_note(self) -> None:
        index = self._current()
        if index is None or self.refuse_if_finished():
            return
        record = self.session.records[index]
        before = record.answer()

        def draft(text: str) -> None:
            self._saved(lambda: self.writer.answer(record.item_id, note=text))
            self._changed(index)

        def done(text: str | None) -> None:
            if text is not None:
                self._saved(lambda: self.writer.answer(record.item_id, note=text))
            if record.answer() != before:
                self.undo_stack.append((index, before))
            self._changed(index)

        from auditui.tui.screens.dialogs import NoteEditor

        self.app.push_screen(NoteEditor(record.prompt, record.note, draft), done)

    # -- evidence -------------------------------------------------------------

    def action_attach(self) -> None:
        index = self._current()
        if index is None:
            return
        record = self.session.records[index]
        if not self._can_mark(record.item_id):
            return

        def chosen(paths: list[Path] | None) -> None:
            if not paths:
                return
            self.evidence_folder = paths[0].parent
            try:
                fresh = self.writer.copy_evidence(record.item_id, paths)
            except AudituiError as error:
                self.notify(f"Nothing attached: {error}", severity="error", markup=False)
                return
            if not fresh:
                self.notify("Already attached to this item.", markup=False)
                return
            self._change_attachments(index, (*record.attachments, *fresh))
            names = ", ".join(printable(a.name) for a in fresh)
            self.notify(f"Attached to {record.item_id}: {names} (u undoes)", markup=False)

        from auditui.tui.screens.attach import AttachDialog

        self.app.push_screen(AttachDialog(record.item_id, self.evidence_folder), chosen)

    def _change_attachments(self, index: int, attachments) -> None:
        record = self.session.records[index]
        before = record.answer()
        self._saved(lambda: self.writer.set_attachments(record.item_id, attachments))
        if record.answer() != before:
            self.undo_stack.append((index, before))
        self._changed(index)

    def _pick_attachment(self, verb: str, then) -> None:
        """Run `then(position)` on the current item's attachment the auditor picks."""
        index = self._current()
        if index is None:
            return
        attachments = self.session.records[index].attachments
        if not attachments:
            self.notify("No evidence attached to this item (a attaches).", markup=False)
            return
        if len(attachments) == 1:
            then(index, 0)
            return
        from auditui.tui.screens.dialogs import PickOne

        choices = [
            (str(position), str(position + 1) if position < 9 else "", printable(a.name))
            for position, a in enumerate(attachments)
        ]

        def picked(value: str | None) -> None:
            if value is not None:
                then(index, int(value))

        self.app.push_screen(PickOne(f"{verb} which file?", choices), picked)

    def action_open_evidence(self) -> None:
        def open_it(index: int, position: int) -> None:
            attachment = self.session.records[index].attachments[position]
            self._open_file(self.writer.path.parent / attachment.file, attachment.name)

        self._pick_attachment("Open", open_it)

    @work(thread=True, group="viewer")
    def _open_file(self, path: Path, name: str) -> None:
        """Off the UI thread: the opener is given a moment to say it found no program."""
        from auditui.viewer import open_with_system_viewer

        message = open_with_system_viewer(path, printable(name))
        self.app.call_from_thread(self.notify, message, markup=False)

    def _can_mark(self, item_id: str) -> bool:
        """Whether the item takes a change now; if not, why is said."""
        try:
            self.writer.check_can_mark(item_id)
        except AudituiError as error:
            self.notify(str(error), severity="warning", markup=False, timeout=8)
            return False
        return True

    def action_detach(self) -> None:
        def detach(index: int, position: int) -> None:
            record = self.session.records[index]
            if not self._can_mark(record.item_id):  # again: it may take no changes by now
                return
            kept = [a for i, a in enumerate(record.attachments) if i != position]
            name = record.attachments[position].name
            self._change_attachments(index, kept)
            self.notify(f"Detached {printable(name)} (u undoes)", markup=False)

        index = self._current()  # refused before a file is picked, as a mark is
        if index is not None and not self._can_mark(self.session.records[index].item_id):
            return
        self._pick_attachment("Detach", detach)

    def action_undo(self) -> None:
        if self.refuse_if_finished():  # "mark the item again" cannot be followed there
            return
        if not self.undo_stack:
            # Undo lives in memory: what was saved before this screen opened is not undone.
            self.notify(
                "Nothing to undo since the session was opened here: u takes back marks, "
                "notes, grades and files; earlier ones stay as saved (mark the item again), "
                "and the details are changed again with d.",
                markup=False,
            )
            return
        if self.kept_at is not None and self.kept_at[0] == len(self.undo_stack):
            said = self.kept_at[1]
            self.kept_at = None
            self.notify(f"{said} u again takes back the change before it.", markup=False)
            return
        index, answer = self.undo_stack.pop()
        item_id = self.session.records[index].item_id
        self._saved(lambda: self.writer.restore(item_id, answer))
        self._go_to(index)
        self._changed(index)
        self.notify(f"Undone: item {item_id}.", markup=False)

    def _go_to(self, index: int) -> None:
        """Make item `index` current, showing all items if the view hides it (and asking
        to widen the scope first when the item is outside it)."""
        record = self.session.records[index]
        if not self.session.in_scope(record):
            if self.session.is_finished:
                self.notify(f"Item {record.item_id} is outside this session's scope.", markup=False)
            else:
                self.ask_to_widen(index, lambda: self._go_to(index))
            return
        if not self.items.is_shown(index):
            self._set_filter("all")
        self.items.move_to_record(index)

    def _find_unanswered(self, direction: int) -> int | None:
        records = self.session.records
        start = self._current() or 0
        count = len(records)
        for step in range(1, count + 1):
            index = (start + direction * step) % count
            if not records[index].answered and self.session.in_scope(records[index]):
                return index
        return None

    def _go_unanswered(self, direction: int) -> None:
        index = self._find_unanswered(direction)
        if index is None:
            self.notify("Every item is answered.", markup=False)
            return
        self._go_to(index)

    def action_next_unanswered(self) -> None:
        self._go_unanswered(1)

    def action_previous_unanswered(self) -> None:
        self._go_unanswered(-1)

    def _set_filter(self, name: str) -> bool:
        if self.items.set_filter(FILTERS[name]):
            self.filter_name = name
            self._update_bar()
            self._show_current()
            return True
        return False

    def action_filter(self, name: str) -> None:
        if not self._set_filter(name):
            self.notify(f"No {FILTER_WORDS.get(name, 'items')} to show.", markup=False)

    def action_pick_view(self) -> None:
        choices = [
            ("all", "a", "all items"),
            ("failed", "f", "only failed items"),
            ("unanswered", "u", "only unanswered items"),
            ("noted", "n", "only items with a note"),
        ]

        def chosen(name: str | None) -> None:
            if name is not None:
                self.action_filter(name)

        from auditui.tui.screens.dialogs import PickOne

        self.app.push_screen(PickOne("Show", choices), chosen)

    def action_pick_section(self) -> None:
        sections = []
        numbers = []  # the position in `items.sections` of each section offered
        # The titles in the language shown under the questions: typed and read too.
        translated = {
            section.id: section.title_in(self.language) or ""
            for section in (self.checklist.sections if self.checklist and self.language else ())
        }
        for number, (section_id, title, records) in enumerate(self.items.sections):
            if not self.session.in_scope(records[0]):
                continue
            answered = sum(1 for record in records if record.answered)
            also = translated.get(section_id, "")
            shown = f"{title} · {also}" if also and also != title else title
            sections.append((section_id, shown, answered, len(records)))
            numbers.append(number)

        def chosen(choice: int | None) -> None:
            if choice is None:
                return
            # Its first item's own place: a file whose sections' items are not side by side
            # (written by hand) puts it elsewhere than the sizes of the sections before.
            _, _, records = self.items.sections[numbers[choice]]
            self._go_to(self.session.index[records[0].item_id])

        from auditui.tui.screens.dialogs import SectionPicker

        self.app.push_screen(SectionPicker(sections), chosen)

    def action_find(self) -> None:
        def chosen(index: int | None) -> None:
            if index is None:
                return
            self._go_to(index)

        from auditui.tui.screens.dialogs import FindItem

        shown = {
            item_id: "\n".join(part for part in texts if part)
            for item_id, texts in self.query_one(ItemDetail).translated.items()
        }  # the translation on screen, searched too
        outside = frozenset(
            record.item_id for record in self.session.records if not self.session.in_scope(record)
        )
        self.app.push_screen(
            FindItem(self.session.records, translated=shown, outside_scope=outside), chosen
        )

    def action_export(self) -> None:
        choices = [
            ("report-html", "h", "Audit report (HTML), to send or print"),
            ("report-markdown", "r", "Audit report (Markdown)"),
            *((exporter.name, exporter.key, exporter.help) for exporter in EXPORTERS),
        ]

        def chosen(fmt: str | None) -> None:
            if fmt is not None:
                # A copy, read in a thread: the report and the findings read the history
                # (seconds over a folder of years), while the marks go on here.
                self._export(fmt, copy.deepcopy(self.session))

        from auditui.tui.screens.dialogs import PickOne

        self.app.push_screen(PickOne("Export this session", choices), chosen)

    @work(thread=True, group="export")
    def _export(self, fmt: str, session: Session) -> None:
        """Write the export or report `fmt` of `session` into the exports folder, and say
        where (or why not)."""
        from auditui.catalog import Catalog
        from auditui.export import export_to_folder
        from auditui.reports.sources import export_inputs, report_to_folder

        left_out: list[str] = []
        try:
            if fmt.startswith("report-"):
                path = report_to_folder(self.locations, session, fmt[7:], store=self.store,
                                        on_error=left_out.append)  # fmt: skip
            else:  # as `auditui export` makes it: the findings and the translation too
                findings, translated = export_inputs(self.store, session, Catalog(self.locations))
                path = export_to_folder(session, fmt, self.locations, findings, translated)
        except AudituiError as error:
            self.app.call_from_thread(
                self.notify, str(error), severity="error", markup=False, timeout=10
            )
            return
        said, severity = with_left_out(f"Exported to {path}", left_out)
        self.app.call_from_thread(self.notify, said, severity=severity, markup=False, timeout=10)

    def action_back(self) -> None:
        if self.filter_name != "all":
            self._set_filter("all")
        else:
            self.post_message(CloseSession())

    def action_edit_details(self) -> None:
        """Auditor, auditee and title, changed after the session started."""
        if self.refuse_if_finished():
            return
        session = self.session

        def saved(values: tuple[str, str, str] | None) -> None:
            if values is None:
                return
            auditor, auditee, title = values
            if self._saved(
                lambda: self.writer.set_details(auditor=auditor, auditee=auditee, title=title)
            ):
                self.kept_at = (
                    len(self.undo_stack),
                    "The last change, the session's details, is not undone by u: change "
                    "them again with d.",
                )
                self.notify("Details saved.", markup=False)
            self._update_bar()

        from auditui.tui.screens.new_session import DetailsDialog

        self.app.push_screen(DetailsDialog(session.auditor, session.auditee, session.title), saved)

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Filters, finding and jumping, undo, details, evidence; finish or reopen."""
        for name, words in [("all", "all items"), *FILTER_WORDS.items()]:
            yield SystemCommand(
                f"Show {words}", "Filter the list of items", partial(self.action_filter, name)
            )
        yield SystemCommand("Jump to a section", "Pick a section", self.action_pick_section)
        yield SystemCommand("Find an item", "Search ids, prompts and notes", self.action_find)
        yield SystemCommand("Next unanswered item", "", self.action_next_unanswered)
        yield SystemCommand("Undo the last change", "", self.action_undo)
        yield SystemCommand(
            "Edit session details", "Auditor, auditee, title", self.action_edit_details
        )
        yield SystemCommand(
            "Attach evidence", "Copy photos or records into the session (a)", self.action_attach
        )
        yield SystemCommand(
            "Corrective action of this item's finding",
            "Owner, due date, cause and action, in the findings register",
            self.action_corrective_action,
        )
        yield SystemCommand("Open evidence", "System viewer (o)", self.action_open_evidence)
        yield SystemCommand("Detach evidence", "The copy is kept (A)", self.action_detach)
        yield SystemCommand(
            "Export: audit report or results",
            f"HTML or Markdown report, or {TITLES}, into the exports folder (x)",
            self.action_export,
        )
        if self.session.is_finished:
            yield SystemCommand(
                "Reopen this session",
                "Take the finished session back into work (asks why; the seal is cleared)",
                self.action_reopen,
            )
            return
        yield SystemCommand(
            "Finish the audit",
            "Conclusion and sign-off, then the results are sealed (ctrl+f)",
            self.action_finish,
        )
        if self.session.scope:
            yield SystemCommand(
                "Widen scope",
                "Audit more sections of the checklist in this session",
                self.action_widen_scope,
            )

    def action_help(self) -> None:
        from auditui.tui.keyhelp import walkthrough_rows

        legend = (
            "✔ pass ✘ fail – n/a · unanswered, ✎ has a note, ! failed last time; MAJ min "
            "obs ofi: the grade (major, minor, observation, opportunity for improvement)"
        )
        keys = [("(list marks)", legend), *walkthrough_rows()]
        from auditui.tui.screens.dialogs import HelpScreen

        self.app.push_screen(HelpScreen("Walkthrough keys", keys))

    def on_unmount(self) -> None:
        self.workers.cancel_group(self, "previous")
        self.workers.cancel_group(self, "checklist")
