"""Persisting an insight while Claude writes it: the chat's rules, for the `insights` table.

The row exists (status `streaming`) before the first token. While text arrives, a background
task writes it in its own short transaction every `interval` seconds (and every `heartbeat`
seconds without new text, which tells `InsightService.mark_interrupted` the row is alive).
No transaction is held across the stream. The end is written once, shielded from cancels:
`complete` (then older rows for the same passage, kind and translation are deleted: the new
insight replaces them), `failed` with the partial text and the error, or `cancelled`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.exc import SQLAlchemyError

from verse_tui.db.engine import DatabaseError, user_facing_errors
from verse_tui.db.models.study import Insight as InsightRow
from verse_tui.domain.chat import StreamFinished
from verse_tui.services.context import ServiceContext

log = logging.getLogger(__name__)

CHECKPOINT_INTERVAL = 0.5
HEARTBEAT_INTERVAL = 5.0


class InsightWriter:
    """Checkpoints one streaming insight row, then writes its end once."""

    def __init__(
        self,
        context: ServiceContext,
        insight_id: int,
        *,
        interval: float = CHECKPOINT_INTERVAL,
        heartbeat: float = HEARTBEAT_INTERVAL,
    ) -> None:
        self._ctx = context
        self.insight_id = insight_id
        self._parts: list[str] = []
        self._interval = interval
        self._heartbeat = heartbeat
        self._saved_count = 0
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._final: asyncio.Future[None] | None = None
        self.checkpoints = 0

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def append(self, text: str) -> None:
        self._parts.append(text)

    def start(self) -> None:
        self._task = asyncio.create_task(
            self._checkpoint_loop(), name=f"checkpoint-insight-{self.insight_id}"
        )

    async def finish(self, event: StreamFinished) -> None:
        await self._finalize(
            text=self.text,
            status="complete",
            stop_reason=event.stop_reason,
            was_truncated=event.was_truncated,
            input_tokens=event.input_tokens,
            output_tokens=event.output_tokens,
            model=event.model,
            error=None,
        )

    async def fail(self, message: str) -> None:
        await self._finalize(text=self.text, status="failed", error=message)

    async def cancel(self) -> None:
        await self._finalize(text=self.text, status="cancelled", was_truncated=True, error=None)

    async def _finalize(self, **values: Any) -> None:
        self._stop.set()
        if self._final is None:
            self._final = asyncio.ensure_future(self._stop_then_write(values))
        await asyncio.shield(self._final)

    async def _stop_then_write(self, values: dict[str, Any]) -> None:
        if self._task is not None:
            await self._task
        with user_facing_errors():
            async with self._ctx.database.writer.begin() as session:
                await self._update(session, values)
                if values["status"] == "complete":
                    await self._delete_replaced(session)

    async def _update(self, session: Any, values: dict[str, Any]) -> None:
        await session.execute(
            update(InsightRow)
            .where(InsightRow.id == self.insight_id)
            .values(updated_at=self._ctx.now(), **values)
        )

    async def _delete_replaced(self, session: Any) -> None:
        row = await session.get(InsightRow, self.insight_id)
        same = (
            InsightRow.user_id == row.user_id,
            InsightRow.translation == row.translation,
            InsightRow.kind == row.kind,
            InsightRow.start_book == row.start_book,
            InsightRow.start_chapter == row.start_chapter,
            InsightRow.start_verse == row.start_verse,
            InsightRow.end_book == row.end_book,
            InsightRow.end_chapter == row.end_chapter,
            InsightRow.end_verse == row.end_verse,
        )
        await session.execute(delete(InsightRow).where(*same, InsightRow.id != self.insight_id))

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
                with user_facing_errors():
                    async with self._ctx.database.writer.begin() as session:
                        text = "".join(self._parts[:count])
                        await self._update(session, {"text": text, "status": "streaming"})
            except (DatabaseError, SQLAlchemyError) as exc:
                log.warning("checkpoint of insight %s failed: %s", self.insight_id, exc)
                continue
            self._saved_count, last_write = count, loop.time()
            self.checkpoints += 1
