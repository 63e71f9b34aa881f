"""The bottom line: the keys that matter here, clickable. One widget, painted by `render`.

Textual's `Footer` builds a widget per key (~15 here) and rebuilds them on every focus
change; at start-up that cost more than everything else the reader mounts. This bar paints
the same bindings as one line of text and maps a click back to its key.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widget import Widget


class KeyBar(Widget):
    """Shows the active bindings marked `show=True`; clicking one presses its key."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $panel;
        color: $text-muted;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spans: list[tuple[int, int, str]] = []  # start, end, key

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, lambda _screen: self.refresh())

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def shown_bindings(self) -> tuple[list[Binding], list[Binding]]:
        """The bindings on show, one per action: the focused place's, then the app's."""
        seen: set[str] = set()
        local: list[Binding] = []
        app_wide: list[Binding] = []
        for node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.show and enabled and binding.action not in seen:
                seen.add(binding.action)
                (app_wide if node is self.app else local).append(binding)
        return local, app_wide

    def render(self) -> Text:
        """The focused place's keys on the left (cut short if need be), the app's on the right."""
        local, app_wide = self.shown_bindings()
        left, left_spans = self._keys(local)
        right, right_spans = self._keys(app_wide)
        room = max(self.content_region.width - right.cell_len - 1, 0)
        if left.cell_len > room:
            left.truncate(max(room - 1, 0))
            left.append("…")
            left_spans = [span for span in left_spans if span[1] < room]
        gap = room - left.cell_len
        self._spans = left_spans + [(a + room, b + room, key) for a, b, key in right_spans]
        return Text.assemble(left, " " * gap, right, " ", no_wrap=True)

    def _keys(self, bindings: list[Binding]) -> tuple[Text, list[tuple[int, int, str]]]:
        """ "key description" pairs, and where each one is (for clicks)."""
        text = Text(no_wrap=True)
        spans: list[tuple[int, int, str]] = []
        key_style = f"bold {self.app.current_theme.accent or ''}".strip()
        for binding in bindings:
            start = text.cell_len
            text.append(f" {self.app.get_key_display(binding)}", style=key_style)
            text.append(f" {binding.description} ")
            spans.append((start, text.cell_len, binding.key.split(",")[0].strip()))
        return text, spans

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
