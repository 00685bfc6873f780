"""What the repository itself must hold: files that are made at run time kept out of git,
and the README's keys table the same as the walkthrough's help (one source: its bindings)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_exports_and_sessions_made_while_trying_the_app_are_not_committed() -> None:
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/exports/" in ignored  # reports written by `x` and `auditui report`
    assert "/sessions/*" in ignored


def test_the_readme_keys_table_is_the_walkthrough_help() -> None:
    from auditui.tui.keyhelp import README_END, README_START, readme_block, walkthrough_rows

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start, end = readme.index(README_START), readme.index(README_END) + len(README_END) + 1
    assert readme[start:end] == readme_block(), (
        "README's walkthrough keys differ from the bindings: "
        "replace them with the output of `python -m auditui.tui.keyhelp`"
    )
    keys = " ".join(key for key, _ in walkthrough_rows()).split()
    for key in ("p", "f", "n", "e", "down", "j", "up", "k", "q", "ctrl+q", "?", "1", "4"):
        assert key in keys, key  # SPEC's walkthrough keys are all there


async def test_the_help_screen_lists_exactly_those_rows(tmp_path) -> None:
    from auditui.catalog import Catalog
    from auditui.paths import Locations
    from auditui.store import SessionStore
    from auditui.tui.app import AuditApp
    from auditui.tui.keyhelp import walkthrough_rows
    from auditui.tui.screens.dialogs import HelpScreen

    checklists = tmp_path / "checklists"
    checklists.mkdir()
    (checklists / "c.toml").write_text(
        '[checklist]\nid = "c"\ntitle = "C"\nkind = "custom"\nversion = "1"\n'
        '[[sections]]\nid = "1"\ntitle = "One"\n[[sections.items]]\nid = "a"\nprompt = "A?"\n',
        encoding="utf-8",
    )
    locations = Locations(checklists, tmp_path / "sessions")
    writer = SessionStore(locations.sessions_dir).create(
        Catalog(locations).resolve("c"), auditor="A", auditee="B"
    )
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert help_screen.keys[1:] == walkthrough_rows()  # after the list marks' legend
