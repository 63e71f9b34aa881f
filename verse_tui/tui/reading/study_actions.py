"""What the reader offers beyond reading: chat about the selection, insights, define a word,
devices. `ReaderStudyActions` is mixed into the reading screen (its keys); `study_commands`
feeds the command palette. Screens are imported only when first used, so `anthropic` (and
these screens) stay off the reader's start-up path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen

from verse_tui.bible import canon
from verse_tui.domain.bible import VerseRange, VerseRef

if TYPE_CHECKING:
    from verse_tui.tui.reading.screen import ReadingScreen


def chapter_range(book: int, chapter: int) -> VerseRange:
    return VerseRange(
        VerseRef(book, chapter, 1), VerseRef(book, chapter, canon.verse_count(book, chapter))
    )


def reader_selection(reader: ReadingScreen, *, whole_chapter: bool = False) -> VerseRange:
    """The selected verses (the cursor verse when nothing else is selected), or the chapter."""
    selection = reader.view.selection
    if whole_chapter or not selection.refs:
        return chapter_range(reader.book, reader.chapter)
    return selection.range


def open_place(app: Any, name: str) -> Screen[Any] | None:
    """Switch to Chat or Insights; the place's screen, or None when it cannot open yet."""
    app.action_open_place(name)
    return app.screen if app.current_mode == name else None


def ready_or_queued(app: Any, label: str, retry: Callable[[], Any]) -> bool:
    """True when the library is open; otherwise `retry` runs once it is (see
    `library_opening.py`), or the user is told why it cannot, and False."""
    if app.services is not None:
        return True
    app.run_when_library_ready(label, retry)
    return False


def chat_about(app: Any, translation: str, rng: VerseRange) -> None:
    if not ready_or_queued(app, "Chat", lambda: chat_about(app, translation, rng)):
        return
    screen = open_place(app, "chat")
    if screen is not None:
        screen.chat_about(translation, rng)  # type: ignore[attr-defined]


def insights_on(app: Any, translation: str, rng: VerseRange) -> None:
    if not ready_or_queued(app, "Insights", lambda: insights_on(app, translation, rng)):
        return
    screen = open_place(app, "insights")
    if screen is not None:
        screen.show_passage(translation, rng)  # type: ignore[attr-defined]


def open_devices(app: Any) -> None:
    if not ready_or_queued(app, "Devices", lambda: open_devices(app)):
        return
    from verse_tui.tui.devices.screen import DevicesScreen

    if not isinstance(app.screen, DevicesScreen):
        app.push_screen(DevicesScreen())


def open_words(app: Any) -> None:
    if not ready_or_queued(app, "My words", lambda: open_words(app)):
        return
    from verse_tui.tui.words.my_words import MyWordsScreen

    app.push_screen(MyWordsScreen())


class ReaderStudyActions(Screen[None]):
    """The reader's keys for study and devices (a base of `ReadingScreen`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "chat_selection", "Chat", show=False),
        Binding("C", "chat_chapter", "Chat about the chapter", show=False),
        Binding("i", "insights", "Insights", show=False),
        Binding("w", "define", "Define a word", show=False),
        Binding("W", "my_words", "My words", show=False),
        Binding("D", "devices", "Devices", show=False),
    ]

    def _reader(self) -> ReadingScreen:
        return self  # type: ignore[return-value]

    def action_chat_selection(self) -> None:
        reader = self._reader()
        chat_about(self.app, reader.translation, reader_selection(reader))

    def action_chat_chapter(self) -> None:
        reader = self._reader()
        chat_about(self.app, reader.translation, reader_selection(reader, whole_chapter=True))

    def action_insights(self) -> None:
        reader = self._reader()
        insights_on(self.app, reader.translation, reader_selection(reader))

    def action_define(self) -> None:
        reader = self._reader()
        if not ready_or_queued(self.app, "Define a word", self.action_define):
            return
        ref = reader.view.cursor_ref
        if ref is None or reader.passage is None:
            self.notify("Open a chapter first.", severity="warning", timeout=5)
            return
        verse = next((v for v in reader.passage.verses if v.ref == ref), None)
        if verse is None or verse.omitted:
            self.notify("This verse has no text in this translation.", timeout=4)
            return
        from verse_tui.tui.words.word_screen import WordScreen

        self.app.push_screen(WordScreen(reader.translation, verse))

    def action_my_words(self) -> None:
        open_words(self.app)

    def action_devices(self) -> None:
        open_devices(self.app)


def study_commands(app: Any) -> list[tuple[str, Any, str]]:
    """Palette entries: (title, callback, help)."""

    def on_reader(method: str) -> Any:
        def run() -> Any:  # an async action's coroutine goes back to the palette to await
            reader = app.reader()
            return getattr(reader, method)()

        return run

    return [
        (
            "Chat about the selected verses",
            on_reader("action_chat_selection"),
            "Also: c in the reader",
        ),
        ("Chat about the chapter", on_reader("action_chat_chapter"), "Also: C in the reader"),
        ("Insights on the selected verses", on_reader("action_insights"), "Also: i in the reader"),
        ("Define a word of this verse", on_reader("action_define"), "Also: w in the reader"),
        ("My words", lambda: open_words(app), "Saved definitions (W)"),
        (
            "Study panel: commentary and topics beside the text (show or hide)",
            on_reader("action_study_panel"),
            "Also: m in the reader",
        ),
        ("Devices: link, approve, rename, unlink", lambda: open_devices(app), "Also: D"),
    ]
