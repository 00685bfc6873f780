"""Hostile text: markup, ANSI escape sequences, other control characters and bidi overrides,
in everything a user types or a checklist says, is shown as text and never interpreted.

On screen the markup appears literally, the app keeps running (a `[@click=app.quit]`
is not a link), and escape characters appear as visible symbols. The text outputs
of the commands never carry a raw control character to the terminal.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli_w
from textual.widgets import DataTable, Input

from auditui.catalog import Catalog
from auditui.paths import Locations
from auditui.store import SessionStore
from auditui.textwidth import printable, truncate_middle
from auditui.tui.app import AuditApp
from auditui.tui.screens.dialogs import HelpScreen, NoteEditor
from auditui.tui.screens.new_session import NewSessionScreen
from auditui.tui.screens.walkthrough import WalkthroughScreen

MARKUP = ["[bold]B[/]", "[/]", "[/bold", "[@click=app.quit]Q", "[link=https://x.example]L[/link]"]
ESCAPES = ["\x1b[31mRED\x1b[0m", "\x1b]0;pwned\x07", "\x1b[2J", "\x9b31m"]
CONTROLS = ["\x00", "\x07", "\x08", "\x7f", "\r"]
BIDI = ["\u202eevil\u202c", "\u2067iso\u2069"]
HOSTILE = " ".join(MARKUP + ESCAPES + CONTROLS + BIDI)
"""All of it at once, in one string."""

RAW = {chr(c) for c in range(32) if c != 10} | {chr(c) for c in range(0x7F, 0xA0)}
RAW |= {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
"""What must never reach the terminal as it is (newlines aside)."""


def hostile(tag: str) -> str:
    return f"{tag} {HOSTILE} end"


def hostile_checklist() -> dict:
    return {
        "checklist": {
            "id": "hostile",
            "title": hostile("CT"),
            "kind": "custom",
            "version": hostile("V"),
            "standard": hostile("STD"),
            "description": hostile("DESC"),
        },
        "sections": [
            {
                "id": "S[b]1\x1b[31m",
                "title": hostile("ST"),
                "items": [
                    {
                        "id": "[@click=app.quit]",
                        "prompt": "[@click=app.quit] " + hostile("P1"),
                        "clause": hostile("CL"),
                        "guidance": hostile("G"),
                        "evidence": [hostile("E1"), hostile("E2")],
                    },
                    {"id": "i\x1b[2", "prompt": hostile("P2")},
                ],
            }
        ],
    }


@pytest.fixture
def hostile_locations(tmp_path: Path) -> Locations:
    checklists = tmp_path / "checklists"
    checklists.mkdir()
    (checklists / "hostile.toml").write_text(tomli_w.dumps(hostile_checklist()), "utf-8")
    return Locations(checklists, tmp_path / "sessions", tmp_path / "exports")


@pytest.fixture
def hostile_sessions(hostile_locations: Locations) -> list[str]:
    """Two sessions of the hostile checklist, hostile names and notes, a failed item each."""
    checklist = Catalog(hostile_locations).resolve("hostile")
    store = SessionStore(hostile_locations.sessions_dir)
    ids = []
    for number in (1, 2):
        writer = store.create(
            checklist, auditor=hostile("AU"), auditee=hostile("AE"), title=hostile(f"T{number}")
        )
        writer.answer("[@click=app.quit]", result="fail", note=hostile("N"), grade="minor")
        writer.answer("i\x1b[2", result="pass" if number == 1 else "fail", note=hostile("M"))
        writer.close()
        ids.append(writer.session.id)
    return ids


def literal(text: str) -> None:
    """Rendered text: the markup is there as typed, and no raw control character."""
    for tag in MARKUP:
        assert tag in text, (tag, text[:300])
    assert not RAW & set(text), sorted(RAW & set(text))
    assert "␛[31mRED␛[0m" in text  # the escape shown as a visible symbol


def screen_text(app) -> str:
    """Everything on screen, as the SVG screenshot has it (spaces as no-break spaces)."""
    import html

    return html.unescape(app.export_screenshot()).replace("\xa0", " ")


# --- on screen ------------------------------------------------------------------------------------


async def test_the_walkthrough_shows_hostile_text_literally(hostile_locations, hostile_sessions):
    store = SessionStore(hostile_locations.sessions_dir)
    writer = store.open(hostile_sessions[1])
    app = AuditApp(hostile_locations, writer=writer)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        await pilot.press("home")  # the first item: every field is hostile
        await pilot.pause(0.3)  # "last time" is loaded in a thread
        screen = app.screen
        assert isinstance(screen, WalkthroughScreen)
        for widget in ("heading", "prompt", "note", "guidance", "evidence", "last"):
            text = str(screen.query_one(f"#detail-{widget}").render())
            if widget in ("prompt", "note", "guidance", "evidence"):
                literal(text)
            assert not RAW & set(text), widget
        literal(str(screen.query_one("#walk-bar").render()))
        assert "[@click=app.quit]" in screen_text(app)
        await pilot.click("#detail-prompt")  # a link would quit the app
        await pilot.click("#detail-note")
        await pilot.click("#walk-bar")
        assert app.is_running
        for key in ("e", "?", "slash", "s"):  # note editor, help, find, sections
            await pilot.press(key)
            if key == "slash":
                await pilot.press(*"quit")
            await pilot.pause()
            if key == "e":
                assert isinstance(app.screen, NoteEditor)
                literal(str(app.screen.query_one("#note-prompt").render()))
            if key == "?":
                assert isinstance(app.screen, HelpScreen)
            text = screen_text(app)
            assert not RAW & set(text)
            assert "[@click=app.quit]" in text
            await pilot.press("escape")
            assert app.is_running and app.screen is screen
        await pilot.press("e", *"[/] [@click=app.quit]", "ctrl+s", "f")
        assert app.is_running
    assert app.return_code in (None, 0)


async def test_home_and_the_new_session_form_show_hostile_text_literally(
    hostile_locations, hostile_sessions
):
    checklist = Catalog(hostile_locations).resolve("hostile")
    app = AuditApp(hostile_locations)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()  # home reads the sessions in a thread: wait until shown
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        for fragment in ("CT [bold]B[/]", "T2 [bold]B[/] [/]", "AE [bold]B[/]", "␛[31mRED"):
            assert fragment in text, fragment
        assert not RAW & set(text)
        sessions = app.screen.query_one("#home-sessions", DataTable)
        # The title, too long for its column, is cut in the middle: what shows is exactly
        # the literal text's two ends, nothing of it read as markup (the walkthrough test
        # above sees its `[@click=app.quit]` whole).
        width = next(iter(sessions.columns.values())).width
        shown = str(sessions.get_row_at(0)[0])
        assert shown == truncate_middle(printable(hostile("T2")), width) and "…" in shown
        await pilot.click("#home-sessions")
        await pilot.press("?")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "ctrl+p")
        await pilot.pause()
        assert not RAW & set(screen_text(app))
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
    app = AuditApp(hostile_locations, new_session=(checklist, hostile("A"), hostile("B"), ""))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NewSessionScreen)
        literal(str(app.screen.query_one("#new-title").render()))
        assert app.screen.query_one("#auditor", Input).value == hostile("A")
        assert not RAW & set(screen_text(app))
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, WalkthroughScreen)
        literal(str(app.screen.query_one("#walk-bar").render()))
        assert app.screen.session.auditee == hostile("B")  # stored exactly as given


async def test_history_screens_show_hostile_text_literally(hostile_locations, hostile_sessions):
    app = AuditApp(hostile_locations)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        for open_screen in (
            lambda: app.open_compare("hostile", hostile("CT")),
            lambda: app.open_trend("hostile", hostile("CT")),
            app.open_findings,
        ):
            open_screen()
            await pilot.pause(0.5)
            text = screen_text(app)
            assert not RAW & set(text)
            assert "[bold]B[/]" in text or "[@click=app.quit]" in text
            await pilot.press("escape")
            await pilot.pause()
        assert app.is_running


# --- the command line -----------------------------------------------------------------------------


def clean_output(code: int, out: str, err: str) -> str:
    assert "Traceback" not in err and "internal error" not in err, err
    assert not RAW & set(out), (sorted(RAW & set(out)), out)
    assert not RAW & set(err), (sorted(RAW & set(err)), err)
    return out


def test_text_outputs_carry_no_control_characters(run_cli, hostile_locations, hostile_sessions):
    folders = [
        "--sessions-dir",
        hostile_locations.sessions_dir,
        "--checklists-dir",
        hostile_locations.checklists_dir,
    ]
    old, new = hostile_sessions
    outputs = {}
    for argv in (
        ["sessions"],
        ["checklists"],
        ["compare", old, new],
        ["findings"],
        ["trend", "hostile"],
        ["export", new, "--format", "markdown"],
    ):
        code, out, err = run_cli(*argv, *folders)
        assert code == 0, err
        outputs[argv[0]] = clean_output(code, out, err)
    assert "[bold]B[/]" in outputs["findings"] and "␛[31mRED" in outputs["findings"]
    assert "CT [bold]B[/]" in outputs["checklists"]
    assert "[@click=app.quit]" in outputs["compare"]


def test_hostile_session_fields_in_listings_and_imports(run_cli, tmp_path, hostile_locations):
    # Fields other programs may write: checklist id and version, item and section ids.
    checklist = Catalog(hostile_locations).resolve("hostile")
    other = SessionStore(tmp_path / "elsewhere")
    writer = other.create(checklist, auditor="A", auditee=hostile("AE"))
    writer.answer("[@click=app.quit]", result="fail", note=hostile("N"))
    writer.close()
    text = writer.path.read_text("utf-8")
    text = text.replace('checklist_id = "hostile"', 'checklist_id = "x\\u001b[31m\\u202e[b]"')
    text = text.replace('checklist_version = "', 'checklist_version = "\\u001b]0;t\\u0007')
    source = tmp_path / "from another laptop \x1b[31m.toml"
    source.write_text(text, "utf-8")
    sessions = ["--sessions-dir", tmp_path / "sessions"]
    code, out, err = run_cli("import", source, *sessions)
    assert code == 0, err
    clean_output(code, out, err)
    for argv in (["sessions"], ["findings"], ["trend", "x\x1b[31m\u202e[b]"]):
        code, out, err = run_cli(*argv, *sessions)
        assert code == 0, err
        clean_output(code, out, err)
    code, out, err = run_cli("compare", writer.session.id, "nope \x1b[31m", *sessions)
    assert code == 1
    clean_output(code, out, err)


def test_validate_names_hostile_files_and_keys_without_control_characters(
    run_cli, tmp_path
) -> None:
    good = tmp_path / "good \x1b[31m\u202e.toml"
    good.write_text(tomli_w.dumps(hostile_checklist()), "utf-8")
    bad = hostile_checklist()
    bad["sections"][0]["items"][0]["\x1b[31mprompt"] = "unknown key"
    bad["sections"][0]["items"][1]["prompt"] = 7
    bad["checklist"]["kind"] = "\x1b]0;pwned\x07"
    broken = tmp_path / "broken \x1b[2J\u2066.toml"
    broken.write_text(tomli_w.dumps(bad), "utf-8")
    binary = tmp_path / "binary \x07.toml"
    binary.write_bytes(b"\x1b[31m = 1\n\xff")
    code, out, err = run_cli("validate", good, broken, binary)
    assert code == 1
    clean_output(code, out, err)
    assert "ok (hostile, 2 items)" in out
    # Three problems, the binary file, the count, and the note on the good file's item
    # id "i\x1b[2" (a control character in an id), named escaped.
    assert len(err.splitlines()) == 6
    assert "note: the id 'i\\x1b[2' holds a control character" in err
