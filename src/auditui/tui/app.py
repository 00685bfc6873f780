"""The auditui terminal app: home, new session, walkthrough, help.

The app owns at most one open `SessionWriter` (and so one session lock) at a
time. Quitting, from anywhere, folds the session's journal into its file and
releases the lock; if a change could not be saved, it asks before dropping it.
"""

from __future__ import annotations

import sys
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.markup import escape
from textual.screen import ModalScreen, Screen

from auditui.errors import AudituiError
from auditui.paths import Locations
from auditui.repository import SessionRepository, open_repository
from auditui.store import SessionWriter
from auditui.textwidth import printable
from auditui.tui.keyhelp import QUIT_HELP
from auditui.tui.screens.walkthrough import FILTER_WORDS, WalkthroughScreen

# Only the first screen is imported up front (the walkthrough, for `auditui resume`):
# the others, and their widgets, load when they first open.
if TYPE_CHECKING:
    from auditui.checklist import Checklist
    from auditui.tui.screens.compare import HistoryScreen


def _is(screen: Screen | None, module: str, name: str) -> bool:
    """`isinstance(screen, module.name)`, without importing a module no screen came from."""
    loaded = sys.modules.get(f"auditui.tui.screens.{module}")
    return loaded is not None and isinstance(screen, getattr(loaded, name))


def palette_text(text: str) -> str:
    """User text for a command palette entry, which Textual reads as markup: escaped so
    it shows literally (brackets become parentheses where escaping cannot do it)."""
    text = printable(text)
    escaped = escape(text)
    if Content.from_markup(escaped).plain == text:
        return escaped
    return text.replace("[", "(").replace("]", ")")


