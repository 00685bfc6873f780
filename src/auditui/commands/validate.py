"""`auditui validate FILE...`: check checklist files, report every problem in every file.

A file in a checklists folder can be a valid checklist and still be left out: another
file of the same folder has its id. That is reported as a problem too, naming the file
auditui uses and why, since otherwise one of the two silently wins. A file elsewhere is
checked on its own.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from auditui.commands.common import Context
from auditui.errors import AudituiError, ExitCode
from auditui.textwidth import plural, printable


def add_parser(subparsers, parents) -> None:
    parser = subparsers.add_parser(
        "validate", parents=parents, help="check checklist files; exit 1 if any is wrong"
    )
    parser.add_argument("files", nargs="+", metavar="FILE")


def run(ctx: Context, args: argparse.Namespace) -> int:
    from auditui.catalog import duplicates_in
    from auditui.checklist import Checklist, ChecklistError, load_checklist

    bad = 0
    good: list[tuple[str, Checklist]] = []
    for name in args.files:
        try:
            checklist = load_checklist(name)
        except ChecklistError as error:
            bad += 1
            for problem in error.problems:
                ctx.warn(problem)
            continue
        except AudituiError as error:
            bad += 1
            ctx.warn(error)
            continue
        too_large = session_too_large(checklist, name)
        if too_large is not None:
            bad += 1
            ctx.warn(too_large)
            continue
        good.append((name, checklist))
    # Only a checklists folder picks one file per id; elsewhere a file stands alone.
    folders = {folder.resolve() for folder in ctx.locations.checklist_dirs()}
    checked = [
        checklist for _, checklist in good
        if checklist.path is not None and checklist.path.resolve().parent in folders
    ]  # fmt: skip
    left_out = {
        duplicate.ignored.absolute(): duplicate
        for duplicate in duplicates_in([*_neighbours(checked), *checked])
    }
    shipped = _shipped_ids()
    for name, checklist in good:
        duplicate = left_out.get(Path(name).absolute())
        if duplicate is not None:
            bad += 1
            ctx.warn(duplicate)
            continue
        if _untranslated(ctx, name, checklist):
            bad += 1
            continue
        count = len(checklist.items)
        note = ""
        if checklist.id in shipped and shipped[checklist.id] != Path(name).absolute().parent:
            note = "; in a checklists folder it takes the place of the shipped one"
        items = f"{count} item{'' if count == 1 else 's'}"
        ctx.say(f"{printable(name)}: ok ({checklist.id}, {items}{note})")
        _unknown_clauses(ctx, name, checklist)
        _awkward_ids(ctx, name, checklist)
    if bad:
        if len(args.files) > 1:  # one file: its own lines say it all
            verb = "has" if bad == 1 else "have"
            ctx.warn(f"{bad} of {plural(len(args.files), 'file')} {verb} problems")
        return ExitCode.BAD_INPUT
    return ExitCode.OK


SHOW_UNTRANSLATED = 10
"""Missing translations named one by one, at most; the rest are counted."""


def _untranslated(ctx: Context, name: str, checklist) -> bool:
    """Name the sections and items that a language in `languages = [...]` lacks (the
    file loads, showing the English where a translation is missing, but it claims
    to be complete in that language)."""
    from auditui.locate import locate
    from auditui.translations import missing_translations

    missing = missing_translations(checklist)
    if not missing:
        return False
    try:
        text = Path(name).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        text = ""
    for key in missing[:SHOW_UNTRANSLATED]:
        language = key.rsplit(".", 1)[1]
        ctx.warn(
            AudituiError(
                f"no translation into '{language}', which checklist.languages declares",
                path=name,
                line=locate(text, key) if text else None,
                key=key,
            )
        )
    if len(missing) > SHOW_UNTRANSLATED:
        ctx.warn(f"{name}: and {len(missing) - SHOW_UNTRANSLATED} more missing translations")
    return True


OUTSIDE_INDEX = frozenset(
    ["0", "0.1", "0.2", "0.3", "0.4", "1", "2", "3", "A", *(f"A.{n}" for n in range(1, 9))]
)
"""Parts of ISO 9001:2015 before clause 4 and its annex A, which the clause index (what
the walkthrough names) leaves out: cited all the same."""


def _clause_number(clause: str) -> str:
    """`8.5.1` of `8.5.1 c)`, `10.2.1 a`, `9.3.2(b)`: a list item of a clause cites it."""
    found = re.match(r"\s*((?:\d+|A)(?:\.\d+)*)", clause)
    return found.group(1) if found else clause.strip()


SHOW_NOTES = 10
"""Notes of one kind (clauses, item ids) named one by one, at most; the rest are counted."""


def _unknown_clauses(ctx: Context, name: str, checklist) -> None:
    """Name each item's `clause` that is not a clause of ISO 9001:2015, for a checklist of
    that standard (one naming 9001, or naming none with most clauses of ISO 9001): a
    typo ("8.5.2.9", "11.4") reads as a clause everywhere, and only the walkthrough's
    missing title gave it away. A note, not a problem: the file is valid, status 0."""
    from auditui.clauses import clause_titles

    standard = checklist.standard or ""
    named = re.search(r"9001(?::(\d{4}))?", standard)
    others = {number for number in re.findall(r"\b(\d{4,5})(?::\d{4})?\b", standard)
              if number != "9001" and not re.search(rf":{number}\b", standard)}  # fmt: skip
    if standard and (named is None or named.group(1) not in (None, "2015") or others):
        return  # another standard's numbers, another edition's (2008), or two standards
    known = {clause for clause in clause_titles() if clause[:1].isdigit()} | OUTSIDE_INDEX
    cited = [
        (f"sections[{s}].items[{i}].clause", item.clause)
        for s, section in enumerate(checklist.sections)
        for i, item in enumerate(section.items)
        if item.clause
    ]
    unknown = [(key, clause) for key, clause in cited if _clause_number(clause) not in known]
    if not unknown or (not checklist.standard and 2 * len(unknown) >= len(cited)):
        return  # no standard named, and mostly not ISO 9001's: a numbering of its own
    _notes(ctx, name, [
        (key, f"note: {clause!r} is not a clause of ISO 9001:2015 (a typo? for another "
              "standard, name it in checklist.standard)")
        for key, clause in unknown
    ], "clauses not of ISO 9001:2015")  # fmt: skip


def _awkward_ids(ctx: Context, name: str, checklist) -> None:
    """Note the item ids that are valid but hard to use: control characters (a tab, a NUL:
    invisible, or shown as a symbol), a leading `-` (`auditui finding -x` reads an option),
    spaces at an end, and two ids that look the same (one written precomposed, the other
    with a combining accent). Any text is an id (SPEC); these only make work later."""
    import unicodedata

    found: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for s, section in enumerate(checklist.sections):
        for i, item in enumerate(section.items):
            key, item_id = f"sections[{s}].items[{i}].id", item.id
            why = []
            if any(unicodedata.category(char) == "Cc" for char in item_id):
                why.append("holds a control character (a tab, say), unseen on screen")
            if item_id.startswith("-"):
                why.append("starts with '-', which commands read as an option (give -- first)")
            if item_id != item_id.strip():
                why.append("starts or ends with a space")
            same = seen.setdefault(unicodedata.normalize("NFC", item_id), item_id)
            if same != item_id:
                why.append(f"looks the same as the id {same!r}, written another way in "
                           f"Unicode ({ascii(item_id)}, {ascii(same)})")
            found += [(key, f"note: the id {item_id!r} {reason}") for reason in why]
    _notes(ctx, name, found, "notes on item ids")


def _notes(ctx: Context, name: str, notes: list[tuple[str, str]], rest: str) -> None:
    """Say each (key path, note) of the file `name`, with the line of its key; past
    `SHOW_NOTES` of them, a count of the rest (`and 12 more <rest>`)."""
    from auditui.locate import locate

    if not notes:
        return
    try:
        text = Path(name).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        text = ""
    for key, message in notes[:SHOW_NOTES]:
        line = locate(text, key) if text else None
        ctx.warn(AudituiError(message, path=name, line=line, key=key))
    if len(notes) > SHOW_NOTES:
        ctx.warn(f"{printable(name)}: and {len(notes) - SHOW_NOTES} more {rest}")


def _neighbours(checked: list) -> list:
    """The other readable checklists in the folders of the `checked` ones (a file
    validated alone still clashes with the one beside it)."""
    from auditui.checklist import load_checklist
    from auditui.paths import toml_files

    given = {checklist.path.absolute() for checklist in checked if checklist.path is not None}
    folders = {path.parent for path in given}
    found = []
    for folder in sorted(folders):
        for path in toml_files(folder):
            if path.absolute() in given:
                continue
            try:
                found.append(load_checklist(path))
            except AudituiError:
                continue  # not validated here: only what was asked is reported
    return found


def _shipped_ids() -> dict[str, Path]:
    """The shipped checklists' ids, and their folder."""
    from auditui.checklist import load_checklist
    from auditui.paths import shipped_checklists_dir, toml_files

    folder = shipped_checklists_dir()
    ids: dict[str, Path] = {}
    for path in toml_files(folder):
        try:
            ids[load_checklist(path).id] = folder.absolute()
        except AudituiError:
            continue
    return ids


def session_too_large(checklist, name: str) -> AudituiError | None:
    """A checklist that passes every rule but whose sessions auditui could not read back
    (`run` would refuse it): one long section title is kept with each of its items. The
    text each item carries into a session, counted without writing one (validate loads no
    TOML writer), is a lower bound of the session's size: over the limit, it is too large."""
    from auditui import tomlio

    size = 0
    for item in checklist.items:
        texts = (item.id, item.section_id, item.section_title, item.prompt, item.clause or "",
                 item.guidance or "", *item.evidence)  # fmt: skip
        size += sum(len(text.encode("utf-8")) for text in texts)
    if size <= tomlio.MAX_FILE_BYTES:
        return None
    return AudituiError(
        f"a session of this checklist would be over {size:,} bytes, more than the "
        f"{tomlio.MAX_FILE_BYTES:,} auditui reads back: shorten its longest texts "
        "(a section's title is kept with each of its items)",
        path=name,
    )
