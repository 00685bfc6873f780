"""The session file format (SPEC "export --format toml"): one readable TOML document.

The session store, `export --format toml` and `import` all use this one format,
so a session exported on one laptop and imported on another is the same session,
notes byte for byte. Keys another version or a person added are kept.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from auditui import filecache
from auditui.evidence import attachments_from
from auditui.schema import Problems, join_key, misspelt_key, type_name
from auditui.session import GRADES, OUT_OF_SCOPE, RESULTS, ItemRecord, Session
from auditui.timeutil import with_zone
from auditui.tomlio import (
    decode_text,
    escape_hidden,
    parse_toml,
    read_file,
    toml_datetime,
    with_iso_datetimes,
)
from auditui.translations import LANGUAGE_TAG
from auditui.vocabulary import Grade

SESSION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,150}")
"""Session ids become file names, so they are kept to safe characters."""

_DEVICE_NAMES = re.compile(r"(?i)(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\..*)?")


def device_name(session_id: str) -> bool:
    """Whether Windows takes a file named after this id (`CON.toml`, `nul.2026.toml`) for a
    device: such a session could not be saved, nor synced, on a Windows laptop."""
    return bool(_DEVICE_NAMES.fullmatch(session_id))

SESSION_KEYS = (
    "id", "checklist_id", "checklist_title", "checklist_version", "checklist_sha256",
    "kind", "standard", "auditor", "auditee", "title", "started", "updated", "scope",
    "finished", "conclusion", "signed_by", "seal", "reopened", "language",
)  # fmt: skip
DOCUMENT_KEYS = ("session", "summary", "sealed", "results")
"""The top-level tables auditui writes; any other is kept as it was found."""
RESULT_KEYS = (
    "item_id", "section_id", "section_title", "clause", "prompt", "guidance", "evidence",
    "result", "note", "grade", "recorded", "attachments",
)  # fmt: skip


_HOLDS: dict[str, type | tuple[type, ...]] = {
    "started": datetime, "updated": datetime, "finished": datetime, "recorded": datetime,
    "scope": list, "signed_by": list, "reopened": list, "evidence": list,
    "attachments": list, "results": list, "session": dict, "summary": dict, "sealed": dict,
}  # fmt: skip
"""What the keys above hold that is not text (for telling a misspelling from a new key)."""

MAX_NESTING = 100
"""Keys kept for another version may nest arrays and tables this deep, no deeper: saving
a deeper value again would overflow Python's stack (a clean error now, not a crash later)."""


