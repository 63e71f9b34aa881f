"""Pick one of the verse references cited in a chat, to open it in the reader (no mouse)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from verse_tui.domain.bible import VerseRange


class ReferencePicker(ModalScreen[VerseRange | None]):
    """Lists references (newest reply first); enter opens one in the reader."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(self, references: list[tuple[str, VerseRange]]) -> None:
        super().__init__(classes="picker")
        self._references = references

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Open a reference in the reader", classes="dialog-title")
            yield OptionList(
                *(Option(label, id=str(n)) for n, (label, _) in enumerate(self._references)),
                id="reference-options",
            )
            yield Static("Enter: open · Esc: close", classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._references[int(event.option.id or 0)][1])
