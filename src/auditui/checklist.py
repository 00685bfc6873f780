"""Checklists: the questions an audit walks through, loaded and checked against SPEC.

A checklist is read once and never changed by auditui. Every rule of the file
format is enforced here, and every problem is reported with the file, the line
and the key path, so a person can fix a hand-written checklist without help.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from auditui import filecache
from auditui.errors import AudituiError
from auditui.schema import Problems
from auditui.tomlio import decode_text, parse_toml, read_file
from auditui.translations import (
    CHECKLIST_TEXT_KEYS,
    ITEM_TEXT_KEYS,
    SECTION_TEXT_KEYS,
    Translations,
    declared_languages,
    find_tag,
    lookup_tag,
    read_translations,
    text_in,
)

KINDS = ("gap-analysis", "internal-audit", "management-review", "custom")
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]*")

CHECKLIST_KEYS = (
    "id", "title", "kind", "version", "standard", "description", "languages", "translations",
)  # fmt: skip
SECTION_KEYS = ("id", "title", "items", "translations")
ITEM_KEYS = ("id", "prompt", "clause", "guidance", "evidence", "translations")


@dataclass(frozen=True, slots=True)
class Item:
    """One question of a checklist, with the section it belongs to."""

    id: str
    prompt: str
    section_id: str
    section_title: str
    clause: str | None = None
    guidance: str | None = None
    evidence: tuple[str, ...] = ()
    translations: Translations = ()
    """The prompt (and guidance) in other languages: see `auditui.translations`."""

    def text_in(self, language: str) -> tuple[str, str | None] | None:
        """(prompt, guidance) in `language`, or None when the item has no such translation."""
        texts = text_in(self.translations, language)
        if not texts:
            return None
        return texts["prompt"], texts.get("guidance")

    def __reduce__(self):
        # Pickled (for the cache of read files) as the constructor's arguments, in field
        # order: twice as fast to load as the state dataclasses pickle for slots.
        return (type(self), tuple([getattr(self, name) for name in self.__slots__]))


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    items: tuple[Item, ...]
    translations: Translations = ()

    def title_in(self, language: str) -> str | None:
        return text_in(self.translations, language).get("title")


@dataclass(frozen=True)
class Checklist:
    """A whole checklist as read from its file."""

    id: str
    title: str
    kind: str
    version: str
    sections: tuple[Section, ...]
    standard: str | None = None
    description: str | None = None
    path: Path | None = None
    sha256: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    languages: tuple[str, ...] = ()
    """The languages the checklist declares itself complete in (`[checklist] languages`)."""
    translations: Translations = ()

    @cached_property
    def offered_languages(self) -> tuple[str, ...]:
        """The languages a session can show: those declared, else every one translated."""
        if self.languages:
            return self.languages
        found: list[str] = []
        for translations in (
            self.translations,
            *(section.translations for section in self.sections),
            *(item.translations for item in self.items),
        ):
            for tag, _ in translations:
                if find_tag(found, tag) is None:
                    found.append(tag)
        return tuple(found)

    def language(self, wanted: str) -> str | None:
        """The checklist's language for tag `wanted` (any case; `vi-VN` finds `vi`, see
        `lookup_tag`), or None."""
        return lookup_tag(self.offered_languages, wanted)

    def title_in(self, language: str) -> str | None:
        return text_in(self.translations, language).get("title")

    @cached_property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)

    @cached_property
    def item_index(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}


class ChecklistError(AudituiError):
    """A checklist file that breaks the format; `problems` holds every one found."""

    def __init__(self, problems: list[AudituiError]) -> None:
        first = problems[0]
        super().__init__(first.message, path=first.path, line=first.line, key=first.key)
        self.problems = problems


def load_checklist(path: str | Path) -> Checklist:
    """Read, parse and check a checklist file; raise `ChecklistError` or `AudituiError`."""
    path = Path(path)
    cached = filecache.lookup("checklist", path)
    if isinstance(cached, Checklist):
        object.__setattr__(cached, "path", path)
        return cached
    # A checklist is only ever read: a link to a regular file is followed.
    data, status = read_file(path, what="checklist file", follow=True)
    text = decode_text(data, path)
    document = parse_toml(text, path)
    checklist = checklist_from_document(document, path=path, text=text)
    object.__setattr__(checklist, "sha256", hashlib.sha256(data).hexdigest())
    filecache.store("checklist", path, status, checklist)
    return checklist


def checklist_from_document(
    document: dict[str, Any], *, path: str | Path = "<checklist>", text: str = ""
) -> Checklist:
    """Build a checklist from parsed TOML, collecting every rule it breaks."""
    if "session" in document and "checklist" not in document:
        raise ChecklistError(
            [
                AudituiError(
                    "this is a session, not a checklist; `auditui import FILE` adds a session "
                    "exported on another laptop to the sessions folder",
                    path=path,
                )
            ]
        )
    problems = Problems(path, text)
    problems.unknown_keys(document, ("checklist", "sections"), "")
    raw_head = problems.table_field(document, "checklist", "")
    head = raw_head if raw_head is not None else {}
    has_head = raw_head is not None  # an empty [checklist] still misses every key
    problems.unknown_keys(head, CHECKLIST_KEYS, "checklist")
    checklist_id = problems.text_field(head, "id", "checklist", required=has_head)
    if checklist_id is not None and not ID_PATTERN.fullmatch(checklist_id):
        problems.add(
            "checklist.id",
            f"'{checklist_id}' is not a valid id: use lower-case letters, digits, '.', '_' "
            "and '-', starting with a letter or digit",
        )
    title = problems.text_field(head, "title", "checklist", required=has_head)
    kind = problems.text_field(head, "kind", "checklist", required=has_head)
    if kind is not None and kind not in KINDS:
        problems.add("checklist.kind", f"'{kind}' is not a kind; use one of: {', '.join(KINDS)}")
    version = problems.text_field(head, "version", "checklist", required=has_head)
    standard = problems.text_field(head, "standard", "checklist", required=False, blank_ok=True)
    description = problems.text_field(
        head, "description", "checklist", required=False, blank_ok=True
    )
    languages = declared_languages(problems, head)
    head_translations = read_translations(
        problems, head, "checklist", CHECKLIST_TEXT_KEYS, "title", languages
    )

    sections: list[Section] = []
    raw_sections = problems.table_array(document, "sections", "")
    if raw_sections:
        problems.too_many(
            sum(len(section.get("items", ())) for section in raw_sections
                if isinstance(section, dict) and isinstance(section.get("items"), list)),
            "sections",
            "items",
        )  # fmt: skip
    if raw_sections is not None and not raw_sections:
        problems.add("sections", "the checklist has no sections")
    section_ids: set[str] = set()
    item_ids: dict[str, str] = {}
    folded: dict[str, str] = {}  # each item id by its ASCII letters in lower case
    for s_index, raw in enumerate(raw_sections or ()):
        where = f"sections[{s_index}]"
        problems.unknown_keys(raw, SECTION_KEYS, where)
        section_id = problems.text_field(raw, "id", where, required=True)
        if section_id is not None:
            if section_id in section_ids:
                problems.add(f"{where}.id", f"section id '{section_id}' is used twice")
            section_ids.add(section_id)
        section_title = problems.text_field(raw, "title", where, required=True)
        raw_items = problems.table_array(raw, "items", where, required=False)
        if "items" not in raw or raw_items == []:
            problems.add(where, "the section is empty: add at least one [[sections.items]]")
        items = []
        for i_index, raw_item in enumerate(raw_items or ()):
            item_where = f"{where}.items[{i_index}]"
            item = _item(raw_item, item_where, section_id, section_title, problems, languages)
            # Checked from the id as written, so a duplicate is named in the same run as
            # the other problems of either item, not only once those are fixed.
            item_id = raw_item.get("id") if isinstance(raw_item, dict) else None
            if isinstance(item_id, str) and item_id.strip() and item_id == item_id.strip():
                if item_id in item_ids:
                    problems.add(
                        f"{item_where}.id",
                        f"item id '{item_id}' is used twice (first at {item_ids[item_id]})",
                    )
                    continue
                # A finding's record is a file named by the item id (letters and digits as
                # they are, the rest percent-encoded): on a Mac's or Windows' disk, 7.1-A
                # and 7.1-a would be one file.
                ascii_folded = "".join(c.lower() if c.isascii() else c for c in item_id)
                same = folded.setdefault(ascii_folded, item_id)
                if same != item_id:
                    problems.add(
                        f"{item_where}.id",
                        f"item id '{item_id}' differs from '{same}' ({item_ids[same]}) only in "
                        "upper and lower case: make them differ otherwise",
                    )
                    continue
                item_ids[item_id] = item_where
            if item is not None:
                items.append(item)
        section_translations = read_translations(
            problems, raw, where, SECTION_TEXT_KEYS, "title", languages
        )
        sections.append(
            Section(section_id or "", section_title or "", tuple(items), section_translations)
        )

    if problems:
        # In the file's order, as a person fixes them; those with no line (a table
        # missing) after.
        order = sorted(problems.errors, key=lambda error: (error.line is None, error.line or 0))
        raise ChecklistError(order)
    return Checklist(
        id=checklist_id or "",
        title=title or "",
        kind=kind or "",
        version=version or "",
        sections=tuple(sections),
        standard=standard,
        description=description,
        path=Path(path) if path is not None else None,
        languages=languages,
        translations=head_translations,
    )


def _item(
    raw: dict[str, Any],
    where: str,
    section_id: str | None,
    section_title: str | None,
    problems: Problems,
    languages: tuple[str, ...] = (),
) -> Item | None:
    problems.unknown_keys(raw, ITEM_KEYS, where)
    item_id = problems.text_field(raw, "id", where, required=True)
    if item_id is not None and item_id != item_id.strip():
        problems.add(f"{where}.id", "must not start or end with spaces")
        item_id = None
    prompt = problems.text_field(raw, "prompt", where, required=True)
    clause = problems.text_field(raw, "clause", where, required=False)
    guidance = problems.text_field(raw, "guidance", where, required=False, blank_ok=True)
    evidence: tuple[str, ...] = ()
    if "evidence" in raw:
        value = raw["evidence"]
        if not isinstance(value, list):
            problems.add(f"{where}.evidence", 'must be an array of text, like ["Record A"]')
        else:
            bad = [i for i, entry in enumerate(value) if not isinstance(entry, str)]
            for i in bad:
                problems.add(f"{where}.evidence[{i}]", "must be text in quotes")
            if not bad:
                evidence = tuple(value)
    translations = read_translations(problems, raw, where, ITEM_TEXT_KEYS, "prompt", languages)
    if item_id is None or prompt is None:
        return None
    return Item(
        id=item_id,
        prompt=prompt,
        section_id=section_id or "",
        section_title=section_title or "",
        clause=clause,
        guidance=guidance or None,
        evidence=evidence,
        translations=translations,
    )
