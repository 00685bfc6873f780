"""What a sync does with a file that this laptop and another one both changed.

git settles every file that only one side changed. The rest come here, as the three
versions (the common base, ours = this laptop's, theirs = the one brought in; a
missing version is None), and leave as the files to keep. Nothing is ever dropped:

- a session changed on both laptops: each item from the side that changed it; an item
  changed on both, the newer answer (by `recorded`, then the session's `updated`; in the
  same second a fail); with the same result, its note and grade each from the laptop
  that changed it (changed on both: both notes and the graver grade),
  the other answer's note and files when it is not; the other stays in the history.
  The same for the session's own fields.
- two different sessions with one id (started apart, or of other checklists): both
  kept, this laptop's under a new id; the findings records typed here for it go with it
  (`moved_record`, which the engine applies: it alone knows which records are this
  laptop's).
- a session finished (sealed) on one laptop and changed on the other: the finished one
  at its place, the other beside it as a kept copy (`<id>.kept-<time>.toml`), which
  nothing counts: one audit is never counted twice.
- a findings file changed on both: field by field, the newer value (the per-field
  stamps in `[changed]`, else the record's `updated`).
- a file deleted on one side and changed on the other: the changed one is kept.
- anything else: ours at its place, theirs beside it (`.from-another-laptop`); so too a
  session or record whose merge would be larger than auditui reads (two long notes
  joined): written, it would be sent to every laptop, and left out by every command.

Every choice that drops a value from the working files is said in `notes`; a merge not
made, in `problems` (the sync then ends with status 1: someone has to join them).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from auditui.errors import AudituiError
from auditui.finding_records import (
    ALIASES,
    ALIASES_KEPT,
    CLOSING,
    HISTORY,
    history_beside,
    text_list,
    timeline,
)
from auditui.session_toml import dumps_session, session_from_document
from auditui.sync.kinds import OTHER_SUFFIX, kind_of, read_limit
from auditui.tomlio import decode_text, parse_toml
from auditui.vocabulary import GRADES

_MISSING = object()
_OLDEST = datetime.min.replace(tzinfo=UTC)


@dataclass
class Resolved:
    """The files to keep (path -> content; None removes the path) and what to tell."""

    files: dict[str, bytes | None] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)
    """This laptop's session ids given up for new ones (old -> new)."""
    made_here: set[str] = field(default_factory=set)
    """Files kept at a new path that hold this laptop's own work (its session under a new
    id, its late changes beside a finished session): new to the history, not brought in."""
    problems: list[str] = field(default_factory=list)
    """Why the file was not merged, ours kept at its place and theirs beside it
    (`.from-another-laptop`): for a person to join them. The engine says it."""
    fails_dropped: list[str] = field(default_factory=list)
    """Finding ids (`<session>/<item>`) of fails one laptop had that the merge replaced
    by the other laptop's newer answer: a corrective action typed for one is left with
    no fail behind it, which the engine says when there is such a record."""


def resolve(
    path: str,
    base: bytes | None,
    ours: bytes | None,
    theirs: bytes | None,
    new_session_id: Callable[[str], str],
) -> Resolved:
    """Settle one file both sides changed. `new_session_id(old)` gives a free id."""
    if ours is None or theirs is None:
        kept = ours if theirs is None else theirs
        where = "this laptop" if theirs is None else "another laptop"
        return Resolved(
            {path: kept}, [f"{path}: deleted on one laptop, changed on {where}; kept the changed"]
        )
    if ours == theirs:
        return Resolved({path: ours})
    kind = kind_of(path)
    try:
        if kind == "session":
            return _readable(path, _session(path, base, ours, theirs, new_session_id), ours, theirs)
        if kind == "finding":
            return _readable(path, _finding(path, base, ours, theirs), ours, theirs)
    except AudituiError:
        pass  # a version that does not read: keep both files as they are
    if kind == "ignore":
        return Resolved({path: _union_of_lines(ours, theirs)})
    other = f"{path}{OTHER_SUFFIX}"
    return Resolved(
        {path: ours, other: theirs},
        [f"{path}: changed on two laptops; this laptop's kept, the other's is in {other}"],
    )


