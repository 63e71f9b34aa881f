"""The Chat screen's verse references: a click on one in a reply opens the reader there, and
ctrl+o lists every reference of the chat to choose one.

A base class of `ChatScreen` (a `Screen`, so Textual registers its `@on` handlers).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.screen import Screen

from verse_tui.domain.bible import Reference, VerseRange
from verse_tui.tui.chat.chat_log import ChatLog, ReplyFooter
from verse_tui.tui.host import verse_app


class ReferenceActions(Screen[None]):
    """Opening the references of replies in the reader, for `ChatScreen`."""

    # Provided by ChatScreen:
    notice: Callable[..., None]
    if TYPE_CHECKING:

        @property
        def log_view(self) -> ChatLog: ...

    @on(ChatLog.ReferenceClicked)
    def _reference_clicked(self, event: ChatLog.ReferenceClicked) -> None:
        self.open_in_reader(event.range)

    def open_in_reader(self, rng: VerseRange) -> None:
        verse_app(self).reader().go_to_reference(Reference((rng,)))

    def action_references(self) -> None:
        from verse_tui.tui.chat.reference_picker import ReferencePicker
        from verse_tui.tui.chat.references import cited

        found: list[tuple[str, VerseRange]] = []
        for footer in reversed(list(self.log_view.query(ReplyFooter).results(ReplyFooter))):
            for _text, rng, label in cited(self.log_view.reply_text(footer.message_id)):
                if all(rng != seen for _, seen in found):
                    found.append((label, rng))
        if not found:
            self.notice("No verse references in this chat yet.")
            return

        def chosen(rng: VerseRange | None) -> None:
            if rng is not None:
                self.open_in_reader(rng)

        self.app.push_screen(ReferencePicker(found), chosen)
