"""A list of options to tick whose ticked boxes can be told from the others without colour.

Textual's `SelectionList` draws an `X` in every box, ticked or not, and tells them apart
by colour alone: on a dim laptop screen in a bright workshop (or for an auditor who does
not see colours well) every section looked ticked. Here a ticked box shows `✓` and an
empty one a space; the colours stay as they were.
"""

from __future__ import annotations

from typing import TypeVar

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets._toggle_button import ToggleButton

SelectionType = TypeVar("SelectionType")

TICKED = "✓"
EMPTY = " "


class TickList(SelectionList[SelectionType]):
    """A `SelectionList` whose boxes show whether they are ticked by their mark."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 2 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip  # not an option's line (below the last one)
        _, scroll_y = self.scroll_offset
        value = self.get_option_at_index(scroll_y + y).value
        mark = TICKED if value in self.selected else EMPTY
        segments[1] = Segment(mark, segments[1].style)
        return Strip(segments, strip.cell_length)
