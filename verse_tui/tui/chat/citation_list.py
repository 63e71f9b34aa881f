"""The citations of a chat, each with the real text of its verse (ctrl+t, or a click on a
mark): reference, quoted words, verdict, similarity and the shipped translation's words.
Enter opens the verse in the reader."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from verse_tui.bible.canon import range_of_osis
from verse_tui.domain.bible import VerseRange
from verse_tui.domain.citations import Citation
from verse_tui.tui.chat.citation_marks import citation_detail, text_wanted
from verse_tui.tui.chat.citation_view import CITATIONS_KEY, CitationView, VerseTexts
from verse_tui.tui.host import verse_app
from verse_tui.tui.worker_errors import ServiceCalls

Entry = tuple[int, int, Citation]  # message id, index in its reply, the citation


class CitationList(ServiceCalls, ModalScreen[VerseRange | None]):
    """Lists checked citations (newest reply first); enter opens one's verse in the reader."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Close")]
    DEFAULT_CSS = """
    CitationList .dialog { width: 100; }
    CitationList OptionList { height: auto; max-height: 30; }
    """

    def __init__(
        self, entries: list[Entry], texts: VerseTexts, translation: str, chosen: int = 0
    ) -> None:
        super().__init__(classes="picker")
        self._entries = entries
        self._texts = texts
        self._translation = translation
        self._chosen = chosen

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Citations checked against the text", classes="dialog-title")
            yield OptionList(
                *(Option(self._prompt(c), id=str(n)) for n, (_, _, c) in enumerate(self._entries)),
                id="citation-options",
            )
            yield Static("Enter: open the verse in the reader · Esc: close", classes="dialog-help")

    @property
    def options(self) -> OptionList:
        return self.query_one(OptionList)

    def on_mount(self) -> None:
        self.options.focus()
        self.options.highlighted = self._chosen
        self._read_texts()

    def _prompt(self, citation: Citation) -> Content:
        wanted = text_wanted(citation, self._translation)
        real = citation.text if wanted is None else self._texts.known(wanted)
        return Content(citation_detail(citation, real, self._translation))

    @work(
        exclusive=True,
        group="citation-list",
        name="citation-texts",
        exit_on_error=False,
        description="Reading the cited verses",
    )
    async def _read_texts(self) -> None:
        """Read the verses not read yet, then show each entry with its text."""
        bible = verse_app(self).bible
        for n, (_, _, citation) in enumerate(self._entries):
            wanted = text_wanted(citation, self._translation)
            if wanted is not None and not self._texts.has(wanted):
                await self._texts.read(bible, wanted)
                self.options.replace_option_prompt_at_index(n, self._prompt(citation))

    @on(OptionList.OptionSelected)
    def _chosen_option(self, event: OptionList.OptionSelected) -> None:
        citation = self._entries[int(event.option.id or 0)][2]
        osis = citation.reference or citation.found_at
        self.dismiss(range_of_osis(osis) if osis else None)


class ChatCitations(Screen[None]):
    """The chat screen's citations list (a base class of `ChatScreen`): ctrl+t lists every
    checked citation of the chat, a click on a mark lists them from that one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            CITATIONS_KEY,
            "citations",
            "Citations",
            tooltip="Each checked quotation and reference, with the real text of its verse",
        )
    ]

    # Provided by ChatScreen:
    notice: Callable[..., None]
    open_in_reader: Callable[[VerseRange], None]

    def action_citations(self) -> None:
        self.show_citations(None)

    @on(CitationView.CitationClicked)
    def _mark_clicked(self, event: CitationView.CitationClicked) -> None:
        self.show_citations((event.message_id, event.index))

    def show_citations(self, chosen: tuple[int, int] | None) -> None:
        """The list, from the citation `chosen` (message id, index) or the newest reply's."""
        log = self.query_one(CitationView)  # the chat log
        entries = list(log.all_citations())
        if not entries:
            self.notice("No citations checked in this chat yet.")
            return
        at = next((n for n, (m, i, _) in enumerate(entries) if (m, i) == chosen), 0)

        def picked(rng: VerseRange | None) -> None:
            if rng is not None:
                self.open_in_reader(rng)

        screen = CitationList(entries, log.verse_texts, log.default_translation, at)
        self.app.push_screen(screen, picked)
