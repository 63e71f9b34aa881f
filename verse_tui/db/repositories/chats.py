"""Queries on chats and messages. Repositories flush, never commit: the service that opened
the transaction commits it or rolls it back. Every chat query is filtered by `user_id`.

`DirectChatRepository` (in `direct_chats.py`) holds the few writes on a streamed reply's hot
path for SQLite, run straight on aiosqlite's connection."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Row, case, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

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
    pass

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
