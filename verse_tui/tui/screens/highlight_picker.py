"""Choose a highlight colour for the selected verses (or remove their highlight)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from verse_tui.domain.user import HIGHLIGHT_COLORS
from verse_tui.tui.styles import MODALS_CSS

REMOVE = ""


class HighlightPicker(ModalScreen[str | None]):
    """Returns a colour, "" to remove the highlight, or None if cancelled."""

    CSS_PATH = MODALS_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("x,delete", "dismiss('')", "Remove"),
        *(
            Binding(str(index), f"dismiss('{colour}')", colour.title(), show=False)
            for index, colour in enumerate(HIGHLIGHT_COLORS, start=1)
        ),
    ]

    def __init__(self, reference: str) -> None:
        super().__init__(classes="picker")
        self._reference = reference

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"Highlight {self._reference}", classes="dialog-title", markup=False)
            with Horizontal(id="colours"):
                for index, colour in enumerate(HIGHLIGHT_COLORS, start=1):
                    yield Button(f"{index} {colour}", id=f"colour-{colour}", classes=colour)
                yield Button("x remove", id="colour-remove", variant="error")
            yield Static("1-5: colour · x: remove · Esc: cancel", classes="dialog-help")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        name = (event.button.id or "").removeprefix("colour-")
        self.dismiss(REMOVE if name == "remove" else name)
