"""Command palette providers: references ("jn 3:16"), books, translations and reader commands."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from verse_tui.bible import canon
from verse_tui.bible.references import format_reference
from verse_tui.domain.bible import VerseRef
from verse_tui.errors import InputError
from verse_tui.tui import modes
from verse_tui.tui.host import verse_app
from verse_tui.tui.reading.study_actions import study_commands

if TYPE_CHECKING:
    from verse_tui.tui.reading.screen import ReadingScreen


class _ReaderCommands(Provider):
    """Helpers shared by the providers: they all act on the reading screen."""

    def reader(self) -> ReadingScreen:
        return verse_app(self).reader()

    def run_in_reader(self, method: str, *args: Any) -> None:
        getattr(self.reader(), method)(*args)


class ReferenceCommands(_ReaderCommands):
    """Anything the reference parser accepts opens that passage."""

    async def search(self, query: str) -> Hits:
        try:
            reference = verse_app(self).bible.parse(query)
        except InputError:
            return
        label = format_reference(reference)
        yield Hit(
            100.0,
            f"Open {label}",
            partial(self.run_in_reader, "go_to_reference", reference),
            text=f"Open {label}",
            help="Go to this passage",
        )


class BookCommands(_ReaderCommands):
    """Every book of the Bible, opened at chapter 1."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for book in canon.BOOKS:
            text = f"Book: {book.name}"
            score = matcher.match(text)
            if score > 0:
                command = partial(self.run_in_reader, "go_to", VerseRef(book.number, 1, 1))
                yield Hit(
                    score,
                    matcher.highlight(text),
                    command,
                    text=text,
                    help=f"{book.chapters} chapters",
                )


class TranslationCommands(_ReaderCommands):
    """Switch the translation, or read one side by side."""

    async def startup(self) -> None:
        self._translations = await verse_app(self).bible.translations()

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for translation in self._translations:
            for verb, method in (
                ("Read in", "set_translation"),
                ("Side by side with", "set_parallel"),
            ):
                text = f"{verb} {translation.code} ({translation.name})"
                score = matcher.match(text)
                if score > 0:
                    command = partial(self.run_in_reader, method, translation.code)
                    yield Hit(score, matcher.highlight(text), command, text=text)


READER_ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("Go to a reference", "action_goto", "Type a reference like jn 3:16 or 1 cor 13"),
    ("Search the Bible", "action_search", "Words, phrases, prefix*, AND/OR/NOT"),
    ("Open a book and chapter", "action_books", "Pick from the 66 books"),
    ("Next chapter", "action_chapter", "Also: n or →"),
    ("Previous chapter", "action_chapter", "Also: p or ←"),
    ("Toggle the parallel view", "action_parallel", "Two translations side by side"),
    ("Copy the selected verses", "action_copy", "With reference and translation"),
    ("Bookmark the selected verses", "action_bookmark", "Press again to remove"),
    ("Highlight the selected verses", "action_highlight", "Five colours"),
    ("Note on the selected verses", "action_note", "Write or edit a note"),
    ("Bookmarks, highlights and notes", "action_lists", "Jump to one, or delete it"),
)


class VerseCommands(_ReaderCommands):
    """The reader's commands and the app's places (Reading, Chat, Insights)."""

    def _commands(self) -> list[tuple[str, Any, str]]:
        found: list[tuple[str, Any, str]] = []
        for title, method, about in READER_ACTIONS:
            args = (-1,) if title.startswith("Previous") else (1,) if "chapter" in method else ()
            found.append((title, partial(self.run_in_reader, method, *args), about))
        for place in modes.PLACES:
            action = partial(verse_app(self).action_open_place, place.name)
            found.append((f"Open {place.title}", action, place.about))
        found.append(("Help: keys", verse_app(self).action_help, "Every key of the reader"))
        found.extend(study_commands(self.app))
        return found

    async def discover(self) -> Hits:
        for title, command, about in self._commands():
            yield DiscoveryHit(title, command, help=about)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, command, about in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), command, text=title, help=about)
