"""The study panel: the commentary and Nave's topics for the selected verses, offline.

Opened (and closed) with `m` in the reader; `c` switches between Matthew Henry and, in the
Psalms, the Treasury of David. The text comes from `StudyService` in a named worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from verse_tui.bible.references import format_range
from verse_tui.domain.bible import Reference, VerseRange
from verse_tui.errors import VerseError
from verse_tui.tui.host import study_library
from verse_tui.tui.study.study_text import commentary_text, next_source, topics_text

if TYPE_CHECKING:
    from verse_tui.services.study_library import StudyService

HELP = "c: other commentary (Psalms) · ↑/↓ pgup/pgdn: scroll · m/esc: close"


class StudyPanel(ModalScreen[None]):
    """Commentary and topics for a range of verses."""

    CSS_PATH = "../styles/study.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "switch_source", "Other commentary"),
        Binding("m,escape", "dismiss", "Close"),
    ]

    def __init__(self, selection: VerseRange, source: str = "mhcc") -> None:
        super().__init__(classes="picker")
        self.selection = selection
        self.source = source
        self.loaded = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="study-dialog"):
            yield Static(f"Study · {format_range(self.selection)}", classes="dialog-title")
            yield Static("", id="study-topics", markup=False)
            with VerticalScroll(id="study-scroll"):
                yield Static("Opening the commentary…", id="study-commentary", markup=False)
            yield Static(HELP, classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one("#study-scroll").focus()
        self._load()

    @property
    def study(self) -> StudyService:
        return study_library(self)

    @work(
        exclusive=True,
        group="study-panel",
        name="study-panel",
        exit_on_error=False,
        description="Reading the commentary and topics",
    )
    async def _load(self) -> None:
        reference = Reference((self.selection,))
        try:
            commentary = await self.study.commentary(reference, self.source)
            topics = await self.study.topics_of(reference)
        except VerseError as error:
            self.query_one("#study-commentary", Static).update(error.message)
            return
        self.query_one("#study-topics", Static).update(topics_text(topics))
        self.query_one("#study-commentary", Static).update(commentary_text(commentary))
        self.query_one("#study-scroll", VerticalScroll).scroll_home(animate=False)
        self.loaded = True

    def action_switch_source(self) -> None:
        source = next_source(self.source, self.selection.start.book)
        if source == self.source:
            self.notify("The Treasury of David covers the Psalms only.", timeout=4)
            return
        self.source, self.loaded = source, False
        self._load()
