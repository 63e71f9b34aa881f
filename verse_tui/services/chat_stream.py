"""Persisting one assistant reply while it streams, so that no word is lost whatever ends it.

The reply row already exists (status `streaming`) when streaming starts. A background task
checkpoints the text in its own short write transaction every `interval` seconds while new
text arrives (and rewrites the row every `heartbeat` seconds even without new text, which
also re-asserts `streaming` if another process starting up marked it interrupted). No
transaction is ever held across the stream. The end is written once:
- the stream finished: text, stop reason, truncation, token counts, model, `complete`;
- an `LlmError`: `failed`, the partial text and the error's message;
- the consumer stopped iterating (`aclose()`), or its task was cancelled: `cancelled`, the
  partial text (written under `asyncio.shield`, so a second cancel cannot lose it);
- anything else (a bug, a database failure): `failed` with a generic message, re-raised.
A process killed mid-stream leaves the last checkpoint; `ChatService.mark_interrupted()` at
the next start marks it `interrupted`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from verse_tui.db.engine import DatabaseError, user_facing_errors
from verse_tui.db.repositories.chats import ChatRepository
from verse_tui.domain.chat import (
    ChatStreamEvent,
    StreamFailed,
    StreamFinished,
    StreamStarted,
    TextDelta,
)
from verse_tui.llm.client import LlmClient, LlmMessage
from verse_tui.llm.errors import LlmError
from verse_tui.services.context import ServiceContext

log = logging.getLogger(__name__)

CHECKPOINT_INTERVAL = 0.5  # seconds between checkpoints while text arrives
HEARTBEAT_INTERVAL = 5.0  # seconds between rewrites of a reply that receives nothing
UNEXPECTED_FAILURE = (
    "Verse hit an unexpected problem while saving this reply; the text received so far "
    "is kept. Try again, and report the problem if it repeats."
)


class ReplyWriter:
    """Owns the persistence of one streaming reply: checkpoints, then one final write."""

    def __init__(
        self,
        context: ServiceContext,
        chat_id: int,
        message_id: int,
        *,
        prefix: str = "",
        base_tokens: tuple[int, int] = (0, 0),
        interval: float = CHECKPOINT_INTERVAL,
        heartbeat: float = HEARTBEAT_INTERVAL,
    ) -> None:
        self._ctx = context
        self.chat_id = chat_id
        self.message_id = message_id
        self._parts: list[str] = [prefix] if prefix else []
        self._base_tokens = base_tokens
        self._interval = interval
        self._heartbeat = heartbeat
        self._saved_count = len(self._parts)
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._final: asyncio.Future[None] | None = None
        self.checkpoints = 0  # successful checkpoint writes, for tests and benchmarks

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def append(self, text: str) -> None:
        self._parts.append(text)

    def start(self) -> None:
        self._task = asyncio.create_task(
            self._checkpoint_loop(), name=f"checkpoint-message-{self.message_id}"
        )

    async def finish(self, event: StreamFinished) -> StreamFinished:
        """Write the completed reply; returns the event with the whole text and token totals."""
        base_in, base_out = self._base_tokens
        final = StreamFinished(
            text=self.text,
            stop_reason=event.stop_reason,
            was_truncated=event.was_truncated,
            input_tokens=_add(base_in, event.input_tokens),
            output_tokens=_add(base_out, event.output_tokens),
            model=event.model,
        )
        await self._finalize(
            text=final.text,
            status="complete",
            stop_reason=final.stop_reason,
            was_truncated=final.was_truncated,
            input_tokens=final.input_tokens,
            output_tokens=final.output_tokens,
            model=final.model,
            error=None,
        )
        return final

    async def fail(self, error: LlmError) -> StreamFailed:
        await self._finalize(text=self.text, status="failed", error=str(error))
        return StreamFailed(error.kind, str(error), self.text, error.retryable)

    async def cancel(self) -> None:
        await self._finalize(text=self.text, status="cancelled", was_truncated=True, error=None)

    async def fail_unexpectedly(self) -> None:
        await self._finalize(text=self.text, status="failed", error=UNEXPECTED_FAILURE)

    async def _finalize(self, **values: Any) -> None:
        """Stop checkpointing, then write the end once. Shielded: a cancel cannot interrupt
        it, and the first end written wins (a cancel arriving during `finish` waits for it)."""
        self._stop.set()
        if self._final is None:
            self._final = asyncio.ensure_future(self._stop_then_write(values))
        await asyncio.shield(self._final)

    async def _stop_then_write(self, values: dict[str, Any]) -> None:
        if self._task is not None:  # let a checkpoint in flight finish first
            await asyncio.gather(self._task, return_exceptions=True)
        now = self._ctx.now()
        with user_facing_errors():
            async with self._ctx.database.writer.begin() as session:
                repo = ChatRepository(session)
                await repo.update_message(self.message_id, updated_at=now, **values)
                await repo.touch_chat(self.chat_id, now)

    async def _checkpoint_loop(self) -> None:
        loop = asyncio.get_running_loop()
        last_write = loop.time()
        while not self._stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self._interval)
            count = len(self._parts)
            due = count != self._saved_count or loop.time() - last_write >= self._heartbeat
            if self._stop.is_set() or not due:
                continue
            try:
                await self._write(text="".join(self._parts[:count]), status="streaming", error=None)
            except (DatabaseError, SQLAlchemyError) as exc:
                log.warning("checkpoint of message %s failed: %s", self.message_id, exc)
                continue
            self._saved_count, last_write = count, loop.time()
            self.checkpoints += 1

    async def _write(self, **values: Any) -> None:
        now = self._ctx.now()
        with user_facing_errors():
            async with self._ctx.database.writer.begin() as session:
                await ChatRepository(session).update_message(
                    self.message_id, updated_at=now, **values
                )


async def stream_reply(
    llm: LlmClient,
    writer: ReplyWriter,
    started: StreamStarted,
    history: Sequence[LlmMessage],
    *,
    system: str | list[dict[str, str]],
    max_tokens: int,
) -> AsyncIterator[ChatStreamEvent]:
    """Yield `started`, then stream one reply from `llm`, persisting it through `writer`
    (see the module doc). Consumers close it with `aclose()` (or `contextlib.aclosing`)."""
    finished: StreamFinished | None = None
    try:
        yield started
        writer.start()
        async with contextlib.aclosing(
            llm.stream(history, system=system, max_tokens=max_tokens)
        ) as events:
            async for event in events:
                if isinstance(event, TextDelta):
                    writer.append(event.text)
                    yield event
                else:
                    finished = await writer.finish(event)
                    break
        if finished is None:  # LlmClient.stream always ends with StreamFinished or raises
            raise RuntimeError("the reply stream ended without a StreamFinished event")
    except LlmError as error:
        yield await writer.fail(error)
        return
    except (asyncio.CancelledError, GeneratorExit):
        await writer.cancel()
        raise
    except BaseException:
        await writer.fail_unexpectedly()
        raise
    yield finished


def _add(base: int, more: int | None) -> int | None:
    if more is None:
        return base or None
    return base + more
