"""Search (count, context, more on demand, jump), help, and the Chat/Insights places."""

from __future__ import annotations

from dataclasses import replace

from textual.screen import Screen
from textual.widgets import OptionList, Static

from tests.support.tui import SIZE, reader, settle
from verse_tui.tui import modes
from verse_tui.tui.reading.reader_header import ReaderHeader
from verse_tui.tui.screens.help import HelpScreen, sections
from verse_tui.tui.widgets.search_panel import PAGE_SIZE


def summary(app) -> str:
    return str(app.screen.query_one("#search-summary").render())


async def test_search_counts_pages_and_jumps_to_a_hit(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"love", "enter")
        await settle(pilot)
        expected = await app.bible.search("love", "KJV", limit=PAGE_SIZE)
        assert summary(app).startswith(f"{expected.total} verses in the KJV")
        results = app.screen.query_one("#search-results", OptionList)
        assert results.option_count == PAGE_SIZE + 1  # the hits and "More…"
        first = str(results.get_option_at_index(0).prompt)
        assert "love" in first and expected.hits[0].verse.plain_text[:20] in first

        results.highlighted = PAGE_SIZE
        await pilot.press("enter")  # More…
        await settle(pilot)
        assert results.option_count == 2 * PAGE_SIZE + 1
        assert results.highlighted == PAGE_SIZE  # the first of the new hits
        assert f"showing {2 * PAGE_SIZE}" in summary(app)

        second_page = await app.bible.search("love", "KJV", limit=PAGE_SIZE, offset=PAGE_SIZE)
        await pilot.press("enter")
        await settle(pilot)
        target = second_page.hits[0].verse.ref
        assert reader(app).view.cursor_ref == target
        assert reader(app).view.has_focus


async def test_search_shows_a_bad_query_in_the_panel(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"faith AND", "enter")
        await settle(pilot)
        assert "Cannot search" in summary(app)
        await pilot.press("escape")
        assert reader(app).view.has_focus


async def test_search_with_no_hits_says_so(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"xyzzyqq", "enter")
        await settle(pilot)
        assert summary(app) == "No verses in the KJV match 'xyzzyqq'."


async def test_help_lists_the_reader_keys(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        listed = {what: keys for _, entries in sections() for keys, what in entries}
        assert listed["Go to"] == "g, :"
        assert listed["Next chapter"] == "n, →, ]"
        assert listed["Next verse"] == "j, ↓"
        assert any(what.startswith("Chat:") for what in listed)
        assert listed["Define a word"] == "w" and listed["Devices"] == "D"
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


class WordsScreen(Screen[None]):
    """Stands in for a later issue's screen (Chat, Insights) in the place registry."""

    def compose(self):
        yield Static("words", id="words")


def with_place(monkeypatch, **changes) -> None:
    place = replace(modes.CHAT, **changes)
    monkeypatch.setattr(modes, "PLACES", (modes.READING, place, modes.INSIGHTS))


async def press_f3(pilot) -> None:
    """Once the reader has settled, press F3 (the Chat place) and let the app react."""
    await settle(pilot)
    await pilot.press("f3")
    await pilot.pause()


async def test_a_place_not_built_yet_says_so_plainly(make_app, monkeypatch):
    with_place(monkeypatch, screen="verse_tui.tui.not_built_yet:ChatScreen")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press_f3(pilot)
        assert app.current_mode == "reading"
        [note] = list(app._notifications)
        assert "not part of this version of Verse yet" in note.message
        assert note.title == "Chat"


async def test_a_registered_place_opens_once_its_service_is_there(make_app, monkeypatch):
    with_place(monkeypatch, screen=f"{__name__}:WordsScreen", service="users")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press_f3(pilot)
        assert app.current_mode == "chat"
        assert isinstance(app.screen, WordsScreen)
        await pilot.press("f2")
        assert app.current_mode == "reading"

        header = app.screen.query_one(ReaderHeader)
        start, _end, name = header._place_spans[1]
        assert name == "chat"
        await pilot.click(ReaderHeader, offset=(start + 2, 0))  # + the header's padding
        assert app.current_mode == "chat"


async def test_a_place_needing_a_missing_service_says_which(make_app, monkeypatch):
    with_place(monkeypatch, screen=f"{__name__}:WordsScreen", service="no_such_service")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press_f3(pilot)
        assert app.current_mode == "reading"
        [note] = list(app._notifications)
        assert "needs a service this installation does not provide" in note.message
