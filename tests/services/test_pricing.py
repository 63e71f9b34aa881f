"""Cost estimates from the price table (issue 12)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from verse_tui.config import DEFAULT_MODEL
from verse_tui.domain.usage import TokenUsage
from verse_tui.llm.pricing import (
    PRICES,
    PRICES_TAKEN,
    ModelPrice,
    PriceTableError,
    estimate_cost,
    format_cost,
    price_for,
    with_overrides,
)


def test_the_default_model_has_a_price_and_the_table_a_date() -> None:
    assert price_for(DEFAULT_MODEL) is not None
    assert PRICES_TAKEN == "2026-12-04"
    for price in PRICES.values():
        assert price.cache_read < price.input < price.cache_write < price.output


def test_each_kind_of_token_has_its_own_rate() -> None:
    usage = TokenUsage(
        input_tokens=1_000_000,
        output_tokens=1_000_000,
        cache_read_tokens=1_000_000,
        cache_write_tokens=1_000_000,
    )
    # Sonnet 5.5: $2 in, $10 out, $2.50 cache write, $0.10 cache read.
    assert estimate_cost("claude-sonnet-5-5", usage) == pytest.approx(14.60)
    assert estimate_cost("claude-opus-5-5", usage) == pytest.approx(4 + 20 + 5 + 0.2)
    small = TokenUsage(input_tokens=1200, output_tokens=350, cache_read_tokens=9000)
    assert estimate_cost("claude-sonnet-5-5", small) == pytest.approx(
        (1200 * 2 + 350 * 10 + 9000 * 0.10) / 1_000_000
    )


def test_dated_and_suffixed_ids_find_their_model() -> None:
    assert price_for("claude-haiku-4-5-20251001") == PRICES["claude-haiku-4-5"]
    assert price_for("claude-sonnet-5-5-20261001") == PRICES["claude-sonnet-5-5"]
    assert price_for("claude-sonnet-5-5[1m]") == PRICES["claude-sonnet-5-5"]
    assert price_for("claude-sonnet-5-55") is None  # no separator: not Sonnet 5.5
    assert estimate_cost("gpt-unknown", TokenUsage(1, 1)) is None


def test_haiku_5_5_long_prompts_cost_more() -> None:
    short = TokenUsage(input_tokens=50_000, cache_read_tokens=50_000, output_tokens=1000)
    long = TokenUsage(input_tokens=50_000, cache_read_tokens=50_001, output_tokens=1000)
    assert estimate_cost("claude-haiku-5-5", short) == pytest.approx(
        (50_000 * 0.10 + 50_000 * 0.01 + 1000 * 0.50) / 1_000_000
    )
    assert estimate_cost("claude-haiku-5-5", long) == pytest.approx(
        (50_000 * 0.50 + 50_001 * 0.05 + 1000 * 2.50) / 1_000_000
    )


def test_usage_from_the_api_and_sums() -> None:
    api = SimpleNamespace(
        input_tokens=10,
        output_tokens=20,
        cache_read_input_tokens=30,
        cache_creation_input_tokens=None,
    )
    usage = TokenUsage.from_api(api)
    assert usage == TokenUsage(10, 20, 30, 0)
    assert usage + TokenUsage(1, 2, 3, 4) == TokenUsage(11, 22, 33, 4)
    assert usage.prompt_tokens == 40


def test_format_cost() -> None:
    assert format_cost(1.2449) == "$1.24"
    assert format_cost(0.00312) == "$0.0031"
    assert format_cost(0.0) == "$0.00"
    assert format_cost(None) == "cost unknown"


def test_config_overrides_change_and_add_models() -> None:
    table = with_overrides(
        {
            "claude-sonnet-5-5": {"output": 12},
            "my-proxy-model": {"input": 1, "output": 2, "cache_write": 1.25, "cache_read": 0.1},
        }
    )
    assert table["claude-sonnet-5-5"] == ModelPrice(2.0, 12.0, 2.50, 0.10)
    assert estimate_cost("my-proxy-model", TokenUsage(1_000_000, 1_000_000), table) == 3.0
    assert PRICES["claude-sonnet-5-5"].output == 10.0  # the shipped table is unchanged


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"new-model": {"input": 1}}, "is a new model: give all of input, output"),
        ({"claude-sonnet-5-5": {"inptu": 1}}, "unknown keys inptu; use input, output"),
        ({"claude-sonnet-5-5": {"input": "two"}}, "must be a number of US dollars"),
        ({"claude-sonnet-5-5": {"input": -1}}, "must be zero or more, not -1"),
        ({"claude-sonnet-5-5": {"input": True}}, "must be a number"),
        ({"claude-sonnet-5-5": 2.0}, 'prices."claude-sonnet-5-5" must be a table'),
    ],
)
def test_bad_overrides_say_what_to_fix(overrides: dict, message: str) -> None:
    with pytest.raises(PriceTableError, match="prices") as caught:
        with_overrides(overrides)
    assert message in str(caught.value)
