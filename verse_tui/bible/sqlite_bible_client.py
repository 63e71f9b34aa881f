"""Read-only access to the shipped Bible text database: the one place with its SQL.

Synchronous `sqlite3` on purpose: the fast CLI (`verse read`, `verse search`) calls it directly,
and the app calls the very same methods through `BibleService` with `asyncio.to_thread`. One
connection opened read-only and immutable, shared between threads behind a lock (each query
takes well under a millisecond). Layout of the database: see `verse_tui/bible/build.py`.
"""

from __future__ import annotations

import math
import re
import sqlite3
from _thread import allocate_lock  # threading.Lock without importing threading
from pathlib import Path
from time import monotonic

from verse_tui.bible import canon, passage_size, ranked
from verse_tui.bible.references import covers_whole_chapters, format_range, format_reference
from verse_tui.bible.search_syntax import NARROW, SEARCH_HELP, SearchTooBroadError, to_fts_query
from verse_tui.bible.shipped_db import open_shipped
from verse_tui.domain.bible import (
    Book,
    Passage,
    Reference,
    SearchHit,
    SearchPage,
    Translation,
    Verse,
    VerseRange,
    VerseRef,
)
from verse_tui.domain.text import echo
from verse_tui.errors import InputError, VerseError

TYPE_CHECKING = False  # `typing` costs ~7 ms on the `verse read` path
if TYPE_CHECKING:
    from typing import Any

TRANSLATION_SCALE = canon.VERSE_KEY_SPAN  # row id = translation index * scale + verse key
SEARCH_BUDGET = 0.5  # seconds one search may run; the broadest real queries take ~0.1 s
MAX_LIMIT = 1000  # results on one page
MAX_OFFSET = 100_000  # more than any translation's verses
_PROGRESS_STEPS = 1000  # SQLite instructions between checks of the budget
SUPPORTED_SCHEMA = "2"
REINSTALL = (
    "Reinstall Verse (`pip install --force-reinstall .` in its source folder), or if "
    "VERSE_BIBLE_DB is set, point it at a good copy of bible.sqlite."
)

_CHAPTER_SQL = "SELECT id, text, omitted FROM verses WHERE id BETWEEN ? AND ? ORDER BY id"
_VOCAB_SQL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_words USING fts5vocab(main, verses_fts, row)"
)
_PRESENT_SQL = "SELECT count(*) FROM verses WHERE omitted = 0"
_DOC_COUNT_SQL = "SELECT doc FROM temp.fts_words WHERE term = ?"
_VERSES_AT_SQL = "SELECT id, text, omitted FROM verses WHERE omitted = 0 AND id IN ({marks})"
_COUNT_SQL = "SELECT count(*) FROM verses_fts WHERE verses_fts MATCH ? AND rowid BETWEEN ? AND ?"
_SEARCH_SQL = """
SELECT v.id, v.text, highlight(verses_fts, 0, '«', '»'), verses_fts.rank
FROM verses_fts JOIN verses AS v ON v.id = verses_fts.rowid
WHERE verses_fts MATCH ? AND verses_fts.rowid BETWEEN ? AND ?
ORDER BY verses_fts.rank LIMIT ? OFFSET ?
"""
_HIGHLIGHT_SQL = """
SELECT v.id, v.text, highlight(verses_fts, 0, '«', '»')
FROM verses_fts JOIN verses AS v ON v.id = verses_fts.rowid
WHERE verses_fts MATCH ? AND verses_fts.rowid IN ({marks})
"""
_ANY_TRANSLATION_SQL = """
SELECT v.id, v.text FROM verses_fts JOIN verses AS v ON v.id = verses_fts.rowid
WHERE verses_fts MATCH ? ORDER BY verses_fts.rank LIMIT ?
"""
_RANKED_SQL = "SELECT ids, ranks FROM ranked WHERE translation = ? AND word = ?"
_RELOCATIONS_SQL = """
SELECT missing_id, present_id FROM relocations
WHERE translation = ? AND missing_id BETWEEN ? AND ? ORDER BY missing_id
"""


class BibleDataError(VerseError):
    """The Bible text database is missing or damaged."""


