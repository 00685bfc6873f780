"""Commit messages in audit words (sync/describe.py) and the merge rules (sync/resolve.py)
that need no repository."""

from __future__ import annotations

import tomllib
from datetime import datetime

from auditui.sync.describe import Change, describe
from auditui.sync.resolve import merge_record, moved_record, resolve


def session_doc(marks: dict[str, str], **head) -> dict:
    return {
        "session": {"id": "s1", "kind": "internal-audit",
                    "started": datetime(2026, 12, 4, 9, 30), **head},  # fmt: skip
        "results": [{"item_id": i, "result": r, "note": ""} for i, r in marks.items()],
    }


def test_a_session_and_a_finding_in_one_line() -> None:
    before = session_doc({"a": "pass", "b": "unanswered", "c": "unanswered"})
    after = session_doc({"a": "pass", "b": "fail", "c": "na"})
    finding_before = {"finding": {"id": "s1/8.4.1-b", "status": "action"}}
    finding_after = {"finding": {"id": "s1/8.4.1-b", "status": "done"}}
    message = describe(
        "Mai",
        [Change("s1.toml", before, after),
         Change("findings/s1+8.4.1-b.toml", finding_before, finding_after)],
    )  # fmt: skip
    assert message == (
        "Mai: internal audit 2026-12-04 09:30, 2 marks; finding s1/8.4.1-b: action done\n"
    )


def test_a_new_and_a_finished_session() -> None:
    started = describe("Anan", [Change("s1.toml", None, session_doc({"a": "pass", "b": "na"}))])
    assert started == "Anan: internal audit 2026-12-04 09:30 started, 2 marks\n"
    finished = describe(
        "Anan",
        [Change("s1.toml", session_doc({"a": "pass"}),
                session_doc({"a": "pass"}, finished=datetime(2026, 12, 4, 11, 0)))],
    )  # fmt: skip
    assert finished == "Anan: internal audit 2026-12-04 09:30, finished\n"


def test_sessions_of_one_day_are_told_apart_and_every_step_is_named() -> None:
    """Five sessions of a day all read "internal audit 2026-12-04"; a reopening and a new
    finish between two syncs read as one mark; deletions were counted as sessions."""
    titled = session_doc({"a": "pass"}, title="Moulding line 2")
    assert describe("Mai", [Change("s1.toml", None, titled)]) == (
        'Mai: internal audit 2026-12-04 "Moulding line 2" started, 1 mark\n'
    )
    sealed = session_doc({"a": "pass"}, finished=datetime(2026, 12, 4, 11, 0))
    again = session_doc(
        {"a": "fail"}, finished=datetime(2026, 12, 5, 8, 0),
        reopened=[{"at": datetime(2026, 12, 5, 7, 0), "reason": "4.1 re-checked"}],
    )  # fmt: skip
    assert describe("Mai", [Change("s1.toml", sealed, again)]) == (
        "Mai: internal audit 2026-12-04 09:30, 1 mark, reopened and finished again\n"
    )
    open_again = session_doc({"a": "pass"}, reopened=again["session"]["reopened"])
    assert describe("Mai", [Change("s1.toml", sealed, open_again)]).endswith(", reopened\n")
    many = [Change(f"s{n}.kept-x.toml", session_doc({}, id=f"s{n}"), None) for n in range(12)]
    many.append(Change("s1.toml", sealed, again))
    first = describe("Mai", many).partition("\n\n")[0]
    assert first == (
        "Mai: 1 session (1 mark, 1 reopened and finished again), 12 sessions removed"
    )


def test_items_out_of_the_scope_are_not_marks() -> None:
    scoped = session_doc({"a": "pass", "b": "out-of-scope", "c": "out-of-scope"})
    started = describe("Anan", [Change("s1.toml", None, scoped)])
    assert started == "Anan: internal audit 2026-12-04 09:30 started, 1 mark\n"
    widened = session_doc({"a": "pass", "b": "unanswered", "c": "out-of-scope"})
    assert "mark" not in describe("Anan", [Change("s1.toml", scoped, widened)])


