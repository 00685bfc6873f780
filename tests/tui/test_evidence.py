"""Evidence from the walkthrough: attached from a folder of new photos (newest first),
detached, undone, and still there after a resume, checked on the saved session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from auditui.tui.app import AuditApp
from auditui.tui.screens.attach import AttachDialog

from .conftest import saved


@pytest.fixture
def dcim(tmp_path: Path) -> Path:
    """A phone's photos copied over: IMG_0003 is the newest."""
    folder = tmp_path / "DCIM"
    folder.mkdir()
    for age, number in enumerate((3, 2, 1)):
        path = folder / f"IMG_000{number}.jpg"
        path.write_bytes(f"photo {number}".encode())
        os.utime(path, (1_800_000_000 - age * 60, 1_800_000_000 - age * 60))
    return folder


def attached(store, session_id: str, index: int = 0) -> list[str]:
    return [a.name for a in saved(store, session_id).records[index].attachments]


async def test_attach_two_new_photos_detach_one_undo_and_resume(
    locations, store, checklist, dcim
) -> None:
    writer = store.create(checklist, auditor="Mai", auditee="Warehouse")
    session_id = writer.session.id
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "a")
        dialog = app.screen
        assert isinstance(dialog, AttachDialog)
        dialog.query_one("Input").value = str(dcim) + os.sep
        await pilot.pause()
        await pilot.press("down", "space", "down", "space")  # the two newest
        await pilot.pause()
        # Marked and unmarked boxes look alike on a dim screen: the line above says.
        count = str(dialog.query_one(".pick-count").render())
        assert "2 marked: enter attaches them" in count
        await pilot.press("enter")
        await pilot.pause()
        assert attached(store, session_id) == ["IMG_0003.jpg", "IMG_0002.jpg"]
        record = saved(store, session_id).records[0]
        assert record.result == "fail"  # attaching changed nothing else
        for attachment in record.attachments:
            copy = store.folder / attachment.file
            assert copy.read_bytes() == (dcim / attachment.name).read_bytes()
        await pilot.press("A", "1")  # detach the first of the two
        await pilot.pause()
        assert attached(store, session_id) == ["IMG_0002.jpg"]
        await pilot.press("u")
        await pilot.pause()
        assert attached(store, session_id) == ["IMG_0003.jpg", "IMG_0002.jpg"]
        await pilot.press("q")
    resumed = AuditApp(locations, writer=store.open(session_id))
    async with resumed.run_test(size=(80, 24)) as pilot:
        await pilot.press("home")  # resume opens on the first unanswered item
        detail = str(resumed.screen.query_one("#detail-attachments").render())
        assert "IMG_0003.jpg" in detail and "Evidence attached (2)" in detail
        await pilot.press("q")


async def test_a_path_that_cannot_be_attached_attaches_nothing(
    locations, store, checklist, tmp_path
) -> None:
    writer = store.create(checklist, auditor="Mai", auditee="Warehouse")
    session_id = writer.session.id
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        typed = str(tmp_path / "no-such.jpg")
        app.screen.query_one("Input").value = typed
        await pilot.press("enter")
        await pilot.pause()
        assert attached(store, session_id) == []
        # A typo: the dialog stays, says so, and keeps the path to mend (it closed, and
        # the path was gone).
        dialog = app.screen
        assert isinstance(dialog, AttachDialog) and dialog.query_one("Input").value == typed
        assert f"No such file: {typed}" in str(dialog.query_one(".pick-count").render())
        await pilot.press("escape", "q")


