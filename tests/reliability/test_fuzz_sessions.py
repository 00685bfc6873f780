"""Whatever a session file or its journal holds, auditui ends with a Session or an AudituiError.

And what it accepts it can save again: any session that loads exports in every
format, and its TOML export imports and exports again to the same bytes. The
checklist loader has its own properties in tests/unit/test_broken_inputs.py.

`AUDITUI_FUZZ_EXAMPLES=5000 pytest tests/reliability/test_fuzz_sessions.py` fuzzes longer
(100 examples per property by default).
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
from dataclasses import astuple
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditui.checklist import load_checklist
from auditui.errors import AudituiError
from auditui.export import export_session
from auditui.exporters import FORMATS
from auditui.session import GRADES, NOT_GIVEN, RESULTS, Session, clean_text
from auditui.session_toml import (
    RESULT_KEYS,
    SESSION_ID,
    SESSION_KEYS,
    read_session_file,
)
from auditui.store import SessionStore, read_session

from . import figures

FUZZ = settings(
    max_examples=int(os.environ.get("AUDITUI_FUZZ_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
_counter = itertools.count()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def fresh(scratch: Path) -> Path:
    folder = scratch / f"example-{next(_counter)}"
    folder.mkdir()
    return folder


def export_round_trip(session: Session, folder: Path) -> bytes:
    """Export in every format; the TOML export imports and exports again to the same bytes."""
    for fmt in FORMATS:
        assert isinstance(export_session(session, fmt), bytes)
    exported = export_session(session, "toml")
    copy = folder / "round-trip" / "exported.toml"
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_bytes(exported)
    imported = SessionStore(folder / "round-trip" / "sessions").import_file(copy)
    again = export_session(imported, "toml")
    assert again == exported
    reread = read_session_file(folder / "round-trip" / "sessions" / f"{imported.id}.toml")
    assert export_session(reread, "toml") == exported
    return exported


def load_any(folder: Path, data: bytes, journal: bytes | None = None) -> Session | AudituiError:
    """Read `data` as a session (with `journal` beside it) and import it; the two agree."""
    figures.add("fuzz: session inputs tried")
    path = folder / "s.toml"
    path.write_bytes(data)
    if journal is not None:
        path.with_suffix(".journal").write_bytes(journal)
    try:
        session: Session | AudituiError = read_session(path)
    except AudituiError as error:
        assert "\n" not in str(error) and "\x1b" not in str(error)
        assert str(error).startswith(str(folder))
        session = error
    try:
        imported: Session | AudituiError = SessionStore(folder / "imported").import_file(path)
    except AudituiError as error:
        assert "\n" not in str(error) and "\x1b" not in str(error)
        imported = error
    if journal is None:  # import reads the file alone, like read_session without a journal
        # Import refuses exactly what reading refuses (a key that looks misspelt too).
        assert isinstance(session, Session) == isinstance(imported, Session), (
            session,
            imported,
        )
    if isinstance(imported, Session):
        export_round_trip(imported, folder / "from-import")
    if isinstance(session, Session):
        export_round_trip(session, folder)
        figures.add("fuzz: inputs that loaded and round-tripped")
    shutil.rmtree(folder, ignore_errors=True)
    return session


# --- a realistic session file to mutate ---------------------------------------------------------

REALISTIC = """\
# edited by hand
[session]
id = "2026-11-25-0930-demo"
checklist_id = "demo"
checklist_title = "Demo [bold]audit[/]"
checklist_version = "2026.1"
checklist_sha256 = ""
kind = "internal-audit"
auditor = "Nguyễn Văn A"
auditee = "โรงงาน 2 \\u001b[31m"
title = "Q4"
started = 2026-11-25T09:30:00+07:00
updated = 2026-11-25T11:02:13+07:00
site = "BKK-2"

[summary]
total = 3
answered = 2

