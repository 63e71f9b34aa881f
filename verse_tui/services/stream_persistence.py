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
at the next start marks it `interrupted` once it is stale (no save for `STALE_AFTER`: a live
writer saves at least every `heartbeat`), so a reply streaming in another live process is
left alone. Every write of a row says which version it expects (the `updated_at` its writer
wrote last) and goes only to rows of the account this device belongs to now: if another
process continued the reply, the row was deleted, or this device was unlinked from the
account, the writer has lost its row. It stops writing, and the stream ends with a
`StreamFailed` that says why; an unlinked device's reply is marked `failed` with that reason
(its text stays as last saved). Where and how rows are written is the `RowStore`'s business
(`chat_reply_rows.ReplyRows`, `db/repositories/insights.InsightRows`).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.exc import SQLAlchemyError

from verse_tui.db.engine import DatabaseError
from verse_tui.db.repositories.streamed_rows import Checkpoint, LostReason
from verse_tui.domain.chat import (
    StreamFailed,
    StreamFinished,
)
from verse_tui.errors import VerseError
from verse_tui.llm.errors import LlmError
from verse_tui.services.citing import StreamCitations, citations_json
from verse_tui.services.context import ServiceContext
from verse_tui.services.tool_rounds import ToolRound, rounds_json

log = logging.getLogger(__name__)

CHECKPOINT_INTERVAL = 0.5  # seconds between checkpoints while text arrives
HEARTBEAT_INTERVAL = 5.0  # seconds between rewrites of a row that receives nothing
STALE_AFTER = timedelta(seconds=30)  # a `streaming` row unsaved this long lost its process
UNEXPECTED_FAILURE = (
    "Verse hit an unexpected problem while saving this reply; the text received so far "
    "is kept. Try again, and report the problem if it repeats."
)
LOST_MESSAGES: dict[LostReason, str] = {
    "unlinked": (
        "This device was unlinked from the account while the reply was arriving, so Verse "
        "stopped writing it; the text saved before that stays with that account."
    ),
    "taken": (
        "Another Verse process continued this reply, so this one stopped writing it. "
        "Reopen the chat to see the reply as it is now."
    ),
    "gone": "This reply was deleted (with its chat) while it was arriving, so it was stopped.",
}


class ReplyLost(VerseError):
    """The writer no longer holds its row (see the module doc); `reason` says why."""

    def __init__(self, reason: LostReason) -> None:
        super().__init__(LOST_MESSAGES[reason])
        self.reason = reason
        self.kind = f"reply_{reason}"


class RowStore(Protocol):
    """Writes streamed rows, each call one short write transaction."""

    async def checkpoint(self, rows: Sequence[Checkpoint], now: datetime) -> set[int]:
        """Save the text of rows still `streaming` or `interrupted` (and mark them streaming)
        that their writer still holds; returns the ids of those it no longer holds."""
        ...

    async def update(
        self, row_id: int, stamp: datetime, /, *, owned: bool = True, **values: Any
    ) -> bool:
        """Write the end of one row if its writer still holds it (with `owned=False`, even if
        the device no longer belongs to its account); whether it did. (The row's parameters
        are positional-only: each store names its row, `message_id`, `insight_id`.)"""
        ...

    async def why_lost(self, row_id: int, /) -> LostReason:
        """Why a writer no longer holds its row."""
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
        # Held by a checkpoint from its statement until its writers know their new stamp, and
        # by an end write: an end never races a checkpoint of its own row.
        self.lock = asyncio.Lock()
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
            async with self.lock:
                await self._checkpoint(due, now)

    async def _checkpoint(self, due: list[ReplyWriter], now: float) -> None:
        snapshots = [(writer, writer.snapshot()) for writer in due]
        stamp = self._ctx.now()
        try:
            lost = await self.rows.checkpoint(
                [(w.row_id, text, w.stamp) for w, (_, text) in snapshots], stamp
            )
        except (DatabaseError, SQLAlchemyError) as exc:
            if not self._failing:  # once per run of failures, not at every interval
                why = str(exc) if isinstance(exc, DatabaseError) else type(exc).__name__
                log.warning("%s failed, will retry: %s", self._name, why)
            self._failing = True
            return
        if self._failing:
            log.warning("%s work again", self._name)
        self._failing = False
        self.transactions += 1
        self.rows_saved += len(snapshots) - len(lost)
        for writer, (count, _) in snapshots:
            if writer.row_id in lost:
                await writer.lose()
            else:
                writer.saved(count, now, stamp)


