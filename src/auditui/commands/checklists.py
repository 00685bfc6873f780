"""`auditui checklists`: the checklists found (shipped and in the checklists folder)."""

from __future__ import annotations

import argparse

from auditui.commands.common import Context, add_format, table
from auditui.textwidth import printable, truncate


def add_parser(subparsers, parents) -> None:
    parser = subparsers.add_parser("checklists", parents=parents, help="list the checklists found")
    add_format(parser, ("text", "toml"), "text")


def run(ctx: Context, args: argparse.Namespace) -> int:
    found = ctx.catalog.checklists(
        on_error=lambda e: ctx.warn(f"{e} (left out)"), on_duplicate=ctx.warn
    )
    if args.format == "toml":
        ctx.emit_toml(
            {
                "checklists": [
                    {
                        "id": c.id,
                        "title": c.title,
                        "kind": c.kind,
                        "version": c.version,
                        "path": str(c.path.absolute()) if c.path else "",
                        "items": len(c.items),
                    }
                    for c in found
                ]
            },
            args.output,
        )
        return 0
    if not found:
        ctx.emit("No checklists found.\n", args.output)
        return 0
    rows = [
        [c.id, c.kind, printable(c.version), str(len(c.items)), truncate(printable(c.title), 50)]
        for c in found
    ]
    ctx.emit(table(rows, ["ID", "KIND", "VERSION", "ITEMS", "TITLE"]), args.output)
    return 0
