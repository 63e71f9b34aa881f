"""How the study panel reads (pure: no Textual): the commentary, the topics of a passage and
the places a Nave's topic cites. Text from the data passes through `terminal_safe`."""

from __future__ import annotations

from verse_tui.bible import canon
from verse_tui.bible.references import format_range
from verse_tui.domain.bible import VerseRange, VerseRef
from verse_tui.domain.lexicon import Commentary, VerseTopics
from verse_tui.domain.text import terminal_safe
from verse_tui.errors import VerseError

SOURCE_ORDER = ("mhcc", "tdavid")
PSALMS = 19


def commentary_text(commentary: Commentary) -> str:
    """The sections covering the passage, each headed by the verses it covers."""
    if not commentary.sections:
        return f"{commentary.title} has nothing on {commentary.reference}."
    parts = [f"{commentary.title} on {commentary.reference}"]
    for section in commentary.sections:
        heading = f" · {section.heading}" if section.heading else ""
        parts.append(f"── {section.reference}{heading}\n\n{section.text}")
    return terminal_safe("\n\n".join(parts), multiline=True)


def topics_text(topics: VerseTopics) -> str:
    if not topics.topics:
        return f"No Nave's topic cites {topics.reference}."
    return f"Nave's topics citing {topics.reference}:"


def next_source(source: str, book: int) -> str:
    """The other commentary; the Treasury of David only in the Psalms."""
    if book != PSALMS:
        return "mhcc"
    return SOURCE_ORDER[(SOURCE_ORDER.index(source) + 1) % len(SOURCE_ORDER)]


def source_for(chosen: str, book: int) -> str:
    """The commentary shown in `book`: the one chosen, except the Treasury of David (Psalms
    only) falls back to Matthew Henry elsewhere."""
    return chosen if book == PSALMS else "mhcc"


def _osis_place(osis: str, *, end: bool) -> VerseRef:
    """One end of a Nave's citation: "John.3.16", or a whole chapter "Ps.23" (its first verse,
    or its last when `end`)."""
    name, _, place = osis.partition(".")
    chapter, _, verse = place.partition(".")
    if not chapter.isdigit() or (verse and not verse.isdigit()):
        raise VerseError(f"{osis!r} is not a verse or chapter")
    book = canon.book_by_osis(name).number
    number = int(chapter)
    if verse:
        return VerseRef(book, number, int(verse))
    return VerseRef(book, number, canon.verse_count(book, number) if end else 1)


def cited_place(osis: str) -> VerseRange | None:
    """The verses a Nave's citation names ("Gen.29.2-Gen.29.10", "Ps.23"), or None for one
    the canon cannot place (it is left out rather than shown wrong)."""
    first, _, last = osis.partition("-")
    try:
        return VerseRange(_osis_place(first, end=False), _osis_place(last or first, end=True))
    except VerseError:
        return None


def cited_places(refs: tuple[str, ...]) -> list[tuple[str, VerseRange]]:
    """(label, verses) for each citation of a topic that the canon can place, in order."""
    places = [cited_place(osis) for osis in refs]
    return [(format_range(rng), rng) for rng in places if rng is not None]
