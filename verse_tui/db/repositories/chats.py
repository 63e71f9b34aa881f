"""Queries on chats and messages. Repositories flush, never commit: the service that opened
the transaction commits it or rolls it back. Every chat query is filtered by `user_id`.

`DirectChatRepository` holds the few writes on a streamed reply's hot path for SQLite, run
straight on aiosqlite's connection (see its doc); `direct_transaction` opens them."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import Dialect, Row, case, delete, func, insert, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from verse_tui.db.models.chats import Chat, Message
from verse_tui.db.repositories.streamed_rows import (
    Checkpoint,
    LostReason,
    checkpoint_rows,
    end_row,
    message_owner,
    table_of,
    why_lost,
)
from verse_tui.domain.chat import ChatPassage
from verse_tui.errors import NotFoundError

if TYPE_CHECKING:
    from aiosqlite import Connection as DriverConnection

LIKE_ESCAPE = "\\"


def like_pattern(query: str) -> str:
    """`%query%` with LIKE's wildcards in the query matched literally."""
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class ChatRepository:
    """Chat queries on a session, or (for the hot writes of a streaming reply, which need no
    unit of work) on a plain connection: both have `execute`."""

    def __init__(self, session: AsyncSession | AsyncConnection) -> None:
        self.session: Any = session

    async def chat(self, user_id: int, chat_id: int) -> Chat:
        """The user's chat, or NotFoundError (also for someone else's chat)."""
        chat: Chat | None = await self.session.scalar(
            select(Chat).where(Chat.id == chat_id, Chat.user_id == user_id)
        )
        if chat is None:
            raise _no_chat(chat_id)
        return chat

    async def add_chat(
        self, user_id: int, title: str, passage: ChatPassage | None, now: datetime
    ) -> Chat:
        chat = Chat(user_id=user_id, title=title, created_at=now, updated_at=now)
        if passage is not None:
            start, end = passage.range.start, passage.range.end
            chat.translation, chat.reference = passage.translation, passage.reference
            chat.start_book, chat.start_chapter, chat.start_verse = (
                start.book,
                start.chapter,
                start.verse,
            )
            chat.end_book, chat.end_chapter, chat.end_verse = end.book, end.chapter, end.verse
            chat.passage_text = passage.text
        self.session.add(chat)
        await self.session.flush()
        return chat

    async def chats_with_counts(
        self, user_id: int, *, limit: int, offset: int
    ) -> Sequence[tuple[Chat, int, datetime | None]]:
        """The user's chats, most recently active first (the chat's own changes and its
        messages' last update), with their message counts and last message update."""
        stats = (
            select(
                Message.chat_id,
                func.count().label("n"),
                func.max(Message.updated_at).label("last"),
            )
            .group_by(Message.chat_id)
            .subquery()
        )
        activity = case((stats.c.last > Chat.updated_at, stats.c.last), else_=Chat.updated_at)
        rows = await self.session.execute(
            select(Chat, func.coalesce(stats.c.n, 0), stats.c.last)
            .outerjoin(stats, stats.c.chat_id == Chat.id)
            .where(Chat.user_id == user_id)
            .order_by(activity.desc(), Chat.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return [(chat, int(count), last) for chat, count, last in rows]

    async def chat_with_turns(
        self, user_id: int, chat_id: int
    ) -> tuple[Chat, list[Row[tuple[Chat, str, str, str | None]]]]:
        """The user's chat and its messages as light (role, text) rows, oldest first, in one
        query (the history sent to Claude with a new question), or NotFoundError."""
        rows = (
            await self.session.execute(
                select(Chat, Message.role, Message.text, Message.tool_rounds)
                .outerjoin(Message, Message.chat_id == Chat.id)
                .where(Chat.id == chat_id, Chat.user_id == user_id)
                .order_by(Message.id)
            )
        ).all()
        if not rows:
            raise _no_chat(chat_id)
        return rows[0][0], [row for row in rows if row.role is not None]

    async def message_stats(self, chat_id: int) -> tuple[int, datetime | None]:
        """How many messages a chat has and when the last of them changed."""
        count, last = (
            await self.session.execute(
                select(func.count(), func.max(Message.updated_at)).where(Message.chat_id == chat_id)
            )
        ).one()
        return int(count), last

    async def messages(self, chat_id: int) -> Sequence[Message]:
        """A chat's messages, oldest first."""
        result = await self.session.scalars(
            select(Message).where(Message.chat_id == chat_id).order_by(Message.id)
        )
        messages: Sequence[Message] = result.all()
        return messages

    async def message(self, user_id: int, message_id: int) -> tuple[Message, Chat]:
        """One of the user's messages with its chat, or NotFoundError."""
        row = (
            await self.session.execute(
                select(Message, Chat)
                .join(Chat, Chat.id == Message.chat_id)
                .where(Message.id == message_id, Chat.user_id == user_id)
            )
        ).one_or_none()
        if row is None:
            raise NotFoundError(
                f"There is no message {message_id}. See a chat's messages with "
                "`verse chats show CHAT_ID`."
            )
        message, chat = row
        return message, chat

    async def add_message(
        self, chat_id: int, role: str, text: str, status: str, now: datetime, **fields: Any
    ) -> Message:
        message = Message(
            chat_id=chat_id,
            role=role,
            text=text,
            status=status,
            was_truncated=False,
            created_at=now,
            updated_at=now,
            **fields,
        )
        self.session.add(message)
        await self.session.flush()
        return message

    async def claim_message(
        self, message_id: int, seen: tuple[str, datetime], now: datetime
    ) -> bool:
        """Mark a reply `streaming` again (to continue it) if it is still as it was read
        (`seen`: its status and `updated_at`); False if another process changed it since."""
        status, stamp = seen
        result = await self.session.execute(
            update(Message)
            .where(Message.id == message_id, Message.status == status, Message.updated_at == stamp)
            .values(status="streaming", error=None, updated_at=now),
            execution_options={"synchronize_session": False},
        )
        return bool(result.rowcount == 1)

    async def checkpoint_messages(
        self, rows: Sequence[Checkpoint], now: datetime, credential_hash: str
    ) -> set[int]:
        """Save the text of streaming replies this device still holds; returns the ids of
        those it lost (see `checkpoint_rows`)."""
        table = table_of(Message)
        owner = message_owner(table, credential_hash)
        return await checkpoint_rows(self.session, table, rows, now, owner)

    async def end_message(
        self, message_id: int, stamp: datetime, credential_hash: str | None, **values: Any
    ) -> bool:
        """Write a reply's end if its writer still holds it (see `end_row`)."""
        table = table_of(Message)
        owner = None if credential_hash is None else message_owner(table, credential_hash)
        return await end_row(self.session, table, message_id, stamp, owner, values)

    async def why_lost(self, message_id: int, credential_hash: str) -> LostReason:
        table = table_of(Message)
        return await why_lost(
            self.session, table, message_id, message_owner(table, credential_hash)
        )

    async def add_exchange(
        self, chat_id: int, question: str, model: str, now: datetime, *, title: str | None = None
    ) -> tuple[int, int]:
        """Insert the user's question (complete) and an empty reply (streaming) with one bulk
        INSERT ... RETURNING (which SQLAlchemy sends row by row on SQLite), and retitle the
        chat if `title` is given; returns (question id, reply id). On SQLite the hot path
        uses `DirectChatRepository.add_exchange` instead (one multi-row INSERT)."""
        if title:
            await self.session.execute(
                update(Chat).where(Chat.id == chat_id).values(title=title, updated_at=now),
                execution_options={"synchronize_session": False},
            )
        common = {"chat_id": chat_id, "was_truncated": False, "created_at": now, "updated_at": now}
        ids = await self.session.scalars(
            insert(Message).returning(Message.id, sort_by_parameter_order=True),
            [
                common | {"role": "user", "text": question, "status": "complete", "model": None},
                common | {"role": "assistant", "text": "", "status": "streaming", "model": model},
            ],
        )
        asked, reply = ids.all()
        return asked, reply

    async def delete_chat(self, user_id: int, chat_id: int) -> None:
        await self.chat(user_id, chat_id)
        await self.session.execute(delete(Chat).where(Chat.id == chat_id))

    async def search(
        self, user_id: int, query: str, *, limit: int
    ) -> Sequence[tuple[Message, str]]:
        """The user's messages containing `query` (case-insensitive), newest first."""
        rows = await self.session.execute(
            select(Message, Chat.title)
            .join(Chat, Chat.id == Message.chat_id)
            .where(
                Chat.user_id == user_id,
                Message.text.ilike(like_pattern(query), escape=LIKE_ESCAPE),
            )
            .order_by(Message.id.desc())
            .limit(limit)
        )
        return [(message, title) for message, title in rows]

    async def mark_streaming_interrupted(self, stale_before: datetime, error: str) -> int:
        """Messages still `streaming` but not saved since `stale_before` (their process is
        gone) become `interrupted`; returns how many. `updated_at` stays the last save, the
        stamp a writer still alive (suspended, say) expects, so it can take its reply back."""
        result = await self.session.execute(
            update(Message)
            .where(Message.status == "streaming", Message.updated_at < stale_before)
            .values(status="interrupted", was_truncated=True, error=error)
        )
        return int(result.rowcount or 0)


def _no_chat(chat_id: int) -> NotFoundError:
    return NotFoundError(f"There is no chat {chat_id}. List your chats with `verse chats list`.")


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
