"""The report shows each finding's evidence: photos as small thumbnails inside the page
(so fifty of them stay a few megabytes), every file with its hash, a copy that went
missing or changed said so."""

from __future__ import annotations

import io
import random
from pathlib import Path

from html_helpers import assert_self_contained
from PIL import Image

from auditui.reports.audit import build_report
from auditui.reports.html import render_html
from auditui.reports.markdown import render_markdown
from auditui.store import read_session


def phone_photo(path: Path, seed: int) -> Path:
    """A 3000x2000 JPEG full of noise: about as heavy as a phone's photo gets."""
    rng = random.Random(seed)
    image = Image.frombytes("RGB", (3000, 2000), rng.randbytes(3000 * 2000 * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    path.write_bytes(buffer.getvalue())
    return path


def test_photos_are_thumbnails_inside_the_page_and_every_file_has_its_hash(
    store, checklist, started, tmp_path
) -> None:
    writer = store.create(checklist, auditor="Mai", auditee="Lab", started=started)
    writer.answer("4.1-a", result="fail", note="Gauge 7 has no label", grade="minor")
    photos = [phone_photo(tmp_path / f"IMG_{n}.jpg", n) for n in range(50)]
    record = tmp_path / '<img src=x onerror=alert(1)>.pdf'
    record.write_bytes(b"%PDF-1.4 calibration certificate")
    writer.attach("4.1-a", [*photos, record])
    writer.close()
    session = read_session(writer.path)
    source = render_html(build_report(session, None))
    page = assert_self_contained(source)
    images = page.all("img")
    assert len(images) == 50
    originals = sum(photo.stat().st_size for photo in photos)
    assert len(source.encode()) < 5 * 1024 * 1024 < originals
    text = page.text
    for attachment in session.record("4.1-a").attachments:
        assert attachment.sha256 in text
    assert "<img src=x onerror=alert(1)>.pdf" in text  # the file's name, shown as text
    markdown = render_markdown(build_report(session, None))
    assert session.record("4.1-a").attachments[-1].sha256 in markdown


def test_a_copy_missing_or_changed_is_said_and_not_shown(
    store, checklist, started, tmp_path
) -> None:
    writer = store.create(checklist, auditor="Mai", auditee="Lab", started=started)
    writer.answer("4.1-a", result="fail")
    first, second = writer.attach(
        "4.1-a", [phone_photo(tmp_path / "a.jpg", 1), phone_photo(tmp_path / "b.jpg", 2)]
    )
    writer.close()
    (store.folder / first.file).unlink()
    (store.folder / second.file).write_bytes(b"not the photo")
    page = assert_self_contained(render_html(build_report(read_session(writer.path), None)))
    assert page.all("img") == []
    text = page.text
    assert "a.jpg" in text and "copy not here" in text
    assert "b.jpg" in text and "copy changed since attached" in text


def test_a_finished_audit_whose_evidence_was_swapped_does_not_read_sealed(
    store, checklist, started, tmp_path, run_cli
) -> None:
    """After the finish a photo's copy was overwritten: `verify` said so and exited 1,
    the HTML head still read "Finished and sealed" and the Markdown said nothing at all,
    listing the file with its hash as if it were intact."""
    writer = store.create(checklist, auditor="Mai", auditee="Lab", started=started)
    writer.answer("4.1-a", result="fail", note="Gauge 7", grade="minor")
    [photo] = writer.attach("4.1-a", [phone_photo(tmp_path / "gauge.jpg", 3)])
    writer.finish(conclusion="Minor findings only.", signed_by=["Mai"])
    writer.close()
    folder = ("--sessions-dir", store.folder)
    (store.folder / photo.file).write_bytes(b"another picture")
    code, out, err = run_cli("report", writer.session.id, "--format", "markdown", *folder)
    assert code == 0, err
    assert ("- **Status:** Finished and sealed, but evidence changed since it was attached: "
            "4.1-a gauge.jpg") in out  # fmt: skip
    assert f"SHA-256 {photo.sha256} — **copy changed since attached**" in out
    code, out, err = run_cli("report", writer.session.id, *folder)
    page = assert_self_contained(out)
    head = page.all("header")[0].content
    assert "Finished and sealed, but evidence changed since it was attached: 4.1-a gauge.jpg" in (
        head
    )


def test_a_link_in_a_copy_s_place_is_a_changed_copy_as_verify_says(
    store, checklist, started, tmp_path, run_cli
) -> None:
    """A copy replaced by a symbolic link: `verify` said changed and exited 1; the report
    said "copy not here" and "Finished and sealed"."""
    writer = store.create(checklist, auditor="Mai", auditee="Lab", started=started)
    writer.answer("4.1-a", result="fail", grade="minor")
    [photo] = writer.attach("4.1-a", [phone_photo(tmp_path / "gauge.jpg", 4)])
    writer.finish(conclusion="Done.", signed_by=["Mai"])
    writer.close()
    copy = store.folder / photo.file
    elsewhere = tmp_path / "elsewhere.jpg"
    copy.rename(elsewhere)
    copy.symlink_to(elsewhere)
    folder = ("--sessions-dir", store.folder)
    assert run_cli("verify", writer.session.id, *folder)[0] == 1
    for fmt in ("markdown", "html"):
        code, out, err = run_cli("report", writer.session.id, "--format", fmt, *folder)
        assert code == 0, err
        assert "but evidence changed since it was attached: 4.1-a gauge.jpg" in out, fmt
        assert "copy changed since attached" in out and "copy not here" not in out, fmt


def test_an_evidence_copy_not_in_the_folder_is_said_in_the_head_as_verify_says_it(
    store, checklist, started, tmp_path, run_cli
) -> None:
    """`verify` exited 1 ("evidence not checked, not in this folder"); the report read
    "finished and sealed" and listed the file in the appendix as if it were there."""
    writer = store.create(checklist, auditor="Mai", auditee="Lab", started=started)
    writer.answer("4.1-a", result="pass")
    [record] = writer.attach("4.1-a", [phone_photo(tmp_path / "seen.jpg", 5)])
    writer.finish(conclusion="Done.", signed_by=["Mai"])
    writer.close()
    (store.folder / record.file).unlink()
    folder = ("--sessions-dir", store.folder)
    assert run_cli("verify", writer.session.id, *folder)[0] == 1
    for fmt in ("markdown", "html"):
        code, out, err = run_cli("report", writer.session.id, "--format", fmt, *folder)
        assert code == 0, err
        said = "Finished and sealed; evidence not checked, not in this folder: 4.1-a seen.jpg"
        assert said in out, fmt
        assert "copy not here" in out, fmt  # beside the file in the appendix too
