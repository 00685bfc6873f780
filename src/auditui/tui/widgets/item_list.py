"""The list of items of a walkthrough: one Line-API widget, however long the checklist.

Only the lines on screen are drawn, and a mark redraws one line, so a 5,000-item
checklist opens and responds as fast as a 50-item one. Rows are section headings
and items; the cursor only ever rests on an item.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

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
from auditui.vocabulary import Grade, Result

Filter = Callable[[ItemRecord], bool]


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
        Binding("pagedown", "page_down", "Page down", show=False, tooltip="a page down"),
        Binding("pageup", "page_up", "Page up", show=False, tooltip="a page up"),
        Binding("home", "first", "First item", show=False, tooltip="first item"),
        Binding("end", "last", "Last item", show=False, tooltip="last item"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, init=False)
    """The row of the current item (an index into `row_records`)."""

    class Highlighted(Message):
        """The current item changed."""

        def __init__(self, record: int | None) -> None:
            super().__init__()
            self.record = record

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.sections = session.sections()
        number_of = {section_id: number for number, (section_id, _, _) in enumerate(self.sections)}
        self._positions: list[list[int]] = [[] for _ in self.sections]
        """The positions in `session.records` of each section's records."""
        for position, record in enumerate(session.records):
            self._positions[number_of[record.section_id]].append(position)
        self.failed_last_time: set[str] = set()
        """Item ids the previous session of this checklist failed: marked with `!`."""
        self._any_grade: bool | None = None
        """Whether an item has a grade (then every line keeps the grade's room, so the ids
        line up); None until the first line is drawn."""
        # Row by row (a line of the list): the item shown there (None for a section
        # heading) and the section it belongs to. Plain lists of ints, built with a few
        # list operations per section: this runs before the first screen is drawn.
        self.row_records: list[int | None] = []
        self.row_sections: list[int] = []
        self._row_of_record: dict[int, int] = {}
        self._show(*self._rows(None))

    # -- rows ---------------------------------------------------------------

    def _rows(self, keep: Filter | None) -> tuple[list[int | None], list[int]]:
        """The rows that show what `keep` accepts (everything for None): `row_records` and
        `row_sections`. A section with nothing to show is left out."""
        row_records: list[int | None] = []
        row_sections: list[int] = []
        records = self.session.records
        in_scope = self.session.in_scope
        for number, (_, _, section_records) in enumerate(self.sections):
            shown = self._positions[number]
            if not in_scope(section_records[0]):
                continue  # outside the session's scope: never shown
            if keep is not None:
                shown = [index for index in shown if keep(records[index])]
                if not shown:
                    continue
            row_records.append(None)
            row_records.extend(shown)
            row_sections.extend([number] * (len(shown) + 1))
        return row_records, row_sections

    def _show(self, row_records: list[int | None], row_sections: list[int]) -> None:
        self.row_records = row_records
        self.row_sections = row_sections
        self._row_of_record = {
            record: row for row, record in enumerate(row_records) if record is not None
        }
        self.virtual_size = Size(0, len(row_records))

    def rebuild(self) -> None:
        """Make the rows again (after the scope changed), showing every item in scope."""
        current = self.current_record
        self._show(*self._rows(None))
        self._any_grade = None
        self.refresh()
        self.move_to_record(self._nearest_shown(current))

    def shown_records(self) -> list[int]:
        """The items the list shows (all, or those the filter keeps), in order."""
        return [record for record in self.row_records if record is not None]

    def set_filter(self, keep: Filter | None) -> bool:
        """Show only the items `keep` accepts; False (and no change) when none would show."""
        row_records, row_sections = self._rows(keep)
        if all(record is None for record in row_records):
            return False
        current = self.current_record  # the item, read before the rows change under it
        self._show(row_records, row_sections)
        self.refresh()
        self.move_to_record(self._nearest_shown(current))
        return True

    def _nearest_shown(self, record: int | None) -> int:
        """The first item shown at or after `record`, else the last one shown."""
        shown = list(self._row_of_record)  # in record order: rows are made in that order
        if record is None:
            return shown[0]
        return shown[min(bisect_left(shown, record), len(shown) - 1)]

    @property
    def current_record(self) -> int | None:
        if 0 <= self.cursor < len(self.row_records):
            return self.row_records[self.cursor]
        return None

    def is_shown(self, record: int) -> bool:
        return record in self._row_of_record

    def move_to_record(self, record: int) -> None:
        row = self._row_of_record.get(record)
        if row is not None:
            self.cursor = row

    def start_at(self, record: int) -> None:
        """Open on `record` quietly: before the first frame the screen shows the item
        itself, so no `Highlighted` is posted (the list scrolls to it once laid out)."""
        row = self._row_of_record.get(record)
        if row is not None:
            self.set_reactive(ItemList.cursor, row)

    def mark_failed_last_time(self, item_ids: set[str]) -> None:
        self.failed_last_time = item_ids
        self.refresh()

    def refresh_record(self, record: int) -> None:
        """Redraw one item's line and its section heading (progress); every line when the
        first grade came or the last one went."""
        before, self._any_grade = self._any_grade, None
        if before is not None and self._grades_shown() != before:
            self.refresh()
            return
        row = self._row_of_record.get(record)
        if row is None:
            return
        self.refresh_line(row)
        for heading in range(row, -1, -1):
            if self.row_records[heading] is None:  # the heading of this item's section
                self.refresh_line(heading)
                break

    # -- cursor -------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        if not self.row_records:
            return 0
        return max(0, min(value, len(self.row_records) - 1))

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
        # Keep the section heading above the first item in view. `force`: right after a
        # view of a few items gave way to every item, Textual has not yet laid out the
        # scroll bar and would ignore the scroll, leaving the current item out of sight.
        if row <= 1:
            self.scroll_to(y=0, animate=False, immediate=True, force=True)
        elif row < top:
            # Its section's heading too, where both fit: the heading holds the section's
            # progress, and another section's, lower down, read as this item's.
            heading = self._heading_row(row)
            y = heading if row - heading < height else row
            self.scroll_to(y=y, animate=False, immediate=True, force=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True, force=True)

    def _heading_row(self, row: int) -> int:
        """The row of the heading of the section that `row` is in."""
        while row > 0 and self.row_records[row] is not None:
            row -= 1
        return row

    def _step(self, start: int, direction: int) -> int | None:
        row = start + direction
        while 0 <= row < len(self.row_records):
            if self.row_records[row] is not None:
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
        row = min(len(self.row_records) - 1, self.cursor + height)
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
        found = self._step(len(self.row_records), -1)
        if found is not None:
            self.cursor = found

    def next_record(self, record: int) -> int | None:
        """The next item shown after `record`, or None at the end."""
        row = self._row_of_record.get(record)
        if row is None:
            return None
        found = self._step(row, 1)
        return self.row_records[found] if found is not None else None

    def on_click(self, event: events.Click) -> None:
        row = event.y + round(self.scroll_y)
        if 0 <= row < len(self.row_records) and self.row_records[row] is not None:
            self.cursor = row

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(0, len(self.row_records))
        self._scroll_to_row(self.cursor)

    # -- drawing ------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        row_number = y + round(self.scroll_y)
        width = self.scrollable_content_region.width or self.size.width
        if row_number >= len(self.row_records):
            return Strip.blank(width, self.rich_style)
        record = self.row_records[row_number]
        base = self.rich_style
        if record is None:
            segments = self._heading(self.row_sections[row_number], base, width)
        else:
            segments = self._item(record, base, row_number == self.cursor)
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

    def _grades_shown(self) -> bool:
        if self._any_grade is None:
            self._any_grade = any(record.grade for record in self.session.records)
        return self._any_grade

    def _item(self, index: int, base: Style, current: bool) -> list[Segment]:
        record = self.session.records[index]
        style = base + self._style("cursor") if current else base
        glyph_style = style + self._style(record.result)
        marks = "✎" if record.note else " "
        last = "!" if record.item_id in self.failed_last_time else " "
        grade = Grade(record.grade).short if record.grade else ""
        segments = [
            Segment("  ", style),
            Segment(Result(record.result).glyph + " ", glyph_style),
            Segment(marks, style),
            Segment(last + " ", style + self._style("fail")),
        ]
        if grade:
            segments.append(Segment(grade + " ", style + self._style("fail")))
        elif self._grades_shown():  # the ids in one column, under and over graded items
            segments.append(Segment("    ", style))
        segments.append(Segment(printable(record.item_id) + " ", style + self._style("dim")))
        segments.append(Segment(printable(record.prompt), style))
        return segments
