"""The line above the chapter: what is shown (reference, translations) and what is selected."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static


class ReaderHeader(Horizontal):
    """Reference and translation on the left; selection and library status on the right."""

    DEFAULT_CSS = """
    ReaderHeader {
        height: 1;
        dock: top;
        background: $panel;
        & > #reader-title { width: 1fr; text-style: bold; padding: 0 1; }
        & > #reader-status { width: auto; color: $text-muted; padding: 0 1; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="reader-title", markup=False)
        yield Static(id="reader-status", markup=False)

    def show_title(self, reference: str, translations: str) -> None:
        self.query_one("#reader-title", Static).update(f"{reference} · {translations}")

    def show_status(self, text: str) -> None:
        self.query_one("#reader-status", Static).update(text)
