"""`VerseApp`: the Textual application shell.

Dependencies are injected: the settings, a `BibleService` (cheap: plain sqlite3, so the
chapter paints at once) and an async loader for the full `Services` (user database,
migrations, later chats and insights), which runs in a worker after the first chapter is on
screen. A study action chosen until it finishes waits for it (`library_opening.py`); other
features that need the user database say so instead of failing.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.signal import Signal

from verse_tui.domain.bible import Passage, VerseRange, VerseRef
from verse_tui.domain.user import DEFAULT_THEME, Preferences, ReadingPosition
from verse_tui.tui import modes
from verse_tui.tui.library_opening import PendingStudy
from verse_tui.tui.start_hint import StartHint, write_hint
from verse_tui.tui.themes import VERSE_THEMES
from verse_tui.tui.worker_errors import ServiceCalls, describe

if TYPE_CHECKING:
    from verse_tui.app_factory import Services
    from verse_tui.config import Settings
    from verse_tui.services.bible import BibleService
    from verse_tui.services.users import UserService
    from verse_tui.tui.reading.screen import ReadingScreen

FIRST_RUN = VerseRef(43, 1, 1)
"""Where a new reader starts: John 1."""


@dataclass(frozen=True, slots=True)
class Opening:
    """What the first frame shows, read before the event loop starts (all optional but ref)."""

    translation: str
    ref: VerseRef = FIRST_RUN
    passage: Passage | None = None  # the chapter of `ref` in `translation`
    parallel: Passage | None = None  # the same chapter in the side-by-side translation
    theme: str | None = None


LIBRARY_DELAY = 0.2
"""Seconds between the first chapter on screen and opening the library. Importing SQLAlchemy
in its thread holds the GIL; started at once, it delayed the first frames reaching the
terminal by tens of milliseconds (measured in tmux, tests/benchmarks/bench_tui.py)."""

ServicesLoader = Callable[[], Awaitable["Services"]]
"""Returns the app factory's `Services` (with `.bible`, `.users`, ... and `aclose()`)."""


@dataclass(frozen=True, slots=True)
class LibraryReady:
    """What the user database said at start-up: preferences and where reading stopped."""

    preferences: Preferences
    position: ReadingPosition | None


def _reference_provider() -> type:
    from verse_tui.tui.commands import ReferenceCommands

    return ReferenceCommands


def _book_provider() -> type:
    from verse_tui.tui.commands import BookCommands

    return BookCommands


def _translation_provider() -> type:
    from verse_tui.tui.commands import TranslationCommands

    return TranslationCommands


def _verse_provider() -> type:
    from verse_tui.tui.commands import VerseCommands

    return VerseCommands


