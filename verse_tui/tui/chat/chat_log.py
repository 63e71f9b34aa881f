"""`ChatLog`: the conversation, a scrolling column of questions, reply blocks and footers.

A message is not one widget: a reply's finished Markdown blocks sit in `BlockGroup`s in the
log and its growing block directly in the log (see `streaming_markdown.py` for why), all
tagged with the class `m-<message id>`, followed by its `ReplyFooter` (status, quiet token
counts, Continue / Retry).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Static

from verse_tui.domain.bible import VerseRange
from verse_tui.domain.chat import Chat, ChatMessage
from verse_tui.domain.citations import Citation
from verse_tui.domain.text import terminal_safe
from verse_tui.tui.chat.citation_view import CitationMarks, CitationView, tag
from verse_tui.tui.chat.references import parse_href
from verse_tui.tui.chat.streaming_markdown import (
    BlockGroup,
    ReplyBlock,
    ReplyBlocks,
    blocks_for,
    grouped,
)


@dataclass(frozen=True, slots=True)
class ReplyOutcome:
    """How a reply ended, as its footer shows it."""

    status: str  # complete, cancelled, failed, interrupted, streaming
    truncated: bool = False
    input_tokens: int | None = None
    output_tokens: int | None = None
    model: str | None = None
    error: str | None = None

    @classmethod
    def of(cls, message: ChatMessage) -> ReplyOutcome:
        return cls(
            message.status,
            message.was_truncated,
            message.input_tokens,
            message.output_tokens,
            message.model,
            message.error,
        )

    def label(self) -> str:
        if self.status == "streaming":
            return "Claude is writing… (esc stops)"
        if self.status == "cancelled":
            return "■ Stopped: the partial reply is kept. Continue it with ctrl+r."
        if self.status in ("failed", "interrupted"):
            return f"⚠ {terminal_safe(self.error or 'The reply failed.')}"
        cut = "Cut short at the length limit. " if self.truncated else ""
        return cut + self.tokens()

    def tokens(self) -> str:
        parts = []
        if self.output_tokens is not None:
            parts.append(f"{self.output_tokens:,} tokens")
        if self.input_tokens is not None:
            parts.append(f"{self.input_tokens:,} in")
        if self.model:
            parts.append(self.model)
        return " · ".join(parts)

    @property
    def can_continue(self) -> bool:
        return self.status in ("cancelled", "interrupted") or (
            self.status == "complete" and self.truncated
        )

    @property
    def can_retry(self) -> bool:
        return self.status == "failed"


class UserMessage(Static):
    """One question, as typed."""

    def __init__(self, text: str, message_id: int) -> None:
        safe = terminal_safe(text, multiline=True)
        super().__init__(safe, markup=False, classes=f"user-message {tag(message_id)}")


class ToolLines(Static):
    """Above a reply: one quiet line per local tool Claude called ("read Romans 5:8 (KJV)")."""

    def __init__(self, message_id: int, summaries: tuple[str, ...] = ()) -> None:
        super().__init__("", markup=False, classes=f"tool-lines {tag(message_id)}")
        self.summaries = list(summaries)

    def on_mount(self) -> None:
        self._show()

    def add(self, summary: str) -> None:
        self.summaries.append(summary)
        self._show()

    def _show(self) -> None:
        lines = (f"⚙ {terminal_safe(s)}" for s in self.summaries)
        self.update("\n".join(lines))
        self.display = bool(self.summaries)


class ReplyFooter(Horizontal):
    """Below a reply: how it ended, with Continue or Retry when they apply."""

    class ActionChosen(Message):
        """Continue or Retry was pressed for a reply."""

        def __init__(self, message_id: int, action: str) -> None:
            super().__init__()
            self.message_id = message_id
            self.action = action

    def __init__(self, message_id: int, outcome: ReplyOutcome) -> None:
        super().__init__(classes=f"reply-footer {tag(message_id)}")
        self.message_id = message_id
        self.outcome = outcome

    def compose(self) -> ComposeResult:
        yield Static(self.outcome.label(), classes="reply-status", markup=False)
        yield Button("Continue", classes="continue", compact=True)
        yield Button("Retry", classes="retry", compact=True)

    def on_mount(self) -> None:
        self.show(self.outcome)

    def show(self, outcome: ReplyOutcome) -> None:
        self.outcome = outcome
        self.query_one(".reply-status", Static).update(outcome.label())
        self.query_one(".continue").display = outcome.can_continue
        self.query_one(".retry").display = outcome.can_retry
        self.set_class(outcome.status in ("failed", "interrupted"), "-failed")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        action = "continue" if event.button.has_class("continue") else "retry"
        self.post_message(self.ActionChosen(self.message_id, action))


class ChatLog(CitationView, VerticalScroll):
    """The messages of one chat; follows the bottom while a reply streams, unless scrolled.
    Citation marks, their tooltips and the list they open: `CitationView`."""

    class ReferenceClicked(Message):
        """A verse reference in a reply was clicked."""

        def __init__(self, range: VerseRange) -> None:
            super().__init__()
            self.range = range

    DEFAULT_CLASSES: ClassVar[str] = "chat-log"

    async def show_chat(self, chat: Chat | None) -> None:
        """Replace what is shown with this chat's messages (None: empty)."""
        await self.remove_children()
        self.translation = chat.summary.translation if chat is not None else None
        if chat is None:
            return
        widgets: list[Static | ReplyFooter | BlockGroup] = []
        for message in chat.messages:
            if message.role == "user":
                widgets.append(UserMessage(message.text, message.id))
                continue
            if message.tool_summaries:
                widgets.append(ToolLines(message.id, message.tool_summaries))
            blocks = blocks_for(message.text, tag(message.id))
            widgets.extend(grouped(blocks, tag(message.id)))
            widgets.append(ReplyFooter(message.id, ReplyOutcome.of(message)))
            if message.citations:
                widgets.append(CitationMarks(message.id, message.citations))
        await self.mount_all(widgets)
        for message in chat.messages:
            if message.citations:
                self.decorate(message.id, again=True)
        self.scroll_end(animate=False, immediate=True)

    async def add_question(self, text: str, message_id: int) -> None:
        await self.mount(UserMessage(text, message_id))

    async def start_reply(
        self,
        message_id: int,
        prefix: str = "",
        tools: tuple[str, ...] = (),
        citations: tuple[Citation, ...] = (),
    ) -> ReplyBlocks:
        """A reply about to stream (or continue): its tool lines and citations (those of the
        part already written, if any), its footer, and the blocks to write to."""
        await self.query_children(f".{tag(message_id)}").remove()
        self.forget_marks(message_id)
        footer = ReplyFooter(message_id, ReplyOutcome("streaming"))
        marks = CitationMarks(message_id, citations)
        await self.mount_all([ToolLines(message_id, tools), footer, marks])
        blocks = ReplyBlocks(self, footer, tag(message_id))
        blocks.write(prefix)
        if citations:
            self.decorate_soon(message_id)  # the part already written: marked once shown
        self.anchor()
        return blocks

    def tool_used(self, message_id: int, summary: str) -> None:
        """Show one more tool call of a streaming reply."""
        found = self.query(f"ToolLines.{tag(message_id)}")
        if found:
            found.first(ToolLines).add(summary)

    def footer(self, message_id: int) -> ReplyFooter | None:
        found = self.query(f"ReplyFooter.{tag(message_id)}")
        return found.first(ReplyFooter) if found else None

    def last_footer(self) -> ReplyFooter | None:
        found = self.query(ReplyFooter)
        return found.last(ReplyFooter) if found else None

    def reply_text(self, message_id: int) -> str:
        """The Markdown shown for a reply (references shown as links, text unchanged)."""
        blocks = self.query(f"ReplyBlock.{tag(message_id)}").results(ReplyBlock)
        return "".join(block.raw for block in blocks)

    def on_click(self, event: events.Click) -> None:
        link = getattr(event.style, "link", None)
        target = parse_href(link) if link else None
        if target is not None:
            event.stop()
            self.post_message(self.ReferenceClicked(target))
        elif link and self.cite_clicked(link):
            event.stop()
