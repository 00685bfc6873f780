"""The sessions as commands and screens see them: one interface, whatever stores them.

`SessionRepository` is every call the headless commands (through `Context.store`) and
the terminal app (through `AuditApp.store`) make on the sessions, and nothing more: a
second storage backend implements these methods and `open_repository` picks it. The
file store (`store.SessionStore`: one TOML file per session, with its journal and
lock) is the one implementation today.

Whatever changes a session on disk says so afterwards to the hooks registered with
`on_saved`, with a `Saved` naming the session, its file and what happened, so that
what keeps something derived from the sessions (an index, a sync queue) can follow.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

if TYPE_CHECKING:
    from auditui.checklist import Checklist
    from auditui.paths import Locations
    from auditui.session import Session
    from auditui.session_index import Digest
    from auditui.store import Glimpse, Head, SessionWriter, Unreadable

Change = Literal["created", "saved", "closed", "imported", "deleted"]
"""What happened to a session: started (`create`, `add`), a change written (a mark, a
snapshot, finishing, reopening), its writer closed, brought in by `import`, or moved
to the trash."""


@dataclass(frozen=True)
class Saved:
    """A session changed on disk: which one, its file (for a deleted one, where it was
    before it went to the trash) and how."""

    session_id: str
    path: Path
    change: Change


SavedHook = Callable[[Saved], None]
"""Called after the change is on disk. It must not raise: what it raises reaches the
caller of the save, whose change is already saved."""


@runtime_checkable
class SessionRepository(Protocol):
    """The sessions of one audit programme: listed, read, started, changed, imported,
    deleted. A session is named by its id, a unique prefix of one, or a path."""

    @property
    def folder(self) -> Path:
        """Where the sessions live; the findings' corrective actions are kept in it too
        (`finding_records.py`), and messages name it."""
        ...

    def path_for(self, session_id: str) -> Path:
        """The file the session with this id is (or would be) saved in."""
        ...

    def heads(self, on_error: Callable[[Unreadable], None] | None = None) -> list[Head]:
        """Id, checklist and start of every session that counts, without the items."""
        ...

    def iter_heads(self, on_error: Callable[[Unreadable], None] | None = None) -> Iterator[Head]:
        """What `heads` gives, one at a time, sessions merged into another one included."""
        ...

    def list_sessions(
        self,
        on_error: Callable[[Unreadable], None] | None = None,
        *,
        include_future: bool = False,
        include_merged: bool = False,
    ) -> list[Session]:
        """Every session that counts, oldest first."""
        ...

    def iter_sessions(
        self,
        on_error: Callable[[Unreadable], None] | None = None,
        *,
        include_future: bool = False,
    ) -> Iterator[Session]:
        """Every readable session, one at a time (merged ones too)."""
        ...

    def digests(
        self,
        on_error: Callable[[Unreadable], None] | None = None,
        *,
        include_future: bool = False,
    ) -> Iterator[tuple[Path, Digest]]:
        """What `iter_sessions` gives, as a `Digest` (head, counts, judged items) of each
        session with its file: what lists and the findings register need."""
        ...

    def digests_of(
        self, heads: Iterable[Head], on_error: Callable[[Unreadable], None] | None = None
    ) -> Iterator[tuple[Path, Digest]]:
        """The digest of each session `heads` came from, in their order."""
        ...

    def newest_digests(self, most: int, seconds: float) -> Glimpse:
        """A first look at the newest sessions (at most `most`, read for at most
        `seconds`), for a screen to show while `digests` reads a long history."""
        ...

    def resolve(self, reference: str) -> Path:
        """The file of the session named by `reference`; `AudituiError` if none."""
        ...

    def load(self, reference: str) -> Session:
        """The session named by `reference`, as last saved."""
        ...

    def previous(
        self,
        session: Session,
        sessions: list[Session] | None = None,
        *,
        overlapping: bool = False,
        on_error: Callable[[str], None] | None = None,
    ) -> Session | None:
        """The most recent earlier session of the same checklist (with `overlapping`, that
        audited a section `session` audits); one passed over unread is told to `on_error`."""
        ...

    def merged_into(self, session_id: str) -> str | None:
        """The session `merge` joined `session_id` into, if any: the part takes no changes."""
        ...

    def latest(
        self,
        accept: Callable[[Head | Session], bool],
        on_error: Callable[[str], None] | None = None,
    ) -> Session | None:
        """The latest readable session that `accept` takes (one unread told to `on_error`)."""
        ...

    def last_auditor(self) -> str:
        """The auditor of the most recently started session ("" when none)."""
        ...

    def create(
        self,
        checklist: Checklist,
        *,
        auditor: str = "",
        auditee: str = "",
        title: str = "",
        started: datetime | None = None,
        scope: Collection[str] = (),
        language: str = "",
    ) -> SessionWriter:
        """Start a new session, saved at once and open for changes (locked)."""
        ...

    def add(self, build: Callable[[str], Session], checklist_id: str, started: datetime) -> Session:
        """Save a session made elsewhere (`merge`) under a fresh id: `build` makes it
        for the id offered."""
        ...

    def open(self, reference: str, *, read_only_ok: bool = False) -> SessionWriter:
        """A saved session open for changes; refused while another program has it.
        `read_only_ok`: where it cannot be written, open to be read (`writer.read_only`)."""
        ...

    def import_file(self, source: Path, on_notice: Callable[[str], None] | None = None) -> Session:
        """Add an exported session; an id already here is refused."""
        ...

    def delete(self, session_id: str) -> Path:
        """Move a session to the trash (never erased); where it went."""
        ...

    def on_saved(self, hook: SavedHook) -> None:
        """Call `hook` after every change to a session made through this repository or
        a writer it opened."""
        ...


def open_repository(locations: Locations) -> SessionRepository:
    """The repository of the sessions folder in `locations`: the one place a storage
    backend is chosen (built once per command, or once per app)."""
    from auditui.store import SessionStore

    return SessionStore(locations.sessions_dir)
