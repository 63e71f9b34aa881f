"""The verse cursor and selection of the chapter view: the verse the cursor is on, the range
selected from an anchor, the keys and clicks that move them, and the first verse on screen.

A base class of `ChapterView` (a `ScrollView`), which holds the text, its layout and the
painting, and tells the screen where the cursor went (`ChapterView.CursorMoved`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import events
from textual.actions import SkipAction
from textual.geometry import Region
from textual.scroll_view import ScrollView

from verse_tui.domain.bible import VerseRange, VerseRef
from verse_tui.tui.reading.text_layout import Layout


@dataclass(frozen=True, slots=True)
class Selection:
    """The selected verses, in reading order."""

    refs: tuple[VerseRef, ...]

    @property
    def range(self) -> VerseRange:
        return VerseRange(self.refs[0], self.refs[-1])


class VerseCursor(ScrollView):
    """The cursor over a chapter's verses (`rows`) and the selection, for `ChapterView`."""

    rows: tuple[VerseRef, ...]
    cursor: int
    selection_anchor: int | None  # not `anchor`: Widget.anchor() exists
    extending: bool  # after `v`: cursor moves grow the selection
    _layout: Layout | None
    _sized: bool

    # Provided by ChapterView:
    _margin: Callable[[], int]
    _announce: Callable[..., None]

    @property
    def selection(self) -> Selection:
        if not self.rows:
            return Selection(())
        low, high = self._selected_rows()
        return Selection(self.rows[low : high + 1])

    @property
    def cursor_ref(self) -> VerseRef | None:
        return self.rows[self.cursor] if self.rows else None

    @property
    def first_visible_ref(self) -> VerseRef | None:
        """The first verse whose text shows at the top of the view."""
        if self._layout is None:
            return None
        top = round(self.scroll_y)
        for row, (_first, last) in enumerate(self._layout.row_lines):
            if last >= top:
                return self.rows[row]
        return None

    def _row_of(self, ref: VerseRef) -> int:
        for index, candidate in enumerate(self.rows):
            if candidate >= ref:
                return index
        return max(len(self.rows) - 1, 0)

    def _selected_rows(self) -> tuple[int, int]:
        """First and last row of the selection (the cursor's alone when nothing is marked)."""
        anchor = self.cursor if self.selection_anchor is None else self.selection_anchor
        return min(self.cursor, anchor), max(self.cursor, anchor)

    def move_cursor(self, row: int, *, extend: bool = False) -> None:
        """Put the cursor on a row; with `extend`, grow the selection from the anchor."""
        if not self.rows:
            return
        if extend and self.selection_anchor is None:
            self.selection_anchor = self.cursor
        self.cursor = max(0, min(row, len(self.rows) - 1))
        self.refresh()
        self._reveal_cursor()
        self._announce()

    def select(self, selection: VerseRange) -> None:
        """Select a range of verses of this chapter."""
        self.selection_anchor = self._row_of(selection.start)
        self.move_cursor(self._row_of(selection.end), extend=True)

    def _reveal_cursor(self, *, centre: bool = False) -> None:
        if self._layout is None or not self.rows or not self._sized:
            return  # (the first Resize reveals it)
        first, last = self._layout.row_lines[self.cursor]
        region = Region(0, first, 1, last - first + 1)
        self.scroll_to_region(region, animate=False, center=centre, immediate=True)

    def action_cursor(self, step: int) -> None:
        if not self.extending:
            self.selection_anchor = None
        self.move_cursor(self.cursor + step, extend=self.extending)

    def action_extend(self, step: int) -> None:
        self.move_cursor(self.cursor + step, extend=True)

    def action_toggle_range(self) -> None:
        """Start a range at the cursor (j/k then extend it), or drop the range."""
        self.extending = not self.extending
        self.selection_anchor = self.cursor if self.extending else None
        self.refresh()
        self._announce()

    def action_clear_range(self) -> None:
        if self.selection_anchor is None:
            raise SkipAction()  # nothing selected: let the screen use escape
        self.selection_anchor = None
        self.extending = False
        self.refresh()
        self._announce()

    def action_page(self, direction: int) -> None:
        height = self.scrollable_content_region.height
        self.scroll_to(y=self.scroll_y + direction * max(height - 2, 1), animate=False)
        self.call_after_refresh(self._cursor_into_view)

    def action_edge(self, which: int) -> None:
        if not self.extending:
            self.selection_anchor = None
        self.move_cursor(0 if which == 0 else len(self.rows) - 1, extend=self.extending)

    def _cursor_into_view(self) -> None:
        """After paging, keep the cursor on a verse that is on screen."""
        if self._layout is None or not self.rows:
            return
        top, bottom = round(self.scroll_y), round(self.scroll_y) + self.size.height - 1
        first, last = self._layout.row_lines[self.cursor]
        if last < top or first > bottom:
            ref = self.first_visible_ref
            if ref is not None:
                self.selection_anchor = None
                self.cursor = self._row_of(ref)
                self.refresh()
                self._announce()

    def on_click(self, event: events.Click) -> None:
        if self._layout is None:
            return
        offset = event.get_content_offset(self)
        if offset is None:
            return
        line = offset.y + round(self.scroll_y)
        row = self._layout.row_at(line, offset.x - self._margin())
        if row is not None:
            if not event.shift:
                self.selection_anchor = None
                self.extending = False
            self.move_cursor(row, extend=event.shift)
