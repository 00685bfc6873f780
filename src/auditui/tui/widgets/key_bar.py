"""The keys a screen offers, in one line at the bottom, drawn by a single widget.

Textual's `Footer` makes a widget for every key and builds them all again each
time the focus moves; on the walkthrough that was a fifth of the time it took to
show the first item. This bar shows the same thing (the bindings marked `show`,
the command palette's key on the right) from one `render`, and repaints when the
screen's bindings change. A click on a key presses it.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget


def _entry(binding: Binding) -> str | None:
    """What the bar says of a key: its description when it is marked `show`, else
    nothing (None: not on the bar). A screen whose keys change with its state (a
    finished session takes no marks) has its own `key_bar_entry`, and calls
    `refresh_bindings` when that state changes."""
    return binding.description if binding.show else None


class KeyBar(Widget, can_focus=False):
    """`p Pass  f Fail  …      ▏^p palette`, for the screen it is on."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--divider"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyBar > .key-bar--divider {
        color: $foreground 20%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spans: list[tuple[int, int, str]] = []
        """Where each key is drawn: (first cell, cell after the last, key to press)."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen: Screen) -> None:
        self.refresh()

    def keys(self) -> tuple[list[tuple[str, str, str, bool]], tuple[str, str, str] | None]:
        """The keys shown, as (key, how it is shown, what it does, enabled), one per
        action in the screen's order; and the command palette's key, if it has one."""
        shown: list[tuple[str, str, str, bool]] = []
        actions: set[str] = set()
        palette = None
        app = self.app
        entry = getattr(self.screen, "key_bar_entry", _entry)
        for key, (_, binding, enabled, _) in self.screen.active_bindings.items():
            if app.ENABLE_COMMAND_PALETTE and key == app.COMMAND_PALETTE_BINDING:
                palette = (binding.key, app.get_key_display(binding), binding.description)
                continue
            description = entry(binding)
            if description is not None and binding.action not in actions:
                actions.add(binding.action)
                shown.append((binding.key, app.get_key_display(binding), description, enabled))
        return shown, palette

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        shown, palette = self.keys()
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, str]] = []
        for key, display, description, enabled in shown:
            dim = Style() if enabled else Style(dim=True)
            start = line.cell_len
            line.append(f" {display} ", key_style + dim)
            line.append(f"{description} " if description else "", description_style + dim)
            spans.append((start, line.cell_len, key))
        width = self.size.width
        if palette is not None:
            key, display, description = palette
            right = Text.assemble(
                ("▏", self.get_component_rich_style("key-bar--divider")),
                (display, key_style),
                (f" {description} ", description_style),
            )
            room = max(0, width - right.cell_len)
            line.truncate(room, pad=True)
            spans = [(start, min(end, room), key) for start, end, key in spans if start < room]
            spans.append((room, width, palette[0]))
            line.append_text(right)
        self._spans = spans
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