def test_many_changes_are_counted_on_the_first_line_and_listed_below() -> None:
    changes = [
        Change(f"s{n}.toml", None, session_doc({"a": "pass"}, id=f"s{n}")) for n in range(20)
    ]
    message = describe("Linh", changes)
    first, _, body = message.partition("\n\n")
    assert first == "Linh: 20 sessions (20 marks)"
    assert body.count("\n- ") == 19 and body.startswith("- internal audit")


def test_findings_fields_changed_on_both_sides_take_the_newer_stamp() -> None:
    at = {h: datetime.fromisoformat(f"2026-12-04T{h:02d}:00:00+07:00") for h in (9, 10, 15)}
    base = {"finding": {"id": "x/1", "owner": "A"}, "changed": {"owner": at[9]}}
    ours = {"finding": {"id": "x/1", "owner": "B", "due": "2026-12-20"},
            "changed": {"owner": at[15], "due": at[10]}}  # fmt: skip
    theirs = {"finding": {"id": "x/1", "owner": "C", "cause": "no training"},
              "changed": {"owner": at[10], "cause": at[10]}}  # fmt: skip
    merged, notes = merge_record(base, ours, theirs)
    assert merged["finding"] == {"id": "x/1", "owner": "B", "due": "2026-12-20",
                                 "cause": "no training"}  # fmt: skip
    assert merged["changed"]["owner"] == at[15]
    assert notes == ["owner changed on two laptops; kept 'B' (the newer)"]


def test_a_findings_record_moved_to_a_renamed_session_changes_only_its_id() -> None:
    text = (b'[finding]\nid = "s1/8.4 b"\nowner = "Mai"\nmine = "kept"\n\n'
            b"[changed]\nowner = 2026-12-04T09:00:00+07:00\n")  # fmt: skip
    path, data = moved_record("findings/s1+8.4%20b.toml", text, "s1", "s1-k3mq") or ("", b"")
    assert path == "findings/s1-k3mq+8.4%20b.toml"
    moved = tomllib.loads(data.decode())
    assert moved["finding"] == {"id": "s1-k3mq/8.4 b", "owner": "Mai", "mine": "kept"}
    assert str(moved["changed"]["owner"]) == "2026-12-04 09:00:00+07:00"
    # Another session's record, or one under a name not its own, stays where it is.
    assert moved_record("findings/s1+8.4%20b.toml", text, "s2", "s2-k3mq") is None
    assert moved_record("findings/s1+copy.toml", text, "s1", "s1-k3mq") is None
    assert moved_record("findings/s1+x.toml", b"not toml [", "s1", "s1-k3mq") is None
    # A name too long with the new id: the item part is hashed, as `finding` names it.
    item, long_id = "i" * 60, "s1-" + "x" * 142
    text = f'[finding]\nid = "s1/{item}"\n'.encode()
    path, _ = moved_record(f"findings/s1+{item}.toml", text, "s1", long_id) or ("", b"")
    assert path.startswith(f"findings/{long_id}+sha256-")


def test_a_gitignore_changed_on_both_keeps_every_line() -> None:
    resolved = resolve(".gitignore", b"*.lock\n", b"*.lock\n*.tmp\n", b"*.lock\n*.bak\n", str)
    assert resolved.files[".gitignore"] == b"*.lock\n*.tmp\n*.bak\n"


def test_an_unknown_file_changed_on_both_keeps_both() -> None:
    resolved = resolve("notes.txt", b"a", b"ours", b"theirs", str)
    assert resolved.files == {"notes.txt": b"ours", "notes.txt.from-another-laptop": b"theirs"}
    assert len(resolved.notes) == 1


def test_a_findings_record_over_the_read_limit_once_merged_is_not_merged(monkeypatch) -> None:
    """Each laptop's long text in its own field: the merge held both, over the 1 MiB the
    register reads, and every laptop would have lost the corrective action from it."""
    from auditui import finding_records

    monkeypatch.setattr(finding_records, "MAX_RECORD_BYTES", 300)
    base = b'[finding]\nid = "x/1"\n'
    ours = base + b'cause = "' + b"c" * 200 + b'"\n'
    theirs = base + b'action = "' + b"a" * 200 + b'"\n'
    resolved = resolve("findings/x+1.toml", base, ours, theirs, str)
    assert resolved.files == {
        "findings/x+1.toml": ours, "findings/x+1.toml.from-another-laptop": theirs
    }
    [why] = resolved.problems
    assert why.startswith("the merged file would be ") and "at most 300" in why


