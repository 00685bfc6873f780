"""The dialogs that end an audit or choose what it covers: the conclusion and sign-off,
the reason for reopening, the sections of the scope.

Kept apart from the walkthrough's actions (`finishing.py`) so that the text areas and
selection list they use are loaded when a dialog is first opened, not with every start.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, SelectionList, Static, TextArea

from auditui.textwidth import plural
from auditui.tui.screens.dialog import Dialog, DraftedDialog
from auditui.tui.text import ControlPictures, plain
from auditui.tui.widgets.text_box import TextBox, TextLine
from auditui.tui.widgets.tick_list import TickList


class FinishDialog(DraftedDialog[tuple[str, list[str]] | None]):
    """The conclusion and the names signing it; `ctrl+s` finishes and seals. What is typed
    goes to `on_draft` a moment after each change (`finish_drafts.py`)."""

    BINDINGS = [
        Binding("ctrl+s", "finish", "Finish and seal", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        conclusion: str,
        signers: Iterable[str],
        unanswered: int,
        *,
        signed_before: Iterable[str] = (),
        select: bool = True,
        draft: bool = False,
        on_draft: Callable[[tuple[str, list[str]]], object] | None = None,
    ) -> None:
        super().__init__(on_draft)
        self.conclusion = conclusion
        self.signers = list(signers)
        self.unanswered = unanswered
        self.signed_before = list(signed_before)
        """Who signed it before it was reopened: shown, never signed again for them."""
        self.select = select
        """Whether an offered conclusion starts selected (the last one, replaced by typing;
        not a draft typed before esc, which goes on)."""
        self.draft = draft
        """Whether the names are those typed before esc (as they were), not offered."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="finish-dialog"):
            yield Static(Content("Finish the audit"), classes="dialog-title")
            yield Static(Content("Conclusion"))
            yield TextBox(self.conclusion, id="finish-conclusion", soft_wrap=True)
            yield Static(Content("Signed by: one name a line, e.g. Mai (auditor)"))
            # Offered names end with a line break: a name typed goes on a line of its own.
            if self.draft:
                names = "\n".join(self.signers)
            else:
                names = "".join(f"{name}\n" for name in self.signers)
            yield TextBox(names, id="finish-signers", soft_wrap=True)  # cursor after them
            if self.signed_before:
                yield Static(
                    Content(f"Signed before it was reopened: {', '.join(self.signed_before)}"),
                    classes="dialog-help",
                )
            verb = "is" if self.unanswered == 1 else "are"
            left = (
                f"{plural(self.unanswered, 'item')} in scope {verb} unanswered. "
                if self.unanswered
                else ""
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
        if self.conclusion and self.select:  # the one before a reopening: typing replaces it
            area.select_all()  # else after its text, as every TextBox opens
        # A merged audit's three auditors and the line for one more: the box grows to show
        # them all where there is room, and opens at its first name (it opened scrolled to
        # the cursor after the last, the first signer out of sight).
        signers = self.query_one("#finish-signers", TextArea)
        lines = signers.document.line_count
        if lines > 3 and self.app.size.height >= 24:
            signers.styles.height = min(lines, 5) + 2
        self.call_after_refresh(signers.scroll_home, animate=False)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.draft_changed()

    def action_finish(self) -> None:
        conclusion = self.query_one("#finish-conclusion", TextArea).text.strip()
        lines = self.query_one("#finish-signers", TextArea).text.splitlines()
        names = [name.strip() for name in lines if name.strip()]
        # Asked here, with what was typed kept: a finished audit has both (SPEC).
        missing = "#finish-conclusion" if not conclusion else "#finish-signers" if not names else ""
        if missing:
            what = "the conclusion" if missing == "#finish-conclusion" else "a name signing it"
            self.notify(f"Write {what} first: a finished audit has its conclusion and "
                        "sign-off.", severity="warning", markup=False)  # fmt: skip
            self.query_one(missing, TextArea).focus()
            return
        # Who signed before a reopening is shown, not signed again for them; but one left
        # out is asked about, never dropped at one key (`auditui finish` refuses).
        left_out = [name for name in self.signed_before if name not in names]
        if not left_out:
            self.dismiss((conclusion, names))
            return

        def answered(finish: bool | None) -> None:
            if finish:
                self.dismiss((conclusion, names))
            else:
                self.query_one("#finish-signers", TextArea).focus()

        from auditui.tui.screens.dialogs import Confirm

        who = ", ".join(left_out)
        self.app.push_screen(
            Confirm(f"Signed before it was reopened by {who}, not among the names signing "
                    "now. Finish and seal without them?"), answered)  # fmt: skip

    def typed(self) -> tuple[str, list[str]]:
        """The conclusion and the signers' lines as they are in the boxes now."""
        conclusion = self.query_one("#finish-conclusion", TextArea).text
        return conclusion, self.query_one("#finish-signers", TextArea).text.split("\n")

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReasonDialog(Dialog[str | None]):
    """A question that needs a reason typed: `enter` confirms, `escape` cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, placeholder: str = "why") -> None:
        super().__init__()
        self.question = question
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self.question))
            yield TextLine(
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
            self.notify("Type the reason first (it is kept).", markup=False)
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ScopeDialog(Dialog[list[str] | None]):
    """Tick sections (`space`); `ctrl+s` takes them. `ctrl+a` ticks all (again: none), and with the
    sections that had a failed item last time, `ctrl+l` ticks only those."""

    BINDINGS = [
        Binding("ctrl+s", "done", "Done", priority=True),
        Binding("enter", "done", "Done", priority=True),  # as a dialog's OK; space ticks
        Binding("ctrl+a", "all", "All sections, or none"),
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
            # The keys above the list, where a long list at 80x24 never pushes them off.
            keys: list[str | tuple[str, str]] = [
                ("space", "bold"), " tick   ", ("enter", "bold"), " done   ",
                ("esc", "bold"), " cancel   ", ("ctrl+a", "bold"), " all / none",
            ]  # fmt: skip
            if self.failed_last_time:
                keys += ["   ", ("ctrl+l", "bold"), " only sections failed last time"]
            yield Static(Content.assemble(*keys), classes="dialog-help")
            yield TickList[str](
                *[
                    (Content(f"{section_id}  {title}"), section_id, section_id in self.chosen)
                    for section_id, title in self.sections
                ],
                id="scope-sections",
            )

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_all(self) -> None:
        """Every section ticked; pressed again, none (to tick the few wanted)."""
        sections = self.query_one(SelectionList)
        if len(sections.selected) == sections.option_count:
            sections.deselect_all()
        else:
            sections.select_all()

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
