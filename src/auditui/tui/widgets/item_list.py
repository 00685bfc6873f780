"""The list of items of a walkthrough: one Line-API widget, however long the checklist.

Only the lines on screen are drawn, and a mark redraws one line, so a 5,000-item
checklist opens and responds as fast as a 50-item one. Rows are section headings
and items; the cursor only ever rests on an item.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from auditui.session import ItemRecord, Session
from auditui.textwidth import printable, truncate
from auditui.tui.text import GRADE_SHORT, RESULT_GLYPHS

Filter = Callable[[ItemRecord], bool]


@dataclass(frozen=True, slots=True)
class Row:
    """A line of the list: a section heading (`record` is None) or an item."""

    section: int
    record: int | None


class ItemList(ScrollView, can_focus=True):
    """Items grouped by section, each showing its state; posts `Highlighted` on moves."""

    COMPONENT_CLASSES = {
        "item-list--section",
        "item-list--cursor",
        "item-list--pass",
        "item-list--fail",
        "item-list--na",
        "item-list--unanswered",
        "item-list--dim",
    }

    DEFAULT_CSS = """
    ItemList {
        background: $surface;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
    }
    ItemList > .item-list--section { text-style: bold; color: $primary; }
    ItemList > .item-list--cursor { background: $accent 40%; text-style: bold; }
    ItemList:focus > .item-list--cursor { background: $accent; color: $text; }
    ItemList > .item-list--pass { color: $success; }
    ItemList > .item-list--fail { color: $error; text-style: bold; }
    ItemList > .item-list--na { color: $text-muted; }
    ItemList > .item-list--unanswered { color: $text-muted; }
    ItemList > .item-list--dim { color: $text-muted; }
    """

    BINDINGS = [
        Binding("down,j", "cursor_down", "Next", show=False),
        Binding("up,k", "cursor_up", "Previous", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home", "first", "First item", show=False),
        Binding("end", "last", "Last item", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, init=False)
    """The row of the current item (an index into `rows`)."""

    class Highlighted(Message):
        """The current item changed."""

        def __init__(self, record: int | None) -> None:
            super().__init__()
            self.record = record

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.sections = session.sections()
        # Position of each section's first record, and each record's section.
        self._section_of: list[int] = []
        for number, (_, _, records) in enumerate(self.sections):
            self._section_of.extend([number] * len(records))
        self.filter: Filter | None = None
        self.failed_last_time: set[str] = set()
        """Item ids the previous session of this checklist failed: marked with `!`."""
        self.rows: list[Row] = []
        self._row_of_record: dict[int, int] = {}
        self._rebuild_rows()

    # -- rows ---------------------------------------------------------------

    def _rebuild_rows(self) -> None:
        rows: list[Row] = []
        row_of: dict[int, int] = {}
        position = 0
        keep = self.filter
        records = self.session.records
        for number, (_, _, section_records) in enumerate(self.sections):
            heading_at = len(rows)
            rows.append(Row(number, None))
            for offset in range(len(section_records)):
                index = position + offset
                if keep is None or keep(records[index]):
                    row_of[index] = len(rows)
                    rows.append(Row(number, index))
            if keep is not None and len(rows) == heading_at + 1:
                rows.pop()  # a section with nothing to show is left out
            position += len(section_records)
        self.rows = rows
        self._row_of_record = row_of
        self.virtual_size = Size(0, len(rows))

    def set_filter(self, keep: Filter | None, *, stay_on: int | None = None) -> bool:
        """Show only the items `keep` accepts; False (and no change) when none would show."""
        previous = (self.filter, self.rows, self._row_of_record)
        self.filter = keep
        self._rebuild_rows()
        if not self._row_of_record:
            self.filter, self.rows, self._row_of_record = previous
            self.virtual_size = Size(0, len(self.rows))
            return False
        self.refresh()
        target = stay_on if stay_on is not None else self.current_record
        self.move_to_record(self._nearest_shown(target))
        return True

    def _nearest_shown(self, record: int | None) -> int:
        shown = sorted(self._row_of_record)
        if record is None:
            return shown[0]
        for index in shown:
            if index >= record:
                return index
        return shown[-1]

    @property
    def current_record(self) -> int | None:
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor].record
        return None

    def is_shown(self, record: int) -> bool:
        return record in self._row_of_record

    def move_to_record(self, record: int) -> None:
        row = self._row_of_record.get(record)
        if row is not None:
            self.cursor = row

    def mark_failed_last_time(self, item_ids: set[str]) -> None:
        self.failed_last_time = item_ids
        self.refresh()

    def refresh_record(self, record: int) -> None:
        """Redraw one item's line and its section heading (progress)."""
        row = self._row_of_record.get(record)
        if row is None:
            return
        self.refresh_line(row)
        section = self.rows[row].section
        for heading in range(row, -1, -1):
            if self.rows[heading].record is None and self.rows[heading].section == section:
                self.refresh_line(heading)
                break

    # -- cursor -------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        if not self.rows:
            return 0
        return max(0, min(value, len(self.rows) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self._scroll_to_row(new)
        self.post_message(self.Highlighted(self.current_record))

    def _scroll_to_row(self, row: int) -> None:
        height = self.scrollable_content_region.height or self.size.height
        if height <= 0:
            return
        top = round(self.scroll_y)
        # Keep the section heading above the first item in view.
        if row <= 1:
            self.scroll_to(y=0, animate=False, immediate=True)
        elif row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True)

    def _step(self, start: int, direction: int) -> int | None:
        row = start + direction
        while 0 <= row < len(self.rows):
            if self.rows[row].record is not None:
                return row
            row += direction
        return None

    def action_cursor_down(self) -> None:
        row = self._step(self.cursor, 1)
        if row is not None:
            self.cursor = row

    def action_cursor_up(self) -> None:
        row = self._step(self.cursor, -1)
        if row is not None:
            self.cursor = row

    def action_page_down(self) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        row = min(len(self.rows) - 1, self.cursor + height)
        found = self._step(row - 1, 1) or self._step(row + 1, -1)
        if found is not None:
            self.cursor = found

    def action_page_up(self) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        row = max(0, self.cursor - height)
        found = self._step(row + 1, -1) or self._step(row - 1, 1)
        if found is not None:
            self.cursor = found

    def action_first(self) -> None:
        found = self._step(-1, 1)
        if found is not None:
            self.cursor = found

    def action_last(self) -> None:
        found = self._step(len(self.rows), -1)
        if found is not None:
            self.cursor = found

    def next_record(self, record: int) -> int | None:
        """The next item shown after `record`, or None at the end."""
        row = self._row_of_record.get(record)
        if row is None:
            return None
        found = self._step(row, 1)
        return self.rows[found].record if found is not None else None

    def on_click(self, event: events.Click) -> None:
        row = event.y + round(self.scroll_y)
        if 0 <= row < len(self.rows) and self.rows[row].record is not None:
            self.cursor = row

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(0, len(self.rows))
        self._scroll_to_row(self.cursor)

    # -- drawing ------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        row_number = y + round(self.scroll_y)
        width = self.scrollable_content_region.width or self.size.width
        if row_number >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        row = self.rows[row_number]
        base = self.rich_style
        if row.record is None:
            segments = self._heading(row.section, base, width)
        else:
            segments = self._item(row.record, base, row_number == self.cursor)
        return Strip(segments).adjust_cell_length(width, base)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"item-list--{name}")

    def _heading(self, section: int, base: Style, width: int) -> list[Segment]:
        section_id, title, records = self.sections[section]
        answered = sum(1 for record in records if record.answered)
        style = base + self._style("section")
        counts = f" {answered}/{len(records)}"
        name = truncate(printable(f"{section_id} {title}"), max(4, width - len(counts)))
        return [Segment(name, style), Segment(counts, base + self._style("dim"))]

    def _item(self, index: int, base: Style, current: bool) -> list[Segment]:
        record = self.session.records[index]
        style = base + self._style("cursor") if current else base
        glyph_style = style + self._style(record.result)
        marks = "✎" if record.note else " "
        last = "!" if record.item_id in self.failed_last_time else " "
        grade = GRADE_SHORT.get(record.grade or "", "")
        segments = [
            Segment("  ", style),
            Segment(RESULT_GLYPHS[record.result] + " ", glyph_style),
            Segment(marks, style),
            Segment(last + " ", style + self._style("fail")),
        ]
        if grade:
            segments.append(Segment(grade + " ", style + self._style("fail")))
        segments.append(Segment(printable(record.item_id) + " ", style + self._style("dim")))
        segments.append(Segment(printable(record.prompt), style))
        return segments