# A backtick at the start, after a space, a bracket or a search highlight's «, and before a
# non-space, opens a quotation; every other backtick closes one or is an apostrophe.
_OPENING_BACKTICK = re.compile(r"(?:^|(?<=[\s(\[«]))`(?=[^\s])")


def _typeset(text: str) -> str:
    """The YLT source writes apostrophes and quotation marks as backticks ("God`s",
    "`Let light be;`"); show them as ‘ where a quotation opens and ’ elsewhere (the WEB, from
    its SWORD module, has typographic ones).

    Done on reading rather than in the stored text, which stays equal to its source package.
    """
    if "`" not in text:
        return text
    return _OPENING_BACKTICK.sub("\u2018", text).replace("`", "\u2019")


def _verse(row_id: int, text: str, omitted: int) -> Verse:
    ref = canon.ref_of_key(row_id)
    return Verse(ref, canon.osis_id(ref), _typeset(text), bool(omitted))


def _check_paging(limit: int, offset: int) -> None:
    """Refuse a page no one can mean (and numbers SQLite cannot even take)."""
    if not (1 <= limit <= MAX_LIMIT and 0 <= offset <= MAX_OFFSET):
        raise InputError(
            f"The result limit must be between 1 and {MAX_LIMIT} and the offset between 0 "
            f"and {MAX_OFFSET:,}."
        )


def _id_range(ids: list[int]) -> VerseRange:
    return VerseRange(canon.ref_of_key(ids[0]), canon.ref_of_key(ids[-1]))


