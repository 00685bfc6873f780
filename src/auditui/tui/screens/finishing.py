"""Ending an audit in the app, and choosing what it covers.

The walkthrough's actions that use the dialogs of `finishing_dialogs`: finish (asking
first about unanswered items in scope), reopen (asking why), widen the scope (asked
before a mark lands outside it). Every change goes through the session writer, which refuses
what a finished session may not take; this module only asks and says.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from auditui.errors import AudituiError
from auditui.session import Answer, Session
from auditui.store import SessionWriter

if TYPE_CHECKING:
    from textual.screen import Screen

    from auditui.tui.widgets.item_list import ItemList

    _Walkthrough = Screen[None]
    """What the mixin is mixed into, as the type checker sees it."""
else:
    _Walkthrough = object


def reopen_hint(session: Session) -> str:
    return (
        f"This session is finished and sealed ({session.finished:%Y-%m-%d %H:%M}): it takes "
        "no changes. To change it, reopen it: ctrl+p, then “Reopen”, or "
        f"auditui reopen {session.id} --reason TEXT."
    )


class FinishingActions(_Walkthrough):
    """The walkthrough's finish, reopen and widen-the-scope actions (a mixin for
    `WalkthroughScreen`, which provides the writer, the counts and the redraws)."""

    session: Session
    writer: SessionWriter
    finish_draft: tuple[str, list[str]] | None = None
    """The conclusion and signers typed in the finish dialog before esc: offered again."""
    finish_draft_on_disk: bool = True
    """Whether `finish_draft` is in its draft file too (not when the disk was full): tried
    again with the marks' saves, and before quitting (`keep_finish_draft`)."""
    if TYPE_CHECKING:  # provided by WalkthroughScreen
        _counts: Counter[str]
        seal_broken: bool
        undo_stack: list[tuple[int, Answer]]
        kept_at: tuple[int, str] | None

        @property
        def items(self) -> ItemList: ...
        def _count_results(self) -> None: ...
        def _update_bar(self) -> None: ...
        def _show_current(self) -> None: ...

    def keep_finish_draft(self) -> bool:
        """Write `finish_draft` to its file if it is not there yet; False when it still
        cannot be (it is then in memory only, and lost with the app)."""
        if self.finish_draft is None or self.finish_draft_on_disk:
            return True
        from auditui.finish_drafts import save_draft

        self.finish_draft_on_disk = save_draft(self.writer.path, *self.finish_draft)
        return self.finish_draft_on_disk

    def _hold_finish_draft(self, typed: tuple[str, list[str]]) -> None:
        self.finish_draft = typed
        self.finish_draft_on_disk = False
        self.keep_finish_draft()

    def say_read_only(self, timeout: float = 8) -> None:
        """A session opened to be read only (storage that cannot be written): why."""
        self.notify(
            f"Open to be read only: nothing can be saved where it is ({self.writer.read_only}).",
            severity="warning",
            markup=False,
            timeout=timeout,
        )

    def refuse_if_finished(self) -> bool:
        """True (having said how to reopen) when the session takes no changes now."""
        session = self.session
        if self.writer.read_only is not None:
            self.say_read_only()
            return True
        if self.writer.merged_into:
            from auditui.store import merged_away

            message = merged_away(session.id, self.writer.merged_into)
            self.notify(message, severity="warning", markup=False, timeout=8)
            return True
        if session.is_finished:
            self.notify(reopen_hint(session), severity="warning", markup=False, timeout=8)
            return True
        return False

    # -- finish ---------------------------------------------------------------

    def action_finish(self) -> None:
        session: Session = self.session
        if self.writer.read_only is not None or self.writer.merged_into:
            self.refuse_if_finished()  # said before the dialogs, not after the signing
            return
        if session.is_finished:
            self.notify(
                f"Already finished on {session.finished:%Y-%m-%d %H:%M} and sealed.",
                markup=False,
            )
            return
        unanswered = self._counts["unanswered"]
        if not unanswered:
            self._ask_sign_off(0)
            return
        from auditui.tui.screens.dialogs import Confirm

        def answered(go_on: bool | None) -> None:
            if go_on:
                self._ask_sign_off(unanswered)

        items = "1 item in scope is" if unanswered == 1 else f"{unanswered} items in scope are"
        self.app.push_screen(
            Confirm(f"{items} still unanswered. Finish the audit anyway?"), answered
        )

    def _ask_sign_off(self, unanswered: int) -> None:
        session: Session = self.session
        # After a reopening, the last conclusion is offered (selected: typing replaces it),
        # but not the names that signed it: they signed other results. They are shown.
        conclusion, signed_before = session.last_sign_off()
        signers = session.auditor_signing()
        from auditui.finish_drafts import drop_draft, load_draft, save_draft

        # What was typed before esc comes back as it was, the cursor at its end; and what
        # was typed before auditui stopped (a crash, a power cut), from its draft on disk.
        path = self.writer.path
        draft = self.finish_draft
        if draft is None:
            draft = load_draft(path)
            if draft is not None:
                self.notify("What was typed here last time is back.", markup=False, timeout=8)
        offered = conclusion
        if draft is not None:
            conclusion, signers = draft[0], tuple(draft[1])

        fresh = (offered, [name for name in session.auditor_signing() if name.strip()])

        def chosen(answer: tuple[str, list[str]] | None) -> None:
            if answer is None:
                typed = dialog.typed()
                if (typed[0], [name for name in typed[1] if name.strip()]) == fresh:
                    # Nothing typed: no draft left for good beside the session.
                    self.finish_draft = None
                    drop_draft(path)
                    return
                self._hold_finish_draft(typed)
                return
            self.finish_draft = None
            conclusion, names = answer
            try:
                self.writer.finish(conclusion=conclusion, signed_by=names)
            except AudituiError as error:
                self._hold_finish_draft((conclusion, list(names)))  # offered again, not retyped
                self.notify(str(error), severity="error", markup=False, timeout=10)
                return
            self.seal_broken = False  # sealed now, as it is (what was changed is kept)
            self._update_bar()
            self._show_current()
            self.notify(
                "Finished and sealed. It takes no more marks; ctrl+p “Reopen” takes it back "
                "into work.",
                markup=False,
                timeout=8,
            )

        from auditui.tui.screens.finishing_dialogs import FinishDialog

        # The offered conclusion is selected again when esc left it untouched.
        select = draft is None or conclusion == offered
        dialog = FinishDialog(conclusion, signers, unanswered, signed_before=signed_before,
                              select=select, draft=draft is not None,
                              on_draft=lambda typed: save_draft(path, *typed))  # fmt: skip
        self.app.push_screen(dialog, chosen)

    # -- reopen ---------------------------------------------------------------

    def action_reopen(self) -> None:
        session: Session = self.session
        if self.writer.read_only is not None:
            self.say_read_only()
            return
        if not session.is_finished:
            self.notify("This session is not finished: it takes marks.", markup=False)
            return

        def answered(reason: str | None) -> None:
            if reason is None:
                return
            try:
                self.writer.reopen(reason)
            except AudituiError as error:
                self.notify(str(error), severity="error", markup=False, timeout=10)
                return
            self.seal_broken = False  # no seal now: what was changed is in the reopening
            self._update_bar()
            self.notify("Reopened: the seal is cleared; finish again to seal it.", markup=False)

        question = (
            f"Reopen this session, finished {session.finished:%Y-%m-%d %H:%M}? Its seal is "
            "cleared; when and why stays in the file for good. Why reopen it?"
        )
        from auditui.tui.screens.finishing_dialogs import ReasonDialog

        self.app.push_screen(ReasonDialog(question), answered)

    # -- the scope ------------------------------------------------------------

    def action_widen_scope(self) -> None:
        """Pick sections outside the scope to audit too."""
        session: Session = self.session
        if self.refuse_if_finished():
            return
        outside = [
            (section_id, title)
            for section_id, title, records in session.sections()
            if not session.in_scope(records[0])
        ]
        if not outside:
            self.notify("The scope already covers every section.", markup=False)
            return

        def chosen(section_ids: list[str] | None) -> None:
            if section_ids:
                self.widen_scope(section_ids)

        from auditui.tui.screens.finishing_dialogs import ScopeDialog

        self.app.push_screen(
            ScopeDialog("Widen the scope: sections to audit too", outside, ()), chosen
        )

    def widen_scope(self, section_ids: list[str], then: Callable[[], object] | None = None) -> None:
        try:
            self.writer.widen_scope(section_ids)
        except AudituiError as error:
            self.notify(str(error), severity="error", markup=False, timeout=10)
            return
        self._count_results()
        self.items.rebuild()
        self._update_bar()
        sections = "section" if len(section_ids) == 1 else "sections"
        self.kept_at = (
            len(self.undo_stack),
            f"The last change, the scope widened to {sections} {', '.join(section_ids)}, "
            "is not narrowed by u.",
        )
        self.notify(f"Scope widened to {sections} {', '.join(section_ids)}.", markup=False)
        if then is not None:
            then()

    def ask_to_widen(self, index: int, then: Callable[[], object]) -> None:
        """Item `index` is outside the scope: ask to widen the scope to its section
        first, then do `then`."""
        record = self.session.records[index]
        from auditui.tui.screens.dialogs import TypedOnQuestion
        from auditui.tui.screens.walkthrough import SETTLE_S

        def answered(yes: bool | None) -> None:
            if yes:
                self.widen_scope([record.section_id], then)

        # Asked in the middle of typing (a search, enter, f): a `y` handed over with the
        # keys after it widened the audit, and a key typed behind was dropped unsaid.
        self.app.push_screen(
            TypedOnQuestion(
                f"Item {record.item_id} is in section {record.section_id} "
                f"{record.section_title}, outside this audit's scope. Widen the scope to "
                f"section {record.section_id}?",
                settle=SETTLE_S,
                esc_does="keeps the scope as it is; then ask again",
            ),
            answered,
        )
