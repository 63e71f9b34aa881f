"""StudyService over the shipped study.sqlite, and definitions that answer from the lexicon."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from verse_tui.app_factory import Services
from verse_tui.bible import canon
from verse_tui.domain.bible import VerseRef
from verse_tui.errors import InputError, NotFoundError
from verse_tui.llm.client import LlmClient
from verse_tui.services.definitions import DefinitionService
from verse_tui.services.study_library import StudyService


@pytest.fixture
async def study_service() -> AsyncIterator[StudyService]:
    service = StudyService()
    yield service
    service.close()


async def test_words_of_a_verse_with_their_numbers(study_service: StudyService) -> None:
    words = await study_service.verse_words(VerseRef(1, 1, 1))
    assert words.text.startswith("In the beginning God created")
    tagged = [(w.text, w.numbers) for w in words.words if w.numbers]
    assert tagged[:3] == [("beginning", ("H7225",)), ("God", ("H430",)), ("created", ("H1254",))]


async def test_a_chapter_with_its_titles_and_paragraphs(study_service: StudyService) -> None:
    verses = await study_service.chapter_words(19, 119)
    assert [v.ref.verse for v in verses] == list(range(1, 177))
    titled = {v.ref.verse: v.title for v in verses if v.title}
    # each stanza's letter before its first verse (ALEPH from the module's chapter slot)
    assert sorted(titled) == list(range(1, 177, 8))
    assert (titled[1], titled[9], titled[169]) == ("א ALEPH.", "ב BETH.", "ת TAU.")
    psalm_3 = await study_service.chapter_words(19, 3)
    assert psalm_3[0].title == "A Psalm of David, when he fled from Absalom his son."
    genesis = await study_service.chapter_words(1, 1)
    assert [v.ref.verse for v in genesis if v.paragraph][:2] == [6, 9]
    with pytest.raises(canon.ReferenceError, match="150 chapters"):
        await study_service.chapter_words(19, 151)


async def test_entry_and_concordance(study_service: StudyService) -> None:
    entry = await study_service.entry("h430")
    assert (entry.number, entry.language, entry.lemma) == ("H430", "Hebrew", "אלהים")
    page = await study_service.concordance("G26", limit=3, offset=2)
    assert page.total == 106 and page.offset == 2 and len(page.hits) == 3
    assert all("G26" for h in page.hits)


async def test_bad_numbers_are_clear_errors(study_service: StudyService) -> None:
    with pytest.raises(InputError, match="not a Strong's number"):
        await study_service.entry("love")
    with pytest.raises(NotFoundError, match="numbers run from 1 to 5624"):
        await study_service.entry("G9999")
    with pytest.raises(InputError, match="mhcc or tdavid"):
        await study_service.commentary("Ps 23", "gill")


async def test_commentary_and_topics(study_service: StudyService) -> None:
    commentary = await study_service.commentary("Rom 8:28")
    assert [s.heading for s in commentary.sections] == ["Verses 28-31"]
    topics = await study_service.topics_of("Heb 11:1")
    assert "FAITH" in topics.topics
    faith = await study_service.topic("Faith")
    assert faith.name == "FAITH" and "Heb.11.1" in " ".join(faith.refs)
    with pytest.raises(NotFoundError, match="no topic"):
        await study_service.topic("no such topic")


async def test_word_entries_find_the_tag_of_that_word(study_service: StudyService) -> None:
    [charity] = await study_service.word_entries("Charity", VerseRef(46, 13, 4))
    assert charity.number == "G26"
    assert await study_service.word_entries("suffereth", VerseRef(46, 13, 4)) == ()  # untagged


async def test_define_answers_from_the_lexicon_without_a_key(
    services: Services, study_service: StudyService
) -> None:
    llm = LlmClient(api_key=None, config_file=str(services.settings.config_file))
    definitions = DefinitionService(services.context, services.bible, llm, study=study_service)
    loved = await definitions.define_word("loved", "John 3:16", "KJV")
    assert loved.source == "lexicon"
    assert [e.number for e in loved.strongs] == ["G25"]
    assert loved.sense and loved.sense.startswith("to love")
    assert loved.notice and "Strong's lexicon" in loved.notice
    charity = await definitions.define_word("charity", "1 Cor 13:4", "KJV")
    assert charity.source == "glossary" and [e.number for e in charity.strongs] == ["G26"]
    web = await definitions.define_word("love", "1 Cor 13:4", "WEB")  # the KJV verse's tag
    assert [e.number for e in web.strongs] == ["G26"]
    saved = await definitions.save_definition(loved)
    assert saved.definition.word == "loved"
