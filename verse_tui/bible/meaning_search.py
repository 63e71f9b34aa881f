"""Meaning search as one synchronous call, shared by `BibleService` and `verse search --meaning`.

A query holding a quoted phrase goes to the word index, and one that is a reference ("Rom 8:28")
shows the verses it names (the word index finds nothing for "Romans 8 28"): the person plainly
means those words or that verse. Anything else is ranked by meaning (`meaning.py`). The
model loads on the first call and stays loaded for the process.
"""

from __future__ import annotations

import re
from _thread import allocate_lock
from pathlib import Path

from verse_tui.bible.meaning import MEANING_DB_NAME, MeaningIndex
from verse_tui.bible.references import parse_reference
from verse_tui.bible.sqlite_bible_client import SqliteBibleClient
from verse_tui.config import shipped_data_dir
from verse_tui.domain.bible import Reference, SearchHit, SearchPage, Verse
from verse_tui.errors import InputError, VerseError

MAX_LIMIT = 500
EXTRA = 20  # candidates beyond `limit`, for verses the translation omits
POOL = 100  # meaning candidates the word order re-ranks
FUSION_K = 10
_WORD = re.compile(r"\w+")

_indexes: dict[Path, MeaningIndex] = {}
_lock = allocate_lock()


def meaning_index(path: Path | None = None) -> MeaningIndex:
    """The loaded index at `path` (default: the shipped one), loading it on first use."""
    where = path or shipped_data_dir() / MEANING_DB_NAME
    with _lock:
        index = _indexes.get(where)
        if index is None:
            index = _indexes[where] = MeaningIndex(where)
        return index


def as_reference(query: str) -> Reference | None:
    """The reference a query names ("John 3:16", with a number), or None."""
    if not any(char.isdigit() for char in query):
        return None
    try:
        return parse_reference(query)
    except VerseError:
        return None


def _reference_page(
    client: SqliteBibleClient, query: str, translation: str, reference: Reference, limit: int
) -> SearchPage:
    """The verses a reference names, as hits without a score."""
    passage = client.passage(translation, reference)
    verses = [v for v in passage.verses if not v.omitted][:limit]
    hits = tuple(SearchHit(v, passage.translation, v.plain_text, 0.0) for v in verses)
    return SearchPage(query, passage.translation, len(hits), 0, hits)


def search_meaning(
    client: SqliteBibleClient,
    query: str,
    translation: str,
    *,
    book: int | None = None,
    testament: str | None = None,
    limit: int = 20,
    index_path: Path | None = None,
    hybrid: bool = True,
) -> SearchPage:
    """The verses closest in meaning to `query`, best first, each with its `score` (0..1).

    The POOL verses closest in meaning are ranked again by reciprocal rank fusion of their
    meaning order and their word order (how rare the query's words each verse holds are);
    the score is the fused one. `hybrid=False` keeps the meaning order alone, scored by cosine
    similarity. Measured in docs/benchmarks.md: the fusion
    finds more of the paraphrase set (recall@10 0.875 -> 0.923 in the WEB).
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"The result limit must be between 1 and {MAX_LIMIT}.")
    if not query.strip():
        raise InputError("Say what the verse is about, e.g. God works everything for good.")
    if '"' in query:
        return client.search(query, translation, book=book, testament=testament, limit=limit)
    reference = as_reference(query)
    if reference is not None:
        return _reference_page(client, query, translation, reference, limit)
    first, last = client.key_range(translation, book, testament)
    code = client.translation_code(translation)
    pool = meaning_index(index_path).search(query, first, last, max(POOL, limit + EXTRA))
    verses = client.verses_at(translation, [key for key, _ in pool])
    ranked = [(key, score) for key, score in pool if key in verses]
    if hybrid:
        order = [key for key, _ in ranked]
        ranked = _fused(order, _word_order(client, query, order, verses))
    hits = tuple(
        SearchHit(verses[key], code, verses[key].plain_text, -score, score)
        for key, score in ranked[:limit]
    )
    return SearchPage(query, code, len(hits), 0, hits)


def _word_order(
    client: SqliteBibleClient, query: str, keys: list[int], verses: dict[int, Verse]
) -> list[int]:
    """The candidates holding any of the query's words, rarest words' total first."""
    rarity = client.word_rarity(sorted({word.lower() for word in _WORD.findall(query)}))
    scored = []
    for position, key in enumerate(keys):
        present = set(_WORD.findall(verses[key].plain_text.lower()))
        total = sum(value for word, value in rarity.items() if word in present)
        if total > 0:
            scored.append((-total, position, key))
    return [key for _, _, key in sorted(scored)]


def _fused(*rankings: list[int]) -> list[tuple[int, float]]:
    """Reciprocal rank fusion: each ranking adds 1 / (FUSION_K + rank) to a verse's score.

    The score is scaled to 0..1: 1 is a verse first in every ranking.
    """
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, key in enumerate(ranking, start=1):
            fused[key] = fused.get(key, 0.0) + 1 / (FUSION_K + rank)
    best = len(rankings) / (FUSION_K + 1)
    return sorted(((key, score / best) for key, score in fused.items()), key=lambda p: -p[1])
