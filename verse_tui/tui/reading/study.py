"""What the study library adds to the reader's text: the KJV's psalm titles, its paragraph
starts and, on request (`x`), its Strong's numbers inline.

A chapter's study data is fetched once, by `StudyService.chapter_words` in a named worker,
and kept in a small cache (the neighbouring chapters are read ahead), so turning a page lays
the text out from memory. Without the study library (not installed, or the user database not
open yet) the text shows as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.screen import Screen

from verse_tui.bible import canon
from verse_tui.domain.lexicon import VerseWords
from verse_tui.errors import VerseError
from verse_tui.tui.reading.passages import ChapterCache
from verse_tui.tui.reading.text_layout import NO_STUDY, StudyText, study_text

if TYPE_CHECKING:
    from verse_tui.tui.reading.screen import ReadingScreen

TAGGED = "KJV"
"""The translation the study library tags with Strong's numbers."""


class ReaderStudyText(Screen[None]):
    """The reader's study text (a base of `ReadingScreen`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "x",
            "toggle_strongs",
            "Strong's numbers",
            show=False,
            tooltip="Show the KJV's Strong's numbers after its words (again: hide them)",
        ),
    ]

    show_strongs = False
    _study_cache: ChapterCache[tuple[VerseWords, ...]] | None = None
    _study_error: str | None = None

    def _study_reader(self) -> ReadingScreen:
        return self  # type: ignore[return-value]

    @property
    def _chapters(self) -> ChapterCache[tuple[VerseWords, ...]]:
        if self._study_cache is None:
            self._study_cache = ChapterCache(size=24)
        return self._study_cache

    def _tagged_shown(self) -> bool:
        reader = self._study_reader()
        return TAGGED in (reader.translation, reader.parallel_translation)

    def study_for(self, book: int, chapter: int) -> StudyText:
        """The study text of a chapter as far as it is known now (NO_STUDY when it is not)."""
        verses = self._chapters.get(TAGGED, book, chapter)
        if verses is None or not self._tagged_shown():
            return NO_STUDY
        return study_text(TAGGED, verses, strongs=self.show_strongs)

    def load_study(self) -> None:
        """Fetch the study data of the chapter on screen (then its neighbours) if needed."""
        if self._tagged_shown() and self._study_service() is not None:
            reader = self._study_reader()
            self._fetch_study(reader.book, reader.chapter)

    def _study_service(self) -> Any:
        services = getattr(self.app, "services", None)
        return getattr(services, "study", None)

    @work(
        exclusive=True,
        group="study-text",
        name="load-study-text",
        exit_on_error=False,
        description="Reading the chapter's titles and Strong's numbers",
    )
    async def _fetch_study(self, book: int, chapter: int) -> None:
        study = self._study_service()
        targets = [(book, chapter)]
        targets += [t for t in (canon.next_chapter(book, chapter),) if t is not None]
        targets += [t for t in (canon.previous_chapter(book, chapter),) if t is not None]
        for target in targets:  # the chapter on screen first: shown before its neighbours
            if (TAGGED, *target) not in self._chapters:
                try:
                    verses = await study.chapter_words(*target)
                except VerseError as error:  # no study library: the plain text stays
                    self._study_error = str(error)
                    return
                self._chapters.put(TAGGED, *target, verses)
            if target == (book, chapter):
                self._apply_study()

    def _apply_study(self) -> None:
        reader = self._study_reader()
        reader.view.set_study(self.study_for(reader.book, reader.chapter))

    def action_toggle_strongs(self) -> None:
        if not self._tagged_shown():
            self.notify(
                "Strong's numbers are tagged in the KJV: press t to read the KJV.", timeout=5
            )
            return
        if self._study_error is not None:
            self.notify(self._study_error, severity="warning", timeout=6)
            return
        self.show_strongs = not self.show_strongs
        self._apply_study()
        if self.show_strongs and self._study_service() is None:
            self.notify("The Strong's numbers show once your library has opened.", timeout=4)
