"""The hot path of a question on SQLite: the question, the empty reply, checkpoints and the
end written straight on aiosqlite's connection (`DirectChatRepository`). It must save exactly
what the ORM path saves, resolve the device inside its own statements, and turn database
failures into the same user-facing errors."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import delete, select

from tests.chat.conftest import collect
from tests.conftest import ManualClock
from tests.support.fake_anthropic import FakeAnthropic, Reply
from verse_tui.app_factory import Services
from verse_tui.db.engine import DatabaseError
from verse_tui.db.models.accounts import Device, User
from verse_tui.db.repositories.direct_chats import DirectChatRepository
from verse_tui.domain.bible import Passage
from verse_tui.domain.chat import StreamFinished, StreamStarted
from verse_tui.errors import InputError, NotFoundError
from verse_tui.services.chats import ChatService
from verse_tui.services.context import IdentityError, register_device

SQLITE_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")


@pytest.fixture(autouse=True)
def _sqlite_only(services: Services) -> None:
    if not services.database.is_sqlite:
        pytest.skip("direct writes are the SQLite (aiosqlite) path")


@contextmanager
def direct_exchanges(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Records the chat id of every question saved through `DirectChatRepository`."""
    calls: list[int] = []
    original = DirectChatRepository.add_exchange

    async def spy(self: DirectChatRepository, chat_id: int, *args: Any, **kwargs: Any) -> Any:
        calls.append(chat_id)
        return await original(self, chat_id, *args, **kwargs)

    monkeypatch.setattr(DirectChatRepository, "add_exchange", spy)
    yield calls


def stored_row(services: Services, message_id: int) -> dict[str, Any]:
    """The message as SQLite stores it (raw text timestamps, integer booleans)."""
    path = services.database.sqlite_path
    assert path is not None
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    try:
        row = connection.execute("SELECT * FROM messages WHERE id = ?", (message_id,)).fetchone()
        return dict(row)
    finally:
        connection.close()


async def set_query_only(services: Services, on: bool) -> None:
    """On the writer pool's only connection (no transaction: the pragma is not one)."""
    async with services.database.writer_engine.connect() as connection:
        driver = (await connection.get_raw_connection()).driver_connection
        await driver.execute_fetchall(f"PRAGMA query_only = {'ON' if on else 'OFF'}")


async def ask(chats: ChatService, chat_id: int, question: str) -> tuple[int, int]:
    events = await collect(chats.send_message_stream(chat_id, question))
    started, finished = events[0], events[-1]
    assert isinstance(started, StreamStarted) and isinstance(finished, StreamFinished)
    return started.user_message_id or 0, started.message_id


async def ask_and_watch(
    services: Services, chats: ChatService, chat_id: int, question: str
) -> list[dict[str, Any]]:
    """The question's and the reply's stored rows when the stream starts and when it ends."""
    rows: list[dict[str, Any]] = []
    async for event in chats.send_message_stream(chat_id, question):
        if isinstance(event, StreamStarted):
            ids = (event.user_message_id or 0, event.message_id)
            rows += [await asyncio.to_thread(stored_row, services, i) for i in ids]
    rows += [await asyncio.to_thread(stored_row, services, i) for i in ids]
    return rows


