"""The checklists shipped with auditui: format, coverage of ISO 9001:2015, content rules.

The format is checked twice: by a small checker written here from the file
contract alone (so a bug in the loader cannot hide a bad shipped file), and,
when it is available, by the real loader `auditui.checklist.load_checklist`.

Coverage is measured against our own clause index,
`src/auditui/reference/iso9001_2015.toml`. Everything is found relative to this
file; nothing here reads anything outside the repository.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKLISTS = ROOT / "checklists"
REFERENCE = ROOT / "src" / "auditui" / "reference" / "iso9001_2015.toml"
EXAMPLE = ROOT / "docs" / "examples" / "example-checklist.toml"
GUIDE = ROOT / "docs" / "writing-checklists.md"

GAP = "iso9001-gap-analysis"
AUDIT = "iso9001-internal-audit"
REVIEW = "iso9001-management-review"
SHIPPED = {GAP: "gap-analysis", AUDIT: "internal-audit", REVIEW: "management-review"}
SIZES = {GAP: (170, 215), AUDIT: (170, 215), REVIEW: (20, 30)}
"""Grown in 2026.2: compound items split (one thing per item), missing requirements added."""
VERSIONS = {GAP: "2026.2", AUDIT: "2026.3", REVIEW: "2026.2"}
"""2026.3 of the internal audit: the guidance of 7.5-a (a good practice missing is a pass
graded OFI)."""
RETIRED = {GAP: {"10.2.1-d"}, AUDIT: set(), REVIEW: set()}
"""Item ids taken out of use: never given to another question (see docs/writing-checklists.md)."""
IDS_2026_1 = Path(__file__).resolve().parent / "data"
"""The item ids of version 2026.1 of each shipped checklist, one a line."""

# --------------------------------------------------------------------------
# An independent checker of the checklist file contract.
# --------------------------------------------------------------------------

KINDS = {"gap-analysis", "internal-audit", "management-review", "custom"}
CHECKLIST_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")
HEADER_KEYS = {
    "id": True,
    "title": True,
    "kind": True,
    "version": True,
    "standard": False,
    "description": False,
}
SECTION_KEYS = {"id": True, "title": True, "items": True}
ITEM_KEYS = {"id": True, "prompt": True, "clause": False, "guidance": False, "evidence": False}
HEAD_EXTRAS = {"languages": False, "translations": False}
TRANSLATABLE = {"translations": False}
# Translations (SPEC "Checklist file"): beside the text they translate, by language tag.
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?")
TRANSLATION_KEYS = {
    "checklist": {"title": True, "description": False},
    "section": {"title": True},
    "item": {"prompt": True, "guidance": False},
}


def _check_translations(
    table: dict[str, Any], keys: dict[str, bool], where: str, declared: Any, problems: list[str]
) -> None:
    """The `translations` of one table: language tags as keys, the allowed keys inside."""
    translations = table.get("translations", {})
    if not isinstance(translations, dict):
        problems.append(f"{where}.translations: must be a table")
        return
    for tag, texts in translations.items():
        place = f"{where}.translations.{tag}"
        if not LANGUAGE_TAG.fullmatch(tag):
            problems.append(f"{place}: not a language tag")
        if isinstance(declared, list) and declared and tag not in declared:
            problems.append(f"{place}: not in checklist.languages")
        _check_table(texts, keys, place, problems)


def _check_table(table: Any, keys: dict[str, bool], where: str, problems: list[str]) -> None:
    """Allowed keys only, required ones present, every value text (bar items/evidence)."""
    if not isinstance(table, dict):
        problems.append(f"{where}: must be a table")
        return
    for key in table:
        if key not in keys:
            problems.append(f"{where}.{key}: unknown key")
    for key, required in keys.items():
        if key not in table:
            if required:
                problems.append(f"{where}.{key}: required key is missing")
            continue
        value = table[key]
        if key in ("items", "translations", "languages"):
            continue
        if key == "evidence":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(f"{where}.evidence: must be an array of text")
            continue
        if not isinstance(value, str):
            problems.append(f"{where}.{key}: must be text")
        elif required and not value.strip():
            problems.append(f"{where}.{key}: must not be empty")


def check_checklist(doc: dict[str, Any]) -> list[str]:
    """Every way `doc` (parsed TOML) breaks the checklist format; empty when it is valid."""
    problems: list[str] = []
    for key in doc:
        if key not in ("checklist", "sections"):
            problems.append(f"{key}: unknown key")
    if "checklist" not in doc:
        problems.append("checklist: required table is missing")
    else:
        head = doc["checklist"]
        _check_table(head, HEADER_KEYS | HEAD_EXTRAS, "checklist", problems)
        if isinstance(head, dict):
            declared = head.get("languages", [])
            if not isinstance(declared, list) or not all(
                isinstance(tag, str) and LANGUAGE_TAG.fullmatch(tag) for tag in declared
            ):
                problems.append("checklist.languages: must be an array of language tags")
            _check_translations(
                head, TRANSLATION_KEYS["checklist"], "checklist", declared, problems
            )
            cid, kind = head.get("id"), head.get("kind")
            if isinstance(cid, str) and not CHECKLIST_ID.fullmatch(cid):
                problems.append(f"checklist.id: {cid!r} is not a valid id")
            if isinstance(kind, str) and kind not in KINDS:
                problems.append(f"checklist.kind: {kind!r} is not a kind")
    head = doc.get("checklist")
    declared = head.get("languages", []) if isinstance(head, dict) else []
    sections = doc.get("sections")
    if not isinstance(sections, list) or not sections:
        problems.append("sections: at least one [[sections]] is required")
        return problems
    section_ids: set[str] = set()
    item_ids: set[str] = set()
    for s_index, section in enumerate(sections):
        where = f"sections[{s_index}]"
        _check_table(section, SECTION_KEYS | TRANSLATABLE, where, problems)
        if not isinstance(section, dict):
            continue
        _check_translations(section, TRANSLATION_KEYS["section"], where, declared, problems)
        sid = section.get("id")
        if isinstance(sid, str):
            if sid in section_ids:
                problems.append(f"{where}.id: section id {sid!r} used twice")
            section_ids.add(sid)
        items = section.get("items")
        if not isinstance(items, list) or not items:
            problems.append(f"{where}: the section is empty")
            continue
        for i_index, item in enumerate(items):
            item_where = f"{where}.items[{i_index}]"
            _check_table(item, ITEM_KEYS | TRANSLATABLE, item_where, problems)
            if isinstance(item, dict):
                _check_translations(item, TRANSLATION_KEYS["item"], item_where, declared, problems)
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                if item["id"] in item_ids:
                    problems.append(f"{item_where}.id: item id {item['id']!r} used twice")
                item_ids.add(item["id"])
    return problems


VALID_SMALL = """
[checklist]
id = "x"
title = "X"
kind = "custom"
version = "1"

