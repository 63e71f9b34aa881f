"""The chat list's actions on the Chat screen: rename, delete (confirmed), search messages.

A base class of `ChatScreen` (a `Screen`, so Textual registers its `@on` handlers).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on, work
from textual.screen import Screen
from textual.widgets import Static

from verse_tui.domain.text import terminal_safe
from verse_tui.tui.chat.chat_list import ChatList
from verse_tui.tui.host import services

if TYPE_CHECKING:
    from verse_tui.domain.chat import ChatSummary
    from verse_tui.services.chats import ChatService


class ChatListActions(Screen[None]):
    """Rename, delete and search, for `ChatScreen`."""

    chat_id: int | None

    @property
    def chats(self) -> ChatService:
        return services(self).chats

    @property
    def chat_list(self) -> ChatList:
        return self.query_one(ChatList)

    # Provided by ChatScreen:
    refresh_list: Callable[[], object]
    action_new_chat: Callable[[], None]

    def _listed(self, chat_id: int) -> ChatSummary | None:
        """The chat as the list shows it (None if it has gone from the list)."""
        return next((c for c in self.chat_list.chats if c.id == chat_id), None)

    @on(ChatList.RenameRequested)
    def _rename(self, event: ChatList.RenameRequested) -> None:
        from verse_tui.tui.dialogs import rename_then

        chat = self._listed(event.chat_id)
        title = terminal_safe(chat.title) if chat else ""
        rename_then(
            self.app, "Rename the chat", title, lambda value: self._save_title(event.chat_id, value)
        )

    @work(
        group="chat-writes",
        name="rename-chat",
        exit_on_error=False,
        description="Renaming the chat",
    )
    async def _save_title(self, chat_id: int, title: str) -> None:
        summary = await self.chats.rename_chat(chat_id, title)
        if chat_id == self.chat_id:
            self.query_one("#chat-title", Static).update(terminal_safe(summary.title))
        self.refresh_list()

    @on(ChatList.DeleteRequested)
    def _delete(self, event: ChatList.DeleteRequested) -> None:
        from verse_tui.tui.dialogs import confirm_then

        chat = self._listed(event.chat_id)
        name = terminal_safe(chat.title) if chat else f"chat {event.chat_id}"
        question = f"Delete “{name}” and all its messages? This cannot be undone."
        confirm_then(
            self.app, "Delete the chat", question, lambda: self._delete_chat(event.chat_id)
        )

    @work(
        group="chat-writes",
        name="delete-chat",
        exit_on_error=False,
        description="Deleting the chat",
    )
    async def _delete_chat(self, chat_id: int) -> None:
        await self.chats.delete_chat(chat_id)
        if chat_id == self.chat_id:
            self.action_new_chat()
        self.refresh_list()

    @on(ChatList.SearchSubmitted)
    def _search(self, event: ChatList.SearchSubmitted) -> None:
        self._search_messages(event.query)

    @work(
        exclusive=True,
        group="chat-search",
        name="search-chats",
        exit_on_error=False,
        description="Searching your chats",
    )
    async def _search_messages(self, query: str) -> None:
        self.chat_list.show_hits(await self.chats.search_messages(query))
        self.chat_list.options.focus()
