"""A checkpoint that keeps failing (a full disk) is reported once, not at every interval."""

from __future__ import annotations

import logging

import pytest

from tests.chat.conftest import collect
from tests.support.fake_anthropic import FakeAnthropic, Reply
from verse_tui.app_factory import Services
from verse_tui.db.engine import DatabaseError
from verse_tui.domain.chat import StreamFinished
from verse_tui.llm.client import LlmClient
from verse_tui.services.chats import ChatService


async def test_a_failing_checkpoint_warns_once(
    services: Services,
    llm: LlmClient,
    fake_anthropic: FakeAnthropic,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chats = ChatService(services.context, llm, checkpoint_interval=0.02, heartbeat_interval=0.02)
    attempts = 0

    async def disk_full(*_args: object) -> None:
        nonlocal attempts
        attempts += 1
        raise DatabaseError("The disk holding the Verse database is full.")

    monkeypatch.setattr(chats.checkpointer.rows, "checkpoint", disk_full)
    fake_anthropic.enqueue(Reply([f"w{i} " for i in range(30)], delay=0.02))
    with caplog.at_level(logging.WARNING, logger="verse_tui.services.stream_persistence"):
        events = await collect(chats.create_standalone_chat_stream("Count"))
    assert isinstance(events[-1], StreamFinished)
    assert attempts >= 3  # it kept retrying ...
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1  # ... and said so once
    assert "disk holding the Verse database is full" in warnings[0]
