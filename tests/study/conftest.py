"""Fixtures for the study tests: the fake Anthropic server, and insight and definition
services over the real app services (temporary SQLite migrated to head, tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support.fake_anthropic import FakeAnthropic
from tests.support.fixtures import fake_anthropic  # noqa: F401
from verse_tui.app_factory import Services
from verse_tui.llm.client import LlmClient
from verse_tui.services.definitions import DefinitionService
from verse_tui.services.insights import InsightService

READ_TIMEOUT = 1.0
CHECKPOINT_INTERVAL = 0.05


@pytest.fixture
async def llm(fake_anthropic: FakeAnthropic) -> AsyncIterator[LlmClient]:  # noqa: F811
    client = fake_anthropic.llm_client(read_timeout=READ_TIMEOUT, max_retries=0)
    yield client
    await client.aclose()


@pytest.fixture
def no_key_llm(services: Services) -> LlmClient:
    return LlmClient(api_key=None, config_file=str(services.settings.config_file))


@pytest.fixture
def insights(services: Services, llm: LlmClient) -> InsightService:
    return InsightService(
        services.context, services.bible, llm, checkpoint_interval=CHECKPOINT_INTERVAL
    )


@pytest.fixture
def definitions(services: Services, llm: LlmClient) -> DefinitionService:
    return DefinitionService(services.context, services.bible, llm)
