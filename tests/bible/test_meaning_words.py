"""The word side of meaning search: FTS5's BM25 computed in Python over every translation,
word forms matched by a shared root, and a bounded index look-up."""

from __future__ import annotations

import pytest

from verse_tui.bible import bm25, meaning_search, sqlite_bible_client
from verse_tui.bible.meaning_search import search_meaning
from verse_tui.bible.search_syntax import SearchTooBroadError
from verse_tui.bible.sqlite_bible_client import SqliteBibleClient
from verse_tui.domain.bible import SearchPage


def _osis(page: SearchPage) -> list[str]:
    return [hit.verse.osis for hit in page.hits]


def test_the_word_score_is_the_bm25_fts5_gives(bible: SqliteBibleClient) -> None:
    """Same tokens, constants and statistics: the score equals FTS5's own rank, negated."""
    rows = bible._query(
        "SELECT rowid, rank FROM verses_fts WHERE verses_fts MATCH 'faith OR hope' "
        "ORDER BY rank LIMIT 8"
    )
    marks = ", ".join("?" * len(rows))
    sql = f"SELECT id, text FROM verses_plain WHERE id IN ({marks})"
    texts: dict[int, str] = dict(bible._query(sql, tuple(r for r, _ in rows)))
    stats = bible.word_stats(["faith", "hope"])
    query = {bm25.stem(word): stats.idf(word) for word in ("faith", "hope")}
    for row_id, rank in rows:
        assert bm25.score(stats, query, texts[row_id]) == pytest.approx(-rank, rel=1e-9)
    assert bm25.score(stats, query, "Nothing here matches.") == 0.0


def test_the_forms_of_a_word_share_a_root() -> None:
    assert {bm25.stem(w) for w in ("work", "works", "worketh", "working", "worked")} == {"work"}
    assert {bm25.stem(w) for w in ("love", "loves", "loved", "loveth", "loving")} == {"lov"}
    assert {bm25.stem(w) for w in ("worry", "worries", "worried")} == {"worry"}
    assert [bm25.stem(w) for w in ("jesus", "is", "goodness", "the")] == [
        "jesus",
        "is",
        "goodness",
        "the",
    ]


def test_a_kjv_wording_finds_its_verse_in_the_web(bible: SqliteBibleClient) -> None:
    """The WEB's 1 Corinthians 13:4 says "Love is patient": the words match in the KJV."""
    page = search_meaning(bible, "charity suffereth long", "WEB", limit=3)
    assert _osis(page)[0] == "1Cor.13.4" and page.hits[0].translation == "WEB"


def test_a_query_of_common_words_is_ranked_by_them_without_an_index_look_up(
    bible: SqliteBibleClient,
) -> None:
    words = ["i", "am", "that"]
    stats = bible.word_stats(words)
    assert all(stats.counts[w] > meaning_search.RARE_SHARE * stats.verses for w in words)
    assert "Exod.3.14" in _osis(search_meaning(bible, "I am that I am", "KJV", limit=5))


def test_a_word_look_up_over_its_time_budget_leaves_the_meaning_order(
    bible: SqliteBibleClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_bible_client, "SEARCH_BUDGET", -1.0)
    with pytest.raises(SearchTooBroadError):
        bible.keys_matching(["shepherd"], 1, 99_999_999, 10)
    page = search_meaning(bible, "the Lord is my shepherd", "KJV", limit=5)
    assert "Ps.23.1" in _osis(page)


def test_book_and_testament_narrow_the_word_side_too(bible: SqliteBibleClient) -> None:
    keys = bible.keys_matching(["shepherd"], 19_000_000, 19_999_999, 50)
    assert keys and all(19_000_000 <= key <= 19_999_999 for key in keys)
    page = search_meaning(bible, "charity suffereth long", "KJV", testament="OT", limit=5)
    assert page.hits and all(hit.verse.ref.book <= 39 for hit in page.hits)
