"""StudyService: the offline study library for the app (Strong's, concordance, commentary,
topics).

The queries live in `SqliteStudyClient` (synchronous sqlite3, shared with the fast CLI); each
call runs in a worker thread with `asyncio.to_thread`, so the event loop never waits on the
disk. Returns the frozen records of `verse_tui.domain.lexicon`.
"""

from __future__ import annotations

import asyncio
import re

from verse_tui.bible.references import parse_reference
from verse_tui.bible.sqlite_study_client import SqliteStudyClient
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


def _reference(reference: Reference | str) -> Reference:
    return parse_reference(reference) if isinstance(reference, str) else reference


def _word_key(text: str) -> str:
    return re.sub(r"[^\w]", "", text.lower().replace("\u2019", "'"))


class StudyService:
    """Words of a KJV verse with their Strong's numbers, entries, concordance, commentary,
    topics."""

    def __init__(self, client: SqliteStudyClient) -> None:
        self._client = client

    async def verse_words(self, ref: VerseRef) -> VerseWords:
        """One KJV verse as word groups, each with the Strong's numbers behind it."""
        found = await asyncio.to_thread(self._client.verse_words, ref)
        if not found:
            raise InputError(f"The KJV has no verse {ref.book}:{ref.chapter}:{ref.verse}.")
        return found[0]

    async def entry(self, number: str) -> StrongsEntry:
        return await asyncio.to_thread(self._client.entry, number)

    async def word_entries(self, word: str, ref: VerseRef) -> tuple[StrongsEntry, ...]:
        """The lexicon entries behind `word` as the KJV uses it in this verse (empty when the
        word carries no number there, e.g. a supplied word)."""
        words = await self.verse_words(ref)
        wanted = _word_key(word)
        numbers: list[str] = []
        for group in words.words:
            if group.numbers and wanted in {_word_key(w) for w in group.text.split()}:
                numbers.extend(n for n in group.numbers if n not in numbers)
        return tuple([await self.entry(n) for n in numbers])

    async def concordance(
        self, number: str, *, book: int | None = None, limit: int = 20, offset: int = 0
    ) -> Concordance:
        return await asyncio.to_thread(
            self._client.concordance, number, book=book, limit=limit, offset=offset
        )

    async def commentary(self, reference: Reference | str, source: str = "mhcc") -> Commentary:
        return await asyncio.to_thread(self._client.commentary, _reference(reference), source)

    async def topics_of(self, reference: Reference | str) -> VerseTopics:
        return await asyncio.to_thread(self._client.topics_of, _reference(reference))

    async def topic(self, name: str) -> Topic:
        return await asyncio.to_thread(self._client.topic, name)
