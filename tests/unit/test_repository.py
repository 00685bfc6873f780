"""The storage seam: the file store is a `SessionRepository`, built once per command and
handed on, and every change to a session on disk is told to the `on_saved` hooks (what an
index of heads, sync or findings follow)."""

from __future__ import annotations

import argparse
import inspect
from datetime import timedelta
from pathlib import Path

import pytest

from auditui.commands.common import Context
from auditui.errors import AudituiError
from auditui.export import export_session
from auditui.paths import Locations
from auditui.repository import Saved, SessionRepository, open_repository
from auditui.session_merge import merge_sessions
from auditui.store import SessionStore
from auditui.timeutil import now
from auditui.trash import TRASH, move_to_trash


def protocol_members() -> list[str]:
    return [
        name
        for name, value in vars(SessionRepository).items()
        if not name.startswith("_") and (callable(value) or isinstance(value, property))
    ]


def test_the_file_store_is_a_session_repository(store) -> None:
    assert isinstance(store, SessionRepository)
    # `runtime_checkable` looks at names only: the signatures must be the same too, so
    # that a caller written against the interface calls the file store correctly.
    for name in protocol_members():
        wanted = getattr(SessionRepository, name)
        if isinstance(wanted, property):
            assert isinstance(getattr(store, name), Path)
            continue
        given = inspect.signature(getattr(SessionStore, name))
        assert list(given.parameters) == list(inspect.signature(wanted).parameters), name
        for param, expected in zip(
            given.parameters.values(), inspect.signature(wanted).parameters.values(), strict=True
        ):
            assert (param.kind, param.default) == (expected.kind, expected.default), name


def test_open_repository_is_the_file_store_of_the_sessions_folder(tmp_path) -> None:
    locations = Locations(tmp_path / "checklists", tmp_path / "sessions")
    repository = open_repository(locations)
    assert isinstance(repository, SessionStore)
    assert repository.folder == tmp_path / "sessions"


def test_a_command_builds_the_store_once(tmp_path) -> None:
    ctx = Context(Locations(tmp_path / "checklists", tmp_path / "sessions"))
    assert ctx.store is ctx.store
    assert ctx.store.folder == tmp_path / "sessions"


def record(store) -> list[tuple[str, str, Path]]:
    seen: list[tuple[str, str, Path]] = []

    def hook(saved: Saved) -> None:
        seen.append((saved.change, saved.session_id, saved.path))

    store.on_saved(hook)
    return seen


def test_on_saved_tells_each_kind_of_save(store, checklist, started, tmp_path) -> None:
    seen = record(store)
    writer = store.create(checklist, auditor="Mai", started=started)
    session_id, path = writer.session.id, writer.path
    assert seen == [("created", session_id, path)]

    writer.answer("4.1-a", result="pass")  # a journal entry
    assert seen[-1] == ("saved", session_id, path)
    writer.set_language("")  # nothing changed: nothing saved, nothing told
    writer.set_details(auditor="Mai", auditee="Plant 2", title="")
    assert seen[-1] == ("saved", session_id, path)
    count = len(seen)
    writer.close()  # folds the journal into a snapshot, then lets go
    assert seen[count:] == [("saved", session_id, path), ("closed", session_id, path)]

    writer = store.open(session_id)
    count = len(seen)
    writer.finish(conclusion="Conforms", signed_by=["Mai"])
    assert seen[count:] and {change for change, *_ in seen[count:]} == {"saved"}
    writer.reopen("a note was missing")
    assert seen[-1] == ("saved", session_id, path)
    writer.close()
    assert seen[-1] == ("closed", session_id, path)

    exported = tmp_path / "exported.toml"
    exported.write_bytes(export_session(store.load(session_id), "toml"))
    other = SessionStore(tmp_path / "elsewhere")
    seen_elsewhere = record(other)
    imported = other.import_file(exported)
    assert seen_elsewhere == [("imported", imported.id, other.path_for(imported.id))]

    count = len(seen)
    moved = store.delete(session_id)
    assert moved == store.folder / TRASH / path.name
    assert seen[count:] == [("closed", session_id, path), ("deleted", session_id, path)]


