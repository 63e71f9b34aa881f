"""`verse` with no arguments: build the cheap parts, open the app, load the rest later.

Only the Bible text (plain sqlite3) is opened before the first paint. The app factory (and
with it SQLAlchemy, migrations and the user database) is imported and built in a worker once
the chapter is on screen; `anthropic` is imported only when a chat or insight first needs it.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sys
from importlib import import_module
from typing import TYPE_CHECKING

from verse_tui.config import ConfigError, Settings
from verse_tui.errors import VerseError

if TYPE_CHECKING:
    from verse_tui.app_factory import Services
    from verse_tui.bible.sqlite_bible_client import SqliteBibleClient
    from verse_tui.tui.app import Opening, VerseApp


def build_app(settings: Settings, *, library_delay: float | None = None) -> VerseApp:
    """The app for these settings: the Bible service now, the other services on demand.

    `library_delay` overrides `LIBRARY_DELAY` (tests pass 0: no terminal to keep smooth).
    """
    from verse_tui.bible.sqlite_bible_client import SqliteBibleClient
    from verse_tui.services.bible import BibleService
    from verse_tui.tui.app import VerseApp

    client = SqliteBibleClient(settings.bible_path)

    async def load_services() -> Services:
        factory = await asyncio.to_thread(import_module, "verse_tui.app_factory")
        services: Services = await factory.build_services(settings, lazy=True)
        try:
            services.check_settings()  # a bad [prices] table: the library does not open
        except BaseException:
            await services.aclose()
            raise
        return services  # the other services are built once the library is open

    opening = read_opening(settings, client)
    if library_delay is None:
        return VerseApp(settings, BibleService(client), load_services, opening=opening)
    return VerseApp(
        settings, BibleService(client), load_services, opening=opening, library_delay=library_delay
    )


def read_opening(settings: Settings, client: SqliteBibleClient) -> Opening:
    """The first chapter (where the reader was last time, else John 1), read before the
    event loop starts (about a millisecond), so the first frame already shows it."""
    from verse_tui.tui.app import FIRST_RUN, Opening
    from verse_tui.tui.start_hint import read_hint

    hint = read_hint(settings.home)
    if hint is not None:
        try:
            passage = client.chapter(hint.translation, hint.ref.book, hint.ref.chapter)
        except VerseError:  # a translation since removed, a damaged hint: start afresh
            hint = None
    if hint is None:
        try:
            passage = client.chapter(settings.translation, FIRST_RUN.book, FIRST_RUN.chapter)
        except VerseError:  # e.g. an unknown VERSE_TRANSLATION: the reader reports it
            return Opening(settings.translation)
        return Opening(settings.translation, FIRST_RUN, passage)
    parallel = None
    if hint.parallel_translation:
        with contextlib.suppress(VerseError):
            parallel = client.chapter(hint.parallel_translation, hint.ref.book, hint.ref.chapter)
    return Opening(hint.translation, hint.ref, passage, parallel, hint.theme)


def run_app() -> int:
    """Run the reader until the user quits; returns the process exit code."""
    # Until the first chapter is painted, the collector would run ~100 times over objects
    # that all live on (~14 ms measured); the app turns it back on after the first paint.
    gc.disable()
    try:
        settings = Settings.from_env()
        app = build_app(settings)
    except (ConfigError, VerseError) as error:
        gc.enable()
        print(f"verse: {error}", file=sys.stderr)
        return 2 if getattr(error, "exit_code", 1) == 2 else 1
    try:
        app.run()
    finally:
        gc.enable()
    for warning in dict.fromkeys(settings.warnings):  # shown once the screen is back
        print(f"verse: warning: {warning}", file=sys.stderr)
    return app.return_code or 0
