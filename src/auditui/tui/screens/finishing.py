"""Ending an audit in the app, and choosing what it covers.

The dialogs (the conclusion and sign-off, the reason for reopening, the sections of
the scope) and the walkthrough's actions that use them: finish (asking first about
unanswered items in scope), reopen (asking why), widen the scope (asked before a
mark lands outside it). Every change goes through the session writer, which refuses
what a finished session may not take; this module only asks and says.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, SelectionList, Static, TextArea

from auditui.errors import AudituiError
from auditui.session import Session
from auditui.store import SessionWriter
from auditui.tui.text import ControlPictures, plain

if TYPE_CHECKING:
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


class FinishDialog(ModalScreen[tuple[str, list[str]] | None]):
    """The conclusion and the names signing it; `ctrl+s` finishes and seals."""

    BINDINGS = [
        Binding("ctrl+s", "finish", "Finish and seal", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, conclusion: str, signers: Iterable[str], unanswered: int) -> None:
        super().__init__()
        self.conclusion = conclusion
        self.signers = list(signers)
        self.unanswered = unanswered

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="finish-dialog"):
            yield Static(Content("Finish the audit"), classes="dialog-title")
            yield Static(Content("Conclusion"))
            yield TextArea(self.conclusion, id="finish-conclusion", soft_wrap=True)
            yield Static(Content("Signed by: one name a line, e.g. Mai (auditor)"))
            yield TextArea("\n".join(self.signers), id="finish-signers", soft_wrap=True)
            left = (
                f"{self.unanswered} item(s) in scope are unanswered. " if self.unanswered else ""
            )
            yield Static(
                Content.assemble(
                    left,
                    ("ctrl+s", "bold"),
                    " finish and seal (no more marks until reopened)   ",
                    ("tab", "bold"),
                    " next box   ",
                    ("esc", "bold"),
                    " cancel",
                ),
                classes="dialog-help",
            )

    def on_mount(self) -> None:
        area = self.query_one("#finish-conclusion", TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_finish(self) -> None:
        conclusion = self.query_one("#finish-conclusion", TextArea).text.strip()
        names = self.query_one("#finish-signers", TextArea).text.splitlines()
        self.dismiss((conclusion, [name.strip() for name in names if name.strip()]))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReasonDialog(ModalScreen[str | None]):
    """A question that needs a reason typed: `enter` confirms, `escape` cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, placeholder: str = "why") -> None:
        super().__init__()
        self.question = question
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self.question))
            yield Input(
                placeholder=self.placeholder,
                id="reason",
                compact=True,
                highlighter=ControlPictures(),
            )
            yield Static(
                Content.assemble(("enter", "bold"), " confirm   ", ("esc", "bold"), " cancel"),
                classes="dialog-help",
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        reason = event.value.strip()
        if not reason:
            self.notify("Type the reason first (it is kept in the session).", markup=False)
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ScopeDialog(ModalScreen[list[str] | None]):
    """Tick sections (`space`); `ctrl+s` takes them. `ctrl+a` ticks all, and with the
    sections that had a failed item last time, `ctrl+l` ticks only those."""

    BINDINGS = [
        Binding("ctrl+s", "done", "Done", priority=True),
        Binding("ctrl+a", "all", "All sections"),
        Binding("ctrl+l", "failed_last_time", "Failed last time"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        title: str,
        sections: list[tuple[str, str]],
        chosen: Iterable[str],
        failed_last_time: Iterable[str] = (),
    ) -> None:
        """`sections`: (id, title) offered; `chosen`: the ids ticked at first."""
        super().__init__()
        self.title_text = title
        self.sections = sections
        self.chosen = set(chosen)
        self.failed_last_time = [s for s, _ in sections if s in set(failed_last_time)]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="scope-dialog"):
            yield Static(Content(self.title_text), classes="dialog-title")
            yield SelectionList[str](
                *[
                    (Content(f"{section_id}  {title}"), section_id, section_id in self.chosen)
                    for section_id, title in self.sections
                ],
                id="scope-sections",
            )
            keys: list[str | tuple[str, str]] = [
                ("space", "bold"), " tick   ", ("ctrl+a", "bold"), " all   ",
            ]  # fmt: skip
            if self.failed_last_time:
                keys += [("ctrl+l", "bold"), " only sections with a failed item last time   "]
            keys += [("ctrl+s", "bold"), " done   ", ("esc", "bold"), " cancel"]
            yield Static(Content.assemble(*keys), classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_all(self) -> None:
        self.query_one(SelectionList).select_all()

    def action_failed_last_time(self) -> None:
        if not self.failed_last_time:
            self.notify("The last session of this checklist failed no item.", markup=False)
            return
        sections = self.query_one(SelectionList)
        sections.deselect_all()
        for section_id in self.failed_last_time:
            sections.select(section_id)

    def action_done(self) -> None:
        chosen = set(self.query_one(SelectionList).selected)
        if not chosen:
            self.notify("Tick at least one section.", markup=False)
            return
        self.dismiss([section_id for section_id, _ in self.sections if section_id in chosen])

    def action_cancel(self) -> None:
        self.dismiss(None)


class FinishingActions(_Walkthrough):
    """The walkthrough's finish, reopen and widen-the-scope actions (a mixin for
    `WalkthroughScreen`, which provides the writer, the counts and the redraws)."""

    session: Session
    writer: SessionWriter
    if TYPE_CHECKING:  # provided by WalkthroughScreen
        _counts: Counter[str]

        @property
        def items(self) -> ItemList: ...
        def _count_results(self) -> None: ...
        def _update_bar(self) -> None: ...
        def _show_current(self) -> None: ...

    def refuse_if_finished(self) -> bool:
        """True (having said how to reopen) when the session takes no changes now."""
        session = self.session
        if session.is_finished:
            self.notify(reopen_hint(session), severity="warning", markup=False, timeout=8)
            return True
        return False

    # -- finish ---------------------------------------------------------------

    def action_finish(self) -> None:
        session: Session = self.session
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
        conclusion, signers = session.last_sign_off()
        if not signers and session.auditor:
            signers = (f"{session.auditor} (auditor)",)

        def chosen(answer: tuple[str, list[str]] | None) -> None:
            if answer is None:
                return
            conclusion, names = answer
            try:
                self.writer.finish(conclusion=conclusion, signed_by=names)
            except AudituiError as error:
                self.notify(str(error), severity="error", markup=False, timeout=10)
                return
            self._update_bar()
            self._show_current()
            self.notify(
                "Finished and sealed. It takes no more marks; ctrl+p “Reopen” takes it back "
                "into work.",
                markup=False,
                timeout=8,
            )

        self.app.push_screen(FinishDialog(conclusion, signers, unanswered), chosen)

    # -- reopen ---------------------------------------------------------------

    def action_reopen(self) -> None:
        session: Session = self.session
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
            self._update_bar()
            self.notify("Reopened: the seal is cleared; finish again to seal it.", markup=False)

        question = (
            f"Reopen this session, finished {session.finished:%Y-%m-%d %H:%M}? Its seal is "
            "cleared; when and why stays in the file for good. Why reopen it?"
        )
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

        self.app.push_screen(
            ScopeDialog("Widen the scope: sections to audit too", outside, ()), chosen
        )

    def widen_scope(
        self, section_ids: list[str], then: Callable[[], object] | None = None
    ) -> None:
        try:
            self.writer.widen_scope(section_ids)
        except AudituiError as error:
            self.notify(str(error), severity="error", markup=False, timeout=10)
            return
        self._count_results()
        self.items.rebuild()
        self._update_bar()
        self.notify(f"Scope widened to section(s) {', '.join(section_ids)}.", markup=False)
        if then is not None:
            then()

    def ask_to_widen(self, index: int, then: Callable[[], object]) -> None:
        """Item `index` is outside the scope: ask to widen the scope to its section
        first, then do `then`."""
        record = self.session.records[index]
        from auditui.tui.screens.dialogs import Confirm

        def answered(yes: bool | None) -> None:
            if yes:
                self.widen_scope([record.section_id], then)

        self.app.push_screen(
            Confirm(
                f"Item {record.item_id} is in section {record.section_id} "
                f"{record.section_title}, outside this audit's scope. Widen the scope to "
                f"section {record.section_id}?"
            ),
            answered,
        )
