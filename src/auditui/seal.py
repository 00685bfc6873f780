"""The seal of a finished session: a SHA-256 over a canonical form of what was agreed.

When an auditor finishes a session (conclusion and sign-off), the checklist it was
run against (id, version, file hash), the scope, every result with its note, grade,
recorded time and evidence hashes, the people and dates, the conclusion and the
signatures are put into one canonical JSON text and hashed. `verify` recomputes the
hash from the file and says whether anything sealed changed since, naming what did.

The canonical form is built from the session *document* (the TOML file as parsed),
so anyone can recompute it from a session file with a few lines of Python; it is
documented exactly in docs/session-files.md ("The seal"), and a test recomputes it
from that page. Keep the two in step: changing the form is a new `FORM`.

Beside the seal, a finished file holds a `[sealed]` table of short digests, one per
sealed field and per item. They are not needed to check the seal; they let `verify`
name the fields and items that changed instead of only saying that something did.

The seal proves that a file is as it was when sealed. It is not a signature: anyone
who can write the file can change it and seal it again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from auditui.errors import AudituiError

FORM = "auditui-seal-1"
"""Names the canonical form below; it is part of what is hashed."""

UNSEALED = ("id", "seal")
"""The `[session]` keys the seal leaves out: the id (sync may rename a session whose id
another laptop also used) and the seal itself."""

PREFIX = "sha256:"
SHORT = 16
"""Hex digits of each part's digest in `[sealed]`: enough to tell parts apart."""


def _plain(value: Any) -> Any:
    """A TOML value as JSON can hold it: dates and times in ISO 8601, as written."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(inner) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(inner) for inner in value]
    return value


def canonical_bytes(value: Any) -> bytes:
    """JSON with sorted keys, no spaces, non-ASCII kept, in UTF-8."""
    text = json.dumps(_plain(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass")


def _attachment(entry: Any) -> list[Any]:
    if isinstance(entry, dict):
        return [entry.get("file"), entry.get("sha256")]
    return [entry, None]  # not what auditui writes: sealed as it is, never skipped


def item_form(result: dict[str, Any]) -> dict[str, Any]:
    """One `[[results]]` table as sealed: every key, with `attachments` reduced to the
    `[file, sha256]` of each evidence file."""
    form = dict(result)
    if "attachments" in form:
        entries = form["attachments"]
        entries = entries if isinstance(entries, list) else [entries]
        form["attachments"] = [_attachment(entry) for entry in entries]
    return form


def canonical_form(document: dict[str, Any]) -> dict[str, Any]:
    """What the seal covers, from a session document (a parsed session file)."""
    head = document.get("session", {})
    head = head if isinstance(head, dict) else {"": head}
    results = document.get("results", [])
    results = results if isinstance(results, list) else [results]
    return _plain(
        {
            "form": FORM,
            "session": {key: value for key, value in head.items() if key not in UNSEALED},
            "results": [item_form(r if isinstance(r, dict) else {"": r}) for r in results],
        }
    )


def seal_of(form: dict[str, Any]) -> str:
    return PREFIX + hashlib.sha256(canonical_bytes(form)).hexdigest()


def _short(value: Any) -> str:
    return hashlib.sha256(canonical_bytes(value)).hexdigest()[:SHORT]


def parts_of(form: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The `[sealed]` table: a short digest of each sealed field and of each item."""
    fields = {name: _short(value) for name, value in form["session"].items()}
    items = {str(entry.get("item_id")): _short(entry) for entry in form["results"]}
    return {"fields": fields, "items": items}


def seal_document(document: dict[str, Any]) -> tuple[str, dict[str, dict[str, str]]]:
    """The seal and the `[sealed]` digests of a session document about to be written."""
    form = canonical_form(document)
    return seal_of(form), parts_of(form)


def _differing(now: dict[str, str], before: dict[str, str]) -> list[str]:
    """Names whose digest differs, in `now`'s order, then names gone since."""
    names = [name for name, digest in now.items() if before.get(name) != digest]
    return names + [name for name in before if name not in now]


