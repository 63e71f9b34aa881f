"""A streaming reply (or insight) belongs to the process writing it, and only while this
device belongs to the chat's account: a second Verse on the same database leaves it alone and
cannot continue it while it is alive; a process that continues a stale reply takes it over,
and the first stops writing; unlinking the device stops its reply at the next checkpoint,
`failed`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from tests.chat.conftest import collect
from tests.conftest import ManualClock
from tests.devices.conftest import Handset, make_handset
from tests.support.fake_anthropic import FakeAnthropic, Reply
from verse_tui.app_factory import Services, build_services
from verse_tui.config import Settings
from verse_tui.domain.chat import (
    ChatStreamEvent,
    StreamFailed,
    StreamFinished,
    StreamStarted,
    TextDelta,
)
from verse_tui.errors import InputError
from verse_tui.services.chats import ChatService
from verse_tui.services.insights import InsightService
from verse_tui.services.stream_persistence import STALE_AFTER

WORDS = [f"word{i} " for i in range(20)]


@contextlib.asynccontextmanager
async def second_process(
    settings: Settings, clock: ManualClock, fake: FakeAnthropic
) -> AsyncIterator[Services]:
    """Another Verse starting on the same database (same device), as `verse chats list` does."""
    other = await build_services(settings, clock=clock, llm=fake.llm_client())
    try:
        yield other
    finally:
        await other.aclose()


async def next_delta(events: AsyncIterator[ChatStreamEvent]) -> str:
    async for event in events:
        if isinstance(event, TextDelta):
            return event.text
    raise AssertionError("the stream ended early")


async def checkpointed(chats: ChatService, message_id: int, text: str) -> None:
    """Wait until a checkpoint has saved `text` (polling the condition, for at most 10 s)."""
    for _ in range(1000):
        if (await chats.get_message(message_id)).text == text:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"the checkpoint never saved {text!r}")


async def test_a_second_start_leaves_a_live_reply_alone_and_cannot_continue_it(
    services: Services, settings: Settings, clock: ManualClock, fake_anthropic: FakeAnthropic
) -> None:
    chats = ChatService(services.context, fake_anthropic.llm_client())
    fake_anthropic.enqueue(Reply(WORDS, delay=0.01))
    events: list[ChatStreamEvent] = []
    async for event in chats.create_standalone_chat_stream("Count"):
        events.append(event)
        if isinstance(event, StreamStarted):
            clock.advance(seconds=5)  # a few seconds later, within a heartbeat
            async with second_process(settings, clock, fake_anthropic) as other:
                seen = await other.chats.get_message(event.message_id)
                assert seen.status == "streaming"
                with pytest.raises(InputError, match="still arriving"):
                    await collect(other.chats.continue_message_stream(event.message_id))
    finished = events[-1]
    assert isinstance(finished, StreamFinished) and finished.text == "".join(WORDS)
    saved = await chats.get_message(events[0].message_id)  # type: ignore[union-attr]
    assert (saved.status, saved.text, saved.error) == ("complete", "".join(WORDS), None)
    assert fake_anthropic.request_count == 1  # the refused continue asked nothing


async def test_a_process_that_continues_a_stale_reply_takes_it_over(
    services: Services, settings: Settings, clock: ManualClock, fake_anthropic: FakeAnthropic
) -> None:
    """The first process pauses (suspended, say) longer than STALE_AFTER; a second one
    starts, finds the reply interrupted and continues it; the first, resuming, must stop
    writing rather than interleave its words with the second's."""
    first = ChatService(
        services.context,
        fake_anthropic.llm_client(),
        checkpoint_interval=0.02,
        heartbeat_interval=3600,
    )
    fake_anthropic.enqueue(Reply(WORDS, delay=0.01), Reply(("and the rest.",)))
    stream = first.create_standalone_chat_stream("Count")
    started = await anext(stream)
    assert isinstance(started, StreamStarted)
    received = [await next_delta(stream) for _ in range(3)]
    await checkpointed(first, started.message_id, "".join(received))
    clock.advance(STALE_AFTER + timedelta(seconds=1))
    async with second_process(settings, clock, fake_anthropic) as other:
        marked = await other.chats.get_message(started.message_id)
        assert marked.status == "interrupted" and marked.text == "".join(received)
        continued = await collect(other.chats.continue_message_stream(started.message_id))
    final = continued[-1]
    assert isinstance(final, StreamFinished)
    assert final.text == "".join(received) + "and the rest."
    rest = [event async for event in stream]
    lost = rest[-1]
    assert isinstance(lost, StreamFailed) and lost.kind == "reply_taken"
    assert "Another Verse process continued this reply" in lost.message and not lost.retryable
    saved = await first.get_message(started.message_id)
    assert (saved.status, saved.text) == ("complete", final.text)  # nothing interleaved