def test_deleted_on_one_side_changed_on_the_other_is_kept() -> None:
    text = b'[finding]\nid = "x/1"\nowner = "B"\n'
    resolved = resolve("findings/x+1.toml", b'[finding]\nid = "x/1"\n', None, text, str)
    assert resolved.files == {"findings/x+1.toml": text}
    assert tomllib.loads(text.decode())["finding"]["owner"] == "B"


def test_evidence_attached_is_said_as_evidence_not_details_and_other_files() -> None:
    """Attaching a photo read "internal audit 2026-12-04, details; 2 other files"."""
    before = session_doc({"a": "fail"})
    after = session_doc({"a": "fail"})
    after["results"][0]["attachments"] = [{"file": "evidence/s1/IMG_1.jpg", "sha256": "ab"}]
    message = describe("Mai", [Change("s1.toml", before, after),
                               Change("evidence/s1/IMG_1.jpg", None, None),
                               Change("evidence/s1/IMG_2.jpg", None, None)])  # fmt: skip
    assert message == "Mai: internal audit 2026-12-04 09:30, evidence of 1 item; 2 evidence files\n"


def test_what_came_in_is_counted_by_kind_leaving_out_kinds_with_none() -> None:
    from auditui.commands.sync import report_lines
    from auditui.sync.engine import Outcome

    outcome = Outcome(brought_in=["findings/s1+4.1-a.toml", "evidence/s1/a.jpg", "notes.txt"])
    assert report_lines(outcome)[0] == (
        "brought in from other laptops: 1 finding, 1 evidence file, 1 other file"
    )


def test_evidence_attached_is_said_in_a_real_sync_and_not_again(tmp_path, checklist, run_cli,
                                                                monkeypatch) -> None:
    """What the laptop commits is read from the session, not the file: it had no
    attachments, so every later commit said 'evidence of 1 item' again."""
    from sync_helpers import bare_remote, three_laptops

    mai, _, _ = three_laptops(tmp_path / "laptops", bare_remote(tmp_path / "r.git"), monkeypatch)
    session_id = mai.start(checklist, {"4.1-a": "pass"})
    assert mai.sync(run_cli)[0] == 0
    photo = tmp_path / "gauge.jpg"
    photo.write_bytes(b"gauge")
    mai.use()
    writer = mai.store.open(session_id)
    writer.attach("4.1-a", [photo])
    writer.close()
    assert mai.sync(run_cli)[0] == 0
    assert mai.log("-1", "--format=%s").endswith(", evidence of 1 item; 1 evidence file\n")
    mai.mark_saved(session_id, {"4.2-a": "pass"})
    assert mai.sync(run_cli)[0] == 0
    assert mai.log("-1", "--format=%s").endswith(", 1 mark\n")


def test_both_laptops_statuses_stay_in_the_merged_history() -> None:
    """A record's status changed on two laptops: the merged history kept one laptop's list
    whole, so the status that lost was gone, and an audit between read otherwise after
    the sync; the note showed a Python list."""
    from datetime import datetime, timedelta, timezone

    from auditui.finding_records import HISTORY, timeline
    from auditui.sync.resolve import merge_record

    zone = timezone(timedelta(hours=7))

    def day(n: int) -> datetime:
        return datetime(2026, 12, n, 9, tzinfo=zone)

    base = {"finding": {"id": "s1/1.1-a", "status": "open"}, "changed": {"status": day(1)}}
    ours = {"finding": {"id": "s1/1.1-a", "status": "done", "owner": "Mai",
                        HISTORY: [{"status": "open", "at": day(1)}]},
            "changed": {"status": day(2), "owner": day(9)}}  # fmt: skip
    theirs = {"finding": {"id": "s1/1.1-a", "status": "done",
                          HISTORY: [{"status": "open", "at": day(1)},
                                    {"status": "action", "at": day(4)}]},
              "changed": {"status": day(5)}}  # fmt: skip
    merged, notes = merge_record(base, ours, theirs)
    line = timeline(merged["finding"], merged["changed"])
    assert [(at.day, status) for at, status in line] == [
        (1, "open"), (2, "done"), (4, "action"), (5, "done")
    ]
    assert not any(HISTORY in note for note in notes), notes


