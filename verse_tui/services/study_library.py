"""StudyService: the offline study library for the app (Strong's, concordance, commentary,
topics).

The queries live in `SqliteStudyClient` (synchronous sqlite3, shared with the fast CLI); each
call runs in a worker thread with `asyncio.to_thread`, so the event loop never waits on the
disk. Returns the frozen records of `verse_tui.domain.lexicon`.
"""

from __future__ import annotations

import asyncio
import re
from _thread import allocate_lock
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from verse_tui.bible import canon
from verse_tui.bible.references import parse_reference
from verse_tui.bible.sqlite_study_client import SqliteStudyClient, study_db_path
from verse_tui.domain.bible import Reference, VerseRef
from verse_tui.domain.lexicon import (
    Commentary,
    Concordance,
    StrongsEntry,
    Topic,
    VerseTopics,
    VerseWords,
)
from verse_tui.errors import InputError

T = TypeVar("T")


def _reference(reference: Reference | str) -> Reference:
    return parse_reference(reference) if isinstance(reference, str) else reference


def _word_key(text: str) -> str:
    return re.sub(r"[^\w]", "", text.lower().replace("\u2019", "'"))


def _rendered_by(
    client: SqliteStudyClient, words: VerseWords, wanted: str
) -> tuple[StrongsEntry, ...]:
    """The candidate lemmas of a word another translation uses in this verse: the numbers of
    the KJV verse that the KJV elsewhere renders with that word ("love" -> G26 in 1 Cor 13:4,
    where the KJV says "charity")."""
    numbers = dict.fromkeys(n for group in words.words for n in group.numbers)
    entries = (client.entry(n) for n in numbers)
    return tuple(e for e in entries if any(_word_key(r.text) == wanted for r in e.renderings))


class StudyService:
    """Words of a KJV verse with their Strong's numbers, entries, concordance, commentary,
    topics."""

    def __init__(self, client: SqliteStudyClient | Path | None = None) -> None:
        """`client`, or the path of a study.sqlite to open on first use (default: the
        shipped one, or $VERSE_STUDY_DB), so the app starts without touching it."""
        self._client = client if isinstance(client, SqliteStudyClient) else None
        self._path = client if isinstance(client, Path) else None
        self._open_lock = allocate_lock()
        self._found = False

    def _opened(self) -> SqliteStudyClient:
        with self._open_lock:
            if self._client is None:
                self._client = SqliteStudyClient(self._path or study_db_path())
            return self._client

    def available(self) -> bool:
        """Whether the study library is there to open (one `stat`, then remembered): the
        Claude tools that read it are offered only then."""
        if self._client is None and not self._found:
            self._found = (self._path or study_db_path()).is_file()
        return self._client is not None or self._found

    async def _call(self, method: Callable[[SqliteStudyClient], T]) -> T:
        return await asyncio.to_thread(lambda: method(self._opened()))

    def close(self) -> None:
        with self._open_lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    async def verse_words(self, ref: VerseRef) -> VerseWords:
        """One KJV verse as word groups, each with the Strong's numbers behind it."""
        found = await self._call(lambda c: c.verse_words(ref))
        if not found:
            raise InputError(f"The KJV has no verse {ref.book}:{ref.chapter}:{ref.verse}.")
        return found[0]

    async def chapter_words(self, book: int, chapter: int) -> tuple[VerseWords, ...]:
        """The KJV verses of a chapter with their Strong's numbers, the titles before them and
        their paragraph starts: one query, what the reader needs for a chapter."""
        last = canon.verse_count(book, chapter)  # raises ReferenceError for a bad chapter
        first, end = VerseRef(book, chapter, 1), VerseRef(book, chapter, last)
        return await self._call(lambda c: c.verse_words(first, end))

    async def entry(self, number: str) -> StrongsEntry:
        return await self._call(lambda c: c.entry(number))

    async def word_entries(self, word: str, ref: VerseRef) -> tuple[StrongsEntry, ...]:
        """The lexicon entries behind `word` as the KJV uses it in this verse (empty when the
        word carries no number there, e.g. a supplied word)."""
        words = await self.verse_words(ref)
        wanted = _word_key(word)
        numbers: list[str] = []
        for group in words.words:
            if group.numbers and wanted in {_word_key(w) for w in group.text.split()}:
                numbers.extend(n for n in group.numbers if n not in numbers)
        if numbers:
            return await self._call(lambda c: tuple(c.entry(n) for n in numbers))
        return await self._call(lambda c: _rendered_by(c, words, wanted))

    async def concordance(
        self, number: str, *, book: int | None = None, limit: int = 20, offset: int = 0
    ) -> Concordance:
        return await self._call(
            lambda c: c.concordance(number, book=book, limit=limit, offset=offset)
        )

    async def commentary(self, reference: Reference | str, source: str = "mhcc") -> Commentary:
        parsed = _reference(reference)
        return await self._call(lambda c: c.commentary(parsed, source))

    async def topics_of(self, reference: Reference | str) -> VerseTopics:
        parsed = _reference(reference)
        return await self._call(lambda c: c.topics_of(parsed))

    async def topic(self, name: str) -> Topic:
        return await self._call(lambda c: c.topic(name))
