"""What is typed in the finish dialog (conclusion, names signing), kept on disk while the
dialog is open.

The session takes its conclusion only when it is finished and sealed (a conclusion in an
unfinished file reads as a seal taken out by hand), so a conclusion being typed lived in
memory only: a crash or a power cut lost it. A moment after each change it goes to a
draft beside the session, `<session id>.finish.draft`; finishing removes it, and the next
finish dialog of that session offers what it holds. Never shared: sync ignores `*.draft`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

SUFFIX = ".finish.draft"


def draft_path(session_path: Path) -> Path:
    return session_path.with_name(session_path.stem + SUFFIX)


def save_draft(session_path: Path, conclusion: str, signers: list[str]) -> bool:
    """Keep what the dialog holds; False when it could not be written (a full disk: the
    dialog is still open, nothing is lost yet)."""
    from auditui.errors import AudituiError
    from auditui.tomlio import atomic_write

    document = {"conclusion": conclusion, "signers": signers}
    try:
        atomic_write(draft_path(session_path), json.dumps(document, ensure_ascii=False).encode())
    except (AudituiError, OSError):
        return False
    return True


def load_draft(session_path: Path) -> tuple[str, list[str]] | None:
    """The conclusion and signers' lines kept, None when there is no draft (or it does
    not read: a draft is a convenience, never a reason to refuse finishing)."""
    try:
        document = json.loads(draft_path(session_path).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict):
        return None
    conclusion, signers = document.get("conclusion"), document.get("signers")
    if not isinstance(conclusion, str) or not isinstance(signers, list):
        return None
    names = [name for name in signers if isinstance(name, str)]
    return (conclusion, names) if conclusion.strip() or any(n.strip() for n in names) else None


def drop_draft(session_path: Path) -> None:
    try:
        draft_path(session_path).unlink(missing_ok=True)
    except OSError:
        pass


def follow_rename(sessions_dir: Path, old_id: str, new_id: str) -> None:
    """A session given a new id (sync: another laptop had one with this id): its draft
    goes with it, never offered for the other laptop's session that keeps the id."""
    old = draft_path(sessions_dir / f"{old_id}.toml")
    try:
        if old.exists():
            os.replace(old, draft_path(sessions_dir / f"{new_id}.toml"))
    except OSError:
        drop_draft(sessions_dir / f"{old_id}.toml")
