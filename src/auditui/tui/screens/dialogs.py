"""Small modal screens: the note editor, pickers, find, confirm and help."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from auditui.search import find_items, rank_sections
from auditui.session import ItemRecord
from auditui.textwidth import printable, truncate
from auditui.tui.screens.dialog import Dialog
from auditui.tui.text import ControlPictures, plain, styled
from auditui.tui.widgets.text_box import TextBox, TextLine

if TYPE_CHECKING:
    from textual.timer import Timer


class NoteArea(TextBox):
    """A text box that shows control characters (an ESC in a note from a file or a paste)
    as visible symbols instead of sending them to the terminal; the text keeps them."""

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        line.plain = printable(line.plain, keep="\t")
        return line

    async def _on_key(self, event: events.Key) -> None:
        """Esc and a key typed within a few milliseconds reach the app as one key, `alt+`
        that key (it is how a terminal sends alt): not a letter for the note, but the
        editor closed and the key for the screen beneath (esc then q quits)."""
        typed = after_escape(event.key)
        if typed is None:
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        screen = self.screen
        if isinstance(screen, NoteEditor):
            screen.action_done()
            put_back_key(self.app, events.Key(typed, typed))


def put_back_key(app, key: events.Key) -> None:
    """Hand `key` on next, before the keys typed after the one it came with
    (`OrderedKeysApp.put_back_keys`); posted, where the app holds no keys of its own."""
    put_back = getattr(app, "put_back_keys", None)
    if put_back is not None:
        put_back(key)
    else:
        app.post_message(key)


def after_escape(key: str) -> str | None:
    """The letter of `alt+q` / `alt+shift+q` (`q` / `Q`); None for any other key."""
    if not key.startswith("alt+"):
        return None
    rest = key[4:]
    if rest.startswith("shift+"):
        rest = rest[6:].upper()
    return rest if len(rest) == 1 and rest.isprintable() else None


class NoteEditor(Dialog[str]):
    """Edit a note. `ctrl+s` saves and closes; `escape` closes and keeps what was typed.

    While it is open, what was typed is handed to `on_draft` a moment after each
    change (`DRAFT_DELAY`; keys typed within it make one save), so a note being typed
    is on disk too if the power goes.
    """

    DRAFT_DELAY = 0.25
    """Seconds from a change to its draft save: short next to the one-second promise."""

    BINDINGS = [
        Binding("ctrl+s", "done", "Save and close", priority=True),
        Binding("escape", "done", "Close (keeps text)"),
    ]

    def __init__(self, prompt: str, note: str, on_draft: Callable[[str], None]) -> None:
        super().__init__()
        self.prompt = prompt
        self.initial = note
        self.on_draft = on_draft
        self._last_draft = note
        self._draft_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog", classes="dialog"):
            yield Static(plain(self.prompt), id="note-prompt")
            yield NoteArea(self.initial, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Static(
                Content.assemble(
                    ("ctrl+s", "bold"), " save and close   ", ("esc", "bold"), " close"
                ),
                classes="dialog-help",
            )

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        # TextArea keeps one kind of line break and splits at U+2028, U+0085, \v, \f...:
        # what it shows of the note may differ from the note. Unedited, that is the note.
        self._shown = area.text
        area.focus()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self._draft_timer is None:
            self._draft_timer = self.set_timer(self.DRAFT_DELAY, self._save_draft)

    def _edited_text(self) -> str:
        """What was typed; the note exactly as it was while nothing was changed."""
        text = self.query_one(TextArea).text
        return self.initial if text == getattr(self, "_shown", None) else text

    def save_draft_now(self) -> None:
        """Hand over what was typed without waiting for the timer (the app is closing)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._save_draft()

    def _save_draft(self) -> None:
        self._draft_timer = None
        text = self._edited_text()
        if text != self._last_draft:
            self._last_draft = text
            self.on_draft(text)

    def action_done(self) -> None:
        self.dismiss(self._edited_text())


