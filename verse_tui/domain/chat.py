"""Chat types: conversations, their messages, and the events of a streamed reply.

A streamed reply is an async iterator of `ChatStreamEvent`: one `StreamStarted`, any number of
`TextDelta`, then exactly one `StreamFinished` or `StreamFailed`. The UI renders these as they
arrive; the service has already persisted what each event describes when it is yielded.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, get_args

from verse_tui.domain.bible import VerseRange
from verse_tui.domain.citations import Citation
from verse_tui.domain.tools import ToolCall
from verse_tui.domain.usage import ChatCost

Role = Literal["user", "assistant"]
MessageStatus = Literal["complete", "streaming", "cancelled", "failed", "interrupted"]

# The values as tuples (database CHECK constraints, validation), read off the Literals above.
ROLES: tuple[Role, ...] = get_args(Role)
MESSAGE_STATUSES: tuple[MessageStatus, ...] = get_args(MessageStatus)


@dataclass(frozen=True, slots=True)
class ChatPassage:
    """The passage a chat is anchored to, and the verse text sent to Claude as context."""

    translation: str  # "KJV"
    reference: str  # formatted, e.g. "John 3:16–18"
    range: VerseRange
    text: str  # one verse per line, each prefixed with its verse number


@dataclass(frozen=True, slots=True)
class ChatSummary:
    """One chat as a list shows it: newest first, with its title and passage."""

    id: int
    title: str
    translation: str | None  # None for a standalone chat
    reference: str | None  # formatted reference, None for a standalone chat
    range: VerseRange | None
    created_at: datetime
    updated_at: datetime
    message_count: int = 0

    @property
    def is_standalone(self) -> bool:
        return self.reference is None


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One message. Assistant replies carry the outcome of their stream."""

    id: int
    chat_id: int
    role: Role
    text: str
    status: MessageStatus
    created_at: datetime
    updated_at: datetime
    stop_reason: str | None = None
    was_truncated: bool = False
    input_tokens: int | None = None
    output_tokens: int | None = None
    model: str | None = None
    error: str | None = None
    cache_read_tokens: int | None = None  # prompt tokens read from Claude's prompt cache
    cache_write_tokens: int | None = None  # prompt tokens written to it
    tool_summaries: tuple[str, ...] = ()  # one quiet line per local tool Claude called
    citations: tuple[Citation, ...] = ()  # its references and quotations, checked


@dataclass(frozen=True, slots=True)
class Chat:
    """A chat with all its messages, oldest first."""

    summary: ChatSummary
    messages: tuple[ChatMessage, ...]
    cost: ChatCost | None = None  # the tokens its replies used and what they cost

    @property
    def id(self) -> int:
        return self.summary.id

    @property
    def title(self) -> str:
        return self.summary.title


@dataclass(frozen=True, slots=True)
class MessageSearchHit:
    """A message whose text matches a search, with its chat's title for display."""

    message: ChatMessage
    chat_title: str
    snippet: str  # the text around the match, the match marked as «…»


@dataclass(frozen=True, slots=True)
class StreamStarted:
    """The user's message is saved and the reply row exists (status `streaming`)."""

    chat_id: int
    message_id: int  # the assistant message being streamed
    user_message_id: int | None  # None when continuing an earlier reply
    model: str  # the model asked for


@dataclass(frozen=True, slots=True)
class TextDelta:
    """A piece of the reply's text, in order."""

    text: str


@dataclass(frozen=True, slots=True)
class StreamFinished:
    """The reply ended normally: Claude gave a stop reason. `was_truncated` is true when the
    token (or context) limit cut it; the UI can offer to continue it. A stream that ends
    before Claude says it is finished is a `StreamFailed` (kind "ended_early")."""

    text: str  # the whole reply
    stop_reason: str | None
    was_truncated: bool
    input_tokens: int | None
    output_tokens: int | None
    model: str | None
    # With stop reason "tool_use": the turn's content blocks as the API takes them back
    # (text and tool_use), and the calls Claude asks Verse to run.
    content: tuple[dict[str, Any], ...] = ()
    tool_calls: tuple[ToolCall, ...] = ()
    cache_read_tokens: int | None = None
    cache_write_tokens: int | None = None


@dataclass(frozen=True, slots=True)
class ToolUsed:
    """Verse ran a local tool Claude called; `summary` is its one quiet line, e.g.
    "read Romans 5:8 (KJV)" (free of control characters)."""

    summary: str
    is_error: bool


@dataclass(frozen=True, slots=True)
class CitationsChecked:
    """The references and quotations of paragraphs that just finished, checked against the
    local text (offsets into the whole reply)."""

    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class StreamFailed:
    """The reply failed; what arrived before the failure is kept in `partial_text`."""

    kind: str  # an `LlmError.kind`, e.g. "rate_limited", "connection_dropped"
    message: str  # a sentence fit to show the user: what happened and what to do
    partial_text: str
    retryable: bool


ChatStreamEvent = (
    StreamStarted | TextDelta | ToolUsed | CitationsChecked | StreamFinished | StreamFailed
)
ChatStream = AsyncGenerator[ChatStreamEvent, None]
"""What the chat service's stream methods return: iterate it, and `aclose()` it to cancel."""
