"""Persisting assistant replies while they stream, so that no word is lost whatever ends them.

The reply row already exists (status `streaming`) when streaming starts. One `Checkpointer`
per service writes the text of every reply that received new text, all in one short write
transaction, every `interval` seconds (and rewrites a reply every `heartbeat` seconds even
without new text, which re-asserts `streaming` if another process starting up marked it
interrupted). No transaction is ever held across a stream, and 100 concurrent replies cost
two checkpoint transactions a second, not two hundred. A checkpoint only touches rows still
`streaming` or `interrupted`, so a late one can never overwrite a reply's end. The end is
written once, by the reply's `ReplyWriter`:
- the stream finished: text, stop reason, truncation, token counts, model, `complete`;
- an `LlmError`: `failed`, the partial text and the error's message;
- the consumer stopped iterating (`aclose()`), or its task was cancelled: `cancelled`, the
  partial text (written under `asyncio.shield`, so a second cancel cannot lose it);
- anything else (a bug, a database failure): `failed` with a generic message, re-raised.
A process killed mid-stream leaves the last checkpoint; `ChatService.mark_interrupted()` at
the next start marks it `interrupted`.
On SQLite, checkpoints and ends go straight to aiosqlite's connection (`ReplyRows`): one
statement, two round trips to its thread with the pool's reset, instead of eight through
SQLAlchemy's adapter; see `DirectChatRepository`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from verse_tui.db.engine import Database, DatabaseError, user_facing_errors
from verse_tui.db.repositories.chats import (
    ChatRepository,
    direct_transaction,
    direct_writes_available,
)
from verse_tui.domain.chat import (
    ChatStream,
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


class ReplyRows:
    """Checkpoints and ends of reply rows, each one short write transaction on the writer:
    straight on aiosqlite's connection when it is the driver (one reply: one statement in
    autocommit mode; several: one executemany between BEGIN IMMEDIATE and COMMIT), else
    SQLAlchemy Core on the writer engine."""

    def __init__(self, database: Database) -> None:
        self._engine = database.writer_engine
        self._direct = direct_writes_available(self._engine)

    async def checkpoint(self, texts: Sequence[tuple[int, str]], now: datetime) -> None:
        with user_facing_errors():
            if self._direct:
                one = len(texts) == 1
                async with direct_transaction(self._engine, one_statement=one) as direct:
                    await direct.checkpoint_messages(texts, now)
                return
            async with self._engine.begin() as connection:
                await ChatRepository(connection).checkpoint_messages(texts, now)

    async def update(self, message_id: int, **values: Any) -> None:
        with user_facing_errors():
            if self._direct:
                async with direct_transaction(self._engine, one_statement=True) as direct:
                    await direct.update_message(message_id, **values)
                return
            async with self._engine.begin() as connection:
                await ChatRepository(connection).update_message(message_id, **values)


class Checkpointer:
    """Checkpoints every streaming reply of one service; its task runs only while some do."""

    def __init__(
        self,
        context: ServiceContext,
        *,
        interval: float = CHECKPOINT_INTERVAL,
        heartbeat: float = HEARTBEAT_INTERVAL,
    ) -> None:
        self._ctx = context
        self._interval = interval
        self._heartbeat = heartbeat
        self.rows = ReplyRows(context.database)
        self._writers: dict[int, ReplyWriter] = {}
        self._task: asyncio.Task[None] | None = None
        self.transactions = 0  # checkpoint transactions committed (for tests and benchmarks)
        self.rows_saved = 0  # reply rows written by those transactions

    def add(self, writer: ReplyWriter) -> None:
        self._writers[writer.message_id] = writer
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="chat-checkpoints")

    def discard(self, writer: ReplyWriter) -> None:
        self._writers.pop(writer.message_id, None)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while self._writers:
            await asyncio.sleep(self._interval)
            now = loop.time()
            due = [
                w for w in list(self._writers.values()) if w.checkpoint_due(now, self._heartbeat)
            ]
            if not due:
                continue
            snapshots = [(writer, writer.snapshot()) for writer in due]
            try:
                await self._write([(w.message_id, text) for w, (_, text) in snapshots])
            except (DatabaseError, SQLAlchemyError) as exc:
                log.warning("chat checkpoint failed, will retry: %s", type(exc).__name__)
                continue
            self.transactions += 1
            self.rows_saved += len(snapshots)
            for writer, (count, _) in snapshots:
                writer.saved(count, now)

    async def _write(self, texts: list[tuple[int, str]]) -> None:
        await self.rows.checkpoint(texts, self._ctx.now())


class ReplyWriter:
    """The text of one streaming reply, checkpointed by a `Checkpointer`, and its end."""

    def __init__(
        self,
        context: ServiceContext,
        checkpointer: Checkpointer,
        chat_id: int,
        message_id: int,
        *,
        prefix: str = "",
        base_tokens: tuple[int, int] = (0, 0),
    ) -> None:
        self._ctx = context
        self._checkpointer = checkpointer
        self.chat_id = chat_id
        self.message_id = message_id
        self._parts: list[str] = [prefix] if prefix else []
        self._base_tokens = base_tokens
        self._saved_count = len(self._parts)
        self._saved_at = 0.0
        self._final: asyncio.Future[None] | None = None

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def append(self, text: str) -> None:
        self._parts.append(text)

    def start(self) -> None:
        self._saved_at = asyncio.get_running_loop().time()
        self._checkpointer.add(self)

    def checkpoint_due(self, now: float, heartbeat: float) -> bool:
        return len(self._parts) != self._saved_count or now - self._saved_at >= heartbeat

    def snapshot(self) -> tuple[int, str]:
        count = len(self._parts)
        return count, "".join(self._parts[:count])

    def saved(self, count: int, at: float) -> None:
        self._saved_count, self._saved_at = count, at

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
        """Write the end once. Shielded: a cancel cannot interrupt it, and the first end
        written wins (a cancel arriving while `finish` writes waits for it)."""
        self._checkpointer.discard(self)
        if self._final is None:
            self._final = asyncio.ensure_future(self._write_final(values))
        await asyncio.shield(self._final)

    async def _write_final(self, values: dict[str, Any]) -> None:
        now = self._ctx.now()  # (the chat itself was touched when the question was saved)
        await self._checkpointer.rows.update(self.message_id, updated_at=now, **values)


@dataclass(frozen=True, slots=True)
class ReplyRequest:
    """A question saved with its empty reply row: what to send Claude and where the reply goes."""

    writer: ReplyWriter
    started: StreamStarted
    history: Sequence[LlmMessage]
    system: str | list[dict[str, str]]
    max_tokens: int


async def stream_reply(
    llm: LlmClient, prepare: Callable[[], Awaitable[ReplyRequest]]
) -> ChatStream:
    """Await `prepare` (it checks the input and commits the question: its errors are raised
    on the first iteration, before anything is sent), yield its `started`, then stream one
    reply from `llm`, persisting it through its writer (see the module doc). One generator
    from the question to the end, so each delta crosses one layer. Consumers close it with
    `aclose()` (or `contextlib.aclosing`)."""
    request = await prepare()
    writer = request.writer
    finished: StreamFinished | None = None
    try:
        yield request.started
        writer.start()
        async with contextlib.aclosing(
            llm.stream(request.history, system=request.system, max_tokens=request.max_tokens)
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
