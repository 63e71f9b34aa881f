"""Queries on chats and messages. Repositories flush, never commit: the service that opened
the transaction commits it or rolls it back. Every chat query is filtered by `user_id`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, case, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from verse_tui.db.models.chats import Chat, Message
from verse_tui.domain.chat import ChatPassage
from verse_tui.errors import NotFoundError

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
        chat = await self.session.scalar(
            select(Chat).where(Chat.id == chat_id, Chat.user_id == user_id)
        )
        if chat is None:
            raise NotFoundError(
                f"There is no chat {chat_id}. List your chats with `verse chats list`."
            )
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
    ) -> tuple[Chat, list[Row[tuple[Chat, str, str]]]]:
        """The user's chat and its messages as light (role, text) rows, oldest first, in one
        query (the history sent to Claude with a new question), or NotFoundError."""
        rows = (
            await self.session.execute(
                select(Chat, Message.role, Message.text)
                .outerjoin(Message, Message.chat_id == Chat.id)
                .where(Chat.id == chat_id, Chat.user_id == user_id)
                .order_by(Message.id)
            )
        ).all()
        if not rows:
            raise NotFoundError(
                f"There is no chat {chat_id}. List your chats with `verse chats list`."
            )
        return rows[0][0], [row for row in rows if row.role is not None]

    async def messages(self, chat_id: int) -> Sequence[Message]:
        """A chat's messages, oldest first."""
        result = await self.session.scalars(
            select(Message).where(Message.chat_id == chat_id).order_by(Message.id)
        )
        return result.all()

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

    async def update_message(self, message_id: int, **values: Any) -> None:
        await self.session.execute(update(Message).where(Message.id == message_id).values(**values))

    async def checkpoint_messages(self, texts: Sequence[tuple[int, str]], now: datetime) -> None:
        """Save the text of streaming replies, one UPDATE per (message id, text), as one
        executemany. Only rows still streaming (or marked interrupted by another process)
        change, so a late checkpoint never overwrites a reply's end."""
        table = Message.__table__
        statement = (
            update(table)
            .where(
                table.c.id == bindparam("message_id"),
                or_(table.c.status == "streaming", table.c.status == "interrupted"),
            )
            .values(text=bindparam("new_text"), status="streaming", error=None, updated_at=now)
        )
        await self.session.execute(
            statement, [{"message_id": mid, "new_text": text} for mid, text in texts]
        )

    async def add_exchange(
        self, chat_id: int, question: str, model: str, now: datetime, *, title: str | None = None
    ) -> tuple[int, int]:
        """Insert the user's question (complete) and an empty reply (streaming) in one INSERT
        (and retitle the chat if `title` is given); returns (question id, reply id). Bulk
        statements rather than the unit of work: this runs before every question reaches
        Claude, so it is kept to the fewest round trips."""
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

    async def mark_streaming_interrupted(self, now: datetime, error: str) -> int:
        """Every message still `streaming` becomes `interrupted`; returns how many."""
        result = await self.session.execute(
            update(Message)
            .where(Message.status == "streaming")
            .values(status="interrupted", was_truncated=True, error=error, updated_at=now)
        )
        return int(result.rowcount or 0)
