"""Evidence attached to an answer: saved with the session, journalled at once, exported,
and reported (not fatal) when a session arrives from another laptop without its files."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from auditui.errors import AudituiError
from auditui.export import export_session
from auditui.session_toml import read_session_file
from auditui.store import read_session


@pytest.fixture
def photos(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "DCIM"
    folder.mkdir()
    paths = []
    for number in (2231, 2232):
        path = folder / f"IMG_{number}.jpg"
        path.write_bytes(f"photo {number}".encode())
        paths.append(path)
    return paths


def test_attached_files_are_on_disk_and_in_the_session_before_close(
    store, checklist, started, photos, sessions_dir
) -> None:
    writer = store.create(checklist, started=started)
    added = writer.attach("4.1-a", photos)
    assert [a.name for a in added] == ["IMG_2231.jpg", "IMG_2232.jpg"]
    # A crash now: the session as every command reads it (file + journal) has them.
    reread = read_session(writer.path)
    assert [a.name for a in reread.record("4.1-a").attachments] == ["IMG_2231.jpg", "IMG_2232.jpg"]
    for attachment, photo in zip(reread.record("4.1-a").attachments, photos, strict=True):
        assert (sessions_dir / attachment.file).read_bytes() == photo.read_bytes()
    writer.close()
    assert read_session_file(writer.path).record("4.1-a").attachments == tuple(added)


def test_detach_and_undo_keep_the_copy(store, checklist, started, photos, sessions_dir) -> None:
    writer = store.create(checklist, started=started)
    added = writer.attach("4.1-a", photos)
    writer.set_attachments("4.1-a", added[1:])
    assert [a.name for a in read_session(writer.path).record("4.1-a").attachments] == [
        "IMG_2232.jpg"
    ]
    assert (sessions_dir / added[0].file).exists()
    writer.set_attachments("4.1-a", added)
    writer.close()
    assert list(read_session_file(writer.path).record("4.1-a").attachments) == added


def test_one_file_that_cannot_be_attached_attaches_none(store, checklist, started, photos):
    writer = store.create(checklist, started=started)
    with pytest.raises(AudituiError, match="no such file"):
        writer.attach("4.1-a", [photos[0], photos[0].parent / "IMG_9999.jpg"])
    assert writer.session.record("4.1-a").attachments == ()
    writer.close()


def test_the_export_carries_the_references(store, checklist, started, photos) -> None:
    writer = store.create(checklist, started=started)
    (added, _) = writer.attach("4.1-a", photos[:1]), writer.close()
    session = read_session_file(writer.path)
    results = tomllib.loads(export_session(session, "toml").decode())["results"]
    table = next(r for r in results if r["item_id"] == "4.1-a")["attachments"][0]
    assert table["name"] == "IMG_2231.jpg"
    assert table["sha256"] == added[0].sha256
    assert table["file"] == added[0].file and table["size"] == len(b"photo 2231")
    assert added[0].sha256 in export_session(session, "markdown").decode()
    assert "IMG_2231.jpg" in export_session(session, "csv").decode()


def test_the_markdown_export_names_a_file_on_one_line_without_html(
    store, checklist, started, tmp_path
) -> None:
    """A file named with a line break read `new<br>line.jpg` (HTML in Markdown), and a
    one-byte file "1 bytes"."""
    odd = tmp_path / "new\nline.jpg"
    odd.write_bytes(b"x")
    writer = store.create(checklist, started=started)
    writer.attach("4.1-a", [odd])
    writer.close()
    text = export_session(read_session_file(writer.path), "markdown").decode()
    [line] = [line for line in text.splitlines() if line.startswith("- 4.1-a: ")]
    assert line.startswith("- 4.1-a: new / line.jpg — evidence/")
    assert ", 1 byte, SHA-256 " in line and "<br>" not in line


def test_the_markdown_export_keeps_a_corrective_action_on_one_list_line(
    store, checklist, started, sessions_dir
) -> None:
    """An action typed on two lines came out as `first<br>second` in a list item."""
    from auditui.finding_records import FindingRecords
    from auditui.findings import register_from_store

    writer = store.create(checklist, started=started)
    writer.answer("4.1-a", result="fail")
    writer.close()
    FindingRecords(sessions_dir).update(f"{writer.session.id}/4.1-a",
                                        {"action": "train the line\nthen check"})  # fmt: skip
    findings = register_from_store(store, FindingRecords(sessions_dir))
    text = export_session(read_session_file(writer.path), "markdown", findings).decode()
    assert "- Action: train the line / then check" in text and "<br>" not in text.split(
        "## All items")[0]


@pytest.mark.parametrize(
    "file",
    ["../../etc/passwd", "/etc/passwd", "evidence/x/../../../etc/passwd", "evidence/s/name.jpg"],
)
def test_a_session_file_cannot_point_an_attachment_outside_the_evidence_folder(
    store, checklist, started, photos, file
) -> None:
    writer = store.create(checklist, started=started)
    writer.attach("4.1-a", photos[:1])
    writer.close()
    text = writer.path.read_text(encoding="utf-8")
    stored = read_session_file(writer.path).record("4.1-a").attachments[0].file
    writer.path.write_text(text.replace(stored, file), encoding="utf-8")
    with pytest.raises(AudituiError, match=r"attachments\[0\]"):
        read_session_file(writer.path)


def test_import_without_the_evidence_files_says_which_are_missing(
    store, checklist, started, photos, tmp_path, run_cli
) -> None:
    writer = store.create(checklist, started=started)
    writer.attach("4.1-a", photos)
    writer.close()
    exported = tmp_path / "from-laptop-2.toml"
    exported.write_bytes(export_session(read_session_file(writer.path), "toml"))
    other = tmp_path / "laptop-2-sessions"
    code, out, err = run_cli("--sessions-dir", str(other), "import", str(exported))
    assert code == 0
    assert "2 of its 2 evidence files are not here" in err and "IMG_2231.jpg" in err
    assert read_session_file(other / writer.path.name).record("4.1-a").attachments
