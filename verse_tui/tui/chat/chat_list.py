"""`ChatList`: the user's chats, newest first, with a search box over titles and messages."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from verse_tui.domain.chat import ChatSummary, MessageSearchHit
from verse_tui.domain.text import terminal_safe

NEW_CHAT = "new"


def _label(chat: ChatSummary) -> Content:
    about = chat.reference or "Any topic"
    when = chat.updated_at.strftime("%d %b %H:%M")
    return Content.assemble(terminal_safe(chat.title), "\n", (f"{about} · {when}", "dim"))


class ChatOptions(OptionList):
    """The list itself: enter opens, r renames, d deletes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "rename", "Rename"),
        Binding("d,delete", "delete", "Delete"),
    ]

    def _chosen_id(self) -> int | None:
        option = self.highlighted_option
        if option is None or option.id in (None, NEW_CHAT):
            return None
        return int(option.id.split("-")[0])

    def action_rename(self) -> None:
        chat_id = self._chosen_id()
        if chat_id is not None:
            self.post_message(ChatList.RenameRequested(chat_id))

    def action_delete(self) -> None:
        chat_id = self._chosen_id()
        if chat_id is not None:
            self.post_message(ChatList.DeleteRequested(chat_id))


class ChatList(Vertical):
    """Search box and list. Posts `Chosen` (None: a new chat), `RenameRequested`,
    `DeleteRequested` and `SearchSubmitted`; the screen calls the services."""

    class Chosen(Message):
        def __init__(self, chat_id: int | None) -> None:
            super().__init__()
            self.chat_id = chat_id

    class RenameRequested(Message):
        def __init__(self, chat_id: int) -> None:
            super().__init__()
            self.chat_id = chat_id

    class DeleteRequested(Message):
        def __init__(self, chat_id: int) -> None:
            super().__init__()
            self.chat_id = chat_id

    class SearchSubmitted(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.chats: tuple[ChatSummary, ...] = ()

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Search chats (enter: in messages too)", id="chat-search")
        yield ChatOptions(id="chat-options")

    @property
    def options(self) -> ChatOptions:
        return self.query_one(ChatOptions)

    def show_chats(self, chats: tuple[ChatSummary, ...], current: int | None = None) -> None:
        self.chats = chats
        self._fill(chats, current)

    def show_hits(self, hits: tuple[MessageSearchHit, ...]) -> None:
        """Chats whose messages matched a search, with the matching words."""
        options = self.options
        options.clear_options()
        if not hits:
            options.add_option(Option("No message matches.", disabled=True))
            return
        for n, hit in enumerate(hits):
            title, snippet = terminal_safe(hit.chat_title), terminal_safe(hit.snippet)
            text = Content.assemble(title, "\n", (snippet, "dim"))
            options.add_option(Option(text, id=f"{hit.message.chat_id}-hit{n}"))

    def _fill(self, chats: tuple[ChatSummary, ...], current: int | None) -> None:
        options = self.options
        options.clear_options()
        options.add_option(Option("+ New chat", id=NEW_CHAT))
        options.add_options(Option(_label(chat), id=str(chat.id)) for chat in chats)
        if current is not None:
            for index, chat in enumerate(chats, start=1):
                if chat.id == current:
                    options.highlighted = index

    @on(Input.Changed, "#chat-search")
    def _filter(self, event: Input.Changed) -> None:
        words = event.value.lower().split()
        shown = tuple(c for c in self.chats if all(w in c.title.lower() for w in words))
        self._fill(shown, None)

    @on(Input.Submitted, "#chat-search")
    def _search(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(self.SearchSubmitted(event.value))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id
        if option_id == NEW_CHAT:
            self.post_message(self.Chosen(None))
        elif option_id is not None:
            self.post_message(self.Chosen(int(option_id.split("-")[0])))
