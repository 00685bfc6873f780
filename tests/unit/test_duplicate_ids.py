"""Two checklist files of one id in one folder: auditui uses one by a fixed rule and says
which one, and why, in `validate`, `checklists` and on the home screen (never silently)."""

from __future__ import annotations

from pathlib import Path

from auditui.catalog import Catalog
from auditui.paths import Locations


def two_of_one_id(workdir: Path, make_checklist_text) -> tuple[Path, Path]:
    folder = workdir / "checklists"
    folder.mkdir()
    copy = folder / "a-copy.toml"
    copy.write_text(make_checklist_text("demo", title="Old copy", items=2), encoding="utf-8")
    named = folder / "demo.toml"
    named.write_text(make_checklist_text("demo", title="Current", items=5), encoding="utf-8")
    return named, copy


def test_the_file_named_after_the_id_is_used_and_the_other_is_named(
    workdir, make_checklist_text, run_cli
) -> None:
    named, copy = two_of_one_id(workdir, make_checklist_text)
    code, out, err = run_cli("checklists")
    assert code == 0
    assert "Current" in out and "Old copy" not in out
    (line,) = err.splitlines()
    assert "a-copy.toml" in line and "demo.toml" in line and "named after the id" in line
    locations = Locations(workdir / "checklists", workdir / "sessions")
    assert Catalog(locations).resolve("demo").title == "Current"


def test_without_a_file_named_after_the_id_the_first_by_name_is_used(
    workdir, make_checklist_text, run_cli
) -> None:
    folder = workdir / "checklists"
    folder.mkdir()
    (folder / "b.toml").write_text(make_checklist_text("demo", title="B"), encoding="utf-8")
    (folder / "a.toml").write_text(make_checklist_text("demo", title="A"), encoding="utf-8")
    (folder / "c.toml").write_text(make_checklist_text("demo", title="C"), encoding="utf-8")
    locations = Locations(folder, workdir / "sessions")
    said: list[str] = []
    found = Catalog(locations).checklists(on_duplicate=lambda d: said.append(str(d)))
    assert [c.title for c in found] == ["A"]
    assert len(said) == 2 and all("also in a.toml" in line for line in said)
    assert Catalog(locations).resolve("demo").title == "A"


def test_validate_refuses_the_file_that_would_be_left_out(
    workdir, make_checklist_text, run_cli
) -> None:
    named, copy = two_of_one_id(workdir, make_checklist_text)
    code, out, err = run_cli("validate", copy, named)
    assert code == 1
    assert out.splitlines() == [f"{named}: ok (demo, 5 items)"]
    assert f"auditui: {copy}: checklist id 'demo' is also in demo.toml" in err
    # Validated alone, the copy still clashes with the file beside it.
    code, out, err = run_cli("validate", copy)
    assert code == 1 and out == "" and "also in demo.toml" in err


def test_validate_names_a_session_file_and_points_to_import(workdir, run_cli) -> None:
    exported = workdir / "session.toml"
    exported.write_text(
        '[session]\nid = "x"\nchecklist_id = "demo"\n\n[[results]]\nitem_id = "a"\n',
        encoding="utf-8",
    )
    code, out, err = run_cli("validate", exported)
    assert code == 1
    assert "this is a session, not a checklist" in err and "auditui import" in err
    assert "did you mean" not in err


def test_a_key_set_twice_is_named_with_both_lines(workdir, valid_text, run_cli) -> None:
    text = valid_text.replace(
        'clause = "4.2"', 'clause = "4.2"\nprompt = "Asked twice?"', 1
    )
    path = workdir / "twice.toml"
    path.write_text(text, encoding="utf-8")
    first = text.splitlines().index('prompt = "Are the needs of interested parties known?"') + 1
    second = text.splitlines().index('prompt = "Asked twice?"') + 1
    code, out, err = run_cli("validate", path)
    assert code == 1
    assert (
        f"{path}:{second}: not valid TOML: key 'prompt' is set twice in one table "
        f"(lines {first} and {second})"
    ) in err
    assert "Cannot overwrite" not in err


def test_validate_checks_a_file_outside_the_checklists_folders_on_its_own(
    workdir, make_checklist_text, run_cli
) -> None:
    """Only a checklists folder uses one file per id: a draft and its copy in another
    folder are each valid, whatever lies beside them."""
    folder = workdir / "drafts"
    folder.mkdir()
    draft = folder / "ok.toml"
    draft.write_text(make_checklist_text("demo", title="Draft"), encoding="utf-8")
    (folder / "bom.toml").write_text(make_checklist_text("demo", title="Copy"), encoding="utf-8")
    code, out, err = run_cli("validate", draft)
    assert (code, err) == (0, "") and out.startswith(f"{draft}: ok (demo")
    code, out, err = run_cli("validate", draft, folder / "bom.toml")
    assert code == 0 and len(out.splitlines()) == 2, err


def test_validate_knows_the_checklists_folder_by_any_path_to_it(
    workdir, make_checklist_text, run_cli
) -> None:
    """The checklists folder reached through a symlink is still the checklists folder: the
    copy auditui leaves out is refused, not passed as ok."""
    real = workdir / "real"
    real.mkdir()
    (workdir / "checklists").symlink_to(real)
    (real / "demo.toml").write_text(make_checklist_text("demo", title="Current"), "utf-8")
    copy = real / "a-copy.toml"
    copy.write_text(make_checklist_text("demo", title="Old copy"), encoding="utf-8")
    for path in (copy, workdir / "checklists" / "a-copy.toml", real / ".." / "real" / copy.name):
        code, out, err = run_cli("validate", path)
        assert code == 1 and out == "" and "also in demo.toml" in err, path
