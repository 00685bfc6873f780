"""Finishing, the seal, verify and reopen: what an auditor relies on after the closing
meeting is that the results agreed there cannot change unnoticed."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tomllib
from datetime import date, datetime, time
from pathlib import Path

import pytest
import tomli_w

from auditui.errors import AudituiError
from auditui.export import export_session
from auditui.seal import verify_file
from auditui.store import SessionStore, read_session

CONCLUSION = "Conforms, with one minor nonconformity — ผ่าน [bold]"
SIGNERS = ["Mai (auditor)", "Anan (production manager)"]


def independent_seal(path: Path) -> str:
    """The seal recomputed from docs/session-files.md ("What the seal covers, exactly"),
    without auditui's code."""

    def plain(value):
        if isinstance(value, datetime | date | time):
            return value.isoformat()
        if isinstance(value, dict):
            return {key: plain(inner) for key, inner in value.items()}
        if isinstance(value, list):
            return [plain(inner) for inner in value]
        return value

    def result(table):
        table = dict(table)
        if "attachments" in table:
            table["attachments"] = [[a["file"], a["sha256"]] for a in table["attachments"]]
        return table

    document = tomllib.loads(path.read_text("utf-8"))
    head = {key: value for key, value in document["session"].items() if key not in ("id", "seal")}
    form = {
        "form": "auditui-seal-1",
        "session": head,
        "results": [result(r) for r in document.get("results", [])],
    }
    text = json.dumps(plain(form), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


EVIDENCE_SHA256 = hashlib.sha256(b"the mislabelled lot").hexdigest()


@pytest.fixture
def finished(store: SessionStore, checklist, started, tmp_path: Path) -> Path:
    """A finished session of the demo checklist scoped to section 4, with notes, a grade
    and evidence on one item."""
    writer = store.create(checklist, auditor="Mai", auditee="QA", started=started, scope=["4"])
    writer.answer("4.1-a", result="fail", note="ไม่มีบันทึก\nline two", grade="minor")
    writer.answer("4.2-a", result="pass", note="👍🏽 ok")
    photo = tmp_path / "IMG_1.jpg"
    photo.write_bytes(b"the mislabelled lot")
    writer.attach("4.1-a", [photo])
    writer.snapshot()
    writer.finish(conclusion=CONCLUSION, signed_by=SIGNERS)
    writer.close()
    return store.path_for(writer.session.id)


def verify(run_cli, *references) -> tuple[int, str, str]:
    return run_cli("verify", *map(str, references))


def test_the_seal_matches_an_independent_recomputation(finished: Path) -> None:
    document = tomllib.loads(finished.read_text("utf-8"))
    head = document["session"]
    assert head["seal"] == independent_seal(finished)
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", head["seal"])
    assert head["conclusion"] == CONCLUSION
    assert head["signed_by"] == SIGNERS
    assert head["finished"] == head["updated"]
    assert document["results"][0]["attachments"][0]["sha256"] == EVIDENCE_SHA256
    assert not finished.with_suffix(".journal").exists()


def test_the_seal_is_stable_across_save_load_export_and_import(
    finished: Path, tmp_path: Path, run_cli
) -> None:
    seal = read_session(finished).seal
    assert verify_file(finished).intact
    # Opened and closed again (as resume does), saved again: the same seal, still intact.
    store = SessionStore(finished.parent)
    writer = store.open(str(finished))
    writer.snapshot()
    writer.close()
    assert read_session(finished).seal == seal and verify_file(finished).intact
    # Exported, imported on another laptop: the seal comes along and checks the same way.
    exported = tmp_path / "handed-over.toml"
    exported.write_bytes(export_session(read_session(finished), "toml"))
    assert independent_seal(exported) == seal
    other = tmp_path / "other-laptop"
    code, _, err = run_cli("import", exported, "--sessions-dir", other)
    assert code == 0, err
    imported = other / finished.name
    assert read_session(imported).seal == seal
    assert independent_seal(imported) == seal
    # Its evidence travels beside it (a copy of the folder, or sync): verify checks it too.
    shutil.copytree(finished.parent / "evidence", other / "evidence")
    code, out, _ = verify(run_cli, "--sessions-dir", other, finished.stem)
    assert code == 0
    assert out == f"{finished.stem}: sealed {read_session(finished).finished.isoformat()}, intact\n"


def edit_document(path: Path, change) -> None:
    """Change the parsed file and write it back as TOML (what a script would do)."""
    document = tomllib.loads(path.read_text("utf-8"))
    change(document)
    path.write_text(tomli_w.dumps(document), "utf-8")


SEALED_CHANGES = [
    ("note", lambda d: d["results"][0].update(note="fixed"), "4.1-a"),
    ("result", lambda d: d["results"][1].update(result="fail"), "4.2-a"),
    ("grade", lambda d: d["results"][0].update(grade="major"), "4.1-a"),
    ("grade removed", lambda d: d["results"][0].pop("grade"), "4.1-a"),
    ("recorded", lambda d: d["results"][0].update(recorded=datetime(2026, 1, 1)), "4.1-a"),
    ("evidence hash", lambda d: d["results"][0]["attachments"][0].update(sha256="0" * 64), "4.1-a"),
    ("out of scope answered", lambda d: d["results"][2].update(result="pass"), "5.1-a"),
    ("item removed", lambda d: d["results"].pop(3), "5.2-a"),
    ("scope", lambda d: d["session"].update(scope=["4", "5"]), "scope"),
    ("scope removed", lambda d: d["session"].pop("scope"), "scope"),
    ("started", lambda d: d["session"].update(started=datetime(2026, 1, 1, 8, 0)), "started"),
    ("finished", lambda d: d["session"].update(finished=datetime(2027, 1, 1, 8, 0)), "finished"),
    ("conclusion", lambda d: d["session"].update(conclusion="All fine"), "conclusion"),
    ("signer", lambda d: d["session"]["signed_by"].append("Someone"), "signed_by"),
    ("auditee", lambda d: d["session"].update(auditee="Other dept"), "auditee"),
    ("version", lambda d: d["session"].update(checklist_version="9"), "checklist_version"),
    ("checklist hash", lambda d: d["session"].update(checklist_sha256="0" * 6), "checklist_sha256"),
]


@pytest.mark.parametrize(
    ("what", "change", "named"), SEALED_CHANGES, ids=[c[0] for c in SEALED_CHANGES]
)
def test_any_change_to_a_sealed_part_is_named(finished: Path, run_cli, what, change, named) -> None:
    seal = independent_seal(finished)
    edit_document(finished, change)
    assert independent_seal(finished) != seal  # the documented seal changes too
    code, out, err = verify(run_cli, finished)
    assert code == 1, (out, err)
    assert out.startswith(f"{finished.stem}: changed since it was sealed: ")
    assert named in out.rstrip("\n").split(": ", 2)[2].split(", ")


def test_a_session_changed_since_it_was_sealed_is_not_listed_as_simply_finished(
    finished: Path, run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sessions` called a tampered session finished, like any other: only verify, the
    report and the walkthrough's bar said otherwise."""
    from auditui import filecache

    monkeypatch.setenv("AUDITUI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(filecache, "MIN_AGE_NS", -(10**12))  # indexed at once
    listing = ("--sessions-dir", finished.parent, "sessions")
    code, out, _ = run_cli(*listing)
    assert code == 0 and "SEAL BROKEN" not in out
    finished.write_text(finished.read_text("utf-8").replace("👍🏽 ok", "ok"), "utf-8")
    for _ in range(2):  # read from the file, then from the index
        code, out, _ = run_cli(*listing)
        row = next(line for line in out.splitlines() if line.startswith(finished.stem))
        assert code == 0 and " SEAL BROKEN" in row
        code, out, _ = run_cli(*listing, "--format", "toml")
        assert tomllib.loads(out)["sessions"][0]["seal_broken"] is True


def test_a_summary_edited_by_hand_is_said_by_the_lists_and_the_report_as_by_verify(
    finished: Path, run_cli
) -> None:
    """`verify` named a hand-edited `[summary]` and exited 1, while `sessions` listed the
    session as finished and its report read "Finished and sealed"."""
    text = finished.read_text("utf-8")
    finished.write_text(text.replace("\n[summary]\n", "\n[summary]\npass = 3\n", 1)
                        .replace("\npass = 1\n", "\n", 1), "utf-8")  # fmt: skip
    code, out, _ = verify(run_cli, finished)
    assert code == 1 and out == f"{finished.stem}: changed since it was sealed: summary\n"
    folder = ("--sessions-dir", finished.parent)
    code, out, _ = run_cli(*folder, "sessions")
    row = next(line for line in out.splitlines() if line.startswith(finished.stem))
    assert code == 0 and " SEAL BROKEN" in row
    code, report, _ = run_cli("report", finished.stem, "--format", "markdown", *folder)
    assert code == 0 and "Finished, but changed since it was sealed: summary" in report
    # Reopened and finished again in one program (the app): sealed anew, and intact.
    from auditui.seal import seal_broken
    from auditui.store import SessionStore

    writer = SessionStore(finished.parent).open(finished.stem)
    writer.reopen("summary typed over by hand")
    writer.finish(conclusion="Conforms", signed_by=["Mai (auditor)"])
    assert not seal_broken(writer.session)
    writer.close()
    assert verify(run_cli, finished)[0] == 0


def test_reopening_a_session_changed_since_it_was_sealed_keeps_that_for_good(
    finished: Path, run_cli
) -> None:
    """Reopened and finished again, a result changed by hand read "sealed, intact": the
    change was laundered through a new seal."""
    text = finished.read_text("utf-8")
    finished.write_text(text.replace('result = "fail"', 'result = "pass"', 1)
                        .replace('grade = "minor"\n', "", 1), "utf-8")  # fmt: skip
    folder = ("--sessions-dir", finished.parent)
    edited = finished.read_text("utf-8")
    finished.write_text(edited.replace("\n[summary]\n", "\n[summary]\nfail = 0\n", 1)
                        .replace("\nfail = 1\n", "\n", 1), "utf-8")  # fmt: skip
    assert "summary" in verify(run_cli, finished)[1]
    code, out, err = run_cli("reopen", finished.stem, "--reason", "typo", *folder)
    assert code == 0 and out == f"{finished.stem}: reopened\n"
    assert f"session {finished.stem} was changed since it was sealed (4.1-a" in err
    document = tomllib.loads(finished.read_text("utf-8"))
    # What verify named, the hand-edited summary too.
    assert document["session"]["reopened"][0]["changed_since_sealed"] == ["4.1-a", "summary"]
    code, _, err = run_cli("finish", finished.stem, "--conclusion", "ok", "--sign", "Mai",
                           *folder)  # fmt: skip
    assert code == 0, err
    assert verify(run_cli, finished)[0] == 0  # the file is as sealed now ...
    code, report, _ = run_cli("report", finished.stem, "--format", "markdown", *folder)
    assert code == 0  # ... and the report says what had been changed before
    assert "its seal no longer matched: changed by hand since it was sealed: 4.1-a" in report


def test_every_command_that_counts_a_session_changed_since_sealed_says_so(
    finished: Path, run_cli
) -> None:
    """findings, trend, review-pack and export used the changed results without a word."""
    finished.write_text(finished.read_text("utf-8").replace('result = "fail"', 'result = "pass"',
                        1).replace('grade = "minor"\n', "", 1), "utf-8")  # fmt: skip
    folder = ("--sessions-dir", finished.parent)
    said = (f"{finished}: session {finished.stem} was changed since it was sealed (auditui "
            "verify names what): counted as it is now, not as it was signed\n")  # fmt: skip
    for command in (["findings"], ["trend", "demo"], ["review-pack"],
                    ["export", finished.stem, "--format", "markdown"]):  # fmt: skip
        code, _, err = run_cli(*command, *folder)
        assert (code, err) == (0, f"auditui: {said}"), command


def test_a_removed_or_edited_seal_line_is_reported(finished: Path, run_cli) -> None:
    text = finished.read_text("utf-8")
    finished.write_text(re.sub(r'seal = "sha256:[0-9a-f]{4}', 'seal = "sha256:0000', text), "utf-8")
    code, out, _ = verify(run_cli, finished)
    assert (code, out) == (1, f"{finished.stem}: changed since it was sealed: seal\n")
    finished.write_text(re.sub(r"(?m)^seal = .*\n", "", text), "utf-8")
    code, out, _ = verify(run_cli, finished)
    assert (code, out) == (1, f"{finished.stem}: changed since it was sealed: seal\n")
    without_both = re.sub(r"(?m)^(seal|finished) = .*\n", "", text)
    finished.write_text(without_both, "utf-8")
    code, out, _ = verify(run_cli, finished)
    assert code == 1 and "finished" in out and "seal" in out


def test_a_hand_edited_summary_is_reported(finished: Path, run_cli) -> None:
    edit_document(finished, lambda d: d["summary"].update(fail=0, score=1.0))
    code, out, _ = verify(run_cli, finished)
    assert (code, out) == (1, f"{finished.stem}: changed since it was sealed: summary\n")


def test_a_count_in_the_summary_written_as_true_is_reported(finished: Path, run_cli) -> None:
    """`fail = true` where the count is 1 passed verify (Python's True == 1)."""
    from auditui.session_toml import read_session_file

    fails = read_session_file(finished).summary().failed
    assert fails == 1
    edit_document(finished, lambda d: d["summary"].update(fail=True))
    code, out, _ = verify(run_cli, finished)
    assert (code, out) == (1, f"{finished.stem}: changed since it was sealed: summary\n")


def test_a_change_waiting_in_a_journal_is_caught(finished: Path, run_cli) -> None:
    entry = {
        "t": "item", "item": "4.2-a", "result": "fail", "note": "changed later", "grade": None,
        "recorded": "2026-11-26T10:00:00+07:00", "updated": "2026-11-26T10:00:00+07:00",
    }  # fmt: skip
    finished.with_suffix(".journal").write_text(json.dumps(entry) + "\n", "utf-8")
    code, out, _ = verify(run_cli, finished)
    assert code == 1
    assert "4.2-a" in out


def test_finish_from_the_command_line(store, checklist, started, run_cli) -> None:
    writer = store.create(checklist, auditor="Mai", auditee="QA", started=started)
    writer.answer("4.1-a", result="pass")
    writer.close()
    session_id = writer.session.id
    code, out, err = run_cli(
        "finish", session_id, "--sessions-dir", store.folder, "--conclusion", "OK",
        "--sign", "Mai (auditor)", "--sign", "Anan",
    )  # fmt: skip
    assert code == 0, err
    assert "3 items in scope left unanswered; finished anyway" in err
    session = read_session(store.path_for(session_id))
    assert session.is_finished and session.signed_by == ("Mai (auditor)", "Anan")
    assert out == f"{session_id}: finished {session.finished.isoformat()}, {session.seal}\n"
    # Finishing twice is refused, and says how to reopen.
    code, _, err = run_cli("finish", session_id, "--sessions-dir", store.folder)
    assert code == 1 and "reopen" in err and err.count("\n") == 1


def test_an_empty_signer_is_refused_not_dropped(store, checklist, started, run_cli) -> None:
    """`--sign ""` (a script's unset variable) finished the session signed by its
    auditor alone, without a word."""
    writer = store.create(checklist, auditor="Mai", auditee="QA", started=started)
    writer.close()
    for names in ([""], ["Anan", "  "]):
        signs = [part for name in names for part in ("--sign", name)]
        code, _, err = run_cli("finish", writer.session.id, "--sessions-dir", store.folder,
                               "--conclusion", "OK", *signs)  # fmt: skip
        assert code == 2 and "empty name" in err and err.count("\n") == 1
        assert not read_session(store.path_for(writer.session.id)).is_finished


def test_a_finished_session_refuses_marks_until_reopened(finished: Path, run_cli) -> None:
    store = SessionStore(finished.parent)
    writer = store.open(finished.stem)
    with pytest.raises(AudituiError, match="finished and sealed.*auditui reopen"):
        writer.answer("4.2-a", result="fail")
    with pytest.raises(AudituiError, match="finished"):
        writer.set_details(auditor="x", auditee="y", title="z")
    with pytest.raises(AudituiError, match="finished"):
        writer.widen_scope(["5"])
    writer.close()
    assert verify_file(finished).intact


def test_reopen_keeps_why_and_finishing_again_seals_again(finished: Path, run_cli) -> None:
    before = read_session(finished)
    folder = ["--sessions-dir", finished.parent]
    code, _, err = run_cli("reopen", finished.stem, *folder, "--reason", "late record")
    assert code == 0, err
    document = tomllib.loads(finished.read_text("utf-8"))
    head = document["session"]
    assert "seal" not in head and "finished" not in head and "sealed" not in document
    (entry,) = head["reopened"]
    assert entry["reason"] == "late record"
    assert entry["seal"] == before.seal and entry["conclusion"] == CONCLUSION
    code, out, _ = verify(run_cli, *folder, finished.stem)
    assert (code, out) == (0, f"{finished.stem}: not finished\n")
    # Now it takes marks again.
    writer = SessionStore(finished.parent).open(finished.stem)
    writer.answer("4.2-a", result="fail", note="record missing after all")
    assert writer.session.last_sign_off() == (CONCLUSION, tuple(SIGNERS))
    writer.finish(conclusion="Two findings", signed_by=SIGNERS)
    writer.close()
    again = read_session(finished)
    assert again.seal != before.seal
    assert again.seal == independent_seal(finished)
    assert [e["reason"] for e in again.reopened] == ["late record"]
    assert verify_file(finished).intact
    # The history of reopenings is sealed with the rest: deleting it is noticed.
    edit_document(finished, lambda d: d["session"].pop("reopened"))
    code, out, _ = verify(run_cli, *folder, finished.stem)
    assert (code, out) == (1, f"{finished.stem}: changed since it was sealed: reopened\n")
    # Reopening needs a reason, and a finished session.
    code, _, err = run_cli("reopen", finished.stem, *folder, "--reason", "  ")
    assert code == 2 and "--reason TEXT" in err  # the command line (SPEC), as finding --close


def test_reopen_of_a_session_in_work_is_refused(store, checklist, run_cli) -> None:
    writer = store.create(checklist)
    writer.close()
    code, _, err = run_cli(
        "reopen", writer.session.id, "--sessions-dir", store.folder, "--reason", "x"
    )
    assert code == 1 and "not finished" in err


def test_verify_many_and_unreadable(finished: Path, tmp_path: Path, run_cli) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[session\n", "utf-8")
    code, out, err = verify(run_cli, finished, broken)
    assert code == 1
    assert out.startswith(f"{finished.stem}: sealed ")
    assert "broken.toml" in err and err.count("\n") == 1
    code, out, err = verify(run_cli, "--sessions-dir", finished.parent, "no-such-session")
    assert code == 1 and "no session" in err


def test_sessions_lists_show_when_a_session_was_finished(finished: Path, run_cli) -> None:
    folder = ["--sessions-dir", finished.parent]
    session = read_session(finished)
    code, out, _ = run_cli("sessions", *folder, "--format", "toml")
    assert code == 0
    (row,) = tomllib.loads(out)["sessions"]
    assert row["finished"] == session.finished
    code, out, _ = run_cli("sessions", *folder)
    header, line = out.splitlines()
    assert "FINISHED" in header.split()
    assert f"{session.finished:%Y-%m-%d}" in line.split()


@pytest.mark.parametrize("how", ["rewritten", "a link put in its place", "a folder"])
def test_verify_names_an_evidence_file_changed_since_sealing(
    finished: Path, run_cli, tmp_path: Path, how: str
) -> None:
    session = read_session(finished)
    attachment = session.record("4.1-a").attachments[0]
    copy = finished.parent / attachment.file
    if how == "rewritten":
        copy.write_bytes(b"another photo")
    else:
        copy.unlink()
        if how == "a folder":
            copy.mkdir()
        else:
            (tmp_path / "other.jpg").write_bytes(b"another photo")
            copy.symlink_to(tmp_path / "other.jpg")
    code, out, _ = run_cli("verify", str(finished))
    assert code == 1
    assert "changed since it was sealed: 4.1-a evidence IMG_1.jpg (changed)" in out


def test_verify_names_evidence_missing_here_without_calling_the_audit_changed(
    finished: Path, run_cli, tmp_path: Path
) -> None:
    """An export imported on another laptop carries no evidence files: the audit is as it
    was sealed, but its evidence cannot be vouched for there (exit 1, said as such)."""
    other = tmp_path / "other-laptop"
    code, _, _ = run_cli("export", str(finished), "-o", tmp_path / "finished.toml")
    assert code == 0
    code, _, _ = run_cli("--sessions-dir", other, "import", tmp_path / "finished.toml")
    assert code == 0
    code, out, _ = run_cli("--sessions-dir", other, "verify", finished.stem)
    assert code == 1
    assert "changed" not in out and ", intact; " in out
    assert out.rstrip().endswith("not in this folder: 4.1-a evidence IMG_1.jpg (missing)")


def test_a_reformatted_file_is_still_intact(finished: Path, run_cli) -> None:
    """Only values are sealed: a file reformatted (keys reordered, comments, spacing)
    with the same values verifies."""

    def reorder(document):
        document["session"] = dict(reversed(list(document["session"].items())))

    edit_document(finished, reorder)
    text = re.sub(r"(?m)^(\w+) = ", r"\1   =   ", finished.read_text("utf-8"))
    finished.write_text("# copied from the shared drive\n" + text, "utf-8")
    code, out, _ = verify(run_cli, finished)
    assert (code, out.endswith(", intact\n")) == (0, True), out


def test_text_edits_by_hand_are_caught(finished: Path, run_cli) -> None:
    """Edits as a person makes them in a text editor, one at a time."""
    original = finished.read_text("utf-8")
    edits = [
        ("👍🏽 ok", "👍 ok"),  # an emoji's skin tone
        ('result = "fail"', 'result = "pass"'),
        ('grade = "minor"', 'grade = "observation"'),
        ("+07:00", "+00:00"),  # a time zone
        ('scope = [\n    "4",\n]', 'scope = [\n    "4",\n    "5",\n]'),
        ('scope = [\n    "4",\n]\n', ""),
        ("Anan (production manager)", "Anan"),
        ("minor nonconformity", "minor nonconformity."),
    ]
    for old, new in edits:
        assert old in original, old
        finished.write_text(original.replace(old, new, 1), "utf-8")
        code, out, err = verify(run_cli, finished)
        assert code == 1, (old, out, err)
        assert "changed since it was sealed" in out
    finished.write_text(original, "utf-8")
    assert verify(run_cli, finished)[0] == 0


def test_the_markdown_export_shows_the_sign_off(finished: Path) -> None:
    markdown = export_session(read_session(finished), "markdown").decode("utf-8")
    assert "| Signed by | Mai (auditor); Anan (production manager) |" in markdown
    assert f"| Seal | {read_session(finished).seal} |" in markdown


def test_finishing_with_evidence_missing_says_so(store, checklist, started, tmp_path, run_cli):
    writer = store.create(checklist, auditor="Mai", auditee="QA", started=started)
    photo = tmp_path / "IMG_7.jpg"
    photo.write_bytes(b"the gauge")
    writer.answer("4.1-a", result="fail")
    (attachment,) = writer.attach("4.1-a", [photo])
    writer.close()
    (store.folder / attachment.file).unlink()  # imported without its evidence folder
    sign_off = ("--conclusion", "Gauge records missing", "--sign", "Mai (auditor)")
    code, out, err = run_cli("finish", writer.session.id, *sign_off, "--sessions-dir", store.folder)
    assert code == 0
    assert "1 evidence file not here or changed (4.1-a evidence IMG_7.jpg (missing))" in err


def test_the_report_of_a_session_changed_since_sealing_does_not_call_it_sealed(
    finished: Path, run_cli, tmp_path: Path
) -> None:
    """verify names the change; the report said "finished and sealed" with the changed
    score all the same."""
    folder = ("--sessions-dir", str(finished.parent))
    code, out, _ = run_cli("report", finished.stem, "--format", "markdown", *folder)
    assert code == 0 and "Finished and sealed" in out
    assert "does not match" not in out
    original = finished.read_text("utf-8")
    finished.write_text(original.replace('result = "pass"', 'result = "fail"', 1), "utf-8")
    for fmt in ("markdown", "html"):
        target = tmp_path / f"report.{fmt}"
        code, _, err = run_cli("report", finished.stem, "--format", fmt, "-o", target, *folder)
        assert code == 0, err
        text = target.read_text("utf-8")
        assert "finished and sealed" not in text.lower()
        assert "changed since it was sealed" in text
        assert "does not match the results" in text


def test_finishing_needs_a_conclusion_and_a_name_signing_it(store, checklist, started, run_cli):
    """SPEC: a finished session is one closed with a conclusion and sign-off; `finish` with
    neither sealed an empty conclusion and no signature. Without a conclusion (typed, or
    the one it had before it was reopened) nothing is finished."""
    writer = store.create(checklist, auditor="Mai", auditee="QA", started=started)
    writer.answer("4.1-a", result="pass")
    writer.close()
    before = store.path_for(writer.session.id).read_bytes()
    folder = ("--sessions-dir", store.folder)
    for options in ((), ("--sign", "Mai"), ("--conclusion", " ", "--sign", "Mai")):
        code, out, err = run_cli("finish", writer.session.id, *options, *folder)
        assert (code, out) == (1, ""), options
        assert "--conclusion TEXT" in err and len(err.splitlines()) == 1
    assert store.path_for(writer.session.id).read_bytes() == before
    reopened = store.open(writer.session.id)
    with pytest.raises(AudituiError, match="a conclusion and a name signing it missing"):
        reopened.finish(conclusion="", signed_by=[" "])
    reopened.close()
    assert not read_session(store.path_for(writer.session.id)).is_finished


def test_finish_signs_as_the_auditor_when_no_name_is_given(store, checklist, started, run_cli):
    """SPEC gives `--sign` as optional: the auditor signs, as the app offers."""
    writer = store.create(checklist, auditor="Mai", auditee="QA", started=started)
    writer.close()
    folder = ("--sessions-dir", store.folder)
    code, _, err = run_cli("finish", writer.session.id, "--conclusion", "OK", *folder)
    assert code == 0, err
    session = read_session(store.path_for(writer.session.id))
    assert session.signed_by == ("Mai (auditor)",) and session.conclusion == "OK"
    # Nobody to sign for a session that names no auditor: the name is asked for.
    nobody = store.create(checklist, auditor="", auditee="QA", started=started)
    nobody.close()
    code, out, err = run_cli("finish", nobody.session.id, "--conclusion", "OK", *folder)
    assert (code, out) == (1, "") and "--sign NAME" in err and len(err.splitlines()) == 1
    assert not read_session(store.path_for(nobody.session.id)).is_finished


def test_finishing_again_after_a_reopening_keeps_the_conclusion_and_asks_who_signs(
    finished: Path, run_cli
) -> None:
    """Reopened to mend one note, a session is finished again with the conclusion it had.
    Who signed before is not signed again unasked (they signed other results), nor
    dropped without a word, as the production manager's signature was: the names are
    asked for, and the auditor alone signs by default only when the auditor alone signed."""
    folder = ("--sessions-dir", finished.parent)
    code, _, err = run_cli("reopen", finished.stem, "--reason", "typo in a note", *folder)
    assert code == 0, err
    code, out, err = run_cli("finish", finished.stem, *folder)
    assert (code, out) == (1, "") and len(err.splitlines()) == 1
    assert "signed before by Mai (auditor), Anan (production manager); give --sign NAME" in err
    assert not read_session(finished).is_finished
    code, _, err = run_cli("finish", finished.stem, "--sign", "Mai (auditor)",
                           "--sign", "Anan (production manager)", *folder)  # fmt: skip
    assert code == 0, err
    session = read_session(finished)
    assert session.conclusion == CONCLUSION and session.signed_by == tuple(SIGNERS)
    code, _, err = run_cli("reopen", finished.stem, "--reason", "one more typo", *folder)
    code, _, err = run_cli("finish", finished.stem, "--sign", "Mai (auditor)", *folder)
    assert code == 0, err
    code, _, err = run_cli("reopen", finished.stem, "--reason", "and another", *folder)
    code, _, err = run_cli("finish", finished.stem, *folder)  # the auditor alone signed
    assert code == 0, err
    assert read_session(finished).signed_by == ("Mai (auditor)",)


def test_a_change_with_the_sealed_table_gone_is_not_called_a_change_of_everything(
    finished: Path, run_cli
) -> None:
    """Without `[sealed]` the parts cannot be compared: verify listed every field and
    every item as changed; it says the seal is broken and why it cannot name more."""
    def change(document: dict) -> None:
        del document["sealed"]
        document["results"][1]["result"] = "fail"

    edit_document(finished, change)
    code, out, _ = verify(run_cli, finished)
    assert code == 1
    assert "changed since it was sealed: seal (its [sealed] table is gone, so what " in out
    assert "4.1-a" not in out and "auditor" not in out  # not every part named as changed


def test_the_review_pack_shows_a_session_changed_since_sealed_as_such(
    finished: Path, run_cli
) -> None:
    """The pack for management called it "finished", its warning only on stderr."""
    finished.write_text(finished.read_text("utf-8").replace("👍🏽 ok", "ok"), "utf-8")
    code, out, err = run_cli("review-pack", "--format", "markdown", "--sessions-dir",
                             finished.parent)  # fmt: skip
    assert code == 0 and "was changed since it was sealed" in err
    assert "| SEAL BROKEN |" in out
    assert "| finished |" not in out


def test_importing_a_finished_session_changed_since_sealed_says_so(
    finished: Path, run_cli, tmp_path: Path
) -> None:
    """An export of a sealed session edited on the way went in without a word: only a later
    verify told. Import brings it in as it is (the laptop that sent it keeps its own copy)
    and says that it reads SEAL BROKEN; an untouched export says nothing of the kind."""
    folder = ("--sessions-dir", finished.parent)
    code, exported, _ = run_cli("export", finished.stem, "--format", "toml", *folder)
    assert code == 0
    intact = tmp_path / "intact.toml"
    intact.write_text(exported, "utf-8")
    edited = tmp_path / "edited.toml"
    edited.write_text(exported.replace("👍🏽 ok", "all fine", 1), "utf-8")
    elsewhere = ("--sessions-dir", tmp_path / "other-laptop")
    code, _, err = run_cli("import", intact, *elsewhere)
    assert code == 0 and "SEAL BROKEN" not in err
    (tmp_path / "other-laptop" / f"{finished.stem}.toml").unlink()
    code, _, err = run_cli("import", edited, *elsewhere)
    assert code == 0
    assert f"session {finished.stem} was changed since it was sealed (4.2-a)" in err
    assert "SEAL BROKEN" in err


def test_verify_and_reopen_name_changed_evidence_without_its_control_characters(
    store: SessionStore, checklist, started, tmp_path: Path, run_cli
) -> None:
    """An evidence file changed since sealing is kept in changed_since_sealed, and its name,
    as the laptop that attached it spelled it, reaches the terminal without escapes."""
    writer = store.create(checklist, auditor="Mai", auditee="QA", started=started)
    photo = tmp_path / "evil\x1b[31mRED.txt"
    photo.write_bytes(b"the record")
    writer.attach("4.1-a", [photo])
    writer.finish(conclusion=CONCLUSION, signed_by=SIGNERS)
    writer.close()
    (copy,) = (store.folder / "evidence").rglob("*.txt")
    copy.write_bytes(b"another record")
    code, out, _ = run_cli("verify", writer.session.id, "--sessions-dir", store.folder)
    assert code == 1 and "\x1b" not in out and "(changed)" in out
    code, _, err = run_cli("reopen", writer.session.id, "--reason", "check",
                           "--sessions-dir", store.folder)  # fmt: skip
    assert code == 0 and "\x1b" not in err and "(changed)" in err
    document = tomllib.loads(store.path_for(writer.session.id).read_text("utf-8"))
    (kept,) = document["session"]["reopened"][0]["changed_since_sealed"]
    assert kept.startswith("4.1-a evidence evil") and kept.endswith("(changed)")


def test_a_seal_taken_out_by_hand_is_not_hidden_by_finishing_again(
    finished: Path, run_cli
) -> None:
    """A note changed by hand and the `finished` and `seal` lines deleted (the `[sealed]`
    table left): `verify` named only "finished, seal", `sessions` showed a plain session in
    work, `reopen` refused, and `finish` sealed the changed note as intact, leaving no trace."""
    folder = ("--sessions-dir", finished.parent)
    text = finished.read_text("utf-8").replace("👍🏽 ok", "all ok")
    finished.write_text(re.sub(r"(?m)^(seal|finished) = .*\n", "", text), "utf-8")
    changed = "finished, seal, 4.2-a"
    code, out, _ = verify(run_cli, finished)
    assert (code, out) == (1, f"{finished.stem}: changed since it was sealed: {changed}\n")
    code, out, _ = run_cli("sessions", *folder)
    assert "-" + " SEAL BROKEN" in out
    code, report, _ = run_cli("report", finished.stem, "--format", "markdown", *folder)
    assert "its seal was taken out of the file by hand" in report
    code, _, err = run_cli("finish", finished.stem, "--conclusion", "All fine",
                           "--sign", "Mai (auditor)", *folder)  # fmt: skip
    assert code == 0, err
    assert f"its seal was taken out of the file by hand ({changed})" in err
    assert verify(run_cli, finished)[0] == 0  # sealed again, as the file is now ...
    document = tomllib.loads(finished.read_text("utf-8"))
    kept = document["session"]["reopened"][-1]  # ... with what had been done kept for good
    assert ", ".join(kept["changed_since_sealed"]) == changed
    code, report, _ = run_cli("report", finished.stem, "--format", "markdown", *folder)
    assert f"changed by hand since it was sealed: {changed}" in report


def test_a_seal_taken_out_by_hand_survives_marks_and_can_be_reopened(
    finished: Path, store, run_cli
) -> None:
    """Marks saved in the app (a snapshot of a session in work) dropped the `[sealed]`
    digests, and with them any trace; `reopen` said there was nothing to reopen."""
    text = finished.read_text("utf-8").replace("👍🏽 ok", "all ok")
    finished.write_text(re.sub(r"(?m)^(seal|finished) = .*\n", "", text), "utf-8")
    writer = store.open(finished.stem)
    writer.answer("4.1-a", result="fail", note="still none", grade="minor")
    writer.close()  # folded into the file: a snapshot
    assert verify(run_cli, finished)[0] == 1
    code, out, err = run_cli("reopen", finished.stem, "--reason", "mended by hand",
                             "--sessions-dir", finished.parent)  # fmt: skip
    assert (code, out) == (0, f"{finished.stem}: reopened\n"), err
    entry = tomllib.loads(finished.read_text("utf-8"))["session"]["reopened"][-1]
    assert entry["reason"] == "mended by hand" and "4.2-a" in entry["changed_since_sealed"]
    assert "sealed" not in tomllib.loads(finished.read_text("utf-8"))
    assert verify(run_cli, finished) == (0, f"{finished.stem}: not finished\n", "")


def _without(text: str, *, keys: tuple[str, ...], sealed: bool) -> str:
    """`text` without the given `[session]` keys' lines (not the `[sealed.fields]` lines
    of the same names) and, with `sealed`, without the `[sealed...]` tables."""
    out, table = [], ""
    for line in text.splitlines(keepends=True):
        if line.startswith("["):
            table = line.strip()
        if table == "[session]" and line.split(" = ")[0] in keys:
            continue
        if sealed and table.startswith("[sealed"):
            continue
        out.append(line)
    return "".join(out)


@pytest.mark.parametrize(
    ("keys", "sealed", "named"),
    [
        (("finished",), False, "finished, 4.2-a"),  # the seal line left
        # and [sealed] too: only the sign-off left behind says it was finished
        (("finished", "seal"), True,
         "finished, seal (its [sealed] table is gone, so what changed cannot be named)"),
    ],
    ids=["finished line", "finished, seal and [sealed]"],
)
def test_a_finish_taken_out_another_way_is_not_hidden_either(
    finished: Path, run_cli, keys, sealed, named
) -> None:
    """Deleting fewer lines (`finished` alone), or more (the `[sealed]` table too, the
    conclusion and signatures left) hid the seal all the same: verify said "not finished",
    the report printed the signatures under results they never signed, and finish sealed
    the change as intact."""
    folder = ("--sessions-dir", finished.parent)
    text = finished.read_text("utf-8").replace("👍🏽 ok", "all ok")
    finished.write_text(_without(text, keys=keys, sealed=sealed), "utf-8")
    code, out, _ = verify(run_cli, finished)
    assert (code, out) == (1, f"{finished.stem}: changed since it was sealed: {named}\n")
    assert "SEAL BROKEN" in run_cli("sessions", *folder)[1]
    code, report, _ = run_cli("report", finished.stem, "--format", "markdown", *folder)
    assert "taken out of the file by hand" in report and "Signed by" not in report
    code, exported, err = run_cli("export", finished.stem, "--format", "markdown", *folder)
    assert "Signed by" not in exported and "| Seal |" not in exported  # none for these results
    assert "changed since it was sealed" in err
    code, _, err = run_cli("finish", finished.stem, "--sign", "Mai (auditor)",
                           "--sign", "Anan (production manager)", *folder)  # fmt: skip
    assert code == 0, err
    kept = tomllib.loads(finished.read_text("utf-8"))["session"]["reopened"][-1]
    assert ", ".join(kept["changed_since_sealed"]) == named
    assert kept["signed_by"] == SIGNERS and kept["conclusion"] == CONCLUSION


def test_a_finish_that_fails_keeps_a_seal_left_in_the_file(finished: Path, store, monkeypatch):
    """With only the `finished` line deleted, a finish that failed (a full disk) dropped
    the seal left in the file: the next save wrote the file without it."""
    import errno
    import os

    text = finished.read_text("utf-8")
    finished.write_text(_without(text, keys=("finished",), sealed=False), "utf-8")
    writer = store.open(finished.stem)
    seal, parts = writer.session.seal, writer.session.seal_parts
    assert seal and parts

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(AudituiError):
        writer.finish(conclusion="OK", signed_by=["Mai (auditor)"])
    monkeypatch.undo()
    assert (writer.session.seal, writer.session.seal_parts) == (seal, parts)
    assert writer.session.reopened == []
    writer.snapshot()
    writer.close()
    assert f'seal = "{seal}"' in finished.read_text("utf-8")


def test_the_finished_date_taken_out_with_its_digest_is_named(finished: Path, run_cli) -> None:
    """Every `finished = ` line deleted, the date's digest in `[sealed.fields]` with it:
    nothing was left to compare, and verify said "seal", as if the seal line had changed."""
    finished.write_text(
        re.sub(r"(?m)^finished = .*\n", "", finished.read_text("utf-8")), "utf-8"
    )
    code, out, _ = verify(run_cli, finished)
    assert (code, out) == (1, f"{finished.stem}: changed since it was sealed: finished\n")


def test_a_finish_draft_goes_with_the_finish_and_with_the_session(
    store, checklist, started, run_cli
) -> None:
    """A conclusion left as a draft by the app (a crash), then the audit finished from the
    command line and reopened: the app offered the old draft over the conclusion signed.
    A session moved to the trash left its draft behind, for the next session of that id."""
    from auditui.finish_drafts import draft_path, load_draft, save_draft
    from auditui.trash import move_to_trash

    writer = store.create(checklist, auditor="Mai", auditee="QA", started=started)
    writer.close()
    path = writer.path
    assert save_draft(path, "Draft A", ["Mai (auditor)"])
    assert load_draft(path) == ("Draft A", ["Mai (auditor)"])
    folder = ["--sessions-dir", store.folder]
    code, _, err = run_cli("finish", writer.session.id, "--conclusion", "Final B", *folder)
    assert code == 0, err
    assert not draft_path(path).exists()
    # Dropped, but said with its text: it was typed, and is not in the finished session.
    assert "finish dialog was not used, and is not kept: “Draft A”" in err
    assert run_cli("reopen", writer.session.id, "--reason", "recheck", *folder)[0] == 0
    assert load_draft(path) is None
    assert save_draft(path, "Draft C", [])
    _, trashed = move_to_trash(store, writer.session.id), store.folder / "trash" / path.name
    assert not draft_path(path).exists()  # with the session, for its restore
    assert load_draft(trashed) == ("Draft C", [])


def test_finish_without_a_conclusion_or_a_signer_says_what_it_needs(
    store, checklist, started, run_cli
) -> None:
    from auditui.session_toml import read_session_file

    writer = store.create(checklist, auditee="QA", started=started)  # no auditor to sign
    writer.close()
    folder = ["--sessions-dir", store.folder]
    code, out, err = run_cli("finish", writer.session.id, *folder)
    assert (code, out) == (1, "")
    assert "finishing needs the audit's conclusion: --conclusion TEXT and a name signing" in err
    assert err.rstrip().endswith("the session was not finished")
    assert not read_session_file(store.path_for(writer.session.id)).is_finished


def test_a_huge_unused_draft_is_said_in_part_not_whole(store, checklist, started, run_cli):
    """A draft of 70 MB (grown by a fault, or by hand) was printed whole on stderr, as one
    line, when `finish` was given another conclusion."""
    from auditui.commands.finish import DRAFT_SHOWN
    from auditui.finish_drafts import save_draft

    writer = store.create(checklist, auditor="Mai", auditee="QA", started=started)
    writer.close()
    assert save_draft(writer.path, "x" * (DRAFT_SHOWN + 5_000), [])
    code, _, err = run_cli("finish", writer.session.id, "--conclusion", "Final",
                           "--sessions-dir", store.folder)  # fmt: skip
    assert code == 0, err
    assert len(err) < DRAFT_SHOWN + 1_000 and "… (5,000 more characters)”" in err