def test_on_saved_tells_a_merged_session_and_a_trashed_one(store, checklist, started) -> None:
    first = store.create(checklist, auditor="Mai", started=started, scope=["4"])
    first.close()
    second = store.create(checklist, auditor="Anan", started=started + timedelta(minutes=5),
                          scope=["5"])  # fmt: skip
    second.close()
    sessions = [store.load(first.session.id), store.load(second.session.id)]
    seen = record(store)
    merged = store.add(
        lambda new_id: merge_sessions(sessions, new_id=new_id, updated=now()),
        checklist.id,
        started,
    )
    assert seen == [("created", merged.id, store.path_for(merged.id))]
    assert merged.path == store.path_for(merged.id)
    assert merged.auditor == "Mai, Anan"
    # The trash function the home screen calls goes through the store, so it is told too.
    move_to_trash(store, first.session.id)
    assert seen[-1] == ("deleted", first.session.id, first.path)


def test_a_merge_refused_writes_nothing_and_tells_nothing(store, checklist, started) -> None:
    seen = record(store)

    def refuse(new_id: str):
        raise AudituiError("answered differently")

    with pytest.raises(AudituiError):
        store.add(refuse, checklist.id, started)
    assert seen == []
    assert not store.folder.exists()  # not even the folder was made


def test_a_failed_save_tells_nothing(store, checklist, started, monkeypatch) -> None:
    writer = store.create(checklist, started=started)
    seen = record(store)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", disk_full)
    with pytest.raises(AudituiError):
        writer.answer("4.1-a", result="pass")
    assert seen == []
    monkeypatch.undo()
    writer.flush()
    assert seen == [("saved", writer.session.id, writer.path)]
    writer.close()


def test_a_session_opened_by_path_elsewhere_is_told_to_the_same_hooks(
    store, checklist, started, tmp_path
) -> None:
    other = SessionStore(tmp_path / "elsewhere")
    writer = other.create(checklist, started=started)
    writer.close()
    seen = record(store)
    writer = store.open(str(writer.path))
    writer.answer("4.1-a", result="fail")
    writer.close()
    assert [change for change, *_ in seen] == ["saved", "saved", "closed"]
    assert {path for *_, path in seen} == {other.path_for(writer.session.id)}


def test_merge_command_goes_through_the_repository(run_cli, store, checklist, started) -> None:
    first = store.create(checklist, auditor="Mai", started=started, scope=["4"])
    first.close()
    second = store.create(checklist, auditor="Anan", started=started, scope=["5"])
    second.close()
    code, out, err = run_cli("merge", first.session.id, second.session.id,
                             "--sessions-dir", store.folder)  # fmt: skip
    assert code == 0, err
    assert store.path_for(out.strip()).is_file()


def test_the_app_uses_the_store_it_is_given(tmp_path) -> None:
    pytest.importorskip("textual")
    from auditui.tui.app import AuditApp

    locations = Locations(tmp_path / "checklists", tmp_path / "sessions")
    given = SessionStore(tmp_path / "sessions")
    assert AuditApp(locations, store=given).store is given


def test_the_app_commands_hand_the_app_the_commands_store(tmp_path, monkeypatch) -> None:
    from auditui.commands import app as app_commands

    opened = []
    monkeypatch.setattr(app_commands, "require_terminal", lambda: None)
    monkeypatch.setattr(app_commands, "launch", lambda app: opened.append(app) or 0)
    ctx = Context(Locations(tmp_path / "checklists", tmp_path / "sessions"))
    assert app_commands.run_home(ctx, argparse.Namespace()) == 0
    assert opened[0].store is ctx.store


def test_a_report_made_in_the_app_goes_to_the_exports_folder_given(
    store, checklist, started, tmp_path
) -> None:
    # `--exports-dir` / AUDITUI_EXPORTS_DIR: what the app's report keys write (the
    # `report`, `print` and `review-pack` commands write to stdout or -o, as SPEC says).
    from auditui.reports.sources import report_to_folder

    writer = store.create(checklist, started=started)
    writer.close()
    locations = Locations(tmp_path / "checklists", tmp_path / "nowhere", tmp_path / "out")
    path = report_to_folder(locations, writer.session, "markdown", store=store)
    assert path == tmp_path / "out" / f"{writer.session.id}.report.md"
    assert writer.session.id in path.read_text(encoding="utf-8")
    assert not (tmp_path / "nowhere").exists()  # the store given, not the folder's
