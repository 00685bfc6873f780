"""The findings register in the app: open findings, majors first, then oldest first, with
their corrective actions.

Views: open (the default), overdue, mine (owned by the auditor of the latest session
here), all (closed ones too), each for every checklist or one. `e` edits the
corrective action, `enter` opens the session that last failed the item, on that item.
"""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from auditui.errors import AudituiError
from auditui.finding_records import FindingRecords
from auditui.findings import (
    Finding,
    mark_items_not_in_checklist,
    not_in_checklist_words,
    register_from_store,
)
from auditui.findings_output import age_text, orphan_words
from auditui.repository import SessionRepository
from auditui.tui.messages import ResumeSession
from auditui.tui.screens import history
from auditui.tui.screens.dialogs import PickOne
from auditui.tui.screens.history import HistoryScreen
from auditui.tui.text import styled
from auditui.tui.widgets.key_bar import KeyBar
from auditui.vocabulary import Grade

OVERDUE_STYLE = "bold $text-error on $error-muted"
VIEWS = {
    "open": "open findings",
    "overdue": "overdue findings",
    "mine": "my open findings",
    "all": "all findings, closed ones too",
}


def finding_prompt(finding: Finding, today: date) -> Content:
    """Three lines: grade, id, status and age, owner, due; where and what; note or action."""
    head: list[str | tuple[str, str]] = []
    if finding.grade:
        grade = Grade(finding.grade)
        head += [(grade.tag, grade.style), "  "]
    head.append((finding.id, "bold"))
    status = finding.status
    age = age_text(finding, today) if finding.is_open else ""
    head.append(("  " + (f"{status}, {age}" if age else status),
                 "dim" if not finding.is_open else ""))  # fmt: skip
    action = finding.action
    if action is not None and action.owner:
        head += [("  owner ", "dim"), action.owner]
    due = finding.due()
    if due is not None:
        head += [("  due ", "dim"), due.isoformat()]
        if finding.overdue(today):
            head += [" ", (" OVERDUE ", OVERDUE_STYLE)]
    lines = [styled(*head)]
    record = finding.record
    if finding.orphaned:
        gone = (f"session {finding.raised_in} cannot be read (mend the file)"
                if finding.session_unreadable else orphan_words(finding))  # fmt: skip
        lines.append(styled(("orphaned: ", "bold $text-warning"), gone))
    elif record is not None:
        where: list[str | tuple[str, str]] = [(finding.checklist_id, "$text-primary"), " "]
        if record.clause:
            where += [("clause ", "dim"), record.clause, " "]
        if finding.streak > 1:
            where.append((f"failed in {finding.streak} sessions in a row", "bold $text-error"))
            where.append(" · ")
        where.append(record.prompt)
        lines.append(styled(*where))
    if finding.not_effective_in is not None:
        again = f"marked done, and {finding.not_effective_in} failed it again"
        lines.append(styled(("not effective: ", "bold $text-error"), again))
    if finding.not_in_checklist_version is not None:
        lines.append(styled(("not in checklist: ", "bold $text-warning"),
                            not_in_checklist_words(finding, "press x")))  # fmt: skip
    if finding.follows is not None:
        from auditui.findings import recurrence_words

        lines.append(styled(("came back: ", "bold $text-error"), recurrence_words(finding)))
    # What was wrong, then what is done about it: the note stays when an action is typed.
    note = record.note if record is not None else ""
    done = action.action if action is not None else None
    if note:
        lines.append(styled(("note: ", "bold"), note))
    if done:
        lines.append(styled(("action: ", "bold"), done))
    if finding.closed_in:  # how it was closed, as `auditui findings --all` says it
        lines.append(styled(("closed: ", "bold"), f"passed in {finding.closed_in}"))
    if finding.closed is not None and not finding.closed_in and action is not None:
        reason = action.closed_reason or "no reason given"
        by = f" by {action.closed_by}" if action.closed_by else ""
        lines.append(styled(("closed by hand: ", "bold"),
                            f"{finding.closed:%Y-%m-%d}{by}: {reason}"))  # fmt: skip
    return Content("\n").join(lines)


