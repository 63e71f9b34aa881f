"""A loopback fake of the Anthropic Messages API, for the real `anthropic` client.

It speaks HTTP/1.1 on 127.0.0.1 (random port) and answers `POST /v1/messages` with the real
server-sent-event wire format (chunked transfer encoding, `event:` lines, blank-line endings),
so tests exercise the SDK's own parsing, retries and error classes. Each request takes the next
script from a queue; when the queue is empty, `fallback` answers (by default it echoes the last
user message, so every reply is distinct and checkable).

Scripts:
    Reply(chunks=("Hel", "lo"), stop_reason="end_turn", delay=0.0, input_tokens=12, ...)
    Reply(chunks=("Let me read it.",), tools=(ToolUse("read_passage", {"reference": "Rom 5:8"}),),
          stop_reason="tool_use")               # a tool_use block after the text
    Reply(..., cut=Cut("drop", after=2))        # connection closed mid-body (httpx2 error)
    Reply(..., cut=Cut("stall", after=1))       # stops sending; the client's read timeout fires
    Reply(..., cut=Cut("error_event", after=1, error_type="overloaded_error"))  # in a 200
    Reply(..., cut=Cut("end", after=2))         # body ends cleanly, without message_stop
    Reply(..., stop_reason=None)                # message_stop without any message_delta
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
Or from a shell: `python -m tests.support.fake_anthropic --reply "Hello there"` (prints its URL).
The scripts and the wire format itself live in `anthropic_sse.py`; the names are re-exported here.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.anthropic_sse import (
    Cut,
    Echo,
    ErrorStatus,
    Replay,
    Reply,
    Script,
    ToolUse,
    error_body,
    last_user_text,
    replay_events,
    reply_events,
    sse,
)

__all__ = [
    "FAKE_API_KEY",
    "FIXTURES",
    "Cut",
    "Echo",
    "ErrorStatus",
    "FakeAnthropic",
    "RecordedRequest",
    "Replay",
    "Reply",
    "Script",
    "ToolUse",
]

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "anthropic-sse"
FAKE_API_KEY = "sk-ant-test-fake-key"
STALL_SECONDS = 3600.0


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any  # the parsed JSON body (None if it was not JSON)

    @property
    def last_user_text(self) -> str:
        return last_user_text(self.body)


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
    if cut.how == "end":  # a clean end of the body, mid-answer
        writer.write(b"0\r\n\r\n")
        await writer.drain()
        return True
    return False  # "drop": the caller closes the socket before the final chunk


async def _serve_forever(args: argparse.Namespace) -> None:
    text, size = args.reply, args.chunk_size
    if args.split_words:  # one chunk per word, like one token per event
        chunks = re.findall(r"\S+\s*", text)
    else:
        chunks = [text[i : i + size] for i in range(0, len(text), size)]
    reply = Reply(chunks=chunks, delay=args.delay, stop_reason=args.stop_reason or None)
    server = FakeAnthropic(fallback=reply if args.reply else None)
    async with server:
        print(server.url, flush=True)
        await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve a fake Anthropic Messages API.")
    parser.add_argument("--reply", default="", help="reply text (default: echo the question)")
    parser.add_argument("--chunk-size", type=int, default=8)
    parser.add_argument("--split-words", action="store_true", help="one chunk per word")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds between chunks")
    parser.add_argument(
        "--stop-reason",
        default="end_turn",
        help="empty: no message_delta (the reply then fails as ended early)",
    )
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve_forever(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