def test_a_status_set_again_to_its_earlier_value_is_a_change_and_the_newer_wins() -> None:
    """Done, then not effective; one laptop set `action`, the other, later, `done` again
    (the base's value). Compared by value only, `done` read as unchanged: `action` was
    kept on every laptop without a word, though `done` was the newer change."""
    from datetime import datetime, timedelta, timezone

    from auditui.sync.resolve import merge_record

    zone = timezone(timedelta(hours=7))

    def second(n: int) -> datetime:
        return datetime(2026, 12, 7, 11, 7, n, tzinfo=zone)

    base = {"finding": {"id": "s1/4.1-a", "status": "done"}, "changed": {"status": second(1)}}
    ours = {"finding": {"id": "s1/4.1-a", "status": "action"}, "changed": {"status": second(52)}}
    theirs = {"finding": {"id": "s1/4.1-a", "status": "done", "action": "Fixed again"},
              "changed": {"status": second(54), "action": second(54)}}  # fmt: skip
    for o, t in ((ours, theirs), (theirs, ours)):  # whichever laptop merges
        merged, notes = merge_record(base, o, t)
        assert merged["finding"]["status"] == "done"
        assert merged["finding"]["action"] == "Fixed again"
        assert "status changed on two laptops; kept 'done' (the newer)" in notes
    # A field only one laptop touched is still taken from it without a word.
    merged, notes = merge_record(base, base | {"finding": {"id": "s1/4.1-a", "status": "done",
                                                            "owner": "Mai"},
                                               "changed": {"status": second(1),
                                                           "owner": second(9)}}, ours)  # fmt: skip
    assert (merged["finding"]["status"], merged["finding"]["owner"]) == ("action", "Mai")
    assert notes == []


def test_a_finding_closed_by_hand_on_two_laptops_keeps_one_closing_whole() -> None:
    """Mai closed it "process retired"; Anan, later, "duplicate of NC 12" without a name.
    Merged field by field it read closed because of Anan's reason, by Mai."""
    from datetime import datetime, timedelta, timezone

    from auditui.sync.resolve import merge_record

    zone = timezone(timedelta(hours=7))
    mai_at, anan_at = (datetime(2026, 12, 5, h, tzinfo=zone) for h in (9, 10))
    base = {"finding": {"id": "s1/4.1-a", "owner": "Ploy"}}
    ours = {"finding": {"id": "s1/4.1-a", "owner": "Ploy", "closed": mai_at,
                        "closed_reason": "process retired", "closed_by": "Mai"},
            "changed": {"closed": mai_at, "closed_reason": mai_at, "closed_by": mai_at}}
    theirs = {"finding": {"id": "s1/4.1-a", "owner": "Ploy", "closed": anan_at,
                          "closed_reason": "duplicate of NC 12"},
              "changed": {"closed": anan_at, "closed_reason": anan_at}}  # fmt: skip
    merged, notes = merge_record(base, ours, theirs)
    assert merged["finding"] == {"id": "s1/4.1-a", "owner": "Ploy", "closed": anan_at,
                                 "closed_reason": "duplicate of NC 12"}  # fmt: skip
    assert notes == [  # the other closing named: it is only in the history after
        "closed by hand on two laptops; kept the newer closing, because 'duplicate of NC 12' "
        "(the other, 'process retired' by 'Mai', stays in the history)"
    ]
    # Closed on both in one second: one closing whole, the one brought in (as ties go),
    # not its reason with this laptop's name.
    ours_tie = {"finding": {"id": "s1/4.1-a", "owner": "Ploy", "closed": mai_at,
                            "closed_reason": "RB", "closed_by": "Anan"},
                "changed": {"closed": mai_at, "closed_reason": mai_at, "closed_by": mai_at}}
    theirs = {"finding": {"id": "s1/4.1-a", "owner": "Ploy", "closed": mai_at,
                          "closed_reason": "RA"},
              "changed": {"closed": mai_at, "closed_reason": mai_at}}  # fmt: skip
    merged, _ = merge_record(base, ours_tie, theirs)
    assert (merged["finding"]["closed_reason"], merged["finding"].get("closed_by")) == (
        "RA", None
    )
    # Reopened on one laptop, later, while the other corrected the reason: open, and said.
    closed = {"id": "s1/4.1-a", "owner": "Ploy", "closed": mai_at,
              "closed_reason": "process retired"}  # fmt: skip
    reopened = {"finding": {"id": "s1/4.1-a", "owner": "Ploy"},
                "changed": {"closed": anan_at, "closed_reason": anan_at}}
    corrected = {"finding": {**closed, "closed_reason": "process retired in May"},
                 "changed": {"closed_reason": mai_at}}  # fmt: skip
    merged, notes = merge_record({"finding": closed}, corrected, reopened)
    assert "closed" not in merged["finding"] and "closed_reason" not in merged["finding"]
    assert notes == [
        "reopened on one laptop, its closing changed on the other; kept open (the newer)"
    ]
    # Closed on one laptop only (the other changed the owner): that closing, whole, and
    # the other laptop told it is closed.
    theirs = {"finding": {"id": "s1/4.1-a", "owner": "Somchai"}, "changed": {"owner": anan_at}}
    merged, notes = merge_record(base, ours, theirs)
    assert merged["finding"]["closed_by"] == "Mai" and merged["finding"]["owner"] == "Somchai"
    assert notes == ["closed by hand on one laptop, its owner changed on the other: it stays "
                     "closed (a new fail of the item raises a new finding)"]  # fmt: skip


