"""The concordance of one Strong's number: every KJV verse where it stands behind the English,
its words marked; enter on a verse opens it in the reader. Opened from the word card."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from verse_tui.bible.references import format_range
from verse_tui.domain.bible import VerseRange, VerseRef
from verse_tui.domain.lexicon import Concordance, ConcordanceHit, StrongsEntry
from verse_tui.errors import VerseError
from verse_tui.tui.host import study_library

if TYPE_CHECKING:
    from verse_tui.services.study_library import StudyService

PAGE = 2000  # every verse of even the commonest numbers (H3068: 6,500) in a few pages


def hit_line(hit: ConcordanceHit) -> Content:
    """ "Reference  text" with this number's words in bold (marked «…» in the snippet)."""
    parts: list[str | tuple[str, str]] = [f"{format_range(VerseRange(hit.ref, hit.ref))}  "]
    for index, piece in enumerate(hit.snippet.replace("»", "«").split("«")):
        parts.append((piece, "bold $accent") if index % 2 else piece)
    return Content.assemble(*parts)


class ConcordanceScreen(ModalScreen[VerseRef | None]):
    """The verses of a Strong's number; dismissed with the chosen verse (or None)."""

    CSS_PATH = "../styles/study.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(self, entry: StrongsEntry) -> None:
        super().__init__(classes="picker")
        self.entry = entry
        self.page: Concordance | None = None

    def compose(self) -> ComposeResult:
        e = self.entry
        title = f"{e.number} {e.lemma} ({e.transliteration}) · in {e.verses} KJV verses"
        with Vertical(classes="dialog", id="concordance-dialog"):
            yield Static(title, classes="dialog-title", markup=False)
            yield OptionList(id="concordance-list")
            yield Static("↑/↓: choose · enter: read it · esc: close", classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._load()

    @property
    def study(self) -> StudyService:
        return study_library(self)

    @work(
        exclusive=True,
        group="concordance",
        name="concordance",
        exit_on_error=False,
        description="Finding the verses",
    )
    async def _load(self) -> None:
        try:
            page = await self.study.concordance(self.entry.number, limit=PAGE)
        except VerseError as error:
            self.notify(error.message, severity="error", timeout=6)
            return
        options = self.query_one(OptionList)
        options.add_options(Option(hit_line(hit), id=hit.osis) for hit in page.hits)
        options.highlighted = 0 if page.hits else None
        self.page = page

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if self.page is not None:
            self.dismiss(self.page.hits[event.option_index].ref)
