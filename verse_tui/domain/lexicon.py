"""The offline study library: Strong's-tagged KJV words, lexicon entries, the concordance,
commentary sections and Nave's topics.

`frozen_record`s (type checkers see frozen dataclasses) because `verse strongs` shares the
fast CLI path with `verse read`.
"""

from __future__ import annotations

from verse_tui.domain.bible import VerseRange, VerseRef
from verse_tui.domain.record import frozen_record


@frozen_record
class TaggedWord:
    """A piece of a KJV verse: a word group and the Strong's numbers behind it (none for
    words the translators supplied or that render no word of their own)."""

    text: str  # "loved", "the world", "[are]" (supplied words keep their brackets)
    numbers: tuple[str, ...]  # ("G25",)


@frozen_record
class VerseWords:
    ref: VerseRef
    osis: str
    words: tuple[TaggedWord, ...]
    title: str | None = None  # the psalm title (or Psalm 119 letter) before this verse
    paragraph: bool = False  # the verse starts a paragraph

    @property
    def text(self) -> str:
        return "".join(w.text for w in self.words)


@frozen_record
class Rendering:
    text: str  # "love"
    count: int  # how many times the KJV renders the number with it


@frozen_record
class StrongsEntry:
    number: str  # "G26", "H430"
    lemma: str  # in Greek or Hebrew script
    transliteration: str
    pronunciation: str
    definition: str
    renderings: tuple[Rendering, ...]  # most frequent first
    verses: int  # KJV verses tagged with this number
    occurrences: int  # tagged word groups

    @property
    def language(self) -> str:
        return "Greek" if self.number.startswith("G") else "Hebrew"

    @property
    def gloss(self) -> str:
        """The definition without its derivation and the KJV's renderings: 'love, i.e. ...'."""
        text = self.definition.split(":--")[0].split(" - ")[0]
        _derivation, sep, rest = text.partition(";")
        return (rest if sep and rest.strip() else text).strip().rstrip(":;,")


@frozen_record
class ConcordanceHit:
    ref: VerseRef
    osis: str
    text: str  # the KJV verse, supplied words without brackets
    snippet: str  # the same with this number's words marked «…»
    renderings: tuple[str, ...]  # the words that render it in this verse


@frozen_record
class Concordance:
    number: str
    total: int  # KJV verses with this number (in the book, when one was given)
    offset: int
    hits: tuple[ConcordanceHit, ...]


@frozen_record
class CommentarySection:
    source: str  # "mhcc" or "tdavid"
    covers: VerseRange
    reference: str  # the range formatted, e.g. "Romans 8:28–31"
    heading: str  # "Verses 28-31", "EXPOSITION — Verse 1"
    text: str


@frozen_record
class Commentary:
    reference: str
    source: str
    title: str  # "Matthew Henry's Concise Commentary"
    sections: tuple[CommentarySection, ...]


@frozen_record
class Topic:
    name: str  # "FAITH"
    text: str  # the outline, plain text
    refs: tuple[str, ...]  # osisRefs in the order Nave's cites them ("Heb.11.4", "Ps.23")
    see_also: tuple[str, ...]


@frozen_record
class VerseTopics:
    reference: str
    topics: tuple[str, ...]  # topic names, alphabetical
