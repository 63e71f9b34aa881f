"""Fixtures for the Textual app: the real app over a temporary VERSE_HOME, driven by Pilot.

The root `settings` fixture provides the temporary home and user database; the app is built
exactly as `verse` builds it (`verse_tui.tui.run.build_app`), with the shipped Bible text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from verse_tui.config import BIBLE_DB_NAME, USER_DB_NAME, Settings, shipped_data_dir
from verse_tui.tui.app import VerseApp
from verse_tui.tui.run import build_app

SIZE = (120, 40)


@pytest.fixture
def make_app(settings: Settings) -> Callable[[], VerseApp]:
    """Builds a fresh app over the same settings (call it again to "restart" Verse)."""
    return lambda: build_app(settings)


@pytest.fixture
def sqlite_settings(verse_home: Path) -> Settings:
    """Settings for the synchronous snapshot tests (always SQLite)."""
    return Settings(
        home=verse_home,
        database_url=f"sqlite+aiosqlite:///{verse_home / USER_DB_NAME}",
        bible_path=shipped_data_dir() / BIBLE_DB_NAME,
        translation="KJV",
        config_file=verse_home / "config.toml",
    )


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


async def go_to(pilot: Pilot, reference: str) -> None:
    """Type `reference` into the reader's go-to box (g) and wait for the chapter."""
    await pilot.press("g", *reference, "enter")
    await settle(pilot)


def reader(app: VerseApp):
    from verse_tui.tui.reading.screen import ReadingScreen

    screen = app.screen_stack[0]
    assert isinstance(screen, ReadingScreen)
    return screen
