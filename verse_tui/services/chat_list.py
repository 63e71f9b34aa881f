"""`ChatListService`: the user's chats as a list (list, rename, delete) and start-up's
tidying of replies left `streaming`, without the streaming machinery.

`ChatService` (chats.py) extends it with the conversations themselves. `verse chats list`
and every start-up use this class alone, so they import neither the Claude client nor the
citation check, the local tools or the price table.
"""

from __future__ import annotations

from datetime import datetime

from verse_tui.db.models import chats as rows
from verse_tui.db.repositories.chats import ChatRepository
from verse_tui.domain.bible import VerseRange, VerseRef
from verse_tui.domain.chat import ChatSummary
from verse_tui.services.chat_text import clean_title
from verse_tui.services.context import ServiceContext
from verse_tui.services.stream_timing import STALE_AFTER

INTERRUPTED_ERROR = (
    "Verse stopped while this reply was arriving; the text received before that is kept. "
    "Continue the reply or ask again."
)


class ChatListService:
    """The calling user's chats, listed, renamed and deleted."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context

    async def list_chats(self, *, limit: int = 50, offset: int = 0) -> tuple[ChatSummary, ...]:
        """The user's chats, most recently active first."""
        async with self._ctx.read() as (session, user_id):
            found = await ChatRepository(session).chats_with_counts(
                user_id, limit=max(1, limit), offset=max(0, offset)
            )
            return tuple(summary_of(chat, count, last) for chat, count, last in found)

    async def rename_chat(self, chat_id: int, title: str) -> ChatSummary:
        name = clean_title(title)
        async with self._ctx.write() as (session, user_id):
            repo = ChatRepository(session)
            chat = await repo.chat(user_id, chat_id)
            chat.title, chat.updated_at = name, self._ctx.now()
            await session.flush()
            return summary_of(chat, *await repo.message_stats(chat.id))

    async def delete_chat(self, chat_id: int) -> None:
        """Delete a chat and all its messages."""
        async with self._ctx.write() as (session, user_id):
            await ChatRepository(session).delete_chat(user_id, chat_id)

    async def mark_interrupted(self) -> int:
        """At start-up: replies left `streaming` by a process that died (no checkpoint for
        `STALE_AFTER`) become `interrupted`, their checkpointed text kept; a reply that
        another live process is streaming is left alone. Returns how many were marked."""
        async with self._ctx.database.write() as session:
            return await ChatRepository(session).mark_streaming_interrupted(
                self._ctx.now() - STALE_AFTER, INTERRUPTED_ERROR
            )


def range_of(chat: rows.Chat) -> VerseRange:
    """The verses a passage chat is about (zeros for a standalone chat)."""
    return VerseRange(
        VerseRef(chat.start_book or 0, chat.start_chapter or 0, chat.start_verse or 0),
        VerseRef(chat.end_book or 0, chat.end_chapter or 0, chat.end_verse or 0),
    )


def summary_of(chat: rows.Chat, count: int, last_message: datetime | None = None) -> ChatSummary:
    """The chat as a list shows it; `updated_at` is its last activity (its own last change
    or its messages' last update, whichever is later)."""
    return ChatSummary(
        id=chat.id,
        title=chat.title,
        translation=chat.translation,
        reference=chat.reference,
        range=range_of(chat) if chat.reference is not None else None,
        created_at=chat.created_at,
        updated_at=max(chat.updated_at, last_message) if last_message else chat.updated_at,
        message_count=count,
    )
