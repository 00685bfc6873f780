"""`auditui checklists`: the checklists found (shipped and in the checklists folder)."""

from __future__ import annotations

import argparse

from auditui.commands.common import Context, add_format, table, table_line
from auditui.paths import path_text
from auditui.textwidth import cell_width, printable, truncate


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
                        "path": path_text(c.path.absolute()) if c.path else "",
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
    # The title, last, takes what the terminal leaves it, at most 50 cells; on a terminal
    # too narrow for 20 of them (80 columns), it goes on a line of its own, indented.
    rows = [[c.id, c.kind, printable(c.version), str(len(c.items))] for c in found]
    headers = ["ID", "KIND", "VERSION", "ITEMS", "TITLE"]
    widths = [max(cell_width(row[n]) for row in [headers, *rows]) for n in range(4)]
    used = sum(width + 2 for width in widths)
    columns = ctx.terminal_columns(args.output)
    if columns is not None and columns - used < 20:
        lines = [table_line(headers[:4], widths), "  TITLE\n"]
        for row, checklist in zip(rows, found, strict=True):
            title = truncate(printable(checklist.title), columns - 2)
            lines += [table_line(row, widths), f"  {title}\n"]
        ctx.emit("".join(lines), args.output)
        return 0
    room = 50 if columns is None else min(50, columns - used)
    for row, checklist in zip(rows, found, strict=True):
        row.append(truncate(printable(checklist.title), room))
    ctx.emit(table(rows, headers), args.output)
    return 0
