"""What is typed in the corrective-action editor, kept on disk while the editor is open.

A cause and an action are the longest text an auditor types; a crash or a power cut
while the editor was open lost all of it (the record is written on `ctrl+s` only, so that
`escape` can cancel). A moment after each change the fields changed so far go to a draft
beside the findings records, `<record>.toml.draft`; saving or cancelling removes it, and
the next opening of the editor for that finding offers what it holds. Never shared: sync
ignores `*.draft` and shares only `findings/*.toml`.
"""

from __future__ import annotations

import json
from pathlib import Path

from auditui.finding_records import STATUSES, FindingRecords

SUFFIX = ".draft"


def draft_path(sessions_dir: Path, finding_id: str) -> Path:
    record = FindingRecords(sessions_dir).path_for(finding_id)
    return record.with_name(record.name + SUFFIX)


def save_draft(sessions_dir: Path, finding_id: str, fields: dict[str, str]) -> bool:
    """Keep `fields` (name -> the text as typed) as the finding's draft; False when it
    could not be written (a full disk: the editor is still open, nothing is lost yet)."""
    from auditui.errors import AudituiError
    from auditui.tomlio import atomic_write

    path = draft_path(sessions_dir, finding_id)
    data = json.dumps({"finding": finding_id, "fields": fields}, ensure_ascii=False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data.encode("utf-8"))
    except (AudituiError, OSError):
        return False
    return True


def load_draft(sessions_dir: Path, finding_id: str) -> dict[str, str] | None:
    """The fields kept for the finding, None when there is no draft (or it does not read:
    a draft is a convenience, never a reason to refuse opening the editor)."""
    try:
        document = json.loads(draft_path(sessions_dir, finding_id).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("finding") != finding_id:
        return None
    fields = document.get("fields")
    if not isinstance(fields, dict):
        return None
    kept = {name: value for name, value in fields.items() if isinstance(value, str)}
    if kept.get("status", "open") not in {str(status) for status in STATUSES}:
        del kept["status"]  # not one the editor can show: the rest is offered
    return kept or None


def drop_draft(sessions_dir: Path, finding_id: str) -> None:
    try:
        draft_path(sessions_dir, finding_id).unlink(missing_ok=True)
    except OSError:
        pass
