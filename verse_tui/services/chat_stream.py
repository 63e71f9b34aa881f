"""Where a chat reply's checkpoints and end are written while it streams (the mechanism, the
same for every streamed row, is `streaming.py`: `Checkpointer`, `ReplyWriter`, `stream_reply`).

On SQLite, checkpoints and ends go straight to aiosqlite's connection (`ReplyRows`): one
statement, two round trips to its thread with the pool's reset, instead of eight through
SQLAlchemy's adapter; see `DirectChatRepository`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from verse_tui.db.engine import Database, user_facing_errors
from verse_tui.db.repositories.chats import (
    ChatRepository,
    direct_transaction,
    direct_writes_available,
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