def _readable(path: str, resolved: Resolved, ours: bytes, theirs: bytes) -> Resolved:
    """`resolved`, unless a file in it is larger than auditui reads (two long notes
    joined): written, it would be committed and sent, and then every command on every
    laptop would leave the session out. Then nothing is merged: ours stays at its place,
    theirs beside it (`.from-another-laptop`), and `problems` says so."""
    for kept, data in resolved.files.items():
        limit = read_limit(kept)
        if data is None or limit is None or len(data) <= limit:
            continue
        return Resolved(
            {path: ours, f"{path}{OTHER_SUFFIX}": theirs},
            problems=[
                f"the merged file would be {len(data):,} bytes, and auditui reads at most "
                f"{limit:,}"
            ],
        )
    return resolved


def _document(data: bytes | None, path: str) -> dict[str, Any] | None:
    if data is None:
        return None
    return parse_toml(decode_text(data, PurePosixPath(path)), PurePosixPath(path))  # type: ignore[arg-type]


def _stamp(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.astimezone()
    return _OLDEST


def _pick(
    base: Any,
    ours: Any,
    theirs: Any,
    ours_at: datetime,
    theirs_at: datetime,
    *,
    ours_set: bool = False,
    theirs_set: bool = False,
):
    """(value, who) of a three-way choice; `who` is None unless both sides changed it.
    On a tie the one brought in wins: other laptops already have it. `ours_set` /
    `theirs_set`: that side set the value since the base, even if to the base's value."""
    if ours == theirs:
        return ours, None
    if base == ours and not ours_set:
        return theirs, None
    if base == theirs and not theirs_set:
        return ours, None
    if ours_at == theirs_at:
        return theirs, TIE
    return (ours, "ours") if ours_at > theirs_at else (theirs, "theirs")


TIE = "tie"
"""`_pick`'s `who` when both sides changed a value in the same second."""


def _why(who: str | None) -> str:
    """Why a value changed on both laptops was kept, in a sync's words."""
    if who == TIE:
        return "both changed in the same second: the one the other laptops have already"
    return "the newer"


def _session(path, base, ours, theirs, new_session_id) -> Resolved:
    b, o, t = _document(base, path), _document(ours, path), _document(theirs, path)
    assert o is not None and t is not None
    oh, th = o.get("session", {}), t.get("session", {})
    same = all(oh.get(key) == th.get(key) for key in ("id", "checklist_id", "started"))
    if not same:
        return _two_sessions(path, o, theirs, new_session_id)
    broken = (_seal_broken(o, path), _seal_broken(t, path))
    if oh.get("seal") != th.get("seal") or broken[0] != broken[1]:
        # Finished (sealed) on one laptop, changed on the other: joining them would break
        # the seal, and as a session of its own the other version would count the audit
        # twice. The finished one keeps its place; the other is kept beside it as a copy.
        return _late_changes_kept(path, o, t, ours, theirs, broken)
    merged, notes = _merge_sessions(b or {}, o, t)
    session = session_from_document(merged, path=path)
    label = f"session {session.id}"
    # A fail of one laptop that the other's newer answer replaced: both laptops changed
    # the item (one laptop passing its own fail is no news).
    before, ours, theirs = (_results(doc) for doc in (b or {}, o, t))
    dropped = [
        f"{session.id}/{record.item_id}" for record in session.records
        if session.file_result(record) != "fail"
        and "fail" in (ours.get(record.item_id), theirs.get(record.item_id))
        and all(side.get(record.item_id) != before.get(record.item_id, "unanswered")
                for side in (ours, theirs))
    ]  # fmt: skip
    return Resolved(
        {path: dumps_session(session)}, [f"{label}: {note}" for note in notes],
        fails_dropped=dropped,
    )  # fmt: skip


def _results(document: dict) -> dict[str, Any]:
    """Each item's result in a session document, by item id."""
    return {
        str(r.get("item_id")): r.get("result", "unanswered")
        for r in document.get("results", []) if isinstance(r, dict)
    }  # fmt: skip


def _two_sessions(path, ours_doc, theirs, new_session_id) -> Resolved:
    """Both kept: theirs at the id and ours under a new one."""
    old_id = ours_doc["session"]["id"]
    new_id = new_session_id(old_id)
    ours_doc["session"]["id"] = new_id
    return Resolved(
        {
            path: theirs,
            f"{new_id}.toml": dumps_session(session_from_document(ours_doc, path=path)),
        },
        [
            f"session {old_id}: another laptop has a different session with this id; "
            f"this laptop's is now {new_id}"
        ],
        {old_id: new_id},
        {f"{new_id}.toml"},
    )


def moved_record(path: str, data: bytes, old_id: str, new_id: str) -> tuple[str, bytes] | None:
    """A findings record of session `old_id` (at `path`, holding `data`) as one of session
    `new_id`: its new path and content, the finding id in it changed and nothing else.
    None when it is not a record of a finding of `old_id` named as such (left where it is)."""
    from auditui.finding_records import FOLDER_NAME, file_name, split_id
    from auditui.tomlio import dumps

    try:
        document = _document(data, path) or {}
        table = document.get("finding")
        if not isinstance(table, dict) or not isinstance(table.get("id"), str):
            return None
        session_id, item_id = split_id(table["id"])
        if session_id != old_id or PurePosixPath(path).name != file_name(table["id"]):
            return None
    except AudituiError:
        return None
    table["id"] = f"{new_id}/{item_id}"
    return f"{FOLDER_NAME}/{file_name(table['id'])}", dumps(document).encode("utf-8")


def _late_changes_kept(path: str, ours_doc: dict, theirs_doc: dict, ours: bytes,
                       theirs: bytes, broken: tuple[bool, bool]) -> Resolved:  # fmt: skip
    """One audit finished (sealed) on one laptop and changed on another: the finished
    version keeps its place (theirs, when both are sealed: the other laptops have it), the
    other is kept beside it as a copy of the same session (`<id>.kept-<time>.toml`, as
    `guard.kept_name` names one), which every command names and none counts, until
    someone reopens the audit and takes the changes in."""
    from auditui.guard import kept_name

    ours_broken, theirs_broken = broken  # `_seal_broken` of each
    if ours_broken != theirs_broken:
        # One was changed by hand since it was sealed (and sent past auditui's check):
        # never the one that stays, over a finished, reopened or refinished one.
        move_theirs = theirs_broken
    else:
        move_theirs = bool(ours_doc["session"].get("seal")
                           and not theirs_doc["session"].get("seal"))  # fmt: skip
    session_id = str(theirs_doc["session"].get("id"))
    kept = ours if not move_theirs else theirs
    # Two laptops settling the same session in the same second must not make one name.
    digest = hashlib.sha256(kept).hexdigest()[:8]
    copy = kept_name(Path(path), session_id)
    copy = copy.with_name(f"{copy.stem}-{digest}.toml")
    whose = "the other laptop's" if move_theirs else "this laptop's"
    if ours_broken != theirs_broken:
        said = (f"session {session_id}: changed by hand on one laptop since it was sealed, "
                f"and changed on the other; the one not changed by hand stays, {whose} "
                f"version is kept beside it as {copy.name}, counted nowhere: `auditui compare "
                f"{session_id} {copy.name}` shows the changes")  # fmt: skip
    else:
        said = (f"session {session_id}: was finished on one laptop and changed on another; "
                f"the finished one stays, {whose} version is kept beside it as {copy.name}, "
                f"counted nowhere: `auditui compare {session_id} {copy.name}` shows the "
                f"changes, and reopening {session_id} lets them be made there")  # fmt: skip
    return Resolved(
        {path: ours if move_theirs else theirs, str(copy): kept},
        [said],
        made_here=set() if move_theirs else {str(copy)},
    )


def _seal_broken(document: dict, path: str) -> bool:
    """Whether a session document's seal no longer holds (changed by hand since it was
    sealed, or its finish taken out by hand); a reopened one's does (it has none)."""
    import copy

    from auditui.seal import seal_broken

    head = document.get("session", {})
    if "sealed" not in document and not any(
        key in head for key in ("finished", "seal", "conclusion", "signed_by")
    ):
        return False  # never finished, nor a trace of a finish: nothing to read for it
    try:
        return seal_broken(session_from_document(copy.deepcopy(document), path=path))
    except AudituiError:
        return False  # not read: settled as a file that does not read, elsewhere


def _merge_sessions(b: dict, o: dict, t: dict) -> tuple[dict[str, Any], list[str]]:
    notes: list[str] = []
    bh, oh, th = b.get("session", {}), o["session"], t["session"]
    o_at, t_at = _stamp(oh.get("updated")), _stamp(th.get("updated"))
    head: dict[str, Any] = {}
    for key in [*oh, *(k for k in th if k not in oh)]:
        value, who = _pick(bh.get(key, _MISSING), oh.get(key, _MISSING),
                           th.get(key, _MISSING), o_at, t_at)  # fmt: skip
        if key == "updated":
            value = max(oh.get("updated", _MISSING), th.get("updated", _MISSING), key=_stamp)
        elif key == "reopened" and who:
            # A record kept in the file for good: each laptop's reopening stays.
            value = _every_entry(bh.get(key), oh.get(key), th.get(key))
            notes.append("reopened on two laptops; both reopenings kept")
        elif key == "scope" and who:
            # Widened on both (the app only widens): an answer in a section one laptop
            # added must not fall out of the scope, where it counts nowhere.
            value = _wider_scope(oh.get(key, _MISSING), th.get(key, _MISSING))
            notes.append("scope widened on two laptops; kept the sections of both")
        elif who:
            notes.append(f"{key} changed on two laptops; kept {_why(who)}")
        if value is not _MISSING:
            head[key] = value
    merged: dict[str, Any] = {"session": head}
    for key in [*o, *(k for k in t if k not in o)]:
        if key in ("session", "summary", "results"):
            continue
        value, who = _pick(b.get(key, _MISSING), o.get(key, _MISSING),
                           t.get(key, _MISSING), o_at, t_at)  # fmt: skip
        if who:
            notes.append(f"{key} changed on two laptops; kept {_why(who)}")
        if value is not _MISSING:
            merged[key] = value
    merged["results"] = _merge_results(b, o, t, o_at, t_at, notes)
    return merged, notes


def _wider_scope(ours: Any, theirs: Any) -> Any:
    """The sections of both scopes (ours first, in order); none (every section) when
    either has none."""
    if not isinstance(ours, list) or not isinstance(theirs, list) or not ours or not theirs:
        return _MISSING
    return [*ours, *(section for section in theirs if section not in ours)]


def _every_entry(*lists: Any) -> list[Any]:
    """The entries of all `lists` (base, ours, theirs), each once, oldest `at` first."""
    kept: list[Any] = []
    for entries in lists:
        for entry in entries if isinstance(entries, list) else []:
            if entry not in kept:
                kept.append(entry)
    return sorted(kept, key=lambda entry: _stamp(entry.get("at") if isinstance(entry, dict)
                                                 else None))  # fmt: skip


def _merge_results(b, o, t, o_at, t_at, notes) -> list[dict[str, Any]]:
    def by_item(document: dict) -> dict[Any, dict]:  # a hand-made file may lack item_id
        return {r.get("item_id"): r for r in document.get("results", []) if isinstance(r, dict)}

    base, ours, theirs = by_item(b), by_item(o), by_item(t)
    results = []
    for item_id in [*ours, *(i for i in theirs if i not in ours)]:
        if item_id not in ours or item_id not in theirs:
            results.append(ours[item_id] if item_id in ours else theirs[item_id])
            continue
        ro, rt = ours[item_id], theirs[item_id]
        rb = base.get(item_id, _MISSING)
        record, who = _pick(rb, ro, rt, _OLDEST, _OLDEST)
        if who:
            record, said = _both_changed(ro, rt, o_at, t_at, rb if isinstance(rb, dict) else {})
            notes.append(f"item {item_id} {said}")
        results.append(record)
    return results


def _new_paragraphs(other: str, note: str) -> str:
    """What of `other` (a note written on another laptop) `note` does not hold yet, by
    paragraph: "" when nothing. Two laptops that both joined the same third laptop's note
    into theirs (they synced at the same moment, and one merged again after the other
    pushed) must not get it twice. A paragraph is held when `note` has it, with or without
    the head a join puts before it ("(answered fail on another laptop) …")."""
    if not other.strip():
        return ""
    held = {paragraph.strip() for paragraph in note.split("\n\n")}
    held |= {text for paragraph in held if (text := _without_head(paragraph))}
    fresh = [
        paragraph
        for paragraph in other.split("\n\n")
        if paragraph.strip()
        and paragraph.strip() not in held
        and (_without_head(paragraph.strip()) or paragraph.strip()) not in held
    ]
    return "\n\n".join(fresh)


def _without_head(paragraph: str) -> str:
    return _NOTED_ON_ANOTHER.sub("", paragraph, count=1).strip()


_NOTED_ON_ANOTHER = re.compile(
    r"^\((?:answered [^()]* on another laptop|written on another laptop, not answered there)\) ?"
)
"""The head `_both_changed` puts before a note kept from another laptop's answer."""


_GRAVITY = {grade.value: rank for rank, grade in enumerate(GRADES)}
"""Grades by gravity: 0 is the gravest (major)."""


ONLY_ANSWER = "the only answer changed"
"""`_both_changed`'s reason when one laptop changed the answer, the other a note or grade."""


def _both_changed(
    ro: dict, rt: dict, o_at: datetime, t_at: datetime, rb: dict
) -> tuple[dict, str]:
    """One item changed differently on two laptops (`rb`: as both had it before): the
    record to keep, and what to say.

    When only one laptop changed the answer (the other a note, a grade, a file), that
    answer is kept: a clear (back to unanswered) has no `recorded` time and lost to the
    answer it took back. Else the newer answer (by `recorded`, then by the session's
    `updated`) is kept. With the
    same result on both, nothing is dropped: both notes are kept (the newer first), the
    graver grade, and every file attached on either (`_keep_files`: one detached on a
    laptop stays detached). With different results, the other answer's note is kept too
    (saying which answer it was written with) and its files: evidence is never dropped
    with an answer, only by a detach. A different result in the same second keeps a fail
    (a nonconformity is never dropped on a coin toss), else the one brought in; the
    other answer stays in the history."""
    def when(record: dict, session_at: datetime) -> tuple[datetime, datetime]:
        return _stamp(record.get("recorded")), session_at

    o_when, t_when = when(ro, o_at), when(rt, t_at)
    before = rb.get("result", "unanswered")
    o_moved, t_moved = ro.get("result") != before, rt.get("result") != before
    if o_moved != t_moved:
        newer, older = (ro, rt) if o_moved else (rt, ro)
        why = ONLY_ANSWER
    elif o_when != t_when:
        newer, older = (ro, rt) if o_when > t_when else (rt, ro)
        why = "the newer"
    elif (ro.get("result") == "fail") != (rt.get("result") == "fail"):
        newer, older = (ro, rt) if ro.get("result") == "fail" else (rt, ro)
        why = "changed in the same second: a fail is kept"
    else:
        newer, older = rt, ro
        why = "changed in the same second"
    kept = dict(newer)
    said = []
    note, other = str(newer.get("note", "")), str(older.get("note", ""))
    if newer.get("result") != older.get("result"):
        # The other answer is dropped, never what was written or attached with it. Only
        # what that laptop wrote: a note the other laptop replaced on purpose stays gone.
        only = why == ONLY_ANSWER
        wrote_note = not only or other != str(rb.get("note", ""))
        if only and wrote_note and note == str(rb.get("note", "")):
            note = kept["note"] = ""  # the note the other laptop replaced does not stay
        # The note says the answer it was written with, grade and all; a grade alone is
        # noted only when that laptop gave it (not one it left as it was).
        given = older.get("grade") if older.get("grade") in _GRAVITY else None
        grade = None if only and given == rb.get("grade") else given
        answer = f"{older.get('result')}, {given}," if given else older.get("result")
        added = _new_paragraphs(other, note) if wrote_note else ""
        if added:
            head = ("(written on another laptop, not answered there)"
                    if older.get("result") == "unanswered"
                    else f"(answered {answer} on another laptop)")  # fmt: skip
            other = f"{head} {added}"
            kept["note"] = f"{note}\n\n{other}" if note.strip() else other
            said.append("the note written on the other laptop kept"
                        if older.get("result") == "unanswered"
                        else f"the note written with {older.get('result')} kept")  # fmt: skip
        elif grade:  # no note, but the grade given is what was dropped: said in the note
            other = f"(answered {answer} on another laptop)"
            kept["note"] = f"{note}\n\n{other}" if note.strip() else other
            said.append(f"the {grade} grade given with {older.get('result')} noted")
        _keep_files(kept, newer, older, rb, said)
        if only:
            given = newer.get("result")
            done = "cleared" if given == "unanswered" else f"answered {given}"
            head = (
                f"{done} on one laptop, its note or grade changed on the other; kept "
                f"{given}, {older.get('result')} stays in the history"
            )
        else:
            head = (
                f"answered on two laptops; kept {newer.get('result')} ({why}), "
                f"{older.get('result')} stays in the history"
            )
        return kept, head + "".join(f"; {what}" for what in said)
    # The same answer: each of its note and grade from the laptop that changed it (a
    # note corrected on one laptop, a grade lowered on the other: both changes kept);
    # changed on both, both notes and the graver grade.
    has_base = bool(rb)
    base_note = str(rb.get("note", ""))
    if has_base and note == base_note and other != base_note:
        kept["note"] = other  # only the other laptop wrote the note
    elif has_base and other == base_note:
        pass  # only this one did
    elif added := _new_paragraphs(other, note):
        kept["note"] = f"{note}\n\n{added}" if note.strip() else added
        said.append("both notes kept")
    new_grade, old_grade, base_grade = newer.get("grade"), older.get("grade"), rb.get("grade")
    if has_base and new_grade == base_grade and old_grade != base_grade:
        if old_grade is None:  # taken out on the other laptop
            kept.pop("grade", None)
        else:
            kept["grade"] = old_grade
    elif not (has_base and old_grade == base_grade):
        grades = [g for g in (new_grade, old_grade) if g in _GRAVITY]
        if grades:
            kept["grade"] = min(grades, key=_GRAVITY.__getitem__)
            if len(set(grades)) > 1:
                said.append(f"the graver grade kept ({kept['grade']})")
    _keep_files(kept, newer, older, rb, said)
    if not said:
        said.append("kept the newer version" if why == "the newer" else "kept one version")
    return kept, (
        f"changed on two laptops (both {newer.get('result')}): {', '.join(said)}; "
        "each version stays in the history"
    )


def _keep_files(kept: dict, newer: dict, older: dict, base: dict, said: list[str]) -> None:
    """The files as both laptops leave them (`base`: the item as both had it before):
    every file attached on either stays attached, and one detached on either (a photo
    of the wrong drawing) stays detached, though the other laptop, which only wrote a
    note, still has it."""
    kept_files, other_files = newer.get("attachments", []), older.get("attachments", [])
    detached = [
        a for a in base.get("attachments", []) if a not in kept_files or a not in other_files
    ]
    files = [a for a in [*kept_files, *other_files] if a not in detached]
    # One copy attached on both laptops (the same file, its name its SHA-256) is one.
    files = [a for n, a in enumerate(files) if _copy_of(a) not in map(_copy_of, files[:n])]
    if files:
        kept["attachments"] = files
    else:
        kept.pop("attachments", None)
    if len(files) > len([a for a in kept_files if a not in detached]):
        said.append("the files attached on both kept")
    if any(a in kept_files or a in other_files for a in detached):
        said.append("a file detached on one laptop stays detached")


def _copy_of(attachment: Any) -> Any:
    """The evidence copy an attachment entry names (its `file`), else the entry."""
    if isinstance(attachment, dict) and isinstance(attachment.get("file"), str):
        return attachment["file"]
    return attachment


def _finding(path: str, base, ours, theirs) -> Resolved:
    b, o, t = _document(base, path) or {}, _document(ours, path), _document(theirs, path)
    assert o is not None and t is not None
    merged, notes = merge_record(b, o, t)
    from auditui.tomlio import dumps

    data = dumps(merged).encode("utf-8")
    parse_toml(data.decode("utf-8"), PurePosixPath(path))  # type: ignore[arg-type]
    return Resolved({path: data}, [f"{path}: {note}" for note in notes])


def _record_stamps(document: dict) -> tuple[dict[str, datetime], datetime]:
    """Per-field stamps (`[changed]`) and the record's own `updated` (any table's)."""
    changed = document.get("changed")
    stamps = {k: _stamp(v) for k, v in changed.items()} if isinstance(changed, dict) else {}
    updated = document.get("updated")
    for value in document.values():
        if updated is None and isinstance(value, dict):
            updated = value.get("updated")
    return stamps, _stamp(updated)


def merge_record(b: dict, o: dict, t: dict) -> tuple[dict[str, Any], list[str]]:
    """A findings record changed on two laptops, field by field: the newer value of each
    field changed on both (its `[changed]` stamp, else the record's `updated`). A field
    set again to the value it had (a status marked done again after a fail showed the
    action did not work) is a change too: its stamp is newer than the base's."""
    o_stamps, o_updated = _record_stamps(o)
    t_stamps, t_updated = _record_stamps(t)
    b_stamps, _ = _record_stamps(b)

    def set_again(stamps: dict[str, datetime], name: str) -> bool:
        """Whether a side stamped `name` after the base did (whatever the value)."""
        return name in stamps and (name not in b_stamps or stamps[name] > b_stamps[name])
    merged: dict[str, Any] = {}
    notes: list[str] = []
    for key in [*o, *(k for k in t if k not in o)]:
        bv, ov, tv = b.get(key, _MISSING), o.get(key, _MISSING), t.get(key, _MISSING)
        if key == "changed" and isinstance(ov, dict) and isinstance(tv, dict):
            merged[key] = {
                k: max(ov.get(k, _MISSING), tv.get(k, _MISSING), key=_stamp) for k in {**ov, **tv}
            }
            continue
        if isinstance(ov, dict) and isinstance(tv, dict):
            table: dict[str, Any] = {}
            bt = bv if isinstance(bv, dict) else {}
            for name in [*ov, *(n for n in tv if n not in ov)]:
                if key == "finding" and name == HISTORY:
                    continue  # joined below, from both laptops' statuses
                if key == "finding" and name == ALIASES:  # every id either laptop knew
                    both = [*text_list(ov.get(name)), *text_list(tv.get(name))]
                    table[name] = sorted(set(both))[:ALIASES_KEPT]
                    continue
                value, who = _pick(
                    bt.get(name, _MISSING), ov.get(name, _MISSING), tv.get(name, _MISSING),
                    o_stamps.get(name, o_updated), t_stamps.get(name, t_updated),
                    ours_set=set_again(o_stamps, name), theirs_set=set_again(t_stamps, name),
                )  # fmt: skip
                if name == "updated":
                    value = max(ov.get(name, _MISSING), tv.get(name, _MISSING), key=_stamp)
                elif who:
                    notes.append(
                        f"{name} changed on two laptops; kept {_show(value)} ({_why(who)})"
                    )
                if value is not _MISSING:
                    table[name] = value
            if key == "finding":
                notes = _closing_as_one(table, bt, ov, tv, notes)
                notes += _status_under_a_closing(table, bt, ov, tv)
            merged[key] = table
            continue
        value, who = _pick(bv, ov, tv, o_updated, t_updated)
        if who and key != "updated":
            notes.append(f"{key} changed on two laptops; kept {_show(value)} ({_why(who)})")
        if value is not _MISSING:
            merged[key] = value if key != "updated" else max(ov, tv, key=_stamp)
    _join_histories(merged, o, t)
    return merged, notes


def _closing_as_one(
    table: dict, base: dict, ours: dict, theirs: dict, notes: list[str]
) -> list[str]:
    """`table` (the merged `[finding]`) with the reason and the name of the closing its
    `closed` came from: closed by hand on two laptops, the field-by-field merge gave one
    closing's date and reason and the other's name (Mai, who never gave that reason).
    The notes, with one line for the closing in place of one per field."""
    def changed(side: dict) -> bool:
        return any(side.get(name) != base.get(name) for name in CLOSING)

    closed = table.get("closed", _MISSING)
    sides = [side for side in (ours, theirs) if side.get("closed", _MISSING) == closed]
    if not sides or not (changed(ours) and changed(theirs)):
        return notes  # closed (or reopened) on one laptop: each field is that laptop's
    if all(ours.get(name) == theirs.get(name) for name in CLOSING):
        return notes
    # Two closings in one second: the one the other laptops have already, as a tie goes.
    tie = len(sides) > 1
    side = theirs if tie else sides[0]
    for name in CLOSING[1:]:
        if name in side:
            table[name] = side[name]
        else:
            table.pop(name, None)
    notes = [note for note in notes if note.split(" ", 1)[0] not in CLOSING]
    if closed is _MISSING:
        notes.append("reopened on one laptop, its closing changed on the other; kept open "
                     "(the newer)")  # fmt: skip
        return notes
    reason = f", because {_show(side['closed_reason'])}" if side.get("closed_reason") else ""
    by = f", by {_show(side['closed_by'])}" if side.get("closed_by") else ""
    kept = ("the closing the other laptops have (both made in one second)" if tie
            else "the newer closing")  # fmt: skip
    dropped = ours if side is theirs else theirs
    other = dropped.get("closed_reason")
    if other and other != side.get("closed_reason"):  # said: only in the history after
        by_other = f" by {_show(dropped['closed_by'])}" if dropped.get("closed_by") else ""
        reason += f" (the other, {_show(other)}{by_other}, stays in the history)"
    notes.append(f"closed by hand on two laptops; kept {kept}{reason}{by}")
    return notes


def _status_under_a_closing(table: dict, base: dict, ours: dict, theirs: dict) -> list[str]:
    """What to say when one laptop closed the finding by hand and the other changed its
    action meanwhile (set its status back to open after a failed check, wrote a cause):
    the closing stands, the register reads closed whatever the status, and the one who
    made the change is never told."""
    if table.get("closed", _MISSING) is _MISSING:
        return []
    before = base.get("closed", _MISSING)
    for closer, other in ((ours, theirs), (theirs, ours)):
        closed_there = closer.get("closed", _MISSING) not in (before, _MISSING)
        other_closed = other.get("closed", _MISSING) != before  # closed (or reopened) too
        if not closed_there or other_closed:
            continue
        changed = []
        for name in ("status", "owner", "due", "cause", "correction", "action"):
            value = other.get(name, _MISSING)
            if value not in (base.get(name, _MISSING), closer.get(name, _MISSING)):
                changed.append(name)
        if not changed:
            continue
        status = other.get("status", _MISSING)
        said = [f"its status set to {_show(status)}"] if "status" in changed else []
        rest = [name for name in changed if name != "status"]
        if rest:
            said.append(f"its {', '.join(rest)} changed")
        return [
            f"closed by hand on one laptop, {' and '.join(said)} on the other: it stays "
            "closed (a new fail of the item raises a new finding)"
        ]
    return []


def _join_histories(merged: dict, o: dict, t: dict) -> None:
    """Every status either laptop's record had stays in the merged record's history (the
    one whose present status lost too): what an audit found of the action as it stood
    then must read the same on every laptop."""
    finding = merged.get("finding")
    if not isinstance(finding, dict):
        return
    lines = []
    for side in (o, t):
        table, changed = side.get("finding"), side.get("changed")
        if isinstance(table, dict):
            lines.append(timeline(table, changed if isinstance(changed, dict) else {}))
    stamps = merged.get("changed")
    now = (stamps.get("status") if isinstance(stamps, dict) else None, finding.get("status"))
    kept = [side["finding"].get(HISTORY) for side in (o, t)
            if isinstance(side.get("finding"), dict)]  # fmt: skip
    history = history_beside(now, *lines, kept=kept)
    if history:
        finding[HISTORY] = history
    else:
        finding.pop(HISTORY, None)


def _show(value: Any) -> str:
    if value is _MISSING:
        return "no value"
    text = str(value)
    return repr(text if len(text) <= 40 else text[:39] + "…")


def _union_of_lines(ours: bytes, theirs: bytes) -> bytes:
    lines = ours.splitlines()
    lines += [line for line in theirs.splitlines() if line not in lines]
    return b"\n".join(lines) + b"\n"
