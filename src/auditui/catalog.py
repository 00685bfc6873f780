"""Which checklists exist: the shipped ones plus every `*.toml` in the checklists folder.

A checklist in the user's folder with the same id as a shipped one takes its
place, so a company can adapt a shipped checklist without renaming it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from auditui.checklist import ID_PATTERN, Checklist, load_checklist
from auditui.errors import AudituiError
from auditui.paths import Locations, looks_like_path, toml_files


class Catalog:
    def __init__(self, locations: Locations) -> None:
        self.locations = locations

    def files(self) -> list[Path]:
        return [path for folder in self.locations.checklist_dirs() for path in toml_files(folder)]

    def checklists(self, on_error: Callable[[AudituiError], None] | None = None) -> list[Checklist]:
        """Every readable checklist, by id (a later folder wins), in title order."""
        by_id: dict[str, Checklist] = {}
        for path in self.files():
            try:
                checklist = load_checklist(path)
            except AudituiError as error:
                if on_error is not None:
                    on_error(error)
                continue
            by_id[checklist.id] = checklist
        return sorted(by_id.values(), key=lambda c: (c.title.casefold(), c.id))

    def resolve(self, reference: str) -> Checklist:
        """A checklist named by path or by id."""
        candidate = Path(reference)
        if looks_like_path(reference) and candidate.exists():
            return load_checklist(candidate)
        if ID_PATTERN.fullmatch(reference):
            # Fast path: a file named after its id, in the folder that wins. (Only
            # there: a shipped `iso.toml` loses to a user file of that id by any name.)
            path = self.locations.checklist_dirs()[-1] / f"{reference}.toml"
            if path.is_file():
                try:
                    checklist = load_checklist(path)
                except AudituiError:
                    checklist = None
                if checklist is not None and checklist.id == reference:
                    return checklist
            for checklist in reversed(self.checklists()):
                if checklist.id == reference:
                    return checklist
        if looks_like_path(reference):
            raise AudituiError("no such checklist file", path=candidate)
        raise AudituiError(
            f"no checklist '{reference}' (see `auditui checklists`; "
            f"looked in {', '.join(str(d) for d in self.locations.checklist_dirs())})"
        )
