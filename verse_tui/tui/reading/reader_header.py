"""The line above the chapter: what is shown, what is selected, and the app's places.

Painted by `render` (no child widgets), so changing it repaints one line without a re-layout
of the screen: it changes on every page turn and cursor move. The places (Reading, Chat,
Insights) at the right are clickable, like their keys (F2-F4).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widget import Widget

from verse_tui.tui import modes
from verse_tui.tui.host import verse_app


class ReaderHeader(Widget):
    """Reference and translation on the left; the selection and the places on the right."""

    DEFAULT_CSS = """
    ReaderHeader {
        height: 1;
        dock: top;
        background: $panel;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None, current: str = "reading") -> None:
        super().__init__(id=id)
        self.title = ""
        self.status = ""
        self.current = current
        self._place_spans: list[tuple[int, int, str]] = []

    def show_title(self, reference: str, translations: str) -> None:
        self.title = f"{reference} · {translations}"
        self.refresh()

    def show_status(self, text: str) -> None:
        self.status = text
        self.refresh()

    def _places(self) -> Text:
        text = Text()
        for place in modes.PLACES:
            style = "bold reverse" if place.name == self.current else "dim"
            text.append(f" {place.title} ", style=style)
        return text

    def render(self) -> Text:
        width = self.content_region.width
        places = self._places()
        status = self.status
        room = width - cell_len(self.title) - places.cell_len - 3
        if cell_len(status) > room:
            status = ""
        gap = max(width - cell_len(self.title) - cell_len(status) - places.cell_len - 2, 1)
        text = Text(self.title, style="bold", no_wrap=True, overflow="ellipsis")
        text.append(" " * gap)
        text.append(status, style="dim")
        text.append("  ")
        start = text.cell_len
        self._place_spans = []
        for place in modes.PLACES:
            end = start + cell_len(place.title) + 2
            self._place_spans.append((start, end, place.name))
            start = end
        text.append_text(places)
        return text

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        for start, end, name in self._place_spans:
            if start <= offset.x < end:
                verse_app(self).action_open_place(name)
                return
