"""BibleService: the async face of the Bible client, used by the app."""

from __future__ import annotations

import asyncio

import pytest

from verse_tui.bible import canon
from verse_tui.bible.references import ReferenceError
from verse_tui.domain.bible import Passage, SearchPage
from verse_tui.services.bible import BibleService


@pytest.fixture
def service(bible) -> BibleService:
    return BibleService(bible)


async def test_passage_from_text_or_reference(service) -> None:
    from_text = await service.passage("KJV", "jn 3:16")
    from_ref = await service.passage("KJV", service.parse("John 3:16"))
    assert isinstance(from_text, Passage)
    assert from_text == from_ref
    assert from_text.reference == "John 3:16"
    assert from_text.verses[0].osis == "John.3.16"


async def test_chapter_books_translations(service) -> None:
    chapter = await service.chapter("ASV", 19, 23)
    assert chapter.reference == "Psalm 23" and len(chapter.verses) == 6
    assert await service.books() == canon.BOOKS
    assert [t.code for t in await service.translations()] == ["KJV", "WEB", "ASV", "YLT"]


async def test_search_with_filters(service) -> None:
    page = await service.search("love", "WEB", book=62, limit=5, offset=5)
    assert isinstance(page, SearchPage)
    assert page.offset == 5 and len(page.hits) == 5 and page.total > 10
    assert {h.verse.ref.book for h in page.hits} == {62}


async def test_concurrent_calls_share_the_client(service) -> None:
    pages = await asyncio.gather(*(service.search("faith", "KJV") for _ in range(20)))
    chapters = await asyncio.gather(*(service.chapter("KJV", 1, n) for n in range(1, 21)))
    assert len({p.total for p in pages}) == 1
    assert [c.verses[0].ref.chapter for c in chapters] == list(range(1, 21))


async def test_bad_reference_text_is_a_reference_error(service) -> None:
    with pytest.raises(ReferenceError, match="John has 21 chapters"):
        await service.passage("KJV", "John 99:1")
