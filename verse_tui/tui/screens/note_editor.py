"""Write or edit the note on the selected verses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea

from verse_tui.tui.styles import MODALS_CSS


@dataclass(frozen=True, slots=True)
class NoteResult:
    text: str
    delete: bool = False


class NoteEditor(ModalScreen[NoteResult | None]):
    """Returns the note text (or a deletion), or None if cancelled."""

    CSS_PATH = MODALS_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(self, reference: str, text: str, quote: str = "") -> None:
        super().__init__(classes="picker")
        self._reference = reference
        self._text = text
        self._quote = quote if len(quote) <= 280 else quote[:279].rstrip() + "…"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="note-dialog"):
            title = f"{'Edit the' if self._text else 'A'} note on {self._reference}"
            yield Static(title, classes="dialog-title", markup=False)
            if self._quote:
                yield Static(self._quote, id="note-quote", markup=False)
            yield TextArea(self._text, id="note-text", soft_wrap=True, show_line_numbers=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                if self._text:
                    yield Button("Delete", id="delete", variant="error")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(NoteResult(self.query_one(TextArea).text))

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#delete")
    def _delete(self) -> None:
        self.dismiss(NoteResult("", delete=True))

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
