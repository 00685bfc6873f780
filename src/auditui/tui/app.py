"""The auditui terminal app: home, new session, walkthrough, help.

The app owns at most one open `SessionWriter` (and so one session lock) at a
time. Quitting, from anywhere, folds the session's journal into its file and
releases the lock; if a change could not be saved, it asks before dropping it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.notifications import Notification, SeverityLevel
from textual.screen import ModalScreen, Screen

from auditui.errors import AudituiError
from auditui.paths import Locations
from auditui.repository import SessionRepository, open_repository
from auditui.store import SessionStore, SessionWriter
from auditui.tui import messages
from auditui.tui.keyhelp import QUIT_HELP
from auditui.tui.ordered_keys import OrderedKeysApp
from auditui.tui.palette import HasPaletteCommands

# Only the first screen is imported up front (the walkthrough, for `auditui resume`):
# the others, and their widgets, load when they first open.
if TYPE_CHECKING:
    from pathlib import Path

    from auditui.checklist import Checklist
    from auditui.tui.screens.history import HistoryScreen

FIRST_MODE = "first"


TEXTUAL_COMMANDS_KEPT = ("Theme", "Quit")

NOTICE_RANK = {"information": 0, "warning": 1, "error": 2}
"""A notice takes the place of those shown of its rank or lower (`AuditApp.notify`)."""


class AuditApp(OrderedKeysApp[int]):
    """Screens ask by message (tui/messages.py) and are handed what they read (the
    store, the folders) when they are made."""

    TITLE = "auditui"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True, show=False, tooltip=QUIT_HELP)]
    DEFAULT_MODE = FIRST_MODE
    """The first screen is the bottom of the stack of this mode (not pushed over Textual's
    blank default screen): start-up lays out and draws one screen, not two."""

    def __init__(
        self,
        locations: Locations,
        *,
        store: SessionRepository | None = None,
        writer: SessionWriter | None = None,
        new_session: tuple[Checklist, str, str, str] | None = None,
        scope: Collection[str] = (),
        language: str = "",
    ) -> None:
        super().__init__()
        from auditui.tui import escape_keys

        escape_keys.install()  # esc and the key typed right after it: two keys
        self.locations = locations
        self.store: SessionRepository = store if store is not None else open_repository(locations)
        """The sessions, for every screen: the command that opened the app built it."""
        self.writer = writer
        self.last_walked: str | None = None
        """The session the last walkthrough opened: home highlights it on coming back
        (enter there resumed the session highlighted before, another one)."""
        self.start_with_form = new_session
        self.start_scope = list(scope)
        """The sections `run --scope` chose, offered by the form."""
        self._form_only = new_session is not None
        self.start_language = language
        self.exit_notices: list[str] = []
        """Printed on the terminal when the app ends (a session file replaced meanwhile)."""
        self.unsaved_actions: dict[str, dict] = {}
        """Corrective actions typed in the register that could not be saved (a full disk),
        by finding id: offered again however often the register is left and opened."""
        self.closed_session_file: Path | None = None
        """The session file closed last (saved then, if anything changed): read into the
        cache of read files once the app has ended (`warm.py`)."""
        self.fold_after_exit = False
        """Set by the command that runs the app: quitting saves and stops changes, and the
        journal is folded by the command after the app ends (`to_fold`): the terminal is
        given back at once, so keys typed during a big session's fold reach the shell."""
        self.to_fold: SessionWriter | None = None
        self._bottoms = 0
        """How many times the bottom screen was replaced (see `_replace_bottom`)."""
        # Opened on a session or the form, the home screen is made only when it is first
        # needed (see `_go_home`); the first screen is made by `get_default_screen`.
        self._on_ready: list[Callable[[], object]] = []
        self._in_dialog = False
        self._sticky: set[str] = set()
        """The notices a dialog opening or closing leaves up (`notify(sticky=True)`)."""
        """Whether the screen shown is a dialog (see `_screen_changed`)."""

    def get_default_screen(self) -> Screen:
        """The first screen, as Textual's default screen of the first mode: given as the
        mode's screen instead, it would have the whole stylesheet parsed twice more before
        it is drawn (Textual refreshes the CSS for a mode's first screen). The mode is
        named only now, so that `_replace_bottom` can remove it like any other."""
        screen = self._first_screen()
        self.add_mode(FIRST_MODE, lambda: screen)  # named only: its stack is made here
        return screen

    def when_ready(self, callback: Callable[[], object]) -> None:
        """Call `callback` once the first screen is drawn (Textual's `Ready`)."""
        self._on_ready.append(callback)

    def on_ready(self) -> None:
        for callback in self._on_ready:
            callback()
        self._on_ready.clear()
        self.screen_change_signal.subscribe(self, self._screen_changed)
        self._stop_on_signals()

    def _stop_on_signals(self) -> None:
        """SIGTERM (a shutdown, `kill`) and SIGHUP (the terminal window closed) end the
        app as ctrl+q does: the note being typed is saved, the journal folded and the
        terminal given back. They ended it at once, the last keys of a note lost (and a
        terminal left in the app's screen after a SIGTERM)."""
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for number in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)):
            if number is None:
                continue
            try:
                loop.add_signal_handler(number, self._stopped_by_signal, number)
            except (NotImplementedError, RuntimeError, ValueError):
                return  # no signal handlers here (Windows, another thread)

    def _stopped_by_signal(self, number: int) -> None:
        # What was typed whose save was refused goes to its draft (no one is there to be
        # asked); `exit` saves the note being typed, as for every way out.
        self._typed_not_kept()
        self.exit(return_code=128 + number)  # a shell's way of saying "ended by a signal"

    # -- notices -------------------------------------------------------------------
    # One at a time, unless one shown matters more: at 80×24 two stacked notices (a
    # refused mark, then `u`) covered the current item's prompt and note, but a warning
    # (the session file replaced by another program) must not be wiped by "Every item is
    # answered" a moment later.

    class _Notice(Message):
        """A notice to show, in turn with the others (see `notify`)."""

        def __init__(self, notification: Notification, sticky: bool = False) -> None:
            super().__init__()
            self.notification = notification
            self.sticky = sticky

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
        sticky: bool = False,
    ) -> None:
        """Textual's `notify`, the notice taking the place of those shown that matter no
        more than it does (an information notice leaves a warning up). Thread-safe, as
        Textual's: it goes through the message queue. `sticky`: not cleared when a dialog
        opens or closes (this session's marks now go to another file)."""
        if timeout is None:
            timeout = self.NOTIFICATION_TIMEOUT
        if not markup:  # text from files (a checklist's title, an item id): never a
            # terminal control sequence (a colour, a clipboard write), shown as symbols
            from auditui.textwidth import printable

            message = printable(message, keep="\n")
        notice = Notification(message, title, severity, timeout, markup=markup)
        self.post_message(self._Notice(notice, sticky))

    @on(_Notice)
    def _show_notice(self, message: _Notice) -> None:
        # Textual's own collection of the notices shown (what expired or was clicked away
        # is gone from it): those of this rank or lower go, the new one comes, in one
        # refresh of the toasts.
        new = message.notification
        rank = NOTICE_RANK[new.severity]
        for shown in list(self._notifications):
            if NOTICE_RANK[shown.severity] <= rank:
                self._unnotify(shown, refresh=False)
        self._notifications.add(new)
        if message.sticky:
            self._sticky.add(new.identity)
        self._refresh_notifications()

    def _screen_changed(self, screen: Screen) -> None:
        # A dialog opened on a note ("finished and sealed: reopen it to change it") is
        # the answer to it: the note would sit on the dialog's question at 80×24. And
        # what a dialog said ("Write the conclusion first") goes with it.
        dialog = isinstance(screen, ModalScreen)
        if dialog or self._in_dialog:
            for shown in list(self._notifications):
                if shown.identity not in self._sticky:
                    self._unnotify(shown, refresh=False)
            self._refresh_notifications()
        self._in_dialog = dialog

    def _first_screen(self) -> Screen:
        if self.writer is not None:
            return self._walkthrough(self.writer)
        if self.start_with_form is not None:
            from auditui.tui.screens.new_session import NewSessionScreen

            checklist, given, auditee, title = self.start_with_form
            return NewSessionScreen(
                checklist,
                self.store,
                auditor=given or self.store.last_auditor(),
                auditee=auditee,
                title=title,
                scope=self.start_scope,
                language=self.start_language,
                auditor_given=bool(given),
            )
        return self._home()

    def _home(self) -> Screen:
        from auditui.tui.screens.home import HomeScreen

        return HomeScreen(self.store, self.locations)

    def _walkthrough(self, writer: SessionWriter, item_id: str | None = None) -> Screen:
        # Last time's session is looked for beside the session: in the sessions folder,
        # or in the folder of a file `auditui resume PATH` opened elsewhere.
        from auditui.tui.screens.walkthrough import WalkthroughScreen  # not for home's start

        store = self.store
        if writer.path.parent != store.folder:
            store = SessionStore(writer.path.parent)
        self.last_walked = writer.session.id
        return WalkthroughScreen(
            writer, store, self.locations, at_item=item_id, exit_notices=self.exit_notices
        )

    def _go_home(self) -> None:
        """Back to the screen below (home, or the view the session was opened from), or to
        a new home screen when the app opened on this one."""
        if len(self.screen_stack) > 1:
            self.pop_screen()
            return
        self._replace(self._home())

    # -- moving between screens ------------------------------------------------
    # A notice is about the screen it was given on: a full screen that comes or goes
    # takes the notices with it (a dialog opening or closing does not).

    def push_screen(self, screen, *args, **kwargs):
        if not isinstance(screen, ModalScreen):
            self.clear_notifications()
        return super().push_screen(screen, *args, **kwargs)

    def switch_screen(self, screen):
        if not isinstance(screen, ModalScreen):
            self.clear_notifications()
        return super().switch_screen(screen)

    def pop_screen(self):
        if not isinstance(self.screen, ModalScreen):
            self.clear_notifications()
        return super().pop_screen()

    def _replace(self, screen: Screen) -> None:
        """`screen` in place of the current one (a full screen, not a dialog)."""
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self._replace_bottom(screen)

    def _replace_bottom(self, screen: Screen) -> None:
        """`screen` in place of the one screen there is, as the first of a new mode; the
        old mode goes, and its screen with it. (`switch_screen` cannot replace a bottom
        screen: it takes a result callback off it, and Textual gives a bottom screen
        none, Textualize/textual#2650.)"""
        self.clear_notifications()
        old = self.current_mode
        self._bottoms += 1
        mode = f"{FIRST_MODE}-{self._bottoms}"
        self.add_mode(mode, lambda: screen)
        self.switch_mode(mode)
        self.remove_mode(old)

    # -- what screens ask (tui/messages.py) -----------------------------------------

    @on(messages.OpenNewSessionForm)
    def _open_form(self, message: messages.OpenNewSessionForm) -> None:
        from auditui.tui.screens.new_session import NewSessionScreen

        self._form_only = False
        auditor = self.store.last_auditor()
        self.push_screen(NewSessionScreen(message.checklist, self.store, auditor=auditor))

    @on(messages.CancelNewSession)
    def _cancel_form(self) -> None:
        if self._form_only:
            self.exit(0)
        else:
            self._go_home()

    @on(messages.StartSession)
    def _start(self, message: messages.StartSession) -> None:
        try:
            writer = self.store.create(
                message.checklist,
                auditor=message.auditor,
                auditee=message.auditee,
                title=message.title,
                scope=message.scope,
                language=message.language,
            )
        except AudituiError as error:
            self.notify(str(error), severity="error", markup=False, timeout=10)
            return
        self._form_only = False
        self.writer = writer
        self._replace(self._walkthrough(writer))

    @on(messages.ResumeSession)
    def _resume(self, message: messages.ResumeSession) -> None:
        try:
            self.resume_session(message.reference, message.item_id)
        except AudituiError as error:
            self.notify(str(error), severity="error", markup=False, timeout=8)

    def resume_session(self, reference: str, item_id: str | None = None) -> None:
        """Open a saved session, on `item_id` when given (raises `AudituiError` if it is
        locked or unreadable)."""
        if self.writer is not None:
            self._close_writer()
        self.writer = self.store.open(reference, read_only_ok=True)
        self.push_screen(self._walkthrough(self.writer, item_id))

    @on(messages.CloseSession)
    def _close_session(self) -> None:
        if self._close_writer():
            self._go_home()

    # -- compare, trend, findings: one such view at a time, over the home screen -----

    def _show_history(self, screen: HistoryScreen) -> None:
        from auditui.tui.screens.history import HistoryScreen

        if isinstance(self.screen, HistoryScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    @on(messages.OpenCompare)
    def _compare(self, message: messages.OpenCompare) -> None:
        self.open_compare(
            message.checklist_id, message.title, old_id=message.old_id, new_id=message.new_id
        )

    @on(messages.OpenTrend)
    def _trend(self, message: messages.OpenTrend) -> None:
        self.open_trend(message.checklist_id, message.title)

    @on(messages.OpenFindings)
    def _findings(self, message: messages.OpenFindings) -> None:
        self.open_findings(message.view, message.checklist_id, message.edit)

    def open_compare(
        self,
        checklist_id: str,
        title: str = "",
        *,
        old_id: str | None = None,
        new_id: str | None = None,
    ) -> None:
        from auditui.tui.screens.compare import CompareScreen

        self._show_history(
            CompareScreen(self.store, checklist_id, title, old_id=old_id, new_id=new_id)
        )

    def open_trend(self, checklist_id: str, title: str = "") -> None:
        from auditui.tui.screens.trend import TrendScreen

        self._show_history(TrendScreen(self.store, checklist_id, title))

    def open_findings(
        self,
        view: str = "open",
        checklist_id: str | None = None,
        edit: tuple[str, str] | None = None,
    ) -> None:
        from auditui.tui.screens.findings import FindingsScreen

        self._show_history(
            FindingsScreen(self.store, view, checklist_id, self.unsaved_actions, edit=edit)
        )

    def _close_writer(self, *, fold: bool = True) -> bool:
        """Close the session open here: every change saved, the journal folded into the
        file. Without `fold`, only saved and closed to changes: the writer is left in
        `to_fold` for the command that ran the app, once the terminal is back."""
        if self.writer is None:
            return True
        self._save_open_drafts()
        self.closed_session_file = self.writer.path
        try:
            if fold:
                self.writer.close()
            else:
                self.writer.flush()
                self.writer.stop_changes()
                self.to_fold = self.writer
        except AudituiError as error:
            self.notify(f"Still not saved: {error}", severity="error", markup=False, timeout=10)
            return False
        self.writer = None
        return True

    def on_key(self, event: events.Key) -> None:
        """Esc and a key typed at once reach the app as `alt+` that key (how a terminal
        sends alt), which no screen binds: taken as the two keys they were (esc then q
        on the walkthrough quits). The note editor does the same for itself."""
        from auditui.tui.screens.dialogs import after_escape

        typed = after_escape(event.key)
        if typed is None:
            return
        event.stop()
        self.put_back_keys(events.Key("escape", "\x1b"), events.Key(typed, typed))

    def _save_open_drafts(self) -> None:
        """A note being typed when the session closes (ctrl+q in the editor) is saved, not
        left to a draft timer that would never fire."""
        from auditui.tui.screens.dialog import DraftedDialog
        from auditui.tui.screens.dialogs import NoteEditor

        for screen in self.screen_stack:
            if isinstance(screen, NoteEditor | DraftedDialog) and screen.is_mounted:
                screen.save_draft_now()

    # -- quitting ---------------------------------------------------------------

    def exit(self, *args, **kwargs) -> None:
        """Every way out (ctrl+q, the palette, an error) passes here while the screens
        are still up: the note being typed goes to the session, and a corrective action
        being typed to its draft (with no session open: the register from home), before
        they go."""
        self._save_open_drafts()
        super().exit(*args, **kwargs)

    def on_unmount(self) -> None:
        """However the app ends, fold the journal and let go of the lock (best effort:
        a mark that cannot be saved now is still in the journal or was reported)."""
        if self.writer is not None:
            self.closed_session_file = self.writer.path
            try:
                self.writer.close()
            except AudituiError:
                self.writer.abandon()
            self.writer = None

    def _typed_not_kept(self) -> list[str]:
        """What was typed and is in memory only (its save refused: a full disk, a folder
        that cannot be written), written now as drafts where it can be; what still cannot
        be, named. Quitting asks before dropping it, as it does for marks."""
        from auditui.action_drafts import as_typed, save_draft
        from auditui.tui.screens.finishing import FinishingActions

        lost = []
        for finding_id, changes in self.unsaved_actions.items():
            if not save_draft(self.store.folder, finding_id, as_typed(changes), was={}):
                lost.append(f"the corrective action of {finding_id}")
        for screen in self.screen_stack:
            if isinstance(screen, FinishingActions) and not screen.keep_finish_draft():
                lost.append("the conclusion typed in the finish dialog")
        return lost

    async def action_quit(self) -> None:
        lost = self._typed_not_kept()
        if not lost:
            self._quit()
            return

        def answered(drop: bool | None) -> None:
            if drop:
                self._quit()

        from auditui.tui.screens.dialogs import Confirm

        what = " and ".join(lost)
        self.push_screen(
            Confirm(f"{what[0].upper()}{what[1:]} could not be saved (see the message at the "
                    "top). Quit anyway and lose it?"), answered)  # fmt: skip

    def _quit(self) -> None:
        if self._close_writer(fold=not self.fold_after_exit):
            self.exit(0)
            return

        def answered(drop: bool | None) -> None:
            if not drop:
                return
            # Room may have come back while the question was up: what can be saved now is.
            if self._close_writer(fold=not self.fold_after_exit):
                self.exit(0)
                return
            if self.writer is not None:
                self.writer.abandon()
                self.writer = None
                self.exit(1)

        from auditui.tui.screens.dialogs import Confirm

        self.push_screen(
            Confirm(
                "Some marks could not be saved (see the message at the top). "
                "Quit anyway and lose them?"
            ),
            answered,
        )

    # -- command palette ----------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's theme and quit commands, then those of the screen the palette was
        opened on. Textual's others are left out: its key panel is not closed by esc (and
        `?` shows this app's keys), and maximize and an SVG screenshot are no help here."""
        for command in super().get_system_commands(screen):
            if command.title in TEXTUAL_COMMANDS_KEPT:
                yield command
        if isinstance(screen, HasPaletteCommands):
            yield from screen.palette_commands()