[[sections]]
id = "s"
title = "S"

[[sections.items]]
id = "a"
prompt = "Q?"
"""


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d, None),
        (lambda d: d["checklist"].pop("version"), "checklist.version: required"),
        (lambda d: d["checklist"].update(kind="audit"), "checklist.kind"),
        (lambda d: d["checklist"].update(id="Bad Id"), "checklist.id"),
        (lambda d: d["checklist"].update(version=2026), "checklist.version: must be text"),
        (lambda d: d["checklist"].update(author="me"), "checklist.author: unknown key"),
        (lambda d: d.update(extra={}), "extra: unknown key"),
        (lambda d: d["sections"][0].update(items=[]), "the section is empty"),
        (lambda d: d["sections"][0].pop("items"), "the section is empty"),
        (lambda d: d["sections"][0]["items"][0].update(note="n"), "items[0].note: unknown key"),
        (lambda d: d["sections"][0]["items"][0].update(evidence="one"), "evidence: must be"),
        (lambda d: d["sections"][0]["items"][0].update(evidence=[1]), "evidence: must be"),
        (lambda d: d["sections"][0]["items"][0].pop("prompt"), "prompt: required"),
        (
            lambda d: d["sections"][0]["items"].append(dict(d["sections"][0]["items"][0])),
            "used twice",
        ),
        (
            lambda d: d["sections"].append(
                {"id": "s", "title": "T", "items": [{"id": "b", "prompt": "R?"}]}
            ),
            "section id 's' used twice",
        ),
        (
            lambda d: d["sections"].append(
                {"id": "t", "title": "T", "items": [{"id": "a", "prompt": "R?"}]}
            ),
            "item id 'a' used twice",
        ),
        (lambda d: d.update(sections=[]), "at least one"),
        (
            lambda d: d["sections"][0]["items"][0].update(translations={"vi": {"guidance": "g"}}),
            "items[0].translations.vi.prompt: required",
        ),
        (
            lambda d: d["sections"][0].update(translations={"vi": {"title": "T", "x": "y"}}),
            "sections[0].translations.vi.x: unknown key",
        ),
        (
            lambda d: d["sections"][0].update(translations={"Thai!": {"title": "T"}}),
            "not a language tag",
        ),
        (
            lambda d: (
                d["checklist"].update(languages=["vi"]),
                d["sections"][0].update(translations={"vn": {"title": "T"}}),
            ),
            "translations.vn: not in checklist.languages",
        ),
        (lambda d: d["checklist"].update(languages="vi"), "checklist.languages: must be"),
    ],
)
def test_the_checker_itself_catches_each_broken_rule(change, expected):
    doc = tomllib.loads(VALID_SMALL)
    change(doc)
    problems = check_checklist(doc)
    if expected is None:
        assert problems == []
    else:
        assert any(expected in p for p in problems), problems


# --------------------------------------------------------------------------
# Loading helpers.
# --------------------------------------------------------------------------


def load(name: str) -> dict[str, Any]:
    with (CHECKLISTS / f"{name}.toml").open("rb") as f:
        return tomllib.load(f)


def items_of(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for section in doc["sections"] for item in section["items"]]


def reference() -> dict[str, Any]:
    with REFERENCE.open("rb") as f:
        return tomllib.load(f)


def clause_index() -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in reference()["clauses"]}


def normalized(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


# --------------------------------------------------------------------------
# Our clause index.
# --------------------------------------------------------------------------


def test_reference_clause_tree_is_consistent():
    clauses = reference()["clauses"]
    ids = [c["id"] for c in clauses]
    assert len(ids) == len(set(ids))
    index = {c["id"]: c for c in clauses}
    for c in clauses:
        assert set(c) <= {
            "id",
            "title",
            "level",
            "parent",
            "titled",
            "docinfo",
            "docinfo_what",
            "conditional",
            "amd_2024",
        }, c["id"]
        assert re.fullmatch(r"(?:[4-9]|10)(?:\.\d+){0,3}", c["id"]), c["id"]
        assert c["level"] == c["id"].count(".") + 1, c["id"]
        assert c["title"].strip()
        if c["level"] == 1:
            assert c["parent"] == ""
        else:
            assert c["parent"] == c["id"].rsplit(".", 1)[0]
            assert index[c["parent"]]["level"] == c["level"] - 1
        assert c.get("docinfo", "maintain") in {"maintain", "retain", "both"}
        if "docinfo" in c:
            assert c.get("docinfo_what", "").strip(), c["id"]
    assert [c["id"] for c in clauses if c["level"] == 1] == [str(n) for n in range(4, 11)]


def test_reference_uses_the_2015_numbering_of_clause_10():
    index = clause_index()
    assert index["10.1"]["title"] == "General"
    assert index["10.2"]["title"].startswith("Nonconformity and corrective action")
    assert index["10.3"]["title"] == "Continual improvement"
    assert not any(cid.startswith("10.4") for cid in index)


def test_reference_marks_the_amendment_on_climate_change():
    index = clause_index()
    assert "climate" in index["4.1"]["amd_2024"]
    assert "climate" in index["4.2"]["amd_2024"]


def test_reference_lists_every_management_review_input_and_output():
    review = reference()["management_review"]
    assert [i["id"] for i in review["inputs"]] == [
        "a",
        "b",
        "c1",
        "c2",
        "c3",
        "c4",
        "c5",
        "c6",
        "c7",
        "d",
        "e",
        "f",
    ]
    assert [o["id"] for o in review["outputs"]] == ["a", "b", "c"]
    for entry in review["inputs"] + review["outputs"]:
        assert entry["label"].strip()


# --------------------------------------------------------------------------
# Every shipped checklist.
# --------------------------------------------------------------------------


REVISION = "iso9001-revision-readiness"
"""The fourth shipped checklist (custom): readiness for the revision drafted as ISO/DIS 9001."""


def test_exactly_the_four_checklists_are_shipped():
    assert sorted(p.stem for p in CHECKLISTS.glob("*.toml")) == sorted([*SHIPPED, REVISION])


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_checklist_follows_the_file_format(name):
    doc = load(name)
    assert check_checklist(doc) == []
    head = doc["checklist"]
    assert head["id"] == name
    assert head["kind"] == SHIPPED[name]
    assert head["version"] == VERSIONS[name]
    assert head["standard"] == "ISO 9001:2015"
    assert head["title"].startswith("ISO 9001:2015 ")
    assert head.get("description", "").strip()


def _untranslated(doc: dict[str, Any]) -> list[str]:
    """Where a language the checklist declares has no translation: key paths."""
    missing = []
    for tag in doc["checklist"].get("languages", []):
        if tag not in doc["checklist"].get("translations", {}):
            missing.append(f"checklist.translations.{tag}")
        for s_index, section in enumerate(doc["sections"]):
            if tag not in section.get("translations", {}):
                missing.append(f"sections[{s_index}].translations.{tag}")
            for i_index, item in enumerate(section["items"]):
                if tag not in item.get("translations", {}):
                    missing.append(f"sections[{s_index}].items[{i_index}].translations.{tag}")
    return missing


def test_the_completeness_check_finds_a_missing_translation():
    doc = tomllib.loads(VALID_SMALL)
    doc["checklist"].update(languages=["th"], translations={"th": {"title": "X"}})
    doc["sections"][0]["translations"] = {"th": {"title": "S"}}
    assert _untranslated(doc) == ["sections[0].items[0].translations.th"]
    doc["sections"][0]["items"][0]["translations"] = {"th": {"prompt": "Q?"}}
    assert _untranslated(doc) == []


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_every_declared_language_translates_every_section_and_item(name):
    assert _untranslated(load(name)) == []


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_checklist_has_the_intended_size(name):
    low, high = SIZES[name]
    assert low <= len(items_of(load(name))) <= high


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_ids_are_unique_and_readable(name):
    doc = load(name)
    item_ids = [item["id"] for item in items_of(doc)]
    section_ids = [section["id"] for section in doc["sections"]]
    assert [i for i, n in Counter(item_ids).items() if n > 1] == []
    assert [i for i, n in Counter(section_ids).items() if n > 1] == []
    for some_id in item_ids + section_ids:
        assert CHECKLIST_ID.fullmatch(some_id), some_id


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_item_ids_start_with_their_clause(name):
    for item in items_of(load(name)):
        assert "clause" in item, item["id"]
        assert item["id"].startswith(item["clause"] + "-"), item["id"]


@pytest.mark.parametrize("name", [GAP, AUDIT])
def test_item_ids_follow_the_clause_letter_scheme(name):
    letters: dict[str, list[str]] = {}
    for item_id in [item["id"] for item in items_of(load(name))] + sorted(RETIRED[name]):
        match = re.fullmatch(r"(\d+(?:\.\d+)*)-([a-z])", item_id)
        assert match, item_id
        letters.setdefault(match[1], []).append(match[2])
    for clause, seen in letters.items():
        # Letters are handed out per clause: a, b, c, ... with no gaps (a retired id keeps
        # its letter). A new item gets the next free letter wherever it sits in the file,
        # so the letters of 2026.1 keep their place and the new ones follow.
        assert sorted(seen) == [chr(ord("a") + n) for n in range(len(seen))], clause


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_every_item_id_of_2026_1_is_kept_or_retired(name):
    """History compares across versions: an item that kept its meaning kept its id."""
    before = (IDS_2026_1 / f"{name}-2026.1-ids.txt").read_text(encoding="utf-8").split()
    now = {item["id"] for item in items_of(load(name))}
    assert [i for i in before if i not in now and i not in RETIRED[name]] == []
    assert RETIRED[name] <= set(before)
    assert not RETIRED[name] & now  # never handed to another question


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_no_prompt_is_repeated(name):
    prompts = [normalized(item["prompt"]) for item in items_of(load(name))]
    assert [p for p, n in Counter(prompts).items() if n > 1] == []


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_prompts_are_questions(name):
    for item in items_of(load(name)):
        assert item["prompt"].rstrip().endswith("?"), item["id"]


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_every_clause_exists_in_the_2015_numbering(name):
    index = clause_index()
    for item in items_of(load(name)):
        assert item["clause"] in index, (item["id"], item["clause"])
        assert index[item["clause"]]["level"] >= 2, item["id"]


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_text_fields_are_tidy(name):
    for item in items_of(load(name)):
        for key in ("prompt", "guidance"):
            if key in item:
                text = item[key]
                assert text == text.strip() and "  " not in text and "\n" not in text, item["id"]
        for entry in item.get("evidence", []):
            assert entry.strip() == entry and entry, item["id"]
        assert len(item.get("evidence", [])) == len(set(item.get("evidence", []))), item["id"]


# --------------------------------------------------------------------------
# Gap analysis and internal audit: coverage of ISO 9001:2015.
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name", [GAP, AUDIT])
def test_every_clause_below_the_main_clauses_has_an_item(name):
    covered = {item["clause"] for item in items_of(load(name))}
    wanted = {cid for cid, c in clause_index().items() if c["level"] in (2, 3)}
    wanted |= {"7.1.5.1", "7.1.5.2"}
    # The other level-4 paragraphs are covered too; keep them that way.
    wanted |= {cid for cid, c in clause_index().items() if c["level"] == 4}
    assert sorted(wanted - covered) == []


@pytest.mark.parametrize("name", [GAP, AUDIT])
@pytest.mark.parametrize("clause", ["4.1", "4.2"])
def test_climate_change_is_asked_about(name, clause):
    prompts = [i["prompt"] for i in items_of(load(name)) if i["clause"] == clause]
    assert any("climate" in p.casefold() for p in prompts), (name, clause)


def test_every_internal_audit_item_has_guidance_and_evidence():
    for item in items_of(load(AUDIT)):
        assert item.get("guidance", "").strip(), item["id"]
        assert item.get("evidence"), item["id"]


def test_most_gap_analysis_items_have_guidance():
    items = items_of(load(GAP))
    with_guidance = [i for i in items if i.get("guidance", "").strip()]
    assert len(with_guidance) >= 0.8 * len(items)


DOCUMENT_WORDS = ("document", "written")
RECORD_WORDS = ("record",)


def _mentions(item: dict[str, Any], words: tuple[str, ...]) -> bool:
    prompt = item["prompt"].casefold()
    return any(word in prompt for word in words)


def test_gap_analysis_asks_for_each_required_document_and_record():
    items = items_of(load(GAP))
    missing = []
    for cid, clause in clause_index().items():
        kind = clause.get("docinfo")
        if kind is None:
            continue
        here = [i for i in items if i["clause"] == cid and i.get("evidence")]
        if kind in ("maintain", "both") and not any(_mentions(i, DOCUMENT_WORDS) for i in here):
            missing.append(f"{cid}: no item asks for the document")
        if kind in ("retain", "both") and not any(_mentions(i, RECORD_WORDS) for i in here):
            missing.append(f"{cid}: no item asks for the record")
    assert missing == []


# --------------------------------------------------------------------------
# Management review.
# --------------------------------------------------------------------------

REVIEW_INPUT_OR_OUTPUT = re.compile(r"9\.3\.[23]-[a-z]\d?")


def _section(doc: dict[str, Any], section_id: str) -> dict[str, Any]:
    matches = [s for s in doc["sections"] if s["id"] == section_id]
    assert len(matches) == 1, section_id
    return matches[0]


def test_management_review_has_one_item_per_input():
    doc = load(REVIEW)
    inputs = _section(doc, "inputs")["items"]
    wanted = [f"9.3.2-{i['id']}" for i in reference()["management_review"]["inputs"]]
    assert [item["id"] for item in inputs] == wanted
    assert {item["clause"] for item in inputs} == {"9.3.2"}


def test_management_review_has_one_item_per_output():
    doc = load(REVIEW)
    outputs = _section(doc, "outputs")["items"]
    wanted = [f"9.3.3-{o['id']}" for o in reference()["management_review"]["outputs"]]
    assert [item["id"] for item in outputs] == wanted
    assert {item["clause"] for item in outputs} == {"9.3.3"}


def test_management_review_inputs_and_outputs_appear_nowhere_else():
    doc = load(REVIEW)
    for section in doc["sections"]:
        if section["id"] in ("inputs", "outputs"):
            continue
        for item in section["items"]:
            assert not REVIEW_INPUT_OR_OUTPUT.fullmatch(item["id"]), item["id"]


def test_management_review_covers_planning_and_the_record():
    doc = load(REVIEW)
    planning = _section(doc, "planning")["items"]
    assert len(planning) >= 3
    assert {item["clause"] for item in planning} == {"9.3.1"}
    record = _section(doc, "record")["items"]
    assert any(
        item["clause"] == "9.3.3" and ("minutes" in item["prompt"] or "record" in item["prompt"])
        for item in record
    )
    assert [s["id"] for s in doc["sections"]] == ["planning", "inputs", "outputs", "record"]


def test_management_review_asks_about_climate_among_changed_issues():
    doc = load(REVIEW)
    changes = next(i for i in items_of(doc) if i["id"] == "9.3.2-b")
    assert "climate" in changes["prompt"].casefold()


def test_every_management_review_item_has_evidence():
    for item in items_of(load(REVIEW)):
        assert item.get("evidence"), item["id"]


# --------------------------------------------------------------------------
# The example and the guide.
# --------------------------------------------------------------------------


def test_example_checklist_is_valid():
    with EXAMPLE.open("rb") as f:
        doc = tomllib.load(f)
    assert check_checklist(doc) == []
    index = clause_index()
    for item in items_of(doc):
        if "clause" in item:
            assert item["clause"] in index


def test_example_uses_every_key_of_the_format():
    with EXAMPLE.open("rb") as f:
        doc = tomllib.load(f)
    assert set(doc["checklist"]) == set(HEADER_KEYS)
    used = set().union(*(set(item) for item in items_of(doc)))
    assert used == set(ITEM_KEYS)


def test_guide_shows_the_example_verbatim():
    guide = GUIDE.read_text(encoding="utf-8")
    example = EXAMPLE.read_text(encoding="utf-8")
    assert "```toml\n" + example + "```" in guide


@pytest.mark.parametrize(
    "needle",
    [
        "auditui validate",
        "./checklists/",
        "--checklists-dir",
        "AUDITUI_CHECKLISTS_DIR",
        "version",
        "stable",
        "[checklist]",
        "[[sections]]",
        "[[sections.items]]",
        *(f"`{key}`" for key in (*HEADER_KEYS, *ITEM_KEYS)),
        *(f"`{kind}`" for kind in sorted(KINDS)),
    ],
)
def test_guide_explains(needle):
    assert needle in GUIDE.read_text(encoding="utf-8")


# --------------------------------------------------------------------------
# The real loader, once it exists.
# --------------------------------------------------------------------------


def _loader():
    module = pytest.importorskip("auditui.checklist")
    if not hasattr(module, "load_checklist"):
        pytest.skip("auditui.checklist.load_checklist is not there yet")
    return module.load_checklist


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_the_loader_accepts_each_shipped_checklist(name):
    load_checklist = _loader()
    path = CHECKLISTS / f"{name}.toml"
    checklist = load_checklist(path)
    doc = load(name)
    assert checklist.id == name
    assert checklist.kind == SHIPPED[name]
    assert [item.id for item in checklist.items] == [item["id"] for item in items_of(doc)]


def test_the_loader_accepts_the_example():
    load_checklist = _loader()
    checklist = load_checklist(EXAMPLE)
    assert checklist.id == "warehouse-walk"
    assert len(checklist.items) == 5


def test_the_loader_rejects_a_shipped_checklist_with_a_typo(tmp_path):
    load_checklist = _loader()
    errors = pytest.importorskip("auditui.errors")
    text = (CHECKLISTS / f"{AUDIT}.toml").read_text(encoding="utf-8")
    broken = tmp_path / "broken.toml"
    broken.write_text(text.replace('guidance = "', 'guidence = "', 1), encoding="utf-8")
    with pytest.raises(errors.AudituiError):
        load_checklist(broken)


# --------------------------------------------------------------------------
# Round 2 (2026.2): one thing per item, what was missing, the order trail.
# --------------------------------------------------------------------------


def asks(prompt: str) -> int:
    """How many things a prompt asks, counted the way a reader sees a list: the pieces
    between its commas, plus one for an 'and' or 'or' in the last piece, leaving out
    examples in brackets, in quotes and after 'such as', 'for example' or 'e.g.'."""
    text = re.sub(r"\([^)]*\)", "", prompt)
    text = re.sub(r"'[^']*'", "", text)
    text = re.split(r"\b(?:such as|for example|e\.g\.)", text)[0]
    pieces = text.split(", ")
    joined = re.search(r"\s(?:and|or)\s", pieces[-1]) is not None
    return len(pieces) + joined


COMPOUND_LIMIT = 3
"""Prompts asking four or more things, at most (2026.1 had 28 in the gap analysis)."""


def test_the_compound_counter_counts_asks_not_examples():
    assert asks("Is the scope written down?") == 1
    assert asks("Are records kept and protected?") == 2
    assert asks("Are the inputs, outputs, owner, resources and risks defined?") == 5
    assert asks("Is it protected (identification, handling, packaging, storage)?") == 1
    assert asks("Do the risks include real ones, such as taint, misprints, breakdowns?") == 2


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_few_prompts_ask_four_or_more_things(name):
    compound = [item["id"] for item in items_of(load(name)) if asks(item["prompt"]) >= 4]
    assert len(compound) <= COMPOUND_LIMIT, compound


OVERVIEW = "Overview item, not a requirement on its own: "
GOOD_PRACTICE = "Good practice, not a requirement: "
FLAGGED = {
    GAP: {"4.4-a": OVERVIEW, "7.1-a": OVERVIEW, "7.5-a": GOOD_PRACTICE, "8.5-a": OVERVIEW},
    AUDIT: {"7.5-a": GOOD_PRACTICE},
    REVIEW: {},
}


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_overview_and_good_practice_items_say_how_to_grade_a_fail(name):
    """A fail on a summary or good-practice item must not read as a nonconformity. In an
    internal audit every fail is a finding awaiting a corrective action and lowers the
    score, so a good practice missing is a pass graded OFI there."""
    items = {item["id"]: item for item in items_of(load(name))}
    for item_id, flag in FLAGGED[name].items():
        guidance = items[item_id]["guidance"]
        assert guidance.startswith(flag), item_id
        assert "3" in guidance or "4 (OFI)" in guidance, item_id
        if name == AUDIT:
            assert "pass it and grade 4 (OFI)" in guidance and "fail 4" not in guidance
    flagged = {i for i, item in items.items() if item.get("guidance", "").startswith(
        (OVERVIEW, GOOD_PRACTICE))}
    assert flagged == set(FLAGGED[name])


def _prompts(name: str, clause: str) -> list[str]:
    return [i["prompt"].casefold() for i in items_of(load(name)) if i["clause"] == clause]


@pytest.mark.parametrize("name", [GAP, AUDIT])
@pytest.mark.parametrize(
    ("clause", "words"),
    [
        ("8.4.1", ("straight to the customer",)),  # 8.4.1 b: drop-shipped goods
        ("8.4.3", ("competence or qualification",)),  # 8.4.3 c
        ("8.4.3", ("whom to contact",)),  # 8.4.3 d
        ("8.4.3", ("monitor",)),  # 8.4.3 e
        ("8.4.3", ("premises",)),  # 8.4.3 f
        ("8.5.1", ("validated again",)),  # 8.5.1 f: periodic revalidation
        ("8.7.1", ("customer", "told")),  # 8.7.1 d
        ("10.2.1", ("in proportion to the effects",)),  # 10.2.1: appropriate to effects
        ("8.5.1", ("golden",)),
        ("8.6", ("2859-1", "aql")),
        ("8.6", ("pre-shipment inspection",)),
        ("8.2.2", ("certificate of origin", "phytosanitary")),
        ("8.2.2", ("food",)),
        ("8.2.3.1", ("register", "specific requirements")),
        ("8.5.2", ("mock recall", "target time")),
    ],
)
def test_what_round_2_added_is_asked(name, clause, words):
    assert any(all(word in prompt for word in words) for prompt in _prompts(name, clause)), (
        name,
        clause,
        words,
    )


def test_food_contact_hygiene_is_asked_only_where_it_applies():
    item = next(i for i in items_of(load(AUDIT)) if i["id"] == "7.1.4-b")
    assert item["prompt"].startswith("Where the product touches food or drink")
    assert "mark na otherwise" in item["guidance"]


def test_complaint_reply_times_sit_under_customer_communication():
    ids = {item["id"] for item in items_of(load(GAP))}
    assert "10.2.1-d" not in ids
    moved = next(i for i in items_of(load(GAP)) if i["id"] == "8.2.1-c")
    assert "8D" in moved["prompt"]


def _trail(name: str, section_id: str) -> list[dict[str, Any]]:
    return _section(load(name), section_id)["items"]


def test_the_internal_audit_follows_one_order_from_enquiry_to_feedback():
    steps = [
        "enquiry", "quotation", "sample", "pro-forma invoice", "order review", "artwork",
        "purchasing", "lots", "production", "release", "loading", "shipping documents",
        "feedback",
    ]  # fmt: skip
    trail = _trail(AUDIT, "order-trail")
    assert [item["prompt"].split(":")[0] for item in trail] == [
        f"Order trail, {step}" for step in steps
    ]
    assert "record number" in trail[0]["guidance"]


def test_the_gap_analysis_has_a_short_order_trail():
    trail = _trail(GAP, "trail")
    assert 3 <= len(trail) <= 6
    assert all(item["prompt"].startswith("Order trail: ") for item in trail)
    assert "record numbers" in trail[0]["guidance"]


def test_management_review_asks_whether_the_company_is_ready_for_stage_1():
    item = next(i for i in items_of(load(REVIEW)) if i["id"] == "9.3.1-f")
    assert "stage 1" in item["prompt"]
    for needle in ("three months", "internal audits", "nonconformities"):
        assert needle in item["guidance"]


def test_the_gap_analysis_reads_as_an_action_plan():
    description = load(GAP)["checklist"]["description"]
    assert "Documented, not yet implemented:" in description
    assert "'Owner:'" in description and "'Due:'" in description


# --------------------------------------------------------------------------
# The revision readiness checklist: a draft is never presented as the standard.
# --------------------------------------------------------------------------

DRAFT_FLAGS = {
    "Proposed in the draft revision, not a requirement of ISO 9001:2015: ": "draft",
    "Preparation, not a requirement: ": "preparation",
    "Already required by ISO 9001:2015 with Amendment 1:2024": "required",
}


def test_revision_readiness_follows_the_file_format_and_can_be_replaced():
    doc = load(REVISION)
    assert check_checklist(doc) == []
    head = doc["checklist"]
    assert head["id"] == REVISION and head["kind"] == "custom"
    assert head["version"].endswith("-dis")  # replaced when the final text is known
    assert "ISO/DIS 9001:2025" in head["title"]
    for needle in ("TEC Transnational", "Quality Gurus", "Oxebridge", "replaced"):
        assert needle in head["description"], needle
    index = clause_index()
    for item in items_of(doc):
        assert item["prompt"].rstrip().endswith("?"), item["id"]
        assert item["clause"] in index, item["id"]  # the 2015 clause the change lands in


def test_revision_readiness_never_presents_a_draft_clause_as_a_requirement():
    kinds = Counter()
    for item in items_of(load(REVISION)):
        guidance = item["guidance"]
        flag = next((f for f in DRAFT_FLAGS if guidance.startswith(f)), None)
        assert flag is not None, item["id"]
        kinds[DRAFT_FLAGS[flag]] += 1
        if DRAFT_FLAGS[flag] != "required":
            assert "4 (OFI)" in guidance, item["id"]
        text = item["prompt"] + " " + guidance
        # The draft is named as a draft, never as a published edition.
        assert not re.search(r"ISO 9001:202[5-6](?!\S)", text.replace("ISO/DIS", "")), item["id"]
        if "draft" in item["prompt"]:
            assert "proposes" in item["prompt"], item["id"]
    assert kinds["draft"] >= 3 and kinds["required"] == 2


@pytest.mark.parametrize(
    "topic",
    ["quality culture", "ethical behaviour", "climate change", "opportunities", "transition"],
)
def test_revision_readiness_covers_what_the_summaries_agree_on(topic):
    text = " ".join(i["prompt"] + " " + i["guidance"] for i in items_of(load(REVISION)))
    assert topic in text.casefold()
