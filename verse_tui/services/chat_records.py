"""Chat rows as `ChatService` uses them: the domain records they become (`summary_of`,
`message_of`, `passage_of`) and the checks a request on them must pass (`check_kind`,
`check_continuable`). Pure functions on loaded rows, no I/O."""

from __future__ import annotations

from datetime import datetime

from verse_tui.db.models import chats as rows
from verse_tui.domain.bible import VerseRange, VerseRef
from verse_tui.domain.chat import ChatMessage, ChatPassage, ChatSummary
from verse_tui.errors import InputError
from verse_tui.services.citing import parse_citations
from verse_tui.services.stream_persistence import STALE_AFTER
from verse_tui.services.tool_rounds import tool_summaries

BEING_WRITTEN = (
    "Reply {id} is still arriving (Verse is writing it, maybe in another window); "
    "wait for it to finish, then continue it if it is cut short."
)


def check_kind(chat: rows.Chat, standalone: bool | None) -> None:
    if standalone and chat.reference is not None:
        raise InputError(
            f"Chat {chat.id} is about {chat.reference}, not a standalone chat. "
            "Send the message to it as a passage chat instead."
        )


def check_continuable(reply: rows.Message, *, is_last: bool, now: datetime) -> None:
    if reply.role != "assistant":
        raise InputError(f"Message {reply.id} is your own message; only replies can continue.")
    if not is_last:
        raise InputError(
            f"Reply {reply.id} is not the last message of its chat, so it cannot be continued. "
            "Ask a new question instead."
        )
    if reply.status in ("streaming", "interrupted") and reply.updated_at > now - STALE_AFTER:
        raise InputError(BEING_WRITTEN.format(id=reply.id))
    if reply.status == "complete" and not reply.was_truncated:
        raise InputError(f"Reply {reply.id} is complete; there is nothing to continue.")


def passage_of(chat: rows.Chat) -> ChatPassage | None:
    if chat.reference is None or chat.translation is None:
        return None
    return ChatPassage(chat.translation, chat.reference, range_of(chat), chat.passage_text or "")


def range_of(chat: rows.Chat) -> VerseRange:
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


def message_of(row: rows.Message) -> ChatMessage:
    return ChatMessage(
        id=row.id,
        chat_id=row.chat_id,
        role=row.role,  # type: ignore[arg-type]
        text=row.text,
        status=row.status,  # type: ignore[arg-type]
        created_at=row.created_at,
        updated_at=row.updated_at,
        stop_reason=row.stop_reason,
        was_truncated=row.was_truncated,
        input_tokens=row.input_tokens,
        output_tokens=row.output_tokens,
        model=row.model,
        error=row.error,
        tool_summaries=tool_summaries(row.tool_rounds),
        citations=parse_citations(row.citations),
        cache_read_tokens=row.cache_read_tokens,
        cache_write_tokens=row.cache_write_tokens,
    )
