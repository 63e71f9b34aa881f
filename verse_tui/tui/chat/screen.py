"""The Chat place (F3): the chat list, the conversation, and the question box.

A chat started from the reader is anchored to the selected verses (or the chapter): the
passage shows at the top and nothing is saved until the first question. Every service call
runs in a named worker; a reply streams in an exclusive worker, and `esc` cancels that
worker (the chat service then saves the reply as `cancelled`, partial text kept).
"""

from __future__ import annotations

from contextlib import aclosing
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Input, Static
from textual.worker import Worker

from verse_tui.bible.references import format_range
from verse_tui.domain.bible import Reference, VerseRange
from verse_tui.domain.chat import (
    ChatStream,
    ChatSummary,
    CitationsChecked,
    StreamFailed,
    StreamFinished,
    StreamStarted,
    ToolUsed,
)
from verse_tui.domain.citations import Citation
from verse_tui.domain.text import terminal_safe
from verse_tui.domain.usage import ChatCost
from verse_tui.errors import VerseError
from verse_tui.services.chat_cost import cost_line
from verse_tui.tui.chat.chat_list import ChatList
from verse_tui.tui.chat.chat_log import ChatLog, ReplyFooter, ReplyOutcome
from verse_tui.tui.chat.citation_list import ChatCitations
from verse_tui.tui.chat.list_actions import ChatListActions
from verse_tui.tui.chat.prompt_input import PromptInput
from verse_tui.tui.chat.reference_actions import ReferenceActions
from verse_tui.tui.chat.streaming_markdown import ReplyBlocks
from verse_tui.tui.claude import ClaudeWarmUp, needs_key_message
from verse_tui.tui.host import verse_app
from verse_tui.tui.worker_errors import ServiceCalls

WELCOME = (
    "Ask anything about the Bible. To talk about a passage, select verses in the reader "
    "(F2) and press c (or C for the whole chapter)."
)


