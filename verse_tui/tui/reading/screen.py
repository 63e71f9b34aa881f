"""The reading screen: one chapter (or two translations side by side) and everything around it.

Navigation lives here; bookmarks, highlights, notes and copying live in `reading_marks`.
Every service call runs in a named worker; chapters already in the cache paint at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen

from verse_tui.bible import canon
from verse_tui.bible.references import format_range, format_reference
from verse_tui.domain.bible import Passage, Reference, VerseRange, VerseRef
from verse_tui.tui.reading.annotations import Annotations
from verse_tui.tui.reading.chapter_view import ChapterView
from verse_tui.tui.reading.goto_bar import GoToBar
from verse_tui.tui.reading.marks import AnnotationActions
from verse_tui.tui.reading.passages import PassageCache
from verse_tui.tui.reading.reader_header import ReaderHeader
from verse_tui.tui.reading.study import ReaderStudyText
from verse_tui.tui.reading.study_actions import ReaderStudyActions
from verse_tui.tui.reading.study_dock import NARROW, ReaderStudyPanel
from verse_tui.tui.widgets.key_bar import KeyBar
from verse_tui.tui.worker_errors import ServiceCalls

if TYPE_CHECKING:
    from collections.abc import Callable

    from verse_tui.tui.app import LibraryReady, VerseApp
    from verse_tui.tui.widgets.search_panel import SearchPanel


class ReadingScreen(
    AnnotationActions,
    ServiceCalls,
    ReaderStudyActions,
    ReaderStudyPanel,
    ReaderStudyText,
    Screen[None],
):
    """Read a chapter; move by verse, chapter and book; search; mark and annotate."""

    HORIZONTAL_BREAKPOINTS = [(0, NARROW), (100, "-wide")]  # noqa: RUF012 (as Screen declares it)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "n,right,right_square_bracket",
            "chapter(1)",
            "Chapter",
            key_display="n/p",
            tooltip="Next chapter",
        ),
        Binding("p,left,left_square_bracket", "chapter(-1)", "Previous chapter", show=False),
        Binding("g,colon", "goto", "Go to", key_display="g"),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("o", "books", "Books"),
        Binding("t", "translation", "Version", tooltip="Choose the translation"),
        Binding("s", "parallel", "Parallel", tooltip="Two translations side by side"),
        Binding("S", "parallel_translation", "Parallel translation", show=False),
        Binding("y", "copy", "Copy", tooltip="Copy the selected verses"),
        Binding("b", "bookmark", "Mark", tooltip="Bookmark (again: remove)"),
        Binding("h", "highlight", "Highlight", tooltip="Highlight in a colour (or remove)"),
        Binding("a", "note", "Note", tooltip="Write or edit a note"),
        Binding("L", "lists", "Lists", tooltip="Bookmarks, highlights and notes"),
        Binding("escape", "close_panels", "Close", show=False),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.translation = "KJV"
        self.parallel_translation: str | None = None
        self.book, self.chapter = 43, 1
        self.passage: Passage | None = None
        self.parallel_passage: Passage | None = None
        self.cache = PassageCache()
        self.annotations = Annotations()
        self._user_moved = False
        self._painted = False

    @property
    def verse_app(self) -> VerseApp:
        return cast("VerseApp", self.app)

    @property
    def view(self) -> ChapterView:
        return self.query_one(ChapterView)

    @property
    def header(self) -> ReaderHeader:
        return self.query_one(ReaderHeader)

    def compose(self) -> ComposeResult:
        yield ReaderHeader()
        yield ChapterView(id="chapter")
        yield KeyBar()

    def on_mount(self) -> None:
        app = self.verse_app
        app.reading_screen = self
        opening = app.opening
        self.translation = opening.translation
        ref = opening.ref
        if opening.passage is not None:
            self.cache.put(self.translation, ref.book, ref.chapter, opening.passage)
        if opening.parallel is not None:
            self.parallel_translation = opening.parallel.translation
            self.cache.put(self.parallel_translation, ref.book, ref.chapter, opening.parallel)
        app.library_ready_signal.subscribe(self, self._library_ready)
        self.view.focus()
        self.open_chapter(ref.book, ref.chapter, cursor=ref)

    # -- opening chapters ------------------------------------------------------------------

    def open_chapter(
        self,
        book: int,
        chapter: int,
        *,
        cursor: VerseRef | None = None,
        selection: VerseRange | None = None,
    ) -> None:
        """Show a chapter: at once when it is cached, else as soon as the worker has it."""
        main = self.cache.get(self.translation, book, chapter)
        other = self.parallel_translation
        side = self.cache.get(other, book, chapter) if other else None
        if main is not None and (other is None or side is not None):
            self.workers.cancel_group(self, "chapter")  # an older, slower request loses
            self._display(main, side, cursor, selection)
        else:
            self._fetch_chapter(book, chapter, cursor, selection)

    @work(
        exclusive=True,
        group="chapter",
        name="load-chapter",
        exit_on_error=False,
        description="Opening the chapter",
    )
    async def _fetch_chapter(
        self, book: int, chapter: int, cursor: VerseRef | None, selection: VerseRange | None
    ) -> None:
        main = await self._passage(self.translation, book, chapter)
        other = self.parallel_translation
        side = await self._passage(other, book, chapter) if other else None
        self._display(main, side, cursor, selection)

    async def _passage(self, translation: str, book: int, chapter: int) -> Passage:
        passage = self.cache.get(translation, book, chapter)
        if passage is None:
            passage = await self.verse_app.bible.chapter(translation, book, chapter)
            self.cache.put(translation, book, chapter, passage)
        return passage

    def _display(
        self,
        main: Passage,
        side: Passage | None,
        cursor: VerseRef | None,
        selection: VerseRange | None,
    ) -> None:
        first = main.verses[0].ref if main.verses else VerseRef(self.book, self.chapter, 1)
        self.book, self.chapter = first.book, first.chapter
        self.passage, self.parallel_passage = main, side
        refs = [v.ref for v in main.verses]
        if side is not None:
            refs += [v.ref for v in side.verses]
        marks = self.annotations.marks_for(refs)
        study = self.study_for(self.book, self.chapter)
        self.view.show(main, side, cursor=cursor, selection=selection, marks=marks, study=study)
        self.load_study()
        names = main.translation if side is None else f"{main.translation} | {side.translation}"
        self.header.show_title(main.reference, names)
        if main.note:
            self.notify(main.note, title="Versification", timeout=6)
        if not self._painted:
            self._painted = True
            self.call_after_refresh(self.verse_app.chapter_painted)
        self._prefetch_neighbours()

    @work(
        exclusive=True,
        group="prefetch",
        name="prefetch-chapters",
        exit_on_error=False,
        description="Reading ahead",
    )
    async def _prefetch_neighbours(self) -> None:
        for step in (canon.next_chapter, canon.previous_chapter):
            target = step(self.book, self.chapter)
            if target is None:
                continue
            for translation in filter(None, (self.translation, self.parallel_translation)):
                await self._passage(translation, *target)

    # -- the library (user database) -----------------------------------------------------

    async def _library_ready(self, ready: LibraryReady) -> None:
        """Apply saved preferences and, unless the user already moved, the saved position."""
        self.refresh_annotations()
        self.load_study()
        await self.study_panel_library_ready(ready.preferences.study_panel)
        if self._user_moved:
            return
        prefs, position = ready.preferences, ready.position
        translation = position.translation if position else prefs.translation
        target = position.ref if position else self.view.cursor_ref
        same = (
            translation == self.translation
            and prefs.parallel_translation == self.parallel_translation
            and target == self.view.cursor_ref
        )
        if same or target is None:
            return
        self.translation, self.parallel_translation = translation, prefs.parallel_translation
        self.verse_app.translation = translation
        self.open_chapter(target.book, target.chapter, cursor=target)

    def annotations_changed(self) -> None:
        """Repaint the marks of the chapter on screen after the annotations changed."""
        self.view.set_marks(self.annotations.marks_for(self.view.rows))

    # -- navigation actions ----------------------------------------------------------------

    def action_chapter(self, step: int) -> None:
        move = canon.next_chapter if step > 0 else canon.previous_chapter
        target = move(self.book, self.chapter)
        if target is None:
            where = "last chapter of Revelation" if step > 0 else "first chapter of Genesis"
            self.notify(f"This is the {where}.", timeout=3)
            return
        self._user_moved = True
        self.open_chapter(*target)

    async def action_goto(self) -> None:
        """Open the go-to box (built the first time it is needed: start-up stays light)."""
        bars = self.query(GoToBar)
        if bars:
            bar = bars.first()
        else:
            bar = GoToBar(id="goto")
            await self.mount(bar, after=self.view)
        bar.open()

    @on(GoToBar.Submitted)
    def _go_to(self, event: GoToBar.Submitted) -> None:
        self.go_to_reference(event.reference)
        self.view.focus()

    @on(GoToBar.Closed)
    def _goto_closed(self) -> None:
        self.view.focus()

    def go_to_reference(self, reference: Reference) -> None:
        """Open the chapter of the reference's first range and select that range; when the
        reference goes on past that chapter (across chapters or books, or in several parts),
        say where it starts and how to read on."""
        rng = reference.ranges[0]
        start, end = rng.start, rng.end
        whole = start.verse == 1 and end.verse == canon.verse_count(end.book, end.chapter)
        same_chapter = (start.book, start.chapter) == (end.book, end.chapter)
        selection = rng if same_chapter and not whole and start != end else None
        self.go_to(start, selection)
        label = format_reference(reference)
        label = label if len(label) <= 60 else label[:59] + "…"
        if len(reference.ranges) > 1:
            self.notify(f"{label}: showing the first part, {format_range(rng)}.", timeout=6)
        elif not same_chapter:
            here = f"{canon.book(start.book).name} {start.chapter}"
            self.notify(f"{label} starts in {here}: n turns to the next chapter.", timeout=6)

    def go_to(self, ref: VerseRef, selection: VerseRange | None = None) -> None:
        self._user_moved = True
        self.open_chapter(ref.book, ref.chapter, cursor=ref, selection=selection)

    def action_books(self) -> None:
        from verse_tui.tui.screens.book_picker import BookPicker

        def chosen(choice: tuple[int, int] | None) -> None:
            if choice is not None:
                self.go_to(VerseRef(choice[0], choice[1], 1))

        self.app.push_screen(BookPicker(self.book, self.chapter), chosen)

    async def action_search(self) -> None:
        from verse_tui.tui.widgets.search_panel import SearchPanel

        panels = self.query(SearchPanel)
        if panels:
            panel = panels.first()
        else:
            panel = SearchPanel(id="search")
            await self.mount(panel, after=self.view)
        panel.open()

    def on_search_panel_hit_chosen(self, event: SearchPanel.HitChosen) -> None:
        self.go_to(event.ref)
        self.view.focus()

    def on_search_panel_closed(self) -> None:
        self.view.focus()

    def action_close_panels(self) -> None:
        for widget in self.query(".-open"):
            widget.remove_class("-open")
        self.view.focus()

    # -- translations ----------------------------------------------------------------------

    def action_translation(self) -> None:
        self._pick_translation("Translation", self.translation, self.set_translation)

    def action_parallel_translation(self) -> None:
        current = self.parallel_translation or ""
        self._pick_translation("Side by side with", current, self.set_parallel)

    def _pick_translation(
        self, title: str, current: str, then: Callable[[str | None], None]
    ) -> None:
        from verse_tui.tui.screens.translation_picker import TranslationPicker

        self.app.push_screen(TranslationPicker(title, current), then)

    def set_translation(self, code: str | None) -> None:
        if not code or code == self.translation:
            return
        self.translation = self.verse_app.translation = code
        if self.parallel_translation == code:
            self.parallel_translation = None
        self.verse_app.update_preferences(translation=code)
        self._reopen()

    def set_parallel(self, code: str | None) -> None:
        """Show `code` side by side (None or the main translation: back to one column)."""
        code = None if code == self.translation else code
        if code == self.parallel_translation:
            return
        self.parallel_translation = code
        self.verse_app.update_preferences(parallel_translation=code)
        self._reopen()

    def action_parallel(self) -> None:
        if self.parallel_translation is not None:
            self.set_parallel(None)
            return
        self._toggle_parallel_on()

    @work(
        exclusive=True,
        group="translations",
        name="parallel-on",
        exit_on_error=False,
        description="Opening the parallel view",
    )
    async def _toggle_parallel_on(self) -> None:
        codes = [t.code for t in await self.verse_app.bible.translations()]
        preferred = self.verse_app.preferences and self.verse_app.preferences.parallel_translation
        others = [c for c in codes if c != self.translation]
        if not others:
            self.notify("Only one translation is installed.", severity="warning")
            return
        self.set_parallel(preferred if preferred in others else others[0])

    def _reopen(self) -> None:
        cursor = self.view.cursor_ref
        self._user_moved = True
        self.open_chapter(self.book, self.chapter, cursor=cursor)

    # -- cursor ----------------------------------------------------------------------------

    @on(ChapterView.CursorMoved)
    def _cursor_moved(self, event: ChapterView.CursorMoved) -> None:
        refs = event.selection.refs
        if not refs:
            return
        self._user_moved = self._user_moved or event.by_user
        count = len(refs)
        label = format_range(event.selection.range)
        self.header.show_status(f"{label} · {count} verses selected" if count > 1 else label)
        ref = self.view.cursor_ref or refs[0]
        self.verse_app.remember_position(self.translation, ref, self.parallel_translation)
        self.follow_study_panel()
