"""A study action chosen while the library is still opening waits for it, visibly.

`PendingStudy` (mixed into `VerseApp`) keeps the latest such action and runs it once the
library is ready. Meanwhile `LibraryOpeningModal` sits over the reader: it says what is
opening, keeps the text typed in the meantime (handed to the text box of the place that
opens, e.g. Chat's question), and keeps the keys away from the reader, where `i` or `c`
would start something else. Escape cancels the wait.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

HANDOVER_TRIES = 50
"""Refreshes to wait for the opened place to focus its text box before giving up."""


class LibraryOpeningModal(ModalScreen[None]):
    """ "Opening your library… Chat opens when it is ready." Typed text is kept."""

    DEFAULT_CSS = """
    LibraryOpeningModal {
        align: center middle;
    }
    LibraryOpeningModal > Vertical {
        width: auto;
        max-width: 70;
        height: auto;
        padding: 1 3;
        border: round $accent;
        background: $panel;
    }
    LibraryOpeningModal #opening-typed {
        color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label
        self.typed = ""

    def compose(self) -> Any:
        with Vertical():
            yield Static(self._message(), id="opening-message")
            yield Static("", id="opening-typed")

    def _message(self) -> str:
        return f"Opening your library…\n{self.label} opens as soon as it is ready. Esc cancels."

    def set_label(self, label: str) -> None:
        self.label = label
        if self.is_mounted:
            self.query_one("#opening-message", Static).update(self._message())

    def on_key(self, event: events.Key) -> None:
        """Keep typed text for the place that opens; no key reaches the reader meanwhile."""
        if event.key == "escape":
            return
        event.stop()
        event.prevent_default()
        if event.key == "backspace":
            self.typed = self.typed[:-1]
        elif event.is_printable and event.character:
            self.typed += event.character
        else:
            return
        typed = self.query_one("#opening-typed", Static)
        typed.update(f"Typed so far: {self.typed}" if self.typed else "")

    def action_cancel(self) -> None:
        self.app.cancel_pending_study()  # type: ignore[attr-defined]


class PendingStudy:
    """Mixin for `VerseApp`: run a study action now, or once the library is open."""

    services: Any
    services_error: str | None
    _pending_study: tuple[str, Callable[[], Any]] | None = None

    def run_when_library_ready(self, label: str, action: Callable[[], Any]) -> None:
        """Run `action` if the library is open; if it is opening, run it when it is (the
        latest choice wins) and show so; if it failed to open, say why."""
        app: Any = self
        if self.services is not None:
            action()
            return
        if self.services_error is not None:
            app.notify(app.library_status(), severity="warning", timeout=5)
            return
        self._pending_study = (label, action)
        modal = self._opening_modal()
        if modal is None:
            app.push_screen(LibraryOpeningModal(label))
        else:
            modal.set_label(label)

    def cancel_pending_study(self) -> None:
        self._pending_study = None
        self._close_opening_modal()

    def run_pending_study(self) -> None:
        """Called once the library is open (or failed to): run what was waiting for it."""
        pending, self._pending_study = self._pending_study, None
        typed = self._close_opening_modal()
        if pending is None or self.services is None:
            return  # nothing waiting, or the failure is reported by the worker handler
        app: Any = self
        app.call_later(self._run_pending, pending[1], typed)

    def _run_pending(self, action: Callable[[], Any], typed: str) -> None:
        action()
        if typed:
            self._hand_over(typed, HANDOVER_TRIES)

    def _hand_over(self, typed: str, tries: int) -> None:
        """Put the text typed while waiting into the focused text box, once there is one.

        It goes first: anything already in the box was typed after it, once the box had focus.
        """
        from textual.widgets import Input, TextArea  # not on the reader's start-up path

        app: Any = self
        focused = app.focused
        if isinstance(focused, Input):
            focused.insert(typed, 0)
            focused.cursor_position = len(focused.value)
        elif isinstance(focused, TextArea):
            focused.insert(typed, (0, 0))
        elif tries > 0:
            app.call_after_refresh(self._hand_over, typed, tries - 1)

    def _opening_modal(self) -> LibraryOpeningModal | None:
        screen = getattr(self, "screen", None)
        return screen if isinstance(screen, LibraryOpeningModal) else None

    def _close_opening_modal(self) -> str:
        modal = self._opening_modal()
        if modal is None:
            return ""
        modal.dismiss()
        return modal.typed
