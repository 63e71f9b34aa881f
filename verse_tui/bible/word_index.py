"""The word-index statistics and texts meaning search scores verses with, over `bible.sqlite`.

Part of `SqliteBibleClient` (a mixin, so that its SQL stays with the client's and its file
stays small): the client provides the connection, its lock and `_query`.
"""

from __future__ import annotations

import sqlite3
from _thread import LockType

from verse_tui.bible import canon
from verse_tui.domain.bible import Translation

TYPE_CHECKING = False  # `typing` costs ~7 ms on the `verse read` path
if TYPE_CHECKING:
    from typing import Any

    from verse_tui.bible.bm25 import WordStats

_WORD_COUNTS_KEPT = 20_000  # words whose verse counts are kept (a few MB at most)
_VOCAB_SQL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_words USING fts5vocab(main, verses_fts, row)"
)
_AVERAGES_SQL = "SELECT block FROM verses_fts_data WHERE id = 1"  # FTS5: rows, then tokens
_DOC_COUNT_SQL = "SELECT doc FROM temp.fts_words WHERE term = ?"
_PLAIN_AT_SQL = "SELECT id, text FROM verses_plain WHERE id IN ({marks})"


class WordIndexQueries:
    """`word_stats` and `texts_at` of `SqliteBibleClient`."""

    _db: sqlite3.Connection
    _lock: LockType
    _translations: dict[int, Translation]
    _averages: tuple[int, float] | None
    _word_counts: dict[str, int]

    def _query(
        self, sql: str, params: tuple[object, ...] = (), deadline: float | None = None
    ) -> list[tuple[Any, ...]]:
        raise NotImplementedError  # SqliteBibleClient's

    def word_stats(self, words: list[str]) -> WordStats:
        """The word index's size and mean verse length (all translations, from FTS5's own
        averages record) and how many verses hold each of `words` (one look-up a word:
        fts5vocab scans the whole vocabulary for IN). Counts are kept for the process: counting
        "the" walks 92,000 entries (~5 ms)."""
        from verse_tui.bible.bm25 import WordStats, varints

        if self._averages is None:
            with self._lock:
                self._db.execute(_VOCAB_SQL)
            verses, tokens = varints(self._query(_AVERAGES_SQL)[0][0])[:2]
            self._averages = (verses, tokens / verses)
        counts = {}
        for word in words:
            count = self._word_counts.get(word)
            if count is None:
                if len(self._word_counts) >= _WORD_COUNTS_KEPT:
                    self._word_counts.clear()
                found = self._query(_DOC_COUNT_SQL, (word,))
                count = self._word_counts[word] = found[0][0] if found else 0
            counts[word] = count
        return WordStats(*self._averages, counts)

    def texts_at(self, keys: list[int]) -> dict[int, list[str]]:
        """Every translation's searchable text (no supplied-word brackets) at these verse keys."""
        ids = [n * canon.VERSE_KEY_SPAN + key for n in self._translations for key in keys]
        if not ids:
            return {}
        texts: dict[int, list[str]] = {}
        sql = _PLAIN_AT_SQL.format(marks=", ".join("?" * len(ids)))
        for row_id, text in self._query(sql, tuple(ids)):
            texts.setdefault(row_id % canon.VERSE_KEY_SPAN, []).append(text)
        return texts