class FindingsScreen(HistoryScreen):
    """The register, filtered; the corrective action of the highlighted finding edited."""

    BINDINGS = [
        Binding("enter", "open_item", "Open the item"),
        Binding("e", "edit", "Action"),
        Binding("x", "close_finding", "Close"),
        Binding("v", "pick_view", "View"),
        Binding("c", "pick_checklist", "Checklist"),
        Binding("r", "reload", "Reload", show=False),
        Binding("q", "quit", "Quit"),  # the screen's own: held back while the editor comes
        Binding("j", "move(1)", show=False),
        Binding("k", "move(-1)", show=False),
    ]
    HELP_TITLE = "Findings register keys"
    HELP_KEYS = [
        ("up / down, j / k", "move from finding to finding (j and k as in the walkthrough)"),
        ("enter", "open the session that last failed the item, on that item"),
        ("e", "edit the corrective action: owner, due, cause, action, status"),
        ("x", "close the finding by hand, with the reason (kept with it)"),
        ("v", "view: open, overdue, mine, or all (closed too)"),
        ("c", "only one checklist, or all of them"),
        ("r", "read the sessions and actions again"),
    ]

    def __init__(
        self,
        store: SessionRepository,
        view: str = "open",
        checklist_id: str | None = None,
        unsaved: dict[str, dict] | None = None,
        edit: tuple[str, str] | None = None,
    ) -> None:
        """`edit`: (session id, item id) whose finding's action editor opens once the
        register is read: the walkthrough's "Corrective action" command."""
        super().__init__(store)
        self.view = view
        self.checklist_id = checklist_id
        self.edit = edit
        self._edit_id: str | None = None
        self._back_after_edit = False
        """The editor of `edit` is open: closing it goes back to the walkthrough."""
        """The finding of `edit`, found in the thread that reads the register."""
        self.register: list[Finding] = []
        self.entries: list[Finding] = []
        self._stale = False
        self._next_to_keep: list[str] = []
        """Ids to highlight, in turn, when the one highlighted leaves the view."""
        self.unsaved: dict[str, dict] = unsaved if unsaved is not None else {}
        """What was typed in the action editor of a finding and could not be saved (a full
        disk): offered again when the editor is opened again, never typed twice. The app's,
        so that it outlives this screen."""

    def compose(self) -> ComposeResult:
        with Vertical(id="findings", classes="history"):
            yield Static(id="findings-title", classes="history-title")
            yield from self.compose_status()
            yield Static(id="findings-summary")
            yield OptionList(id="findings-list")
        yield KeyBar()

    def on_mount(self) -> None:
        self._show_title()
        self.query_one("#findings-summary").display = False
        self.query_one(OptionList).focus()
        # HistoryScreen's own on_mount (Textual calls it too) starts the reading.

    def read(self) -> history.HistoryRead:
        """The sessions, and the register as `auditui findings --all` builds it (in a
        thread: from the index, reading only the sessions whose failed items it shows)."""
        read = super().read()
        told = set(read.problems)

        def problem(message: str) -> None:  # a session file once, not again from here
            if message.removesuffix(" (left out)") not in told:
                told.add(message)
                read.problems.append(message)

        records = FindingRecords(self.store.folder)
        read.extra = register_from_store(self.store, records, keep_closed=True, on_error=problem)
        from auditui.catalog import Catalog

        at_hand = Catalog(self.app.locations).at_hand  # type: ignore[attr-defined]
        mark_items_not_in_checklist(read.extra, at_hand)
        if self.edit is not None:
            self._edit_id = _finding_of(self.store, records, read.extra, *self.edit)
        return read

    def received(self, extra: list[Finding]) -> None:
        self.register = extra

    def on_screen_suspend(self) -> None:
        # A dialog over the register (help, the palette, the action editor) changes no
        # session; a walkthrough opened from here may.
        self._stale = self._stale or not isinstance(self.app.screen, ModalScreen)

    def on_screen_resume(self) -> None:
        if self._stale:  # back from a walkthrough opened here
            self._stale = False
            self.reload()

    def action_reload(self) -> None:
        self.reload()

    @property
    def me(self) -> str:
        """Who "mine" means: the auditor of the latest session in this folder."""
        return self.sessions[-1].auditor.strip() if self.sessions else ""

    def view_words(self) -> str:
        """The view's name, saying who "my" is: `my open findings (owner Mai)`."""
        if self.view == "mine":
            who = self.me or "no auditor named in the latest session"
            return f"{VIEWS[self.view]} (owner: {who})"
        return VIEWS[self.view]

    def _show_title(self) -> None:
        scope = f" · checklist {self.checklist_id}" if self.checklist_id else ""
        self.query_one("#findings-title", Static).update(
            styled(("Findings", "bold"), f" — {self.view_words()}{scope}")
        )

    def of_checklist(self) -> list[Finding]:
        """The register's findings of the checklist chosen (`c`), else all of them."""
        if self.checklist_id is None:
            return self.register
        return [f for f in self.register if f.checklist_id == self.checklist_id]

    def in_view(self, today: date) -> list[Finding]:
        """The findings this view shows (named so as not to hide Textual's `visible`)."""
        found = self.of_checklist()
        if self.view == "open":
            return [f for f in found if f.is_open]
        if self.view == "overdue":
            return [f for f in found if f.overdue(today)]
        if self.view == "mine":
            me = self.me.casefold()
            return [
                f for f in found
                if f.is_open and me and f.action and (f.action.owner or "").casefold() == me
            ]  # fmt: skip
        return found

    async def action_quit(self) -> None:
        await self.app.run_action("quit")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the editor the walkthrough asked for is on its way (the register being
        read), only esc acts: a key typed in that gap opened a picker under the editor,
        or quit the app."""
        return self.edit is None or action == "back"

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        super().on_worker_state_changed(event)
        if event.state == WorkerState.ERROR and self.edit is not None:
            self.edit = None  # no editor will come: the keys act again
            self.refresh_bindings()

    def show_sessions(self) -> None:
        self.refill()
        if self.edit is None:
            return
        _, item_id = self.edit
        self.edit = None  # once: not again when the register is read again
        self.refresh_bindings()  # the keys held back while the editor came act again
        if self._edit_id is None:
            self.notify(f"Item {item_id} of this session has no finding in the register.",
                        markup=False)  # fmt: skip
            return
        self.refill(keep=self._edit_id)
        shown = self.current()
        if shown is not None and shown.id == self._edit_id:
            self._back_after_edit = True
            self.action_edit()

    def refill(self, keep: str | None = None) -> None:
        today = date.today()
        options = self.query_one(OptionList)
        if keep is None:
            shown = self.current()
            keep = shown.id if shown is not None else None
        self.entries = self.in_view(today)
        options.clear_options()
        prompts: list[Option | None] = []
        for number, finding in enumerate(self.entries):
            if prompts:
                prompts.append(None)  # a rule between findings
            prompts.append(Option(finding_prompt(finding, today), id=str(number)))
        options.add_options(prompts)
        ids = [finding.id for finding in self.entries]
        if self.entries:
            # The finding shown, else (it left the view: closed) the one after it, else the
            # one before it: never back at the top, where x would offer another finding.
            wanted = [keep, *self._next_to_keep]
            self._next_to_keep = []
            options.highlighted = next((ids.index(i) for i in wanted if i in ids), 0)
        self._show_title()
        self._show_summary(today)

    def _show_summary(self, today: date) -> None:
        summary = self.query_one("#findings-summary", Static)
        opened = [f for f in self.of_checklist() if f.is_open]
        overdue = sum(1 for f in opened if f.overdue(today))
        majors = sum(1 for f in opened if f.grade == "major")
        parts: list[str | tuple[str, str]] = [
            (f"{len(opened)} open finding{'s' if len(opened) != 1 else ''}", "bold")
        ]
        if majors:
            parts += [" · ", (f"{majors} major", Grade.MAJOR.style)]
        if overdue:
            parts += [" · ", (f" {overdue} overdue ", OVERDUE_STYLE)]
        if self.view != "open" or self.checklist_id:
            parts.append(f" · {len(self.entries)} shown")
        if not self.sessions and not self.register:
            parts = ["No sessions yet, so no findings."]
        elif not self.entries:
            parts.append(f" · none here in the view: {self.view_words()} (v changes it)")
        summary.update(styled(*parts))
        summary.display = True

    def current(self) -> Finding | None:
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        if highlighted is None or highlighted >= options.option_count:
            return None
        number = options.get_option_at_index(highlighted).id
        return self.entries[int(number)] if number is not None else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open_item()

    def action_open_item(self) -> None:
        finding = self.current()
        if finding is None:
            return
        if finding.orphaned or not finding.last_failed_in:
            self.notify("No session shows this finding any more.", markup=False)
            return
        self.post_message(ResumeSession(finding.last_failed_in, finding.item_id))

    def action_close_finding(self) -> None:
        """Close the highlighted finding by hand, with a reason (`finding --close`): an
        observation that is no nonconformity, a process retired."""
        finding = self.current()
        if finding is None:
            return
        if not finding.is_open:
            self.notify(f"{finding.id} is closed already.", markup=False)
            return
        from auditui.tui.screens.finishing_dialogs import ReasonDialog

        def closed(reason: str | None) -> None:
            if reason is None:
                return
            from auditui.findings import unreadable_record
            from auditui.timeutil import now

            records = FindingRecords(self.store.folder)
            try:
                broken = unreadable_record(records, finding)  # as `finding --close` refuses
                if broken is not None:
                    raise broken
                records.update(finding.record_id, {"closed": now(), "closed_reason": reason},
                               aliases=finding.aliases)  # fmt: skip
            except AudituiError as error:
                self.notify(str(error), severity="error", markup=False, timeout=10)
                return
            self.notify(f"Closed {finding.id} by hand: {reason}", markup=False)
            ids = [entry.id for entry in self.entries]
            at = ids.index(finding.id) if finding.id in ids else 0
            self._next_to_keep = ids[at + 1 :] + ids[:at][::-1]
            self.reload()

        question = f"Close finding {finding.id} by hand? Why (kept with it):"
        self.app.push_screen(ReasonDialog(question, "e.g. an observation, not a nonconformity"),
                             closed)  # fmt: skip

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_edit(self) -> None:
        back, self._back_after_edit = self._back_after_edit, False  # this once, however it ends
        finding = self.current()
        if finding is None:
            return
        from auditui.action_drafts import drop_draft, load_draft, save_draft
        from auditui.findings import joined_action, unreadable_record
        from auditui.tui.screens.action_editor import ActionEditor, action_values

        folder = self.store.folder

        def draft(fields: dict[str, str]) -> None:
            if fields:
                save_draft(folder, finding.id, fields, was=action_values(finding.action))
            else:
                drop_draft(folder, finding.id)

        def done(changes: dict | None) -> None:
            if changes is not None:  # saved or put back as it was: nothing left to offer
                self.unsaved.pop(finding.id, None)
            if changes and not finding.is_open and "status" in changes:
                current = finding.action.status if finding.action else "open"
                if changes.pop("status") != current:  # as `finding` refuses it
                    self.notify(
                        f"{finding.id} is closed: its status cannot change (the rest is saved).",
                        severity="warning",
                        markup=False,
                    )
            if not changes:  # cancelled, or nothing changed: no draft to offer again
                drop_draft(folder, finding.id)
                return
            records = FindingRecords(self.store.folder)
            try:
                overwritten = _changed_meanwhile(opened_with, records, finding, changes)
                record = records.update(finding.record_id, changes, aliases=finding.aliases)
            except AudituiError as error:
                self.unsaved[finding.id] = changes
                self.notify(
                    f"{error} — what you typed is kept: e opens it again.",
                    severity="error",
                    markup=False,
                    timeout=10,
                )
                return
            drop_draft(folder, finding.id)  # saved; one that fails keeps it
            if finding.joined:  # shown as the register joins it, not the one record
                record = joined_action(records, finding) or record
            saved = finding
            for item in self.register:
                if item.id == finding.id:
                    item.action = record
                    if "status" in changes:
                        # Set now, after every fail: no fail has shown this one not to
                        # work (the register, read again, says the same).
                        item.not_effective_in = None
                    saved = item
            self.refill(keep=finding.id)
            due = changes.get("due")
            # As the register reads it: a done action is awaiting verification, not late.
            if due is not None and saved.overdue(date.today()):
                self.notify(
                    f"Saved the action of {finding.id}: due {due.isoformat()} is in the past, "
                    "so it reads overdue.",
                    severity="warning",
                    markup=False,
                )
            else:
                self.notify(f"Saved the action of {finding.id}.", markup=False)
            if overwritten:
                self.notify(
                    f"Changed elsewhere while the editor was open, and replaced by what you "
                    f"typed: {'; '.join(overwritten)}.",
                    severity="warning",
                    markup=False,
                    timeout=12,
                )

        # As it is on disk now: set meanwhile from the command line or another laptop's
        # sync, it showed as the register was read, and looked lost (and was typed again).
        try:
            records = FindingRecords(self.store.folder)
            broken = unreadable_record(records, finding)  # as `finding` refuses a change
            if broken is not None:
                raise broken
            fresh = joined_action(records, finding)
        except AudituiError as error:
            self.notify(str(error), severity="error", markup=False, timeout=10)
            return
        if fresh is not None and fresh != finding.action:
            finding.action = fresh
            self.refill(keep=finding.id)
        opened_with = action_values(finding.action)
        unsaved: dict | None = self.unsaved.get(finding.id)
        if unsaved is None:
            kept = load_draft(folder, finding.id)
            if kept is not None:
                unsaved = kept.fields
                now = action_values(finding.action)
                self.notify(_draft_back(kept.changed_since(now), now), markup=False, timeout=12)
        editor = ActionEditor(
            _editor_title(finding), finding.action, unsaved, on_draft=draft,
            not_effective_in=(finding.not_effective_in or "") if finding.is_open else "",
        )  # fmt: skip
        def closed(changes: dict | None) -> None:
            done(changes)
            # Opened from the walkthrough for this one finding: back to the item, as the
            # walkthrough's command says, unless a save failed (e offers it again here).
            if back and finding.id not in self.unsaved and self.app.screen is self:
                self.app.pop_screen()

        self.app.push_screen(editor, closed)

    def action_pick_view(self) -> None:
        keys = {"open": "o", "overdue": "d", "mine": "m", "all": "a"}
        choices = [(name, keys[name], words) for name, words in VIEWS.items()]

        def chosen(name: str | None) -> None:
            if name is not None:
                self.view = name
                self.refill()

        self.app.push_screen(PickOne("Show", choices), chosen)

    def action_pick_checklist(self) -> None:
        titles = {f.checklist_id: f.checklist_title for f in self.register if f.checklist_id}
        ids = sorted(titles)
        choices = [("", "0", "every checklist")]
        choices += [
            (cid, str(n + 1) if n < 9 else "", f"{cid} — {titles[cid]}" if titles[cid] else cid)
            for n, cid in enumerate(ids)
        ]

        def chosen(checklist_id: str | None) -> None:
            if checklist_id is not None:
                self.checklist_id = checklist_id or None
                self.refill()

        self.app.push_screen(PickOne("Show the findings of which checklist?", choices), chosen)


def _finding_of(
    store: SessionRepository,
    records: FindingRecords,
    register: list[Finding],
    session_id: str,
    item_id: str,
) -> str | None:
    """The register's id of the finding of `item_id` that session `session_id` failed
    (raised by it, or an earlier one it failed again), else of the one open when it
    started (this session may have passed it since, and closed it); None when the item
    has none. Matched by every id a finding has had: a part of a merged audit names
    its findings by the part's id, the register by the merged session's."""
    from auditui.findings import audit_history, open_before

    try:
        session = store.load(session_id)
        if session.record(item_id).result == "fail":
            found = audit_history(store, records, session).own.get(item_id)
        else:
            found = open_before(store, records, session).get(item_id)
    except (AudituiError, KeyError):
        return None
    if found is None:
        return None
    names = {found.id, *found.known_as}
    for finding in register:
        if finding.id in names or names & finding.known_as:
            return finding.id
    return None


def _draft_back(changed: list[str], now: dict[str, str]) -> str:
    """What is said when the editor offers a draft again; `changed`: the fields of it
    that were changed elsewhere since it was typed, `now` what they say now (`ctrl+s`
    puts the draft over it)."""
    back = "What was typed here before auditui stopped is back: ctrl+s saves it, esc drops it."
    if not changed:
        return back
    from auditui.errors import one_line
    from auditui.textwidth import truncate
    from auditui.tui.screens.action_editor import field_label

    def said(name: str) -> str:
        value = truncate(one_line(now[name]), 40)
        return f"{field_label(name)}, now “{value}”" if value else f"{field_label(name)}, now empty"

    names = "; ".join(said(name) for name in changed)
    return f"{back} Changed elsewhere since it was typed: {names}. ctrl+s replaces that."


def _changed_meanwhile(
    opened_with: dict[str, str], records: FindingRecords, finding: Finding, changes: dict
) -> list[str]:
    """The fields about to be saved that someone else changed since the editor opened
    (`auditui finding --cause` in another window, a sync), each with the value it
    replaces: the last save wins, and the other change went without a word."""
    from auditui.findings import joined_action
    from auditui.tui.screens.action_editor import action_values, field_label

    now = action_values(joined_action(records, finding))
    return [
        f"{field_label(name)} was {now[name]!r}"
        for name in changes
        if name in now and now[name] != opened_with.get(name)
    ]


def _editor_title(finding: Finding) -> str:
    """What the action editor is about: the finding, and its question (the item's id is
    in several checklists, and the editor covers the register)."""
    title = f"Corrective action: {finding.id}"
    if finding.record is not None and finding.record.prompt:
        title += f" — {finding.item_id}: {finding.record.prompt}"
    return title
