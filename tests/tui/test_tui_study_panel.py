"""The study panel with Pilot: `m` shows the commentary and Nave's topics of the passage
under the cursor beside the text, it follows the cursor and the chapter, a topic's verse
opens in the reader, `c` switches to the Treasury of David in the Psalms, `m` hides it, and
whether it is shown is remembered."""

from __future__ import annotations

from textual.widgets import Static

from tests.support.tui import SIZE, go_to, palette_offers, reader, settle, study_app, until
from verse_tui.domain.bible import VerseRange, VerseRef
from verse_tui.tui.reading.study_panel import StudyPanel


def shown(panel: StudyPanel, selector: str) -> str:
    return str(panel.query_one(selector, Static).render())


def loaded_on(panel: StudyPanel | None, verses: VerseRange) -> bool:
    return panel is not None and panel.loaded is not None and panel.loaded[0] == verses


def verse(book: int, chapter: int, number: int) -> VerseRange:
    ref = VerseRef(book, chapter, number)
    return VerseRange(ref, ref)


async def open_panel(pilot, reference: str) -> StudyPanel:
    await settle(pilot)
    await go_to(pilot, reference)
    screen = reader(pilot.app)
    await pilot.press("m")
    await until(pilot, lambda: screen.study_panel_shown, what="the study panel")
    panel = screen.study_panel
    assert panel is not None
    await until(pilot, lambda: panel.loaded is not None, what="the commentary")
    return panel


async def test_m_shows_the_study_of_the_cursor_verse_beside_the_text_and_hides_it(settings):
    app = study_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot, "rom 8:28")
        screen = reader(app)
        text = shown(panel, "#study-commentary")
        assert "Romans 8:28–31 · Verses 28-31" in text
        assert "golden chain" in text
        assert shown(panel, "#study-title") == "Study · Romans 8:28"
        assert "Nave's topics citing Romans 8:28" in shown(panel, "#study-topics-title")
        assert panel.topics.option_count > 0
        assert screen.view.has_focus  # the text keeps the keys
        assert panel.region.x >= screen.view.region.right  # beside the text, not over it
        assert panel.region.width == 48

        await pilot.press("m")
        assert not screen.study_panel_shown
        assert screen.view.region.width == SIZE[0]


async def test_the_panel_follows_the_cursor_and_the_chapter(settings):
    app = study_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot, "rom 8:28")
        await pilot.press("j")
        await until(pilot, lambda: loaded_on(panel, verse(45, 8, 29)), what="Romans 8:29")
        assert shown(panel, "#study-title") == "Study · Romans 8:29"
        assert "Verses 28-31" in shown(panel, "#study-commentary")

        await pilot.press("n")
        await until(pilot, lambda: loaded_on(panel, verse(45, 9, 1)), what="Romans 9")
        assert "Romans 9:1–5 · Verses 1-5" in shown(panel, "#study-commentary")

        await pilot.press("J", "J")  # a selection: the sections of all its verses
        selected = VerseRange(VerseRef(45, 9, 1), VerseRef(45, 9, 3))
        await until(pilot, lambda: loaded_on(panel, selected), what="the selection")
        assert shown(panel, "#study-title") == "Study · Romans 9:1–3"


async def test_a_topic_lists_its_verses_and_one_opens_in_the_reader(settings):
    app = study_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot, "jn 10:11")
        screen = reader(app)
        await pilot.press("tab")
        assert panel.topics.has_focus
        topics = panel.topics
        names = [str(topics.get_option_at_index(i).prompt) for i in range(topics.option_count)]
        topics.highlighted = names.index("SHEPHERD")
        await pilot.press("enter")
        await until(pilot, lambda: panel.topic is not None, what="the topic's verses")
        first = str(panel.topics.get_option_at_index(1).prompt)
        assert first == "Genesis 31:38–40"  # Nave's order, not the Bible's
        assert str(panel.topics.get_option_at_index(0).prompt).startswith("← SHEPHERD")

        await pilot.press("enter")
        await until(pilot, lambda: screen.chapter == 31 and screen.book == 1, what="Genesis 31")
        assert screen.view.selection.range == VerseRange(VerseRef(1, 31, 38), VerseRef(1, 31, 40))
        await until(pilot, lambda: loaded_on(panel, screen.view.selection.range), what="follow")
        assert panel.topic is not None and panel.topic.name == "SHEPHERD"  # the list stays

        await pilot.press("backspace")  # back to the topics of the passage
        assert panel.topic is None
        await pilot.press("m")  # hides from inside the panel too
        assert not screen.study_panel_shown
        assert screen.view.has_focus


