"""Fixtures for the chat tests: the fake Anthropic server and a ChatService using it, over the
real app services (temporary SQLite migrated to head, from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support.fake_anthropic import FakeAnthropic
from tests.support.fixtures import fake_anthropic  # noqa: F401
from verse_tui.app_factory import Services
from verse_tui.domain.bible import Passage
from verse_tui.domain.chat import ChatStreamEvent
from verse_tui.llm.client import LlmClient
from verse_tui.services.chats import ChatService

READ_TIMEOUT = 1.0


@pytest.fixture
async def llm(fake_anthropic: FakeAnthropic) -> AsyncIterator[LlmClient]:  # noqa: F811
    client = fake_anthropic.llm_client(read_timeout=READ_TIMEOUT)
    yield client
    await client.aclose()


@pytest.fixture
def chats(services: Services, llm: LlmClient) -> ChatService:
    return ChatService(services.context, llm)


@pytest.fixture
async def john3(services: Services) -> Passage:
    return await services.bible.passage("KJV", "John 3:16-17")


async def collect(events: AsyncIterator[ChatStreamEvent]) -> list[ChatStreamEvent]:
    return [event async for event in events]