def _too_deep(value: Any) -> bool:
    stack = [(value, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_NESTING:
            return True
        if isinstance(value, dict):
            stack.extend((inner, depth + 1) for inner in value.values())
        elif isinstance(value, list):
            stack.extend((inner, depth + 1) for inner in value)
    return False


def _check_extras(problems: Problems, table: dict[str, Any], known, where: str) -> None:
    """Keys auditui does not know are kept as they are (another version's), unless they
    nest too deeply or look like a misspelling of a key the table lacks (`reslt` for
    `result`): kept, that one would leave what it holds out without a word (the item
    counted unanswered), so the file is refused and the key named. Only a value of the
    kind that key holds counts: `signed_on = 2026-11-26` is not a misspelt `signed_by`."""
    for key, value in table.items():
        if key in known:
            continue
        if _too_deep(value):
            problems.add(
                join_key(where, key),
                f"arrays or tables nested too deeply (more than {MAX_NESTING} levels)",
            )
            continue
        near = misspelt_key(key, value, table, known, _HOLDS)
        if near is not None:
            problems.add(join_key(where, key), f"unknown key; did you mean '{near}'?")


def session_to_document(session: Session) -> dict[str, Any]:
    """The TOML document of a session, keys in SPEC order, extras kept."""
    document = _document_head(session)
    document["results"] = [
        _record_to_table(record, session.file_result(record)) for record in session.records
    ]
    return document


def _document_head(session: Session) -> dict[str, Any]:
    """Every table of the session's document but its results, in the order written."""
    head: dict[str, Any] = {
        "id": session.id,
        "checklist_id": session.checklist_id,
        "checklist_title": session.checklist_title,
        "checklist_version": session.checklist_version,
        "checklist_sha256": session.checklist_sha256,
        "kind": session.kind,
    }
    if session.standard:
        head["standard"] = session.standard
    head |= {
        "auditor": session.auditor,
        "auditee": session.auditee,
        "title": session.title,
        "started": toml_datetime(session.started),
        "updated": toml_datetime(session.updated),
    }
    if session.scope:
        head["scope"] = list(session.scope)
    if session.language:
        head["language"] = session.language
    if session.finished is not None:
        head["finished"] = toml_datetime(session.finished)
    if session.finished is not None or session.conclusion or session.signed_by:
        # Only a finished file has them (reopening takes them out): in one that is not,
        # left by a hand edit, they are kept as found, the trace of a seal taken out.
        head["conclusion"] = session.conclusion
        head["signed_by"] = list(session.signed_by)
    if session.seal:  # in a file not finished, only when its finished date was taken out
        head["seal"] = session.seal
    head.update(with_iso_datetimes(session.extra.get("session", {})))
    if session.reopened:
        head["reopened"] = [
            with_iso_datetimes({key: value for key, value in entry.items() if value is not None})
            for entry in session.reopened
        ]
    document: dict[str, Any] = {"session": head, "summary": session.summary().as_dict()}
    if session.seal_parts:  # unfinished, only when its seal was taken out by hand: kept,
        document["sealed"] = session.seal_parts  # so that finishing records what changed
    for key, value in session.extra.items():
        if key != "session":
            document[key] = with_iso_datetimes(value)
    return document


def _record_to_table(record: ItemRecord, result: str) -> dict[str, Any]:
    table: dict[str, Any] = {
        "item_id": record.item_id,
        "section_id": record.section_id,
        "section_title": record.section_title,
    }
    if record.clause is not None:
        table["clause"] = record.clause
    table["prompt"] = record.prompt
    if record.guidance:
        table["guidance"] = record.guidance
    if record.evidence:
        table["evidence"] = list(record.evidence)
    table["result"] = result
    table["note"] = record.note
    if record.grade is not None:
        table["grade"] = record.grade
    if record.recorded is not None and record.result != "unanswered":
        table["recorded"] = toml_datetime(record.recorded)
    if record.attachments:
        table["attachments"] = [
            with_iso_datetimes(attachment.to_table()) for attachment in record.attachments
        ]
    if record.extra:
        table.update(with_iso_datetimes(record.extra))
    return table


def dumps_session(session: Session) -> bytes:
    from auditui.tomlwrite import dumps  # only what writes a session imports the writer

    return escape_hidden(dumps(session_to_document(session))).encode("utf-8")


NEW_RESULTS = "new-session-results"
"""The cache's name for the results part of a new session's file (`dumps_new_session`)."""


def dumps_new_session(session: Session) -> bytes:
    """The file of a session just started: what `dumps_session` gives, byte for byte.

    Its results are the checklist's items written out, each unanswered: text that
    depends on nothing but the checklist file's content (its SHA-256, in the session)
    and auditui's code. They are kept in the cache of read files under that digest, so
    a 5,000-item checklist's second and later sessions do not write 2 MB of TOML again
    (about 50 ms of `run`'s start). A session with a scope is written in full."""
    key = session.checklist_sha256
    fresh = not session.scope and not session.extra and all(map(_untouched, session.records))
    if not fresh or not key:
        return dumps_session(session)
    from auditui.tomlwrite import dumps

    results = filecache.recall(NEW_RESULTS, key)
    if not isinstance(results, bytes):
        tables = [_record_to_table(record, record.result) for record in session.records]
        results = escape_hidden(dumps({"results": tables})).encode("utf-8")
        filecache.remember(NEW_RESULTS, key, results)
    return escape_hidden(dumps(_document_head(session)) + "\n").encode("utf-8") + results


def _untouched(record: ItemRecord) -> bool:
    """The item as `Session.start` makes it: no answer, note, grade, file or extra key."""
    return record.result == "unanswered" and not (
        record.note or record.grade or record.recorded or record.extra or record.attachments
    )


def read_session_file(path: Path, *, follow: bool = False, keep: bool = True) -> Session:
    """Read a session (or an exported session) file, checking every value.

    A session file that is a symbolic link is refused (docs/reliability.md): auditui
    would write through it to a file outside the sessions folder. `follow` is for a
    file that is only read, never written back (the file `import` copies in). `keep`:
    put what was read in the cache of read files (lists that keep only a digest of each
    session, `session_index.py`, leave that to what opens the session itself)."""
    cached = filecache.lookup("session", path)
    if isinstance(cached, Session):
        return cached
    data, status = read_file(path, what="session file", follow=follow)
    # A file too new for the cache's file checks (saved a moment ago: on quitting, by a
    # sync) may still be content read before: the digest of every byte vouches for it.
    content = content_key(data) if keep else ""
    recalled = filecache.recall(SESSION_CONTENT, content) if content else None
    if recalled is None and content and filecache.too_new(status):
        from auditui.warm import wait_for_warming

        if wait_for_warming(path):  # it was being read after quitting: that read is ours
            recalled = filecache.recall(SESSION_CONTENT, content)
    if isinstance(recalled, Session):
        filecache.store("session", path, status, recalled)
        return recalled
    text = decode_text(data, path)
    session = session_from_document(parse_toml(text, path), path=path, text=text)
    if keep and not filecache.store("session", path, status, session):
        filecache.remember(SESSION_CONTENT, content, session)
    return session


SESSION_CONTENT = "session-content"
"""The cache's kind for a session kept under the digest of its file's bytes."""


def content_key(data: bytes) -> str:
    """The digest a session file's bytes are kept under (`SESSION_CONTENT`)."""
    return hashlib.sha256(data).hexdigest()


def _datetime(problems: Problems, table: dict[str, Any], key: str, where: str, *, required: bool):
    full = f"{where}.{key}"
    if key not in table:
        if required:
            problems.add(full, "required key is missing")
        return None
    value = table[key]
    if isinstance(value, datetime):
        try:
            value = with_zone(value)
        except (ValueError, OverflowError):
            problems.add(full, "is out of the range of dates auditui can handle")
            return None
        return value
    example = "2026-11-25T09:30:00+07:00"
    problems.add(full, f"must be a date and time like {example}, not {type_name(value)}")
    return None


def session_from_document(
    document: dict[str, Any], *, path: str | Path = "<session>", text: str = ""
) -> Session:
    """Build a session from a parsed document; raise `AudituiError` naming the first problem."""
    problems = Problems(path, text)
    head = problems.table_field(document, "session", "")
    if head is None:
        problems.raise_first()
    assert head is not None
    # First: a misspelt `strated` is what to name, not the `started` it leaves missing.
    _check_extras(problems, head, SESSION_KEYS, "session")
    _check_extras(problems, document, DOCUMENT_KEYS, "")
    session_id = problems.text_field(head, "id", "session", required=True)
    if session_id is not None and not SESSION_ID.fullmatch(session_id):
        problems.add(
            "session.id",
            f"'{session_id}' is not a usable session id: letters, digits, '.', '_' and '-' "
            "only, starting with a letter or a digit, at most 151 characters",
        )
    checklist_id = problems.text_field(head, "checklist_id", "session", required=True)
    strings: dict[str, str] = {}
    for key in ("checklist_title", "checklist_version", "checklist_sha256", "kind", "standard",
                "auditor", "auditee", "title", "language"):  # fmt: skip
        strings[key] = (
            problems.text_field(head, key, "session", required=False, blank_ok=True) or ""
        )
    if strings["language"] and not LANGUAGE_TAG.fullmatch(strings["language"]):
        problems.add("session.language", f"'{strings['language']}' is not a language tag")
    started = _datetime(problems, head, "started", "session", required=True)
    updated = _datetime(problems, head, "updated", "session", required=False) or started
    scope = _text_list(problems, head, "scope", "session")
    finished = _datetime(problems, head, "finished", "session", required=False)
    conclusion = problems.text_field(head, "conclusion", "session", required=False, blank_ok=True)
    signed_by = _text_list(problems, head, "signed_by", "session")
    if "merged_from" in head:  # written by `auditui merge`: a hand edit gone wrong is named
        for index, part in enumerate(_text_list(problems, head, "merged_from", "session")):
            where = f"session.merged_from[{index}]"
            if not SESSION_ID.fullmatch(part):
                problems.add(where, f"'{part}' is not a session id")
            elif part == session_id:
                problems.add(where, "names the session itself: a merged audit's parts are "
                             "other sessions")  # fmt: skip
    seal = problems.text_field(head, "seal", "session", required=False, blank_ok=True)
    reopened = _reopened(problems, head)
    seal_parts = _seal_parts(problems, document)

    raw_results = problems.table_array(document, "results", "", required=False) or []
    problems.too_many(len(raw_results), "results", "results")
    records: list[ItemRecord] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_results):
        record = _plain_record(raw)
        if record is None:  # anything unusual: checked key by key, with its message
            record = _record(problems, raw, f"results[{index}]")
        if record is None:
            continue
        if record.item_id in seen:
            problems.add(f"results[{index}].item_id", f"item '{record.item_id}' appears twice")
            continue
        seen.add(record.item_id)
        records.append(record)
    problems.raise_first()

    extra: dict[str, Any] = {}
    head_extra = {key: value for key, value in head.items() if key not in SESSION_KEYS}
    if head_extra:
        extra["session"] = head_extra
    for key, value in document.items():
        if key not in DOCUMENT_KEYS:
            extra[key] = value
    session = Session(
        id=session_id or "",
        checklist_id=checklist_id or "",
        started=started,
        updated=updated,
        records=records,
        finished=finished,
        conclusion=conclusion or "",
        signed_by=tuple(signed_by),
        seal=seal or "",
        seal_parts=seal_parts,
        reopened=reopened,
        extra=extra,
        checklist_title=strings["checklist_title"],
        checklist_version=strings["checklist_version"],
        checklist_sha256=strings["checklist_sha256"],
        kind=strings["kind"],
        standard=strings["standard"],
        auditor=strings["auditor"],
        auditee=strings["auditee"],
        title=strings["title"],
        language=strings["language"],
    )
    known = set(session.section_ids())
    for position, section_id in enumerate(scope):
        if section_id not in known:
            problems.add(f"session.scope[{position}]", f"no section '{section_id}' in the results")
    problems.raise_first()
    session.set_scope(scope)
    stored = document.get("summary")
    if session.finished is not None and isinstance(stored, dict):
        session.summary_edited = typed(stored) != typed(session.summary().as_dict())
    return session


def answered_outside_scope(session: Session) -> tuple[int, ItemRecord] | None:
    """The first answer (its place in `[[results]]`, and the record) on an item outside the
    session's scope, None when there is none. auditui widens the scope before it takes
    one, and a sync or a merge joins scopes, so only a hand edit (or a sync of a version
    before they were joined) makes it; read, it counts nowhere: a fail raises no finding.
    `import` refuses such a file."""
    if not session.scope:
        return None
    for index, record in enumerate(session.records):
        if record.result != "unanswered" and not session.in_scope(record):
            return index, record
    return None


def typed(table: dict[str, Any]) -> dict[str, tuple[bool, Any]]:
    """Each value with its kind: `fail = true` is not the count 1 (Python's True == 1)."""
    return {key: (isinstance(value, bool), value) for key, value in table.items()}


def _text_list(problems: Problems, table: dict[str, Any], key: str, where: str) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, list) and all(isinstance(entry, str) for entry in value):
        return value
    problems.add(join_key(where, key), "must be an array of text")
    return []


