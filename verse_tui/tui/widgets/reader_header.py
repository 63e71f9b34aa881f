"""The line above the chapter: what is shown (reference, translations) and what is selected.

Painted by `render` (no child widgets), so changing it repaints one line without a re-layout
of the screen: it changes on every page turn and cursor move.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget


class ReaderHeader(Widget):
    """Reference and translation on the left; the selection on the right."""

    DEFAULT_CSS = """
    ReaderHeader {
        height: 1;
        dock: top;
        background: $panel;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = ""
        self.status = ""

    def show_title(self, reference: str, translations: str) -> None:
        self.title = f"{reference} · {translations}"
        self.refresh()

    def show_status(self, text: str) -> None:
        self.status = text
        self.refresh()

    def render(self) -> Text:
        width = self.content_region.width
        gap = max(width - cell_len(self.title) - cell_len(self.status), 1)
        text = Text(self.title, style="bold", no_wrap=True, overflow="ellipsis")
        text.append(" " * gap)
        text.append(self.status, style="dim")
        return text
