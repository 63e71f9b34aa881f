"""The few writes on a streamed reply's hot path for SQLite, run straight on aiosqlite's
connection: `DirectChatRepository` (see its doc); `direct_transaction` opens them. Same SQL
semantics as `ChatRepository` in `chats.py`."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from verse_tui.db.models.chats import Chat, Message
from verse_tui.db.repositories.streamed_rows import (
    Checkpoint,
)

if TYPE_CHECKING:
    from aiosqlite import Connection as DriverConnection


class TurnRow(NamedTuple):
    """One earlier message of a chat, as the history sent to Claude needs it."""

    role: str
    text: str
    tool_rounds: str | None


_CHAT_COLUMNS = tuple(  # what a question needs of its chat: id, title, passage
    c.name for c in Chat.__table__.c if c.name not in ("user_id", "created_at", "updated_at")
)
_CHAT_WITH_TURNS = (
    f"SELECT {', '.join(f'chats.{name}' for name in _CHAT_COLUMNS)}, messages.role, "
    "messages.text, messages.tool_rounds "
    "FROM chats JOIN devices ON devices.user_id = chats.user_id "
    "LEFT OUTER JOIN messages ON messages.chat_id = chats.id "
    "WHERE chats.id = ? AND devices.credential_hash = ? ORDER BY messages.id"
)
_ADD_CHAT = (
    "INSERT INTO chats (user_id, title, created_at, updated_at) "
    "SELECT user_id, ?, ?, ? FROM devices WHERE credential_hash = ? RETURNING id, user_id"
)
_RETITLE_CHAT = "UPDATE chats SET title = ?, updated_at = ? WHERE id = ?"
_ADD_EXCHANGE = (
    "INSERT INTO messages (chat_id, role, text, status, was_truncated, model, created_at, "
    "updated_at) VALUES (?, 'user', ?, 'complete', 0, NULL, ?, ?), "
    "(?, 'assistant', '', 'streaming', 0, ?, ?, ?) RETURNING id, role"
)
_OWNED = (  # the reply is in a chat of the account this device belongs to now
    "chat_id IN (SELECT chats.id FROM chats JOIN devices ON devices.user_id = chats.user_id "
    "WHERE devices.credential_hash = ?)"
)
_HELD = "id = ? AND updated_at = ? AND status IN ('streaming', 'interrupted')"
_CHECKPOINT = (
    "UPDATE messages SET text = ?, status = 'streaming', error = NULL, updated_at = ? "
    f"WHERE {_HELD} AND {_OWNED}"
)


def direct_writes_available(engine: AsyncEngine) -> bool:
    """Whether `engine` runs on aiosqlite, the driver `DirectChatRepository` speaks to."""
    return engine.dialect.driver == "aiosqlite"


@asynccontextmanager
async def direct_transaction(
    engine: AsyncEngine, *, one_statement: bool = False
) -> AsyncIterator[DirectChatRepository]:
    """A write transaction on the writer's aiosqlite connection, checked out of its pool as
    usual: `BEGIN IMMEDIATE` ... `COMMIT` (rolled back on any exception). With
    `one_statement=True`, for a write of exactly one statement: no BEGIN/COMMIT, the statement
    is its own transaction (autocommit). SQLite takes the write lock when such a statement
    starts and waits for it through busy_timeout exactly as `BEGIN IMMEDIATE` does (the same
    sqlite3BtreeBeginTrans call, with the busy handler), and commits when it ends."""
    async with engine.connect() as connection:
        driver = (await connection.get_raw_connection()).driver_connection
        assert driver is not None  # None only once invalidated; it was just checked out
        repository = DirectChatRepository(driver, engine)
        if one_statement:
            yield repository
            return
        await _run(driver, "BEGIN IMMEDIATE")
        try:
            yield repository
            await _run(driver, "COMMIT")
        except BaseException:
            with suppress(sqlite3.Error, ValueError):  # the pool's reset rolls back anyway
                await driver.rollback()
            raise


class DirectChatRepository:
    """The writes on a streamed reply's hot path (the question and the empty reply before
    Claude is called, checkpoints, the reply's end), on SQLite, straight on aiosqlite's
    connection: one round trip to the driver's thread per statement, where SQLAlchemy's
    adapter makes three or four (cursor, execute, fetch, close) and `BEGIN IMMEDIATE` three
    more. Each round trip wakes a thread, 0.05-0.2 ms on a busy machine; see
    docs/benchmarks.md. Same SQL semantics as `ChatRepository`; the device is resolved from
    its credential hash inside the statements, and a statement that finds no device (or no
    chat of its user) returns None, for the caller to take the ORM path and its precise error.
    Errors from sqlite3 are raised as SQLAlchemy `DBAPIError`s, so `user_facing_errors()`
    maps them as usual. Never commits: `direct_transaction` does."""

    def __init__(self, driver: DriverConnection, engine: AsyncEngine) -> None:
        self._driver = driver
        self._bind = _message_binders(engine.dialect)

    async def chat_with_turns(
        self, credential_hash: str, chat_id: int
    ) -> tuple[Chat, list[TurnRow]] | None:
        """Like `ChatRepository.chat_with_turns`, with the device's user resolved in the
        same query; None when the device or the user's chat is not found."""
        rows = await _run(self._driver, _CHAT_WITH_TURNS, (chat_id, credential_hash))
        if not rows:
            return None
        chat = Chat(**dict(zip(_CHAT_COLUMNS, rows[0], strict=False)))
        return chat, [TurnRow(*row[-3:]) for row in rows if row[-3] is not None]

    async def add_standalone_chat(
        self, credential_hash: str, title: str, now: datetime
    ) -> Chat | None:
        """A standalone chat for the device's user; None when the device is not found."""
        stamp = self._bind["updated_at"](now)
        rows = await _run(self._driver, _ADD_CHAT, (title, stamp, stamp, credential_hash))
        if not rows:
            return None
        ((chat_id, user_id),) = rows
        return Chat(id=chat_id, user_id=user_id, title=title, created_at=now, updated_at=now)

    async def add_exchange(
        self, chat_id: int, question: str, model: str, now: datetime, *, title: str | None = None
    ) -> tuple[int, int]:
        """Like `ChatRepository.add_exchange`: (question id, reply id)."""
        stamp = self._bind["updated_at"](now)
        if title:
            await _run(self._driver, _RETITLE_CHAT, (title, stamp, chat_id))
        rows = await _run(
            self._driver,
            _ADD_EXCHANGE,
            (chat_id, question, stamp, stamp, chat_id, model, stamp, stamp),
        )
        ids = {role: message_id for message_id, role in rows}  # RETURNING's order is arbitrary
        return ids["user"], ids["assistant"]

    async def end_message(
        self, message_id: int, stamp: datetime, credential_hash: str | None, **values: Any
    ) -> bool:
        """Like `ChatRepository.end_message`: one UPDATE of the given columns."""
        names = [Message.__table__.c[name].name for name in values]  # KeyError if unknown
        owned = "" if credential_hash is None else f" AND {_OWNED}"
        sql = (
            f"UPDATE messages SET {', '.join(f'{n} = ?' for n in names)} "
            f"WHERE {_HELD}{owned} RETURNING id"
        )
        params = [self._bind[name](value) for name, value in values.items()]
        held = (message_id, self._bind["updated_at"](stamp))
        owner = () if credential_hash is None else (credential_hash,)
        return bool(await _run(self._driver, sql, (*params, *held, *owner)))

    async def checkpoint_messages(
        self, rows: Sequence[Checkpoint], now: datetime, credential_hash: str
    ) -> set[int]:
        """Like `ChatRepository.checkpoint_messages` (one statement per reply); a lone reply
        learns in the same round trip whether it was saved."""
        stamp = self._bind["updated_at"]
        params = [(text, stamp(now), i, stamp(seen), credential_hash) for i, text, seen in rows]
        if len(params) == 1:
            saved = await _run(self._driver, f"{_CHECKPOINT} RETURNING id", params[0])
            return set() if saved else {rows[0][0]}
        try:
            cursor = await self._driver.executemany(_CHECKPOINT, params)
        except (sqlite3.Error, ValueError) as exc:
            raise _wrapped(_CHECKPOINT, params, exc) from exc
        changed = cursor.rowcount
        await cursor.close()
        if changed == len(params):
            return set()
        ids = [i for i, _, _ in rows]
        marks = ", ".join("?" for _ in ids)
        found = await _run(
            self._driver,
            f"SELECT id FROM messages WHERE updated_at = ? AND id IN ({marks})",
            (stamp(now), *ids),
        )
        return set(ids) - {row[0] for row in found}


