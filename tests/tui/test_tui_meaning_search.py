"""The search panel's words/meaning toggle."""

from __future__ import annotations

from textual.widgets import Checkbox, Input, OptionList

from tests.support.tui import SIZE, reader, settle
from verse_tui.tui.widgets.search_panel import PAGE_SIZE


def summary(app) -> str:
    return str(app.screen.query_one("#search-summary").render())


async def test_the_toggle_searches_by_meaning_and_back_by_words(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"God works everything for good", "enter")
        await settle(pilot)
        assert summary(app) == "No verses in the KJV match 'God works everything for good'."

        await pilot.press("ctrl+t")  # by meaning: the typed query runs again
        await settle(pilot)
        assert app.screen.query_one("#search-meaning", Checkbox).value
        assert "closest in meaning" in summary(app)
        results = app.screen.query_one("#search-results", OptionList)
        assert results.option_count == PAGE_SIZE  # no "More…": the best PAGE_SIZE verses
        expected = await app.bible.search_meaning(
            "God works everything for good", "KJV", limit=PAGE_SIZE
        )
        assert expected.hits[0].verse.plain_text[:20] in str(results.get_option_at_index(0).prompt)
        found = [hit.verse.osis for hit in expected.hits]
        assert "Rom.8.28" in found

        results.highlighted = found.index("Rom.8.28")
        await pilot.press("enter")
        await settle(pilot)
        assert str(reader(app).view.cursor_ref) == str(
            expected.hits[found.index("Rom.8.28")].verse.ref
        )

        await pilot.press("slash")
        box = app.screen.query_one("#search-input", Input)
        assert box.placeholder.startswith("what the verse says")
        await pilot.press("ctrl+t")  # back to words
        await settle(pilot)
        assert not app.screen.query_one("#search-meaning", Checkbox).value
        assert summary(app).startswith("No verses in the KJV match")
