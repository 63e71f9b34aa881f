"""How much one passage may hold: the cap on what `verse read` (and every passage) shows at once.

A reference can now cross books and list many parts, so "Genesis 1 - Revelation 22" or fifty
copies of Psalm 119 parse fine; reading them is refused above `MAX_VERSES` with a message that
says the cap and what to type instead. The cap fits the whole New Testament (7,960 verses) or
the five books of Moses (5,852), so every real reading passes. Pure Python, no I/O.
"""

from __future__ import annotations

from verse_tui.bible import canon
from verse_tui.bible.canon import ReferenceError
from verse_tui.bible.references import format_reference
from verse_tui.domain.bible import Reference, VerseRange, VerseRef

__all__ = ["MAX_VERSES", "PassageTooLongError", "check_size", "range_total", "verse_total"]

MAX_VERSES = 8000
_LABEL_LENGTH = 60


class PassageTooLongError(ReferenceError):
    """A reference that parses but holds more verses than one passage may show."""


def range_total(r: VerseRange) -> int:
    """How many verses a range covers (in the union versification of `canon`)."""
    return canon.verse_ordinal(r.end) - canon.verse_ordinal(r.start) + 1


def verse_total(ref: Reference) -> int:
    """How many verses all the ranges of a reference cover together (repeats count again)."""
    return sum(range_total(r) for r in ref.ranges)


def check_size(ref: Reference) -> None:
    """Raise PassageTooLongError when `ref` holds more than MAX_VERSES verses."""
    total = verse_total(ref)
    if total <= MAX_VERSES:
        return
    label = format_reference(ref)
    if len(label) > _LABEL_LENGTH:
        label = label[: _LABEL_LENGTH - 1] + "…"
    first, whole = _first_part(ref)
    label_first = format_reference(first)
    if len(label_first) <= _LABEL_LENGTH:
        advice = f"Read it in parts: start with {label_first}."
    else:
        advice = f"Ask for fewer parts at a time (the first {whole} fit)."
    raise PassageTooLongError(
        f"{label} is {total:,} verses; Verse shows at most {MAX_VERSES:,} at a time. {advice}",
        suggestion=label_first,
    )


def _first_part(ref: Reference) -> tuple[Reference, int]:
    """The longest beginning of `ref` that fits (whole parts, then whole chapters of the next)
    and how many whole parts it keeps."""
    room = MAX_VERSES
    kept: list[VerseRange] = []
    for r in ref.ranges:
        size = range_total(r)
        if size > room:
            whole = len(kept)
            cut = _cut(r, room)
            return Reference((*kept, cut) if cut is not None else tuple(kept)), whole
        kept.append(r)
        room -= size
    return Reference(tuple(kept)), len(kept)


def _cut(r: VerseRange, room: int) -> VerseRange | None:
    """The beginning of `r` up to the last chapter end that fits in `room` verses (or, when not
    even the first chapter's rest fits, `room` verses of it); None when there is no room."""
    if room < 1:
        return None
    first = canon.verse_ordinal(r.start)
    book, chapter = r.start.book, r.start.chapter
    end: VerseRef | None = None
    while True:
        last = VerseRef(book, chapter, canon.verse_count(book, chapter))
        if canon.verse_ordinal(last) - first + 1 > room:
            break
        end = last
        step = canon.next_chapter(book, chapter)
        if step is None:
            break
        book, chapter = step
    if end is None:
        end = VerseRef(r.start.book, r.start.chapter, r.start.verse + room - 1)
    return VerseRange(r.start, end)
