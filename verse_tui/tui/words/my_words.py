"""My words: the definitions the user saved, newest first; enter shows one, d deletes it."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.markdown import Markdown as RichMarkdown
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from verse_tui.domain.study import SavedWord
from verse_tui.domain.text import terminal_safe
from verse_tui.tui.host import services
from verse_tui.tui.words.definition_text import full_text, summary
from verse_tui.tui.worker_errors import ServiceCalls

if TYPE_CHECKING:
    from verse_tui.services.definitions import DefinitionService


class MyWordsScreen(ServiceCalls, ModalScreen[None]):
    """The saved word list."""

    CSS_PATH = "../styles/words.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("d,delete", "delete", "Delete"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="picker")
        self.words: tuple[SavedWord, ...] = ()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="words-dialog"):
            yield Static("My words", classes="dialog-title")
            yield OptionList(id="words-list")
            with VerticalScroll(id="words-detail"):
                yield Static(id="word-detail")
            yield Static("↑/↓: choose · d: delete · esc: close", classes="dialog-help")

    @property
    def definitions(self) -> DefinitionService:
        return services(self).definitions

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.load()

    @work(
        exclusive=True,
        group="words",
        name="list-words",
        exit_on_error=False,
        description="Loading your words",
    )
    async def load(self) -> None:
        self.words = await self.definitions.list_definitions()
        options = self.query_one(OptionList)
        options.clear_options()
        if not self.words:
            options.add_option(
                Option(
                    "No saved words yet: in the reader press w, pick a word, then s.", disabled=True
                )
            )
            self.query_one("#word-detail", Static).update("")
            return
        options.add_options(Option(summary(w.definition), id=str(w.id)) for w in self.words)
        options.highlighted = 0

    @on(OptionList.OptionHighlighted)
    def _show(self, event: OptionList.OptionHighlighted) -> None:
        word = self._word(event.option.id)
        if word is not None:
            detail = terminal_safe(full_text(word.definition), multiline=True)
            self.query_one("#word-detail", Static).update(RichMarkdown(detail))

    def _word(self, option_id: str | None) -> SavedWord | None:
        return next((w for w in self.words if str(w.id) == option_id), None)

    def action_delete(self) -> None:
        from verse_tui.tui.dialogs import confirm_then

        option = self.query_one(OptionList).highlighted_option
        word = self._word(option.id if option else None)
        if word is None:
            return
        question = f"Remove “{word.definition.word}” ({word.definition.reference}) from My words?"
        confirm_then(self.app, "Delete a word", question, lambda: self._delete(word.id))

    @work(
        group="words-writes",
        name="delete-word",
        exit_on_error=False,
        description="Deleting the word",
    )
    async def _delete(self, saved_id: int) -> None:
        await self.definitions.delete_definition(saved_id)
        self.load()
