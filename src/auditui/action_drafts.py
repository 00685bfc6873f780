"""What is typed in the corrective-action editor, kept on disk while the editor is open.

A cause and an action are the longest text an auditor types; a crash or a power cut
while the editor was open lost all of it (the record is written on `ctrl+s` only, so that
`escape` can cancel). A moment after each change the fields changed so far go to a draft
beside the findings records, `<record>.toml.draft`; saving or cancelling removes it, and
the next opening of the editor for that finding offers what it holds. Never shared: sync
ignores `*.draft` and shares only `findings/*.toml`.

A draft also keeps what each field it holds said when the typing began (`was`): a field
changed meanwhile elsewhere (the command line, another laptop's sync) is then named when
the draft is offered, instead of being replaced without a word on `ctrl+s`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditui.finding_records import STATUSES, FindingRecords

SUFFIX = ".draft"


def as_typed(changes: dict[str, Any]) -> dict[str, str]:
    """Changes as they are saved (a due date, None for one cleared) as the editor's fields
    show them, and as a draft keeps them."""
    return {
        name: "" if value is None else (
            value.isoformat() if hasattr(value, "isoformat") else str(value)
        )
        for name, value in changes.items()
    }


def draft_path(sessions_dir: Path, finding_id: str) -> Path:
    record = FindingRecords(sessions_dir).path_for(finding_id)
    return record.with_name(record.name + SUFFIX)


@dataclass(frozen=True)
class Draft:
    fields: dict[str, str]
    """Field name -> the text as typed."""
    was: dict[str, str] = field(default_factory=dict)
    """Field name -> what the record said when the typing began (absent in a draft
    written before this was kept)."""

    def changed_since(self, now: dict[str, str]) -> list[str]:
        """The fields of the draft that the record changed since the typing began (to
        something else than what was typed): `now` is the record's values."""
        return [
            name
            for name, typed in self.fields.items()
            if name in self.was and name in now
            and now[name].strip() != self.was[name].strip()
            and now[name].strip() != typed.strip()
        ]  # fmt: skip


def save_draft(
    sessions_dir: Path, finding_id: str, fields: dict[str, str], was: dict[str, str]
) -> bool:
    """Keep `fields` (name -> the text as typed) as the finding's draft, with what the
    record said of them (`was`); False when it could not be written (a full disk: the
    editor is still open, nothing is lost yet)."""
    from auditui.errors import AudituiError
    from auditui.tomlio import atomic_write

    path = draft_path(sessions_dir, finding_id)
    was = {name: was[name] for name in fields if name in was}
    document = {"finding": finding_id, "fields": fields, "was": was}
    data = json.dumps(document, ensure_ascii=False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data.encode("utf-8"))
    except (AudituiError, OSError):
        return False
    return True


def load_draft(sessions_dir: Path, finding_id: str) -> Draft | None:
    """The draft kept for the finding, None when there is none (or it does not read: a
    draft is a convenience, never a reason to refuse opening the editor)."""
    try:
        document = json.loads(draft_path(sessions_dir, finding_id).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("finding") != finding_id:
        return None
    kept = _texts(document.get("fields"))
    if kept.get("status", "open") not in {str(status) for status in STATUSES}:
        del kept["status"]  # not one the editor can show: the rest is offered
    if not kept:
        return None
    return Draft(kept, _texts(document.get("was")))


def _texts(table: object) -> dict[str, str]:
    if not isinstance(table, dict):
        return {}
    return {name: value for name, value in table.items() if isinstance(value, str)}


def drop_draft(sessions_dir: Path, finding_id: str) -> None:
    try:
        draft_path(sessions_dir, finding_id).unlink(missing_ok=True)
    except OSError:
        pass
