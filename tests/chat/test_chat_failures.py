"""Every way a reply can end badly keeps the question, the partial reply and a readable error;
checkpoints are visible from another connection while the reply streams; cancel keeps text."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from datetime import timedelta

import pytest

from tests.chat.conftest import collect
from tests.conftest import ManualClock
from tests.support.fake_anthropic import Cut, ErrorStatus, FakeAnthropic, Reply, Script
from verse_tui.app_factory import Services, build_services
from verse_tui.config import Settings
from verse_tui.db.engine import Database
from verse_tui.db.models.chats import Message
from verse_tui.db.repositories.chats import ChatRepository
from verse_tui.domain.chat import StreamFailed, StreamStarted, TextDelta
from verse_tui.services.chats import INTERRUPTED_ERROR, ChatService
from verse_tui.services.stream_persistence import STALE_AFTER

BEATITUDE = ("Blessed ", "are ", "the ", "meek")


def statuses(code: int, kind: str) -> list[Script]:
    return [ErrorStatus(code, kind, f"fake {kind}")] * 3  # enough for the SDK's retries


@pytest.mark.parametrize(
    ("scripts", "kind", "partial"),
    [
        ([Reply(BEATITUDE, cut=Cut("drop", after=2))], "connection_dropped", "Blessed are "),
        ([Reply(BEATITUDE, cut=Cut("stall", after=1))], "timeout", "Blessed "),
        (
            [Reply(BEATITUDE, cut=Cut("error_event", 3, "overloaded_error"))],
            "overloaded",
            "Blessed are the ",
        ),
        (
            [Reply(BEATITUDE, cut=Cut("error_event", 1, "mystery_error"))],
            "stream_error",
            "Blessed ",
        ),
        (statuses(400, "invalid_request_error"), "bad_request", ""),
        (statuses(401, "authentication_error"), "unauthorized", ""),
        (statuses(403, "permission_error"), "forbidden", ""),
        (statuses(429, "rate_limit_error"), "rate_limited", ""),
        (statuses(500, "api_error"), "server_error", ""),
        (statuses(529, "overloaded_error"), "overloaded", ""),
    ],
    ids=[
        "drop",
        "stall",
        "error-event",
        "unknown-error-event",
        "400",
        "401",
        "403",
        "429",
        "500",
        "529",
    ],
)
async def test_failures_keep_question_partial_text_and_error(
    chats: ChatService,
    fake_anthropic: FakeAnthropic,
    scripts: list[Script],
    kind: str,
    partial: str,
) -> None:
    fake_anthropic.enqueue(*scripts)
    chat = await chats.create_standalone_chat()
    events = await collect(chats.send_message_stream(chat.id, "Who are the meek?"))
    failed = events[-1]
    assert isinstance(events[0], StreamStarted) and isinstance(failed, StreamFailed)
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == partial
    assert (failed.kind, failed.partial_text) == (kind, partial)
    question, answer = (await chats.get_chat(chat.id)).messages
    assert (question.text, question.status) == ("Who are the meek?", "complete")
    assert (answer.status, answer.text, answer.error) == ("failed", partial, failed.message)
    assert failed.message.endswith(".")
    assert any(act in failed.message for act in ("Try again", "try again", "Check", "start a new"))


async def test_missing_key_fails_before_calling_and_keeps_the_question(
    services: Services, fake_anthropic: FakeAnthropic
) -> None:
    keyless = ChatService(services.context, fake_anthropic.llm_client(api_key=None))
    events = await collect(keyless.create_standalone_chat_stream("Is anyone there?"))
    started, failed = events
    assert isinstance(started, StreamStarted) and isinstance(failed, StreamFailed)
    assert failed.kind == "no_api_key" and "ANTHROPIC_API_KEY" in failed.message
    assert fake_anthropic.request_count == 0
    chat = await keyless.get_chat(started.chat_id)
    assert [(m.role, m.status) for m in chat.messages] == [
        ("user", "complete"),
        ("assistant", "failed"),
    ]


async def test_retry_after_failure_sends_the_unanswered_question_again(
    chats: ChatService, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.enqueue(ErrorStatus(401, "authentication_error"))  # not retried by the SDK
    started = (await collect(chats.create_standalone_chat_stream("First?")))[0]
    assert isinstance(started, StreamStarted)
    events = await collect(chats.continue_message_stream(started.message_id))
    assert events[-1].text == "Echo: First?"  # type: ignore[union-attr]
    assert fake_anthropic.requests[-1].body["messages"] == [{"role": "user", "content": "First?"}]
    assert (await chats.get_message(started.message_id)).status == "complete"


async def test_checkpoints_are_visible_from_another_connection_while_streaming(
    chats: ChatService, fake_anthropic: FakeAnthropic, settings: Settings
) -> None:
    chunks = [f"word{i} " for i in range(30)]
    fake_anthropic.enqueue(Reply(chunks, delay=0.08))
    chat = await chats.create_standalone_chat()
    observer = await Database.open(settings.database_url)
    seen: list[tuple[str, str]] = []
    received = ""
    try:
        async with contextlib.aclosing(chats.send_message_stream(chat.id, "Count")) as events:
            async for event in events:
                if isinstance(event, StreamStarted):
                    message_id = event.message_id
                if isinstance(event, TextDelta):
                    received += event.text
                    if len(received.split()) in (15, 28):
                        async with observer.reader.begin() as session:
                            row = await session.get(Message, message_id)
                            assert row is not None
                            seen.append((row.status, row.text))
                        await asyncio.to_thread(_write_with_short_timeout, observer)
    finally:
        await observer.dispose()
    (status1, text1), (status2, text2) = seen
    assert status1 == status2 == "streaming"
    assert text1 and received.startswith(text2) and text2.startswith(text1)
    assert len(text2) > len(text1)
    saved = await chats.get_message(message_id)
    assert (saved.status, saved.text) == ("complete", "".join(chunks))


def _write_with_short_timeout(database: Database) -> None:
    """A write from another connection succeeds: no transaction is held across the stream."""
    path = database.sqlite_path
    if path is None:  # PostgreSQL: row locks only, nothing to check here
        return
    connection = sqlite3.connect(path, timeout=2.0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("COMMIT")
    finally:
        connection.close()


async def test_closing_the_stream_saves_a_cancelled_reply(
    chats: ChatService, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.enqueue(Reply([f"{i} " for i in range(20)], delay=0.02))
    chat = await chats.create_standalone_chat()
    received = ""
    async with contextlib.aclosing(chats.send_message_stream(chat.id, "Count")) as events:
        async for event in events:
            if isinstance(event, StreamStarted):
                message_id = event.message_id
            if isinstance(event, TextDelta):
                received += event.text
                if received == "0 1 2 ":
                    break
    saved = await chats.get_message(message_id)
    assert (saved.status, saved.text, saved.was_truncated) == ("cancelled", "0 1 2 ", True)


async def test_cancelling_the_task_saves_a_cancelled_reply(
    chats: ChatService, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.enqueue(Reply([f"{i} " for i in range(50)], delay=0.02))
    chat = await chats.create_standalone_chat()
    received: list[str] = []
    three = asyncio.Event()

    async def consume() -> None:
        async for event in chats.send_message_stream(chat.id, "Count"):
            if isinstance(event, TextDelta):
                received.append(event.text)
                if len(received) == 3:
                    three.set()

    task = asyncio.create_task(consume())
    await three.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    saved = (await chats.get_chat(chat.id)).messages[-1]
    assert saved.status == "cancelled" and saved.text == "".join(received)
    assert len(received) >= 3


async def test_a_live_stream_reasserts_itself_after_another_start_marks_it_interrupted(
    services: Services, fake_anthropic: FakeAnthropic, clock: ManualClock
) -> None:
    chats = ChatService(services.context, fake_anthropic.llm_client(), heartbeat_interval=0.2)
    fake_anthropic.enqueue(Reply(["a "] * 6 + ["b "] * 6, delay=0.1))
    chat = await chats.create_standalone_chat()
    statuses_seen = []
    async for event in chats.send_message_stream(chat.id, "Go"):
        if isinstance(event, StreamStarted):
            assert await chats.mark_interrupted() == 0  # saved just now: alive somewhere
            clock.advance(STALE_AFTER + timedelta(seconds=1))  # as if this process had paused
            assert await chats.mark_interrupted() == 1  # as another process starting up would
            statuses_seen.append((await chats.get_message(event.message_id)).status)
    saved = (await chats.get_chat(chat.id)).messages[-1]
    assert statuses_seen == ["interrupted"]
    assert (saved.status, saved.error) == ("complete", None)


async def test_next_start_marks_streaming_replies_interrupted(
    services: Services, settings: Settings, clock: ManualClock
) -> None:
    chats = services.chats
    chat = await chats.create_standalone_chat()
    async with services.context.write() as (session, _user):
        repo = ChatRepository(session)
        await repo.add_message(chat.id, "user", "Q", "complete", clock())
        left = await repo.add_message(chat.id, "assistant", "half an ans", "streaming", clock())
    clock.advance(STALE_AFTER + timedelta(seconds=1))  # its process died: no more checkpoints
    restarted = await build_services(settings, clock=clock)
    try:
        saved = await restarted.chats.get_message(left.id)
        assert (saved.status, saved.text, saved.error) == (
            "interrupted",
            "half an ans",
            INTERRUPTED_ERROR,
        )
        assert saved.was_truncated
        assert await restarted.chats.mark_interrupted() == 0
    finally:
        await restarted.aclose()
