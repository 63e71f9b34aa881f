"""Full-text search: whole words, phrases, prefixes, boolean syntax, filters, pages, errors."""

from __future__ import annotations

import re
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verse_tui.bible.search_syntax import to_fts_query
from verse_tui.errors import InputError


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def test_plain_word_matches_the_whole_word_only(bible) -> None:
    page = bible.search("faith", "KJV", limit=500)
    assert page.total == len(page.hits) > 200
    assert all("faith" in _words(hit.verse.plain_text) for hit in page.hits)
    faithful_only = [
        h.verse.ref
        for h in bible.search("faithful", "KJV", limit=500).hits
        if "faith" not in _words(h.verse.plain_text)
    ]
    assert faithful_only
    assert not set(faithful_only) & {h.verse.ref for h in page.hits}


def test_hits_are_ranked_and_marked(bible) -> None:
    page = bible.search("faith", "KJV", limit=5)
    ranks = [hit.rank for hit in page.hits]
    assert ranks == sorted(ranks)
    assert "«faith»" in page.hits[0].snippet
    assert page.hits[0].translation == "KJV"


def test_phrase(bible) -> None:
    page = bible.search('"living water"', "KJV", limit=50)
    assert page.total == 3
    assert all("living water" in h.verse.plain_text.lower() for h in page.hits)
    assert bible.search("living water", "KJV").total > page.total


def test_prefix(bible) -> None:
    prefix = bible.search("faith*", "KJV").total
    assert prefix > bible.search("faith", "KJV").total
    page = bible.search("faith*", "KJV", limit=1000)
    assert page.total == len(page.hits) == prefix
    assert all(any(w.startswith("faith") for w in _words(h.verse.plain_text)) for h in page.hits)
    assert any("faithless" in _words(h.verse.plain_text) for h in page.hits)


def test_boolean_operators(bible) -> None:
    both = bible.search("faith AND hope", "KJV", limit=100)
    assert all({"faith", "hope"} <= set(_words(h.verse.plain_text)) for h in both.hits)
    either = bible.search("faith OR hope", "KJV").total
    without = bible.search("faith NOT hope", "KJV").total
    faith, hope = bible.search("faith", "KJV").total, bible.search("hope", "KJV").total
    assert either == faith + hope - both.total
    assert without == faith - both.total


def test_supplied_words_are_searched_without_their_brackets(bible) -> None:
    page = bible.search('"darkness was upon"', "KJV")
    assert "Gen.1.2" in [h.verse.osis for h in page.hits]
    assert all("[" not in h.snippet for h in page.hits)


def test_words_with_apostrophes_and_hyphens(bible) -> None:
    page = bible.search("don't", "WEB", limit=3)
    assert page.total > 100
    assert "don’t" in page.hits[0].verse.text.lower()
    assert bible.search("burnt-offering", "KJV").total > 0


def test_omitted_verses_are_not_indexed(bible) -> None:
    asv = bible.search("Howbeit this kind goeth not out", "ASV")
    assert "Matt.17.21" not in [h.verse.osis for h in asv.hits]
    assert bible.search('"dummy verses"', "WEB").total == 0


def test_book_and_testament_filters(bible) -> None:
    romans = bible.search("faith", "KJV", book=45, limit=100)
    assert romans.total == len(romans.hits) > 0
    assert {h.verse.ref.book for h in romans.hits} == {45}
    ot = bible.search("faith", "KJV", testament="OT", limit=100)
    nt = bible.search("faith", "KJV", testament="nt")
    assert {h.verse.ref.book for h in ot.hits} <= set(range(1, 40))
    assert ot.total + nt.total == bible.search("faith", "KJV").total
    assert bible.search("faith", "KJV", book=45, testament="OT").total == 0
    with pytest.raises(InputError, match="testament"):
        bible.search("faith", "KJV", testament="apocrypha")