async def test_unlinking_the_device_stops_its_reply_at_the_next_checkpoint(
    services: Services, clock: ManualClock, fake_anthropic: FakeAnthropic
) -> None:
    chats = ChatService(services.context, fake_anthropic.llm_client(), checkpoint_interval=0.02)
    desktop, mine = await a_second_device(services, clock)
    words = [f"w{i} " for i in range(200)]
    fake_anthropic.enqueue(Reply(words, delay=0.01))
    received: list[str] = []
    events: list[ChatStreamEvent] = []
    async for event in chats.create_standalone_chat_stream("Count"):
        events.append(event)
        if isinstance(event, TextDelta):
            received.append(event.text)
            if len(received) == 3:
                await desktop.devices.unlink_device(mine)  # `verse devices unlink` elsewhere
    failed = events[-1]
    assert isinstance(failed, StreamFailed) and failed.kind == "reply_unlinked"
    assert "This device was unlinked" in failed.message and not failed.retryable
    assert len(received) < len(words)  # the stream stopped
    started = events[0]
    assert isinstance(started, StreamStarted)
    account = ChatService(desktop.context, fake_anthropic.llm_client())
    saved = await account.get_message(started.message_id)  # the chat stays with the account
    assert saved.status == "failed" and saved.error == failed.message
    assert "".join(received).startswith(saved.text) and saved.text != "".join(words)
    assert await chats.list_chats() == ()  # this device now has a fresh, empty account


async def a_second_device(services: Services, clock: ManualClock) -> tuple[Handset, int]:
    """A desktop joined to this device's account, and this device's id."""
    desktop = await make_handset(services.database, clock, "Desktop")
    code = (await desktop.devices.request_link()).code
    await services.devices.approve_link(code)
    return desktop, (await services.devices.get_device()).id


async def test_unlinking_the_device_stops_its_insight_too(
    services: Services, clock: ManualClock, fake_anthropic: FakeAnthropic
) -> None:
    llm = fake_anthropic.llm_client()
    insights = InsightService(services.context, services.bible, llm, checkpoint_interval=0.02)
    desktop, mine = await a_second_device(services, clock)
    fake_anthropic.enqueue(Reply([f"w{i} " for i in range(200)], delay=0.01))
    events = []
    async for event in insights.generate_stream("Romans 8:28", "key_themes", "KJV"):
        events.append(event)
        if isinstance(event, TextDelta) and event.text == "w2 ":
            await desktop.devices.unlink_device(mine)
    failed = events[-1]
    assert isinstance(failed, StreamFailed) and failed.kind == "reply_unlinked"
    theirs = InsightService(desktop.context, services.bible, llm)
    kept = await theirs.list_insights("Romans 8:28", "KJV")
    assert [(i.status, i.error) for i in kept] == [("failed", failed.message)]
    assert await theirs.get_insight("Romans 8:28", "key_themes", "KJV") is None
    assert await insights.list_insights("Romans 8:28", "KJV") == ()