async def test_the_treasury_of_david_in_the_psalms(settings):
    app = study_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot, "ps 23:1")
        assert "── Psalm 23\n" in shown(panel, "#study-commentary")  # MHCC: the whole psalm
        panel.enter()
        await pilot.press("c")
        await until(pilot, lambda: panel.loaded == (verse(19, 23, 1), "tdavid"), what="tdavid")
        text = shown(panel, "#study-commentary")
        assert "The Treasury of David on Psalm 23:1" in text
        assert "Psalm 23 OVERVIEW" in text and "EXPOSITION — Verse 1" in text
        await pilot.press("tab")  # from the topics to the commentary, which scrolls
        assert panel.scroll.has_focus
        await pilot.press("pagedown")
        await until(pilot, lambda: panel.scroll.scroll_y > 0, what="the commentary to scroll")
        panel.enter()

        await pilot.press("escape")  # back to the text; outside the Psalms: Matthew Henry
        assert reader(app).view.has_focus
        await go_to(pilot, "jn 1:1")
        await until(pilot, lambda: loaded_on(panel, verse(43, 1, 1)), what="John 1:1")
        assert panel.loaded is not None and panel.loaded[1] == "mhcc"


async def test_the_panel_stays_open_across_a_restart(settings, make_app):
    first = make_app()
    async with first.run_test(size=SIZE) as pilot:
        await open_panel(pilot, "rom 8:28")
        await settle(pilot)
        assert first.preferences is not None and first.preferences.study_panel
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = reader(again)
        assert screen.study_panel_shown
        panel = screen.study_panel
        assert panel is not None
        await until(pilot, lambda: loaded_on(panel, verse(45, 8, 28)), what="the commentary")
        await pilot.press("m")
        await settle(pilot)
        assert again.preferences is not None and not again.preferences.study_panel


async def test_a_narrow_terminal_shows_the_panel_over_the_text(settings):
    app = study_app(settings)
    async with app.run_test(size=(80, 30)) as pilot:
        panel = await open_panel(pilot, "rom 8:28")
        screen = reader(app)
        assert panel.region.width == 80
        assert panel.has_focus_within  # the text is covered: the keys go to the panel
        await pilot.press("escape")
        assert not screen.study_panel_shown
        assert screen.view.has_focus


async def test_the_palette_shows_the_panel(settings):
    app = study_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"study panel")
        await until(pilot, lambda: palette_offers(app, "Study panel"), what="the offer")
        await pilot.press("enter")
        screen = reader(app)
        await until(pilot, lambda: screen.study_panel_shown, what="the study panel")
        panel = screen.study_panel
        assert panel is not None
        await until(pilot, lambda: panel.loaded is not None, what="the commentary")
        assert "Matthew Henry's Concise Commentary on John 1:1" in shown(panel, "#study-commentary")


async def test_without_the_study_library_the_panel_says_why(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("VERSE_STUDY_DB", str(tmp_path / "missing.sqlite"))
    app = study_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        screen = reader(app)
        panel = screen.study_panel
        assert panel is not None
        await settle(pilot)
        assert "The study library is missing" in shown(panel, "#study-commentary")
        assert panel.loaded is None
        await pilot.press("m")
        assert not screen.study_panel_shown


async def test_narrowing_the_terminal_gives_the_covering_panel_the_keys(settings):
    app = study_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot, "rom 8:28")
        screen = reader(app)
        assert screen.view.has_focus
        await pilot.resize_terminal(80, 30)
        await until(pilot, lambda: panel.has_focus_within, what="the panel to take the keys")
        assert panel.region.width == 80
