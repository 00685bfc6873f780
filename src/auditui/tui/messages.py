"""What a screen asks the app to do: messages up, attributes down.

A screen never calls the app's methods to move between screens or to open and close
a session: it posts one of these (`self.post_message(OpenTrend(...))`), the message
bubbles from the screen to the app, and `AuditApp` handles it (`@on(...)`). What a
screen needs to read (the store, the folders) it is given when it is made.

A request that can fail (a session locked by another laptop) is answered by the app
with a notification; the screen that asked stays as it was.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from auditui.checklist import Checklist


class OpenNewSessionForm(Message):
    """Show the new-session form for `checklist`."""

    def __init__(self, checklist: Checklist) -> None:
        super().__init__()
        self.checklist = checklist


class CancelNewSession(Message):
    """The form was cancelled: back to home (or out, when the app opened on the form)."""


class StartSession(Message):
    """Create a session of `checklist` and walk through it in place of the form."""

    def __init__(
        self,
        checklist: Checklist,
        *,
        auditor: str,
        auditee: str,
        title: str,
        scope: Collection[str] = (),
        language: str = "",
    ) -> None:
        super().__init__()
        self.checklist = checklist
        self.auditor = auditor
        self.auditee = auditee
        self.title = title
        self.scope = list(scope)
        self.language = language


class ResumeSession(Message):
    """Open a saved session (by id or file), on `item_id` when given."""

    def __init__(self, reference: str, item_id: str | None = None) -> None:
        super().__init__()
        self.reference = reference
        self.item_id = item_id


class CloseSession(Message):
    """Save and close the open session, then back to home (or the view it came from)."""


class OpenCompare(Message):
    """Compare two sessions of a checklist (the latest two unless named)."""

    def __init__(
        self,
        checklist_id: str,
        title: str = "",
        *,
        old_id: str | None = None,
        new_id: str | None = None,
    ) -> None:
        super().__init__()
        self.checklist_id = checklist_id
        self.title = title
        self.old_id = old_id
        self.new_id = new_id


class OpenTrend(Message):
    """The scores of every session of a checklist over time."""

    def __init__(self, checklist_id: str, title: str = "") -> None:
        super().__init__()
        self.checklist_id = checklist_id
        self.title = title


class OpenFindings(Message):
    """The findings register: `view` is open, overdue, mine or all; one checklist or all."""

    def __init__(
        self,
        view: str = "open",
        checklist_id: str | None = None,
        edit: tuple[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.view = view
        self.checklist_id = checklist_id
        self.edit = edit
        """(session id, item id): open the action editor of that item's finding."""
