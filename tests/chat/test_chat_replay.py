"""Recorded API streams replayed through the whole chat path, and many streams at once on one
SQLite file: every reply persisted, no "database is locked"."""

from __future__ import annotations

import asyncio

import pytest

from tests.chat.conftest import collect
from tests.support.fake_anthropic import FIXTURES, Echo, FakeAnthropic, Replay
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
