"""BibleService: reading and searching the shipped Bible text, for the app.

The queries live in `SqliteBibleClient` (synchronous sqlite3, shared with the fast CLI); this
service runs each call in a worker thread with `asyncio.to_thread`, so the event loop never
waits on the disk, and returns the domain dataclasses the client builds.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from verse_tui.bible.references import parse_reference
from verse_tui.bible.sqlite_bible_client import SqliteBibleClient
from verse_tui.domain.bible import Book, Passage, Reference, SearchPage, Translation

if TYPE_CHECKING:
    from verse_tui.bible.citations import CitationChecker


class BibleService:
    """Translations, books, chapters, passages and full-text search."""

    def __init__(self, client: SqliteBibleClient, *, meaning_path: Path | None = None) -> None:
        self._client = client
        self._meaning_path = meaning_path  # None: the shipped meaning.sqlite
        self._checkers: dict[str, CitationChecker] = {}

    async def citation_checker(self, translation: str) -> CitationChecker:
        """The citation checker of replies given in `translation` (one per translation, kept:
        it caches the verse texts it compared); InputError for an unknown translation."""
        code = translation.strip().upper()
        if code not in self._checkers:
            from verse_tui.bible.citations import CitationChecker

            checker = await asyncio.to_thread(CitationChecker, self._client, code)
            self._checkers.setdefault(code, checker)
        return self._checkers[code]

    def parse(self, text: str) -> Reference:
        """Parse what a person typed ("Jn 3:16"); raises ReferenceError with a clear message."""
        return parse_reference(text)

    async def translations(self) -> tuple[Translation, ...]:
        return await asyncio.to_thread(self._client.translations)

    async def books(self) -> tuple[Book, ...]:
        return await asyncio.to_thread(self._client.books)

    async def chapter(self, translation: str, book: int, chapter: int) -> Passage:
        return await asyncio.to_thread(self._client.chapter, translation, book, chapter)

    async def passage(self, translation: str, reference: Reference | str) -> Passage:
        parsed = parse_reference(reference) if isinstance(reference, str) else reference
        return await asyncio.to_thread(self._client.passage, translation, parsed)

    async def search(
        self,
        query: str,
        translation: str,
        *,
        book: int | None = None,
        testament: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchPage:
        return await asyncio.to_thread(
            self._client.search,
            query,
            translation,
            book=book,
            testament=testament,
            limit=limit,
            offset=offset,
        )

    async def search_meaning(
        self,
        query: str,
        translation: str,
        *,
        book: int | None = None,
        testament: str | None = None,
        limit: int = 20,
    ) -> SearchPage:
        """Verses closest in meaning to `query`, best first, each hit with its `score`.

        A reference or a quoted phrase goes to the word index instead. The model loads (in the
        worker thread) on the first call, so nothing is paid for it before.
        """
        from verse_tui.bible.meaning_search import search_meaning

        return await asyncio.to_thread(
            search_meaning,
            self._client,
            query,
            translation,
            book=book,
            testament=testament,
            limit=limit,
            index_path=self._meaning_path,
        )
