"""A thin wrapper over `anthropic.AsyncAnthropic` and `client.messages.stream(...)`.

`import anthropic` costs about 1.3 s, so this module imports neither `anthropic` nor `httpx2`
at import time: the SDK is loaded the first time a reply is requested. Every failure is
mapped to one `verse_tui.llm.errors.LlmError` subclass. A reply is finished only when Claude
says so (a stop reason, then `message_stop`): a stream whose body ends before that raises
`ReplyEndedEarlyError`. A reply cut by the token limit is finished, but truncated
(`StreamFinished.was_truncated`).

Usage:
    llm = LlmClient.from_settings(settings)
    async for event in llm.stream([LlmMessage("user", "Who wrote Hebrews?")], system=...):
        ...  # TextDelta..., then one StreamFinished; raises LlmError on failure
    await llm.aclose()
"""

from __future__ import annotations

import asyncio
import re
from _thread import allocate_lock  # threading.Lock without importing threading
from collections.abc import AsyncGenerator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from verse_tui.config import DEFAULT_MODEL, Settings
from verse_tui.domain.chat import Role, StreamFinished, TextDelta
from verse_tui.domain.tools import ToolCall
from verse_tui.llm import errors

if TYPE_CHECKING:
    from anthropic import AsyncAnthropic

DEFAULT_MAX_TOKENS = 2048
DEFAULT_READ_TIMEOUT = 60.0  # seconds without any byte from the server before giving up
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_MAX_RETRIES = 2  # the SDK retries 408/409/429/5xx/529 and connect errors, before headers
READ_TIMEOUT_ENV = "VERSE_LLM_READ_TIMEOUT"
TRUNCATING_STOP_REASONS = frozenset({"max_tokens", "model_context_window_exceeded"})
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class LlmMessage:
    """One turn of the conversation sent to Claude: its text, or (a turn of a tool round)
    its content blocks as the API takes them (`text`, `tool_use`, `tool_result`)."""

    role: Role
    text: str
    blocks: tuple[dict[str, Any], ...] | None = None

    def as_param(self) -> dict[str, Any]:
        content: Any = list(self.blocks) if self.blocks is not None else self.text
        return {"role": self.role, "content": content}


def is_truncated(stop_reason: str | None) -> bool:
    """A finished reply is truncated when the token (or context) limit cut it."""
    return stop_reason in TRUNCATING_STOP_REASONS


def clean_text(text: str) -> str:
    """`text` with any lone surrogate (which JSON's `\\ud800` escapes can carry, and which
    no UTF-8 database, file or terminal accepts) replaced by U+FFFD, the replacement
    character; other text is returned as is."""
    if _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub("\ufffd", text)


class LlmClient:
    """Streams replies from Claude. Build once (the app factory does) and share it."""

    def __init__(
        self,
        *,
        api_key: str | None,
        model: str = DEFAULT_MODEL,
        base_url: str | None = None,
        read_timeout: float = DEFAULT_READ_TIMEOUT,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: Any | None = None,
        config_file: str | None = None,
    ) -> None:
        self._api_key = api_key
        self._model = model
        self._base_url = base_url
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._max_retries = max_retries
        self._http_client = http_client
        self._config_file = config_file
        self._sdk: AsyncAnthropic | None = None
        self._building = allocate_lock()  # `prepare` may run in a thread and on the loop

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        http_client: Any | None = None,
        environ: Mapping[str, str] | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
    ) -> LlmClient:
        """Key, model and base URL from settings; the read timeout from $VERSE_LLM_READ_TIMEOUT."""
        return cls(
            api_key=settings.api_key,
            model=settings.model,
            base_url=settings.base_url,
            read_timeout=read_timeout_from_env(environ),
            max_retries=max_retries,
            http_client=http_client,
            config_file=str(settings.config_file) if settings.config_file else None,
        )

    @property
    def model(self) -> str:
        return self._model

    @property
    def read_timeout(self) -> float:
        """Seconds the client waits for the next byte of a reply before it gives up."""
        return self._read_timeout

    @property
    def has_api_key(self) -> bool:
        return bool(self._api_key)

    def require_api_key(self) -> None:
        """Raise `MissingApiKeyError` now, before anything is sent, if there is no key."""
        if not self._api_key:
            raise errors.MissingApiKeyError(self._config_file)

    async def stream(
        self,
        messages: Sequence[LlmMessage],
        *,
        system: str | list[dict[str, Any]],
        max_tokens: int = DEFAULT_MAX_TOKENS,
        model: str | None = None,
        tools: list[dict[str, Any]] | None = None,
        tool_choice: dict[str, Any] | None = None,
    ) -> AsyncGenerator[TextDelta | StreamFinished, None]:
        """Yield the reply's `TextDelta`s, then one `StreamFinished`; raise `LlmError` on failure.

        With `tools`, Claude may stop to call them: the `StreamFinished` then has stop reason
        "tool_use", its `content` and its `tool_calls` (running them is the caller's job).
        The error raised mid-stream carries the text received so far in `partial_text`.
        """
        self.require_api_key()
        # Building the client loads the TLS certificates (20-40 ms; the SDK import, 1.3 s, the
        # first time): never on the event loop. The TUI's warm-up usually did it already.
        sdk = self._sdk if self._sdk is not None else await asyncio.to_thread(self.prepare)
        parts: list[str] = []
        reached = False  # the response headers arrived: the API was reached
        try:
            async with sdk.messages.stream(
                model=model or self._model,
                max_tokens=max_tokens,
                system=system,  # type: ignore[arg-type]
                messages=[m.as_param() for m in messages],  # type: ignore[misc]
                **_tool_options(tools, tool_choice),
            ) as stream:
                reached = True
                stopped = False  # `message_stop` arrived
                async for event in stream:
                    if event.type == "text" and event.text:
                        text = clean_text(event.text)
                        parts.append(text)
                        yield TextDelta(text)
                    elif event.type == "message_stop":
                        stopped = True
                finished = _finished(stream, "".join(parts), stopped=stopped)
        except errors.LlmError:
            raise
        except Exception as exc:
            mapped = self._map_error(exc, "".join(parts), reached=reached)
            if mapped is None:
                raise
            raise mapped from exc
        yield finished

    async def complete(
        self,
        messages: Sequence[LlmMessage],
        *,
        system: str | list[dict[str, Any]],
        max_tokens: int = DEFAULT_MAX_TOKENS,
        model: str | None = None,
    ) -> StreamFinished:
        """The whole reply at once (streamed underneath, so long replies do not time out)."""
        finished: StreamFinished | None = None
        async for event in self.stream(messages, system=system, max_tokens=max_tokens, model=model):
            if isinstance(event, StreamFinished):
                finished = event
        assert finished is not None  # stream() always ends with StreamFinished or raises
        return finished

    async def aclose(self) -> None:
        """Close the HTTP connections (only if a reply was ever requested)."""
        if self._sdk is not None:
            await self._sdk.close()
            self._sdk = None

    def prepare(self) -> AsyncAnthropic:
        """The SDK client, built on first use: blocking work (the SDK import, the TLS
        certificates), so call it off the event loop (a thread); safe from any thread."""
        with self._building:
            return self._client()

    def _client(self) -> AsyncAnthropic:
        if self._sdk is None:
            import gc

            import anthropic
            import httpx2

            # The SDK import leaves ~100 MB of long-lived objects; move everything alive now
            # out of the collector's reach, or each full collection during a busy stream
            # rescans them all (measured: 150-200 ms event-loop stalls, ~12 ms with this).
            gc.freeze()
            self._sdk = anthropic.AsyncAnthropic(
                api_key=self._api_key,
                base_url=self._base_url,
                timeout=httpx2.Timeout(self._read_timeout, connect=self._connect_timeout),
                max_retries=self._max_retries,
                http_client=self._http_client,
            )
        return self._sdk

    def _map_error(
        self, exc: Exception, partial_text: str, *, reached: bool
    ) -> errors.LlmError | None:
        from verse_tui.llm.error_mapping import map_exception

        return map_exception(
            exc,
            partial_text=partial_text,
            model=self._model,
            base_url=self._base_url or "https://api.anthropic.com",
            read_timeout=self._read_timeout,
            connect_timeout=self._connect_timeout,
            reached=reached,
        )


