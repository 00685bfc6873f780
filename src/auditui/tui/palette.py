"""Command palette entries: each screen offers its own.

A screen with commands of its own defines `palette_commands()`; the app's
`get_system_commands` adds them to Textual's, for the screen the palette was opened
on. A command that leaves the screen posts a message (tui/messages.py), as the
screen's keys do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol, runtime_checkable

from textual.app import SystemCommand
from textual.content import Content
from textual.markup import escape
from textual.message import Message
from textual.screen import Screen

from auditui.session import Session
from auditui.session_index import Digest
from auditui.textwidth import plural, printable
from auditui.tui.messages import OpenCompare, OpenFindings, OpenTrend


@runtime_checkable
class HasPaletteCommands(Protocol):
    def palette_commands(self) -> Iterable[SystemCommand]:
        """This screen's entries in the command palette (asked on every key typed in it)."""
        ...


def palette_text(text: str) -> str:
    """User text for a command palette entry, which Textual reads as markup: escaped so
    it shows literally (brackets become parentheses where escaping cannot do it)."""
    text = printable(text)
    escaped = escape(text)
    if Content.from_markup(escaped).plain == text:
        return escaped
    return text.replace("[", "(").replace("]", ")")


def posting(screen: Screen, message: Callable[..., Message], *args: Any, **kwargs: Any):
    """A palette callback that posts `message(*args, **kwargs)` from `screen` (it
    bubbles to the app): made when the command is chosen, so each is posted once."""
    return lambda: screen.post_message(message(*args, **kwargs))


FINDINGS_VIEWS = (
    ("open", "Open findings", "majors first, then oldest first, with their corrective actions"),
    ("overdue", "Overdue findings", "past their due date, not done"),
    ("mine", "My open findings", "owned by the auditor of the latest session"),
)


def audit_counts(sessions: Iterable[Session | Digest]) -> dict[str, int]:
    """Audits per checklist id, as compare and trend count them: the parts of a merged
    audit once, in their merge."""
    sessions = list(sessions)
    merged_away = {joined for session in sessions for joined in session.merged_from}
    counts: dict[str, int] = {}
    for session in sessions:
        if session.id not in merged_away:
            counts[session.checklist_id] = counts.get(session.checklist_id, 0) + 1
    return counts


def history_commands(
    screen: Screen, sessions: Iterable[Session | Digest], titles: dict[str, str] | None = None
) -> Iterable[SystemCommand]:
    """The findings register, and compare and trend of each checklist that has sessions.
    `sessions` newest first (the latest title of a checklist wins); `titles` are the
    checklists' own titles, by id, where known."""
    for view, name, words in FINDINGS_VIEWS:
        yield SystemCommand(
            name, f"The findings register: {words}", posting(screen, OpenFindings, view)
        )
    titles = dict(titles or {})
    sessions = list(sessions)
    for session in sessions:
        titles.setdefault(session.checklist_id, session.checklist_title)
    counts = audit_counts(sessions)
    for checklist_id, count in counts.items():
        title = titles.get(checklist_id) or checklist_id
        name, ident = palette_text(title), palette_text(checklist_id)
        if count >= 2:
            yield SystemCommand(
                f"Compare the latest two sessions of {name}",
                f"{ident}: what changed since the audit before",
                posting(screen, OpenCompare, checklist_id, title),
            )
        yield SystemCommand(
            f"Findings of {name}",
            f"{ident}: its open findings",
            posting(screen, OpenFindings, "open", checklist_id),
        )
        yield SystemCommand(
            f"Trend of {name}",
            f"{ident}: the score of its {plural(count, 'session')} over time",
            posting(screen, OpenTrend, checklist_id, title),
        )
