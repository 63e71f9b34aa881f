"""Fixtures for the Textual app: the real app over a temporary VERSE_HOME, driven by Pilot.

The root `settings` fixture provides the temporary home and user database; the app is built
exactly as `verse` builds it (`verse_tui.tui.run.build_app`), with the shipped Bible text,
opening the library without the start-up delay. Helpers (settle, go_to, ...): tests/support/tui.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.tui import test_app
from verse_tui.config import BIBLE_DB_NAME, USER_DB_NAME, Settings, shipped_data_dir
from verse_tui.tui.app import VerseApp


@pytest.fixture
def make_app(settings: Settings) -> Callable[[], VerseApp]:
    """Builds a fresh app over the same settings (call it again to "restart" Verse)."""
    return lambda: test_app(settings)


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
