"""Recorded API streams replayed through the whole chat path, and many streams at once on one
SQLite file: every reply persisted, no "database is locked"."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from tests.chat.conftest import collect
from tests.support.fake_anthropic import FIXTURES, Echo, FakeAnthropic, Replay
from verse_tui.config import Settings
from verse_tui.db.engine import Database
from verse_tui.db.models.chats import Message
from verse_tui.domain.chat import StreamFinished, StreamStarted, TextDelta
from verse_tui.services.chats import ChatService


@pytest.mark.parametrize(
    ("name", "stop_reason", "truncated", "model"),
    [
        ("fable-stream-b-fallback.sse", "end_turn", False, "claude-opus-4-8"),
        (
            "lib-incomplete_partial_json_response.sse",
            "max_tokens",
            True,
            "claude-3-7-sonnet-20250219",
        ),
        ("fable-stream-a-refusal.sse", "refusal", False, "claude-fable-5"),
        (
            "recorded-tool-runner-A-turn2-end_turn.sse",
            "end_turn",
            False,
            "claude-haiku-4-5-20251001",
        ),
    ],
)
async def test_recorded_streams_are_saved_as_received(
    chats: ChatService,
    fake_anthropic: FakeAnthropic,
    name: str,
    stop_reason: str,
    truncated: bool,
    model: str,
) -> None:
    fake_anthropic.enqueue(Replay(FIXTURES / name, delay=0.001))
    events = await collect(chats.create_standalone_chat_stream("Tell me"))
    started, finished = events[0], events[-1]
    assert isinstance(started, StreamStarted) and isinstance(finished, StreamFinished)
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    saved = await chats.get_message(started.message_id)
    assert saved.text == finished.text == text and text
    assert (saved.stop_reason, saved.was_truncated, saved.model) == (stop_reason, truncated, model)
    assert saved.status == "complete" and saved.output_tokens == finished.output_tokens


async def test_fifty_concurrent_streams_on_one_sqlite_file_are_all_saved(
    chats: ChatService, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.fallback = Echo(prefix="Reply to ", chunk_size=2, delay=0.05)

    async def ask(i: int) -> tuple[int, str]:
        events = await collect(chats.create_standalone_chat_stream(f"question number {i}"))
        assert isinstance(events[-1], StreamFinished), events[-1]
        return events[0].message_id, events[-1].text  # type: ignore[union-attr]

    results = await asyncio.gather(*(ask(i) for i in range(50)))
    assert sorted(text for _, text in results) == sorted(
        f"Reply to question number {i}" for i in range(50)
    )
    listed = await chats.list_chats(limit=100)
    assert len(listed) == 50 and all(c.message_count == 2 for c in listed)
    for message_id, text in results:
        saved = await chats.get_message(message_id)
        assert (saved.status, saved.text, saved.error) == ("complete", text, None)


async def test_concurrent_replies_are_checkpointed_together_mid_stream(
    chats: ChatService, fake_anthropic: FakeAnthropic, settings: Settings
) -> None:
    fake_anthropic.fallback = Echo(prefix="x" * 40, chunk_size=2, delay=0.04)
    midway = asyncio.Barrier(6)
    started: list[int] = []

    async def ask(i: int) -> None:
        received = 0
        async for event in chats.create_standalone_chat_stream(f"question {i}"):
            if isinstance(event, StreamStarted):
                started.append(event.message_id)
            received += isinstance(event, TextDelta)
            if received == 18:  # 0.7 s of text: at least one checkpoint tick has passed
                await midway.wait()

    asking = [asyncio.create_task(ask(i)) for i in range(5)]
    await midway.wait()
    observer = await Database.open(settings.database_url)
    try:
        async with observer.reader.begin() as session:
            rows = (await session.scalars(select(Message).where(Message.id.in_(started)))).all()
    finally:
        await observer.dispose()
    assert len(rows) == 5 and all(r.status == "streaming" and r.text for r in rows)
    await asyncio.gather(*asking)
    checkpoints = chats.checkpointer
    assert checkpoints.rows_saved >= 2 * checkpoints.transactions > 0  # batched, not one each
