"""Where an insight's checkpoints and end are written while Claude writes it. The mechanism
is the chat's (`streaming.py`: the row exists as `streaming` before the first token, short
checkpoint transactions, one shielded end); what differs is the table, and that a
`complete` insight replaces the older ones for the same passage, kind and translation
(deleted in the transaction that writes its end). `same_passage` (the rows about one
passage) serves this and `InsightService` alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from verse_tui.db.engine import Database
from verse_tui.db.models.study import Insight as InsightRow
from verse_tui.db.repositories.streamed import (
    Checkpoint,
    LostReason,
    checkpoint_rows,
    end_row,
    table_of,
    user_owner,
    why_lost,
)
from verse_tui.domain.bible import VerseRange

_TABLE = table_of(InsightRow)


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