class PickOne(Dialog[str | None]):
    """Pick one of a few labelled choices, by its key or with the arrows and enter."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, choices: Iterable[tuple[str, str, str]]) -> None:
        """`choices`: (value, hotkey, label)."""
        super().__init__()
        self.title_text = title
        self.choices = list(choices)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.title_text), classes="dialog-title")
            yield OptionList(
                *[
                    Option(styled((f"{key}  ", "bold"), label), id=value)
                    for value, key, label in self.choices
                ],
                id="pick-list",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_key(self, event) -> None:
        for value, key, _ in self.choices:
            if event.character == key:
                event.stop()
                self.dismiss(value)
                return

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TypeToPick(Dialog[int | None]):
    """Type to narrow a list, arrows to move, enter to pick; dismisses with the index."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    HEADING = ""
    PLACEHOLDER = ""

    def __init__(self, initial: str = "") -> None:
        super().__init__()
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog tall"):
            yield Static(Content(self.HEADING), classes="dialog-title")
            yield TextLine(
                self.initial,
                placeholder=self.PLACEHOLDER,
                classes="pick-text",
                highlighter=ControlPictures(),
            )
            yield Static(classes="pick-count")
            yield OptionList(classes="pick-options")

    def on_mount(self) -> None:
        self._fill(self.initial)
        self.query_one(Input).focus()

    def options_for(self, text: str) -> list[Option]:
        """The options matching `text`, each with its index as id."""
        raise NotImplementedError

    def count_text(self, text: str, found: int) -> str:
        """The line above the options: how many match what was typed ("" for none)."""
        return ""

    def _fill(self, text: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        found = self.options_for(text)
        options.add_options(found)
        if found:
            options.highlighted = 0
        count = self.query_one(".pick-count", Static)
        message = self.count_text(text, len(found))
        count.update(plain(message))
        count.display = bool(message)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.dismiss(int(options.get_option_at_index(options.highlighted).id or 0))

    def on_key(self, event) -> None:
        if event.key in ("down", "up"):
            options = self.query_one(OptionList)
            if event.key == "down":
                options.action_cursor_down()
            else:
                options.action_cursor_up()
            event.stop()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)


class SectionPicker(TypeToPick):
    """Jump to a section: type to narrow, enter to go."""

    HEADING = "Jump to a section"
    PLACEHOLDER = "type to narrow"

    def __init__(self, sections: list[tuple[str, str, int, int]]) -> None:
        """`sections`: (id, title, answered, total)."""
        super().__init__()
        self.sections = sections

    def options_for(self, text: str) -> list[Option]:
        """Sections named at the start of their id, title or a word first (`ship` puts
        "Shipping" before "Leadership"), accents and case folded."""
        ranked = rank_sections(text, [(section[0], section[1]) for section in self.sections])
        options = []
        for n in ranked:
            section_id, title, answered, total = self.sections[n]
            label = styled(f"{section_id} {title}", (f"  {answered}/{total}", "dim"))
            options.append(Option(label, id=str(n)))
        return options

    def count_text(self, text: str, found: int) -> str:
        if found or not text.strip():
            return ""
        return f"No section matches “{text.strip()}”."


