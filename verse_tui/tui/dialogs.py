"""Small modal dialogs shared by the study and device screens: confirm, and ask for a line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static


class ConfirmModal(ModalScreen[bool]):
    """Asks a yes/no question; returns True only when the user confirms."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "dismiss(False)", "Cancel"),
        Binding("y", "dismiss(True)", "Yes"),
    ]

    def __init__(self, title: str, question: str, confirm: str = "Delete") -> None:
        super().__init__(classes="picker")
        self._title, self._question, self._confirm = title, question, confirm

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self._title, classes="dialog-title", markup=False)
            yield Static(self._question, markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self._confirm} (y)", id="confirm", variant="error")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#confirm")
    def _confirmed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.dismiss(False)


class TextPromptModal(ModalScreen[str | None]):
    """Asks for one line of text (a new name, a code); returns it, or None if cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, value: str = "", *, help: str = "", placeholder: str = ""):
        super().__init__(classes="picker")
        self._title, self._value, self._help, self._placeholder = title, value, help, placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self._title, classes="dialog-title", markup=False)
            yield Input(self._value, placeholder=self._placeholder, id="prompt-value")
            if self._help:
                yield Static(self._help, classes="dialog-help", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)


def confirm_then(
    app: App[Any], title: str, question: str, action: Callable[[], object], confirm: str = "Delete"
) -> None:
    """Ask `question`; run `action()` only when the user confirms."""

    def answered(yes: bool | None) -> None:
        if yes:
            action()

    app.push_screen(ConfirmModal(title, question, confirm), answered)


def rename_then(app: App[Any], title: str, current: str, rename: Callable[[str], object]) -> None:
    """Ask for a new name (starting from `current`); run `rename(name)` only for a real change."""

    def answered(name: str | None) -> None:
        if name is not None and name.strip() and name != current:
            rename(name)

    app.push_screen(TextPromptModal(title, current), answered)
