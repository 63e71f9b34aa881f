"""The go-to box: takes whatever the reference parser takes ("jn 3:16", "1 cor 13")."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

from verse_tui.domain.bible import Reference
from verse_tui.errors import InputError
from verse_tui.tui.host import verse_app


class GoToBar(Horizontal):
    """An input that parses a reference on Enter and shows a parse error in place."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("tab", "accept_suggestion", "Use the suggestion", show=False),
    ]
    _suggestion: str | None = None

    DEFAULT_CSS = """
    GoToBar {
        height: auto;
        display: none;
        background: $panel;
        padding: 0 1;
        &.-open { display: block; }
        & > #goto-label { width: auto; padding: 0 1 0 0; text-style: bold; }
        & > Input { width: 32; }
        & > #goto-error { width: 1fr; height: auto; padding: 0 0 0 2; color: $error; }
    }
    """

    class Submitted(Message):
        """The user typed a reference that parses."""

        def __init__(self, reference: Reference, text: str) -> None:
            super().__init__()
            self.reference = reference
            self.text = text

    class Closed(Message):
        """The go-to box was closed without going anywhere."""

    def compose(self) -> ComposeResult:
        yield Static("Go to", id="goto-label")
        yield Input(placeholder="jn 3:16, 1 cor 13, ps 23", id="goto-input", compact=True)
        yield Static("", id="goto-error", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one("#goto-input", Input)

    def open(self) -> None:
        self.add_class("-open")
        self.show_error("")
        self.input.value = ""
        # At once, not after the queued events (`focus()` waits for them): keys typed right
        # after "g" in the same read are already queued, and must reach the box, not the
        # reader ("n" would turn the page).
        self.screen.set_focus(self.input)

    def action_close(self) -> None:
        self.remove_class("-open")
        self.post_message(self.Closed())

    def show_error(self, text: str) -> None:
        self.query_one("#goto-error", Static).update(text)

    def action_accept_suggestion(self) -> None:
        if self._suggestion:
            self.input.value = self._suggestion
            self.input.cursor_position = len(self._suggestion)
            self._suggestion = None

    @on(Input.Changed, "#goto-input")
    def _clear_error(self) -> None:
        self.show_error("")

    @on(Input.Submitted, "#goto-input")
    def _parse(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.action_close()
            return
        try:
            reference = verse_app(self).bible.parse(text)
        except InputError as error:
            self._suggestion = getattr(error, "suggestion", None)
            hint = f" Tab: use “{self._suggestion}”." if self._suggestion else ""
            self.show_error(error.message + hint)
            return
        self.remove_class("-open")
        self.post_message(self.Submitted(reference, text))
