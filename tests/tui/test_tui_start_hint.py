"""The start-up hint: the first frame shows where the reader was, before the database opens."""

from __future__ import annotations

import asyncio

from tests.support.tui import SIZE, go_to, reader, settle
from verse_tui.app_factory import build_services
from verse_tui.bible.sqlite_bible_client import SqliteBibleClient
from verse_tui.domain.bible import VerseRef
from verse_tui.services.bible import BibleService
from verse_tui.tui.app import VerseApp
from verse_tui.tui.reading.reader_header import ReaderHeader
from verse_tui.tui.run import read_opening
from verse_tui.tui.start_hint import HINT_FILE, StartHint, read_hint, write_hint

ROMANS_8_28 = VerseRef(45, 8, 28)


def gated_app(settings, gate: asyncio.Event) -> VerseApp:
    """The app as `verse` builds it, except that the library opens only when `gate` is set."""

    async def load_services():
        await gate.wait()
        return await build_services(settings)

    client = SqliteBibleClient(settings.bible_path)
    opening = read_opening(settings, client)
    return VerseApp(settings, BibleService(client), load_services, opening=opening, library_delay=0)


def test_the_hint_round_trips(tmp_path):
    hint = StartHint("WEB", ROMANS_8_28, "nord", "KJV")
    write_hint(tmp_path, hint)
    assert read_hint(tmp_path) == hint


def test_a_damaged_or_missing_hint_is_no_hint(tmp_path):
    assert read_hint(tmp_path) is None
    for garbage in ("{", '{"translation": "KJV"}', '{"translation": 1, "ref": ["a"]}', "[]"):
        (tmp_path / HINT_FILE).write_text(garbage)
        assert read_hint(tmp_path) is None


async def test_the_first_frame_shows_where_the_reader_left_off(settings, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, "rom 8:28")
        reader(app).set_parallel("WEB")
        await settle(pilot)
        app.theme = "verse-parchment"
        await settle(pilot)

    gate = asyncio.Event()
    app = gated_app(settings, gate)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, library=False)
        assert app.services is None
        assert app.screen.query_one(ReaderHeader).title == "Romans 8 · KJV | WEB"
        assert reader(app).view.cursor_ref == ROMANS_8_28
        assert app.theme == "verse-parchment"
        gate.set()
        await settle(pilot)
        assert reader(app).view.cursor_ref == ROMANS_8_28  # the database agrees: no jump


async def test_the_database_wins_over_a_stale_hint(settings):
    services = await build_services(settings)  # e.g. `verse` on another device moved it
    try:
        await services.users.set_reading_position("KJV", VerseRef(19, 23, 1))
    finally:
        await services.aclose()
    write_hint(settings.home, StartHint("KJV", ROMANS_8_28))

    gate = asyncio.Event()
    app = gated_app(settings, gate)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, library=False)
        assert reader(app).view.cursor_ref == ROMANS_8_28
        gate.set()
        await settle(pilot)
        assert reader(app).view.cursor_ref == VerseRef(19, 23, 1)
        assert app.screen.query_one(ReaderHeader).title == "Psalm 23 · KJV"


async def test_moving_before_the_library_opens_is_saved_once_it_does(settings):
    gate = asyncio.Event()
    app = gated_app(settings, gate)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, library=False)
        await pilot.press("n", "j")
        await settle(pilot, library=False)
        gate.set()
        await settle(pilot)
        assert reader(app).view.cursor_ref == VerseRef(43, 2, 2)  # not pulled back to John 1
        position = await app.users.get_reading_position()
        assert position is not None and position.ref == VerseRef(43, 2, 2)


async def test_a_cursor_moved_before_the_library_opens_stays(settings):
    services = await build_services(settings)
    try:
        await services.users.set_reading_position("KJV", VerseRef(19, 23, 1))
    finally:
        await services.aclose()
    (settings.home / HINT_FILE).unlink(missing_ok=True)
    gate = asyncio.Event()
    app = gated_app(settings, gate)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, library=False)
        await pilot.press("j", "j")
        gate.set()
        await settle(pilot)
        assert reader(app).view.cursor_ref == VerseRef(43, 1, 3)


async def test_the_very_first_frame_holds_the_chapter_text(make_app):
    app = make_app()
    first_frame: list[bool] = []
    display = app._display

    def record(screen, renderable) -> None:
        if renderable is not None and not first_frame:
            view = app.reading_screen.view if app.reading_screen else None
            laid_out = view is not None and view._layout is not None
            # A frame composed inside Textual's start-up batch is never written out.
            written = not app._batch_count
            first_frame.append(laid_out and len(view._layout.lines) > 20 and written)
        display(screen, renderable)

    app._display = record
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert first_frame == [True]
