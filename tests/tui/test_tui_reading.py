"""Reading flows with Pilot: go-to, chapters across books, picker, palette, parallel, copy."""

from __future__ import annotations

from tests.support.tui import SIZE, go_to, palette_offers, reader, settle, until
from verse_tui.bible import canon
from verse_tui.domain.bible import VerseRef
from verse_tui.tui.reading.reader_header import ReaderHeader
from verse_tui.tui.reading.text_layout import Kind


def title_of(app) -> str:
    return app.screen.query_one(ReaderHeader).title


async def test_first_run_opens_john_1(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert title_of(app) == "John 1 · KJV"
        assert reader(app).view.cursor_ref == VerseRef(43, 1, 1)


async def test_go_to_accepts_what_the_parser_accepts(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, "jn 3:16")
        view = reader(app).view
        assert title_of(app) == "John 3 · KJV"
        assert view.cursor_ref == VerseRef(43, 3, 16)
        assert view.has_focus

        await go_to(pilot, "1 cor 13:4-7")
        assert title_of(app) == "1 Corinthians 13 · KJV"
        assert [ref.verse for ref in view.selection.refs] == [4, 5, 6, 7]


async def test_go_to_shows_the_parse_error_in_place(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, "john 22")
        error = str(app.screen.query_one("#goto-error").render())
        assert "John has 21 chapters" in error
        assert title_of(app) == "John 1 · KJV"  # nothing lost, still where we were
        assert app.screen.query_one("#goto-input").value == "john 22"


async def test_next_and_previous_cross_book_boundaries(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, "mal 4")
        await pilot.press("n")
        await settle(pilot)
        assert title_of(app) == "Matthew 1 · KJV"
        await pilot.press("p")
        await settle(pilot)
        assert title_of(app) == "Malachi 4 · KJV"
        await pilot.press("right", "right")
        await settle(pilot)
        assert title_of(app) == "Matthew 2 · KJV"

        await pilot.press("g", *"gen 1", "enter", "p")
        await settle(pilot)
        assert title_of(app) == "Genesis 1 · KJV"
        assert any("first chapter of Genesis" in n.message for n in app._notifications)


async def test_verse_cursor_selects_one_verse_or_a_range(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = reader(app).view
        await pilot.press("j", "down", "k")
        assert view.cursor_ref == VerseRef(43, 1, 2)
        assert view.selection.refs == (VerseRef(43, 1, 2),)
        await pilot.press("J", "shift+down")
        assert [ref.verse for ref in view.selection.refs] == [2, 3, 4]
        await pilot.press("escape")
        assert view.selection.refs == (VerseRef(43, 1, 4),)
        await pilot.press("v", "j", "j")
        assert [ref.verse for ref in view.selection.refs] == [4, 5, 6]


async def test_clicking_a_verse_moves_the_cursor_there(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = reader(app).view
        layout = view._layout
        first_line, _ = layout.row_lines[4]  # verse 5
        column = next(
            x
            for x, run in _columns(layout.lines[first_line].runs)
            if run.row == 4 and run.kind is Kind.TEXT
        )
        offset = (column + view._margin() + 1, first_line + 1)  # + padding of the view
        await pilot.click("#chapter", offset=offset)
        assert view.cursor_ref == VerseRef(43, 1, 5)


def _columns(runs):
    x = 0
    for run in runs:
        yield x, run
        x += len(run.text)


async def test_book_picker_opens_the_chosen_chapter(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o", *"rom", "enter")
        await pilot.press(*["down"] * 7, "enter")
        await settle(pilot)
        assert title_of(app) == "Romans 8 · KJV"


async def test_command_palette_opens_a_typed_reference(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"ps 23:4")
        await until(pilot, lambda: palette_offers(app, "23:4"), what="the palette's offer")
        await pilot.press("enter")
        await settle(pilot)
        assert title_of(app) == "Psalm 23 · KJV"
        assert reader(app).view.cursor_ref == VerseRef(19, 23, 4)


async def test_parallel_view_aligns_verses_and_marks_omitted_ones(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(app)
        await go_to(pilot, "matt 17")
        screen.set_parallel("ASV")
        await settle(pilot)
        assert title_of(app) == "Matthew 17 · KJV | ASV"
        layout = screen.view._layout
        for row, (first, _last) in enumerate(layout.row_lines):
            numbers = [r.text for r in layout.lines[first].runs if r.kind is Kind.NUMBER]
            verse = str(screen.view.rows[row].verse)
            assert numbers == [verse, verse], f"verse {verse} starts on different lines"
        row_21 = screen.view.rows.index(VerseRef(40, 17, 21))
        first, last = layout.row_lines[row_21]
        kinds = {r.kind for line in layout.lines[first : last + 1] for r in line.runs}
        assert Kind.OMITTED in kinds
        assert app.preferences is not None and app.preferences.parallel_translation == "ASV"

        await pilot.press("s")
        await settle(pilot)
        assert title_of(app) == "Matthew 17 · KJV"


async def test_copy_puts_reference_translation_and_text_on_the_clipboard(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, "jn 3:16-17")
        await pilot.press("y")
        passage = await app.bible.chapter("KJV", 43, 3)
        v16, v17 = passage.verses[15], passage.verses[16]
        expected = f"John 3:16–17 (KJV)\n16 {v16.plain_text} 17 {v17.plain_text}"
        assert app.clipboard == expected
        assert "[" not in app.clipboard

        await pilot.press("escape", "y")
        assert app.clipboard == f"John 3:17 (KJV)\n{v17.plain_text}"


async def test_chapter_turns_are_cached_and_neighbours_read_ahead(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(app)
        nxt = canon.next_chapter(43, 1)
        assert ("KJV", *nxt) in screen.cache


async def test_other_places_can_ask_what_is_selected(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, "rom 5:1-2")
        translation, rng = app.reading_selection()
        assert translation == "KJV"
        assert (rng.start, rng.end) == (VerseRef(45, 5, 1), VerseRef(45, 5, 2))


async def test_a_reference_typed_straight_after_g_reaches_the_go_to_box(make_app):
    """The terminal delivers "g" and the reference in one read (a fast typist, tmux): the
    keys after "g" are queued before the box opens and must not reach the reader ("n" would
    turn the page)."""
    from textual import events

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        keys = ["g", *"Gen 5:1", "enter"]
        for key in keys:  # posted at once, as the driver does, none handled in between
            char = {"space": " ", "enter": "\r"}.get(key, key) if len(key) > 1 else key
            name = "space" if key == " " else key
            app.post_message(events.Key(name, char))
        await until(pilot, lambda: title_of(app) == "Genesis 5 · KJV", what="Genesis 5")
        assert reader(app).view.cursor_ref == VerseRef(1, 5, 1)


async def test_a_query_typed_straight_after_slash_reaches_the_search_box(make_app):
    from textual import events
    from textual.widgets import Input

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.post_message(events.Key("slash", "/"))
        for char in "faith":  # posted at once, none handled in between
            app.post_message(events.Key(char, char))
        box = lambda: app.screen.query("#search-input")  # noqa: E731
        await until(
            pilot, lambda: bool(box()) and box().first(Input).value == "faith", what="query"
        )
        assert title_of(app) == "John 1 · KJV"  # no key reached the reader
