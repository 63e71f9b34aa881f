"""A loopback fake of the Anthropic Messages API, for the real `anthropic` client.

It speaks HTTP/1.1 on 127.0.0.1 (random port) and answers `POST /v1/messages` with the real
server-sent-event wire format (chunked transfer encoding, `event:` lines, blank-line endings),
so tests exercise the SDK's own parsing, retries and error classes. Each request takes the next
script from a queue; when the queue is empty, `fallback` answers (by default it echoes the last
user message, so every reply is distinct and checkable).

Scripts:
    Reply(chunks=("Hel", "lo"), stop_reason="end_turn", delay=0.0, input_tokens=12, ...)
    Reply(..., cut=Cut("drop", after=2))        # connection closed mid-body (httpx2 error)
    Reply(..., cut=Cut("stall", after=1))       # stops sending; the client's read timeout fires
    Reply(..., cut=Cut("error_event", after=1, error_type="overloaded_error"))  # in a 200
    Reply(..., stop_reason=None)                # ends cleanly without message_delta
    ErrorStatus(529, "overloaded_error")         # HTTP error with Anthropic's JSON error body
    Replay(path, delay=0.0)                      # a recorded .sse file, event by event
    Echo(prefix="Echo: ", chunk_size=8)          # the default fallback

In a test (same event loop):
    async with FakeAnthropic() as server:
        server.enqueue(Reply(chunks=("Hi",)))
        llm = server.llm_client()               # a verse LlmClient pointed at the server
        ...
        assert server.request_count == 1 and server.requests[0].body["model"]

For code in another thread or a subprocess (blocking CLI tests), run it on its own loop:
    with FakeAnthropic.in_thread() as server:
        env["ANTHROPIC_BASE_URL"] = server.url
Or from a shell: `python -m tests.support.fake_anthropic --reply "Hello there"`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "anthropic-sse"
FAKE_API_KEY = "sk-ant-test-fake-key"
STALL_SECONDS = 3600.0


@dataclass(frozen=True)
class Cut:
    """How a streamed reply breaks off after `after` text chunks."""

    how: Literal["drop", "stall", "error_event"]
    after: int = 0
    error_type: str = "overloaded_error"
    error_message: str = "Overloaded"


@dataclass(frozen=True)
class Reply:
    """A 200 streamed reply. `stop_reason=None` ends the body without `message_delta`."""

    chunks: Sequence[str] = ("Hello", " there", "!")
    stop_reason: str | None = "end_turn"
    input_tokens: int = 12
    output_tokens: int | None = None  # default: one token per chunk
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


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any  # the parsed JSON body (None if it was not JSON)

    @property
    def last_user_text(self) -> str:
        return last_user_text(self.body)


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
            "usage": {"input_tokens": reply.input_tokens, "output_tokens": 1},
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


class FakeAnthropic:
    """The fake server. Start with `async with`, or `await start()` / `await stop()`."""

    def __init__(self, fallback: Script | None = None) -> None:
        self.fallback: Script = fallback or Echo()
        self.requests: list[RecordedRequest] = []
        self._queue: deque[Script] = deque()
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0

    @property
    def url(self) -> str:
        """The base URL to give the client (`base_url=` or `ANTHROPIC_BASE_URL`)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def request_count(self) -> int:
        return len(self.requests)

    def enqueue(self, *scripts: Script) -> None:
        """Answer the next requests with these scripts, in order."""
        self._queue.extend(scripts)

    def llm_client(self, **overrides: Any) -> Any:
        """A `verse_tui.llm.client.LlmClient` pointed at this server with a fake key."""
        from verse_tui.llm.client import LlmClient

        options: dict[str, Any] = {"api_key": FAKE_API_KEY, "base_url": self.url}
        return LlmClient(**(options | overrides))

    async def start(self) -> FakeAnthropic:
        self._server = await asyncio.start_server(self._on_connection, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def __aenter__(self) -> FakeAnthropic:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @classmethod
    @contextlib.contextmanager
    def in_thread(cls, fallback: Script | None = None) -> Iterator[FakeAnthropic]:
        """Run a server on its own event loop in a daemon thread (for blocking callers)."""
        server = cls(fallback)
        loop = asyncio.new_event_loop()
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.run_until_complete(server.start())
            ready.set()
            loop.run_forever()

        thread = threading.Thread(target=run, name="fake-anthropic", daemon=True)
        thread.start()
        ready.wait(10)
        try:
            yield server
        finally:
            asyncio.run_coroutine_threadsafe(server.stop(), loop).result(10)
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)
            loop.close()

    async def _on_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            while (request := await _read_request(reader)) is not None:
                self.requests.append(request)
                if not await self._respond(request, writer):
                    break
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass  # the client went away, or stop() cancelled a stalled or open connection
        finally:
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _respond(self, request: RecordedRequest, writer: asyncio.StreamWriter) -> bool:
        """Send one response; False when the connection must be closed afterwards."""
        number = self.request_count
        if request.method != "POST" or request.path.split("?")[0] != "/v1/messages":
            await _send_json(
                writer, 404, error_body("not_found_error", "no such route", f"req_fake_{number}")
            )
            return True
        script = self._queue.popleft() if self._queue else self.fallback
        if isinstance(script, ErrorStatus):
            headers = (
                {}
                if script.retry_after_ms is None
                else {"retry-after-ms": str(script.retry_after_ms)}
            )
            body = error_body(script.error_type, script.message, f"req_fake_{number}")
            await _send_json(writer, script.status, body, headers)
            return True
        model = str((request.body or {}).get("model", "claude-fake"))
        if isinstance(script, Echo):
            text = script.prefix + request.last_user_text
            chunks = [
                text[i : i + script.chunk_size] for i in range(0, len(text), script.chunk_size)
            ]
            script = Reply(chunks=chunks, delay=script.delay, stop_reason=script.stop_reason)
        if isinstance(script, Replay):
            events, delay, cut = replay_events(script.path), script.delay, None
        else:
            events, delay, cut = (
                reply_events(script, model, f"msg_fake_{number}"),
                script.delay,
                script.cut,
            )
        return await _stream(writer, events, delay, cut)