class ChatScreen(ServiceCalls, ClaudeWarmUp, ChatListActions, ReferenceActions, ChatCitations):
    """Chats with Claude: list, conversation, question box."""

    CSS_PATH = "../styles/chat.tcss"
    AUTO_FOCUS = "#chat-input"  # not the chat list: what is typed on opening is a question
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "stop", "Stop reply"),
        Binding("ctrl+r", "resume", "Continue/Retry"),
        Binding("ctrl+o", "references", "References"),
        Binding("ctrl+n", "new_chat", "New chat"),
        Binding("ctrl+l", "toggle_focus", "Chats ↔ question"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.chat_id: int | None = None
        self.draft: tuple[str, VerseRange] | None = None  # a passage chat not saved yet
        self.blocks: ReplyBlocks | None = None  # the reply streaming now, if any
        self._stream: Worker[None] | None = None

    # -- layout and accessors --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="chat-body"):
            yield ChatList(id="chat-list")
            with Vertical(id="conversation"):
                with Horizontal(id="chat-header"):
                    yield Static("New chat", id="chat-title", markup=False)
                    yield Static("", id="chat-cost", markup=False)
                with VerticalScroll(id="chat-passage"):
                    yield Static(id="chat-passage-text", markup=False)
                yield ChatLog(id="chat-log")
                yield Static(WELCOME, id="chat-notice", markup=False)
                yield PromptInput(
                    placeholder="Ask… (enter sends, ↑ earlier questions)", id="chat-input"
                )
        yield Footer(compact=True)

    @property
    def log_view(self) -> ChatLog:
        return self.query_one(ChatLog)

    @property
    def prompt(self) -> PromptInput:
        return self.query_one(PromptInput)

    def notice(self, text: str, *, error: bool = False) -> None:
        widget = self.query_one("#chat-notice", Static)
        widget.update(text)
        widget.set_class(error, "-error")
        widget.display = bool(text)

    def on_mount(self) -> None:
        self.query_one("#chat-passage").display = False
        self.prompt.focus()
        self.refresh_list()
        self.warm_up_claude()
        if self.draft is not None:
            self._show_passage(*self.draft)

    # -- choosing a chat ---------------------------------------------------------------------

    def chat_about(self, translation: str, rng: VerseRange) -> None:
        """Start a chat anchored to these verses (saved when the first question is sent)."""
        self.stop_reply()
        self.draft, self.chat_id = (translation, rng), None
        if self.is_mounted:
            self._show_passage(translation, rng)

    def _show_passage(self, translation: str, rng: VerseRange) -> None:
        self.query_one("#chat-title", Static).update(
            f"New chat · {format_range(rng)} ({translation})"
        )
        self.notice(f"Ask about {format_range(rng)}.")
        self.call_after_refresh(self._clear_log)
        self._load_passage(translation, rng)
        self.prompt.focus()

    async def _clear_log(self) -> None:
        await self.log_view.show_chat(None)
        self.log_view.translation = self.draft[0] if self.draft else None  # a new chat's

    @work(
        exclusive=True,
        group="chat-passage",
        name="chat-passage",
        exit_on_error=False,
        description="Showing the passage",
    )
    async def _load_passage(self, translation: str, rng: VerseRange) -> None:
        passage = await verse_app(self).bible.passage(translation, Reference((rng,)))
        lines = [f"{v.ref.verse} {v.plain_text}" for v in passage.verses if not v.omitted]
        self.query_one("#chat-passage-text", Static).update(
            f"{passage.reference} ({passage.translation})\n" + "\n".join(lines)
        )
        self.query_one("#chat-passage").display = True

    @work(
        exclusive=True,
        group="chat-list",
        name="list-chats",
        exit_on_error=False,
        description="Loading your chats",
    )
    async def refresh_list(self) -> None:
        summaries = await self.chats.list_chats()
        self.chat_list.show_chats(summaries, self.chat_id)
        current = next((s for s in summaries if s.id == self.chat_id), None)
        if current is not None:  # a new chat is named after its first question
            self._show_title(current)
            self._show_cost((await self.chats.get_chat(current.id)).cost)

    def _show_cost(self, cost: ChatCost | None) -> None:
        """The chat's token use and estimated cost, at the right of its title."""
        text = cost_line(cost) if cost is not None and cost.usage.output_tokens else ""
        self.query_one("#chat-cost", Static).update(text)

    def _show_title(self, summary: ChatSummary) -> None:
        about = f" · {summary.reference} ({summary.translation})" if summary.reference else ""
        self.query_one("#chat-title", Static).update(f"{terminal_safe(summary.title)}{about}")

    @on(ChatList.Chosen)
    def _chat_chosen(self, event: ChatList.Chosen) -> None:
        if event.chat_id is None:
            self.action_new_chat()
        else:
            self.open_chat(event.chat_id)

    @work(
        exclusive=True,
        group="chat-open",
        name="open-chat",
        exit_on_error=False,
        description="Opening the chat",
    )
    async def open_chat(self, chat_id: int) -> None:
        self.stop_reply()
        chat = await self.chats.get_chat(chat_id)
        self.chat_id, self.draft = chat.id, None
        summary = chat.summary
        self._show_title(summary)
        self._show_cost(chat.cost)
        self.query_one("#chat-passage").display = False
        if summary.range is not None and summary.translation is not None:
            self._load_passage(summary.translation, summary.range)
        self.notice("")
        await self.log_view.show_chat(chat)
        self.prompt.load_history([m.text for m in chat.messages if m.role == "user"])
        self.prompt.focus()

    def action_new_chat(self) -> None:
        self.stop_reply()
        self.chat_id, self.draft = None, None
        self.query_one("#chat-title", Static).update("New chat")
        self._show_cost(None)
        self.query_one("#chat-passage").display = False
        self.notice(WELCOME)
        self.call_after_refresh(self._clear_log)
        self.prompt.focus()

    def action_toggle_focus(self) -> None:
        if self.prompt.has_focus:
            self.chat_list.options.focus()
        else:
            self.prompt.focus()

    # -- asking -------------------------------------------------------------------------------

    @on(Input.Submitted, "#chat-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        question = event.value.strip()
        if not question:
            return
        if self.is_streaming:
            self.notice("Claude is still answering: press esc to stop the reply first.")
            return
        problem = needs_key_message(self.app)
        if problem is not None:
            self.notice(problem, error=True)  # the question stays in the box
            return
        self.prompt.remember(question)
        self.prompt.value = ""
        self.notice("")
        self._stream = self.ask(question)

    @on(Input.Changed, "#chat-input")
    def _typed(self) -> None:
        if self.blocks is not None:
            self.blocks.yield_to_typing()  # the echo first, then the reply's next lines

    @property
    def is_streaming(self) -> bool:
        return self._stream is not None and self._stream.is_running

    @work(
        exclusive=True,
        group="chat-stream",
        name="chat-reply",
        exit_on_error=False,
        description="Claude's reply",
    )
    async def ask(self, question: str) -> None:
        try:
            await self._consume(await self._question_stream(question), question)
        except VerseError as error:  # bad input is refused before anything is saved
            if not self.prompt.value:
                self.prompt.value = question  # give the question back
            self.notice(error.message, error=True)

    async def _question_stream(self, question: str) -> ChatStream:
        if self.chat_id is None and self.draft is not None:
            translation, rng = self.draft
            passage = await verse_app(self).bible.passage(translation, Reference((rng,)))
            self.chat_id = (await self.chats.create_chat(passage)).id
            self.draft = None
        if self.chat_id is None:
            return self.chats.create_standalone_chat_stream(question)
        return self.chats.send_message_stream(self.chat_id, question)

    def action_resume(self) -> None:
        """Continue the last reply when it was cut short or stopped; retry it when it failed."""
        footer = self.log_view.last_footer()
        if footer is None or self.is_streaming:
            return
        if footer.outcome.can_continue or footer.outcome.can_retry:
            self._stream = self.resume(footer.message_id)

    @on(ReplyFooter.ActionChosen)
    def _footer_action(self, event: ReplyFooter.ActionChosen) -> None:
        if not self.is_streaming:
            self._stream = self.resume(event.message_id)

    @work(
        exclusive=True,
        group="chat-stream",
        name="chat-continue",
        exit_on_error=False,
        description="Continuing the reply",
    )
    async def resume(self, message_id: int) -> None:
        problem = needs_key_message(self.app)
        if problem is not None:
            self.notice(problem, error=True)
            return
        self.notice("")
        saved = await self.chats.get_message(message_id)
        stream = self.chats.continue_message_stream(message_id)
        await self._consume(stream, None, saved.text, saved.tool_summaries, saved.citations)

    async def _consume(
        self,
        stream: ChatStream,
        question: str | None,
        prefix: str = "",
        tools: tuple[str, ...] = (),
        citations: tuple[Citation, ...] = (),
    ) -> None:
        """Show a reply as it streams; on cancel, show what the service kept."""
        log, blocks, message_id = self.log_view, None, None
        try:
            async with aclosing(stream) as events:
                async for event in events:
                    if isinstance(event, StreamStarted):
                        message_id = event.message_id
                        self.chat_id = event.chat_id
                        if question is not None and event.user_message_id is not None:
                            await log.add_question(question, event.user_message_id)
                        blocks = self.blocks = await log.start_reply(
                            message_id, prefix, tools, citations
                        )
                    elif isinstance(event, ToolUsed):
                        if message_id is not None:  # (always: StreamStarted comes first)
                            log.tool_used(message_id, event.summary)
                    elif isinstance(event, CitationsChecked):
                        if message_id is not None:
                            log.citations_checked(message_id, event.citations)
                    elif isinstance(event, StreamFinished | StreamFailed):
                        await self._ended(message_id, blocks, event)
                    elif blocks is not None:
                        blocks.write(event.text)
        except BaseException:
            if message_id is not None and blocks is not None:
                await self._stopped(message_id, blocks)
            raise
        finally:
            self.blocks = None
            self.refresh_list()

    async def _ended(
        self,
        message_id: int | None,
        blocks: ReplyBlocks | None,
        event: StreamFinished | StreamFailed,
    ) -> None:
        if message_id is None or blocks is None:
            return
        if isinstance(event, StreamFinished):
            await blocks.finish(event.text)
            outcome = ReplyOutcome(
                "complete",
                event.was_truncated,
                event.input_tokens,
                event.output_tokens,
                event.model,
            )
        else:
            await blocks.finish(event.partial_text)
            outcome = ReplyOutcome("failed", error=event.message)
        self.log_view.decorate(message_id, again=True)  # every block shows: the last marks
        footer = self.log_view.footer(message_id)
        if footer is not None:
            footer.show(outcome)

    async def _stopped(self, message_id: int, blocks: ReplyBlocks) -> None:
        """After a cancel: the reply as the service saved it, marked as stopped."""
        if blocks.detached:
            return
        saved = await self.chats.get_message(message_id)
        await blocks.finish(saved.text)
        self.log_view.decorate(message_id, again=True)
        footer = self.log_view.footer(message_id)
        if footer is not None:
            footer.show(ReplyOutcome.of(saved))

    def stop_reply(self) -> None:
        """Stop the reply streaming now, if any (the service keeps its partial text)."""
        stream = self._stream
        if stream is not None and stream.is_running:  # as `is_streaming`, narrowed for mypy
            stream.cancel()

    def action_stop(self) -> None:
        if self.is_streaming:
            self.stop_reply()
        else:
            self.prompt.focus()
