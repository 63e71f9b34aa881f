"""Chats with Claude and their messages.

A chat belongs to a user (ON DELETE CASCADE) and is either anchored to a passage (translation,
formatted reference, verse range and the verse text sent as context) or standalone (all
passage columns NULL). Messages cascade with their chat. An assistant message is inserted
with status `streaming` before its reply arrives, checkpointed while it streams, and ends as
`complete`, `cancelled`, `failed` or (found still streaming at start-up) `interrupted`.
`chats.updated_at` records changes to the chat row itself (creation, title); a chat's last
activity is the later of that and its messages' `updated_at`, so asking a question costs no
extra write to the chat.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from verse_tui.db.base import Base, UTCDateTime
from verse_tui.domain.chat import MESSAGE_STATUSES, ROLES

TITLE_LENGTH = 200
REFERENCE_LENGTH = 200


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Chat(Base):
    __tablename__ = "chats"
    __table_args__ = (Index("ix_chats_user_updated", "user_id", "updated_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    translation: Mapped[str | None] = mapped_column(String(16))
    reference: Mapped[str | None] = mapped_column(String(REFERENCE_LENGTH))
    start_book: Mapped[int | None] = mapped_column(Integer)
    start_chapter: Mapped[int | None] = mapped_column(Integer)
    start_verse: Mapped[int | None] = mapped_column(Integer)
    end_book: Mapped[int | None] = mapped_column(Integer)
    end_chapter: Mapped[int | None] = mapped_column(Integer)
    end_verse: Mapped[int | None] = mapped_column(Integer)
    passage_text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_chat_id", "chat_id", "id"),
        Index("ix_messages_status", "status"),
        CheckConstraint(_in("role", ROLES), name="role"),
        CheckConstraint(_in("status", MESSAGE_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    stop_reason: Mapped[str | None] = mapped_column(String(40))
    was_truncated: Mapped[bool] = mapped_column(Boolean, default=False)
    input_tokens: Mapped[int | None] = mapped_column(Integer)
    output_tokens: Mapped[int | None] = mapped_column(Integer)
    model: Mapped[str | None] = mapped_column(String(100))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The reply's whole tool rounds (tool_use and tool_result blocks), JSON; NULL without tools.
    tool_rounds: Mapped[str | None] = mapped_column(Text)
    # The reply's references and quotations as checked against the local text, JSON.
    citations: Mapped[str | None] = mapped_column(Text)
    cache_read_tokens: Mapped[int | None] = mapped_column(Integer)  # prompt-cache reads
    cache_write_tokens: Mapped[int | None] = mapped_column(Integer)  # prompt-cache writes
