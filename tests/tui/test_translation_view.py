"""The chosen translation under each question: from `run --lang` or the form, switched with
`l`, and remembered in the saved session file."""

from __future__ import annotations

from textual.widgets import Select, Static

from auditui.catalog import Catalog
from auditui.tui.app import AuditApp
from auditui.tui.screens.new_session import NewSessionScreen
from auditui.tui.screens.walkthrough import WalkthroughScreen

from .conftest import saved

TRANSLATIONS = """
[sections.items.translations.vi]
prompt = "Thước đo ở khu ép có được hiệu chuẩn và lưu hồ sơ không?"
guidance = "Chọn 3 thước đo."

[sections.items.translations.th]
prompt = "เกจที่ใช้ในงานฉีดได้รับการสอบเทียบและเก็บบันทึกไว้หรือไม่?"
"""


def translated_checklist(locations):
    path = locations.checklist_dirs()[-1] / "shop-floor.toml"
    text = path.read_text(encoding="utf-8")
    anchor = 'evidence = ["Calibration register", "Certificates from the lab"]\n'
    path.write_text(text.replace(anchor, anchor + TRANSLATIONS), encoding="utf-8")
    return Catalog(locations).resolve("shop-floor")


def shown(app, name: str) -> str:
    widget = app.screen.query_one(f"#detail-{name}", Static)
    return str(widget.content) if widget.display else ""


async def test_the_chosen_language_shows_under_the_english_and_l_switches_it(locations, store):
    checklist = translated_checklist(locations)
    writer = store.create(checklist, auditor="Mai", auditee="Moulding", language="vi")
    app = AuditApp(locations, writer=writer)
    session_id = writer.session.id
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "calibrated" in shown(app, "prompt")
        assert shown(app, "translation").startswith("Thước đo ở khu ép")
        assert "Chọn 3 thước đo." in shown(app, "guidance")
        await pilot.press("l")  # vi -> th
        assert shown(app, "translation").startswith("เกจที่ใช้ในงานฉีด")
        assert saved(store, session_id).language == "th"
        await pilot.press("l")  # th -> none
        assert shown(app, "translation") == ""
        assert saved(store, session_id).language == ""
        await pilot.press("l", "l")  # none -> vi -> th, then marks still land as before
        await pilot.press("p")
        await pilot.press("q")
    session = saved(store, session_id)
    assert session.language == "th"
    assert session.records[0].result == "pass"


async def test_an_item_without_a_translation_shows_only_the_english(locations, store):
    checklist = translated_checklist(locations)
    writer = store.create(checklist, auditor="Mai", auditee="Moulding", language="vi")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("j")
        assert "acceptance criteria" in shown(app, "prompt")
        assert shown(app, "translation") == ""


async def test_the_form_offers_the_checklists_languages(locations, store):
    checklist = translated_checklist(locations)
    app = AuditApp(locations, new_session=(checklist, "Mai", "", ""), language="th")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        select = app.screen.query_one("#language", Select)
        assert select.value == "th"
        assert [value for _, value in select._options] == ["", "vi", "th"]
        select.value = "vi"
        await pilot.press("enter", *"Moulding", "enter", "enter")  # the auditor offered, kept
        assert isinstance(app.screen, WalkthroughScreen)
        session_id = app.screen.session.id
    assert saved(store, session_id).language == "vi"


async def test_the_form_offers_the_translation_the_last_session_showed(locations, store):
    """The auditor was remembered, the translation not: after a session in Vietnamese the
    next form of the checklist offered "none (English only)"."""
    from .conftest import wait_until

    checklist = translated_checklist(locations)
    store.create(checklist, auditor="Mai", auditee="Moulding", language="vi").close()
    app = AuditApp(locations, new_session=(checklist, "", "", ""))
    async with app.run_test(size=(80, 24)) as pilot:
        select = app.screen.query_one("#language", Select)
        await wait_until(pilot, lambda: select.value == "vi")
        await pilot.press("enter", *"Printing", "enter", "enter")
        assert isinstance(app.screen, WalkthroughScreen)
        session_id = app.screen.session.id
    assert saved(store, session_id).language == "vi"
    # One asked for on the command line (`run --lang th`) stays.
    app = AuditApp(locations, new_session=(checklist, "", "", ""), language="th")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        assert app.screen.query_one("#language", Select).value == "th"


async def test_the_form_has_no_language_choice_without_translations(locations, checklist):
    app = AuditApp(locations, new_session=(checklist, "", "", ""))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NewSessionScreen)
        assert not app.screen.query("#language")


REPO_CHECKLISTS = __import__("pathlib").Path(__file__).resolve().parents[2] / "checklists"


