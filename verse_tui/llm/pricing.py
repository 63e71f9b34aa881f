"""What a reply cost: a small price table per Claude model, and `estimate_cost`.

Prices are US dollars per million tokens, **taken on 2026-12-04** (`PRICES_TAKEN`) from
Anthropic's pricing page and model pages (platform.claude.com/docs/en/about-claude/pricing,
.../models/<model>/overview); two later changes come from price trackers' release notes that
re-checked the live page: the Claude Sonnet 5.5 cache-read cut from $0.20 to $0.10 on
2026-10-07, and the Fable 5.2 / Mythos 5.2 prices (checked 2026-12-01). Cache writes are the
5-minute rate (1.25 x input), the lifetime Verse asks for. Claude Haiku 5.5 costs five times
as much for a request whose prompt (input + cache reads + writes) is over 100,000 tokens.

Prices change: a `[prices."<model id>"]` table in config.toml (keys `input`, `output`,
`cache_write`, `cache_read`) overrides or adds a model, through `with_overrides`. An unknown
model has no estimate (None) rather than a guessed one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from verse_tui.domain.usage import TokenUsage
from verse_tui.errors import InputError

__all__ = [
    "PRICES",
    "PRICES_TAKEN",
    "ModelPrice",
    "PriceTableError",
    "estimate_cost",
    "format_cost",
    "price_for",
    "settings_prices",
    "with_overrides",
]

PRICES_TAKEN = "2026-12-04"
PER_TOKENS = 1_000_000
_FIELDS = ("input", "output", "cache_write", "cache_read")
_SUFFIX = re.compile(r"(?:-\d{8})?(?:\[[^\]]*\]|[@:].*)?")


class PriceTableError(InputError):
    """A price override in config.toml cannot be used; the message says which and why."""


@dataclass(frozen=True, slots=True)
class ModelPrice:
    """US dollars per million tokens of each kind; `long_prompt` applies instead to a
    request whose prompt tokens exceed `long_prompt_above`."""

    input: float
    output: float
    cache_write: float
    cache_read: float
    long_prompt: ModelPrice | None = None
    long_prompt_above: int | None = None


def _same(price: ModelPrice, *names: str) -> dict[str, ModelPrice]:
    return dict.fromkeys(names, price)


PRICES: Mapping[str, ModelPrice] = MappingProxyType(
    {
        **_same(ModelPrice(8.0, 40.0, 10.0, 0.20), "claude-fable-5-2", "claude-mythos-5-2"),
        **_same(ModelPrice(10.0, 50.0, 12.50, 0.25), "claude-fable-5-1", "claude-mythos-5-1"),
        **_same(ModelPrice(10.0, 50.0, 12.50, 1.0), "claude-fable-5", "claude-mythos-5"),
        "claude-opus-5-5": ModelPrice(4.0, 20.0, 5.0, 0.20),
        **_same(
            ModelPrice(5.0, 25.0, 6.25, 0.50),
            "claude-opus-5",
            "claude-opus-4-8",
            "claude-opus-4-7",
            "claude-opus-4-6",
            "claude-opus-4-5",
        ),
        "claude-sonnet-5-5": ModelPrice(2.0, 10.0, 2.50, 0.10),
        "claude-sonnet-5": ModelPrice(2.0, 10.0, 2.50, 0.20),
        **_same(ModelPrice(3.0, 15.0, 3.75, 0.30), "claude-sonnet-4-6", "claude-sonnet-4-5"),
        "claude-haiku-5-5": ModelPrice(
            0.10, 0.50, 0.125, 0.01, ModelPrice(0.50, 2.50, 0.625, 0.05), 100_000
        ),
        "claude-haiku-4-5": ModelPrice(1.0, 5.0, 1.25, 0.10),
    }
)


def price_for(model: str, prices: Mapping[str, ModelPrice] = PRICES) -> ModelPrice | None:
    """The price of a model id: exact, or a listed id followed by a date or a qualifier
    ("claude-haiku-4-5-20251001", "claude-sonnet-5-5[1m]"); None if unlisted (so
    "claude-sonnet-5-55" is not taken for Sonnet 5)."""
    if model in prices:
        return prices[model]
    for key in prices:
        if model.startswith(key) and _SUFFIX.fullmatch(model, len(key)):
            return prices[key]
    return None


def estimate_cost(
    model: str, usage: TokenUsage, prices: Mapping[str, ModelPrice] = PRICES
) -> float | None:
    """US dollars one request cost (its `usage`), or None when the model has no price.

    A chat's cost is the sum over its replies: price each reply on its own, since the
    long-prompt rate depends on each request's prompt size."""
    price = price_for(model, prices)
    if price is None:
        return None
    if price.long_prompt is not None and usage.prompt_tokens > (price.long_prompt_above or 0):
        price = price.long_prompt
    total = (
        usage.input_tokens * price.input
        + usage.output_tokens * price.output
        + usage.cache_write_tokens * price.cache_write
        + usage.cache_read_tokens * price.cache_read
    )
    return total / PER_TOKENS


def format_cost(usd: float | None) -> str:
    """ "$1.24", "$0.0031" below a cent, "cost unknown" without a price."""
    if usd is None:
        return "cost unknown"
    return f"${usd:.4f}" if 0 < usd < 0.01 else f"${usd:.2f}"


def _rate(model: str, field: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PriceTableError(
            f'prices."{model}".{field} must be a number of US dollars per million tokens.'
        )
    if not math.isfinite(value) or value < 0:
        raise PriceTableError(f'prices."{model}".{field} must be zero or more, not {value}.')
    return float(value)


def settings_prices(prices: tuple[tuple[str, object], ...]) -> Mapping[str, ModelPrice]:
    """The table with `Settings.prices` (config.toml's [prices] tables) applied;
    `PriceTableError` names a bad one."""
    if not prices:
        return PRICES
    return with_overrides(
        {model: dict(fields) if isinstance(fields, tuple) else fields for model, fields in prices}
    )


def with_overrides(
    overrides: Mapping[str, object], base: Mapping[str, ModelPrice] = PRICES
) -> Mapping[str, ModelPrice]:
    """The price table with config.toml's `[prices."<model>"]` tables applied: a listed
    model may set only some fields (the rest keep their price); a new model needs all four.
    An overridden model is priced flat (Haiku 5.5's long-prompt rate no longer applies)."""
    table = dict(base)
    for model, fields in overrides.items():
        if not isinstance(fields, Mapping):
            raise PriceTableError(
                f'prices."{model}" must be a table such as {{ input = 2.0, output = 10.0, '
                "cache_write = 2.5, cache_read = 0.1 }."
            )
        unknown = sorted(set(fields) - set(_FIELDS))
        if unknown:
            raise PriceTableError(
                f'prices."{model}" has unknown keys {", ".join(unknown)}; use {", ".join(_FIELDS)}.'
            )
        old = table.get(model)
        missing = [f for f in _FIELDS if f not in fields and old is None]
        if missing:
            raise PriceTableError(
                f'prices."{model}" is a new model: give all of {", ".join(_FIELDS)} '
                f"(missing {', '.join(missing)})."
            )
        rates = {f: _rate(model, f, fields[f]) for f in _FIELDS if f in fields}
        table[model] = ModelPrice(
            rates.get("input", old.input if old else 0.0),
            rates.get("output", old.output if old else 0.0),
            rates.get("cache_write", old.cache_write if old else 0.0),
            rates.get("cache_read", old.cache_read if old else 0.0),
        )
    return MappingProxyType(table)
