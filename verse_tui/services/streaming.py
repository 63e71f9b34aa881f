"""Persisting text Claude streams into a row (a chat reply, an insight), so that no word is
lost whatever ends the stream.

The row already exists (status `streaming`) when streaming starts. One `Checkpointer` per
service writes the text of every row that received new text, all in one short write
transaction, every `interval` seconds (and rewrites a row every `heartbeat` seconds even
without new text, which re-asserts `streaming` if another process starting up marked it
interrupted). No transaction is ever held across a stream, and 100 concurrent streams cost
two checkpoint transactions a second, not two hundred. A checkpoint only touches rows still
`streaming` or `interrupted`, so a late one can never overwrite a row's end. The end is
written once, by the row's `ReplyWriter`:
- the stream finished: text, stop reason, truncation, token counts, model, `complete`;
- an `LlmError`: `failed`, the partial text and the error's message;
- the consumer stopped iterating (`aclose()`), or its task was cancelled: `cancelled`, the
  partial text (written under `asyncio.shield`, so a second cancel cannot lose it);
- anything else (a bug, a database failure): `failed` with a generic message, re-raised.
A process killed mid-stream leaves the last checkpoint; the service's `mark_interrupted()`
at the next start marks it `interrupted`. Where and how rows are written is the `RowStore`'s
business (`chat_stream.ReplyRows`, `study_writer.InsightRows`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy.exc import SQLAlchemyError

from verse_tui.db.engine import DatabaseError
from verse_tui.domain.chat import StreamFailed, StreamFinished, TextDelta
from verse_tui.llm.client import LlmClient, LlmMessage
from verse_tui.llm.errors import LlmError
from verse_tui.services.context import ServiceContext

log = logging.getLogger(__name__)

CHECKPOINT_INTERVAL = 0.5  # seconds between checkpoints while text arrives
HEARTBEAT_INTERVAL = 5.0  # seconds between rewrites of a row that receives nothing
UNEXPECTED_FAILURE = (
    "Verse hit an unexpected problem while saving this reply; the text received so far "
    "is kept. Try again, and report the problem if it repeats."
)

Started = TypeVar("Started")


class RowStore(Protocol):
    """Writes streamed rows, each call one short write transaction."""

    async def checkpoint(self, texts: Sequence[tuple[int, str]], now: datetime) -> None:
        """Save the text of rows still `streaming` or `interrupted` (and mark them streaming)."""
        ...

    async def update(self, row_id: int, **values: Any) -> None:
        """Write the end of one row."""
        ...


class Checkpointer:
    """Checkpoints every streaming row of one service; its task runs only while some do."""

    def __init__(
        self,
        context: ServiceContext,
        rows: RowStore,
        *,
        interval: float = CHECKPOINT_INTERVAL,
        heartbeat: float = HEARTBEAT_INTERVAL,
    ) -> None:
        self._ctx = context
        self._interval = interval
        self._heartbeat = heartbeat
        self._name = f"checkpoints of {type(rows).__name__}"  # task name, log messages
        self.rows = rows
        self._writers: dict[int, ReplyWriter] = {}
        self._task: asyncio.Task[None] | None = None
        self._failing = False  # the last checkpoint failed: its warning was given
        self.transactions = 0  # checkpoint transactions committed (for tests and benchmarks)
        self.rows_saved = 0  # rows written by those transactions

    def add(self, writer: ReplyWriter) -> None:
        self._writers[writer.row_id] = writer
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name=self._name)

    def discard(self, writer: ReplyWriter) -> None:
        self._writers.pop(writer.row_id, None)

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
                await self.rows.checkpoint(
                    [(w.row_id, text) for w, (_, text) in snapshots], self._ctx.now()
                )
            except (DatabaseError, SQLAlchemyError) as exc:
                if not self._failing:  # once per run of failures, not at every interval
                    why = str(exc) if isinstance(exc, DatabaseError) else type(exc).__name__
                    log.warning("%s failed, will retry: %s", self._name, why)
                self._failing = True
                continue
            if self._failing:
                log.warning("%s work again", self._name)
            self._failing = False
            self.transactions += 1
            self.rows_saved += len(snapshots)
            for writer, (count, _) in snapshots:
                writer.saved(count, now)


class ReplyWriter:
    """The text of one streaming row, checkpointed by a `Checkpointer`, and its end.
    `prefix` and `base_tokens` carry what an earlier, continued stream already wrote."""

    def __init__(
        self,
        context: ServiceContext,
        checkpointer: Checkpointer,
        row_id: int,
        *,
        prefix: str = "",
        base_tokens: tuple[int, int] = (0, 0),
        unexpected_failure: str = UNEXPECTED_FAILURE,
    ) -> None:
        self._ctx = context
        self._checkpointer = checkpointer
        self.row_id = row_id
        self._parts: list[str] = [prefix] if prefix else []
        self._base_tokens = base_tokens
        self._unexpected_failure = unexpected_failure
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
        """Write the completed row; returns the event with the whole text and token totals."""
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
        await self._finalize(text=self.text, status="failed", error=self._unexpected_failure)

    async def _finalize(self, **values: Any) -> None:
        """Write the end once. Shielded: a cancel cannot interrupt it, and the first end
        written wins (a cancel arriving while `finish` writes waits for it)."""
        self._checkpointer.discard(self)
        if self._final is None:
            self._final = asyncio.ensure_future(self._write_final(values))
        await asyncio.shield(self._final)

    async def _write_final(self, values: dict[str, Any]) -> None:
        now = self._ctx.now()
        await self._checkpointer.rows.update(self.row_id, updated_at=now, **values)


@dataclass(frozen=True, slots=True)
class ReplyRequest(Generic[Started]):
    """A committed request with its empty row: what to send Claude and where the text goes.
    `cancel_at_start`: closing the stream at `started` (before Claude is asked) writes the
    row's end `cancelled` (a chat reply); if False the row stays `streaming` for the next
    start's `mark_interrupted` (an insight)."""

    writer: ReplyWriter
    started: Started
    history: Sequence[LlmMessage]
    system: str | list[dict[str, str]]
    max_tokens: int
    cancel_at_start: bool = True


async def stream_reply(
    llm: LlmClient, prepare: Callable[[], Awaitable[ReplyRequest[Started]]]
) -> AsyncGenerator[Started | TextDelta | StreamFinished | StreamFailed, None]:
    """Await `prepare` (it checks the input and commits the row: its errors are raised on the
    first iteration, before anything is sent), yield its `started`, then stream one reply
    from `llm`, persisting it through its writer (see the module doc). One generator from
    the request to the end, so each delta crosses one layer. Consumers close it with
    `aclose()` (or `contextlib.aclosing`)."""
    request = await prepare()
    writer = request.writer
    finished: StreamFinished | None = None
    if not request.cancel_at_start:
        yield request.started
    try:
        if request.cancel_at_start:
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
