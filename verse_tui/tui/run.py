"""`verse` with no arguments: build the cheap parts, open the app, load the rest later.

Only the Bible text (plain sqlite3) is opened before the first paint. The app factory (and
with it SQLAlchemy, migrations and the user database) is imported and built in a worker once
the chapter is on screen; `anthropic` is imported only when a chat or insight first needs it.
"""

from __future__ import annotations

import asyncio
import sys
from importlib import import_module
from typing import Any

from verse_tui.config import ConfigError, Settings
from verse_tui.errors import VerseError


def build_app(settings: Settings) -> Any:
    """The app for these settings: the Bible service now, the other services on demand."""
    from verse_tui.bible.sqlite_bible_client import SqliteBibleClient
    from verse_tui.services.bible import BibleService
    from verse_tui.tui.app import FIRST_RUN, VerseApp

    client = SqliteBibleClient(settings.bible_path)
    bible = BibleService(client)
    try:  # read before the event loop starts (under a millisecond): the first frame shows it
        first_passage = client.chapter(settings.translation, FIRST_RUN.book, FIRST_RUN.chapter)
    except VerseError:
        first_passage = None  # e.g. an unknown VERSE_TRANSLATION: the reader reports it

    async def load_services() -> Any:
        factory = await asyncio.to_thread(import_module, "verse_tui.app_factory")
        return await factory.build_services(settings)

    return VerseApp(settings, bible, load_services, first_passage=first_passage)


def run_app() -> int:
    """Run the reader until the user quits; returns the process exit code."""
    try:
        app = build_app(Settings.from_env())
    except (ConfigError, VerseError) as error:
        print(f"verse: {error}", file=sys.stderr)
        return 2 if getattr(error, "exit_code", 1) == 2 else 1
    app.run()
    return app.return_code or 0
