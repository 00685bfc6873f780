"""The corrective action records (`<sessions folder>/findings/`): file names, atomic
read-modify-write under a lock, so an update from the app and one from the command line
never lose each other."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import tomllib
from datetime import date

import pytest

from auditui import finding_records
from auditui.errors import AudituiError
from auditui.finding_records import FindingRecords, file_name, split_id


def test_file_names_are_safe_and_distinct() -> None:
    assert file_name("2026-01-04-0930-demo/7.5.2-a") == "2026-01-04-0930-demo+7.5.2-a.toml"
    odd = file_name("s1/../x y/ä+%")
    assert "/" not in odd and odd.startswith("s1+") and odd.endswith(".toml")
    assert file_name("s1/a+b") != file_name("s1/a%2Bb")
    long = file_name("s1/" + "é" * 200)
    assert len(long) <= 200 and long.startswith("s1+sha256-")
    with pytest.raises(AudituiError):
        split_id("no-slash")
    with pytest.raises(AudituiError):
        split_id("../x/1.1")


def test_update_changes_only_the_fields_given(tmp_path) -> None:
    records = FindingRecords(tmp_path)
    records.update("s1/1.1", {"owner": "Mai", "due": "2026-03-01"})
    records.update("s1/1.1", {"status": "action"})
    record = records.get("s1/1.1")
    assert record is not None
    assert (record.owner, record.due, record.status) == ("Mai", date(2026, 3, 1), "action")
    # The record alone: no lock file and no temporary file left behind.
    names = {path.name for path in (tmp_path / "findings").iterdir()}
    assert names == {"s1+1.1.toml"}


def test_a_file_in_place_of_the_folder_is_named_never_written(tmp_path) -> None:
    """Read as an empty folder, a file at `findings` dropped every corrective action
    without a word: it is named to whoever reads the records (an export, a trend), and an
    update says what is there, not "File exists"."""
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    (sessions / "findings").write_text("kept\n", encoding="utf-8")
    records = FindingRecords(sessions)
    problems = []
    assert records.load_all(on_error=problems.append) == {}
    [problem] = problems
    assert problem.path == sessions / "findings"
    said = f"{sessions / 'findings'}: the findings folder is a file, not a folder"
    assert str(problem.error) == said
    with pytest.raises(AudituiError, match="is a file, not a folder"):
        records.check_folder()
    with pytest.raises(AudituiError, match="is a file, not a folder"):
        records.update("s1/1.1", {"owner": "Mai"})
    assert (sessions / "findings").read_text(encoding="utf-8") == "kept\n"
    assert os.listdir(sessions) == ["findings"]


def test_no_folder_yet_is_no_record(tmp_path) -> None:
    records = FindingRecords(tmp_path / "sessions")
    records.check_folder()
    problems = []
    assert records.load_all(on_error=problems.append) == {} and problems == []
    (tmp_path / "plain").write_text("", encoding="utf-8")  # the sessions folder a file:
    FindingRecords(tmp_path / "plain").check_folder()  # said where sessions are read


def test_unknown_keys_are_kept(tmp_path) -> None:
    folder = tmp_path / "findings"
    folder.mkdir()
    (folder / "s1+1.1.toml").write_text(
        '[finding]\nid = "s1/1.1"\nverified_by = "Anan"\n', encoding="utf-8"
    )
    FindingRecords(tmp_path).update("s1/1.1", {"owner": "Mai"})
    text = (folder / "s1+1.1.toml").read_text(encoding="utf-8")
    assert 'verified_by = "Anan"' in text and 'owner = "Mai"' in text


def test_unknown_tables_are_kept(tmp_path) -> None:
    """A table beside [finding] and [changed] (a person's own, or a later version's) was
    dropped by the next update, without a word."""
    folder = tmp_path / "findings"
    folder.mkdir()
    path = folder / "s1+1.1.toml"
    path.write_text(
        'note = "top"\n[finding]\nid = "s1/1.1"\n\n[review]\nverified_by = "Anan"\n'
        "\n[[history]]\nsaid = 1\n",
        encoding="utf-8",
    )
    FindingRecords(tmp_path).update("s1/1.1", {"owner": "Mai"})
    stored = tomllib.loads(path.read_text(encoding="utf-8"))
    assert stored["review"] == {"verified_by": "Anan"} and stored["history"] == [{"said": 1}]
    assert stored["note"] == "top" and stored["finding"]["owner"] == "Mai"


def test_a_misspelt_table_is_named_not_kept(tmp_path) -> None:
    """`[chnaged]` typed for `[changed]` is refused naming it, as `statu` for `status`,
    not kept as a table of its own (the stamps in it would be quietly ignored)."""
    folder = tmp_path / "findings"
    folder.mkdir()
    path = folder / "s1+1.1.toml"
    path.write_text(
        '[finding]\nid = "s1/1.1"\n\n[chnaged]\nowner = 2027-01-01T10:00:00Z\n',
        encoding="utf-8",
    )
    problems = []
    assert FindingRecords(tmp_path).load_all(on_error=problems.append) == {}
    assert str(problems[0].error) == f"{path}:4: chnaged: unknown key; did you mean 'changed'?"
    with pytest.raises(AudituiError, match="did you mean"):
        FindingRecords(tmp_path).update("s1/1.1", {"cause": "x"})
    assert path.read_text(encoding="utf-8").endswith("[chnaged]\nowner = 2027-01-01T10:00:00Z\n")


def test_a_stamp_in_changed_that_is_no_date_time_is_named_by_its_key(tmp_path) -> None:
    """`[changed]` with one key typed by hand as text was named only as "changed: must be
    a table of date-times", leaving the person to find which line."""
    folder = tmp_path / "findings"
    folder.mkdir()
    path = folder / "s1+1.1.toml"
    path.write_text(
        '[finding]\nid = "s1/1.1"\n\n[changed]\nowner = 2027-01-01T10:00:00Z\n'
        'due = "yesterday"\n',
        encoding="utf-8",
    )
    problems = []
    assert FindingRecords(tmp_path).load_all(on_error=problems.append) == {}
    assert str(problems[0].error) == f"{path}:6: changed.due: must be a date-time, not text"