async def on_item(app, pilot, index: int) -> None:
    """Once the walkthrough has settled (last time, translations), make item `index` current."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    app.screen.items.move_to_record(index)
    await pilot.pause()


async def test_prompt_translation_and_note_stay_on_screen_at_80x24(locations, store):
    """The longest shipped question with its longest translation, and a note of 258
    characters: all on screen at 80x24 (SPEC: the full prompt and the note are always visible)."""
    from auditui.checklist import load_checklist

    checklist = load_checklist(REPO_CHECKLISTS / "iso9001-internal-audit.toml")
    if not checklist.offered_languages:
        return
    language, item = max(
        ((tag, item) for tag in checklist.offered_languages for item in checklist.items),
        key=lambda pair: len(pair[1].prompt) + len((pair[1].text_in(pair[0]) or ("",))[0]),
    )
    writer = store.create(checklist, auditor="A", auditee="B", language=language)
    # A nonconformity written out in full (half of it was the most that fitted once),
    # failed and graded: the longest answer line, which once took two lines.
    writer.answer(item.id, result="fail", grade="minor",
                  note="Không có hồ sơ hiệu chuẩn cho máy ép số 2. " * 6)  # fmt: skip
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_item(app, pilot, checklist.items.index(item))
        assert shown(app, "translation")
        for name in ("#detail-prompt", "#detail-translation", "#detail-note"):
            region = app.screen.query_one(name).region
            assert region.height > 0 and region.bottom <= 23, (name, region)
        assert app.screen.query_one("#detail-answer").region.height == 1


async def test_shift_down_and_up_scroll_the_details_to_what_is_below_the_screen(
    locations, store
):
    """Without a mouse, J (shift+down) is the way to the end of a long note, guidance or
    evidence list at 80x24; K (shift+up) goes back; the item and its answer stay as they were."""
    from auditui.checklist import load_checklist

    checklist = load_checklist(REPO_CHECKLISTS / "iso9001-internal-audit.toml")
    item = next(item for item in checklist.items if item.guidance and item.evidence)
    writer = store.create(checklist, auditor="A", auditee="B")
    writer.answer(item.id, result="fail", note="Thiếu chữ ký xác nhận trên hồ sơ đào tạo. " * 12)
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_item(app, pilot, checklist.items.index(item))
        detail = app.screen.query_one("#walk-detail")
        evidence = app.screen.query_one("#detail-evidence")

        def evidence_on_screen() -> bool:
            return evidence.region.height > 0 and evidence.region.bottom <= detail.region.bottom

        assert not evidence_on_screen()
        for _ in range(10):
            if evidence_on_screen():
                break
            await pilot.press("J")
            await pilot.pause()
        assert evidence_on_screen()
        await pilot.press("shift+up", "K", "K", "K", "K", "K", "K", "K", "K")
        await pilot.pause()
        assert detail.scroll_y == 0
        assert app.screen.items.current_record == checklist.items.index(item)
    record = saved(store, writer.session.id).record(item.id)
    assert record.result == "fail" and record.note.startswith("Thiếu chữ ký")


async def test_find_searches_the_translation_on_screen(locations, store):
    """Words read in the Vietnamese under a question found no item."""
    checklist = translated_checklist(locations)
    writer = store.create(checklist, auditor="Mai", auditee="Moulding", language="vi")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.screen.items.move_to_record(3)
        await pilot.press("slash", *"thuoc do o khu ep")  # without the accents, as typed
        await pilot.pause()
        await pilot.press("enter")
        assert app.screen.items.current_record == 0


async def test_the_language_key_on_a_merged_part_only_shows_it(locations, store):
    """l on a part of a merged audit (which takes no changes) showed "NOT SAVED", for good."""
    from datetime import datetime, timedelta, timezone

    from textual.widgets import Static

    from auditui.session_merge import merge_sessions
    from auditui.timeutil import now

    from .conftest import wait_until

    checklist = translated_checklist(locations)
    start = datetime(2026, 11, 1, 9, 0, tzinfo=timezone(timedelta(hours=7)))
    part = store.create(checklist, auditor="Mai", auditee="X", started=start)
    part.answer(checklist.sections[0].items[0].id, result="pass")
    part.close()
    other = store.create(checklist, auditor="Anan", auditee="X", started=start + timedelta(hours=1))
    other.close()
    parts = [store.load(part.session.id), store.load(other.session.id)]
    store.add(lambda new_id: merge_sessions(parts, new_id=new_id, updated=now()),
              checklist.id, start)  # fmt: skip
    before = store.path_for(part.session.id).read_bytes()
    app = AuditApp(locations, writer=store.open(part.session.id))
    async with app.run_test(size=(80, 24)) as pilot:
        # Both read after the first frame: whether it was merged, and the checklist.
        await wait_until(pilot, lambda: app.screen.writer.merged_into and app.screen.checklist)
        await pilot.press("l")
        await pilot.pause()
        assert not app.screen.query_one("#walk-error", Static).display
        said = [str(notice.message) for notice in app._notifications]
        assert any("shown here only: this session takes no changes" in m for m in said), said
        await pilot.press("q")
    assert store.path_for(part.session.id).read_bytes() == before


async def test_the_section_jump_finds_a_section_by_its_translated_title(locations, store):
    """In a session walked in Thai, `s` and the Thai title of a section said "No section
    matches": only the English titles were searched and shown."""
    from textual.widgets import Input

    from auditui.checklist import load_checklist
    from auditui.tui.screens.dialogs import SectionPicker

    checklist = load_checklist(REPO_CHECKLISTS / "iso9001-internal-audit.toml")
    leadership = next(section for section in checklist.sections if section.id == "5")
    thai = leadership.title_in("th")
    assert thai
    writer = store.create(checklist, auditor="A", auditee="B", language="th")
    app = AuditApp(locations, writer=writer)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SectionPicker)
        # As a Thai keyboard sends it (a pilot's key presses drop combining marks).
        app.screen.query_one(Input).value = thai[-6:]
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.session.records[app.screen._current()].section_id == "5"