class FindItem(TypeToPick):
    """Find an item by words from its id, clause, question, guidance, evidence or note;
    accents and case do not matter ("nut chai" finds "nút chai")."""

    HEADING = "Find an item"
    PLACEHOLDER = "words of the question, its guidance, a note or an id"
    LIMIT = 200

    def __init__(
        self,
        records: list[ItemRecord],
        initial: str = "",
        translated: dict[str, str] | None = None,
        outside_scope: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(initial)
        self.records = records
        self.translated = translated or {}
        """The translation shown under each question, by item id: searched too."""
        self.outside_scope = outside_scope
        """Ids of the items outside the session's scope: marked as such in the list (one
        picked asks to widen the scope)."""
        self.matched = 0
        """How many items match what is typed (only the first `LIMIT` are listed)."""

    def options_for(self, text: str) -> list[Option]:
        found = find_items(text, self.records, self.translated)
        self.matched = len(found)
        options = []
        for index in found[: self.LIMIT]:
            record = self.records[index]
            label = styled((f"{record.item_id}  ", "bold"), truncate(printable(record.prompt), 200))
            if record.item_id in self.outside_scope:
                label = Content.assemble(("outside the scope  ", "italic $text-warning"), label)
            options.append(Option(label, id=str(index)))
        return options

    def count_text(self, text: str, found: int) -> str:
        typed = text.strip()
        if not typed:
            return ""
        if not self.matched:
            return f"No item matches “{typed}”."
        count = "1 item matches" if self.matched == 1 else f"{self.matched} items match"
        if self.matched > found:
            count += f" (the first {found} are listed)"
        return count + "."


class Confirm(Dialog[bool]):
    """A yes/no question: `y` or `n` (escape is no)."""

    BINDINGS = [
        Binding("y,Y", "answer(True)", "Yes"),  # Y: caps lock on
        Binding("n,N,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self.question))
            yield Static(self.answers(), id="confirm-answers")

    def answers(self) -> Content:
        return Content.assemble(("y", "bold"), " yes   ", ("n", "bold"), " no")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class TypedOnQuestion(Confirm, inherit_bindings=False):
    """A question that comes up in the middle of typing (`p` over a fail, then `e` and a
    note): keys typed on answered it, the `y` of "yellow" dropping the nonconformity and
    the rest of the note landing on the next item.

    `y` or `n` answers only as the first key, and only once the question has been up
    `settle` seconds (long enough to be read). Any other key first, or a `y` or `n`
    sooner, is typing that went on: nothing is answered, what was typed is shown as not
    used, and only escape (no) closes the question; the key that asked asks again."""

    BINDINGS = [Binding("escape", "answer(False)", "No")]

    def __init__(
        self, question: str, *, settle: float, esc_does: str = "keeps the fail; then ask again"
    ) -> None:
        super().__init__(question)
        self.settle = settle
        self.esc_does = esc_does
        """What esc does, said once keys were typed on: `esc <esc_does> and answer …`."""
        self.typed_on = ""
        """What was typed after the question came up, not taken as an answer."""
        self._opened = 0.0

    def on_mount(self) -> None:
        self._opened = time.monotonic()

    def on_key(self, event: events.Key) -> None:
        if event.key == "escape":
            return
        event.stop()
        event.prevent_default()
        typed = after_escape(event.key)
        if typed is not None:  # esc and a key at once (how a terminal sends alt): both
            self.dismiss(False)
            put_back_key(self.app, events.Key(typed, typed))
            return
        read = time.monotonic() - self._opened >= self.settle
        answer = (event.character or "").lower()  # Y with caps lock on answers too
        # Keys already here behind it were typed on with it (a laptop that froze while
        # "yellow" was typed hands the question all six letters at once).
        typed_with = getattr(self.app, "keys_waiting", lambda: False)()
        if answer in ("y", "n") and read and not self.typed_on and not typed_with:
            self.dismiss(answer == "y")
            return
        self.typed_on += event.character if event.is_printable and event.character else "·"
        self.query_one("#confirm-answers", Static).update(self.answers())

    def answers(self) -> Content:
        if not self.typed_on:
            return super().answers()
        shown = truncate(printable(self.typed_on), 40)
        return Content.assemble(
            ("Typed while this was asked, not used: ", "bold $text-warning"),
            (shown, "$text-warning"),
            "\n",
            ("esc", "bold"),
            f" {self.esc_does} and answer with ",
            ("y", "bold"),
            " or ",
            ("n", "bold"),
        )


class HelpScreen(Dialog[None]):
    """Every key of the screen it was opened from."""

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self, title: str, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.keys = keys

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog tall", id="help-dialog"):
            yield Static(Content(self.title_text), classes="dialog-title")
            with VerticalScroll(id="help-keys"):
                for key, description in self.keys:
                    with Horizontal(classes="help-row"):
                        yield Static(Content(key), classes="help-key")
                        yield Static(Content(description), classes="help-text")
            closes = "esc, q or ? closes this help; ctrl+q quits"
            yield Static(Content(closes), classes="dialog-help")

    def action_close(self) -> None:
        self.dismiss(None)
