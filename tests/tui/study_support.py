"""Helpers for the chat, insights, words and devices screens: the real app and services, with
the real `anthropic` client pointed at the loopback fake (`tests/support/fake_anthropic.py`)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from verse_tui.bible.sqlite_bible_client import SqliteBibleClient
from verse_tui.config import Settings
from verse_tui.services.bible import BibleService
from verse_tui.tui.app import VerseApp


def study_app(settings: Settings, llm: Any = None, clock: Any = None) -> VerseApp:
    """The app as `verse` builds it, except that the services get `llm` (a fake-backed
    client) and, for snapshots, a fixed `clock`."""
    from verse_tui.app_factory import build_services

    bible = BibleService(SqliteBibleClient(settings.bible_path))

    async def load_services() -> Any:
        return await build_services(settings, llm=llm, clock=clock)

    return VerseApp(settings, bible, load_services)


async def until(pilot: Pilot, condition: Any, *, limit: float = 10.0, what: str = "") -> None:
    """Let the app run until `condition()` holds (fails after `limit` seconds)."""
    import time

    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause(0.02)


def notices(app: VerseApp) -> list[str]:
    return [n.message for n in app._notifications]
