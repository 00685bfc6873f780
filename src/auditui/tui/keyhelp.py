"""A screen's help and the README's keys table, made from the screen's bindings.

What a key does is written once, as the `tooltip` of its `Binding` (the short
`description` is what the key bar shows). The help screen lists the bindings'
tooltips; keys with the same tooltip share a row (`1 2 3 4`, `down j`). The
README's walkthrough table is the same rows as Markdown, and a test checks that
it is (`python -m auditui.tui.keyhelp` prints it), so the three cannot drift.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding, BindingType

KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "escape": "esc",
    "pagedown": "pgdn",
    "pageup": "pgup",
}
"""How a key is written for people, where Textual's name is not it."""

QUIT_HELP = (
    "quit; ctrl+q from every screen, dialogs and help included (everything is already saved)"
)
"""What q and ctrl+q do, on every screen."""

PALETTE = Binding("ctrl+p", "command_palette", "Palette", tooltip="command palette")
"""The app's command palette key (Textual's own binding has no tooltip)."""


def key_name(key: str) -> str:
    return KEY_NAMES.get(key, key)


def help_rows(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    """(keys, what they do) for every binding with a tooltip, in the bindings' order;
    bindings with the same tooltip share a row, their keys joined by spaces. (A binding
    written as a tuple has no tooltip, so it is left out like any other without one.)"""
    rows: dict[str, list[str]] = {}
    for binding in bindings:
        if not isinstance(binding, Binding) or not binding.tooltip:
            continue
        keys = rows.setdefault(binding.tooltip, [])
        for key in binding.key.split(","):
            name = key_name(key.strip())
            if name not in keys:
                keys.append(name)
    return [(" ".join(keys), text) for text, keys in rows.items()]


def markdown_table(rows: list[tuple[str, str]]) -> str:
    """The rows as a Markdown table, each key in backticks."""
    lines = ["| key | does |", "|---|---|"]
    for keys, text in rows:
        shown = " ".join(f"`{key}`" for key in keys.split(" "))
        does = text.replace("|", "\\|")
        lines.append(f"| {shown} | {does} |")
    return "\n".join(lines) + "\n"


def walkthrough_rows() -> list[tuple[str, str]]:
    """Every key of the walkthrough: its own, the item list's, and the app's."""
    from auditui.tui.app import AuditApp
    from auditui.tui.screens.walkthrough import WalkthroughScreen
    from auditui.tui.widgets.item_list import ItemList

    rows = help_rows(
        [*WalkthroughScreen.BINDINGS, *ItemList.BINDINGS, PALETTE, *AuditApp.BINDINGS]
    )
    last = [row for row in rows if row[0] in ("?", "q ctrl+q")]  # help and quit end the list
    return [row for row in rows if row not in last] + last


README_START = "<!-- walkthrough keys, from the bindings: python -m auditui.tui.keyhelp -->"
README_END = "<!-- end of walkthrough keys -->"


def readme_block() -> str:
    """The README's walkthrough keys, between its two marker lines."""
    return f"{README_START}\n{markdown_table(walkthrough_rows())}{README_END}\n"


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    print(readme_block(), end="")
