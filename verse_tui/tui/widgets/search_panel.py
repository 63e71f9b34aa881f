"""The search panel: a query box, the total count, results with their verse, more on demand."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option

from verse_tui.bible.references import format_range
from verse_tui.domain.bible import SearchHit, SearchPage, VerseRange, VerseRef
from verse_tui.errors import VerseError
from verse_tui.tui.worker_errors import ServiceCalls

PAGE_SIZE = 25
MORE = "more"
WORDS_PLACEHOLDER = 'words, "a phrase", faith*, AND/OR/NOT'
MEANING_PLACEHOLDER = "what the verse says, e.g. do not worry about tomorrow"


def hit_prompt(hit: SearchHit) -> Text:
    """The verse reference, then the verse with the matched words marked."""
    ref = hit.verse.ref
    text = Text(format_range(VerseRange(ref, ref)), style="bold")
    text.append("\n")
    marked = hit.snippet.replace("[", "").replace("]", "")
    for index, piece in enumerate(marked.replace("»", "«").split("«")):
        text.append(piece, style="reverse" if index % 2 else "")
    return text


class SearchPanel(ServiceCalls, Vertical):
    """Searches the current translation; choosing a result opens it in the reader."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("ctrl+t", "toggle_meaning", "Words/meaning"),
    ]

    DEFAULT_CSS = """
    SearchPanel {
        dock: right;
        width: 48;
        display: none;
        border-left: vkey $primary;
        background: $surface;
        &.-open { display: block; }
        & > #search-summary { height: auto; padding: 0 1; color: $text-muted; }
        & > #search-meaning { margin: 0 1; }
        & > OptionList { height: 1fr; border: none; }
        & > OptionList > .option-list--option { padding: 0 1 1 1; }
    }
    """

    class HitChosen(Message):
        """A result was chosen: open this verse."""

        def __init__(self, ref: VerseRef) -> None:
            super().__init__()
            self.ref = ref

    class Closed(Message):
        """The panel was closed."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._page: SearchPage | None = None
        self._hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        yield Input(placeholder=WORDS_PLACEHOLDER, id="search-input")
        yield Checkbox("By meaning (ctrl+t)", id="search-meaning", compact=True)
        yield Static("Type words and press Enter.", id="search-summary", markup=False)
        yield OptionList(id="search-results")

    @property
    def results(self) -> OptionList:
        return self.query_one("#search-results", OptionList)

    @property
    def summary(self) -> Static:
        return self.query_one("#search-summary", Static)

    @property
    def by_meaning(self) -> bool:
        """True when the panel searches by meaning rather than by words."""
        return self.query_one("#search-meaning", Checkbox).value

    def action_toggle_meaning(self) -> None:
        self.query_one("#search-meaning", Checkbox).toggle()

    @on(Checkbox.Changed, "#search-meaning")
    def _mode_changed(self, event: Checkbox.Changed) -> None:
        """Switch the placeholder and run the typed query again in the new mode."""
        event.stop()
        query_box = self.query_one("#search-input", Input)
        query_box.placeholder = MEANING_PLACEHOLDER if event.value else WORDS_PLACEHOLDER
        query_box.focus()
        if query_box.value.strip():
            self._start(query_box.value.strip())

    def open(self) -> None:
        self.add_class("-open")
        # At once, not after the queued events: the keys typed right after "/" (see
        # `ChapterView.on_key`) are the query.
        self.screen.set_focus(self.query_one("#search-input", Input))

    def action_close(self) -> None:
        self.remove_class("-open")
        self.post_message(self.Closed())

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self._start(event.value.strip())

    def _start(self, query: str) -> None:
        self.results.clear_options()
        self._hits = []
        self.summary.update("Searching…")
        self.search(query, 0)

    @work(
        exclusive=True, group="search", name="search", exit_on_error=False, description="Searching"
    )
    async def search(self, query: str, offset: int) -> None:
        translation = self.screen.translation  # type: ignore[attr-defined]
        try:
            if self.by_meaning:
                page = await self.app.bible.search_meaning(  # type: ignore[attr-defined]
                    query, translation, limit=PAGE_SIZE
                )
            else:
                page = await self.app.bible.search(  # type: ignore[attr-defined]
                    query, translation, limit=PAGE_SIZE, offset=offset
                )
        except VerseError as error:  # a bad query, or missing meaning-search data
            self.summary.update(error.message)
            return
        self._show_page(page)

    def _show_page(self, page: SearchPage) -> None:
        self._page = page
        results = self.results
        if results.option_count and results.get_option_at_index(-1).id == MORE:
            results.remove_option(MORE)
        first_new = len(self._hits)
        self._hits.extend(page.hits)
        results.add_options(
            Option(hit_prompt(hit), id=str(first_new + index))
            for index, hit in enumerate(page.hits)
        )
        remaining = page.total - len(self._hits)
        if remaining > 0:
            results.add_option(None)
            results.add_option(Option(Text(f"More… ({remaining} left)", style="italic"), id=MORE))
        self.summary.update(self._summary_text(page))
        if page.hits:
            ids = [results.get_option_at_index(i).id for i in range(results.option_count)]
            results.highlighted = ids.index(str(first_new))
            results.focus()

    def _summary_text(self, page: SearchPage) -> str:
        if page.hits and page.hits[0].score is not None:
            return f"The {len(page.hits)} verses of the {page.translation} closest in meaning."
        if page.total == 0:
            return f"No verses in the {page.translation} match {page.query!r}."
        plural = "verse" if page.total == 1 else "verses"
        return f"{page.total} {plural} in the {page.translation}; showing {len(self._hits)}."

    @on(OptionList.OptionSelected, "#search-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == MORE and self._page is not None:
            self.search(self._page.query, len(self._hits))
        elif event.option.id is not None:
            self.post_message(self.HitChosen(self._hits[int(event.option.id)].verse.ref))
