"""The Anthropic Messages API wire format, and the scripts the fake server plays.

`reply_events` / `replay_events` give the exact bytes of a streamed reply (server-sent events,
each with an `event:` line and a blank line after it), `error_body` the JSON of an HTTP error.
See `fake_anthropic.py` for how each script is played.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal


@dataclass(frozen=True)
class Cut:
    """How a streamed reply breaks off after `after` text chunks. "end" ends the body cleanly
    there (the final chunk of the chunked encoding), without `message_stop`."""

    how: Literal["drop", "stall", "error_event", "end"]
    after: int = 0
    error_type: str = "overloaded_error"
    error_message: str = "Overloaded"


@dataclass(frozen=True)
class ToolUse:
    """A `tool_use` block after the reply's text, its input sent as `input_json_delta`
    pieces of `piece` characters (as the API streams it, recorded-tool-runner-*.sse)."""

    name: str
    input: dict[str, Any]
    id: str = "toolu_fake_1"
    piece: int = 7


@dataclass(frozen=True)
class Reply:
    """A 200 streamed reply. `stop_reason=None` sends `message_stop` without a `message_delta`
    (so without any stop reason). With `tools`, use stop_reason "tool_use"."""

    chunks: Sequence[str] = ("Hello", " there", "!")
    tools: Sequence[ToolUse] = ()
    stop_reason: str | None = "end_turn"
    input_tokens: int = 12
    output_tokens: int | None = None  # default: one token per chunk
    cache_read_tokens: int = 0  # prompt tokens the reply says it read from the cache
    cache_write_tokens: int = 0  # and wrote to it
    model: str | None = None  # default: the model the request asked for
    delay: float = 0.0  # seconds before each text chunk
    cut: Cut | None = None

    @property
    def text(self) -> str:
        return "".join(self.chunks)


@dataclass(frozen=True)
class ErrorStatus:
    """An HTTP error with the Anthropic error JSON body. The SDK retries 429/5xx/529 itself;
    `retry_after_ms` keeps those retries fast in tests (None sends no such header)."""

    status: int
    error_type: str
    message: str = "fake error"
    retry_after_ms: int | None = 1


@dataclass(frozen=True)
class Replay:
    """A recorded `.sse` file sent event by event (a missing final blank line is added)."""

    path: Path
    delay: float = 0.0


@dataclass(frozen=True)
class Echo:
    """A reply echoing the last user message, split into chunks of `chunk_size` characters."""

    prefix: str = "Echo: "
    chunk_size: int = 8
    delay: float = 0.0
    stop_reason: str = "end_turn"


Script = Reply | ErrorStatus | Replay | Echo


def last_user_text(body: Any) -> str:
    """The text of the last user turn of a Messages request body."""
    for message in reversed((body or {}).get("messages", [])):
        if message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, str):
                return content
            return "".join(b.get("text", "") for b in content if isinstance(b, dict))
    return ""


def sse(event: str, data: dict[str, Any]) -> bytes:
    """One server-sent event in the API's format."""
    return f"event: {event}\ndata: {json.dumps(data)}\n\n".encode()


def reply_events(reply: Reply, model: str, message_id: str) -> list[bytes]:
    """The events of a whole reply, without any cut (used by benchmarks too)."""
    cache = {  # the API sends these (as 0 without caching); sent here only when set
        "cache_read_input_tokens": reply.cache_read_tokens,
        "cache_creation_input_tokens": reply.cache_write_tokens,
    }
    cache = {k: v for k, v in cache.items() if v}
    start = {
        "type": "message_start",
        "message": {
            "id": message_id,
            "type": "message",
            "role": "assistant",
            "content": [],
            "model": reply.model or model,
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": reply.input_tokens, "output_tokens": 1} | cache,
        },
    }
    events = [
        sse("message_start", start),
        sse(
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
        ),
        sse("ping", {"type": "ping"}),
    ]
    events += [
        sse(
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": 0,
                "delta": {"type": "text_delta", "text": chunk},
            },
        )
        for chunk in reply.chunks
    ]
    events.append(sse("content_block_stop", {"type": "content_block_stop", "index": 0}))
    for index, tool in enumerate(reply.tools, start=1):
        events += tool_use_events(tool, index)
    if reply.stop_reason is not None:
        output_tokens = len(reply.chunks) if reply.output_tokens is None else reply.output_tokens
        events.append(
            sse(
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": reply.stop_reason, "stop_sequence": None},
                    "usage": {"output_tokens": output_tokens},
                },
            )
        )
    events.append(sse("message_stop", {"type": "message_stop"}))
    return events


def tool_use_events(tool: ToolUse, index: int) -> list[bytes]:
    """A tool_use block: its start (empty input), the input JSON in pieces, its stop."""
    block = {"type": "tool_use", "id": tool.id, "name": tool.name, "input": {}}
    raw = json.dumps(tool.input)
    pieces = ["", *(raw[i : i + tool.piece] for i in range(0, len(raw), tool.piece))]
    start = {"type": "content_block_start", "index": index, "content_block": block}
    events = [sse("content_block_start", start)]
    events += [
        sse(
            "content_block_delta",
            {
                "type": "content_block_delta",
                "index": index,
                "delta": {"type": "input_json_delta", "partial_json": piece},
            },
        )
        for piece in pieces
    ]
    events.append(sse("content_block_stop", {"type": "content_block_stop", "index": index}))
    return events


def replay_events(path: Path) -> list[bytes]:
    """A recorded `.sse` file split into events, each ending with a blank line."""
    raw = Path(path).read_text(encoding="utf-8").replace("\r\n", "\n")
    return [f"{block.strip(chr(10))}\n\n".encode() for block in raw.split("\n\n") if block.strip()]


def error_body(error_type: str, message: str, request_id: str) -> dict[str, Any]:
    return {
        "type": "error",
        "error": {"type": error_type, "message": message},
        "request_id": request_id,
    }
