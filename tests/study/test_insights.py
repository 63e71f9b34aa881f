"""InsightService through the real anthropic client against the loopback fake server."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import ManualClock
from tests.support.fake_anthropic import Cut, ErrorStatus, FakeAnthropic, Reply, ToolUse
from verse_tui.app_factory import Services
from verse_tui.config import Settings
from verse_tui.db.engine import Database
from verse_tui.db.models.study import Insight as InsightRow
from verse_tui.domain.chat import StreamFailed, TextDelta, ToolUsed
from verse_tui.domain.study import InsightEvent, InsightReady, InsightStarted
from verse_tui.errors import InputError
from verse_tui.llm.client import LlmClient
from verse_tui.services.insights import (
    InsightFailedError,
    InsightService,
    cited_references,
    parse_kind,
)

ROMANS = "Romans 8:28-30"


async def collect(events: AsyncIterator[InsightEvent]) -> list[InsightEvent]:
    return [event async for event in events]


async def row_count(services: Services) -> int:
    async with services.database.reader.begin() as session:
        return int(await session.scalar(select(func.count()).select_from(InsightRow)) or 0)


async def test_generates_streams_and_stores_then_reuses_with_no_request(
    insights: InsightService, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.enqueue(Reply(chunks=("Paul wrote ", "to Rome ", "around AD 57.")))
    events = await collect(insights.generate_stream(ROMANS, "historical_context", "KJV"))
    assert isinstance(events[0], InsightStarted)
    assert [e.text for e in events if isinstance(e, TextDelta)] == [
        "Paul wrote ",
        "to Rome ",
        "around AD 57.",
    ]
    ready = events[-1]
    assert isinstance(ready, InsightReady)
    first = ready.insight
    assert (first.text, first.status, first.cached) == (
        "Paul wrote to Rome around AD 57.",
        "complete",
        False,
    )
    assert (first.reference, first.translation, first.stop_reason) == (
        "Romans 8:28–30",
        "KJV",
        "end_turn",
    )
    assert first.model == insights._llm.model and first.output_tokens == 3

    again = await insights.generate(ROMANS, "historical-context", "kjv")
    assert fake_anthropic.request_count == 1  # the second call asked nothing
    assert (again.id, again.text, again.cached) == (first.id, first.text, True)
    assert again.provenance == f"Saved insight, generated 2026-01-01 12:00 UTC by {first.model}."
    stored = await collect(insights.generate_stream("Rom 8:28-30", "historical_context"))
    assert len(stored) == 1 and isinstance(stored[0], InsightReady) and stored[0].insight.cached
    assert fake_anthropic.request_count == 1


async def test_the_request_carries_the_kind_and_the_passage_text(
    insights: InsightService, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.enqueue(Reply(chunks=("Themes.",)))
    await insights.generate("John 3:16", "key_themes", "KJV")
    body = fake_anthropic.requests[0].body
    system = " ".join(block["text"] for block in body["system"])
    assert "Key themes" in system and "Book Chapter:Verse" in system
    user = body["messages"][0]["content"]
    assert "16 For God so loved the world" in user and 'translation="KJV"' in user


async def test_another_kind_or_translation_is_another_insight(
    insights: InsightService, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.enqueue(
        Reply(chunks=("KJV context",)), Reply(chunks=("Themes",)), Reply(chunks=("WEB context",))
    )
    await insights.generate(ROMANS, "historical_context", "KJV")
    await insights.generate(ROMANS, "key_themes", "KJV")
    web = await insights.generate(ROMANS, "historical_context", "WEB")
    assert fake_anthropic.request_count == 3 and web.text == "WEB context"
    listed = await insights.list_insights(ROMANS, "KJV")
    assert [(i.kind, i.text) for i in listed] == [
        ("historical_context", "KJV context"),
        ("key_themes", "Themes"),
    ]
    assert await insights.list_insights("Romans 8:28", "KJV") == ()


async def test_regenerate_replaces_the_stored_insight(
    insights: InsightService, fake_anthropic: FakeAnthropic, services: Services, clock: ManualClock
) -> None:
    fake_anthropic.enqueue(Reply(chunks=("First take.",)), Reply(chunks=("Second take.",)))
    first = await insights.generate(ROMANS, "application", "KJV")
    clock.advance(hours=1)
    second = await insights.regenerate(ROMANS, "application", "KJV")
    assert fake_anthropic.request_count == 2
    assert (second.text, second.cached) == ("Second take.", False) and second.id != first.id
    assert second.created_at - first.created_at == timedelta(hours=1)
    assert await row_count(services) == 1
    cached = await insights.get_insight(ROMANS, "application", "KJV")
    assert cached is not None and cached.text == "Second take."


async def test_a_failure_mid_stream_keeps_the_partial_text(
    insights: InsightService, fake_anthropic: FakeAnthropic
) -> None:
    chunks = ("Part one, ", "part two, ", "never sent.")
    fake_anthropic.enqueue(Reply(chunks=chunks, cut=Cut("drop", after=2)))
    events = await collect(insights.generate_stream(ROMANS, "key_themes", "KJV"))
    failed = events[-1]
    assert isinstance(failed, StreamFailed)
    assert failed.partial_text == "Part one, part two, " and failed.retryable
    listed = await insights.list_insights(ROMANS, "KJV")
    assert [(i.status, i.text, i.cached) for i in listed] == [
        ("failed", "Part one, part two, ", False)
    ]
    assert listed[0].error == failed.message
    assert await insights.get_insight(ROMANS, "key_themes", "KJV") is None  # not a cache hit


async def test_an_insight_whose_stream_ends_early_is_failed_not_cached(
    insights: InsightService, fake_anthropic: FakeAnthropic
) -> None:
    """A body that ends cleanly without message_stop: failed, partial text kept, no cache."""
    fake_anthropic.enqueue(Reply(chunks=("Part one, ", "part two."), cut=Cut("end", after=1)))
    with pytest.raises(InsightFailedError) as caught:
        await insights.generate(ROMANS, "key_themes", "KJV")
    assert caught.value.kind == "ended_early" and caught.value.partial_text == "Part one, "
    listed = await insights.list_insights(ROMANS, "KJV")
    assert [(i.status, i.text, i.cached, i.stop_reason) for i in listed] == [
        ("failed", "Part one, ", False, None)
    ]
    assert await insights.get_insight(ROMANS, "key_themes", "KJV") is None


async def test_a_failed_regeneration_keeps_the_insight_that_existed(
    insights: InsightService, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.enqueue(
        Reply(chunks=("Good answer.",)), ErrorStatus(400, "invalid_request_error")
    )
    await insights.generate(ROMANS, "key_themes", "KJV")
    with pytest.raises(InsightFailedError) as caught:
        await insights.regenerate(ROMANS, "key_themes", "KJV")
    assert caught.value.kind == "bad_request"
    kept = await insights.generate(ROMANS, "key_themes", "KJV")
    assert (kept.text, kept.cached) == ("Good answer.", True)
    assert fake_anthropic.request_count == 2


async def test_checkpoints_are_visible_while_streaming(
    insights: InsightService, fake_anthropic: FakeAnthropic, settings: Settings
) -> None:
    fake_anthropic.enqueue(Reply(chunks=[f"w{i} " for i in range(12)], delay=0.06))
    observer = await Database.open(settings.database_url)
    seen: list[tuple[str, str]] = []
    try:
        async for event in insights.generate_stream(ROMANS, "key_themes", "KJV"):
            if isinstance(event, InsightStarted):
                insight_id = event.insight_id
                async with observer.reader.begin() as session:
                    row = await session.get(InsightRow, insight_id)
                    assert row is not None and row.status == "streaming"
            if isinstance(event, TextDelta) and event.text == "w8 ":
                await asyncio.sleep(0.12)  # let a checkpoint land
                async with observer.reader.begin() as session:
                    row = await session.get(InsightRow, insight_id)
                    assert row is not None
                    seen.append((row.status, row.text))
    finally:
        await observer.dispose()
    status, text = seen[0]
    assert status == "streaming" and text.startswith("w0 w1 ") and "w8" in text


async def test_closing_the_stream_saves_a_cancelled_insight(
    insights: InsightService, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.enqueue(Reply(chunks=("One ", "two ", "three"), delay=0.05))
    async with contextlib.aclosing(insights.generate_stream(ROMANS, "key_themes", "KJV")) as events:
        async for event in events:
            if isinstance(event, TextDelta) and event.text == "two ":
                break
    listed = await insights.list_insights(ROMANS, "KJV")
    assert [(i.status, i.text) for i in listed] == [("cancelled", "One two ")]


async def test_without_a_key_new_insights_say_how_to_set_one_and_stored_ones_still_show(
    insights: InsightService,
    services: Services,
    no_key_llm: LlmClient,
    fake_anthropic: FakeAnthropic,
) -> None:
    fake_anthropic.enqueue(Reply(chunks=("Stored earlier.",)))
    await insights.generate(ROMANS, "application", "KJV")
    offline = InsightService(services.context, services.bible, no_key_llm)
    stored = await offline.generate(ROMANS, "application", "KJV")
    assert (stored.text, stored.cached) == ("Stored earlier.", True)
    with pytest.raises(InsightFailedError, match="ANTHROPIC_API_KEY") as caught:
        await offline.generate(ROMANS, "key_themes", "KJV")
    assert caught.value.kind == "no_api_key" and "need an API key" in str(caught.value)
    assert fake_anthropic.request_count == 1 and await row_count(services) == 1


async def test_interrupted_streams_are_marked_at_the_next_start(
    insights: InsightService, fake_anthropic: FakeAnthropic, clock: ManualClock, services: Services
) -> None:
    fake_anthropic.enqueue(Reply(chunks=("Half ", "of it"), delay=0.05))
    async for event in insights.generate_stream(ROMANS, "key_themes", "KJV"):
        if isinstance(event, InsightStarted):
            break  # the row exists, as a killed process would leave it
    async with services.database.writer.begin() as session:
        await session.execute(InsightRow.__table__.update().values(status="streaming"))
    assert await insights.mark_interrupted() == 0  # too recent: maybe alive in another process
    clock.advance(minutes=1)
    assert await insights.mark_interrupted() == 1
    listed = await insights.list_insights(ROMANS, "KJV")
    assert listed[0].status == "interrupted" and listed[0].was_truncated


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("cross-references", "cross_references"),
        ("Key themes", "key_themes"),
        ("history", "historical_context"),
        ("original_language", "original_language"),
        ("application", "application"),
    ],
)
def test_kinds_are_parsed_forgivingly(typed: str, kind: str) -> None:
    assert parse_kind(typed) == kind


async def test_bad_input_is_a_clear_error_and_stores_nothing(
    insights: InsightService, services: Services, fake_anthropic: FakeAnthropic
) -> None:
    with pytest.raises(InputError, match="Choose one of: historical-context"):
        await insights.generate(ROMANS, "gossip", "KJV")
    with pytest.raises(InputError, match="one passage"):
        await insights.generate("John 3:16, 18", "key_themes", "KJV")
    with pytest.raises(InputError, match="at most 180"):
        await insights.generate("Genesis 1-10", "key_themes", "KJV")
    assert fake_anthropic.request_count == 0 and await row_count(services) == 0


def test_cited_references_are_parsed_for_linking() -> None:
    text = (
        "- Romans 5:3-5 - suffering produces hope.\n"
        "- Eph. 1:11 - God's purpose.\n"
        "- 1 Cor 13:4 - love.\n"
        "- Song of Solomon 2:4 - banner.\n"
        "- Hezekiah 3:16 is not a book; Acts 99:1 has no such chapter."
    )
    cited = cited_references(text)
    assert [c.reference for c in cited] == [
        "Romans 5:3–5",
        "Ephesians 1:11",
        "1 Corinthians 13:4",
        "Song of Solomon 2:4",
    ]
    assert text[cited[1].start : cited[1].end] == "Eph. 1:11"
    assert (cited[2].range.start.book, cited[2].range.start.chapter) == (46, 13)


async def test_an_insight_may_read_the_text_with_the_same_local_tools(
    insights: InsightService, fake_anthropic: FakeAnthropic
) -> None:
    read = ToolUse("read_passage", {"reference": "Romans 5:8"}, id="toolu_insight")
    fake_anthropic.enqueue(
        Reply(chunks=("Checking.",), tools=(read,), stop_reason="tool_use"),
        Reply(chunks=("Paul contrasts love and sin.",)),
    )
    events = await collect(insights.generate_stream(ROMANS, "key_themes", "WEB"))
    assert [e for e in events if isinstance(e, ToolUsed)] == [
        ToolUsed("read Romans 5:8 (WEB)", False)
    ]
    ready = events[-1]
    assert isinstance(ready, InsightReady)
    assert ready.insight.text == "Checking.\n\nPaul contrasts love and sin."
    assert {t["name"] for t in fake_anthropic.requests[0].body["tools"]} >= {"read_passage"}
    (result,) = fake_anthropic.requests[1].body["messages"][-1]["content"]
    assert result["tool_use_id"] == "toolu_insight"
    assert "God commends his own love toward us" in result["content"]