def _reopened(problems: Problems, head: dict[str, Any]) -> list[dict[str, Any]]:
    """`[[session.reopened]]`: `at` and `reason` checked, other keys kept as they are."""
    entries = problems.table_array(head, "reopened", "session", required=False) or []
    reopened = []
    for index, entry in enumerate(entries):
        where = f"session.reopened[{index}]"
        at = _datetime(problems, entry, "at", where, required=True)
        reason = problems.text_field(entry, "reason", where, required=True, blank_ok=True)
        _check_extras(problems, entry, ("at", "reason"), where)
        if at is not None and reason is not None:
            reopened.append({**entry, "at": at, "reason": reason})
    return reopened


def _seal_parts(problems: Problems, document: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The `[sealed]` table: short digests by part, only there to name what changed."""
    value = document.get("sealed", {})
    parts: dict[str, dict[str, str]] = {}
    if isinstance(value, dict):
        for group in ("fields", "items"):
            if group not in value:
                continue
            digests = value[group]
            if isinstance(digests, dict) and all(isinstance(v, str) for v in digests.values()):
                parts[group] = dict(digests)
            else:
                problems.add(f"sealed.{group}", "must be a table of text")
    else:
        problems.add("sealed", "must be a table [sealed]")
    return parts


_RESULT_KEY_SET = frozenset(RESULT_KEYS)
_OPTIONAL_TEXT = ("section_id", "section_title", "clause", "guidance", "note")
_RESULTS_READ = frozenset((*RESULTS, OUT_OF_SCOPE))


def _plain_record(raw: Any) -> ItemRecord | None:
    """The record of a result as auditui writes it, built without `_record`'s key-by-key
    checks (most of the time of reading a long history with nothing cached): None for
    anything `_record` might refuse or that needs more than plain text (attachments, keys
    of other programs), which `_record` then reads. Gives exactly what `_record` gives
    (tests/unit/test_plain_records.py compares the two on arbitrary results)."""
    if type(raw) is not dict or not _RESULT_KEY_SET.issuperset(raw) or "attachments" in raw:
        return None
    item_id = raw.get("item_id")
    prompt = raw.get("prompt")
    if type(item_id) is not str or not item_id.strip() or type(prompt) is not str:
        return None
    for key in _OPTIONAL_TEXT:
        value = raw.get(key)
        if value is not None and type(value) is not str:
            return None
    result = raw.get("result", "unanswered")
    if type(result) is not str or result not in _RESULTS_READ:
        return None
    if result == OUT_OF_SCOPE:
        result = "unanswered"
    grade = raw.get("grade")
    if grade is not None and (
        type(grade) is not str or grade not in GRADES or result not in Grade(grade).allows
    ):
        return None
    evidence: tuple[str, ...] = ()
    if "evidence" in raw:
        value = raw["evidence"]
        if type(value) is not list or not all(type(entry) is str for entry in value):
            return None
        evidence = tuple(value)
    recorded = raw.get("recorded")
    if recorded is not None:
        if not isinstance(recorded, datetime):
            return None
        try:
            recorded = with_zone(recorded)
        except (ValueError, OverflowError):
            return None
    return ItemRecord(
        item_id=item_id,
        section_id=raw.get("section_id") or "",
        section_title=raw.get("section_title") or "",
        prompt=prompt,
        clause=raw.get("clause"),
        guidance=raw.get("guidance") or None,
        evidence=evidence,
        result=result,
        note=raw.get("note") or "",
        grade=grade,
        recorded=recorded if result != "unanswered" else None,
        extra={},
    )


def _record(problems: Problems, raw: dict[str, Any], where: str) -> ItemRecord | None:
    _check_extras(problems, raw, RESULT_KEYS, where)  # first, as for [session]
    item_id = problems.text_field(raw, "item_id", where, required=True)
    prompt = problems.text_field(raw, "prompt", where, required=True, blank_ok=True)
    section_id = problems.text_field(raw, "section_id", where, required=False, blank_ok=True)
    section_title = problems.text_field(raw, "section_title", where, required=False, blank_ok=True)
    clause = problems.text_field(raw, "clause", where, required=False, blank_ok=True)
    guidance = problems.text_field(raw, "guidance", where, required=False, blank_ok=True)
    note = problems.text_field(raw, "note", where, required=False, blank_ok=True) or ""
    result = problems.text_field(raw, "result", where, required=False) or "unanswered"
    if result == OUT_OF_SCOPE:
        result = "unanswered"  # whether it is outside the scope is the scope's to say
    elif result not in RESULTS:
        choices = ", ".join((*RESULTS, OUT_OF_SCOPE))
        problems.add(f"{where}.result", f"'{result}' is not a result; use one of: {choices}")
        return None
    grade = problems.text_field(raw, "grade", where, required=False)
    if grade is not None:
        if grade not in GRADES:
            problems.add(
                f"{where}.grade", f"'{grade}' is not a grade; use one of: {', '.join(GRADES)}"
            )
            return None
        allows = Grade(grade).allows
        if result not in allows:
            allowed = " or ".join(allows)
            problems.add(
                f"{where}.grade", f"grade '{grade}' goes only with result {allowed}, not {result}"
            )
            return None
    evidence: tuple[str, ...] = ()
    if "evidence" in raw:
        value = raw["evidence"]
        if isinstance(value, list) and all(isinstance(entry, str) for entry in value):
            evidence = tuple(value)
        else:
            problems.add(f"{where}.evidence", "must be an array of text")
    recorded = _datetime(problems, raw, "recorded", where, required=False)
    attachments = attachments_from(problems, raw.get("attachments", []), f"{where}.attachments")
    if item_id is None or prompt is None:
        return None
    return ItemRecord(
        item_id=item_id,
        section_id=section_id or "",
        section_title=section_title or "",
        prompt=prompt,
        clause=clause,
        guidance=guidance or None,
        evidence=evidence,
        result=result,
        note=note,
        grade=grade,
        recorded=recorded if result != "unanswered" else None,
        extra={key: value for key, value in raw.items() if key not in RESULT_KEYS},
        attachments=attachments,
    )
