"""Typing to find a section or an item: accents and case folded, word starts first."""

from __future__ import annotations

from auditui.search import find_items, fold, rank_sections
from auditui.session import ItemRecord


def test_fold_drops_latin_accents_and_case_but_keeps_thai_marks() -> None:
    assert fold("Nút CHAI đỏ") == "nut chai do"
    assert fold("Nu\u0301t") == "nut"  # decomposed as some keyboards send it
    assert fold("Straße") == "strasse"
    assert fold("ตู้") == "ตู้"  # a Thai tone mark changes the word: kept


def test_sections_rank_ids_and_word_starts_before_the_inside_of_a_word() -> None:
    sections = [("5", "Leadership"), ("7", "Support"), ("8", "Shipping and dispatch")]
    assert rank_sections("ship", sections) == [2, 0]
    assert rank_sections("8", sections) == [2]
    assert rank_sections("", sections) == [0, 1, 2]
    assert rank_sections("SUPP", sections) == [1]
    assert rank_sections("zzz", sections) == []


def test_items_are_found_by_guidance_evidence_and_note_without_accents() -> None:
    records = [
        ItemRecord("a", "1", "One", "Are gauges calibrated?", guidance="Ask about nút chai"),
        ItemRecord("b", "1", "One", "Is the nut stored?", evidence=("Chai register",)),
        ItemRecord("c", "1", "One", "Other", note="Không có hồ sơ"),
    ]
    assert find_items("nut chai", records) == [0, 1]
    assert find_items("stored", records + [records[0]]) == [1]
    records.insert(0, ItemRecord("z", "1", "One", "Other", note="the nut is stored"))
    assert find_items("nut", records) == [2, 0, 1]  # a word of the question before a note
    assert find_items("khong co", records) == [3]
    assert find_items("   ", records) == []


def test_the_translation_on_screen_is_searched_and_whole_words_rank_first() -> None:
    """In a session shown in Vietnamese, words of the translation found nothing; and "ẩm"
    found "steam" (folded "am", inside a word) before an item with the word itself."""
    records = [
        ItemRecord("7.5-a", "7", "Seven", "Is the steam valve checked?"),
        ItemRecord("8.5.4-a", "8", "Eight", "Are lots sealed?"),
        ItemRecord("7.1.4-a", "7", "Seven", "Is the room right?", note="độ ẩm 80%"),
    ]
    translated = {"8.5.4-a": "Các lô có được niêm kín không?"}
    assert find_items("niêm kín", records) == []
    assert find_items("niem kin", records, translated) == [1]
    assert find_items("ẩm", records) == [2, 0]  # a whole word first, then inside "steam"


def test_words_typed_with_their_accents_rank_the_items_that_have_them_first() -> None:
    """"biên bản" found notes with "biến" and "bần" first, and the one with "biên bản"
    last; typed without accents, every match stays in checklist order."""
    records = [
        ItemRecord("a", "1", "One", "Other", note="giá trị biến động, bần"),
        ItemRecord("b", "1", "One", "Other", note="bien ban"),
        ItemRecord("c", "1", "One", "Other", note="Có biên bản kiểm tra"),
    ]
    assert find_items("biên bản", records) == [2, 0, 1]
    assert find_items("bien ban", records) == [0, 1, 2]
    assert find_items("BIÊN BẢN", records) == [2, 0, 1]  # case still folded
