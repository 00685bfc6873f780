"""Every export format in one table: its name, file suffix, writer and help.

The command line (`auditui export --format`), the app's export menu and the help all
read `EXPORTERS`, so a new format is one entry here and its writer function. The table
names each writer by its dotted path and imports it on first use: building the command
line (`--help`) never loads the exporter.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from auditui.findings import Finding
    from auditui.session import Session

Writer = Callable[["Session", "list[Finding]", bool, "Mapping[str, str]"], bytes]
"""A writer: (session, its findings, whether CSV starts with a byte-order mark, the
questions in the session's language by item id) -> bytes."""


@dataclass(frozen=True, slots=True)
class Exporter:
    name: str
    """The `--format` value."""
    title: str
    """What people call the format: `Markdown`."""
    suffix: str
    """How an export's file name ends in the exports folder (after the session id)."""
    writer: str
    """`module:function` of the writer (see `Writer`)."""
    key: str
    """Its key in the app's export menu."""
    help: str
    """What it is for, in the app's export menu."""
    binary: bool = False
    """Written to a terminal as bytes, exactly (TOML, for `import`), not as text."""

    def write(
        self,
        session: Session,
        findings: list[Finding],
        *,
        bom: bool = True,
        translated: Mapping[str, str] | None = None,
    ) -> bytes:
        module, name = self.writer.split(":")
        writer: Writer = getattr(importlib.import_module(module), name)
        return writer(session, findings, bom, translated or {})


EXPORTERS = (
    Exporter("toml", "TOML", ".export.toml", "auditui.export:toml_export", "t",
             "TOML, for `auditui import` on another laptop", binary=True),
    Exporter("markdown", "Markdown", ".md", "auditui.export:markdown_export", "m",
             "Markdown results, for people"),
    Exporter("csv", "CSV", ".csv", "auditui.export:csv_export", "c", "CSV, for a spreadsheet"),
)  # fmt: skip
FORMATS = tuple(exporter.name for exporter in EXPORTERS)
TITLES = ", ".join(e.title for e in EXPORTERS[:-1]) + f" or {EXPORTERS[-1].title}"
"""`TOML, Markdown or CSV`."""


def exporter(name: str) -> Exporter:
    """The format called `name`; `ValueError` for none."""
    for candidate in EXPORTERS:
        if candidate.name == name:
            return candidate
    raise ValueError(name)
