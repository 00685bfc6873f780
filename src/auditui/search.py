"""Finding what an auditor types: a section by a few letters, an item by a few words.

On the floor people type fast, without accents and in any case: "nut chai" must find
"nút chai", and "ship" must find "Shipping" before "Leadership". So text is folded
(case, and the accents of Latin letters; Thai and CJK marks are kept, they change the
word) and a match at the start of a word or an id ranks above one inside a word.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

from auditui.session import ItemRecord

_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans(
    {"đ": "d", "ð": "d", "ø": "o", "ł": "l", "ħ": "h", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe"}
)


def _latin(char: str) -> bool:
    """Basic Latin to Latin Extended-B, and Latin Extended Additional (Vietnamese)."""
    code = ord(char)
    return code < 0x250 or 0x1E00 <= code <= 0x1EFF


def fold(text: str) -> str:
    """`text` in lower case without the accents of Latin letters: `Nút Chai` -> `nut chai`."""
    folded: list[str] = []
    base_is_latin = False
    for char in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(char):
            if base_is_latin:
                continue
        else:
            base_is_latin = _latin(char)
        folded.append(char)
    return "".join(folded).casefold().translate(_LETTERS_WITHOUT_DECOMPOSITION)


def _at_word_start(needle: str, haystack: str) -> bool:
    start = haystack.find(needle)
    while start != -1:
        if start == 0 or not haystack[start - 1].isalnum():
            return True
        start = haystack.find(needle, start + 1)
    return False


def section_rank(typed: str, section_id: str, title: str) -> int | None:
    """How well `typed` names a section (lower is better), None when it does not:
    0 the id itself, 1 the start of the id, 2 the start of the title, 3 the start of a
    word of the title, 4 inside the id or title, 5 every typed word somewhere."""
    needle = " ".join(fold(typed).split())
    if not needle:
        return 0
    ident, name = fold(section_id), fold(title)
    if ident == needle:
        return 0
    if ident.startswith(needle):
        return 1
    if name.startswith(needle):
        return 2
    if _at_word_start(needle, name):
        return 3
    if needle in ident or needle in name:
        return 4
    whole = f"{ident} {name}"
    if all(word in whole for word in needle.split()):
        return 5
    return None


def rank_sections(typed: str, sections: Iterable[tuple[str, str]]) -> list[int]:
    """The positions of the (id, title) `sections` that `typed` names, best first (file
    order among equals)."""
    ranked = []
    for position, (section_id, title) in enumerate(sections):
        rank = section_rank(typed, section_id, title)
        if rank is not None:
            ranked.append((rank, position))
    return [position for _, position in sorted(ranked)]


def searchable_text(record: ItemRecord) -> str:
    """Everything of an item a person may remember a word of, folded: id, clause, prompt,
    guidance, evidence and note."""
    return fold(searchable_raw(record))


def find_items(
    typed: str, records: list[ItemRecord], translated: Mapping[str, str] | None = None
) -> list[int]:
    """The indexes of the items with every typed word in them (folded), in checklist
    order within three tiers: every word at a word start of the id, clause, question or
    its translation (`translated`, by item id: what the screen shows under it); every
    word at a word start anywhere; the rest (a word inside another: "độ" in "method").
    Typed with its accents ("biên bản"), an item with those very words comes first in
    its tier, before one that only matches without them ("biến", "bần")."""
    words = fold(typed).split()
    if not words:
        return []
    accented = _with_accents(typed).split()
    exact_first = accented != words  # the accents typed tell words apart
    tiers: tuple[list[int], list[int], list[int]] = ([], [], [])
    exact: set[int] = set()
    for index, record in enumerate(records):
        shown = translated.get(record.item_id, "") if translated else ""
        haystack = searchable_text(record) + ("\n" + fold(shown) if shown else "")
        if not all(word in haystack for word in words):
            continue
        if exact_first:
            raw = _with_accents("\n".join([searchable_raw(record), shown]))
            if all(word in raw for word in accented):
                exact.add(index)
        head = fold(f"{record.item_id} {record.clause or ''} {record.prompt} {shown}")
        if all(_at_word_start(word, head) for word in words):
            tiers[0].append(index)
        elif all(_at_word_start(word, haystack) for word in words):
            tiers[1].append(index)
        else:
            tiers[2].append(index)
    return [index for tier in tiers for index in sorted(tier, key=lambda i: i not in exact)]


def _with_accents(text: str) -> str:
    """`text` in lower case, accents kept (composed, as typed and as stored may differ)."""
    return unicodedata.normalize("NFC", text).casefold()


def searchable_raw(record: ItemRecord) -> str:
    """`searchable_text` before folding."""
    parts = [record.item_id, record.clause or "", record.prompt, record.guidance or ""]
    parts.extend(record.evidence)
    parts.append(record.note)
    return "\n".join(parts)