@pytest.mark.parametrize(
    ("line", "meant"), [('statu = "done"', "status"), ('Owner = "Mai"', "owner")]
)
def test_a_misspelt_field_is_named_not_kept_as_another_key(tmp_path, line, meant) -> None:
    """`statu = "done"` typed by hand read as an unknown key, kept, and the finding still
    open with no word: the file is now named, with the field meant, and left out."""
    folder = tmp_path / "findings"
    folder.mkdir()
    path = folder / "s1+1.1.toml"
    path.write_text(f'[finding]\nid = "s1/1.1"\n{line}\n', encoding="utf-8")
    problems = []
    assert FindingRecords(tmp_path).load_all(on_error=problems.append) == {}
    assert f"did you mean '{meant}'?" in str(problems[0].error)
    assert str(problems[0].error).startswith(f"{path}:")
    with pytest.raises(AudituiError, match="did you mean"):
        FindingRecords(tmp_path).update("s1/1.1", {"cause": "x"})
    assert path.read_text(encoding="utf-8").endswith(f"{line}\n")  # never rewritten


@pytest.mark.parametrize(
    "line", ["closed_on = 2026-01-05", 'owner_id = "E-104"', 'action_by = "Anan"', "stat = 3"]
)
def test_a_key_of_its_own_is_kept_even_when_it_looks_like_a_field(tmp_path, line) -> None:
    """A date under `closed_on` is no misspelt `closed` (a date-time), a known field with
    a word added is a key of its own, and a number is no status: kept, as a later version
    or a person may add them."""
    folder = tmp_path / "findings"
    folder.mkdir()
    path = folder / "s1+1.1.toml"
    path.write_text(f'[finding]\nid = "s1/1.1"\nowner = "Mai"\n{line}\n', encoding="utf-8")
    records = FindingRecords(tmp_path).load_all(on_error=pytest.fail)
    assert records["s1/1.1"].extra == tomllib.loads(line)


def test_a_file_under_another_findings_name_is_refused(tmp_path) -> None:
    folder = tmp_path / "findings"
    folder.mkdir()
    (folder / "s1+1.2.toml").write_text('[finding]\nid = "s1/1.1"\n', encoding="utf-8")
    problems = []
    assert FindingRecords(tmp_path).load_all(on_error=problems.append) == {}
    assert "belongs in s1+1.1.toml" in str(problems[0].error)