def test_pagination_and_total(bible) -> None:
    everything = bible.search("faith", "KJV", limit=1000)
    first = bible.search("faith", "KJV", limit=10)
    second = bible.search("faith", "KJV", limit=10, offset=10)
    assert first.total == second.total == everything.total
    assert [h.verse.ref for h in first.hits + second.hits] == [
        h.verse.ref for h in everything.hits[:20]
    ]
    assert second.offset == 10
    assert bible.search("faith", "KJV", offset=10_000).hits == ()


def test_translations_are_searched_separately(bible) -> None:
    assert bible.search("Jehovah", "KJV").total < bible.search("Jehovah", "ASV").total
    assert bible.search("Yahweh", "WEB").total > 0 == bible.search("Yahweh", "KJV").total


@pytest.mark.parametrize(
    "query", ["faith AND", "(hope", '"living water', "NOT", "***", "", "   ", "faith OR OR hope"]
)
def test_malformed_queries_are_input_errors(bible, query) -> None:
    with pytest.raises(InputError, match="Use words"):
        bible.search(query, "KJV")


def test_bad_paging_is_an_input_error(bible) -> None:
    with pytest.raises(InputError):
        bible.search("faith", "KJV", limit=0)


def test_query_translation() -> None:
    assert to_fts_query("faith") == "faith"
    assert to_fts_query("faith* AND (hope OR love)") == "faith* AND ( hope OR love )"
    assert to_fts_query("don't") == '"don t"'
    assert to_fts_query('"living water"') == '"living water"'


FULL_RANKING = """
SELECT rowid, rank FROM verses_fts WHERE verses_fts MATCH ? AND rowid BETWEEN ? AND ?
ORDER BY rank
"""


@pytest.fixture(scope="module")
def raw_db(bible_path):
    conn = sqlite3.connect(f"{bible_path.resolve().as_uri()}?mode=ro", uri=True)
    yield conn
    conn.close()


def _scope(translation: int, book: int | None) -> tuple[int, int]:
    base = translation * 100_000_000
    if book is None:
        return base, base + 99_999_999
    return base + book * 1_000_000, base + book * 1_000_000 + 999_999


@pytest.mark.parametrize(
    ("word", "book", "offset", "limit"),
    [
        ("god", None, 0, 20),
        ("LORD", None, 40, 20),
        ("the", None, 290, 20),  # runs past the precomputed 300: the FTS5 query answers
        ("god", 19, 0, 20),  # Psalms
        ("lord", 45, 0, 50),  # Romans: fewer in the precomputed list than asked for
        ("and", 57, 0, 100),  # Philemon: every match
    ],
)
def test_common_words_rank_exactly_like_fts5(bible, raw_db, word, book, offset, limit) -> None:
    page = bible.search(word, "KJV", book=book, limit=limit, offset=offset)
    full = raw_db.execute(FULL_RANKING, (word, *_scope(1, book))).fetchall()
    rank_of = dict(full)
    assert page.total == len(full)
    assert [h.rank for h in page.hits] == [rank for _, rank in full[offset : offset + limit]]
    for hit in page.hits:
        assert hit.rank == rank_of[_row_id(hit)]
        assert f"«{word.lower()}»" in hit.snippet.lower()


def _row_id(hit, translation: int = 1) -> int:
    ref = hit.verse.ref
    return translation * 100_000_000 + ref.book * 1_000_000 + ref.chapter * 1000 + ref.verse


def test_common_words_use_the_precomputed_ranking(bible) -> None:
    scope = _scope(1, None)
    assert bible._precomputed(1, "god", scope, 3892, 20) is not None
    assert bible._precomputed(1, "faith", scope, 231, 20) is None
    assert bible._precomputed(1, "god AND love", scope, 100, 20) is None


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.sampled_from([*"ab \"*()-:^'’é", " AND ", " OR ", " NOT ", "NEAR"])).map("".join)
)
def test_no_search_text_crashes(bible, text) -> None:
    try:
        page = bible.search(text, "KJV", limit=3)
    except InputError:
        return
    assert page.total >= len(page.hits)