class ReplyWriter:
    """The text of one streaming row, checkpointed by a `Checkpointer`, and its end.
    `prefix` and `base_tokens` carry what an earlier, continued stream already wrote."""

    def __init__(
        self,
        context: ServiceContext,
        checkpointer: Checkpointer,
        row_id: int,
        *,
        stamp: datetime,
        prefix: str = "",
        base_tokens: tuple[int, int] = (0, 0),
        rounds: Sequence[ToolRound] = (),
        citations: StreamCitations | None = None,
        base_cache: tuple[int, int] | None = None,
        keeps_rounds: bool = False,
        unexpected_failure: str = UNEXPECTED_FAILURE,
    ) -> None:
        self._ctx = context
        self._checkpointer = checkpointer
        self.row_id = row_id
        self._parts: list[str] = [prefix] if prefix else []
        self._base_tokens = base_tokens
        self.rounds: list[ToolRound] = list(rounds)
        self.citations = citations  # checked as the text streams, stored with the end
        # Prompt-cache (read, write) tokens so far; None: the row has no columns for them.
        self._base_cache = base_cache
        self._keeps_rounds = keeps_rounds  # the row has a `tool_rounds` column to replay from
        self._unexpected_failure = unexpected_failure
        self._saved_count = len(self._parts)
        self._saved_at = 0.0
        self._final: asyncio.Future[None] | None = None
        self.stamp = stamp  # the row's `updated_at` as this writer wrote it last
        self.lost: ReplyLost | None = None

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def append(self, text: str) -> None:
        self._parts.append(text)

    def discard(self) -> None:
        self._checkpointer.discard(self)

    def start(self) -> None:
        self._saved_at = asyncio.get_running_loop().time()
        self._checkpointer.add(self)

    def checkpoint_due(self, now: float, heartbeat: float) -> bool:
        return len(self._parts) != self._saved_count or now - self._saved_at >= heartbeat

    def snapshot(self) -> tuple[int, str]:
        count = len(self._parts)
        return count, "".join(self._parts[:count])

    def saved(self, count: int, at: float, stamp: datetime) -> None:
        self._saved_count, self._saved_at, self.stamp = count, at, stamp

    async def lose(self) -> None:
        """The row is no longer this writer's: stop checkpointing it and learn why; if this
        device was unlinked, end the row `failed` with that reason (its text untouched)."""
        self._checkpointer.discard(self)
        if self.lost is not None:
            return
        rows = self._checkpointer.rows
        try:
            reason = await rows.why_lost(self.row_id)
        except (DatabaseError, SQLAlchemyError):
            reason = "taken"  # write nothing more: someone else may hold it
        lost = ReplyLost(reason)
        if reason == "unlinked":
            values = {"status": "failed", "error": str(lost), "updated_at": self._ctx.now()}
            with contextlib.suppress(DatabaseError, SQLAlchemyError):
                await rows.update(self.row_id, self.stamp, owned=False, **values)
        self.lost = lost  # only now: the stream stops, and reports a row already ended

    def add_usage(self, event: StreamFinished) -> None:
        """Count the tokens of a request that ended in a tool round into the reply's."""
        base_in, base_out = self._base_tokens
        self._base_tokens = (
            base_in + (event.input_tokens or 0),
            base_out + (event.output_tokens or 0),
        )
        if self._base_cache is not None:
            read, write = self._base_cache
            more_read, more_write = event.cache_read_tokens or 0, event.cache_write_tokens or 0
            self._base_cache = (read + more_read, write + more_write)

    async def save_round(self, done: ToolRound) -> None:
        """Keep a whole tool round with the row, with the text so far, in one short write (so
        a drop, a cancel or a kill after it leaves a replayable conversation on disk)."""
        self.rounds.append(done)
        if not self._keeps_rounds:  # nothing replays this row: checkpoints keep its text
            return
        async with self._checkpointer.lock:
            if self.lost is not None:
                raise self.lost
            count, text = self.snapshot()
            now = self._ctx.now()
            rounds = rounds_json(self.rounds)
            if not await self._checkpointer.rows.update(
                self.row_id, self.stamp, text=text, tool_rounds=rounds, updated_at=now
            ):
                await self.lose()
                assert self.lost is not None
                raise self.lost
            self.saved(count, asyncio.get_running_loop().time(), now)

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
        cache: dict[str, int | None] = {}
        if self._base_cache is not None:
            read, write = self._base_cache
            cache_read = _add(read, event.cache_read_tokens)
            cache_write = _add(write, event.cache_write_tokens)
            final = dataclasses.replace(
                final, cache_read_tokens=cache_read, cache_write_tokens=cache_write
            )
            cache = {"cache_read_tokens": cache_read, "cache_write_tokens": cache_write}
        await self._finalize(
            text=final.text,
            status="complete",
            stop_reason=final.stop_reason,
            was_truncated=final.was_truncated,
            input_tokens=final.input_tokens,
            output_tokens=final.output_tokens,
            model=final.model,
            error=None,
            **cache,
        )
        if self.lost is not None:
            raise self.lost
        return final

    async def fail(self, error: LlmError) -> StreamFailed:
        await self._finalize(text=self.text, status="failed", error=str(error))
        if self.lost is not None:
            return self.failed_as_lost()
        return StreamFailed(error.kind, str(error), self.text, error.retryable)

    def failed_as_lost(self) -> StreamFailed:
        assert self.lost is not None
        return StreamFailed(self.lost.kind, str(self.lost), self.text, False)

    async def cancel(self) -> None:
        await self._finalize(text=self.text, status="cancelled", was_truncated=True, error=None)

    async def fail_unexpectedly(self) -> None:
        await self._finalize(text=self.text, status="failed", error=self._unexpected_failure)

    async def _finalize(self, **values: Any) -> None:
        """Write the end once (nothing if the row was lost). Shielded: a cancel cannot
        interrupt it, and the first end written wins (a cancel arriving while `finish`
        writes waits for it)."""
        self._checkpointer.discard(self)
        if self.citations is not None:
            values["citations"] = citations_json(self.citations.citations)
        if self._final is None:
            self._final = asyncio.ensure_future(self._write_final(values))
        await asyncio.shield(self._final)

    async def _write_final(self, values: dict[str, Any]) -> None:
        async with self._checkpointer.lock:
            if self.lost is not None:
                return
            now = self._ctx.now()
            rows = self._checkpointer.rows
            if not await rows.update(self.row_id, self.stamp, updated_at=now, **values):
                await self.lose()


def _add(base: int, more: int | None) -> int | None:
    if more is None:
        return base or None
    return base + more