def test_concurrent_updates_of_one_finding_lose_nothing(tmp_path, monkeypatch) -> None:
    """Six writers at once, each setting its own field, the write slowed down so that
    without the lock each would overwrite the others' with what it read before."""
    real_write = finding_records.atomic_write

    def slow_write(path, data, **kw):
        time.sleep(0.05)
        real_write(path, data, **kw)

    monkeypatch.setattr(finding_records, "atomic_write", slow_write)
    records = FindingRecords(tmp_path)
    values = {
        "owner": "Mai", "due": "2026-05-01", "cause": "why", "correction": "fixed",
        "action": "train", "status": "action",
    }  # fmt: skip
    threads = [
        threading.Thread(target=records.update, args=("s1/1.1", {name: value}))
        for name, value in values.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    record = records.get("s1/1.1")
    assert record is not None
    assert (record.owner, record.cause, record.correction, record.action, record.status) == (
        "Mai", "why", "fixed", "train", "action",
    )  # fmt: skip
    assert record.due == date(2026, 5, 1)
    assert [path.name for path in (tmp_path / "findings").iterdir()] == ["s1+1.1.toml"]


def test_the_command_line_waits_for_the_app_and_both_survive(tmp_path, monkeypatch) -> None:
    """The app is writing the owner (slowly) when `auditui finding --cause` runs in
    another process: the command waits for the lock, and the file ends with both."""
    from history_helpers import at, make_session, write_session

    sessions = tmp_path / "sessions"
    write_session(sessions, make_session("s1", [("1.1-a", "fail")], started=at(1)))
    records = FindingRecords(sessions)
    real_write = finding_records.atomic_write
    inside = threading.Event()

    def slow_write(path, data, **kw):
        inside.set()
        time.sleep(1.0)
        real_write(path, data, **kw)

    monkeypatch.setattr(finding_records, "atomic_write", slow_write)
    app = threading.Thread(target=records.update, args=("s1/1.1-a", {"owner": "Mai"}))
    app.start()
    assert inside.wait(10)
    env = {**os.environ, "AUDITUI_SESSIONS_DIR": str(sessions)}
    command = subprocess.run(
        [sys.executable, "-m", "auditui", "finding", "s1/1.1-a", "--cause", "no training"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    app.join()
    assert command.returncode == 0, command.stderr
    record = records.get("s1/1.1-a")
    assert record is not None and (record.owner, record.cause) == ("Mai", "no training")


def test_the_status_history_is_joined_never_lost(tmp_path) -> None:
    """Every status a record had stays in its history: a change of status, the same
    status set again (done again after a second fix), an entry written by hand in a shape
    not read (kept as it is), a part's record joined to the merged finding's, and an
    import's."""
    from datetime import datetime, timedelta, timezone

    from auditui.finding_records import HISTORY, newer_of_each, record_timeline, status_at

    zone = timezone(timedelta(hours=7))

    def day(n: int) -> datetime:
        return datetime(2026, 12, n, 9, tzinfo=zone)

    records = FindingRecords(tmp_path)
    records.update("s1/1.1-a", {"status": "done"}, at=day(2))
    path = records.path_for("s1/1.1-a")
    by_hand = 'status_history = [{status = "open", at = 2026-12-01T09:00:00}]'  # no offset
    text = path.read_text("utf-8").replace('status = "done"', f'status = "done"\n{by_hand}')
    path.write_text(text, "utf-8")
    records.update("s1/1.1-a", {"status": "action"}, at=day(4))
    records.update("s1/1.1-a", {"status": "action"}, at=day(5))
    record = records.get("s1/1.1-a")
    assert [(at.day, status) for at, status in record_timeline(record)] == [
        (2, "done"), (4, "action"), (5, "action")
    ]
    assert {"status": "open", "at": datetime(2026, 12, 1, 9)} in record.extra[HISTORY]
    assert status_at(record, lambda at: at < day(3)) == "done"
    part = records.update("p1/1.1-a", {"status": "done"}, at=day(6), history=[
        {"status": "action", "at": day(3)}])  # fmt: skip
    joined = newer_of_each(record, part)
    assert joined.status == "done"
    assert [(at.day, status) for at, status in record_timeline(joined)] == [
        (2, "done"), (3, "action"), (4, "action"), (5, "action"), (6, "done")
    ]
    assert status_at(joined, lambda at: at < day(3)) == "done"
    assert status_at(joined, lambda at: at < day(4)) == "action"


def test_two_statuses_in_one_second_read_in_the_order_set(tmp_path) -> None:
    """Done, then action in the same second: sorted by name, "done" came last, and an
    audit after it read the action as done (not effective) while the record said action."""
    from datetime import datetime, timedelta, timezone

    from auditui.finding_records import status_at

    moment = datetime(2026, 12, 2, 9, tzinfo=timezone(timedelta(hours=7)))
    records = FindingRecords(tmp_path)
    records.update("s1/1.1-a", {"status": "done"}, at=moment)
    record = records.update("s1/1.1-a", {"status": "action"}, at=moment)
    assert status_at(record, lambda at: at <= moment) == "action"


def test_a_stamp_written_by_hand_without_a_zone_is_read_as_this_computer_s(
    tmp_path, run_cli
) -> None:
    """`[changed] status = 2026-01-01T12:00:00` stopped findings, compare and report with
    "internal error: TypeError: can't compare offset-naive and offset-aware datetimes"."""
    records = FindingRecords(tmp_path / "findings-home")
    path = records.path_for("s1/1.1-a")
    path.parent.mkdir(parents=True)
    path.write_text('[finding]\nid = "s1/1.1-a"\nstatus = "done"\n\n[changed]\n'
                    "status = 2026-01-01T12:00:00\n", encoding="utf-8")  # fmt: skip
    record = records.get("s1/1.1-a")
    assert record is not None and record.changed["status"].tzinfo is not None
