"""Helpers for driving the real Textual app with Pilot (shared by every TUI test).

- `SIZE`: the terminal size TUI tests run at.
- `test_app(settings)`: the app exactly as `verse` builds it, but opening the library at once
  (`library_delay=0`: the delay only keeps a real terminal's first frames smooth).
- `study_app(settings, llm, clock)`: the same with the services given a fake-backed LLM client.
- `settle`, `until`: wait on conditions (workers done, library open, a predicate), never a
  fixed sleep.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from verse_tui.config import Settings
from verse_tui.tui.app import VerseApp

SIZE = (120, 40)
STEP = 0.02
"""Seconds `until` lets the app run between two looks at its condition."""


def test_app(settings: Settings) -> VerseApp:
    """The app as `verse` builds it (`build_app`), opening the library without a delay."""
    from verse_tui.tui.run import build_app

    return build_app(settings, library_delay=0)


test_app.__test__ = False  # type: ignore[attr-defined]  # a factory, not a test


def study_app(settings: Settings, llm: Any = None, clock: Any = None) -> VerseApp:
    """The app as `verse` builds it, except that the services get `llm` (a fake-backed
    client) and, for snapshots, a fixed `clock`."""
    from verse_tui.app_factory import build_services
    from verse_tui.bible.sqlite_bible_client import SqliteBibleClient
    from verse_tui.services.bible import BibleService

    bible = BibleService(SqliteBibleClient(settings.bible_path))

    async def load_services() -> Any:
        return await build_services(settings, llm=llm, clock=clock)

    return VerseApp(settings, bible, load_services, library_delay=0)


async def settle(pilot: Pilot, *, library: bool = True) -> None:
    """Wait until no worker runs (and, by default, until the user database is open)."""
    app = pilot.app
    quiet = 0  # rounds in a row with nothing running: one is not enough, since a worker that
    # finishes (the library opening) often posts a message that starts the next (marks loading)
    for _ in range(200):
        await pilot.pause()
        others = [w for w in app.workers if library or w.group != "services"]
        if others:
            await app.workers.wait_for_complete(others)
        await pilot.pause()
        busy = any(worker.is_running for worker in app.workers if worker in others)
        ready = not library or app.services is not None or app.services_error is not None
        quiet = quiet + 1 if not busy and not others and ready else 0
        if quiet >= 2:
            return
    raise AssertionError("the app did not settle")


async def until(
    pilot: Pilot, condition: Callable[[], object], *, limit: float = 10.0, what: str = ""
) -> None:
    """Let the app run until `condition()` holds (fails after `limit` seconds)."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause(STEP)


async def go_to(pilot: Pilot, reference: str) -> None:
    """Type `reference` into the reader's go-to box (g) and wait for the chapter."""
    await pilot.press("g", *reference, "enter")
    await settle(pilot)


def reader(app: VerseApp) -> Any:
    """The reading screen (always the bottom of the stack)."""
    from verse_tui.tui.reading.screen import ReadingScreen

    screen = app.screen_stack[0]
    assert isinstance(screen, ReadingScreen)
    return screen


def notices(app: VerseApp) -> list[str]:
    """The messages of the notifications on screen now."""
    return [n.message for n in app._notifications]


def palette_offers(app: VerseApp, text: str) -> bool:
    """True when the command palette is open and its first option mentions `text`."""
    from textual.command import CommandPalette
    from textual.widgets import OptionList

    if not isinstance(app.screen, CommandPalette):
        return False
    options = app.screen.query_one(OptionList)
    return options.option_count > 0 and text in str(options.get_option_at_index(0).prompt)
