"""Session files edited by hand or written by another version of auditui.

Optional keys may be missing; keys auditui does not know (in [session], in each
[[results]], at the top level, tables and arrays of tables among them) are kept,
with their values, whenever auditui saves the session again. What it cannot
understand it refuses to open, and leaves as it was.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime, time, timedelta, timezone

import pytest

from auditui.errors import AudituiError
from auditui.session_toml import read_session_file
from auditui.store import SessionStore, read_session
from auditui.tui.app import AuditApp

MINIMAL = """\
[session]
id = "by-hand"
checklist_id = "shop-floor"
started = 2026-11-25T09:30:00+07:00

[[results]]
item_id = "7.1.5-a"
prompt = "Are the gauges calibrated?"

[[results]]
item_id = "8.5.1-a"
prompt = "Work instructions at each station?"
result = "fail"
"""

NEWER = """\
format = 3                                   # a top-level key from a newer version
tags = ["iso", 9001, 1.5, true]

[session]
id = "newer"
checklist_id = "shop-floor"
checklist_title = "Shop floor"
checklist_version = "7"
checklist_sha256 = ""
kind = "internal-audit"
auditor = "Lan"
auditee = "Moulding"
title = ""
started = 2026-11-25T09:30:00+07:00
updated = 2026-11-25T10:00:00+07:00
site_code = "BKK-2"
weather = { rain = true, mm = 12.5 }
signed_on = 2026-11-26
signed_at = 17:45:00
reviewed = 2026-11-27T08:00:00

[session.approval]
by = "QM"
when = 2026-11-28T09:00:00Z
levels = [[1, 2], [3]]

[summary]
total = 2
answered = 1
risk_index = 0.4

[[results]]
item_id = "7.1.5-a"
section_id = "7"
section_title = "Support"
prompt = "Are the gauges calibrated?"
result = "pass"
note = ""
recorded = 2026-11-25T09:41:07+07:00
photo = "IMG_0042.jpg"
score = 4
checked_by = ["Lan", "Minh"]

[results.location]
x = 1.25
y = -3

[[results]]
item_id = "8.5.1-a"
section_id = "8"
section_title = "Operation"
prompt = "Work instructions at each station?"
result = "unanswered"
note = ""

[[results.photos]]
file = "wi-12.pdf"

[[results.photos]]
file = "wi-13.pdf"

[attachments]
folder = "//server/audits/2026"
signed = 2026-11-25T12:00:00+07:00

[[history]]
version = "0.9"
at = 2026-01-01T00:00:00Z

