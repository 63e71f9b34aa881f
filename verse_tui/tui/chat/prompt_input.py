"""`PromptInput`: the question box, with the questions asked before on up/down."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input


class PromptInput(Input):
    """An `Input` that remembers what was sent: up/down walk back and forth through it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "history(-1)", "Earlier question", show=False),
        Binding("down", "history(1)", "Later question", show=False),
    ]

    def __init__(
        self, *, placeholder: str = "", id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(placeholder=placeholder, id=id, classes=classes)
        self.history: list[str] = []
        self._position = 0
        self._draft = ""

    def remember(self, text: str) -> None:
        """Add a sent question (the newest last); the walk restarts from the draft."""
        if text and (not self.history or self.history[-1] != text):
            self.history.append(text)
        self._position = len(self.history)
        self._draft = ""

    def load_history(self, questions: list[str]) -> None:
        self.history = list(questions)
        self._position = len(self.history)

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        if self._position == len(self.history):
            self._draft = self.value
        self._position = max(0, min(len(self.history), self._position + step))
        text = self._draft if self._position == len(self.history) else self.history[self._position]
        self.value = text
        self.cursor_position = len(text)
