"""`LanguageModel`: what the services need of a Claude client, as a type.

`verse_tui.llm.client.LlmClient` is the one implementation; the services and the app
factory's `Services` are typed against this protocol, so they name only the calls they make
(the tests hand them the real client pointed at a loopback fake, never a stand-in class).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from verse_tui.domain.chat import StreamFinished, TextDelta
    from verse_tui.llm.client import LlmMessage


class LanguageModel(Protocol):
    """Streams Claude's replies; knows its model and whether it has an API key."""

    @property
    def model(self) -> str: ...

    @property
    def has_api_key(self) -> bool: ...

    def require_api_key(self) -> None:
        """Raise `MissingApiKeyError` before anything is sent when there is no key."""
        ...

    def prepare(self) -> object:
        """Build the HTTP client now (blocking: call it in a thread, e.g. a warm-up)."""
        ...

    def stream(
        self,
        messages: Sequence[LlmMessage],
        *,
        system: str | list[dict[str, Any]],
        max_tokens: int = ...,
        model: str | None = None,
        tools: list[dict[str, Any]] | None = None,
        tool_choice: dict[str, Any] | None = None,
    ) -> AsyncGenerator[TextDelta | StreamFinished, None]:
        """The reply's `TextDelta`s, then one `StreamFinished`; raises `LlmError` on failure.
        With `tools`, a `StreamFinished` with stop reason "tool_use" carries Claude's calls.
        Callers close it (`contextlib.aclosing`) so a cancelled reply frees its connection."""
        ...

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        ...