async def test_a_name_typed_after_the_last_folder_says_where_that_name_is(
    locations, store, checklist, tmp_path, monkeypatch
) -> None:
    """The field opens on the last folder used: a name typed as if from the folder auditui
    was started in went on after it, and the dialog said only "No such file"."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bien_ban.pdf").write_bytes(b"%PDF-1.4")
    photos = tmp_path / "photos"
    photos.mkdir()
    writer = store.create(checklist, auditor="Mai", auditee="Warehouse")
    session_id = writer.session.id
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        field = app.screen.query_one("Input")
        field.value = f"{photos}{os.sep}"
        field.cursor_position = len(field.value)
        await pilot.press(*"bien_ban.pdf", "enter")
        await pilot.pause()
        said = str(app.screen.query_one(".pick-count").render())
        assert f"there is {tmp_path / 'bien_ban.pdf'}: ctrl+u clears the field" in said
        await pilot.press("ctrl+u", *"bien_ban.pdf", "enter")
        await pilot.pause()
    assert attached(store, session_id) == ["bien_ban.pdf"]


@pytest.mark.parametrize("kind", ["link", "pipe", "too large", "unreadable"])
async def test_a_file_refused_keeps_the_dialog_open_with_the_reason(
    locations, store, checklist, dcim, kind, monkeypatch
) -> None:
    """A link, a pipe or a file over the limit closed the dialog with a passing notice:
    the path was lost, and the keys typed next went to the screen behind it."""
    target = dcim / "IMG_0003.jpg"
    if kind == "link":
        typed = dcim / "latest.jpg"
        typed.symlink_to(target)
        reason = "symbolic link"
    elif kind == "pipe":
        typed = dcim / "camera.pipe"
        os.mkfifo(typed)
        reason = "not a regular file"
    elif kind == "unreadable":  # no read permission (root reads anything: made so)
        real_open = os.open

        def refuse(path, *args, **kwargs):
            if Path(path) == target:
                raise PermissionError(13, "Permission denied")
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(os, "open", refuse)
        typed, reason = target, "permission denied"
    else:
        monkeypatch.setenv("AUDITUI_EVIDENCE_MAX_MB", "0.000001")
        typed, reason = target, "too large to attach"
    writer = store.create(checklist, auditor="Mai", auditee="Warehouse")
    session_id = writer.session.id
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        app.screen.query_one("Input").value = str(typed)
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AttachDialog) and dialog.query_one("Input").value == str(typed)
        said = str(dialog.query_one(".pick-count").render())
        assert f"Cannot attach {typed.name}" in said and reason in said
        await pilot.press("escape")
        assert not isinstance(app.screen, AttachDialog)
        await pilot.press("p", "q")
    assert attached(store, session_id) == []
    assert saved(store, session_id).records[0].result == "pass"  # the walkthrough's p


async def test_typing_in_the_attach_field_goes_on_from_the_folder_it_shows(
    locations, store, checklist, dcim
) -> None:
    """The field opens on the last folder used; typing replaced it (the text was selected),
    so `DCIM/` typed after the folder became just `DCIM/`."""
    writer = store.create(checklist, auditor="Mai", auditee="Warehouse")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.evidence_folder = dcim.parent
        await pilot.press("a")
        await pilot.press(*"DCIM", "/")
        await pilot.pause()
        assert app.screen.query_one("Input").value == f"{dcim}{os.sep}"
        await pilot.press("escape", "q")


@pytest.mark.parametrize("typed", ["{path}", "~/DCIM/IMG_0001.jpg"])
async def test_a_path_of_its_own_typed_first_replaces_the_folder(
    locations, store, checklist, dcim, monkeypatch, typed
) -> None:
    """`/tmp/x.jpg` typed on the folder the field opened on became
    `/home/mai/photos//tmp/x.jpg`: "no such file", nothing attached. A `/` or `~` typed
    first starts a path of its own; typed after anything else, it goes in as typed."""
    monkeypatch.setenv("HOME", str(dcim.parent))
    writer = store.create(checklist, auditor="Mai", auditee="Warehouse")
    session_id = writer.session.id
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.evidence_folder = dcim
        await pilot.press("a")
        await pilot.press(*typed.format(path=dcim / "IMG_0001.jpg"))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert attached(store, session_id) == ["IMG_0001.jpg"]
        await pilot.press("a", *"sub", "/")
        await pilot.pause()
        assert app.screen.query_one("Input").value == f"{dcim}{os.sep}sub/"
        await pilot.press("escape", "q")


@pytest.mark.parametrize(
    "pasted",
    [
        "'{path}' ",  # a file dropped on GNOME Terminal, Konsole: quoted, a space after
        '"{path}"',
        "{escaped}",  # macOS Terminal: spaces escaped
        "file://{url}",  # some terminals paste a dropped file's address
    ],
)
async def test_a_file_dropped_on_the_terminal_is_attached(
    locations, store, checklist, tmp_path, pasted
) -> None:
    """A file dragged onto the terminal arrives as a paste, quoted or escaped, and went
    after the folder the field opened on: "no such file" for a file that was there."""
    from urllib.parse import quote

    from textual import events

    photo = tmp_path / "gauge photos" / "IMG 7 (calibration).jpg"
    photo.parent.mkdir()
    photo.write_bytes(b"the gauge")
    escaped = str(photo).replace(" ", "\\ ").replace("(", "\\(").replace(")", "\\)")
    text = pasted.format(path=photo, escaped=escaped, url=quote(str(photo)))
    writer = store.create(checklist, auditor="Mai", auditee="Warehouse")
    session_id = writer.session.id
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        app.screen.query_one("Input").post_message(events.Paste(text))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert attached(store, session_id) == ["IMG 7 (calibration).jpg"]
        await pilot.press("q")


@pytest.mark.parametrize(
    ("names", "typed"),
    [
        (["it's.jpg"], "'{0}/it'\\''s.jpg'"),  # GNOME's quoting of an apostrophe
        (["'quoted'.jpg"], "{0}/'quoted'.jpg"),  # a name that is there as typed
        (["a b.jpg", "c.jpg"], "'{0}/a b.jpg' '{0}/c.jpg' "),  # two dropped at once
    ],
)
async def test_paths_typed_as_a_shell_reads_them(
    locations, store, checklist, tmp_path, names, typed
) -> None:
    for name in names:
        (tmp_path / name).write_bytes(name.encode())
    writer = store.create(checklist, auditor="Mai", auditee="Warehouse")
    session_id = writer.session.id
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        app.screen.query_one("Input").value = typed.format(tmp_path)
        await pilot.press("enter")
        await pilot.pause()
        assert attached(store, session_id) == names
        await pilot.press("q")


async def test_a_detach_refused_after_the_pick_says_so(locations, store, checklist, tmp_path):
    """The session stopped taking changes while the file was being picked (found to be
    merged meanwhile): "Detached one.jpg (u undoes)" was said, and NOT SAVED shown."""
    from auditui.tui.screens.dialogs import PickOne

    photos = [tmp_path / "one.jpg", tmp_path / "two.jpg"]
    for number, photo in enumerate(photos):
        photo.write_bytes(f"photo {number}".encode())
    writer = store.create(checklist, auditor="Mai", auditee="Warehouse")
    item = writer.session.records[0].item_id
    writer.answer(item, result="fail")
    writer.attach(item, photos)
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("home", "A")
        await pilot.pause()
        assert isinstance(app.screen, PickOne)
        app.screen_stack[-2].writer.merged_into = "2026-11-01-0900-shop-floor-m3rg"
        await pilot.press("1")
        await pilot.pause()
        said = [str(n.message) for n in app._notifications]
        assert not any(m.startswith("Detached") for m in said)
        assert any("merged into" in m for m in said)
        assert not app.screen.query_one("#walk-error").display
    assert attached(store, writer.session.id) == ["one.jpg", "two.jpg"]


async def test_a_finished_session_offers_only_to_open_its_evidence(
    locations, store, checklist, dcim
) -> None:
    """Sealed: the evidence part still said "A detaches", a key the session refuses."""
    writer = store.create(checklist, auditor="Mai", auditee="Warehouse")
    writer.answer("7.1.5-a", result="fail")
    writer.attach("7.1.5-a", [dcim / "IMG_0001.jpg"])
    writer.finish(conclusion="One finding", signed_by=["Mai (auditor)"])
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("home")
        detail = str(app.screen.query_one("#detail-attachments").render())
        assert "Evidence attached (1)" in detail and "o opens" in detail
        assert "A detaches" not in detail
        await pilot.press("A")
        await pilot.pause()
        assert attached(store, writer.session.id) == ["IMG_0001.jpg"]
