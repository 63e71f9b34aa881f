"""Meaning search as one synchronous call, shared by `BibleService` and `verse search --meaning`.

A query holding a quoted phrase goes to the word index, and one that is a reference ("Rom 8:28")
shows the verses it names (the word index finds nothing for "Romans 8 28"): the person plainly
means those words or that verse. Anything else is ranked by meaning (`meaning.py`) together
with its words' BM25 in every translation (`bm25.py`; `search_meaning` says how). The model
loads on the first call and stays loaded for the process.
"""

from __future__ import annotations

from _thread import allocate_lock
from pathlib import Path

from verse_tui.bible import bm25
from verse_tui.bible.meaning import MEANING_DB_NAME, MeaningIndex
from verse_tui.bible.references import parse_reference
from verse_tui.bible.search_syntax import SearchTooBroadError
from verse_tui.bible.sqlite_bible_client import SqliteBibleClient
from verse_tui.config import shipped_data_dir
from verse_tui.domain.bible import Reference, SearchHit, SearchPage
from verse_tui.errors import InputError, VerseError

MAX_LIMIT = 500
EXTRA = 20  # candidates beyond `limit`, for verses the translation omits
POOL = 100  # verses closest in meaning: candidates of the hybrid
CLOSE = 30  # of those, the closest are scored by their words too
WORD_POOL = 50  # verses best matching the query's uncommon words, scored too
RARE_SHARE = 0.01  # a word held by more of all verses than this does not select candidates
MAX_WORDS = 40  # distinct query words scored, as in word search
WORDS = 1.0  # the word score's weight beside the cosine (chosen on the development set)

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

    Hybrid (the default): a verse's score is its cosine similarity to the query plus WORDS
    times its word score (`_word_scores`) over the best word score, halved back into 0..1;
    verses past the POOL closest count with the POOL-th cosine. `hybrid=False` keeps the
    meaning order alone, scored by cosine similarity. Measured in docs/benchmarks.md.
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
    wanted = limit + EXTRA
    pool = meaning_index(index_path).search(query, first, last, max(POOL, wanted))
    ranked = pool
    if hybrid and pool:
        close = [key for key, _ in pool]
        ranked = _combined(pool, _word_scores(client, query, first, last, close))
    verses = client.verses_at(translation, [key for key, _ in ranked[:wanted]])
    hits = tuple(
        SearchHit(verses[key], code, verses[key].plain_text, -score, score)
        for key, score in ranked[:wanted]
        if key in verses
    )
    return SearchPage(query, code, len(hits[:limit]), 0, hits[:limit])


def _word_scores(
    client: SqliteBibleClient, query: str, first: int, last: int, close: list[int]
) -> dict[int, float]:
    """The candidates' BM25 scores for the query's words (in their best translation), by key.

    The candidates are the verses closest in meaning plus the WORD_POOL verses that best match
    the query's uncommon words (held by at most RARE_SHARE of all verses: only those are
    looked up in the index, which keeps the look-up to milliseconds). Every query word counts
    in the score, common ones too, each matching any form of itself (`bm25.stem`: "works"
    finds "work together"), and a verse scores as its best-scoring translation, so a modern
    word finds the verse through the WEB and a KJV word through the KJV.
    """
    words = list(dict.fromkeys(bm25.words(query)))[:MAX_WORDS]
    stats = client.word_stats(words)
    query_words: dict[str, float] = {}
    for word in words:
        root = bm25.stem(word)
        query_words[root] = max(query_words.get(root, 0.0), stats.idf(word))
    rare = [w for w in words if 0 < stats.counts.get(w, 0) <= RARE_SHARE * stats.verses]
    try:
        matching = client.keys_matching(rare, first, last, WORD_POOL)
    except SearchTooBroadError:  # over the time budget: rank by the close verses' words alone
        matching = []
    texts = client.texts_at(list(dict.fromkeys(close[:CLOSE] + matching)))
    scores = {}
    for key, found in texts.items():
        best = max(bm25.score(stats, query_words, text) for text in found)
        if best > 0:
            scores[key] = best
    return scores


def _combined(pool: list[tuple[int, float]], words: dict[int, float]) -> list[tuple[int, float]]:
    """Meaning and words in one score: cosine + WORDS * word score / best word score, scaled
    to 0..1 (1 is a verse that is both the closest possible and the best word match)."""
    cosine = dict(pool)
    floor = pool[-1][1]
    top = max(words.values(), default=1.0)
    scale = 1 + WORDS
    combined = {
        key: (cosine.get(key, floor) + WORDS * words.get(key, 0.0) / top) / scale
        for key in cosine.keys() | words.keys()
    }
    return sorted(combined.items(), key=lambda item: (-item[1], item[0]))