@lru_cache(maxsize=8)  # one dialect per engine; a process has one writer
def _message_binders(dialect: Dialect) -> dict[str, Callable[[Any], Any]]:
    """For each message column, what SQLAlchemy does to a value before the driver gets it
    (timestamps become SQLite's text format, booleans integers). Built once per dialect, not
    in every checkpoint's transaction (a repository is made for each one). Read only."""
    binders: dict[str, Callable[[Any], Any]] = {}
    for column in Message.__table__.c:
        process = column.type.dialect_impl(dialect).bind_processor(dialect)
        binders[column.name] = process if process is not None else _same
    return binders


def _same(value: Any) -> Any:
    return value


async def _run(driver: DriverConnection, sql: str, params: Sequence[Any] = ()) -> list[Any]:
    """Execute one statement and fetch its rows, in one round trip to the driver's thread."""
    try:
        return list(await driver.execute_fetchall(sql, params))
    except (sqlite3.Error, ValueError) as exc:
        raise _wrapped(sql, params, exc) from exc


_CLOSED = ("connection closed", "no active connection")  # aiosqlite's ValueErrors


def _wrapped(sql: str, params: Any, exc: Exception) -> Exception:
    """As SQLAlchemy's adapter raises it: a DBAPIError subclass (aiosqlite's closed-connection
    ValueError as an OperationalError, any other ValueError as a StatementError: a bug), its
    parameters hidden like the engines' (they hold the device's credential hash)."""
    if isinstance(exc, ValueError) and exc.args and str(exc.args[0]).lower() in _CLOSED:
        exc = sqlite3.OperationalError(exc.args[0])
    return DBAPIError.instance(sql, params, exc, sqlite3.Error, hide_parameters=True)