class VerseApp(PendingStudy, ServiceCalls, App[None]):
    """Read, search and study the Bible."""

    TITLE = "Verse"
    CSS_PATH: ClassVar[list[str | PurePath]] = [
        "styles/app.tcss",
        "styles/reading.tcss",
    ]
    DEFAULT_MODE = "reading"  # its screen comes from `get_default_screen` (see there)
    COMMANDS: ClassVar[set[Any]] = App.COMMANDS | {
        _reference_provider,
        _book_provider,
        _translation_provider,
        _verse_provider,
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark,f1", "help", "Help", key_display="?"),
        *(
            Binding(place.key, f"open_place('{place.name}')", place.title, show=False)
            for place in modes.PLACES
        ),
    ]

    def __init__(
        self,
        settings: Settings,
        bible: BibleService,
        load_services: ServicesLoader,
        *,
        opening: Opening | None = None,
        library_delay: float = LIBRARY_DELAY,
    ) -> None:
        super().__init__()
        self.library_delay = library_delay  # tests pass 0: nothing to keep the GIL free for
        self.settings = settings
        self.bible = bible
        self.opening = opening or Opening(settings.translation)
        self.translation = self.opening.translation
        self._hint: StartHint | None = None
        self.reading_screen: ReadingScreen | None = None  # set by the screen when mounted
        self._load_services = load_services
        self.services: Services | None = None
        self.services_error: str | None = None
        self.preferences: Preferences | None = None
        self.library_ready_signal: Signal[LibraryReady] = Signal(self, "library-ready")
        self._loading_started = False
        self._unsaved_position: tuple[str, VerseRef] | None = None
        for theme in VERSE_THEMES:
            self.register_theme(theme)
        wanted = self.opening.theme
        self.theme = wanted if wanted in self.available_themes else DEFAULT_THEME

    def get_default_screen(self) -> Screen[Any]:
        """The reading screen, first screen of the "reading" mode.

        Not declared in MODES on purpose: Textual awaits the mount of a MODES screen inside
        its start-up batch, which drops the first frame (the chapter then shows one layout,
        20-30 ms, later); the default screen is mounted after the batch. The mode is
        registered here, once its stack exists, so `switch_mode("reading")` works.
        """
        screen_class = modes.READING.load()
        if modes.READING.name not in self._modes:
            self.add_mode(modes.READING.name, screen_class)
        screen: Screen[Any] = screen_class()
        return screen

    # -- the user database ---------------------------------------------------------------

    @property
    def users(self) -> UserService | None:
        """The user service once the library is open, else None."""
        return None if self.services is None else self.services.users

    def library_status(self) -> str | None:
        """None when the user database is ready; otherwise why a feature cannot run yet."""
        if self.services is not None:
            return None
        if self.services_error is not None:
            return f"Your notes and bookmarks are unavailable: {self.services_error}"
        return "Your library is still opening; try again in a moment."

    def library_ready_or_warn(self) -> bool:
        """True when the user database is open; otherwise say why (a warning) and False."""
        status = self.library_status()
        if status is not None:
            self.notify(status, severity="warning", timeout=5)
        return status is None

    def chapter_painted(self) -> None:
        """Called by the reader once the first chapter is on screen: open the library soon."""
        if not self._loading_started:
            self._loading_started = True
            # `run_app` keeps the collector off until the first paint. Everything allocated so
            # far lives as long as the app: freeze it first, or the first collection scans it
            # all (~30 ms, holding back the writer thread that sends the first frame).
            gc.freeze()
            gc.enable()
            if self.library_delay > 0:
                self.set_timer(self.library_delay, self.open_library)
            else:  # Textual's timers take no zero interval
                self.call_later(self.open_library)

    @work(
        exclusive=True,
        group="services",
        name="open-library",
        exit_on_error=False,
        description="Opening your library",
    )
    async def open_library(self) -> None:
        try:
            services = await self._load_services()
        except Exception as error:
            self.services_error = describe(error)
            self.run_pending_study()  # closes the "opening" notice; the error is reported
            raise
        self.services = services
        for warning in services.warnings:
            self.notify(warning, title="Your library", severity="warning", timeout=15)
        preferences = await services.users.get_preferences()
        position = await services.users.get_reading_position()
        self.preferences = preferences
        if preferences.theme in self.available_themes:
            self.theme = preferences.theme
        self.theme_changed_signal.subscribe(self, self._save_theme)
        self.library_ready_signal.publish(LibraryReady(preferences, position))
        if self._unsaved_position is not None:  # the reader moved while the library opened
            self._save_position()
        self.run_pending_study()
        await services.build_all()  # chat, insights, ...: ready before the reader asks
        # Start-up is over: what exists now lives as long as the app. Freezing it keeps full
        # garbage collections from rescanning it (80-100 ms pauses measured mid page turn).
        gc.freeze()

    def _save_theme(self, theme: Any) -> None:
        if self.preferences is not None and theme.name != self.preferences.theme:
            self.update_preferences(theme=theme.name)

    @work(
        group="preferences",
        name="save-preferences",
        exit_on_error=False,
        description="Saving your preferences",
    )
    async def update_preferences(self, **changes: Any) -> None:
        if self.users is not None:
            self.preferences = await self.users.update_preferences(**changes)

    def remember_position(
        self, translation: str, ref: VerseRef, parallel_translation: str | None = None
    ) -> None:
        """Note where the reader is; saved shortly after (one write per pause, not per key)."""
        self._unsaved_position = (translation, ref)
        self._hint = StartHint(translation, ref, None, parallel_translation)
        if self.users is not None:
            self._save_position()

    @work(
        exclusive=True,
        group="position",
        name="save-position",
        exit_on_error=False,
        description="Saving your reading position",
    )
    async def _save_position(self) -> None:
        await asyncio.sleep(0.4)
        await self._flush_position()

    async def _flush_position(self) -> None:
        pending, self._unsaved_position = self._unsaved_position, None
        if pending is not None and self.users is not None:
            await self.users.set_reading_position(*pending)

    async def on_unmount(self) -> None:
        if self._hint is not None:
            hint = StartHint(
                self._hint.translation,
                self._hint.ref,
                self.theme,
                self._hint.parallel_translation,
            )
            with contextlib.suppress(OSError):  # only a hint: the database has the truth
                await asyncio.to_thread(write_hint, self.settings.home, hint)
        if self.services is None:
            return
        try:
            await self._flush_position()
        finally:
            await self.services.aclose()

    # -- places, help --------------------------------------------------------------------

    def action_open_place(self, name: str) -> None:
        """Open Reading, Chat or Insights, or say plainly why it cannot open yet."""
        place = modes.place(name)
        if name in self._modes:
            self.switch_mode(name)
            return
        if place.service is not None and self.services is None and place.is_installed():
            self.run_when_library_ready(place.title, lambda: self.action_open_place(name))
            return
        problem = self._place_problem(place)
        if problem is not None:
            self.notify(problem, title=place.title, severity="warning", timeout=6)
            return
        self.add_mode(name, place.load())
        self.switch_mode(name)

    def _place_problem(self, place: modes.Place) -> str | None:
        if not place.is_installed():
            return (
                f"{place.title} ({place.about}) is not part of this version of Verse yet. "
                "Reading, search, highlights and notes all work: press F2."
            )
        if place.service is None:
            return None
        status = self.library_status()
        if status is not None:
            return status
        if getattr(self.services, place.service, None) is None:
            return f"{place.title} needs a service this installation does not provide."
        return None

    def reader(self) -> ReadingScreen:
        """The reading screen, brought to the front (switching back to Reading if needed)."""
        if self.current_mode != "reading":
            self.switch_mode("reading")
        while len(self.screen_stack) > 1:
            self.pop_screen()
        return cast("ReadingScreen", self.screen_stack[0])

    def reading_selection(self) -> tuple[str, VerseRange] | None:
        """The translation and the verses selected in the reader (for Chat and Insights)."""
        screen = self.reading_screen
        if screen is None or not screen.view.selection.refs:
            return None
        return screen.translation, screen.view.selection.range

    def action_help(self) -> None:
        from verse_tui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())
