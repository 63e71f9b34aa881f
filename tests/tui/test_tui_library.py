"""What the user database keeps: bookmarks, highlights, notes, position and theme survive a
restart of the app (same VERSE_HOME); the lists jump back to what was marked."""

from __future__ import annotations

import asyncio

from tests.support.tui import SIZE, go_to, reader, settle
from verse_tui.app_factory import build_services
from verse_tui.bible.sqlite_bible_client import SqliteBibleClient
from verse_tui.domain.bible import VerseRange, VerseRef
from verse_tui.services.bible import BibleService
from verse_tui.tui.app import VerseApp
from verse_tui.tui.reading.reader_header import ReaderHeader

JOHN_3_16 = VerseRef(43, 3, 16)


async def test_bookmark_highlight_and_note_persist_across_a_restart(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, "jn 3:16")
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("h", "3")  # blue
        await settle(pilot)
        await pilot.press("a", *"For God so loved", "ctrl+s")
        await settle(pilot)
        marks = reader(app).view.marks
        assert marks.highlights == {JOHN_3_16: "blue"}
        assert JOHN_3_16 in marks.bookmarked and JOHN_3_16 in marks.noted

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(app)
        assert screen.view.cursor_ref == JOHN_3_16
        assert screen.view.marks.highlights == {JOHN_3_16: "blue"}
        assert JOHN_3_16 in screen.view.marks.bookmarked
        notes = await app.users.list_notes()
        assert [(n.range, n.text) for n in notes] == [
            (VerseRange(JOHN_3_16, JOHN_3_16), "For God so loved")
        ]

        await pilot.press("a", "end", *" the world", "ctrl+s")  # edit, not a second note
        await settle(pilot)
        notes = await app.users.list_notes()
        assert [n.text for n in notes] == ["For God so loved the world"]

        await pilot.press("b", "h", "x")  # bookmark again removes it; x removes the highlight
        await settle(pilot)
        assert await app.users.list_bookmarks() == ()
        assert await app.users.list_highlights() == ()
        assert screen.view.marks.highlights == {}


async def test_a_highlighted_range_colours_each_of_its_verses(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, "ps 23:1-3")
        await pilot.press("h", "1")
        await settle(pilot)
        colours = reader(app).view.marks.highlights
        assert colours == {VerseRef(19, 23, v): "yellow" for v in (1, 2, 3)}
        [saved] = await app.users.list_highlights()
        assert saved.range == VerseRange(VerseRef(19, 23, 1), VerseRef(19, 23, 3))


async def test_lists_jump_to_a_mark_and_delete_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rng = VerseRange(VerseRef(45, 8, 28), VerseRef(45, 8, 28))
        await app.users.add_bookmark("KJV", rng, "all things")
        genesis = VerseRange(VerseRef(1, 1, 1), VerseRef(1, 1, 1))
        await app.users.add_note("KJV", genesis, "start")
        await pilot.press("L")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert reader(app).view.cursor_ref == VerseRef(45, 8, 28)

        await pilot.press("L")
        await settle(pilot)
        await pilot.press("right", "right", "d")  # the Notes list, delete
        await settle(pilot)
        assert await app.users.list_notes() == ()
        await pilot.press("escape")
        await settle(pilot)
        assert reader(app).view.cursor_ref == VerseRef(45, 8, 28)


async def test_reader_resumes_where_the_user_left_off(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g", *"rom 8:28", "enter", "j")
        await settle(pilot)
        reader(app).set_translation("WEB")
        await settle(pilot)

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(app)
        assert screen.view.cursor_ref == VerseRef(45, 8, 29)
        assert screen.translation == "WEB"
        assert screen.query_one(ReaderHeader).title == "Romans 8 · WEB"


async def test_theme_choice_is_kept_in_preferences(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = "verse-parchment"
        await settle(pilot)
        assert (await app.users.get_preferences()).theme == "verse-parchment"

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "verse-parchment"


async def test_the_chapter_paints_before_the_library_opens(settings):
    gate = asyncio.Event()

    async def load_services():
        await gate.wait()
        return await build_services(settings)

    bible = BibleService(SqliteBibleClient(settings.bible_path))
    app = VerseApp(settings, bible, load_services, library_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, library=False)
        assert app.screen.query_one(ReaderHeader).title == "John 1 · KJV"
        assert app.services is None
        await pilot.press("b")
        assert any("still opening" in n.message for n in app._notifications)

        gate.set()
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        [bookmark] = await app.users.list_bookmarks()
        assert bookmark.range.start == VerseRef(43, 1, 1)
