"""A new session's file is the same whether its results come from the cache or not.

`run` writes a new session whole before its first item is shown. The results part
(the checklist's items, each unanswered) depends only on the checklist file's
content, so it is kept in the cache under the checklist's SHA-256; these tests hold
it to the file `dumps_session` would write, byte for byte, and check that the cache
is really used, and that anything else (a scope, a damaged entry) is written in full.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli_w
from conftest import REPO_ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditui import filecache, session_toml
from auditui.checklist import load_checklist
from auditui.session_toml import NEW_RESULTS, dumps_session, read_session_file
from auditui.store import SessionStore

AWKWARD = '''
[checklist]
id = "awkward"
title = "Quotes \\"\\"\\" and \\\\ and [bold]"
kind = "gap-analysis"
version = "1"

[[sections]]
id = "4"
title = "Kontext \\u202e reversed, a NEL \\u0085 and a tab \\t"

[[sections.items]]
id = "4.1-a"
prompt = """Several lines,
with 'quotes' and \\"double\\" ones, Thai ภาษาไทย and Tiếng Việt"""
guidance = "a line separator \\u2028 in the middle"
evidence = [
    "one",
    "a very long entry that makes the array too long for one line of the file",
    "three",
]

[[sections.items]]
id = "4.1-b"
prompt = "No clause, no guidance, no evidence."
'''


def write_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many results tables are written out (not taken from the cache)."""
    calls: list[int] = []
    real = session_toml._record_to_table

    def spy(record, result):
        calls.append(1)
        return real(record, result)

    monkeypatch.setattr(session_toml, "_record_to_table", spy)
    return calls


def checklists(tmp_path: Path) -> list[Path]:
    awkward = tmp_path / "awkward.toml"
    awkward.write_text(AWKWARD, encoding="utf-8")
    return [awkward, *sorted((REPO_ROOT / "checklists").glob("*.toml"))]


def test_the_second_session_of_a_checklist_takes_its_results_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SessionStore(tmp_path / "sessions")
    calls = write_calls(monkeypatch)
    for path in checklists(tmp_path):
        checklist = load_checklist(path)
        written = []
        for auditor in ("Mai", "Somchai \u202e"):
            calls.clear()
            writer = store.create(checklist, auditor=auditor, auditee="Line 2")
            writer.close()
            written.append((len(calls), writer.path.read_bytes(), writer))
        (first_calls, _, _), (second_calls, _, _) = written
        # The first session wrote its results out; the second took them from the cache.
        assert first_calls == len(checklist.items) and second_calls == 0, path.name
        for _, data, writer in written:
            assert data == dumps_session(writer.session), path.name
            assert read_session_file(writer.path, keep=False) == writer.session


def test_a_scoped_session_and_a_damaged_entry_are_written_in_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SessionStore(tmp_path / "sessions")
    checklist = load_checklist(checklists(tmp_path)[0])
    store.create(checklist, auditor="Mai").close()
    # A scope changes what unanswered items are written as (out-of-scope): not from the cache.
    calls = write_calls(monkeypatch)
    scoped = store.create(checklist, auditor="Mai", scope=["4"])
    assert calls and scoped.path.read_bytes() == dumps_session(scoped.session)
    scoped.close()
    # A damaged entry is ignored and written again.
    cache = Path(filecache.cache_dir() or "")
    for entry in cache.glob(f"*.{NEW_RESULTS}.pickle"):
        entry.write_bytes(entry.read_bytes()[:-10] + b"0123456789")
    calls.clear()
    writer = store.create(checklist, auditor="Mai")
    assert calls and writer.path.read_bytes() == dumps_session(writer.session)
    writer.close()


def test_with_the_cache_off_a_new_session_is_written_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUDITUI_NO_CACHE", "1")
    store = SessionStore(tmp_path / "sessions")
    checklist = load_checklist(checklists(tmp_path)[0])
    for _ in range(2):
        writer = store.create(checklist, auditor="Mai")
        assert writer.path.read_bytes() == dumps_session(writer.session)
        writer.close()


TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\r"), max_size=60)


@st.composite
def checklist_documents(draw) -> dict:
    items = draw(
        st.lists(
            st.fixed_dictionaries(
                {"prompt": TEXT.filter(str.strip)},
                optional={
                    "clause": st.sampled_from(["4.1", "7.1.5", "10.2"]),
                    "guidance": TEXT.filter(str.strip),
                    "evidence": st.lists(TEXT.filter(str.strip), min_size=1, max_size=4),
                },
            ),
            min_size=1,
            max_size=6,
        )
    )
    for number, item in enumerate(items):
        item["id"] = f"i{number}"
    title = draw(TEXT.filter(str.strip))
    head = {"id": "drawn", "title": title, "kind": "internal-audit", "version": "1"}
    section = {"id": "s", "title": draw(TEXT.filter(str.strip)), "items": items}
    return {"checklist": head, "sections": [section]}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(document=checklist_documents())
def test_any_checklist_gives_the_same_new_file_from_the_cache(tmp_path: Path, document) -> None:
    folder = tmp_path / str(abs(hash(repr(document))))
    folder.mkdir(exist_ok=True)
    path = folder / "drawn.toml"
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    checklist = load_checklist(path)
    store = SessionStore(folder / "sessions")
    for _ in range(2):
        writer = store.create(checklist, auditor="Mai", auditee="Line 2")
        assert writer.path.read_bytes() == dumps_session(writer.session)
        writer.close()
    assert filecache.recall(NEW_RESULTS, checklist.sha256) is not None