[[results]]
item_id = "4.1-a"
section_id = "4"
section_title = "Context"
clause = "4.1"
prompt = "Issues?"
guidance = "Ask."
evidence = ["Minutes", "SWOT"]
result = "fail"
note = "line one\\nline two [@click=app.quit] 🚀"
grade = "minor"
recorded = 2026-11-25T09:41:07+07:00
photo = "IMG_1.jpg"

[[results]]
item_id = "4.2-a"
section_id = "4"
section_title = "Context"
prompt = "Parties?"
result = "pass"
note = ""
grade = "ofi"
recorded = 2026-11-25T09:42:00+07:00

[[results]]
item_id = "5.1-a"
section_id = "5"
section_title = "Leadership"
prompt = "Leadership?"
result = "unanswered"
note = ""

[attachments]
folder = "//server/audits"
""".encode()

INSERTS = [
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",  # a UTF-16 surrogate encoded as UTF-8: not valid UTF-8
    b"\n",
    b"\r",
    b"[",
    b"]",
    b"[[results]]\n",
    b"[session]\n",
    b'"',
    b"'''",
    b"=",
    b"\\",
    b"\\u0000",
    b"\\ud800",
    b"\x1b[31m",
    b"9999-12-31T23:59:59-12:00",
    b"0001-01-01T00:00:00+14:00",
    b"1e999",
    b"-0",
    b'grade = "major"\n',
    b'result = "na"\n',
    b'item_id = "4.1-a"\n',
    b"x = " + b"[" * 400 + b"]" * 400 + b"\n",
]

byte_edit = st.one_of(
    st.tuples(st.just("flip"), st.floats(0, 1, exclude_max=True), st.integers(0, 7)),
    st.tuples(
        st.just("insert"),
        st.floats(0, 1, exclude_max=True),
        st.one_of(st.sampled_from(INSERTS), st.binary(min_size=1, max_size=8)),
    ),
    st.tuples(st.just("delete"), st.floats(0, 1, exclude_max=True), st.integers(1, 60)),
    st.tuples(st.just("truncate"), st.floats(0, 1, exclude_max=True), st.just(0)),
    st.tuples(st.just("repeat-line"), st.floats(0, 1, exclude_max=True), st.integers(1, 3)),
)


def apply_edits(data: bytes, edits) -> bytes:
    for op, where, arg in edits:
        position = int(where * (len(data) + 1))
        if op == "flip" and data:
            position = min(position, len(data) - 1)
            data = data[:position] + bytes([data[position] ^ (1 << arg)]) + data[position + 1 :]
        elif op == "insert":
            data = data[:position] + arg + data[position:]
        elif op == "delete":
            data = data[:position] + data[position + arg :]
        elif op == "truncate":
            data = data[:position]
        elif op == "repeat-line":
            lines = data.split(b"\n")
            line = min(int(where * len(lines)), len(lines) - 1)
            data = b"\n".join(lines[: line + 1] + [lines[line]] * arg + lines[line + 1 :])
    return data


@FUZZ
@given(edits=st.lists(byte_edit, min_size=1, max_size=6))
def test_mutated_session_bytes(scratch: Path, edits) -> None:
    load_any(fresh(scratch), apply_edits(REALISTIC, edits))


@FUZZ
@given(data=st.binary(max_size=3000))
def test_random_bytes_as_a_session(scratch: Path, data: bytes) -> None:
    assert isinstance(load_any(fresh(scratch), data), AudituiError)


def test_the_realistic_session_loads(scratch: Path) -> None:
    session = load_any(fresh(scratch), REALISTIC)
    assert isinstance(session, Session)
    assert session.record("4.1-a").note.endswith("[@click=app.quit] 🚀")
    assert session.extra["session"] == {"site": "BKK-2"}


# --- documents of every shape, as TOML ----------------------------------------------------------

OFFSETS = [None, UTC, timezone(timedelta(hours=14)), timezone(-timedelta(hours=12))]
OFFSETS.append(timezone(timedelta(hours=5, minutes=45)))

date_times = st.datetimes(
    min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)
).flatmap(lambda moment: st.sampled_from(OFFSETS).map(lambda tz: moment.replace(tzinfo=tz)))
texts = st.text(max_size=30) | st.sampled_from(
    ["", " ", "pass", "fail", "na", "unanswered", "major", "ofi", "[bold]", "\x1b[31m", "4.1-a"]
)
scalars = st.one_of(
    texts,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(),
    st.booleans(),
    date_times,
    st.dates(min_value=date(1, 1, 1)),
    st.times(),
)
keys = st.one_of(
    st.sampled_from([*SESSION_KEYS, *RESULT_KEYS, "session", "results", "summary", "total"]),
    st.text(max_size=8),
)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(keys, children, max_size=3),
    max_leaves=10,
)


def field_or_junk(good, junk=values):
    return st.one_of(good, good, good, junk)


@st.composite
def result_tables(draw) -> dict:
    table = {
        "item_id": draw(field_or_junk(st.sampled_from(["4.1-a", "4.2-a", "5.1-a", " x ", "é"]))),
        "prompt": draw(field_or_junk(texts)),
    }
    optional = {
        "section_id": texts,
        "section_title": texts,
        "clause": texts,
        "guidance": texts,
        "evidence": st.lists(texts, max_size=3),
        "result": st.sampled_from(RESULTS),
        "note": texts,
        "grade": st.sampled_from(GRADES),
        "recorded": date_times,
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            table[key] = draw(field_or_junk(strategy))
    table.update(draw(st.dictionaries(keys, values, max_size=2)))
    return table


@st.composite
def session_documents(draw) -> dict:
    head = {
        "id": draw(field_or_junk(st.from_regex(SESSION_ID, fullmatch=True))),
        "checklist_id": draw(field_or_junk(texts)),
        "started": draw(field_or_junk(date_times)),
    }
    for key in SESSION_KEYS[2:]:
        if draw(st.booleans()):
            head[key] = draw(field_or_junk(date_times if key == "updated" else texts))
    head.update(draw(st.dictionaries(keys, values, max_size=2)))
    document = {"session": draw(field_or_junk(st.just(head)))}
    if draw(st.booleans()):
        document["summary"] = draw(values)
    document["results"] = draw(field_or_junk(st.lists(result_tables(), max_size=5)))
    document.update(draw(st.dictionaries(keys, values, max_size=2)))
    return document


@FUZZ
@given(document=session_documents())
def test_session_documents_of_every_shape(scratch: Path, document: dict) -> None:
    load_any(fresh(scratch), tomli_w.dumps(document).encode("utf-8"))


# --- journals -----------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | texts,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(), children),
    max_leaves=6,
)
any_code_points = st.lists(
    st.characters(codec=None, categories=None)
    | st.characters(categories=["Cs"])
    | st.sampled_from(["\x00", "\x1b", "\x7f", "\u202e", "\r\n", "["]),
    max_size=8,
).map("".join)
"""Lone surrogates, control characters and all: what a damaged or forged journal may hold."""
stamps = st.one_of(
    date_times.map(datetime.isoformat),
    date_times.map(datetime.isoformat),
    st.sampled_from(["", "yesterday", "2026-11-25", "9999-12-31T23:59:59-12:00"]),
    json_values,
)


ITEM_IDS = ["4.1-a", "4.2-a", "5.1-a", "zz"]


@st.composite
def journal_lines(draw) -> bytes:
    kind = draw(st.sampled_from(["item", "item", "item", "meta", "json", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=40)).replace(b"\n", b"")
    if kind == "json":
        return json.dumps(draw(json_values)).encode()
    if kind == "meta":
        entry = {"t": "meta", "updated": draw(stamps)}
        for name in ("auditor", "auditee", "title"):
            entry[name] = draw(field_or_junk(any_code_points, json_values))
    else:
        entry = {
            "t": "item",
            "item": draw(field_or_junk(st.sampled_from(ITEM_IDS), json_values)),
            "result": draw(field_or_junk(st.sampled_from(RESULTS), json_values)),
            "note": draw(field_or_junk(any_code_points, json_values)),
            "grade": draw(field_or_junk(st.sampled_from([None, None, *GRADES]), json_values)),
            "recorded": draw(field_or_junk(st.none() | stamps, json_values)),
            "updated": draw(stamps),
        }
        if draw(st.integers(0, 9)) == 0:
            del entry[draw(st.sampled_from(sorted(entry)))]
    figures.add("fuzz: journal lines tried")
    return json.dumps(entry, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")


@FUZZ
@given(lines=st.lists(journal_lines(), max_size=6), newline_at_end=st.booleans())
def test_journals_with_any_lines(scratch: Path, lines: list[bytes], newline_at_end: bool) -> None:
    journal = b"\n".join(lines) + (b"\n" if newline_at_end and lines else b"")
    load_any(fresh(scratch), REALISTIC, journal)


# --- sessions made with the store round-trip byte for byte ---------------------------------------

any_text = any_code_points | st.sampled_from(
    ["[bold]x[/]", "[/", "[@click=app.quit]", "\x1b[31mred\x1b[0m", "\x1b]0;t\x07", "\u202eevil"]
)
"""Any code point at all: lone surrogates, control characters, markup, bidi overrides."""
file_text = st.text(max_size=30).map(lambda text: text.replace("\x7f", ""))
"""What a checklist file can hold (valid UTF-8)."""
required_text = file_text.filter(lambda text: text.strip())


@st.composite
def checklists(draw) -> dict:
    ids = draw(st.lists(required_text.map(str.strip), min_size=1, max_size=6, unique=True))
    ids = [item_id for item_id in ids if item_id]
    sections = []
    for number in range(0, len(ids), 2):
        items = []
        for item_id in ids[number : number + 2]:
            item = {"id": item_id, "prompt": draw(required_text)}
            if draw(st.booleans()):
                item["clause"] = draw(required_text)
            if draw(st.booleans()):
                item["guidance"] = draw(file_text)
            if draw(st.booleans()):
                item["evidence"] = draw(st.lists(file_text, max_size=2))
            items.append(item)
        title = draw(required_text)
        sections.append({"id": f"s{number}", "title": title, "items": items})
    return {
        "checklist": {
            "id": draw(st.from_regex(r"[a-z0-9][a-z0-9._-]{0,15}", fullmatch=True)),
            "title": draw(required_text),
            "kind": draw(st.sampled_from(["gap-analysis", "internal-audit", "custom"])),
            "version": draw(required_text),
        },
        "sections": sections,
    }


changes = st.lists(
    st.tuples(
        st.integers(0, 5),
        st.sampled_from([None, *RESULTS]),
        st.none() | any_text,
        st.sampled_from([NOT_GIVEN, None, *GRADES]),
    ),
    max_size=8,
)


@FUZZ
@given(
    document=checklists(),
    names=st.tuples(any_text, any_text, any_text),
    marks=changes,
    new_names=st.none() | st.tuples(any_text, any_text, any_text),
    close=st.booleans(),
)
def test_sessions_made_by_the_store_round_trip(
    scratch: Path, document, names, marks, new_names, close
) -> None:
    figures.add("fuzz: store-made sessions round-tripped")
    folder = fresh(scratch)
    path = folder / "checklist.toml"
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    checklist = load_checklist(path)
    store = SessionStore(folder / "sessions")
    auditor, auditee, title = names
    writer = store.create(checklist, auditor=auditor, auditee=auditee, title=title)
    expected = {}
    for index, result, note, grade in marks:
        item = checklist.items[index % len(checklist.items)]
        writer.answer(item.id, result=result, note=note, grade=grade)
        if note is not None:
            expected[item.id] = clean_text(note)
    if new_names:
        writer.set_details(auditor=new_names[0], auditee=new_names[1], title=new_names[2])
    if close:
        writer.close()
    session = read_session(writer.path)
    assert (session.auditor, session.auditee, session.title) == tuple(
        clean_text(name) for name in (new_names or names)
    )
    for item_id, note in expected.items():
        assert session.record(item_id).note == note
    assert session == writer.session
    exported = export_round_trip(session, folder)
    if close:
        assert writer.path.read_bytes() == exported  # the session file is the export
    else:
        writer.close()
    assert read_session_file(writer.path) == session
    shutil.rmtree(folder)


# --- named cases ----------------------------------------------------------------------------------

STARTED = "2026-11-25T09:30:00+07:00"
HEAD = f'[session]\nid = "s1"\nchecklist_id = "x"\nstarted = {STARTED}\n'
ITEM = '[[results]]\nitem_id = "q"\nprompt = "Q?"\n'


def doc(head: str = "", result: str = "", tail: str = "", *, started: str = STARTED) -> bytes:
    """A small session: [session] plus `head`, one result plus `result`, then `tail`."""
    return (HEAD.replace(STARTED, started) + head + ITEM + result + tail).encode()


def nested(depth: int, kind: str) -> str:
    if kind == "array":
        return "x = " + "[" * depth + "]" * depth + "\n"
    if kind == "inline":
        return "x = " + "{a = " * depth + "1" + "}" * depth + "\n"
    return "x" + ".a" * depth + " = 1\n"


REFUSED = [
    (
        "invalid-utf8-in-a-note",
        doc(result='note = "caf\u00e9"\n').replace(b"\xc3\xa9", b"\xe9"),
        "not valid UTF-8",
    ),
    ("nul-byte", doc('auditor = "a\x00b"\n'), "not valid TOML"),
    ("utf16", doc().decode().encode("utf-16"), "not valid UTF-8"),
    ("deep-arrays", doc("x = " + "[" * 100_000 + "\n"), "nested too deeply"),
    ("deep-arrays-that-parse", doc(nested(300, "array")), "nested too deeply"),
    ("deep-inline-tables", doc(nested(300, "inline")), "nested too deeply"),
    ("deep-dotted-keys", doc(nested(2000, "dotted")), "nested too deeply"),
    ("deep-table-headers", doc(tail="[x" + ".a" * 2000 + "]\n"), "nested too deeply"),
    ("deep-in-a-result", doc(result=nested(600, "dotted")), "nested too deeply"),
    ("started-before-year-1-in-utc", doc(started="0001-01-01T00:00:00+14:00"), "out of the range"),
    ("started-after-9999-in-utc", doc(started="9999-12-31T23:59:59-12:00"), "out of the range"),
    ("started-a-date", doc(started="2026-11-25"), "not a date"),
    ("started-a-time", doc(started="09:30:00"), "not a time"),
    (
        "recorded-out-of-range",
        doc(result='result = "pass"\nrecorded = 9999-12-31T23:59:59-12:00\n'),
        "out of the range",
    ),
    ("updated-out-of-range", doc("updated = 0001-01-01T00:00:00+01:00\n"), "out of the range"),
    ("february-30", doc(started="2026-02-30T09:30:00"), "not valid TOML"),
    ("integer-id", doc().replace(b'id = "s1"', b"id = 1"), "session.id: must be text"),
    ("integer-note", doc(result="note = 1\n"), "results[0].note: must be text"),
    ("integer-result", doc(result="result = 1\n"), "results[0].result: must be text"),
    ("bool-prompt", doc().replace(b'"Q?"', b"true"), "results[0].prompt: must be text"),
    ("evidence-of-numbers", doc(result="evidence = [1, 2]\n"), "results[0].evidence"),
    ("session-not-a-table", b"session = 1\n", "session: must be a table"),
    ("results-a-table", (HEAD + "[results]\nitem_id = 'q'\n").encode(), "must be an array"),
    ("results-of-numbers", b"results = [1]\n" + HEAD.encode(), "results[0]: must be a table"),
    ("duplicate-key", doc('auditor = "a"\nauditor = "b"\n'), "not valid TOML"),
    ("duplicate-table", doc(tail="[session]\n"), "not valid TOML"),
    ("duplicate-item", doc(tail=ITEM), "item 'q' appears twice"),
    ("major-on-a-pass", doc(result='result = "pass"\ngrade = "major"\n'), "goes only with"),
    ("ofi-on-na", doc(result='result = "na"\ngrade = "ofi"\n'), "goes only with"),
    ("grade-on-unanswered", doc(result='grade = "observation"\n'), "goes only with"),
    ("unknown-grade", doc(result='result = "fail"\ngrade = "critical"\n'), "not a grade"),
    ("unknown-result", doc(result='result = "maybe"\n'), "not a result"),
    ("id-with-a-slash", doc().replace(b'"s1"', b'"../s1"'), "not a usable session id"),
    ("missing-item-id", doc().replace(b'item_id = "q"\n', b""), "item_id: required"),
]


@pytest.mark.parametrize(
    ("data", "fragment"), [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED]
)
def test_refused_with_a_clean_message(scratch: Path, data: bytes, fragment: str) -> None:
    error = load_any(fresh(scratch), data)
    assert isinstance(error, AudituiError)
    assert fragment in str(error), str(error)


ACCEPTED = [
    ("bom", b"\xef\xbb\xbf" + doc()),
    ("crlf-line-ends", doc().replace(b"\n", b"\r\n")),
    ("escaped-nul-and-escape", doc(result='note = "a\\u0000b\\u001b[31m"\n')),
    ("no-optional-keys", doc()),
    ("no-results", HEAD.encode()),
    ("local-times", doc(started="2026-11-25T09:30:00")),
    ("extremes-that-fit", doc(started="0001-01-01T00:00:00-12:00")),
    ("big-integer-extra", doc("n = 9223372036854775807\n")),
    ("nan-and-inf-extras", doc("a = nan\nb = -inf\n")),
    ("summary-of-any-shape", doc(tail="[summary]\ntotal = 'many'\nx = [[1]]\n")),
    ("nesting-that-fits", doc(nested(20, "array"))),
    ("dotted-keys-that-fit", doc(result=nested(20, "dotted"))),
    ("items-the-checklist-lacks", doc().replace(b'"q"', b'"not-in-any-checklist"')),
]


@pytest.mark.parametrize("data", [case[1] for case in ACCEPTED], ids=[c[0] for c in ACCEPTED])
def test_accepted_and_round_tripped(scratch: Path, data: bytes) -> None:
    assert isinstance(load_any(fresh(scratch), data), Session)


def test_a_huge_note_and_a_multi_megabyte_session(scratch: Path) -> None:
    note = "Nhà máy 2 — " * 150_000  # about 2 MB of text in one note
    results = [
        {
            "item_id": f"i{n}",
            "section_id": f"s{n // 50}",
            "section_title": f"Section {n // 50}",
            "prompt": "Is the documented information controlled and retained? " * 3,
            "result": "fail" if n % 7 == 0 else "pass",
            "note": note if n == 0 else f"note {n}",
            "recorded": datetime(2026, 11, 25, 9, 30, tzinfo=UTC),
        }
        for n in range(3000)
    ]
    document = {
        "session": {
            "id": "big",
            "checklist_id": "x",
            "started": datetime(2026, 11, 25, 9, 30, tzinfo=UTC),
        },
        "results": results,
    }
    folder = fresh(scratch)
    path = folder / "big.toml"
    path.write_bytes(tomli_w.dumps(document).encode())
    assert path.stat().st_size > 3_000_000
    figures.add("fuzz: session inputs tried")
    session = read_session(path)
    assert session.record("i0").note == note
    assert session.summary().total == 3000
    imported = SessionStore(folder / "sessions").import_file(path)
    exported = export_session(imported, "toml")
    copy = folder / "copy.toml"
    copy.write_bytes(exported)
    assert export_session(SessionStore(folder / "again").import_file(copy), "toml") == exported
    shutil.rmtree(folder)


def test_a_file_over_the_size_limit_is_refused(scratch: Path, monkeypatch) -> None:
    from auditui import tomlio

    monkeypatch.setattr(tomlio, "MAX_FILE_BYTES", 2000)
    error = load_any(fresh(scratch), REALISTIC + b"# padding\n" * 300)
    assert isinstance(error, AudituiError) and "too large" in str(error)


def entry(**fields) -> str:
    """One journal line: an item change (or meta, with t="meta"), any field overridden."""
    base = {"t": "item", "item": "4.1-a", "result": "fail", "note": "", "grade": None}
    base |= {"recorded": "2026-11-25T10:00:00+07:00", "updated": "2026-11-25T10:00:00+07:00"}
    if fields.get("t") == "meta":
        base = {"t": "meta", "auditor": "", "auditee": "", "title": "", "updated": base["updated"]}
    return json.dumps(base | fields) + "\n"


JOURNALS = [
    # (case, journal, whether its good line, 4.1-a failed with no note, is applied)
    ("lone-surrogate-note", entry(note="x\ud800"), False),
    ("lone-surrogate-auditor", entry(t="meta", auditor="\udc80"), False),
    # A damaged line, the last or one before it, is left out (and said), as a torn one is:
    # each entry holds its item whole, and the lines after it apply as written. A first
    # line that is no entry may have been the `base` line: nothing of the journal applies.
    ("recorded-out-of-range", entry(recorded="9999-12-31T23:59:59-12:00") + entry(), True),
    ("recorded-out-of-range-last", entry(recorded="9999-12-31T23:59:59-12:00"), False),
    ("updated-out-of-range", entry(t="meta", updated="0001-01-01T00:00:00+14:00") + entry(), True),
    ("updated-out-of-range-last", entry(t="meta", updated="0001-01-01T00:00:00+14:00"), False),
    ("unknown-item", entry(item="zz") + entry(), True),
    ("unknown-item-last", entry() + entry(item="zz"), True),
    ("garbage-then-good", "garbage\n" + entry(), False),
    ("a-list", "[1, 2]\n" + entry(), False),
    ("a-list-last", entry() + "[1, 2]\n", True),
    ("a-string", '"t"\n' + entry(), False),
    ("keys-missing-last", entry() + '{"t": "item", "item": "4.1-a"}\n', True),
    ("torn-last-line", entry()[:30], False),
]


@pytest.mark.parametrize(
    ("journal", "applied"), [case[1:] for case in JOURNALS], ids=[case[0] for case in JOURNALS]
)
def test_journal_cases(scratch: Path, journal: str, applied: bool) -> None:
    data = journal.encode("utf-8", "surrogatepass")
    result = load_any(fresh(scratch), REALISTIC, data)
    assert isinstance(result, Session), result
    assert (result.record("4.1-a").note == "") == applied


def test_import_of_a_session_whose_items_no_checklist_has(scratch: Path, run_cli, tmp_path) -> None:
    # A session carries its own items: import, export, resume and mark all work without them.
    source = tmp_path / "other-laptop.toml"
    source.write_bytes(REALISTIC.replace(b'checklist_id = "demo"', b'checklist_id = "gone"'))
    sessions = tmp_path / "sessions"
    code, out, err = run_cli("import", source, "--sessions-dir", sessions)
    assert (code, out.strip()) == (0, "2026-11-25-0930-demo"), err
    store = SessionStore(sessions)
    writer = store.open("2026-11-25-0930-demo")
    writer.answer("5.1-a", result="na", note="not here")
    writer.close()
    saved = read_session_file(store.path_for("2026-11-25-0930-demo"))
    assert astuple(saved.record("5.1-a").answer())[:2] == ("na", "not here")
    assert saved.record("4.1-a").note.endswith("🚀")
    code, out, _ = run_cli("export", "2026-11-25-0930-demo", "--sessions-dir", sessions)
    assert code == 0 and 'checklist_id = "gone"' in out
