"""Search is not a denial of service (issue 10, item 5): every query's work is bounded before it
runs (length, words, prefixes) and while it runs (a time budget), and paging is range-checked.
Hypothesis times the syntax against a 100 ms deadline and a whole search against one second."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verse_tui.bible import sqlite_bible_client
from verse_tui.bible.search_syntax import (
    MAX_LENGTH,
    MAX_PREFIXES,
    MAX_TERMS,
    MIN_PREFIX,
    SearchSyntaxError,
    SearchTooBroadError,
    to_fts_query,
)
from verse_tui.bible.sqlite_bible_client import MAX_LIMIT, MAX_OFFSET
from verse_tui.domain.bible import Reference, VerseRange, VerseRef
from verse_tui.errors import InputError
from verse_tui.services.bible import BibleService


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (" OR ".join(["a*"] * 300), f"keep it under {MAX_LENGTH}"),
        (" ".join(["love"] * (MAX_TERMS + 1)), f"{MAX_TERMS + 1} words"),
        ('"' + " ".join(["in"] * (MAX_TERMS + 1)) + '"', "at most 40"),  # words of a phrase count
        ("a*", f"at least {MIN_PREFIX} letters"),
        ("faith OR th*", "th* would match too many words"),
        ('"in the be"*', "be* would match too many words"),
        (" OR ".join(f"lov{c}*" for c in "abcdef"), f"at most {MAX_PREFIXES}"),
    ],
)
def test_over_broad_queries_are_refused_before_they_run(query: str, message: str) -> None:
    with pytest.raises(SearchTooBroadError) as caught:
        to_fts_query(query)
    assert message in str(caught.value)
    assert isinstance(caught.value, InputError)


def test_queries_at_the_limits_still_run(bible) -> None:
    words = " ".join(["love"] * MAX_TERMS)
    assert bible.search(words, "KJV").total > 0
    prefixes = " OR ".join(["lov*", "fai*", "hop*", "cha*", "gra*"][:MAX_PREFIXES])
    assert bible.search(prefixes, "KJV").total > 0
    assert bible.search('""* faith', "KJV").total > 0  # an empty phrase is no prefix


def test_a_search_over_its_time_budget_stops_and_the_client_goes_on(bible, monkeypatch) -> None:
    monkeypatch.setattr(sqlite_bible_client, "SEARCH_BUDGET", 0.0)
    with pytest.raises(SearchTooBroadError, match="too broad to finish quickly"):
        bible.search("the OR and", "KJV")
    monkeypatch.undo()
    assert bible.search("the OR and", "KJV", limit=1).total > 28000  # the budget is reset
    john = bible.passage("KJV", Reference((VerseRange(VerseRef(43, 3, 16), VerseRef(43, 3, 16)),)))
    assert john.verses[0].text.startswith("For God so loved")  # no handler left behind


@pytest.mark.parametrize(
    ("limit", "offset"),
    [(0, 0), (MAX_LIMIT + 1, 0), (10**30, 0), (20, -1), (20, MAX_OFFSET + 1), (20, 10**30)],
)
async def test_the_service_refuses_absurd_paging(bible, limit: int, offset: int) -> None:
    service = BibleService(bible)
    with pytest.raises(InputError, match=f"between 1 and {MAX_LIMIT}"):
        await service.search("faith", "KJV", limit=limit, offset=offset)


async def test_the_service_pages_to_the_edges(bible) -> None:
    service = BibleService(bible)
    assert len((await service.search("the", "KJV", limit=MAX_LIMIT)).hits) == MAX_LIMIT
    past = await service.search("faith", "KJV", offset=MAX_OFFSET)
    assert (past.total, past.hits) == (231, ())


SEARCH_ALPHABET = [*"ab \"*()-:^'’é", "the", "lov", "faith", " AND ", " OR ", " NOT ", "NEAR"]
search_text = st.one_of(
    st.text(max_size=600),
    st.lists(st.sampled_from(SEARCH_ALPHABET), max_size=300).map("".join),
)


@settings(deadline=timedelta(milliseconds=100), max_examples=300)
@given(search_text)
def test_any_text_gives_a_query_or_an_input_error_quickly(text: str) -> None:
    try:
        match = to_fts_query(text)
    except (SearchSyntaxError, SearchTooBroadError) as error:
        assert str(error)
        return
    assert match.strip()


@settings(
    deadline=timedelta(seconds=1),
    max_examples=150,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(search_text)
def test_any_search_answers_or_refuses_within_a_second(bible, text: str) -> None:
    try:
        page = bible.search(text, "KJV", limit=3)
    except InputError as error:
        assert str(error)
        return
    assert page.total >= len(page.hits)