def _finished(stream: Any, text: str, *, stopped: bool) -> StreamFinished:
    try:
        snapshot = stream.current_message_snapshot
    except AssertionError:  # the SDK asserts when no message_start ever arrived
        snapshot = None
    if snapshot is None:
        raise errors.StreamError(
            "Claude's reply arrived empty (no message was started). Try again.",
            partial_text=text,
        )
    if not stopped or snapshot.stop_reason is None:
        kept = f" {errors.KEPT}" if text else ""
        raise errors.ReplyEndedEarlyError(
            "Claude's reply ended before it was finished: the connection closed without "
            f"Claude saying the answer was complete (a proxy or the network cut it).{kept} "
            "Try again to get a complete answer.",
            partial_text=text,
        )
    usage = snapshot.usage
    content: tuple[dict[str, Any], ...] = ()
    calls: tuple[ToolCall, ...] = ()
    if snapshot.stop_reason == "tool_use":
        content = tuple(  # the API refuses empty text blocks in a request
            _block_param(b) for b in snapshot.content if b.type != "text" or b.text.strip()
        )
        calls = tuple(
            ToolCall(b["id"], b["name"], b.get("input")) for b in content if b["type"] == "tool_use"
        )
    return StreamFinished(
        text=text,
        stop_reason=snapshot.stop_reason,
        was_truncated=is_truncated(snapshot.stop_reason),
        input_tokens=usage.input_tokens if usage else None,
        output_tokens=usage.output_tokens if usage else None,
        model=snapshot.model,
        content=content,
        tool_calls=calls,
        cache_read_tokens=getattr(usage, "cache_read_input_tokens", None) if usage else None,
        cache_write_tokens=getattr(usage, "cache_creation_input_tokens", None) if usage else None,
    )


def _tool_options(
    tools: list[dict[str, Any]] | None, tool_choice: dict[str, Any] | None
) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if tools:
        options["tools"] = tools
    if tool_choice:
        options["tool_choice"] = tool_choice
    return options


def _block_param(block: Any) -> dict[str, Any]:
    """A content block of the reply as the API takes it back in a later request: only the
    fields a request accepts (a text block's text, a tool_use block's id, name and input)."""
    if block.type == "text":
        return {"type": "text", "text": clean_text(block.text)}
    if block.type == "tool_use":
        return {"type": "tool_use", "id": block.id, "name": block.name, "input": block.input}
    return dict(block.model_dump(exclude_none=True))


def read_timeout_from_env(environ: Mapping[str, str] | None = None) -> float:
    """$VERSE_LLM_READ_TIMEOUT in seconds, else the default; a bad value is a clear error."""
    import os

    env = os.environ if environ is None else environ
    raw = env.get(READ_TIMEOUT_ENV)
    if not raw:
        return DEFAULT_READ_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise errors.LlmError(
            f"{READ_TIMEOUT_ENV}={raw!r} is not a positive number of seconds. "
            f"Set it to e.g. 60, or unset it."
        )
    return value
