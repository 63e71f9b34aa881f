"""Bible text types: references, verses, passages, search results.

These sit on the `verse read` path, so they are `frozen_record`s rather than dataclasses
(see `verse_tui.domain.record`).
"""

from __future__ import annotations

from verse_tui.domain.record import frozen_record


@frozen_record
class VerseRef:
    """One verse: book number in canonical Protestant order (1 = Genesis .. 66 = Revelation)."""

    book: int
    chapter: int
    verse: int


@frozen_record
class VerseRange:
    """An inclusive range of verses, possibly across chapters (Gen 1:1-2:3)."""

    start: VerseRef
    end: VerseRef


@frozen_record
class Reference:
    """What a person typed, parsed: one or more ranges in one book or several."""

    ranges: tuple[VerseRange, ...]


@frozen_record
class Book:
    number: int  # 1..66
    osis: str  # "Gen", "1Cor", "John"
    name: str  # "Genesis", "1 Corinthians"
    testament: str  # "OT" or "NT"
    chapters: int


@frozen_record
class Translation:
    code: str  # "KJV"
    name: str  # "King James Version"
    language: str = "en"
    license: str = "Public domain"


@frozen_record
class Verse:
    """One verse of one translation.

    `text` keeps the translation's supplied words in square brackets ("darkness [was] upon"),
    so the UI can render them in italics; `plain_text` is the text without the brackets.
    `omitted` is True where the translation deliberately leaves the verse out (ASV Matt 17:21).
    """

    ref: VerseRef
    osis: str  # "John.3.16"
    text: str
    omitted: bool = False

    @property
    def plain_text(self) -> str:
        return self.text.replace("[", "").replace("]", "")


@frozen_record
class Passage:
    reference: str  # formatted, e.g. "John 3:16–18"
    translation: str
    verses: tuple[Verse, ...]
    note: str | None = None  # e.g. where a lookup was mapped to another versification


@frozen_record
class SearchHit:
    verse: Verse
    translation: str
    snippet: str  # text with matches marked as «…»
    rank: float
    score: float | None = None  # meaning search: relevance 0..1, higher is closer


@frozen_record
class SearchPage:
    query: str
    translation: str
    total: int
    offset: int
    hits: tuple[SearchHit, ...]