[[history]]
version = "1.0"
"""


@pytest.fixture
def folder(tmp_path):
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    return sessions


def test_missing_optional_keys_load_and_save(folder) -> None:
    path = folder / "by-hand.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    session = read_session_file(path)
    assert session.updated == session.started
    assert [r.result for r in session.records] == ["unanswered", "fail"]
    assert session.records[0].note == "" and session.records[0].section_id == ""
    writer = SessionStore(folder).open("by-hand")
    writer.answer("7.1.5-a", result="pass", note="calibrated")
    writer.close()
    saved = tomllib.loads(path.read_text("utf-8"))
    assert saved["summary"]["answered"] == 2
    assert [r["result"] for r in saved["results"]] == ["pass", "fail"]
    assert saved["session"]["started"] == session.started


def unknown_parts(document: dict) -> dict:
    """Everything in a document that auditui does not define itself."""
    from auditui.session_toml import RESULT_KEYS, SESSION_KEYS

    return {
        "top": {k: v for k, v in document.items() if k not in ("session", "summary", "results")},
        "session": {k: v for k, v in document["session"].items() if k not in SESSION_KEYS},
        "results": [
            {k: v for k, v in result.items() if k not in RESULT_KEYS}
            for result in document["results"]
        ],
    }


@pytest.mark.parametrize("how", ["closed", "journal only", "two saves"])
def test_unknown_keys_are_kept_when_the_app_saves(folder, how) -> None:
    path = folder / "newer.toml"
    path.write_text(NEWER, encoding="utf-8")
    expected = unknown_parts(tomllib.loads(NEWER))
    assert expected["session"]["approval"]["levels"] == [[1, 2], [3]]
    store = SessionStore(folder)
    writer = store.open("newer")
    writer.answer("8.5.1-a", result="fail", note="WI-12 missing at station 3", grade="minor")
    writer.set_details(auditor="Lan", auditee="Moulding line 2", title="Q4")
    if how == "journal only":  # what every command reads while the app still runs
        document = tomllib.loads(store_export(read_session(path)))
        writer.close()
    else:
        writer.close()
        if how == "two saves":
            again = store.open("newer")
            again.answer("7.1.5-a", result="na")
            again.close()
        document = tomllib.loads(path.read_text("utf-8"))
    assert unknown_parts(document) == expected
    assert document["results"][1]["grade"] == "minor"
    assert document["session"]["auditee"] == "Moulding line 2"
    assert document["summary"]["answered"] == 2  # recomputed; its unknown key is not kept
    text = path.read_text("utf-8")
    assert "signed_on = 2026-11-26" in text and "signed_at = 17:45:00" in text
    assert "when = 2026-11-28T09:00:00+00:00" in text  # the same moment, written SPEC's way


def store_export(session) -> str:
    from auditui.export import export_session

    return export_session(session, "toml").decode("utf-8")


def test_unknown_value_types_survive_exactly(folder) -> None:
    path = folder / "newer.toml"
    path.write_text(NEWER, encoding="utf-8")
    writer = SessionStore(folder).open("newer")
    writer.answer("7.1.5-a", result="fail")
    writer.close()
    document = tomllib.loads(path.read_text("utf-8"))
    head = document["session"]
    assert head["signed_on"] == date(2026, 11, 26)
    assert head["signed_at"] == time(17, 45)
    assert head["reviewed"] == datetime(2026, 11, 27, 8, 0)  # a local date-time stays local
    assert head["weather"] == {"rain": True, "mm": 12.5}
    assert document["tags"] == ["iso", 9001, 1.5, True]
    assert document["history"][0]["at"] == datetime(2026, 1, 1, tzinfo=timezone(timedelta(0)))
    assert document["results"][1]["photos"] == [{"file": "wi-12.pdf"}, {"file": "wi-13.pdf"}]


async def test_unknown_keys_are_kept_through_the_app(folder, locations) -> None:
    from dataclasses import replace

    locations = replace(locations, sessions_dir=folder)
    path = folder / "newer.toml"
    path.write_text(NEWER, encoding="utf-8")
    expected = unknown_parts(tomllib.loads(NEWER))
    app = AuditApp(locations, writer=SessionStore(folder).open("newer"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "e", *"by hand", "ctrl+s", "q")
    document = tomllib.loads(path.read_text("utf-8"))
    assert unknown_parts(document) == expected
    assert document["results"][1]["note"] == "by hand"


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (('result = "pass"', 'result = "partial"'), "'partial' is not a result"),
        (('result = "pass"', 'result = "pass"\ngrade = "critical"'), "'critical' is not a grade"),
        (("started = 2026-11-25T09:30:00+07:00", "started = 2026-11-25"), "session.started"),
        (('id = "newer"', "id = 12"), "session.id"),
    ],
    ids=["new-result", "new-grade", "date-only", "numeric-id"],
)
def test_what_cannot_be_understood_is_refused_and_left_alone(
    folder, run_cli, change, fragment
) -> None:
    path = folder / "newer.toml"
    text = NEWER.replace(*change)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AudituiError, match=fragment):
        SessionStore(folder).open(str(path))
    code, out, err = run_cli("resume", path, "--sessions-dir", folder)
    assert code == 1 and out == "" and fragment in err and len(err.splitlines()) == 1
    code, out, err = run_cli("sessions", "--sessions-dir", folder)
    assert code == 0 and "(left out)" in err
    assert path.read_text("utf-8") == text
    assert sorted(p.name for p in folder.iterdir()) == ["newer.toml"]


@pytest.mark.parametrize(
    ("change", "where", "meant"),
    [
        (('result = "fail"', 'reslt = "fail"'), "results[1].reslt", "result"),
        (('result = "fail"', 'result = "fail"\nnotes = "no WI at press 4"'), "results[1].notes",
         "note"),
        (("started = ", "strated = "), "session.strated", "started"),
    ],
    ids=["result", "note", "started"],
)
def test_a_misspelt_key_is_named_by_every_command_not_read_as_nothing(
    folder, run_cli, change, where, meant
) -> None:
    """`reslt = "fail"` kept as an unknown key counted the item unanswered in `sessions`,
    `export`, `report` and the app; only `import` refused it. Every reader names it."""
    path = folder / "by-hand.toml"
    text = MINIMAL.replace(*change, 1)
    path.write_text(text, encoding="utf-8")
    line = text[: text.index(where.rsplit(".", 1)[1] + " = ")].count("\n") + 1
    said = f"{path}:{line}: {where}: unknown key; did you mean '{meant}'?"
    for command in (["resume", str(path)], ["export", str(path)], ["report", str(path)]):
        code, out, err = run_cli(*command, "--sessions-dir", folder)
        assert (code, out, err) == (1, "", f"auditui: {said}\n"), command
    code, out, err = run_cli("sessions", "--format", "toml", "--sessions-dir", folder)
    assert (code, out) == (0, "sessions = []\n")
    assert said in err
    assert path.read_text("utf-8") == text
