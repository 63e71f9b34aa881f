"""The chapter on screen: flowing text (or two translations side by side) with a verse cursor.

A Line API widget: `text_layout` turns the passage into lines of runs once per chapter and
width, and `render_line` paints only the visible lines, so turning a page or moving the
cursor costs a few hundred segments, not a re-layout of the chapter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from verse_tui.domain.bible import Passage, VerseRange, VerseRef
from verse_tui.domain.user import HIGHLIGHT_COLORS
from verse_tui.tui.reading import text_layout
from verse_tui.tui.reading.text_layout import NO_MARKS, NO_STUDY, Kind, Layout, Marks, StudyText
from verse_tui.tui.reading.verse_cursor import Selection, VerseCursor

HIGHLIGHT_COLOURS = HIGHLIGHT_COLORS
"""The highlight colours offered; each has a `chapter--highlight-<colour>` component style."""


@dataclass(frozen=True, slots=True)
class _Paint:
    """What every line of one paint shares."""

    base: Style
    width: int
    margin: int
    low: int  # the selected rows (-1 when there is no range)
    high: int
    cursor: int  # the cursor row, -1 when the view has no focus


OPENS_A_BOX = {"g": "goto", "colon": "goto", "slash": "search"}
"""Keys of the reading screen whose box must have the keys typed after them."""


class ChapterView(VerseCursor, can_focus=True):
    """Shows one passage (or two aligned) and a cursor over its verses."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor(1)", "Next verse", show=False),
        Binding("k,up", "cursor(-1)", "Previous verse", show=False),
        Binding("J,shift+down", "extend(1)", "Extend selection down", show=False),
        Binding("K,shift+up", "extend(-1)", "Extend selection up", show=False),
        Binding("v", "toggle_range", "Select a range", show=False),
        Binding("escape", "clear_range", "Clear selection", show=False),
        Binding("space,pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home", "edge(0)", "First verse", show=False),
        Binding("end", "edge(-1)", "Last verse", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "chapter--number",
        "chapter--supplied",
        "chapter--omitted",
        "chapter--marker",
        "chapter--heading",
        "chapter--title",
        "chapter--paragraph",
        "chapter--strongs",
        "chapter--cursor",
        "chapter--selection",
        *(f"chapter--highlight-{colour}" for colour in HIGHLIGHT_COLOURS),
    }

    DEFAULT_CSS = """
    ChapterView {
        scrollbar-gutter: stable;
        overflow-x: hidden;
        & > .chapter--number { color: $accent; text-style: bold; }
        & > .chapter--supplied { text-style: italic; }
        & > .chapter--omitted { color: $text-muted; text-style: italic; }
        & > .chapter--marker { color: $warning; }
        & > .chapter--heading { color: $primary; text-style: bold underline; }
        & > .chapter--title { color: $text-muted; text-style: italic; }
        & > .chapter--paragraph { color: $text-muted; }
        & > .chapter--strongs { color: $text-muted; }
        & > .chapter--cursor { background: $accent 25%; }
        & > .chapter--selection { background: $primary 35%; }
        & > .chapter--highlight-yellow { background: #e6c200 30%; }
        & > .chapter--highlight-green { background: #2ea043 30%; }
        & > .chapter--highlight-blue { background: #388bfd 30%; }
        & > .chapter--highlight-pink { background: #db61a2 30%; }
        & > .chapter--highlight-purple { background: #a371f7 30%; }
    }
    """

    class CursorMoved(Message):
        """The cursor or the selection changed; `selection` holds the selected verses."""

        def __init__(self, view: ChapterView, selection: Selection, *, by_user: bool) -> None:
            super().__init__()
            self.view = view
            self.selection = selection
            self.by_user = by_user  # False when a new chapter was shown

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.passage: Passage | None = None
        self.parallel_passage: Passage | None = None
        self.marks: Marks = NO_MARKS
        self.study: StudyText = NO_STUDY
        self.rows: tuple[VerseRef, ...] = ()
        self.cursor = 0
        self.selection_anchor: int | None = None  # not `anchor`: Widget.anchor() exists
        self.extending = False  # after `v`: cursor moves grow the selection
        self._layout: Layout | None = None
        self._layout_width = -1
        self._row_colours: list[str | None] = []
        self._styles: dict[tuple[object, ...], Style] = {}
        self._paint: _Paint | None = None
        self._sized = False  # True once the first Resize has given the view its size

    # -- what it shows -------------------------------------------------------------------

    def show(
        self,
        passage: Passage,
        parallel: Passage | None = None,
        *,
        cursor: VerseRef | None = None,
        selection: VerseRange | None = None,
        marks: Marks = NO_MARKS,
        study: StudyText = NO_STUDY,
    ) -> None:
        """Show a chapter, with the cursor on `cursor` (or the first verse) and no scrolling."""
        self.passage, self.parallel_passage, self.marks = passage, parallel, marks
        self.study = study
        if parallel is None:
            self.rows = tuple(verse.ref for verse in passage.verses)
        else:
            self.rows = tuple(text_layout.parallel_rows(passage, parallel))
        self.selection_anchor = None
        self.extending = False
        self.cursor = self._row_of(cursor) if cursor else 0
        if selection is not None:
            self.selection_anchor = self._row_of(selection.start)
            self.cursor = self._row_of(selection.end)
        self._relayout()
        if self._sized:  # before the first layout there is nothing to scroll
            self.scroll_to(y=0, animate=False, immediate=True)
        self._reveal_cursor(centre=cursor is not None)
        self._announce(by_user=False)

    def set_marks(self, marks: Marks) -> None:
        """Replace the highlights, bookmarks and notes shown (no change of position)."""
        self.marks = marks
        self._relayout()

    def set_study(self, study: StudyText) -> None:
        """Replace the titles, paragraphs and Strong's numbers shown; the cursor verse stays
        on screen."""
        if study == self.study:
            return
        self.study = study
        self._relayout()
        self._reveal_cursor()

    # -- layout and painting -------------------------------------------------------------

    def _relayout(self) -> None:
        colours = self.marks.highlights
        self._row_colours = (
            [
                colour if (colour := colours.get(ref)) in HIGHLIGHT_COLOURS else None
                for ref in self.rows
            ]
            if colours
            else [None] * len(self.rows)
        )
        self._styles.clear()
        width = self.scrollable_content_region.width or self._expected_width()
        self._layout_width = width
        if self.passage is None:
            self._layout = None
            self.virtual_size = Size(width, 0)
        elif self.parallel_passage is None:
            self._layout = text_layout.flow(self.passage, width, self.marks, self.study)
        else:
            self._layout = text_layout.parallel(
                self.passage, self.parallel_passage, width, self.marks, self.study
            )
        if self._layout is not None:
            self.virtual_size = Size(width, len(self._layout.lines) + 1)
        self.refresh()

    def _expected_width(self) -> int:
        """Before its first layout: the width the view will have across the whole screen.

        Laying the text out now puts it in the very first frame; if the guess is wrong, the
        first Resize lays it out again.
        """
        padding = self.styles.padding
        gutter = self.styles.scrollbar_size_vertical
        return max(self.app.size.width - padding.left - padding.right - gutter, 20)

    async def on_key(self, event: events.Key) -> None:
        """Keys that open a box take effect here, before the keys queued behind them (the
        terminal delivers "g" and a reference in one read); those then belong to the newly
        focused box, not to the reader's bindings ("n" would turn the page): pass them on,
        in order."""
        focused = self.screen.focused
        if focused is not None and focused is not self:
            event.stop()
            event.prevent_default()
            focused.post_message(events.Key(event.key, event.character))
        elif event.key in OPENS_A_BOX:
            event.stop()
            event.prevent_default()
            await self.screen.run_action(OPENS_A_BOX[event.key])

    def on_resize(self, event: events.Resize) -> None:
        first_size = not self._sized
        self._sized = True
        if self.scrollable_content_region.width != self._layout_width:
            self._relayout()
        elif not first_size:
            return
        self._reveal_cursor(centre=first_size and self.cursor > 0)

    def _margin(self) -> int:
        if self._layout is None:
            return 0
        return max((self.scrollable_content_region.width - self._layout.width) // 2, 0)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def render_lines(self, crop: Region) -> list[Strip]:
        """Work out once per paint what every line needs, then paint the lines."""
        low, high = self._selected_rows()
        self._paint = _Paint(
            base=self.rich_style,
            width=self.scrollable_content_region.width,
            margin=self._margin(),
            low=low if self.selection_anchor is not None else -1,
            high=high if self.selection_anchor is not None else -1,
            cursor=self.cursor if self.has_focus else -1,
        )
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        paint = self._paint
        layout = self._layout
        line_number = y + round(self.scroll_y)
        if paint is None or layout is None or line_number >= len(layout.lines):
            width = self.scrollable_content_region.width
            return Strip.blank(width, self.rich_style)
        segments = [Segment(" " * paint.margin, paint.base)]
        text: list[str] = []
        style: Style | None = None
        for run in layout.lines[line_number].runs:  # adjacent runs of one style: one segment
            run_style = self._style_of(run, paint)
            if run_style is not style and text:
                segments.append(Segment("".join(text), style))
                text = []
            style = run_style
            text.append(run.text)
        if text:
            segments.append(Segment("".join(text), style))
        return Strip(segments).adjust_cell_length(paint.width, paint.base)

    def _style_of(self, run: text_layout.Run, paint: _Paint) -> Style:
        """The style of a run: its kind, then highlight, selection and cursor on top."""
        row = run.row
        kind = Kind.TEXT if run.kind is Kind.SPACE else run.kind  # same look: one segment
        if row < 0:
            key: tuple[object, ...] = (kind,)
        else:
            selected = paint.low <= row <= paint.high
            key = (kind, self._row_colours[row], selected, row == paint.cursor)
        style = self._styles.get(key)
        if style is None:
            style = self._styles[key] = self._compose_style(key, paint.base)
        return style

    def _compose_style(self, key: tuple[object, ...], base: Style) -> Style:
        kind = key[0]
        style = base
        if isinstance(kind, Kind) and kind is not Kind.TEXT and kind is not Kind.SPACE:
            style = base + self.get_component_rich_style(f"chapter--{kind.value}")
        if len(key) == 1:
            return style
        _, colour, selected, cursor = key
        if colour is not None:
            style += self.get_component_rich_style(f"chapter--highlight-{colour}", partial=True)
        if selected:
            style += self.get_component_rich_style("chapter--selection", partial=True)
        elif cursor:
            style += self.get_component_rich_style("chapter--cursor", partial=True)
        return style

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def _announce(self, *, by_user: bool = True) -> None:
        self.post_message(self.CursorMoved(self, self.selection, by_user=by_user))
