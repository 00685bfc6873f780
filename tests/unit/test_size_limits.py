"""auditui never writes a file it would then refuse to read: the size limit on reading
(tomlio.MAX_FILE_BYTES) is checked before every write of a session, an import and the
journal, which is folded into the session file by bytes as well as by entries. (The
limit is lowered here so the files stay small; the checks are the same at 64 MB.)"""

from __future__ import annotations

import pytest

from auditui import tomlio
from auditui.checklist import load_checklist
from auditui.errors import AudituiError
from auditui.store import read_session

LIMIT = 200_000


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(tomlio, "MAX_FILE_BYTES", LIMIT)


def test_long_drafts_of_a_note_never_make_an_unreadable_journal(store, checklist, small_limit):
    writer = store.create(checklist)
    base = "ไม่มีบันทึก " * 2_000  # ~30 KB of Thai, saved as a draft again and again
    for number in range(20):
        writer.answer("4.1-a", note=f"{base} draft {number}")
    writer.abandon()  # killed: no fold on quit
    journal_path = writer.path.with_suffix(".journal")
    assert not journal_path.exists() or journal_path.stat().st_size <= LIMIT
    assert read_session(writer.path).record("4.1-a").note.endswith("draft 19")


def test_the_journal_is_folded_by_bytes(store, checklist, monkeypatch) -> None:
    writer = store.create(checklist)
    monkeypatch.setattr(type(writer), "COMPACT_BYTES", 50_000)
    for number in range(10):
        writer.answer("4.1-a", note="x" * 20_000 + str(number))
    size = writer.path.with_suffix(".journal").stat().st_size
    assert size < 50_000 + 21_000
    writer.close()


def test_a_checklist_whose_session_would_be_too_large_is_refused_at_start(
    store, write_file, small_limit
) -> None:
    title = "A section title pasted in by mistake. " * 300  # ~11 KB, kept with each item
    items = "".join(
        f'[[sections.items]]\nid = "i{n}"\nprompt = "Question {n}?"\n\n' for n in range(30)
    )
    text = (
        '[checklist]\nid = "big"\ntitle = "Big"\nkind = "custom"\nversion = "1"\n\n'
        f'[[sections]]\nid = "s"\ntitle = "{title}"\n\n{items}'
    )
    checklist = load_checklist(write_file("big.toml", text))
    with pytest.raises(AudituiError, match="would be .* bytes, over the") as caught:
        store.create(checklist)
    assert "big.toml" in str(caught.value)
    assert not store.folder.exists() or list(store.folder.iterdir()) == []


def test_an_import_that_would_grow_past_the_limit_is_refused(
    store, checklist, tmp_path, small_limit, run_cli
) -> None:
    writer = store.create(checklist)
    writer.close()
    text = writer.path.read_text("utf-8")
    writer.path.unlink()
    # A literal string of backslashes: written back, each one is escaped (two bytes).
    text = text.replace('note = ""', "note = '" + "\\" * 120_000 + "'", 1)
    source = tmp_path / "big-export.toml"
    source.write_text(text, "utf-8")
    assert source.stat().st_size < LIMIT
    code, _, err = run_cli("--sessions-dir", store.folder, "import", source)
    assert code == 1 and "would be" in err and "reads back" in err
    assert list(store.folder.glob("*.toml")) == []


def test_validate_names_a_checklist_whose_sessions_would_be_too_large(
    write_file, small_limit, run_cli
) -> None:
    title = "A section title pasted in by mistake. " * 300
    items = "".join(
        f'[[sections.items]]\nid = "i{n}"\nprompt = "Question {n}?"\n\n' for n in range(30)
    )
    text = (
        '[checklist]\nid = "big"\ntitle = "Big"\nkind = "custom"\nversion = "1"\n\n'
        f'[[sections]]\nid = "s"\ntitle = "{title}"\n\n{items}'
    )
    path = write_file("big.toml", text)
    code, _, err = run_cli("validate", path)
    assert code == 1 and "big.toml" in err and "would be" in err
    small = text.replace(title, "Short").replace('id = "big"', 'id = "small"')
    code, _, err = run_cli("validate", write_file("small.toml", small))
    assert code == 0, err


def test_more_items_than_auditui_takes_are_refused_in_one_line(
    store, checklist, run_cli, tmp_path, monkeypatch
) -> None:
    """A checklist or a session of more than `schema.MAX_ITEMS` items is refused when read
    (lowered to 3 here): `validate` and `import` exit 1 naming the file, nothing written."""
    from auditui import schema
    from auditui.session_toml import dumps_session

    writer = store.create(checklist)  # 4 items
    writer.close()
    exported = tmp_path / "export.toml"
    exported.write_bytes(dumps_session(read_session(writer.path)))
    writer.path.unlink()
    monkeypatch.setattr(schema, "MAX_ITEMS", 3)
    # The limit is part of auditui's code, which every cache entry is stamped with; the
    # test changes it where the stamp cannot see, so what was read before must not count.
    monkeypatch.setenv("AUDITUI_NO_CACHE", "1")
    code, out, err = run_cli("validate", checklist.path)
    assert code == 1
    assert err.startswith(f"auditui: {checklist.path}: sections: 4 items: auditui takes at most 3")
    code, out, err = run_cli("--sessions-dir", store.folder, "import", exported)
    assert code == 1 and "4 results: auditui takes at most 3" in err
    assert "Traceback" not in err
    assert list(store.folder.glob("*.toml")) == []
