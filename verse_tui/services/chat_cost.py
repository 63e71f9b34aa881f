"""A chat's token use and estimated cost, from the usage stored with each reply."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from verse_tui.domain.chat import ChatMessage
from verse_tui.domain.usage import ChatCost, TokenUsage
from verse_tui.llm.pricing import PRICES, PRICES_TAKEN, ModelPrice, estimate_cost, format_cost


def reply_usage(message: ChatMessage) -> TokenUsage:
    return TokenUsage(
        message.input_tokens or 0,
        message.output_tokens or 0,
        message.cache_read_tokens or 0,
        message.cache_write_tokens or 0,
    )


def chat_cost(
    messages: Iterable[ChatMessage], prices: Mapping[str, ModelPrice] = PRICES
) -> ChatCost:
    """The tokens of every reply added up, and their cost: each reply priced on its own (its
    model, its prompt size); None when a reply that used tokens has a model with no price."""
    total, usd = TokenUsage(), 0.0
    unknown = False
    for message in messages:
        usage = reply_usage(message)
        if message.role != "assistant" or usage == TokenUsage():
            continue
        total += usage
        cost = estimate_cost(message.model or "", usage, prices)
        if cost is None:
            unknown = True
        else:
            usd += cost
    return ChatCost(total, None if unknown else usd, PRICES_TAKEN)


def cost_line(cost: ChatCost) -> str:
    """One line for a header: "1,204 in · 310 out · 9,800 cached · ≈ $0.0123"."""
    usage = cost.usage
    parts = [
        f"{usage.input_tokens + usage.cache_write_tokens:,} in",
        f"{usage.output_tokens:,} out",
    ]
    if usage.cache_read_tokens:
        parts.append(f"{usage.cache_read_tokens:,} cached")
    estimate = format_cost(cost.usd)
    parts.append(estimate if cost.usd is None else f"≈ {estimate}")
    return " · ".join(parts)