def changed_parts(form: dict[str, Any], sealed: dict[str, dict[str, str]]) -> list[str]:
    """Field names, then item ids, whose digest differs from the `[sealed]` one (a field
    or item added or taken out since counts as changed)."""
    now = parts_of(form)
    return _differing(now["fields"], sealed.get("fields", {})) + _differing(
        now["items"], sealed.get("items", {})
    )


@dataclass(frozen=True)
class Verdict:
    """What `verify` found for one session file."""

    session_id: str
    finished: datetime | None
    changed: list[str]
    """Empty when intact; else the fields and items changed (`seal` when only the seal
    line itself is wrong or missing)."""
    not_here: list[str] = field(default_factory=list)
    """Sealed evidence files missing (or unreadable) in this folder: not a change to the
    audit (an export imported elsewhere carries none), but not vouched for either."""

    @property
    def intact(self) -> bool:
        return self.finished is not None and not self.changed

    def line(self) -> str:
        """The line SPEC gives for `verify`; evidence that cannot be checked here is named
        after it, without calling the audit changed."""
        from auditui.textwidth import printable

        if self.finished is None and not self.changed:
            return f"{self.session_id}: not finished"
        if self.changed:  # item ids, field names, evidence file names: as typed elsewhere
            changed = printable(", ".join(self.changed))
            line = f"{self.session_id}: changed since it was sealed: {changed}"
        else:
            assert self.finished is not None
            line = f"{self.session_id}: sealed {self.finished.isoformat()}, intact"
        if self.not_here:
            named = printable(", ".join(self.not_here))
            line += f"; evidence not checked, not in this folder: {named}"
        return line


def seal_taken_out(session) -> bool:
    """A session not finished that still has a seal, the `[sealed]` digests of one, or a
    conclusion or names signing it: only a finished file has them (reopening takes them
    out), so its finished date (and perhaps its seal) was taken out of the file by hand.
    Finishing it again must not hide that."""
    return session.finished is None and bool(
        session.seal or session.seal_parts or session.conclusion or session.signed_by
    )


def seal_broken(session) -> bool:
    """A finished session whose results no longer give its seal (or that has none), or one
    whose seal was taken out by hand (`seal_taken_out`): no report, list or screen may
    call it sealed. `auditui verify` says what changed."""
    if session.finished is None:
        return seal_taken_out(session)
    if not session.seal or session.summary_edited:
        return True
    from auditui.session_toml import session_to_document

    return seal_of(canonical_form(session_to_document(session))) != session.seal


def changed_since_sealed(session) -> list[str]:
    """The fields and items of a finished session changed since it was sealed (as
    `verify` names them; `["seal"]` when its parts cannot be told), [] when intact or not
    finished."""
    if not seal_broken(session):
        return []
    from auditui.session_toml import session_to_document

    form = canonical_form(session_to_document(session))
    changed = changed_parts(form, session.seal_parts) if session.seal_parts else []
    if session.summary_edited:
        if seal_of(form) == session.seal:
            return ["summary"]
        changed.append("summary")
    if seal_taken_out(session):
        if not session.seal_parts:  # "seal (its [sealed] table is gone, ...)"
            return ["finished", NO_PARTS]
        gone = ["finished"] + ([] if session.seal else ["seal"])
        return [*gone, *(name for name in changed if name != "finished")]
    return changed or ["seal"]


def changed_before_reopening(session, path: Path) -> list[str]:
    """What a reopening keeps as changed since sealing: `changed_since_sealed`, and what
    `verify` names from the file besides (a hand-edited summary, an evidence file that
    changed; not one that is missing or unreadable here, which is no change to the audit)."""
    changed = changed_since_sealed(session)
    try:
        named = verify_file(path).changed
    except AudituiError:
        named = []
    changed += [name for name in named if name not in changed and not name.startswith("seal")]
    return changed


