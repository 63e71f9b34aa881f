"""Precomputed best-first results for the most common words (the `ranked` table).

FTS5 ranks by computing bm25 for every matching verse, about 0.8 µs each: fine for "faith"
(231 verses, 0.3 ms) but 3-6 ms for "God" or "LORD" (4,000-7,000 verses). For each word found
in at least `MIN_MATCHES` verses of a translation, the build stores the first `KEEP` verse ids
and their bm25 ranks, in the order FTS5 itself returns them. A one-word search then reads that
list instead of ranking everything. The list is a prefix of the full ranking, so narrowing it
to a book or testament keeps the order; when it runs short of the page asked for, the client
falls back to the FTS5 query. Used by `build.py` (to fill the table) and the client (to read it).
"""

from __future__ import annotations

import re
import sqlite3
import sys
from array import array
from collections import Counter

MIN_MATCHES = 1500
KEEP = 300  # 15 pages of 20; 3.6 KB a row, so each list fits in one 4 KB page

_WORD = re.compile(r"\w+")
_RANK_SQL = """
SELECT rowid, rank FROM verses_fts WHERE verses_fts MATCH ? AND rowid BETWEEN ? AND ?
ORDER BY rank LIMIT ?
"""


def pack(ids: list[int], ranks: list[float]) -> tuple[bytes, bytes]:
    """Verse ids (as 4-byte unsigned ints) and ranks (8-byte floats), little-endian."""
    id_array, rank_array = array("I", ids), array("d", ranks)
    if sys.byteorder == "big":
        id_array.byteswap()
        rank_array.byteswap()
    return id_array.tobytes(), rank_array.tobytes()


def unpack(ids: bytes, ranks: bytes) -> tuple[array[int], array[float]]:
    id_array, rank_array = array("I"), array("d")
    id_array.frombytes(ids)
    rank_array.frombytes(ranks)
    if sys.byteorder == "big":
        id_array.byteswap()
        rank_array.byteswap()
    return id_array, rank_array


def common_words(db: sqlite3.Connection, low: int, high: int) -> list[str]:
    """Words found in at least MIN_MATCHES verses with ids in [low, high], sorted."""
    counts: Counter[str] = Counter()
    rows = db.execute("SELECT text FROM verses_plain WHERE id BETWEEN ? AND ?", (low, high))
    for (text,) in rows:
        counts.update(set(_WORD.findall(text.lower())))
    return sorted(word for word, n in counts.items() if n >= MIN_MATCHES)


def ranked_rows(
    db: sqlite3.Connection, number: int, low: int, high: int
) -> list[tuple[int, str, bytes, bytes]]:
    """(translation, word, ids, ranks) rows for the `ranked` table of one translation."""
    rows = []
    for word in common_words(db, low, high):
        ranked = db.execute(_RANK_SQL, (f'"{word}"', low, high, KEEP)).fetchall()
        rows.append((number, word, *pack([i for i, _ in ranked], [r for _, r in ranked])))
    return rows
