"""Pytest fixtures around the fakes; import them into a conftest.py to use them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from tests.support.fake_anthropic import FakeAnthropic


@pytest_asyncio.fixture
async def fake_anthropic() -> AsyncIterator[FakeAnthropic]:
    """A started fake Anthropic server on 127.0.0.1 (see `FakeAnthropic`), stopped afterwards."""
    async with FakeAnthropic() as server:
        yield server
