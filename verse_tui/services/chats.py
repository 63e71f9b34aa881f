"""`ChatService`: conversations with Claude about a passage (or about anything), streamed and
persisted while they stream.

Streams are async iterators of `ChatStreamEvent`: `StreamStarted` (the question is committed
and the reply row exists with status `streaming`), `TextDelta`s, then `StreamFinished` or
`StreamFailed`. Bad input (an empty question, an unknown chat) raises `InputError` /
`NotFoundError` on the first iteration, before anything is saved; every failure of Claude
arrives as `StreamFailed` with the reply saved as `failed`. To cancel, stop iterating and
close the iterator (`contextlib.aclosing`) or cancel the task: the reply is saved as
`cancelled` with its partial text. See `chat_reply_rows.py` for how replies are persisted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from verse_tui.config import DEFAULT_TRANSLATION
from verse_tui.db.engine import user_facing_errors
from verse_tui.db.models import chats as rows
from verse_tui.db.repositories.chats import ChatRepository
from verse_tui.db.repositories.direct_chats import (
    DirectChatRepository,
    direct_transaction,
    direct_writes_available,
)
from verse_tui.domain.bible import Passage
from verse_tui.domain.chat import (
    Chat,
    ChatMessage,
    ChatStream,
    ChatSummary,
    MessageSearchHit,
    StreamStarted,
)
from verse_tui.errors import InputError, VerseError
from verse_tui.llm.client import DEFAULT_MAX_TOKENS, LlmMessage
from verse_tui.llm.pricing import PRICES, ModelPrice
from verse_tui.llm.prompts import CONTINUE_INSTRUCTION, system_blocks
from verse_tui.llm.protocol import LanguageModel
from verse_tui.services.bible import BibleService
from verse_tui.services.chat_cost import chat_cost
from verse_tui.services.chat_records import (
    BEING_WRITTEN,
    check_continuable,
    check_kind,
    message_of,
    passage_of,
    summary_of,
)
from verse_tui.services.chat_reply_rows import ReplyRows
from verse_tui.services.chat_text import (
    Turn,
    chat_passage,
    clean_question,
    clean_title,
    llm_history,
    short_title,
    snippet,
)
from verse_tui.services.citing import StreamCitations
from verse_tui.services.context import ServiceContext
from verse_tui.services.reply_stream import ReplyRequest, stream_reply
from verse_tui.services.stream_persistence import (
    CHECKPOINT_INTERVAL,
    HEARTBEAT_INTERVAL,
    STALE_AFTER,
    Checkpointer,
    ReplyWriter,
)
from verse_tui.services.tool_rounds import merge_turns, parse_rounds, replay
from verse_tui.services.tools import ToolExecutor

STANDALONE_TITLE = "New chat"
MAX_TOKENS_LIMIT = 64_000
INTERRUPTED_ERROR = (
    "Verse stopped while this reply was arriving; the text received before that is kept. "
    "Continue the reply or ask again."
)


class ChatService:
    """The calling user's chats. `llm` streams the replies (built once by the app factory)."""

    def __init__(
        self,
        context: ServiceContext,
        llm: LanguageModel,
        *,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        checkpoint_interval: float = CHECKPOINT_INTERVAL,
        heartbeat_interval: float = HEARTBEAT_INTERVAL,
        bible: BibleService | None = None,
        default_translation: str = DEFAULT_TRANSLATION,
        prices: Mapping[str, ModelPrice] = PRICES,
    ) -> None:
        """With `bible`, Claude may read and search it (local tools) while answering, in the
        chat's translation (a standalone chat's: `default_translation`)."""
        self._ctx = context
        self._llm = llm
        self._bible = bible
        self._translation = default_translation
        self._prices = prices
        self._max_tokens = max_tokens
        self._direct = direct_writes_available(context.database.writer_engine)
        rows = ReplyRows(context.database, context.credential.hash)
        self.checkpointer = Checkpointer(
            context, rows, interval=checkpoint_interval, heartbeat=heartbeat_interval
        )

    async def create_chat(self, passage: Passage, *, title: str | None = None) -> ChatSummary:
        """A chat anchored to `passage` (its translation, reference and verse text)."""
        anchored = chat_passage(passage)
        name = clean_title(title) if title is not None else anchored.reference
        async with self._ctx.write() as (session, user_id):
            chat = await ChatRepository(session).add_chat(user_id, name, anchored, self._ctx.now())
            return summary_of(chat, 0)

    async def create_standalone_chat(self, title: str | None = None) -> ChatSummary:
        """A chat about anything, not anchored to a passage."""
        name = clean_title(title) if title is not None else STANDALONE_TITLE
        async with self._ctx.write() as (session, user_id):
            chat = await ChatRepository(session).add_chat(user_id, name, None, self._ctx.now())
            return summary_of(chat, 0)

    def create_standalone_chat_stream(
        self, text: str, *, max_tokens: int | None = None
    ) -> ChatStream:
        """Start a standalone chat titled after `text` and stream Claude's reply to it."""
        return self._exchange(None, text, max_tokens, standalone=True)

    def send_message_stream(
        self, chat_id: int, text: str, *, max_tokens: int | None = None
    ) -> ChatStream:
        """Ask `text` in a chat (its passage, if any, is sent as context) and stream the reply."""
        return self._exchange(chat_id, text, max_tokens, standalone=None)

    def send_standalone_message_stream(
        self, chat_id: int, text: str, *, max_tokens: int | None = None
    ) -> ChatStream:
        """Like `send_message_stream`, for a chat that must be standalone."""
        return self._exchange(chat_id, text, max_tokens, standalone=True)

    async def send_message(
        self, chat_id: int, text: str, *, max_tokens: int | None = None
    ) -> ChatMessage:
        """Ask and wait for the whole reply; returns the saved reply (whatever its status)."""
        message_id = await _drain(self.send_message_stream(chat_id, text, max_tokens=max_tokens))
        return await self.get_message(message_id)

    def continue_message_stream(
        self, message_id: int, *, max_tokens: int | None = None
    ) -> ChatStream:
        """Continue a truncated, cancelled, failed or interrupted reply in place: the new text
        is appended to the same message (a reply with no text yet is simply asked again)."""
        return stream_reply(self._llm, partial(self._continue, message_id, max_tokens))

    async def list_chats(self, *, limit: int = 50, offset: int = 0) -> tuple[ChatSummary, ...]:
        """The user's chats, most recently active first."""
        async with self._ctx.read() as (session, user_id):
            found = await ChatRepository(session).chats_with_counts(
                user_id, limit=max(1, limit), offset=max(0, offset)
            )
            return tuple(summary_of(chat, count, last) for chat, count, last in found)

    async def get_chat(self, chat_id: int) -> Chat:
        async with self._ctx.read() as (session, user_id):
            repo = ChatRepository(session)
            chat = await repo.chat(user_id, chat_id)
            messages = tuple(message_of(m) for m in await repo.messages(chat.id))
            last = max((m.updated_at for m in messages), default=None)
            summary = summary_of(chat, len(messages), last)
        return Chat(summary, messages, chat_cost(messages, self._prices))

    async def get_message(self, message_id: int) -> ChatMessage:
        async with self._ctx.read() as (session, user_id):
            message, _chat = await ChatRepository(session).message(user_id, message_id)
            return message_of(message)

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

    async def search_messages(self, query: str, *, limit: int = 50) -> tuple[MessageSearchHit, ...]:
        """Messages containing `query` (case-insensitive), newest first."""
        needle = " ".join(query.split())
        if not needle:
            raise InputError("Type some words to search your chats for.")
        async with self._ctx.read() as (session, user_id):
            found = await ChatRepository(session).search(user_id, needle, limit=max(1, limit))
            return tuple(
                MessageSearchHit(message_of(m), title, snippet(m.text, needle))
                for m, title in found
            )

    async def mark_interrupted(self) -> int:
        """At start-up: replies left `streaming` by a process that died (no checkpoint for
        `STALE_AFTER`) become `interrupted`, their checkpointed text kept; a reply that
        another live process is streaming is left alone. Returns how many were marked."""
        async with self._ctx.database.write() as session:
            return await ChatRepository(session).mark_streaming_interrupted(
                self._ctx.now() - STALE_AFTER, INTERRUPTED_ERROR
            )

    def _exchange(
        self, chat_id: int | None, text: str, max_tokens: int | None, *, standalone: bool | None
    ) -> ChatStream:
        return stream_reply(self._llm, partial(self._ask, chat_id, text, max_tokens, standalone))

    async def _ask(
        self, chat_id: int | None, text: str, max_tokens: int | None, standalone: bool | None
    ) -> ReplyRequest[StreamStarted]:
        question = clean_question(text)
        limit = self._token_limit(max_tokens)
        exchange = await self._open_exchange(chat_id, question, standalone)
        chat, reply = exchange.chat, exchange.reply
        citing = await self._citing(chat)
        return ReplyRequest(
            writer=ReplyWriter(
                self._ctx,
                self.checkpointer,
                reply,
                stamp=exchange.stamp,
                citations=citing,
                base_cache=(0, 0),
                keeps_rounds=True,
            ),
            started=StreamStarted(chat.id, reply, exchange.asked, self._llm.model),
            history=merge_turns([*llm_history(exchange.earlier), LlmMessage("user", question)]),
            system=system_blocks(passage_of(chat)),
            max_tokens=limit,
            tools=self._tools(chat),
        )

    async def _open_exchange(
        self, chat_id: int | None, question: str, standalone: bool | None
    ) -> _Exchange:
        """Commit the question and the empty `streaming` reply in one write transaction (before
        Claude is called). On SQLite it runs straight on the driver, the device resolved inside
        its statements (`DirectChatRepository`: 5-6 round trips to the driver's thread instead
        of 20-24), unless `last_seen_at` is due (once a minute); if the device or the chat is
        not found that way, the ORM path below runs and raises the precise error."""
        now = self._ctx.now()
        if self._direct and not self._ctx.touch_due:
            exchange = await self._open_directly(chat_id, question, standalone, now)
            if exchange is not None:
                return exchange
        async with self._ctx.write() as (session, user_id):
            repo = ChatRepository(session)
            earlier: Sequence[Turn] = ()
            if chat_id is None:
                chat = await repo.add_chat(user_id, short_title(question), None, now)
            else:
                chat, earlier = await repo.chat_with_turns(user_id, chat_id)
            return await self._record(repo, chat, earlier, chat_id, question, standalone, now)

    async def _open_directly(
        self, chat_id: int | None, question: str, standalone: bool | None, now: datetime
    ) -> _Exchange | None:
        """`_open_exchange` on aiosqlite's connection; None if the device or chat is not found."""
        with user_facing_errors():
            async with direct_transaction(self._ctx.database.writer_engine) as direct:
                credential = self._ctx.credential.hash
                found = await _direct_chat(direct, credential, chat_id, question, now)
                if found is None:
                    return None
                return await self._record(direct, *found, chat_id, question, standalone, now)

    async def _record(
        self,
        repo: ChatRepository | DirectChatRepository,
        chat: rows.Chat,
        earlier: Sequence[Turn],
        chat_id: int | None,
        question: str,
        standalone: bool | None,
        now: datetime,
    ) -> _Exchange:
        title = None
        if chat_id is not None:  # an existing chat: check its kind; its first question names it
            check_kind(chat, standalone)
            if not earlier and chat.title in (STANDALONE_TITLE, chat.reference):
                title = short_title(question)
        model = self._llm.model
        asked, reply = await repo.add_exchange(chat.id, question, model, now, title=title)
        return _Exchange(chat, earlier, asked, reply, now)

    async def _continue(
        self, message_id: int, max_tokens: int | None
    ) -> ReplyRequest[StreamStarted]:
        limit = self._token_limit(max_tokens)
        async with self._ctx.write() as (session, user_id):
            repo = ChatRepository(session)
            reply, chat = await repo.message(user_id, message_id)
            messages = await repo.messages(chat.id)
            now = self._ctx.now()
            check_continuable(reply, is_last=messages[-1].id == reply.id, now=now)
            earlier = [m for m in messages if m.id < reply.id]
            prefix, tokens = reply.text, (reply.input_tokens or 0, reply.output_tokens or 0)
            cache = (reply.cache_read_tokens or 0, reply.cache_write_tokens or 0)
            if not await repo.claim_message(reply.id, (reply.status, reply.updated_at), now):
                raise InputError(BEING_WRITTEN.format(id=reply.id))
            rounds = parse_rounds(reply.tool_rounds)
            history = llm_history(earlier)
            if prefix.strip() or rounds:
                history += [*replay(prefix, rounds), LlmMessage("user", CONTINUE_INSTRUCTION)]
            passage, chat_id, tools = passage_of(chat), chat.id, self._tools(chat)
        citing = await self._citing(chat)
        if citing is not None and prefix:
            await citing.feed(prefix)  # the part already written: its citations are kept
        writer = ReplyWriter(
            self._ctx,
            self.checkpointer,
            message_id,
            stamp=now,
            prefix=prefix,
            base_tokens=tokens,
            rounds=rounds,
            citations=citing,
            base_cache=cache,
            keeps_rounds=True,
        )
        return ReplyRequest(
            writer=writer,
            started=StreamStarted(chat_id, message_id, None, self._llm.model),
            history=merge_turns(history),
            system=system_blocks(passage),
            max_tokens=limit,
            tools=tools,
        )

    async def _citing(self, chat: rows.Chat) -> StreamCitations | None:
        """The citation check of one reply, in the chat's translation (None without a Bible)."""
        if self._bible is None:
            return None
        try:
            checker = await self._bible.citation_checker(chat.translation or self._translation)
        except VerseError:  # a translation no longer installed: the reply goes unchecked
            return None
        return StreamCitations(checker)

    def _tools(self, chat: rows.Chat) -> ToolExecutor | None:
        """The local tools for one reply, reading the chat's translation by default."""
        if self._bible is None:
            return None
        return ToolExecutor(self._bible, translation=chat.translation or self._translation)

    def _token_limit(self, max_tokens: int | None) -> int:
        if max_tokens is None:
            return self._max_tokens
        if not 1 <= max_tokens <= MAX_TOKENS_LIMIT:
            raise InputError(
                f"--max-tokens must be between 1 and {MAX_TOKENS_LIMIT}; {max_tokens} is not."
            )
        return max_tokens


@dataclass(frozen=True, slots=True)
class _Exchange:
    """A question just committed with its empty reply, and what Claude is sent with it."""

    chat: rows.Chat
    earlier: Sequence[Turn]
    asked: int
    reply: int
    stamp: datetime  # the reply's `updated_at` as written


async def _direct_chat(
    direct: DirectChatRepository,
    credential_hash: str,
    chat_id: int | None,
    question: str,
    now: datetime,
) -> tuple[rows.Chat, Sequence[Turn]] | None:
    """The chat asked in (a new standalone one if `chat_id` is None) and its earlier
    messages; None when the device or the chat is not found."""
    if chat_id is None:
        chat = await direct.add_standalone_chat(credential_hash, short_title(question), now)
        return None if chat is None else (chat, ())
    return await direct.chat_with_turns(credential_hash, chat_id)


async def _drain(events: ChatStream) -> int:
    message_id = -1
    async for event in events:
        if isinstance(event, StreamStarted):
            message_id = event.message_id
    return message_id
