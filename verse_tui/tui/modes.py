"""The app's places: Reading, Chat and Insights, each a Textual mode.

A place names its screen as `"package.module:ClassName"` (a `Screen` that takes no
constructor arguments and reads what it needs from `VerseApp.services`) and the `Services`
attribute it needs. The screen's module is imported only when the place is first opened, so
`anthropic` stays out of the reader's start-up. A place chosen while the library is still
opening opens once it is ready; one whose module or service is missing from this build shows
a plain explanation instead of a screen (`VerseApp.action_open_place`).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True, slots=True)
class Place:
    """One top-level place in the app."""

    name: str  # the Textual mode name
    title: str
    key: str  # the binding that opens it
    screen: str  # "package.module:ClassName", imported when first opened
    service: str | None = None  # the `Services` attribute it needs, if any
    about: str = ""

    @property
    def module(self) -> str:
        return self.screen.partition(":")[0]

    def is_installed(self) -> bool:
        """Whether the screen's module exists in this build (checked without importing it)."""
        from importlib.util import find_spec

        try:
            return find_spec(self.module) is not None
        except ModuleNotFoundError:
            return False

    def load(self) -> type:
        """Import and return the screen class."""
        module, _, name = self.screen.partition(":")
        screen_class: type = getattr(import_module(module), name)
        return screen_class


READING = Place(
    "reading",
    "Reading",
    "f2",
    "verse_tui.tui.reading.screen:ReadingScreen",
    about="read, search, highlight and take notes",
)
CHAT = Place(
    "chat",
    "Chat",
    "f3",
    "verse_tui.tui.chat.screen:ChatScreen",
    service="chats",
    about="talk a passage through with Claude",
)
INSIGHTS = Place(
    "insights",
    "Insights",
    "f4",
    "verse_tui.tui.insights.screen:InsightsScreen",
    service="insights",
    about="insights on a passage and word definitions",
)
PLACES: tuple[Place, ...] = (READING, CHAT, INSIGHTS)


def place(name: str) -> Place:
    for candidate in PLACES:
        if candidate.name == name:
            return candidate
    raise KeyError(name)
