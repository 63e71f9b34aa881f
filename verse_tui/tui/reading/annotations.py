"""The user's bookmarks, highlights and notes, held in memory for instant page turns.

Loaded once when the library opens and again after each change (a few hundred rows at most),
so the marks of any chapter are computed without a database round trip.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from verse_tui.domain.bible import Passage, VerseRange, VerseRef
from verse_tui.domain.user import Bookmark, Highlight, Note
from verse_tui.tui.reading.text_layout import Marks


def covers(rng: VerseRange, ref: VerseRef) -> bool:
    return rng.start <= ref <= rng.end


def overlaps(a: VerseRange, b: VerseRange) -> bool:
    return a.start <= b.end and b.start <= a.end


@dataclass(frozen=True, slots=True)
class Annotations:
    """Everything the user marked, newest last."""

    bookmarks: tuple[Bookmark, ...] = ()
    highlights: tuple[Highlight, ...] = ()
    notes: tuple[Note, ...] = ()

    def marks_for(self, refs: Iterable[VerseRef]) -> Marks:
        """The highlight colour, bookmark and note flags of each of these verses."""
        refs = tuple(refs)
        if not refs:
            return Marks()
        shown = VerseRange(min(refs), max(refs))
        highlights = [h for h in self.highlights if overlaps(h.range, shown)]
        bookmarks = [b.range for b in self.bookmarks if overlaps(b.range, shown)]
        notes = [n.range for n in self.notes if overlaps(n.range, shown)]
        colours: dict[VerseRef, str] = {}
        for highlight in highlights:  # later highlights win where they overlap
            for ref in refs:
                if covers(highlight.range, ref):
                    colours[ref] = highlight.color
        return Marks(
            highlights=colours,
            bookmarked=frozenset(r for r in refs for b in bookmarks if r == b.start),
            noted=frozenset(r for r in refs for n in notes if r == n.end),
        )

    def bookmark_on(self, rng: VerseRange) -> Bookmark | None:
        """The bookmark of exactly this range (what the bookmark key toggles)."""
        return next((b for b in self.bookmarks if b.range == rng), None)

    def highlights_over(self, rng: VerseRange) -> tuple[Highlight, ...]:
        return tuple(h for h in self.highlights if overlaps(h.range, rng))

    def note_on(self, rng: VerseRange) -> Note | None:
        """The note to edit for a selection: one on exactly this range, else one covering it."""
        exact = next((n for n in self.notes if n.range == rng), None)
        if exact is not None:
            return exact
        if rng.start != rng.end:
            return None
        return next((n for n in reversed(self.notes) if covers(n.range, rng.start)), None)


def selection_text(passage: Passage, refs: Iterable[VerseRef], reference: str) -> str:
    """What "copy" puts on the clipboard: the reference and translation, then the verses."""
    wanted = set(refs)
    verses = [v for v in passage.verses if v.ref in wanted and not v.omitted]
    body = " ".join(
        f"{v.ref.verse} {v.plain_text}" if len(verses) > 1 else v.plain_text for v in verses
    )
    return f"{reference} ({passage.translation})\n{body}"
