"""Prompt caching and cost: cache_control on the tools, the system prompt and the passage;
the four token counts stored per reply; a chat's tokens and estimated cost."""

from __future__ import annotations

import pytest

from tests.chat.conftest import collect
from tests.support.fake_anthropic import FakeAnthropic, Reply, ToolUse
from verse_tui.app_factory import Services
from verse_tui.domain.bible import Passage
from verse_tui.domain.chat import StreamFinished
from verse_tui.domain.usage import TokenUsage
from verse_tui.llm.client import LlmClient
from verse_tui.llm.pricing import PRICES, estimate_cost, with_overrides
from verse_tui.services.chat_cost import cost_line
from verse_tui.services.chats import ChatService

EPHEMERAL = {"type": "ephemeral"}


@pytest.fixture
def priced_chats(services: Services, llm: LlmClient) -> ChatService:
    prices = with_overrides(
        {"claude-test": {"input": 3.0, "output": 15.0, "cache_write": 3.75, "cache_read": 0.3}}
    )
    return ChatService(services.context, llm, bible=services.bible, prices=prices)


async def test_tools_system_prompt_and_passage_are_sent_for_caching(
    priced_chats: ChatService, fake_anthropic: FakeAnthropic, john3: Passage
) -> None:
    chat = await priced_chats.create_chat(john3)
    fake_anthropic.enqueue(Reply(chunks=("Love.",)))
    await collect(priced_chats.send_message_stream(chat.id, "What is love?"))
    body = fake_anthropic.requests[0].body
    prompt, passage = body["system"]
    assert prompt["cache_control"] == passage["cache_control"] == EPHEMERAL
    assert "<passage" in passage["text"] and "For God so loved" in passage["text"]
    assert body["tools"][-1]["cache_control"] == EPHEMERAL
    assert all("cache_control" not in tool for tool in body["tools"][:-1])


async def test_usage_is_stored_per_reply_and_the_chat_cost_adds_it_up(
    priced_chats: ChatService, fake_anthropic: FakeAnthropic
) -> None:
    read = ToolUse("read_passage", {"reference": "Romans 5:8"})
    fake_anthropic.enqueue(
        Reply(
            chunks=("Reading.",),
            tools=(read,),
            stop_reason="tool_use",
            model="claude-test",
            input_tokens=40,
            output_tokens=10,
            cache_write_tokens=1500,
        ),
        Reply(
            chunks=("Done.",),
            model="claude-test",
            input_tokens=60,
            output_tokens=20,
            cache_read_tokens=1500,
        ),
    )
    events = await collect(priced_chats.create_standalone_chat_stream("Romans 5:8?"))
    finished = events[-1]
    assert isinstance(finished, StreamFinished)
    assert (finished.cache_read_tokens, finished.cache_write_tokens) == (1500, 1500)
    chat = await priced_chats.get_chat(events[0].chat_id)  # type: ignore[union-attr]
    reply = chat.messages[-1]
    stored = (reply.input_tokens, reply.output_tokens, reply.cache_read_tokens)
    assert (*stored, reply.cache_write_tokens) == (100, 30, 1500, 1500)
    assert chat.cost is not None
    assert chat.cost.usage == TokenUsage(100, 30, 1500, 1500)
    # 100 x $3 + 30 x $15 + 1500 x $0.30 + 1500 x $3.75, per million tokens
    assert chat.cost.usd == pytest.approx((300 + 450 + 450 + 5625) / 1e6)
    assert cost_line(chat.cost) == "1,600 in · 30 out · 1,500 cached · ≈ $0.0068"


async def test_a_model_without_a_price_has_no_estimate(
    priced_chats: ChatService, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.enqueue(Reply(chunks=("Hi.",), model="claude-unpriced-9"))
    events = await collect(priced_chats.create_standalone_chat_stream("Hello"))
    chat = await priced_chats.get_chat(events[0].chat_id)  # type: ignore[union-attr]
    assert chat.cost is not None and chat.cost.usd is None
    assert cost_line(chat.cost).endswith("cost unknown")


def test_the_shipped_table_prices_a_dated_model_id() -> None:
    model = next(iter(PRICES))
    usage = TokenUsage(1_000_000, 0, 0, 0)
    assert estimate_cost(f"{model}-20260101", usage) == PRICES[model].input
