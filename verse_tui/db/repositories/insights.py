"""Queries on insights. `InsightRepository` flushes, never commits: the service that opened
the transaction commits it or rolls it back. Every query is filtered by `user_id`.

`InsightRows` is where an insight's checkpoints and end are written while Claude writes it.
The mechanism is the chat's (`services/stream_persistence.py`: the row exists as `streaming`
before the first token, short checkpoint transactions, one shielded end); what differs is the
table, and that a `complete` insight replaces the older ones for the same passage, kind and
translation (deleted in the transaction that writes its end). `same_passage` (the rows about
one passage) serves both.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from verse_tui.db.engine import Database
from verse_tui.db.models.study import Insight as InsightRow
from verse_tui.db.repositories.streamed_rows import (
    Checkpoint,
    LostReason,
    checkpoint_rows,
    end_row,
    table_of,
    user_owner,
    why_lost,
)
from verse_tui.db.results import rowcount
from verse_tui.domain.bible import VerseRange

_TABLE = table_of(InsightRow)


class InsightRepository:
    """Insight queries on a session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def newest_complete(
        self, user_id: int, translation: str, rng: VerseRange, kind: str
    ) -> InsightRow | None:
        """The newest complete insight of this kind on `rng` in `translation`, if any."""
        return await self.session.scalar(
            select(InsightRow)
            .where(*same_passage(user_id, translation, rng), InsightRow.kind == kind)
            .where(InsightRow.status == "complete")
            .order_by(InsightRow.id.desc())
            .limit(1)
        )

    async def on_passage(
        self, user_id: int, translation: str, rng: VerseRange
    ) -> Sequence[InsightRow]:
        """Every insight (any kind, any status) on `rng` in `translation`, newest first."""
        rows = await self.session.scalars(
            select(InsightRow)
            .where(*same_passage(user_id, translation, rng))
            .order_by(InsightRow.id.desc())
        )
        return rows.all()

    async def add_streaming(
        self,
        user_id: int,
        translation: str,
        rng: VerseRange,
        reference: str,
        kind: str,
        model: str,
        now: datetime,
    ) -> InsightRow:
        """A new, empty insight in `streaming` state (flushed, so it has its id)."""
        row = InsightRow(
            user_id=user_id,
            translation=translation,
            reference=reference,
            start_book=rng.start.book,
            start_chapter=rng.start.chapter,
            start_verse=rng.start.verse,
            end_book=rng.end.book,
            end_chapter=rng.end.chapter,
            end_verse=rng.end.verse,
            kind=kind,
            text="",
            status="streaming",
            model=model,
            was_truncated=False,
            created_at=now,
            updated_at=now,
        )
        self.session.add(row)
        await self.session.flush()
        return row

    async def mark_streaming_interrupted(self, cutoff: datetime) -> int:
        """Mark insights left `streaming` and silent since `cutoff`; how many."""
        result = await self.session.execute(
            update(InsightRow)
            .where(InsightRow.status == "streaming", InsightRow.updated_at < cutoff)
            .values(status="interrupted", was_truncated=True)
        )
        return rowcount(result)


class InsightRows:
    """Checkpoints and ends of insight rows, each one short write transaction, only on rows
    of the account this device belongs to now that their writer still holds."""

    def __init__(self, database: Database, credential_hash: str) -> None:
        self._database = database
        self._owner = user_owner(_TABLE, credential_hash)

    async def checkpoint(self, rows: Sequence[Checkpoint], now: datetime) -> set[int]:
        """Save the text of insights still streaming; a late checkpoint never overwrites an
        insight's end (see `checkpoint_rows`). Returns the ids of rows no longer held."""
        async with self._database.write() as session:
            return await checkpoint_rows(session, _TABLE, rows, now, self._owner)

    async def update(
        self, insight_id: int, stamp: datetime, /, *, owned: bool = True, **values: Any
    ) -> bool:
        owner = self._owner if owned else None
        async with self._database.write() as session:
            ended = await end_row(session, _TABLE, insight_id, stamp, owner, values)
            if ended and values.get("status") == "complete":
                await _delete_replaced(session, insight_id)
            return ended

    async def why_lost(self, insight_id: int) -> LostReason:
        async with self._database.write() as session:
            return await why_lost(session, _TABLE, insight_id, self._owner)


async def _delete_replaced(session: AsyncSession, insight_id: int) -> None:
    row = await session.get(InsightRow, insight_id)
    assert row is not None  # written in this transaction
    same = (
        *same_passage(row.user_id, row.translation, row.verse_range),
        InsightRow.kind == row.kind,
    )
    await session.execute(delete(InsightRow).where(*same, InsightRow.id != insight_id))


def same_passage(user_id: int, translation: str, rng: VerseRange) -> tuple[Any, ...]:
    """The criteria of this user's insights on `rng` in `translation` (any kind)."""
    return (
        InsightRow.user_id == user_id,
        InsightRow.translation == translation,
        InsightRow.start_book == rng.start.book,
        InsightRow.start_chapter == rng.start.chapter,
        InsightRow.start_verse == rng.start.verse,
        InsightRow.end_book == rng.end.book,
        InsightRow.end_chapter == rng.end.chapter,
        InsightRow.end_verse == rng.end.verse,
    )
