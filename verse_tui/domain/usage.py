"""Token use of one request to Claude, as the Messages API reports it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class TokenUsage:
    """Tokens of one reply: uncached input, output, and prompt-cache reads and writes.

    `input_tokens` counts only the input that was neither read from nor written to the cache
    (the API's own meaning), so the four counts add up to what was billed.
    """

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0

    @classmethod
    def from_api(cls, usage: object) -> TokenUsage:
        """From the SDK's `Usage` (or any object with its field names; missing ones are 0)."""

        def count(name: str) -> int:
            value = getattr(usage, name, None)
            return value if isinstance(value, int) else 0

        return cls(
            count("input_tokens"),
            count("output_tokens"),
            count("cache_read_input_tokens"),
            count("cache_creation_input_tokens"),
        )

    @property
    def prompt_tokens(self) -> int:
        """Everything sent: uncached input plus cache reads and writes."""
        return self.input_tokens + self.cache_read_tokens + self.cache_write_tokens

    def __add__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cache_read_tokens + other.cache_read_tokens,
            self.cache_write_tokens + other.cache_write_tokens,
        )


@dataclass(frozen=True, slots=True)
class ChatCost:
    """A chat's token use (all its replies) and its estimated cost in US dollars: None when
    some reply's model has no price. `prices_taken`: the date of the prices used."""

    usage: TokenUsage = field(default_factory=TokenUsage)
    usd: float | None = 0.0
    prices_taken: str = ""
