"""Choose a translation from those installed."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from verse_tui.tui.host import verse_app
from verse_tui.tui.styles import MODALS_CSS
from verse_tui.tui.worker_errors import ServiceCalls

OFF = "-"


class TranslationPicker(ServiceCalls, ModalScreen[str | None]):
    """Returns the chosen translation code, "" for "none" (parallel view off), None if cancelled."""

    CSS_PATH = MODALS_CSS

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, current: str) -> None:
        super().__init__(classes="picker")
        self._title = title
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self._title, classes="dialog-title", markup=False)
            yield OptionList(id="translations")
            yield Static("Enter: choose · Esc: cancel", classes="dialog-help")

    def on_mount(self) -> None:
        self._load()

    @work(
        exclusive=True,
        group="translations",
        name="list-translations",
        exit_on_error=False,
        description="Listing translations",
    )
    async def _load(self) -> None:
        translations = await verse_app(self).bible.translations()
        options = self.query_one(OptionList)
        options.add_options(Option(f"{t.code:<5} {t.name}", id=t.code) for t in translations)
        codes = [t.code for t in translations]
        options.highlighted = codes.index(self._current) if self._current in codes else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
