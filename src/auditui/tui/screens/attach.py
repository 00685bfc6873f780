"""Attaching evidence: a path typed, or files picked from a folder, newest first.

A phone's photos copied to the laptop land in one folder; the ones just taken are
the newest, so a folder lists its files newest first. `space` marks several files,
`enter` attaches the marked ones (or the one under the cursor, or the file typed).
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, SelectionList, Static
from textual.widgets.selection_list import Selection

from auditui.evidence import newest_first, size_text, typed_paths
from auditui.textwidth import printable
from auditui.tui.screens.dialog import Dialog
from auditui.tui.text import ControlPictures, plain
from auditui.tui.widgets.tick_list import TickList


class PathField(Input):
    """The field of the attach dialog: a file dropped on the terminal (pasted as a path,
    quoted, escaped or `file://`) takes the place of the folder the field opened on,
    instead of being added after it; anything else pasted goes in as usual. So does a
    path of its own typed there first (`/` or `~` as the first key)."""

    def __init__(self, value: str, **kwargs) -> None:
        super().__init__(value, **kwargs)
        self.opened_on: str | None = value
        """The folder the field opened on, while nothing else was typed."""

    def insert_text_at_cursor(self, text: str) -> None:
        if (
            self.opened_on is not None
            and self.value == self.opened_on
            and self.cursor_position == len(self.value)
            and text[:1] in (os.sep, "/", "~")
        ):  # "/home/mai/photos//tmp/x.jpg" names nothing: the typist means "/tmp/x.jpg"
            self.value = ""
        self.opened_on = None
        super().insert_text_at_cursor(text)

    def on_paste(self, event: events.Paste) -> None:
        pasted = event.text.strip()
        if pasted[:1] in ("'", '"', "/", "~") or pasted.startswith("file://"):
            event.prevent_default()  # not Input's own paste, which inserts at the cursor
            event.stop()
            self.value = pasted.splitlines()[0]
            self.cursor_position = len(self.value)


class EvidenceFiles(TickList[str]):
    """A folder's files: space marks one, enter attaches the marked ones."""

    BINDINGS = [Binding("enter", "screen.attach_chosen", "Attach", show=False)]


class AttachDialog(Dialog[list[Path] | None]):
    """Choose evidence files; dismisses with their paths, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, item_id: str, start: Path) -> None:
        super().__init__()
        self.item_id = item_id
        self.start = start
        self._files = 0
        self._there = 0
        """How many files of the folder the typed start of a name takes (all are not listed)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog tall", id="attach-dialog"):
            yield Static(
                Content(f"Attach evidence to item {printable(self.item_id)}"),
                classes="dialog-title",
            )
            yield Static(
                plain(
                    "Type a file or a folder (the field opens on the last folder used; "
                    "ctrl+u clears it). In a folder's list: space marks files, enter "
                    "attaches the marked ones (or the one under the cursor)."
                ),
                classes="dialog-help",
            )
            text = str(self.start)
            yield PathField(
                text if text.endswith(os.sep) else text + os.sep,
                classes="pick-text",
                highlighter=ControlPictures(),
                select_on_focus=False,  # typing goes on from the folder, not over it
            )
            yield Static(classes="pick-count")
            yield EvidenceFiles(classes="pick-options")

    def on_mount(self) -> None:
        self._fill(self.query_one(Input).value)
        self.query_one(Input).focus()

    def _folder_and_prefix(self, text: str) -> tuple[Path, str]:
        text = next(iter(typed_paths(text)), "")
        path = Path(text).expanduser()
        if text.endswith(os.sep) or path.is_dir():
            return path, ""
        return path.parent, path.name

    def _fill(self, text: str) -> None:
        folder, prefix = self._folder_and_prefix(text)
        files, self._there = newest_first(folder, prefix=prefix)
        options = self.query_one(EvidenceFiles)
        options.clear_options()
        options.add_options([Selection(Content(self._label(path)), str(path)) for path in files])
        self._files = len(files)
        count = self.query_one(".pick-count", Static)
        if not folder.is_dir():
            count.update(plain(f"No folder {printable(str(folder))}"))
        elif not files:
            starting = f"No file here starts with {printable(prefix)}"
            count.update(plain(starting if prefix else "No files here"))
        else:
            self._count_marked()

    def _count_marked(self) -> None:
        """How many files there are and how many are marked: on a dim screen the marked
        and unmarked boxes look alike, the count does not."""
        marked = len(self.query_one(EvidenceFiles).selected)
        files = f"{self._files} file{'' if self._files == 1 else 's'}, newest first"
        if self._there > self._files:  # a folder of thousands: type the start of a name
            files = f"the newest {self._files} of {self._there} files (type a name's start)"
        if marked:
            text = f"{files} · {marked} marked: enter attaches {'it' if marked == 1 else 'them'}"
        else:
            text = f"{files} (down to pick, space marks)"
        self.query_one(".pick-count", Static).update(plain(text))

    @on(SelectionList.SelectedChanged)
    def _marked(self) -> None:
        if self._files:
            self._count_marked()

    @staticmethod
    def _label(path: Path) -> str:
        try:
            status = path.stat()
        except OSError:
            return printable(path.name)
        when = datetime.fromtimestamp(status.st_mtime).strftime("%Y-%m-%d %H:%M")
        return f"{printable(path.name)}  ·  {when}  ·  {size_text(status.st_size)}"

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        typed = typed_paths(event.value)
        if len(typed) > 1:  # several files dropped at once
            self._dismiss_if_attachable([Path(text).expanduser() for text in typed])
            return
        if not typed:
            return
        text = typed[0]
        path = Path(text).expanduser()
        if not text.endswith(os.sep) and not path.is_dir():
            if not os.path.lexists(path):  # a typo: said here, the path kept to mend
                said = f"No such file: {printable(str(path))}"
                here = Path.cwd() / path.name
                if path.parent != Path.cwd() and os.path.lexists(here):
                    # Typed as if from the folder auditui was started in: the field was
                    # still on the last folder used, and the name went on after it.
                    said += f" (there is {printable(str(here))}: ctrl+u clears the field)"
                self.query_one(".pick-count", Static).update(plain(said))
                return
            self._dismiss_if_attachable([path])  # a file typed in full
            return
        options = self.query_one(EvidenceFiles)
        if options.option_count:
            options.focus()
            options.highlighted = 0

    def on_key(self, event) -> None:
        options = self.query_one(EvidenceFiles)
        if event.key == "down" and self.focused is self.query_one(Input) and options.option_count:
            options.focus()
            if options.highlighted is None:
                options.highlighted = 0
            event.stop()

    def action_attach_chosen(self) -> None:
        options = self.query_one(EvidenceFiles)
        chosen = [Path(value) for value in options.selected]
        if not chosen and options.highlighted is not None:
            chosen = [Path(options.get_option_at_index(options.highlighted).value)]
        if chosen:
            self._dismiss_if_attachable(chosen)

    def _dismiss_if_attachable(self, paths: list[Path]) -> None:
        """Hand the files over, unless one cannot be attached (a link, a pipe, too large):
        then that is said here and the dialog stays, what was typed kept to mend. (Closed,
        the keys typed next went to the walkthrough, or home behind it.)"""
        from auditui.errors import AudituiError
        from auditui.evidence import check_source

        for path in paths:
            try:
                check_source(path)
            except AudituiError as error:
                self.query_one(".pick-count", Static).update(
                    plain(f"Cannot attach {printable(path.name)}: {error.message}")
                )
                return
        self.dismiss(paths)

    def action_cancel(self) -> None:
        self.dismiss(None)