def evidence_problems(session, sessions_dir: Path) -> list[str]:
    """Each sealed evidence file whose copy is missing, unreadable or no longer matches
    its hash, as `<item id> evidence <file name> (missing|unreadable|changed)`."""
    return [text for text, _ in _evidence_checked(session, sessions_dir)]


def _evidence_checked(session, sessions_dir: Path) -> list[tuple[str, bool]]:
    """`evidence_problems`, each with whether the file is there and changed (else it is
    missing or unreadable)."""
    from auditui.evidence import check

    return [
        (f"{record.item_id} evidence {attachment.name} ({why})", why == "changed")
        for record in session.scoped_records()
        for attachment, why in check(sessions_dir, record.attachments)
    ]


def _unreadable_but_sealed(raw: dict[str, Any], path: Path) -> Verdict | None:
    """A sealed file edited into one auditui refuses to open (a grade that no longer fits
    its result, say) is still a sealed file that changed: named from the file alone.
    None when the file holds no seal to check, or its seal still matches."""
    head = raw.get("session")
    sealed = raw.get("sealed")
    if not isinstance(head, dict) or not isinstance(head.get("seal"), str):
        return None
    form = canonical_form(raw)
    if seal_of(form) == head["seal"]:
        return None
    parts = sealed if isinstance(sealed, dict) else {}
    parts = {key: value for key, value in parts.items() if isinstance(value, dict)}
    names = changed_parts(form, parts) or ["seal"]
    finished = head.get("finished")
    from auditui.textwidth import printable

    finished = finished if isinstance(finished, datetime) else None
    return Verdict(printable(path.stem), finished, names)


NO_PARTS = "seal (its [sealed] table is gone, so what changed cannot be named)"


def verify_file(path: Path) -> Verdict:
    """Check a session file's seal: from the file as it is on disk (what anyone can
    recompute), and from the session as auditui reads it, journal applied (so a change
    waiting in a journal beside it is caught too). Raises `AudituiError` for a file
    that cannot be read at all."""
    from auditui.session_toml import read_session_file, session_to_document, typed
    from auditui.store import read_session
    from auditui.tomlio import decode_text, parse_toml, read_file

    data, _ = read_file(path, what="session file")
    raw = parse_toml(decode_text(data, path), path)
    try:
        session = read_session(path)
    except AudituiError:
        verdict = _unreadable_but_sealed(raw, path)
        if verdict is None:
            raise
        return verdict
    head = raw.get("session", {})
    if not session.seal and session.finished is None:
        # Only a finished file has [sealed]: with it, the finished date and seal were
        # taken out by hand, and the items changed since are named as well.
        return Verdict(session.id, None, changed_since_sealed(session))
    if not session.seal:
        return Verdict(session.id, session.finished, ["seal"])
    names: list[str] = []
    broken = False
    forms = [canonical_form(raw), canonical_form(session_to_document(session))]
    for form in forms:
        if seal_of(form) == session.seal:
            continue
        broken = True
        if not session.seal_parts:  # nothing to compare part by part: every part would show
            if NO_PARTS not in names:
                names.append(NO_PARTS)
            continue
        for name in changed_parts(form, session.seal_parts):
            if name not in names:
                names.append(name)
    summary = raw.get("summary")
    if isinstance(summary, dict) and typed(summary) != typed(
        read_session_file(path).summary().as_dict()
    ):
        names.append("summary")  # recomputed on reading, but a hand edit all the same
    if broken and not [name for name in names if name != "summary"]:
        # No part tells: with no finished date in the file, it went with its own digest
        # (only a finished file is sealed); else the seal line itself changed.
        names.insert(0, "finished" if session.finished is None else "seal")
    evidence = _evidence_checked(session, path.parent)
    names += [text for text, changed in evidence if changed]
    finished = session.finished if isinstance(head, dict) and "finished" in head else None
    not_here = [text for text, changed in evidence if not changed]
    return Verdict(session.id, finished or session.finished, names, not_here)
