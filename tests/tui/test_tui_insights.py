"""The Insights place with Pilot: streamed, stored ("Saved insight, generated ... by ..."),
regenerated; without a key it says how to set one."""

from __future__ import annotations

from textual.widgets import Static

from tests.support.fake_anthropic import FakeAnthropic, Reply
from tests.support.tui import SIZE, go_to, settle, study_app, until
from verse_tui.tui.insights.screen import InsightsScreen


def provenance(screen) -> str:
    return str(screen.query_one("#insight-provenance", Static).render())


async def open_insights(pilot, reference: str) -> InsightsScreen:
    await settle(pilot)
    await go_to(pilot, reference)
    await pilot.press("i")
    await until(pilot, lambda: isinstance(pilot.app.screen, InsightsScreen), what="insights")
    await settle(pilot)
    return pilot.app.screen


async def test_an_insight_streams_then_comes_back_from_storage(settings):
    async with FakeAnthropic() as server:
        server.enqueue(
            Reply(chunks=("Paul wrote ", "from Corinth; compare Acts 20:2.")),
            Reply(chunks=("A fresh take.",)),
        )
        app = study_app(settings, server.llm_client())
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_insights(pilot, "rom 8:28")
            assert "Romans 8:28" in str(screen.query_one("#insight-title").render())
            await pilot.press("enter")  # historical context, the first kind
            await until(pilot, lambda: "historical_context" in screen.stored, what="insight")
            await settle(pilot)
            insight = screen.stored["historical_context"]
            assert insight.text == "Paul wrote from Corinth; compare Acts 20:2."
            assert screen.log_view.reply_text(insight.id) == insight.text
            assert provenance(screen).startswith("Generated ")

            await pilot.press("down", "up")  # away and back: shown from storage
            await settle(pilot)
            assert provenance(screen).startswith("Saved insight, generated ")
            assert "claude" in provenance(screen)
            assert server.request_count == 1

            await pilot.press("r")
            await until(pilot, lambda: screen.stored["historical_context"].text == "A fresh take.")
            assert server.request_count == 2


async def test_without_a_key_insights_say_how_to_set_it(settings):
    app = study_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_insights(pilot, "jn 1:1")
        await pilot.press("enter")
        await settle(pilot)
        assert "ANTHROPIC_API_KEY" in provenance(screen)


async def test_f4_follows_the_readers_selection(settings):
    app = study_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, "ps 23:1")
        await pilot.press("f4")
        await until(pilot, lambda: isinstance(app.screen, InsightsScreen), what="insights")
        await settle(pilot)
        assert "Psalm 23:1" in str(app.screen.query_one("#insight-title").render())
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("j", "f4")
        await settle(pilot)
        assert "Psalm 23:2" in str(app.screen.query_one("#insight-title").render())