class SqliteBibleClient:
    """Translations, books, chapters, passages and search over `bible.sqlite`."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = allocate_lock()
        self._db = self._connect(self.path)
        self._translations = self._load_translations()
        self._numbers = {t.code: n for n, t in self._translations.items()}
        self._present: int | None = None  # verses in the word index, counted on first use

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        return open_shipped(
            path,
            name="The Bible text database",
            schema=SUPPORTED_SCHEMA,
            error=BibleDataError,
            remedy=REINSTALL,
        )

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _query(
        self, sql: str, params: tuple[object, ...] = (), deadline: float | None = None
    ) -> list[tuple[Any, ...]]:
        """Run one statement; with a `deadline` (a `monotonic()` time) SQLite stops it there
        and SearchTooBroadError says so."""
        with self._lock:
            if deadline is not None:
                self._db.set_progress_handler(lambda: monotonic() > deadline, _PROGRESS_STEPS)
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.DatabaseError as exc:
                if deadline is not None and str(exc) == "interrupted":
                    raise SearchTooBroadError(
                        "That search is too broad to finish quickly: it would read too much "
                        f"of the index. {NARROW}"
                    ) from None
                if "fts5" in str(exc) or "syntax error" in str(exc):
                    raise
                raise BibleDataError(
                    f"Cannot read the Bible text database {self.path} ({exc}). {REINSTALL}"
                ) from exc
            finally:
                if deadline is not None:
                    self._db.set_progress_handler(None, 0)

    def _load_translations(self) -> dict[int, Translation]:
        rows = self._query("SELECT number, code, name, language, license FROM translations")
        return {row[0]: Translation(*row[1:]) for row in rows}

    # -- translations and books -------------------------------------------------------------

    def translations(self) -> tuple[Translation, ...]:
        return tuple(self._translations[n] for n in sorted(self._translations))

    def _number(self, code: str) -> int:
        number = self._numbers.get(code.strip().upper())
        if number is None:
            available = ", ".join(t.code for t in self.translations())
            raise InputError(
                f"Unknown translation {echo(code)}. Installed translations: {available}."
            )
        return number

    def books(self) -> tuple[Book, ...]:
        rows = self._query("SELECT number, osis, name, testament, chapters FROM books")
        return tuple(Book(*row) for row in rows)

    # -- reading ----------------------------------------------------------------------------

    def _verses(self, number: int, first: int, last: int) -> list[Verse]:
        base = number * TRANSLATION_SCALE
        return [_verse(*row) for row in self._query(_CHAPTER_SQL, (base + first, base + last))]

    def _relocations(self, number: int, first: int, last: int) -> list[tuple[int, int]]:
        return self._query(_RELOCATIONS_SQL, (number, first, last))

    def _relocation_notes(self, code: str, pairs: list[tuple[int, int]]) -> str:
        missing, present = [m for m, _ in pairs], [p for _, p in pairs]
        verb = "is" if len(pairs) == 1 else "are"
        where, at = format_range(_id_range(missing)), format_range(_id_range(present))
        return f"In the {code}, {where} {verb} at {at}."

    def chapter(self, translation: str, book: int, chapter: int) -> Passage:
        """One chapter as this translation numbers it (a note says where verses moved)."""
        self._number(translation)  # an unknown translation is reported before a bad chapter
        last = canon.verse_count(book, chapter)  # raises ReferenceError for a bad chapter
        whole = VerseRange(VerseRef(book, chapter, 1), VerseRef(book, chapter, last))
        return self.passage(translation, Reference((whole,)))

    def passage(self, translation: str, reference: Reference) -> Passage:
        """Every verse of a parsed reference, in order.

        Verses this translation carries elsewhere (WEB Romans 16:25-27 at 14:24-26) are
        returned from where they stand, with a note; for a whole chapter only the note.
        More than `passage_size.MAX_VERSES` verses raise PassageTooLongError.
        """
        number = self._number(translation)
        passage_size.check_size(reference)
        code = self._translations[number].code
        verses: list[Verse] = []
        notes: list[str] = []
        for rng in reference.ranges:
            first, last = canon.verse_key(rng.start), canon.verse_key(rng.end)
            found = self._verses(number, first, last)
            pairs = self._relocations(number, first, last)
            if pairs:
                notes.append(self._relocation_notes(code, pairs))
                if not covers_whole_chapters(rng):
                    found = self._with_relocated(number, found, pairs)
            verses.extend(found)
        note = " ".join(notes) if notes else None
        return Passage(format_reference(reference), code, tuple(verses), note)

    def _with_relocated(
        self, number: int, found: list[Verse], pairs: list[tuple[int, int]]
    ) -> list[Verse]:
        present = [p for _, p in pairs]
        wanted = {canon.ref_of_key(p) for p in present} - {v.ref for v in found}
        moved = self._verses(number, min(present), max(present))
        return found + [v for v in moved if v.ref in wanted]

    # -- search -----------------------------------------------------------------------------

    def _scope(self, number: int, book: int | None, testament: str | None) -> tuple[int, int]:
        """The rowid range a search covers: a translation, narrowed to a book or testament."""
        first_book, last_book = 1, 66
        if testament is not None:
            key = testament.strip().upper()
            if key not in ("OT", "NT"):
                raise InputError(f"Unknown testament {echo(testament)}: use OT or NT.")
            first_book, last_book = (1, 39) if key == "OT" else (40, 66)
        if book is not None:
            canon.book(book)  # raises ReferenceError for a bad number
            if not first_book <= book <= last_book:
                return 0, -1
            first_book = last_book = book
        base = number * TRANSLATION_SCALE
        return base + first_book * 1_000_000, base + last_book * 1_000_000 + 999_999

    def search(
        self,
        query: str,
        translation: str,
        *,
        book: int | None = None,
        testament: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchPage:
        """Verses matching `query`, best first (bm25), one page, with the total count.

        Bounded work: the query's size is checked first (`search_syntax`), then it runs for at
        most SEARCH_BUDGET seconds; either limit raises SearchTooBroadError."""
        number = self._number(translation)
        code = self._translations[number].code
        _check_paging(limit, offset)
        match = to_fts_query(query)
        scope = self._scope(number, book, testament)
        deadline = monotonic() + SEARCH_BUDGET
        try:
            total = self._query(_COUNT_SQL, (match, *scope), deadline)[0][0]
            rows: list[tuple[int, str, str, float]] = []
            if offset < total:
                rows = self._page(number, match, scope, total, limit, offset, deadline)
        except sqlite3.OperationalError as exc:
            detail = str(exc).removeprefix("fts5: ")
            if detail.endswith('near ""'):
                detail = "it ends in the middle of an expression"
            raise InputError(f"Cannot search for {echo(query)} ({detail}). {SEARCH_HELP}") from exc
        hits = tuple(
            SearchHit(_verse(row_id, text, 0), code, _typeset(snippet), rank)
            for row_id, text, snippet, rank in rows
        )
        return SearchPage(query, code, total, offset, hits)

    def best_in_any_translation(self, query: str, limit: int) -> list[tuple[str, Verse]]:
        """(translation code, verse) of the best `limit` verses of all translations that
        match a search (one ranked query, no count, no highlights): where words stand."""
        match = to_fts_query(query)
        try:
            rows = self._query(_ANY_TRANSLATION_SQL, (match, limit))
        except sqlite3.OperationalError as exc:
            raise InputError(f"Cannot search for {query!r} ({exc}). {SEARCH_HELP}") from exc
        found = []
        for row_id, text in rows:
            translation = self._translations[row_id // TRANSLATION_SCALE].code
            found.append((translation, _verse(row_id, text, 0)))
        return found

    def _page(
        self,
        number: int,
        match: str,
        scope: tuple[int, int],
        total: int,
        limit: int,
        offset: int,
        deadline: float,
    ) -> list[tuple[int, str, str, float]]:
        """(id, text, snippet, rank) of one page of results, best first."""
        best = self._precomputed(number, match, scope, total, offset + limit)
        if best is None:
            return self._query(_SEARCH_SQL, (match, *scope, limit, offset), deadline)
        page = best[offset : offset + limit]
        if not page:
            return []
        sql = _HIGHLIGHT_SQL.format(marks=", ".join("?" * len(page)))
        params = (match, *(i for i, _ in page))
        found = {row[0]: row for row in self._query(sql, params, deadline)}
        return [(i, found[i][1], found[i][2], rank) for i, rank in page]

    def _precomputed(
        self, number: int, match: str, scope: tuple[int, int], total: int, needed: int
    ) -> list[tuple[int, float]] | None:
        """The best-first (id, rank) list of a one-word search from `ranked`, if it suffices."""
        if not match.isalnum():
            return None
        row = self._query(_RANKED_SQL, (number, match.lower()))
        if not row:
            return None
        low, high = scope
        ids, ranks = ranked.unpack(*row[0])
        best = [(i, r) for i, r in zip(ids, ranks, strict=True) if low <= i <= high]
        return best if len(best) >= min(needed, total) else None

    # -- meaning search support (verse_tui/bible/meaning_search.py) --------------------------

    def translation_code(self, translation: str) -> str:
        """The installed code ("KJV") of a translation typed in any case."""
        return self._translations[self._number(translation)].code

    def key_range(
        self, translation: str, book: int | None, testament: str | None
    ) -> tuple[int, int]:
        """The verse keys (book * 10^6 + chapter * 10^3 + verse) a search scope covers."""
        number = self._number(translation)
        low, high = self._scope(number, book, testament)
        base = number * TRANSLATION_SCALE
        return (low - base, high - base) if low <= high else (1, 0)

    def verses_at(self, translation: str, keys: list[int]) -> dict[int, Verse]:
        """The present (not omitted) verses of `translation` at these verse keys, by key."""
        base = self._number(translation) * TRANSLATION_SCALE
        if not keys:
            return {}
        sql = _VERSES_AT_SQL.format(marks=", ".join("?" * len(keys)))
        rows = self._query(sql, tuple(base + key for key in keys))
        return {row[0] - base: _verse(*row) for row in rows}

    def word_rarity(self, words: list[str]) -> dict[str, float]:
        """log(verses / verses holding the word) for each indexed word (all translations)."""
        if not words:
            return {}
        total = self._indexed_verses()
        rarity = {}
        for word in words:  # one lookup a word: fts5vocab scans the whole vocabulary for IN
            for (count,) in self._query(_DOC_COUNT_SQL, (word,)):
                rarity[word] = math.log(total / count)
        return rarity

    def _indexed_verses(self) -> int:
        """The number of verses in the word index; creates the word-count view on first use."""
        if self._present is None:
            with self._lock:
                self._db.execute(_VOCAB_SQL)
            self._present = self._query(_PRESENT_SQL)[0][0]
        return self._present
