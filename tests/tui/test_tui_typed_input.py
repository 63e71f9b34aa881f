"""What people type, in the reader (issue 10, items 4 and 5): ranges across books, quotes and
verse parts in go-to and the palette; an over-broad search answered in the panel."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.events import Paste
from textual.widgets import Input, OptionList

from tests.support.tui import SIZE, go_to, notices, reader, settle, until
from verse_tui.bible import sqlite_bible_client
from verse_tui.domain.bible import VerseRef
from verse_tui.tui.reading.reader_header import ReaderHeader


def title_of(app) -> str:
    return app.screen.query_one(ReaderHeader).title


def summary(app) -> str:
    return str(app.screen.query_one("#search-summary").render())


async def test_go_to_a_range_across_books_opens_its_start_and_says_so(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, "1Samuel 28:20- 2Samuel 12:10")
        assert title_of(app) == "1 Samuel 28 · KJV"
        assert reader(app).view.cursor_ref == VerseRef(9, 28, 20)
        assert "1 Samuel 28:20–2 Samuel 12:10 starts in 1 Samuel 28" in notices(app)[-1]
        await pilot.press("n")
        await settle(pilot)
        assert title_of(app) == "1 Samuel 29 · KJV"


async def test_go_to_takes_quotes_and_verse_parts(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, "“jn 3:16a”")
        assert title_of(app) == "John 3 · KJV"
        assert reader(app).view.cursor_ref == VerseRef(43, 3, 16)
        await go_to(pilot, "'Obadiah 3b-4'")
        assert [ref.verse for ref in reader(app).view.selection.refs] == [3, 4]


async def test_go_to_a_list_shows_its_first_part(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, "Ps 23; Gen 1 - Exod 2")
        assert title_of(app) == "Psalm 23 · KJV"
        assert "showing the first part, Psalm 23." in notices(app)[-1]


async def test_go_to_shows_an_absurd_number_as_typed(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, "Gen 99999999999999999999")
        error = str(app.screen.query_one("#goto-error").render())
        assert "There is no Genesis 99999999999999999999: Genesis has 50 chapters." in error
        assert title_of(app) == "John 1 · KJV"


async def test_palette_opens_a_range_across_books(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"Ps 3-Proverbs 2:3")

        def offered() -> bool:
            if not isinstance(app.screen, CommandPalette):
                return False
            options = app.screen.query_one(OptionList)
            return options.option_count > 0 and "Open Psalms 3:1–Proverbs 2:3" in str(
                options.get_option_at_index(0).prompt
            )

        await until(pilot, offered, what="the palette to offer the reference")
        await pilot.press("enter")
        await settle(pilot)
        assert title_of(app) == "Psalm 3 · KJV"
        assert reader(app).view.cursor_ref == VerseRef(19, 3, 1)


async def test_an_over_broad_search_is_answered_in_the_panel(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await until(pilot, lambda: isinstance(app.focused, Input), what="the search box")
        # Pasted, not typed: 400 key presses (each answered by the box) took 36 s here.
        app.focused.post_message(Paste(" OR ".join(["lord"] * 50)))
        await pilot.press("enter")
        await settle(pilot)
        assert "That search has 50 words; Verse searches for at most 40" in summary(app)
        await pilot.press("escape")
        assert reader(app).view.has_focus
        await pilot.press("n")
        await settle(pilot)
        assert title_of(app) == "John 2 · KJV"  # the reader answers as before


async def test_a_search_over_its_time_budget_says_so_in_the_panel(make_app, monkeypatch):
    monkeypatch.setattr(sqlite_bible_client, "SEARCH_BUDGET", 0.0)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"the OR and", "enter")
        await settle(pilot)
        assert "too broad to finish quickly" in summary(app)
