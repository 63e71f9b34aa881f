"""The checkpoint of streamed text, the same for every table that holds some (`messages`,
`insights`: columns `id`, `text`, `status`, `error`, `updated_at`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, or_, update


async def checkpoint_rows(
    executor: Any, table: Table, texts: Sequence[tuple[int, str]], now: datetime
) -> None:
    """Save the text of streaming rows, one UPDATE per (row id, text), as one executemany on
    `executor` (a session or a connection). Only rows still streaming (or marked interrupted
    by another process) change, so a late checkpoint never overwrites a row's end."""
    statement = (
        update(table)
        .where(
            table.c.id == bindparam("row_id"),
            or_(table.c.status == "streaming", table.c.status == "interrupted"),
        )
        .values(text=bindparam("new_text"), status="streaming", error=None, updated_at=now)
    )
    await executor.execute(statement, [{"row_id": i, "new_text": text} for i, text in texts])
