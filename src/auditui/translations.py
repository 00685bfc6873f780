"""Translations of a checklist's text, keyed by language tag (SPEC "Checklist file").

A checklist may carry its title, section titles and items' prompts and guidance in
other languages, beside the English they translate:

    [checklist.translations.vi]       title (description optional)
    [sections.translations.th]        title
    [sections.items.translations.id]  prompt (required), guidance (optional)

and may declare the languages it is complete in (`languages = ["vi", "th", "id"]` in
`[checklist]`). The loader checks the tags and keys here, with the same key paths as
every other rule; `missing_translations` says what a declared language still lacks.
The English text stays the one a session records; a translation is shown beside it.
"""

from __future__ import annotations

import re
from typing import Any

from auditui.schema import Problems, join_key, type_name

LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?")
"""The BCP 47 tags a checklist is written in: a language (`vi`, `th`, `id`, `fil`),
optionally a script (`zh-Hant`) and a region (`pt-BR`, `es-419`)."""

Translations = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
"""What a checklist, section or item holds: ((tag, ((key, text), ...)), ...), immutable."""

CHECKLIST_TEXT_KEYS = ("title", "description")
SECTION_TEXT_KEYS = ("title",)
ITEM_TEXT_KEYS = ("prompt", "guidance")

LANGUAGE_NAMES = {
    "en": "English",
    "vi": "Tiếng Việt (Vietnamese)",
    "th": "ภาษาไทย (Thai)",
    "id": "Bahasa Indonesia",
    "ms": "Bahasa Melayu (Malay)",
    "km": "ភាសាខ្មែរ (Khmer)",
    "lo": "ພາສາລາວ (Lao)",
    "my": "မြန်မာ (Burmese)",
    "fil": "Filipino",
    "zh": "中文 (Chinese)",
    "zh-Hans": "简体中文 (Chinese, simplified)",
    "zh-Hant": "繁體中文 (Chinese, traditional)",
    "ja": "日本語 (Japanese)",
    "ko": "한국어 (Korean)",
}
"""How a language is named on screen; other tags are shown as they are."""


def language_name(tag: str) -> str:
    return LANGUAGE_NAMES.get(tag) or LANGUAGE_NAMES.get(tag.split("-")[0]) or tag


def same_tag(a: str, b: str) -> bool:
    """Language tags compare without regard to case (BCP 47): `zh-hant` is `zh-Hant`."""
    return a.casefold() == b.casefold()


def find_tag(tags: tuple[str, ...] | list[str], wanted: str) -> str | None:
    """The tag among `tags` that `wanted` names (any case), or None."""
    return next((tag for tag in tags if same_tag(tag, wanted)), None)


def lookup_tag(tags: tuple[str, ...] | list[str], wanted: str) -> str | None:
    """The tag among `tags` for a reader who asked for `wanted`: the same tag, else the
    nearest broader one (BCP 47 lookup, RFC 4647 3.4: `vi-VN` finds `vi`, `zh-Hant-TW`
    finds `zh-Hant`, then `zh`; `vi_VN`, as a system's locale writes it, is `vi-VN`);
    None when there is none."""
    subtags = wanted.replace("_", "-").split("-")
    while subtags:
        found = find_tag(tags, "-".join(subtags))
        if found is not None:
            return found
        subtags.pop()
        if len(subtags) > 1 and len(subtags[-1]) == 1:  # a singleton (`x`) goes too
            subtags.pop()
    return None


def declared_languages(problems: Problems, head: dict[str, Any]) -> tuple[str, ...]:
    """`languages = [...]` of `[checklist]`: valid tags, each once."""
    if "languages" not in head:
        return ()
    value = head["languages"]
    where = "checklist.languages"
    if not isinstance(value, list):
        problems.add(
            where, f'must be an array of language tags like ["vi", "th"], not {type_name(value)}'
        )
        return ()
    tags: list[str] = []
    for index, tag in enumerate(value):
        if not isinstance(tag, str) or not LANGUAGE_TAG.fullmatch(tag):
            shown = tag if isinstance(tag, str) else type_name(tag)
            problems.add(f"{where}[{index}]", f"'{shown}' is not a language tag (like vi, th, id)")
        elif find_tag(tags, tag) is not None:
            problems.add(f"{where}[{index}]", f"language '{tag}' is listed twice")
        else:
            tags.append(tag)
    return tuple(tags)


def read_translations(
    problems: Problems,
    table: dict[str, Any],
    where: str,
    keys: tuple[str, ...],
    required: str,
    declared: tuple[str, ...],
) -> Translations:
    """The `translations` table of `table` as ((tag, ((key, text), ...)), ...), every
    problem named.

    `required` is the key each translation must have; with `declared` languages, a
    translation into any other language is refused (a typo like `vn` for `vi`)."""
    if "translations" not in table:
        return ()
    value = table["translations"]
    where = join_key(where, "translations")
    if not isinstance(value, dict):
        problems.add(
            where, f"must be a table of languages like [{where}.vi], not {type_name(value)}"
        )
        return ()
    found: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    for tag, raw in value.items():
        place = join_key(where, tag)
        if not LANGUAGE_TAG.fullmatch(tag):
            problems.add(place, f"'{tag}' is not a language tag (like vi, th, id)")
            continue
        if declared and find_tag(declared, tag) is None:
            problems.add(
                place,
                f"language '{tag}' is not in checklist.languages ({', '.join(declared)})",
            )
            continue
        if any(same_tag(tag, other) for other, _ in found):
            problems.add(place, f"language '{tag}' is translated twice")
            continue
        if not isinstance(raw, dict):
            problems.add(place, f"must be a table [{place}], not {type_name(raw)}")
            continue
        problems.unknown_keys(raw, keys, place)
        texts: dict[str, str] = {}
        for key in keys:
            text = problems.text_field(raw, key, place, required=key == required)
            if text is not None:
                texts[key] = text
        if required in texts:
            found.append((tag, tuple(texts.items())))
    return tuple(found)


def text_in(translations: Translations, tag: str) -> dict[str, str]:
    """The translated texts for `tag` (any case), or an empty dict."""
    for found, texts in translations:
        if same_tag(found, tag):
            return dict(texts)
    return {}


def missing_translations(checklist: Any) -> list[str]:
    """Key paths of the sections and items that a declared language does not translate.

    Empty when the checklist declares no languages or every one is complete."""
    missing: list[str] = []
    for tag in checklist.languages:
        for s_index, section in enumerate(checklist.sections):
            where = f"sections[{s_index}]"
            if not text_in(section.translations, tag):
                missing.append(f"{where}.translations.{tag}")
            for i_index, item in enumerate(section.items):
                if not text_in(item.translations, tag):
                    missing.append(f"{where}.items[{i_index}].translations.{tag}")
    return missing
