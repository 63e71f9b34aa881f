"""The verse layouts (versifications) of the SWORD Bible modules Verse reads (build time only).

A SWORD verse-keyed module has one index slot per book, chapter and verse of its
versification, in order (see `sword.py`), so reading it needs every book and every chapter's
verse count, including the books Verse does not show. Two layouts are used:

- `KJV` (engKJV2006eb, the MHCC and Treasury of David commentaries): Verse's 66 books, verse
  counts as `canon`, except Romans 14 with 23 verses (`canon` allows the WEB's 14:24-26).
- `NRSVA` (engWEB2015eb): SWORD's "NRSV with Apocrypha" (`canon_nrsva.h` in libsword 1.9).
  Its Old Testament file holds the 39 books with the KJV's chapter and verse counts, then 18
  deuterocanonical books (after Malachi, before the New Testament file starts); the New
  Testament has the KJV's books and chapters with two longer chapters: 3 John 1 has a verse
  15 and Revelation 12 a verse 18 (where the KJV and the WEB end at 14 and 17).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from verse_tui.bible import canon


@dataclass(frozen=True, slots=True)
class BookLayout:
    osis: str
    number: int | None  # Verse's book number (1..66); None for a book Verse does not show
    verses: tuple[int, ...]  # the verse count of each chapter


@dataclass(frozen=True, slots=True)
class Versification:
    name: str
    ot: tuple[BookLayout, ...]  # the books of the module's ot.* files, in order
    nt: tuple[BookLayout, ...]

    def verse_count(self, book: int, chapter: int) -> int:
        return _shown(self)[book].verses[chapter - 1]

    def verses(self, books: range = range(1, 67)) -> Iterator[tuple[int, int, int]]:
        """(book, chapter, verse) of every verse of the 66 books in `books`, in order."""
        shown = _shown(self)
        for book in books:
            for chapter, count in enumerate(shown[book].verses, start=1):
                for verse in range(1, count + 1):
                    yield book, chapter, verse


def _shown(v11n: Versification) -> dict[int, BookLayout]:
    return {b.number: b for b in v11n.ot + v11n.nt if b.number is not None}


def _canon_books(numbers: range, changes: dict[tuple[int, int], int]) -> tuple[BookLayout, ...]:
    """Verse's books `numbers` with the `canon` verse counts, `changes` applied."""
    return tuple(
        BookLayout(
            b.osis,
            b.number,
            tuple(
                changes.get((b.number, ch), canon.verse_count(b, ch))
                for ch in range(1, b.chapters + 1)
            ),
        )
        for b in canon.BOOKS[numbers.start - 1 : numbers.stop - 1]
    )


_KJV_CHANGES = {(45, 14): 23}
KJV = Versification(
    "KJV",
    _canon_books(range(1, 40), _KJV_CHANGES),
    _canon_books(range(40, 67), _KJV_CHANGES),
)

# The deuterocanonical books of NRSVA, in their order after Malachi, with their verse counts.
# fmt: off
_NRSVA_DEUTEROCANON: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("Tob", (22, 14, 17, 21, 22, 18, 16, 21, 6, 13, 18, 22, 17, 15)),
    ("Jdt", (16, 28, 10, 15, 24, 21, 32, 36, 14, 23, 23, 20, 20, 19, 14, 25)),
    ("EsthGr", (22, 23, 15, 17, 14, 14, 10, 17, 32, 13, 12, 6, 18, 19, 16, 24)),
    ("Wis", (16, 24, 19, 20, 23, 25, 30, 21, 18, 21, 26, 27, 19, 31, 19, 29, 21, 25, 22)),
    ("Sir", (30, 18, 31, 31, 15, 37, 36, 19, 18, 31, 34, 18, 26, 27, 20, 30, 32, 33, 30, 31,
             28, 27, 27, 34, 26, 29, 30, 26, 28, 25, 31, 24, 33, 31, 26, 31, 31, 34, 35, 30,
             22, 25, 33, 23, 26, 20, 25, 25, 16, 29, 30)),
    ("Bar", (22, 35, 37, 37, 9, 73)),
    ("PrAzar", (68,)),
    ("Sus", (64,)),
    ("Bel", (42,)),
    ("1Macc", (64, 70, 60, 61, 68, 63, 50, 32, 73, 89, 74, 53, 53, 49, 41, 24)),
    ("2Macc", (36, 32, 40, 50, 27, 31, 42, 36, 29, 38, 38, 45, 26, 46, 39)),
    ("1Esd", (58, 30, 24, 63, 73, 34, 15, 96, 55)),
    ("PrMan", (15,)),
    ("AddPs", (7,)),
    ("3Macc", (29, 33, 30, 21, 51, 41, 23)),
    ("2Esd", (40, 48, 36, 52, 56, 59, 140, 63, 47, 59, 46, 51, 58, 48, 63, 78)),
    ("4Macc", (35, 24, 21, 26, 38, 35, 23, 29, 32, 21, 27, 19, 27, 20, 32, 25, 24, 24)),
)
# fmt: on
# Where NRSVA's 66 books differ from the KJV layout (Romans 14 has 23 verses in both).
NRSVA_CHANGES = {(45, 14): 23, (64, 1): 15, (66, 12): 18}
NRSVA = Versification(
    "NRSVA",
    _canon_books(range(1, 40), NRSVA_CHANGES)
    + tuple(BookLayout(osis, None, verses) for osis, verses in _NRSVA_DEUTEROCANON),
    _canon_books(range(40, 67), NRSVA_CHANGES),
)
