"""Commit messages in audit words: who did what to which audit, not which files changed.

"Mai: internal audit 2026-12-04, 42 marks; finding 2026-12-04-0930-…/8.4.1-b: action
done". The first line stays short (long lists become counts); the body lists every
session and finding with what changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from auditui.sync.kinds import kind_of
from auditui.textwidth import plural, printable
from auditui.vocabulary import Result, Status, status_of

OUT_OF_SCOPE = Result.OUT_OF_SCOPE.value
"""How a session file writes an item outside its scope (SPEC: `out-of-scope`)."""

FIRST_LINE = 160


@dataclass(frozen=True)
class Change:
    """One file as it was in the last commit (None: new) and as it is now (None: gone),
    parsed where it is a session or a findings record."""

    path: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _answers(document: dict[str, Any] | None) -> dict[Any, tuple]:
    if not document:
        return {}
    # An item left out of the scope is not answered: widening or narrowing the scope
    # is not a mark.
    return {
        r.get("item_id"): (
            "unanswered" if r.get("result") == OUT_OF_SCOPE else r.get("result", "unanswered"),
            r.get("note", ""),
            r.get("grade"),
        )
        for r in document.get("results", [])
        if isinstance(r, dict)
    }


def marked_items(change: Change) -> list[Any]:
    """The items whose answer (result, note, grade) is not what it was."""
    before, after = _answers(change.before), _answers(change.after)
    blank = ("unanswered", "", None)
    return [item for item, answer in after.items() if answer != before.get(item, blank)]


def _marks(change: Change) -> int:
    return len(marked_items(change))


def _attachments(document: dict[str, Any] | None) -> dict[Any, list[Any]]:
    """Each item's evidence files, by where each copy is kept (a file's `file`)."""
    return {
        r.get("item_id"): [
            a.get("file") if isinstance(a, dict) else a for a in r.get("attachments", [])
        ]
        for r in (document or {}).get("results", [])
        if isinstance(r, dict)
    }


def _evidence_changed(change: Change) -> int:
    """Items whose evidence files are not what they were."""
    before, after = _attachments(change.before), _attachments(change.after)
    return sum(1 for item, files in after.items() if files != before.get(item, []))


def _session_words(change: Change) -> str:
    """`internal audit 2026-12-04 "Moulding line 2", 42 marks, finished`: the session by
    its kind, day and title (else the time it started: sessions of one day apart), and
    what changed."""
    document = change.after or change.before or {}
    head = document.get("session", {})
    kind = str(head.get("kind") or "audit").replace("-", " ")
    started = head.get("started")
    title = str(head.get("title") or "").strip()
    if not hasattr(started, "strftime"):
        words = f"{kind} {head.get('id') or PurePosixPath(change.path).stem}"
    elif title:
        words = f'{kind} {started:%Y-%m-%d} "{printable(title)}"'
    else:
        words = f"{kind} {started:%Y-%m-%d %H:%M}"
    if change.after is None:
        return f"{words} removed ({PurePosixPath(change.path).stem})"
    marks = _marks(change)
    parts = [words + (" started" if change.before is None else "")]
    if marks:
        parts.append(f"{marks} mark{'s' if marks != 1 else ''}")
    evidence = _evidence_changed(change)
    if evidence:
        parts.append(f"evidence of {plural(evidence, 'item')}")
    step = _finishing(change)
    if step:
        parts.append(step)
    if len(parts) == 1 and change.before is not None:
        parts.append("details")
    return ", ".join(parts)


def _finishing(change: Change) -> str:
    """"finished", "reopened", "reopened and finished again", or "": what happened to
    the session's sign-off since the last sync (a reopening leaves its record)."""
    head = (change.after or {}).get("session", {})
    was = (change.before or {}).get("session", {})
    reopenings = len(head.get("reopened") or []) - len(was.get("reopened") or [])
    if "finished" in head and ("finished" not in was or reopenings > 0):
        return "reopened and finished again" if "finished" in was else "finished"
    if "finished" in was and "finished" not in head or reopenings > 0:
        return "reopened"
    return ""


def _finding_words(change: Change) -> str:
    after = (change.after or {}).get("finding", {})
    before = (change.before or {}).get("finding", {})
    name = after.get("id") or before.get("id") or PurePosixPath(change.path).stem
    if change.after is None:
        return f"finding {name}: record removed"
    said = []
    if after.get("closed") and not before.get("closed"):
        said.append("closed")
    if after.get("status") != before.get("status") and after.get("status"):
        known = status_of(after["status"])
        if known is not None and known is not Status.CLOSED:
            said.append(known.change)
        else:
            said.append(f"status {after['status']}")
    for key in ("owner", "due", "cause", "correction", "action"):
        if after.get(key) != before.get(key):
            said.append(f"{key} set" if after.get(key) is not None else f"{key} cleared")
    return f"finding {name}: {', '.join(said) or 'changed'}"


def describe(author: str, changes: list[Change]) -> str:
    """The whole commit message for this laptop's changes."""
    sessions = [c for c in changes if kind_of(c.path) == "session"]
    findings = [c for c in changes if kind_of(c.path) == "finding"]
    others = [c for c in changes if kind_of(c.path) in ("other",)]
    evidence = [c for c in others if PurePosixPath(c.path).parts[0] == "evidence"]
    others = [c for c in others if c not in evidence]
    lines = [_session_words(c) for c in sessions] + [_finding_words(c) for c in findings]
    if evidence:
        lines.append(plural(len(evidence), "evidence file"))
    if others:
        lines.append(plural(len(others), "other file"))
    if not lines:
        changed = any(c.path == ".gitignore" and c.before is not None for c in changes)
        lines.append("the folder's .gitignore updated" if changed else "the sessions folder "
                     "set up for sync")  # fmt: skip
    first = f"{author}: " + "; ".join(lines)
    if len(first) > FIRST_LINE:
        counted = []
        gone = [c for c in sessions if c.after is None]
        sessions = [c for c in sessions if c.after is not None]
        if sessions:
            marks = sum(_marks(c) for c in sessions)
            steps = [step for step in map(_finishing, sessions) if step]
            within = [plural(marks, "mark")]
            within += [f"{steps.count(step)} {step}" for step in sorted(set(steps))]
            counted.append(f"{plural(len(sessions), 'session')} ({', '.join(within)})")
        if gone:
            counted.append(f"{plural(len(gone), 'session')} removed")
        if findings:
            counted.append(plural(len(findings), "finding"))
        if evidence:
            counted.append(plural(len(evidence), "evidence file"))
        if others:
            counted.append(plural(len(others), "other file"))
        first = f"{author}: " + ", ".join(counted)
        return first + "\n\n" + "\n".join(f"- {line}" for line in lines) + "\n"
    return first + "\n"