def test_the_ids_a_record_knows_its_finding_by_are_joined_from_both_laptops() -> None:
    from auditui.sync.resolve import merge_record

    base = {"finding": {"id": "m/4.2-a", "owner": "A"}}
    ours = {"finding": {"id": "m/4.2-a", "owner": "B", "known_as": ["p1/4.2-a"]}}
    theirs = {"finding": {"id": "m/4.2-a", "owner": "A", "known_as": ["p2/4.2-a"]}}
    merged, _ = merge_record(base, ours, theirs)
    assert merged["finding"]["known_as"] == ["p1/4.2-a", "p2/4.2-a"]


def test_a_status_changed_on_a_laptop_while_another_closed_the_finding_is_said() -> None:
    """Mai closed the finding by hand ("verified effective"); Anan, a second later, set
    it back to open after a re-check failed. The closing stands (the register reads it
    closed whatever the status), and the sync said nothing of Anan's change."""
    from datetime import datetime, timedelta, timezone

    from auditui.sync.resolve import merge_record

    zone = timezone(timedelta(hours=7))
    mai_at, anan_at = (datetime(2026, 12, 5, 9, s, tzinfo=zone) for s in (1, 2))
    base = {"finding": {"id": "s1/4.1-a", "status": "done"}}
    ours = {"finding": {"id": "s1/4.1-a", "status": "done", "closed": mai_at,
                        "closed_reason": "verified effective by Mai"},
            "changed": {"closed": mai_at, "closed_reason": mai_at}}  # fmt: skip
    theirs = {"finding": {"id": "s1/4.1-a", "status": "open", "cause": "re-check failed"},
              "changed": {"status": anan_at, "cause": anan_at}}  # fmt: skip
    for one, other in ((ours, theirs), (theirs, ours)):
        merged, notes = merge_record(base, one, other)
        assert merged["finding"]["closed_reason"] == "verified effective by Mai"
        assert notes == [
            "closed by hand on one laptop, its status set to 'open' and its cause changed on "
            "the other: it stays closed (a new fail of the item raises a new finding)"
        ]
    # Nothing changed elsewhere, the laptop that closed it also set the status, both
    # closed it, or a record new on both with one closing: silent.
    assert merge_record(base, ours, base)[1] == []
    closed_done = {"finding": {**ours["finding"], "status": "action"},
                   "changed": {**ours["changed"], "status": mai_at}}  # fmt: skip
    assert merge_record(base, closed_done, base)[1] == []
    both = {"finding": {**ours["finding"], "status": "done", "owner": "Anan"},
            "changed": {**ours["changed"], "owner": anan_at}}  # fmt: skip
    assert merge_record(base, ours, both)[1] == [] and merge_record({}, ours, both)[1] == []
    # A cause written on the other laptop meanwhile is said too (its writer never knew).
    cause = {"finding": {"id": "s1/4.1-a", "status": "done", "cause": "worn gauge"},
             "changed": {"cause": anan_at}}  # fmt: skip
    assert merge_record(base, ours, cause)[1] == [
        "closed by hand on one laptop, its cause changed on the other: it stays closed (a "
        "new fail of the item raises a new finding)"
    ]


