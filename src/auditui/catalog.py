"""Which checklists exist: the shipped ones plus every `*.toml` in the checklists folder.

A checklist in the user's folder with the same id as a shipped one takes its
place, so a company can adapt a shipped checklist without renaming it. Two files
of one id in the same folder are a mistake (a copy left beside the original): one
is used by a fixed rule (`<id>.toml` first, else the first by file name) and every
listing says which, and why, instead of one silently winning.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from auditui.checklist import ID_PATTERN, Checklist, load_checklist
from auditui.errors import AudituiError
from auditui.paths import Locations, ambiguous, looks_like_path, toml_files
from auditui.textwidth import plural, some_of


@dataclass(frozen=True, slots=True)
class Duplicate:
    """Two checklist files of one id in one folder: `used` is the one auditui takes."""

    checklist_id: str
    used: Path
    ignored: Path

    @property
    def why(self) -> str:
        if self.used.stem == self.checklist_id:
            return "its file is named after the id"
        return "the first by file name"

    def __str__(self) -> str:
        return (
            f"{self.ignored}: checklist id '{self.checklist_id}' is also in {self.used.name},"
            f" which is used ({self.why}); rename one id or remove one file"
        )


def _rank(path: Path, checklist_id: str) -> tuple[bool, str]:
    """Within one folder the lowest wins: `<id>.toml` first, else the first by file name."""
    return (path.stem != checklist_id, path.name)


def _wins(path: Path, checklist_id: str, other: Path) -> bool:
    return _rank(path, checklist_id) < _rank(other, checklist_id)


def duplicates_in(checklists: list[Checklist]) -> list[Duplicate]:
    """The files among `checklists` that `Catalog` would leave out: another file of the
    same folder has their id and wins by the rule above."""
    groups: dict[tuple[Path, str], list[Path]] = {}
    for checklist in checklists:
        if checklist.path is not None:
            key = (checklist.path.absolute().parent, checklist.id)
            groups.setdefault(key, []).append(checklist.path)
    found: list[Duplicate] = []
    for (_, checklist_id), paths in groups.items():
        used, *ignored = sorted(paths, key=lambda path: _rank(path, checklist_id))
        found.extend(Duplicate(checklist_id, used, path) for path in ignored)
    return found


class Catalog:
    def __init__(self, locations: Locations) -> None:
        self.locations = locations

    def files(self) -> list[Path]:
        return [path for folder in self.locations.checklist_dirs() for path in toml_files(folder)]

    def unlisted(self) -> list[AudituiError]:
        """What a checklists folder holds that cannot be a checklist though it is named
        like one (a folder, a pipe, a broken link called `*.toml`), and a folder that
        cannot be looked into: left out, and said."""
        from auditui.paths import NOT_A_FILE, odd_toml_entries

        problems = []
        for folder in self.locations.checklist_dirs():
            try:
                with os.scandir(folder):
                    pass
            except FileNotFoundError:
                continue
            except OSError as error:
                why = error.strerror or str(error)
                problems.append(AudituiError(f"cannot look into the folder: {why}", path=folder))
                continue
            problems += [AudituiError(NOT_A_FILE, path=path) for path in odd_toml_entries(folder)]
        return problems

    def checklists(
        self,
        on_error: Callable[[AudituiError], None] | None = None,
        on_duplicate: Callable[[Duplicate], None] | None = None,
    ) -> list[Checklist]:
        """Every readable checklist, by id (a later folder wins; see `Duplicate` within a
        folder), in title order."""
        loaded: list[Checklist] = []
        for path in self.files():
            try:
                loaded.append(load_checklist(path))
            except AudituiError as error:
                if on_error is not None:
                    on_error(error)
        if on_error is not None:  # named like a checklist, never opened: said all the same
            for problem in self.unlisted():
                on_error(problem)
        duplicates = duplicates_in(loaded)
        ignored = {duplicate.ignored for duplicate in duplicates}
        if on_duplicate is not None:
            for duplicate in duplicates:
                on_duplicate(duplicate)
        by_id: dict[str, Checklist] = {}
        for checklist in loaded:  # folder by folder: a later folder wins
            if checklist.path not in ignored:
                by_id[checklist.id] = checklist
        return sorted(by_id.values(), key=lambda c: (c.title.casefold(), c.id))

    def at_hand(self, checklist_id: str) -> Checklist | None:
        """The checklist of this id as it is in the checklists folders; None when it is
        not there or cannot be read (the commands that read it say why)."""
        try:
            found = self.resolve(checklist_id) if ID_PATTERN.fullmatch(checklist_id) else None
        except AudituiError:
            return None
        # `resolve` takes a unique prefix too: `shop-floor` gone, `shop-floor-paint` is
        # another checklist, not this one's version.
        return found if found is not None and found.id == checklist_id else None

    def resolve(self, reference: str) -> Checklist:
        """A checklist named by path or by id."""
        candidate = Path(reference)
        if looks_like_path(reference) and _exists(candidate):
            return load_checklist(candidate)
        if ID_PATTERN.fullmatch(reference):
            # Fast path: a file named after its id, in the folder that wins. (Only
            # there: a shipped `iso.toml` loses to a user file of that id by any name.)
            path = self.locations.checklist_dirs()[-1] / f"{reference}.toml"
            broken: AudituiError | None = None
            if _is_file(path):
                try:
                    checklist = load_checklist(path)
                except AudituiError as error:
                    checklist, broken = None, error
                if checklist is not None and checklist.id == reference:
                    return checklist
            unreadable: list[AudituiError] = []
            every = self.checklists(on_error=unreadable.append)
            for checklist in every:
                if checklist.id == reference:
                    return checklist
            starting = [checklist for checklist in every if checklist.id.startswith(reference)]
            if len(starting) == 1:
                return starting[0]
            if starting:
                raise AudituiError(ambiguous("checklist", reference, [c.id for c in starting]))
            if broken is not None:  # a file named after the id that does not load: say why
                raise broken
            if unreadable:  # the id may be in one of them: name them, not "no checklist"
                names = some_of([str(error.path) for error in unreadable], 3)
                files = plural(len(unreadable), "checklist file")
                verb = "does" if len(unreadable) == 1 else "do"
                raise AudituiError(
                    f"no checklist '{reference}' among those that load; "
                    f"{files} {verb} not ({names}): "
                    "`auditui validate` says why"
                )
        if looks_like_path(reference):
            raise AudituiError("no such checklist file", path=candidate)
        raise AudituiError(
            f"no checklist '{reference}' (see `auditui checklists`; "
            f"looked in {', '.join(str(d) for d in self.locations.checklist_dirs())})"
        )


def _exists(path: Path) -> bool:
    """`path.exists()`, False where it cannot be looked at (a folder that cannot be read:
    Python 3.11 raises instead): what follows then names the folder."""
    try:
        return path.exists()
    except OSError:
        return False


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False