async def test_the_direct_path_saves_what_the_orm_path_saves(
    services: Services,
    chats: ChatService,
    john3: Passage,
    fake_anthropic: FakeAnthropic,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake_anthropic.enqueue(Reply(("Love ", "gives."), input_tokens=12, output_tokens=3))
    fake_anthropic.enqueue(Reply(("Love ", "gives."), input_tokens=12, output_tokens=3))
    orm_chat = await chats.create_chat(john3)
    direct_chat = await chats.create_chat(john3)
    with direct_exchanges(monkeypatch) as direct:
        clock.advance(minutes=5)  # last_seen_at is due: the ORM path runs and records it
        orm_rows = await ask_and_watch(services, chats, orm_chat.id, "Why 'so loved'?")
        assert direct == []
        direct_rows = await ask_and_watch(services, chats, direct_chat.id, "Why 'so loved'?")
        assert direct == [direct_chat.id]
    async with services.database.reader.begin() as session:
        seen = await session.scalar(select(Device.last_seen_at))
    assert seen == clock()
    assert [row["status"] for row in direct_rows] == ["complete", "streaming"] + ["complete"] * 2
    for orm_row, direct_row in zip(orm_rows, direct_rows, strict=True):
        assert SQLITE_TIMESTAMP.fullmatch(direct_row["created_at"])
        assert SQLITE_TIMESTAMP.fullmatch(direct_row["updated_at"])
        skip = {"id", "chat_id"}
        assert {k: v for k, v in orm_row.items() if k not in skip} == {
            k: v for k, v in direct_row.items() if k not in skip
        }
    assert (await chats.get_chat(orm_chat.id)).summary.title == "Why 'so loved'?"
    assert (await chats.get_chat(direct_chat.id)).summary.title == "Why 'so loved'?"
    history = (await chats.get_chat(direct_chat.id)).messages
    assert [(m.role, m.status, m.text) for m in history] == [
        ("user", "complete", "Why 'so loved'?"),
        ("assistant", "complete", "Love gives."),
    ]


async def test_the_direct_path_sends_the_history_and_keeps_the_title(
    chats: ChatService, fake_anthropic: FakeAnthropic, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_anthropic.enqueue(Reply(("Grace.",)), Reply(("Faith.",)))
    chat = await chats.create_standalone_chat()
    with direct_exchanges(monkeypatch) as direct:
        await ask(chats, chat.id, "First?")
        await ask(chats, chat.id, "Second?")
        assert direct == [chat.id, chat.id]
    assert fake_anthropic.requests[-1].body["messages"] == [
        {"role": "user", "content": "First?"},
        {"role": "assistant", "content": "Grace."},
        {"role": "user", "content": "Second?"},
    ]
    assert (await chats.get_chat(chat.id)).summary.title == "First?"


async def test_a_device_moved_or_removed_is_resolved_inside_the_direct_statements(
    services: Services, chats: ChatService, fake_anthropic: FakeAnthropic, clock: ManualClock
) -> None:
    chat = await chats.create_standalone_chat()  # (records last_seen_at: the direct path runs)
    async with services.database.writer.begin() as session:
        await register_device(session, "1" * 64, now=clock())  # (another account's device)
        mine = await session.scalar(
            select(Device).where(Device.credential_hash == services.context.credential.hash)
        )
        assert mine is not None
        session.add(
            Device(
                user_id=mine.user_id,
                name="tablet",
                platform="x",
                credential_hash="2" * 64,
                created_at=clock(),
                last_seen_at=clock(),
            )
        )
        other = User(display_name="other", created_at=clock(), translation="WEB", theme="nord")
        session.add(other)
        await session.flush()
        mine.user_id = other.id  # unlinked: this device moves to a fresh account
    with pytest.raises(NotFoundError, match=f"no chat {chat.id}"):
        await collect(chats.send_message_stream(chat.id, "Still mine?"))
    async with services.database.writer.begin() as session:
        await session.execute(delete(Device).where(Device.id == mine.id))  # removed
    with pytest.raises(IdentityError, match="not registered"):
        await collect(chats.create_standalone_chat_stream("Anyone?"))
    with pytest.raises(IdentityError, match="not registered"):
        await collect(chats.send_message_stream(chat.id, "Anyone?"))
    assert fake_anthropic.request_count == 0
    path = services.database.sqlite_path
    assert path is not None
    connection = sqlite3.connect(path)
    try:
        counts = connection.execute("SELECT count(*) FROM messages").fetchone()[0]
        chats_count = connection.execute("SELECT count(*) FROM chats").fetchone()[0]
    finally:
        connection.close()
    assert (counts, chats_count) == (0, 1)


async def test_a_standalone_question_to_a_passage_chat_saves_nothing(
    chats: ChatService, john3: Passage, fake_anthropic: FakeAnthropic
) -> None:
    anchored = await chats.create_chat(john3)
    with pytest.raises(InputError, match="not a standalone chat"):
        await collect(chats.send_standalone_message_stream(anchored.id, "Hello"))
    assert (await chats.get_chat(anchored.id)).messages == ()
    assert fake_anthropic.request_count == 0


async def test_database_failures_on_the_direct_path_are_user_facing(
    services: Services, chats: ChatService, fake_anthropic: FakeAnthropic
) -> None:
    chat = await chats.create_standalone_chat()
    await set_query_only(services, True)  # every write now fails as on a read-only file
    try:
        with pytest.raises(DatabaseError, match="read-only"):
            await collect(chats.send_message_stream(chat.id, "Saved?"))
        now = services.context.now()
        for texts in ([(1, "x", now)], [(1, "x", now), (2, "y", now)]):
            with pytest.raises(DatabaseError, match="read-only"):
                await chats.checkpointer.rows.checkpoint(texts, now)
        with pytest.raises(DatabaseError, match="read-only"):
            await chats.checkpointer.rows.update(1, now, text="x")
    finally:
        await set_query_only(services, False)
    assert fake_anthropic.request_count == 0
    fake_anthropic.enqueue(Reply(("Yes.",)))
    await ask(chats, chat.id, "Saved now?")
    assert [m.text for m in (await chats.get_chat(chat.id)).messages] == ["Saved now?", "Yes."]