def test_a_note_written_on_an_item_left_unanswered_is_not_called_an_answer() -> None:
    """Mai passed the item; Anan only wrote a note on it. The note was kept under
    "(answered unanswered on another laptop)"."""
    from datetime import datetime, timedelta, timezone

    from auditui.sync.resolve import _both_changed

    zone = timezone(timedelta(hours=7))
    base = {"item_id": "4.1-a", "result": "unanswered", "note": ""}
    mai = {**base, "result": "pass", "note": "seen",
           "recorded": datetime(2026, 12, 5, 9, tzinfo=zone)}  # fmt: skip
    anan = {**base, "note": "ask the night shift"}
    at = datetime(2026, 12, 5, 10, tzinfo=zone)
    kept, said = _both_changed(mai, anan, at, at, base)
    assert kept["result"] == "pass"
    assert kept["note"] == (
        "seen\n\n(written on another laptop, not answered there) ask the night shift"
    )
    assert "answered unanswered" not in said and "written with unanswered" not in said
    assert "the note written on the other laptop kept" in said


def test_joined_notes_keep_every_paragraph_not_held_yet() -> None:
    """Another laptop's note is joined by paragraph: a paragraph that is only a head (a
    grade given, no note) is kept, and a note contained in another word for word is not
    taken for it ("Pump 3" beside "Pump 32 leaks")."""
    from auditui.sync.resolve import _new_paragraphs

    assert _new_paragraphs("(answered pass, major, on another laptop)",
                           "(answered pass, minor, on another laptop)") == (
        "(answered pass, major, on another laptop)"
    )  # fmt: skip
    assert _new_paragraphs("(answered pass, minor, on another laptop)", "") == (
        "(answered pass, minor, on another laptop)"
    )
    assert _new_paragraphs("Pump 3", "Pump 32 leaks") == "Pump 3"
    joined = "note-C\n\n(answered fail, minor, on another laptop) note-A"
    assert _new_paragraphs("note-A", joined) == ""
    assert _new_paragraphs("(answered fail on another laptop) note-A", "x\n\nnote-A") == ""


def test_a_note_kept_from_a_fail_says_its_grade_when_only_the_note_changed_there() -> None:
    """Both laptops had a minor fail; one passed it, the other only added to the note: the
    note was kept under "(answered fail on another laptop)", the minor left out."""
    from datetime import datetime, timedelta, timezone

    from auditui.sync.resolve import _both_changed

    zone = timezone(timedelta(hours=7))
    base = {"item_id": "a1", "result": "fail", "grade": "minor", "note": "gap",
            "recorded": datetime(2026, 12, 5, 8, tzinfo=zone)}  # fmt: skip
    mai = {**base, "result": "pass", "note": "A says fixed", "recorded":
           datetime(2026, 12, 5, 9, tzinfo=zone)}  # fmt: skip
    mai.pop("grade")
    anan = {**base, "note": "B adds detail"}
    at = datetime(2026, 12, 5, 10, tzinfo=zone)
    kept, said = _both_changed(mai, anan, at, at, base)
    assert kept["result"] == "pass"
    assert kept["note"] == "A says fixed\n\n(answered fail, minor, on another laptop) B adds detail"
    assert "minor grade given" not in said  # the grade was there before: not given there