class AuditApp(App[int]):
    TITLE = "auditui"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True, show=False, tooltip=QUIT_HELP)]

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
        self.locations = locations
        self.store: SessionRepository = store if store is not None else open_repository(locations)
        """The sessions, for every screen: the command that opened the app built it."""
        self.writer = writer
        self.start_with_form = new_session
        self.start_scope = list(scope)
        """The sections `run --scope` chose, offered by the form."""
        self._form_only = new_session is not None
        self.start_language = language
        self.exit_notices: list[str] = []
        """Printed on the terminal when the app ends (a session file replaced meanwhile)."""

    def get_default_screen(self) -> Screen:
        """The first screen is the bottom of the stack itself, not pushed over Textual's
        blank default one: start-up lays out and draws one screen, not two. Opened on a
        session or the form, the home screen is made only when it is first needed (see
        `_go_home`)."""
        screen = self._first_screen()
        # Textual's `switch_screen` takes a result callback off the screen it replaces,
        # and gives the default screen none (Textualize/textual#2650): without one,
        # leaving a session the app opened on for home would fail.
        screen._push_result_callback(self, None)
        return screen

    def _first_screen(self) -> Screen:
        if self.writer is not None:
            return WalkthroughScreen(self.writer)
        if self.start_with_form is not None:
            from auditui.tui.screens.new_session import NewSessionScreen

            checklist, auditor, auditee, title = self.start_with_form
            auditor = auditor or self.store.last_auditor()
            return NewSessionScreen(
                checklist,
                auditor=auditor,
                auditee=auditee,
                title=title,
                scope=self.start_scope,
                language=self.start_language,
            )
        from auditui.tui.screens.home import HomeScreen

        return HomeScreen()

    def _go_home(self) -> None:
        """Back to the screen below (home, or the view the session was opened from), or to
        a new home screen when the app opened on this one."""
        if len(self.screen_stack) > 1:
            self.pop_screen()
            return
        from auditui.tui.screens.home import HomeScreen

        self.switch_screen(HomeScreen())

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


    def new_session_form(self, checklist: Checklist) -> None:
        from auditui.tui.screens.new_session import NewSessionScreen

        self._form_only = False
        self.push_screen(NewSessionScreen(checklist, auditor=self.store.last_auditor()))

    def cancel_new_session(self) -> None:
        if self._form_only:
            self.exit(0)
        else:
            self._go_home()

    def start_session(
        self,
        checklist: Checklist,
        *,
        auditor: str,
        auditee: str,
        title: str,
        scope: Collection[str] = (),
        language: str = "",
    ) -> None:
        try:
            writer = self.store.create(
                checklist,
                auditor=auditor,
                auditee=auditee,
                title=title,
                scope=scope,
                language=language,
            )
        except AudituiError as error:
            self.notify(str(error), severity="error", markup=False, timeout=10)
            return
        self._form_only = False
        self.writer = writer
        self.switch_screen(WalkthroughScreen(writer))

    def resume_session(self, reference: str) -> None:
        """Open a saved session (raises `AudituiError` if it is locked or unreadable)."""
        if self.writer is not None:
            self._close_writer()
        self.writer = self.store.open(reference)
        self.push_screen(WalkthroughScreen(self.writer))

    def resume_session_at(self, reference: str, item_id: str) -> None:
        """Open a saved session on one item (raises `AudituiError` like `resume_session`)."""
        self.resume_session(reference)
        screen = self.screen
        if not isinstance(screen, WalkthroughScreen) or item_id not in screen.session.index:
            return
        index = screen.session.index[item_id]

        def move() -> None:
            if screen.is_attached:
                screen.items.move_to_record(index)

        # After the walkthrough's own on_mount, which puts it on the first unanswered item.
        screen.call_after_refresh(move)

    # -- compare, trend, findings: one such view at a time, over the home screen -----

    def _show_history(self, screen: HistoryScreen) -> None:
        if _is(self.screen, "compare", "HistoryScreen"):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def open_compare(
        self,
        checklist_id: str,
        title: str = "",
        *,
        old_id: str | None = None,
        new_id: str | None = None,
    ) -> None:
        from auditui.tui.screens.compare import CompareScreen

        self._show_history(CompareScreen(checklist_id, title, old_id=old_id, new_id=new_id))

    def open_trend(self, checklist_id: str, title: str = "") -> None:
        from auditui.tui.screens.trend import TrendScreen

        self._show_history(TrendScreen(checklist_id, title))

    def open_findings(self, view: str = "open", checklist_id: str | None = None) -> None:
        from auditui.tui.screens.findings import FindingsScreen

        self._show_history(FindingsScreen(view, checklist_id))

    def close_session_and_go_home(self) -> None:
        if self._close_writer():
            self._go_home()

    def _close_writer(self) -> bool:
        if self.writer is None:
            return True
        try:
            self.writer.close()
        except AudituiError as error:
            self.notify(f"Still not saved: {error}", severity="error", markup=False, timeout=10)
            return False
        self.writer = None
        return True

    # -- quitting ---------------------------------------------------------------

    def on_unmount(self) -> None:
        """However the app ends, fold the journal and let go of the lock (best effort:
        a mark that cannot be saved now is still in the journal or was reported)."""
        if self.writer is not None:
            try:
                self.writer.close()
            except AudituiError:
                self.writer.abandon()
            self.writer = None

    async def action_quit(self) -> None:
        if self._close_writer():
            self.exit(0)
            return

        def answered(drop: bool | None) -> None:
            if drop and self.writer is not None:
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
        yield from super().get_system_commands(screen)
        if _is(screen, "home", "HomeScreen"):
            from auditui.tui.screens.home import FINISHED_MARK, SESSION_COLUMNS

            for checklist in screen.checklists:
                yield SystemCommand(
                    f"Start: {palette_text(checklist.title)}",
                    f"New session of {palette_text(checklist.id)}",
                    lambda c=checklist: self.new_session_form(c),
                )
            # The palette asks for these on every key typed into it: the progress is
            # taken from home's rows, counted once per reload.
            for session, row in zip(screen.sessions, screen.session_rows, strict=True):
                label = palette_text(session.display_title)
                progress = row[SESSION_COLUMNS.index("Progress")].removesuffix(FINISHED_MARK)
                if session.is_finished:
                    progress += " answered, finished"
                else:
                    progress += " answered"
                yield SystemCommand(
                    f"Resume: {label} {session.started:%Y-%m-%d}",
                    f"{palette_text(session.auditee)} — {progress}",
                    lambda s=session.id: self._resume_from_palette(s),
                )
        if _is(screen, "home", "HomeScreen"):
            yield SystemCommand(
                "Sync", "Share the sessions folder with other laptops (git)", screen.action_sync
            )
        if _is(screen, "home", "HomeScreen") or _is(screen, "compare", "HistoryScreen"):
            yield from self._history_commands()
        if isinstance(screen, WalkthroughScreen):
            for name, words in [("all", "all items"), *FILTER_WORDS.items()]:
                yield SystemCommand(
                    f"Show {words}",
                    "Filter the list of items",
                    lambda n=name: screen.action_filter(n),
                )
            yield SystemCommand("Jump to a section", "Pick a section", screen.action_pick_section)
            yield SystemCommand("Find an item", "Search ids, prompts and notes", screen.action_find)
            yield SystemCommand("Next unanswered item", "", screen.action_next_unanswered)
            yield SystemCommand("Undo the last change", "", screen.action_undo)
            yield SystemCommand(
                "Edit session details", "Auditor, auditee, title", screen.action_edit_details
            )
            yield SystemCommand(
                "Attach evidence", "Copy photos or records into the session", screen.action_attach
            )
            yield SystemCommand("Open evidence", "System viewer", screen.action_open_evidence)
            yield SystemCommand("Detach evidence", "The copy is kept", screen.action_detach)
            if screen.session.is_finished:
                yield SystemCommand(
                    "Reopen this session",
                    "Take the finished session back into work (asks why; the seal is cleared)",
                    screen.action_reopen,
                )
            else:
                yield SystemCommand(
                    "Finish the audit",
                    "Conclusion and sign-off, then the results are sealed (ctrl+f)",
                    screen.action_finish,
                )
                if screen.session.scope:
                    yield SystemCommand(
                        "Widen scope",
                        "Audit more sections of the checklist in this session",
                        screen.action_widen_scope,
                    )

    def _history_commands(self) -> Iterable[SystemCommand]:
        """Compare and trend of each checklist that has sessions (as listed on home)."""
        home = next((s for s in self.screen_stack if _is(s, "home", "HomeScreen")), None)
        for view, name, words in (
            ("open", "Open findings", "worst first, with their corrective actions"),
            ("overdue", "Overdue findings", "past their due date, not done"),
            ("mine", "My open findings", "owned by the auditor of the latest session"),
        ):
            yield SystemCommand(
                name, f"The findings register: {words}", lambda v=view: self.open_findings(v)
            )
        if home is None:
            return
        titles = {checklist.id: checklist.title for checklist in home.checklists}
        counts: dict[str, int] = {}
        for session in home.sessions:  # newest first: the latest title wins
            counts[session.checklist_id] = counts.get(session.checklist_id, 0) + 1
            titles.setdefault(session.checklist_id, session.checklist_title)
        for checklist_id, count in counts.items():
            title = titles.get(checklist_id) or checklist_id
            name, ident = palette_text(title), palette_text(checklist_id)
            if count >= 2:
                yield SystemCommand(
                    f"Compare the latest two sessions of {name}",
                    f"{ident}: what changed since the audit before",
                    lambda c=checklist_id, t=title: self.open_compare(c, t),
                )
            yield SystemCommand(
                f"Findings of {name}",
                f"{ident}: its open findings",
                lambda c=checklist_id: self.open_findings("open", c),
            )
            yield SystemCommand(
                f"Trend of {name}",
                f"{ident}: the score of its {count} session(s) over time",
                lambda c=checklist_id, t=title: self.open_trend(c, t),
            )

    def _resume_from_palette(self, session_id: str) -> None:
        try:
            self.resume_session(session_id)
        except AudituiError as error:
            self.notify(str(error), severity="error", markup=False, timeout=8)
