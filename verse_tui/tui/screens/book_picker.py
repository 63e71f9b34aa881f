"""Pick a book, then a chapter: type to filter the books, arrows and Enter, or the mouse."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from verse_tui.bible import canon
from verse_tui.domain.bible import Book
from verse_tui.tui.styles import MODALS_CSS


def matching_books(text: str) -> tuple[Book, ...]:
    """Books whose name (or an abbreviation) starts with what was typed; all when empty."""
    key = canon.name_key(text) if text.strip() else ""
    if not key:
        return canon.BOOKS
    found = canon.find_book(text)
    starts = [b for b in canon.BOOKS if canon.name_key(b.name).startswith(key)]
    if found is not None and found not in starts:
        starts.insert(0, found)
    return tuple(starts)


class BookPicker(ModalScreen[tuple[int, int] | None]):
    """Returns (book, chapter), or None if cancelled."""

    CSS_PATH = MODALS_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("right", "to_chapters", "Chapters", show=False),
        Binding("left", "to_books", "Books", show=False),
    ]

    def __init__(self, book: int, chapter: int) -> None:
        super().__init__(classes="picker")
        self._book, self._chapter = book, chapter
        self._shown: tuple[Book, ...] = canon.BOOKS

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="book-dialog"):
            yield Static("Open a book and chapter", classes="dialog-title")
            yield Input(placeholder="type a book name: rom, 1 cor, ps", id="book-filter")
            with Horizontal(id="book-lists"):
                yield OptionList(id="books")
                yield OptionList(id="chapters")
            yield Static("Enter: open · →/←: chapters/books · Esc: cancel", classes="dialog-help")

    @property
    def books(self) -> OptionList:
        return self.query_one("#books", OptionList)

    @property
    def chapters(self) -> OptionList:
        return self.query_one("#chapters", OptionList)

    def on_mount(self) -> None:
        self._fill_books(canon.BOOKS, self._book)
        self._fill_chapters(self._book, self._chapter)
        self.query_one("#book-filter", Input).focus()

    def _fill_books(self, books: tuple[Book, ...], selected: int | None = None) -> None:
        self._shown = books
        self.books.clear_options()
        self.books.add_options(Option(b.name, id=str(b.number)) for b in books)
        numbers = [b.number for b in books]
        if books:
            self.books.highlighted = numbers.index(selected) if selected in numbers else 0

    def _fill_chapters(self, book: int, selected: int = 1) -> None:
        self.chapters.clear_options()
        count = canon.chapter_count(book)
        self.chapters.add_options(Option(f"Chapter {n}", id=str(n)) for n in range(1, count + 1))
        self.chapters.highlighted = min(selected, count) - 1

    @on(Input.Changed, "#book-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill_books(matching_books(event.value))

    @on(Input.Submitted, "#book-filter")
    def _filter_done(self) -> None:
        if self._shown:
            self.chapters.focus()

    @on(OptionList.OptionHighlighted, "#books")
    def _book_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        book = int(event.option.id or 1)
        self._fill_chapters(book, self._chapter if book == self._book else 1)

    @on(OptionList.OptionSelected, "#books")
    def _book_chosen(self) -> None:
        self.chapters.focus()

    @on(OptionList.OptionSelected, "#chapters")
    def _chapter_chosen(self, event: OptionList.OptionSelected) -> None:
        book = self.books.highlighted_option
        if book is not None:
            self.dismiss((int(book.id or 1), int(event.option.id or 1)))

    def action_to_chapters(self) -> None:
        self.chapters.focus()

    def action_to_books(self) -> None:
        self.books.focus()
