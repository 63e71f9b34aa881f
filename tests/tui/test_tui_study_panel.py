"""The study panel with Pilot: `m` opens the commentary and topics of the selected verses,
`c` switches to the Treasury of David in the Psalms, `m` closes it."""

from __future__ import annotations

from textual.widgets import Static

from tests.support.tui import SIZE, go_to, settle, study_app, until
from verse_tui.tui.study.study_panel import StudyPanel


def shown(screen, selector: str) -> str:
    widget = screen.query_one(selector, Static)
    return str(widget.render())


async def open_panel(pilot, reference: str) -> StudyPanel:
    await settle(pilot)
    await go_to(pilot, reference)
    await pilot.press("m")
    await until(pilot, lambda: isinstance(pilot.app.screen, StudyPanel), what="study panel")
    panel = pilot.app.screen
    await until(pilot, lambda: panel.loaded, what="commentary")
    return panel


async def test_commentary_and_topics_of_the_cursor_verse(settings):
    app = study_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot, "rom 8:28")
        text = shown(panel, "#study-commentary")
        assert "Romans 8:28–31 · Verses 28-31" in text
        assert "golden chain" in text
        assert "Nave's topics citing Romans 8:28" in shown(panel, "#study-topics")
        await pilot.press("c")  # no Treasury of David outside the Psalms
        await settle(pilot)
        assert panel.source == "mhcc"
        await pilot.press("m")
        await until(pilot, lambda: not isinstance(app.screen, StudyPanel), what="closed")


async def test_the_treasury_of_david_in_the_psalms(settings):
    app = study_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        panel = await open_panel(pilot, "ps 23:1")
        assert "── Psalm 23\n" in shown(panel, "#study-commentary")  # MHCC: the whole psalm
        await pilot.press("c")
        await until(pilot, lambda: panel.source == "tdavid" and panel.loaded, what="tdavid")
        text = shown(panel, "#study-commentary")
        assert "The Treasury of David on Psalm 23:1" in text
        assert "Psalm 23 OVERVIEW" in text and "EXPOSITION — Verse 1" in text
