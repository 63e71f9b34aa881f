"""DefinitionService: glossary first, Claude's sense in the verse cached, the word list."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from tests.support.fake_anthropic import Cut, FakeAnthropic, Reply, ToolUse
from verse_tui.app_factory import Services
from verse_tui.db.models.study import Definition as DefinitionRow
from verse_tui.domain.chat import StreamFailed, TextDelta, ToolUsed
from verse_tui.domain.study import DefinitionEvent, DefinitionReady, DefinitionStarted
from verse_tui.domain.tools import MAX_TOOL_ROUNDS
from verse_tui.errors import InputError, NotFoundError
from verse_tui.llm.client import LlmClient
from verse_tui.services.definitions import (
    DefinitionService,
    DefinitionUnavailableError,
    parse_ai_answer,
)

LET_ANSWER = (
    "Part of speech: verb (past participle)\n",
    "Sense in this verse: hindered, prevented from coming.\n",
    "Modern equivalent: prevented\n",
    "Note: Greek ekolythen, from kolyo, to hinder.",
)


async def collect(events: AsyncIterator[DefinitionEvent]) -> list[DefinitionEvent]:
    return [event async for event in events]


async def cached_rows(services: Services) -> int:
    async with services.database.reader.begin() as session:
        return int(await session.scalar(select(func.count()).select_from(DefinitionRow)) or 0)


@pytest.fixture
def offline(services: Services, no_key_llm: LlmClient) -> DefinitionService:
    return DefinitionService(services.context, services.bible, no_key_llm)


async def test_without_a_key_the_glossary_answers_and_says_so(
    offline: DefinitionService, fake_anthropic: FakeAnthropic
) -> None:
    charity = await offline.define_word("charity", "1 Cor 13:4", "KJV")
    assert (charity.word, charity.reference, charity.source) == (
        "charity",
        "1 Corinthians 13:4",
        "glossary",
    )
    assert charity.glossary[0].headword == "charity" and charity.modern_equivalent == "love"
    assert charity.sense == "Love; universal benevolence; good will."
    assert charity.notice is not None and "ANTHROPIC_API_KEY" in charity.notice
    hungred = await offline.define_word("an hungred", "Matthew 12:1", "KJV")
    assert hungred.glossary[0].headword == "hungred" and hungred.modern_equivalent == "hungry"
    assert fake_anthropic.request_count == 0


async def test_without_a_key_a_word_the_glossary_lacks_is_a_clear_error(
    offline: DefinitionService,
) -> None:
    with pytest.raises(DefinitionUnavailableError, match="not in the offline glossary") as caught:
        await offline.define_word("loved", "John 3:16", "KJV")
    assert "ANTHROPIC_API_KEY" in str(caught.value)


async def test_the_glossary_puts_the_sense_the_verse_uses_first(
    offline: DefinitionService,
) -> None:
    """Isaiah 14:23 "I will sweep it with the besom of destruction": a broom, a noun."""
    besom = await offline.define_word("besom", "Isaiah 14:23", "KJV")
    assert [e.part_of_speech for e in besom.glossary] == ["n.", "v. t."]
    assert "broom" in besom.glossary[0].senses[0].text
    loveth = await offline.define_word("loveth", "John 3:35", "KJV")  # an -eth form: the verb
    assert loveth.glossary[0].part_of_speech.startswith("v")


async def test_claude_adds_the_sense_in_the_verse_and_it_is_cached(
    definitions: DefinitionService, fake_anthropic: FakeAnthropic, services: Services
) -> None:
    fake_anthropic.enqueue(Reply(chunks=LET_ANSWER))
    events = await collect(definitions.define_word_stream("let", "Romans 1:13", "KJV"))
    started, *deltas, ready = events
    assert isinstance(started, DefinitionStarted) and started.asking_claude
    assert started.definition.glossary[0].headword == "let"  # the glossary part comes first
    assert "".join(d.text for d in deltas if isinstance(d, TextDelta)) == "".join(LET_ANSWER)
    assert isinstance(ready, DefinitionReady)
    let = ready.definition
    assert (let.source, let.cached, let.part_of_speech) == ("ai", False, "verb (past participle)")
    assert (let.sense, let.modern_equivalent) == ("hindered, prevented from coming.", "prevented")
    assert let.glossary and "hinder" in let.glossary[0].senses[0].text
    request = fake_anthropic.requests[0].body["messages"][0]["content"]
    assert "Romans 1:13" in request and "but was let hitherto" in request and "1913" in request

    again = await definitions.define_word("Let", "Rom 1:13", "kjv")
    assert fake_anthropic.request_count == 1
    assert (again.source, again.cached, again.sense, again.id) == ("ai", True, let.sense, let.id)
    assert await cached_rows(services) == 1


async def test_the_cache_is_per_verse_and_translation(
    definitions: DefinitionService, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.enqueue(
        Reply(chunks=("Sense in this verse: one",)), Reply(chunks=("Sense in this verse: two",))
    )
    first = await definitions.define_word("conversation", "Philippians 1:27", "KJV")
    other = await definitions.define_word("conversation", "Ephesians 4:22", "KJV")
    assert (first.sense, other.sense) == ("one", "two") and fake_anthropic.request_count == 2


async def test_a_failed_answer_leaves_the_glossary_and_caches_nothing(
    definitions: DefinitionService, fake_anthropic: FakeAnthropic, services: Services
) -> None:
    fake_anthropic.enqueue(Reply(chunks=("Part of", " speech"), cut=Cut("drop", after=1)))
    events = await collect(definitions.define_word_stream("charity", "1 Cor 13:4", "KJV"))
    assert isinstance(events[-1], StreamFailed) and events[-1].partial_text == "Part of"
    fake_anthropic.enqueue(Reply(chunks=("x",), cut=Cut("drop", after=0)))
    charity = await definitions.define_word("charity", "1 Cor 13:4", "KJV")
    assert charity.source == "glossary" and charity.glossary
    assert charity.notice is not None and charity.notice.startswith(
        "From the offline glossary only"
    )
    assert await cached_rows(services) == 0


async def test_claude_may_read_the_context_with_the_local_tools_and_the_text_is_kept_exactly(
    definitions: DefinitionService, fake_anthropic: FakeAnthropic, services: Services
) -> None:
    read = ToolUse("read_passage", {"reference": "Romans 1:12-14"}, id="toolu_define")
    fake_anthropic.enqueue(
        Reply(chunks=("Reading the context.",), tools=(read,), stop_reason="tool_use"),
        Reply(chunks=LET_ANSWER),
    )
    events = await collect(definitions.define_word_stream("let", "Romans 1:13", "KJV"))
    assert [e for e in events if isinstance(e, ToolUsed)] == [
        ToolUsed("read Romans 1:12–14 (KJV)", False)
    ]
    streamed = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert streamed == "Reading the context.\n\n" + "".join(LET_ANSWER)
    ready = events[-1]
    assert isinstance(ready, DefinitionReady)
    assert (ready.definition.ai_text, ready.definition.modern_equivalent) == (
        streamed,
        "prevented",
    )
    first, second = (r.body for r in fake_anthropic.requests)
    assert {t["name"] for t in first["tools"]} == {"read_passage", "search_bible"}
    assert [b["type"] for b in second["messages"][1]["content"]] == ["text", "tool_use"]
    (result,) = second["messages"][2]["content"]
    assert (result["type"], result["tool_use_id"]) == ("tool_result", "toolu_define")
    assert "but was let hitherto" in result["content"]  # the real KJV text of Romans 1:13
    assert "is_error" not in result
    again = await definitions.define_word("let", "Romans 1:13", "KJV")
    assert (again.cached, again.ai_text) == (True, streamed)  # stored as it was streamed
    assert fake_anthropic.request_count == 2 and await cached_rows(services) == 1


async def test_a_bad_tool_input_is_an_error_result_and_the_rounds_are_capped(
    definitions: DefinitionService, fake_anthropic: FakeAnthropic
) -> None:
    bad = ToolUse("read_passage", {"reference": "Jude 1:30"}, id="toolu_bad")
    again = [
        Reply(
            chunks=(f"Round {n}.",),
            tools=(ToolUse("search_bible", {"query": "let"}, id=f"toolu_{n}"),),
            stop_reason="tool_use",
        )
        for n in range(1, MAX_TOOL_ROUNDS)
    ]
    fake_anthropic.enqueue(
        Reply(chunks=("Checking.",), tools=(bad,), stop_reason="tool_use"),
        *again,
        Reply(chunks=LET_ANSWER),
    )
    events = await collect(definitions.define_word_stream("let", "Romans 1:13", "KJV"))
    used = [e for e in events if isinstance(e, ToolUsed)]
    assert len(used) == MAX_TOOL_ROUNDS and used[0].is_error and "Jude 1:30" in used[0].summary
    bodies = [r.body for r in fake_anthropic.requests]
    assert len(bodies) == MAX_TOOL_ROUNDS + 1
    (error,) = bodies[1]["messages"][2]["content"]
    assert error["is_error"] is True and "Jude" in error["content"]
    assert all("tool_choice" not in b for b in bodies[:-1])
    assert bodies[-1]["tool_choice"] == {"type": "none"}
    ready = events[-1]
    assert isinstance(ready, DefinitionReady) and ready.definition.sense == (
        "hindered, prevented from coming."
    )


async def test_a_drop_after_a_tool_round_keeps_the_glossary_and_the_partial_text(
    definitions: DefinitionService, fake_anthropic: FakeAnthropic, services: Services
) -> None:
    read = ToolUse("read_passage", {"reference": "1 Cor 13"}, id="toolu_read")
    fake_anthropic.enqueue(
        Reply(chunks=("Reading.",), tools=(read,), stop_reason="tool_use"),
        Reply(chunks=("Part of", " speech"), cut=Cut("drop", after=1)),
    )
    events = await collect(definitions.define_word_stream("charity", "1 Cor 13:4", "KJV"))
    failed = events[-1]
    assert isinstance(failed, StreamFailed) and failed.partial_text == "Reading.\n\nPart of"
    assert await cached_rows(services) == 0


async def test_the_word_must_be_in_the_verse_and_the_verse_single(
    definitions: DefinitionService, fake_anthropic: FakeAnthropic
) -> None:
    with pytest.raises(InputError, match="does not occur in 1 Corinthians 13:5"):
        await definitions.define_word("charity", "1 Cor 13:5", "KJV")
    with pytest.raises(InputError, match="single verse"):
        await definitions.define_word("charity", "1 Cor 13:4-7", "KJV")
    with pytest.raises(InputError, match="Give a word"):
        await definitions.define_word("  ", "1 Cor 13:4", "KJV")
    assert fake_anthropic.request_count == 0


async def test_saved_words_form_the_users_list(
    offline: DefinitionService, definitions: DefinitionService, fake_anthropic: FakeAnthropic
) -> None:
    charity = await offline.define_word("charity", "1 Cor 13:4", "KJV")
    saved = await offline.save_definition(charity)
    assert saved.definition.word == "charity" and saved.definition.id is not None
    assert (await offline.save_definition(charity)).id == saved.id  # saving twice: one entry
    fake_anthropic.enqueue(Reply(chunks=LET_ANSWER))
    let = await definitions.define_word("let", "Romans 1:13", "KJV")
    await definitions.save_definition(let)
    listed = await definitions.list_definitions()
    assert [(s.definition.word, s.definition.source) for s in listed] == [
        ("let", "ai"),
        ("charity", "glossary"),
    ]
    await definitions.delete_definition(saved.id)
    assert [s.definition.word for s in await definitions.list_definitions()] == ["let"]
    with pytest.raises(NotFoundError, match="verse words"):
        await definitions.delete_definition(saved.id)


async def test_saving_a_glossary_answer_never_erases_claudes(
    offline: DefinitionService, definitions: DefinitionService, fake_anthropic: FakeAnthropic
) -> None:
    glossary_only = await offline.define_word("let", "Romans 1:13", "KJV")
    fake_anthropic.enqueue(Reply(chunks=LET_ANSWER))
    await definitions.define_word("let", "Romans 1:13", "KJV")
    saved = await offline.save_definition(glossary_only)
    assert saved.definition.source == "ai" and saved.definition.modern_equivalent == "prevented"


def test_parse_ai_answer_tolerates_markdown_and_missing_lines() -> None:
    parsed = parse_ai_answer("**Part of speech:** noun\n- Sense in this verse: love\n")
    assert parsed == {"part_of_speech": "noun", "sense": "love", "modern_equivalent": None}
    assert parse_ai_answer("Just prose.")["sense"] == "Just prose."
