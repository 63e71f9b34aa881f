"""Where a chat reply's checkpoints and end are written while it streams (the mechanism, the
same for every streamed row, is `stream_persistence.py`: `Checkpointer`, `ReplyWriter`; and
`reply_stream.stream_reply`).

On SQLite, checkpoints and ends go straight to aiosqlite's connection (`ReplyRows`): one
statement, two round trips to its thread with the pool's reset, instead of eight through
SQLAlchemy's adapter; see `DirectChatRepository`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from verse_tui.db.engine import Database, user_facing_errors
from verse_tui.db.repositories.chats import ChatRepository
from verse_tui.db.repositories.direct_chats import direct_transaction, direct_writes_available
from verse_tui.db.repositories.streamed_rows import Checkpoint, LostReason


class ReplyRows:
    """Checkpoints and ends of reply rows, each one short write transaction on the writer:
    straight on aiosqlite's connection when it is the driver (one reply: one statement in
    autocommit mode; several: one executemany between BEGIN IMMEDIATE and COMMIT), else
    SQLAlchemy Core on the writer engine. Every write goes only to replies this device's
    account still owns (`credential_hash`) and their writer still holds (its stamp)."""

    def __init__(self, database: Database, credential_hash: str) -> None:
        self._engine = database.writer_engine
        self._direct = direct_writes_available(self._engine)
        self._credential = credential_hash

    async def checkpoint(self, rows: Sequence[Checkpoint], now: datetime) -> set[int]:
        with user_facing_errors():
            if self._direct:
                one = len(rows) == 1
                async with direct_transaction(self._engine, one_statement=one) as direct:
                    return await direct.checkpoint_messages(rows, now, self._credential)
            async with self._engine.begin() as connection:
                return await ChatRepository(connection).checkpoint_messages(
                    rows, now, self._credential
                )

    async def update(
        self, message_id: int, stamp: datetime, /, *, owned: bool = True, **values: Any
    ) -> bool:
        credential = self._credential if owned else None
        with user_facing_errors():
            if self._direct:
                async with direct_transaction(self._engine, one_statement=True) as direct:
                    return await direct.end_message(message_id, stamp, credential, **values)
            async with self._engine.begin() as connection:
                return await ChatRepository(connection).end_message(
                    message_id, stamp, credential, **values
                )

    async def why_lost(self, message_id: int) -> LostReason:
        with user_facing_errors():
            async with self._engine.begin() as connection:
                return await ChatRepository(connection).why_lost(message_id, self._credential)