async def _read_request(reader: asyncio.StreamReader) -> RecordedRequest | None:
    line = await reader.readline()
    if not line.strip():
        return None
    method, path, _ = line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while (header := await reader.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = header.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    raw = await reader.readexactly(length) if length else b""
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        body = None
    return RecordedRequest(method=method, path=path, headers=headers, body=body)


async def _send_json(
    writer: asyncio.StreamWriter,
    status: int,
    body: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> None:
    data = json.dumps(body).encode()
    extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    head = (
        f"HTTP/1.1 {status} Fake\r\ncontent-type: application/json\r\n"
        f"content-length: {len(data)}\r\nrequest-id: {body.get('request_id', '')}\r\n{extra}\r\n"
    )
    writer.write(head.encode() + data)
    await writer.drain()


async def _stream(
    writer: asyncio.StreamWriter, events: list[bytes], delay: float, cut: Cut | None
) -> bool:
    writer.write(
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
        b"cache-control: no-cache\r\ntransfer-encoding: chunked\r\n"
        b"request-id: req_fake_stream\r\n\r\n"
    )
    texts_sent = 0
    for event in events:
        is_text = event.startswith(b"event: content_block_delta")
        if cut is not None and is_text and texts_sent == cut.after:
            return await _cut(writer, cut)
        if is_text and delay:
            await asyncio.sleep(delay)
        writer.write(b"%x\r\n%s\r\n" % (len(event), event))
        await writer.drain()
        texts_sent += is_text
    if cut is not None:  # fewer chunks than `after`: cut at the end of the body
        return await _cut(writer, cut)
    writer.write(b"0\r\n\r\n")
    await writer.drain()
    return True


async def _cut(writer: asyncio.StreamWriter, cut: Cut) -> bool:
    if cut.how == "stall":
        await asyncio.sleep(STALL_SECONDS)
        return False
    if cut.how == "error_event":
        event = sse(
            "error",
            {"type": "error", "error": {"type": cut.error_type, "message": cut.error_message}},
        )
        writer.write(b"%x\r\n%s\r\n0\r\n\r\n" % (len(event), event))
        await writer.drain()
        return True
    return False  # "drop": the caller closes the socket before the final chunk


async def _serve_forever(args: argparse.Namespace) -> None:
    reply = Reply(
        chunks=[
            args.reply[i : i + args.chunk_size] for i in range(0, len(args.reply), args.chunk_size)
        ],
        delay=args.delay,
        stop_reason=args.stop_reason or None,
    )
    server = FakeAnthropic(fallback=reply if args.reply else None)
    async with server:
        print(server.url, flush=True)
        await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve a fake Anthropic Messages API.")
    parser.add_argument("--reply", default="", help="reply text (default: echo the question)")
    parser.add_argument("--chunk-size", type=int, default=8)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds between chunks")
    parser.add_argument("--stop-reason", default="end_turn", help="empty: no message_delta")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve_forever(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
