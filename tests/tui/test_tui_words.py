"""Defining words from the reader with Pilot: keyboard word picker, glossary first, Claude's
sense streamed after, saving to My words; without a key the glossary still answers."""

from __future__ import annotations

from textual.widgets import Static

from tests.support.fake_anthropic import FakeAnthropic, Reply, ToolUse
from tests.support.tui import SIZE, go_to, settle, study_app, until
from verse_tui.tui.words.my_words import MyWordsScreen
from verse_tui.tui.words.word_screen import WordScreen


def shown(screen, selector: str) -> str:
    widget = screen.query_one(selector, Static)
    return "".join(strip.text for strip in widget.render_lines(widget.region.reset_offset))


async def pick_word(pilot, reference: str, word: str) -> WordScreen:
    await settle(pilot)
    await go_to(pilot, reference)
    await pilot.press("w")
    await until(pilot, lambda: isinstance(pilot.app.screen, WordScreen), what="word picker")
    screen = pilot.app.screen
    while screen.word != word:
        await pilot.press("right")
    return screen


async def test_glossary_first_then_claude_then_saved(settings):
    async with FakeAnthropic() as server:
        server.enqueue(
            Reply(
                chunks=(
                    "Part of speech: noun\n",
                    "Sense in this verse: self-giving love\n",
                    "Modern equivalent: love",
                ),
                delay=0.01,
            )
        )
        app = study_app(settings, server.llm_client())
        async with app.run_test(size=SIZE) as pilot:
            screen = await pick_word(pilot, "1 cor 13:4", "charity")
            await pilot.press("enter")
            await until(
                pilot,
                lambda: screen.definition is not None and screen.definition.source == "ai",
                what="definition",
            )
            await settle(pilot)
            assert "From the glossary" in shown(screen, "#word-glossary")
            assert "self-giving love" in shown(screen, "#word-ai")
            assert "charity" in server.requests[0].last_user_text
            await pilot.press("s")
            await settle(pilot)
            words = await app.services.definitions.list_definitions()
            assert [w.definition.word for w in words] == ["charity"]
            await pilot.press("escape")
            await pilot.press("W")
            await until(pilot, lambda: isinstance(app.screen, MyWordsScreen))
            await settle(pilot)
            assert "self-giving love" in shown(app.screen, "#word-detail")


async def test_claude_reading_the_context_shows_as_a_quiet_line(settings):
    read = ToolUse("read_passage", {"reference": "1 Cor 13:4-7"}, id="toolu_words")
    async with FakeAnthropic() as server:
        server.enqueue(
            Reply(chunks=("Reading the chapter.",), tools=(read,), stop_reason="tool_use"),
            Reply(chunks=tuple(f"Sense in this verse: love {n}\n" for n in range(20)), delay=0.05),
        )
        app = study_app(settings, server.llm_client())
        async with app.run_test(size=SIZE) as pilot:
            screen = await pick_word(pilot, "1 cor 13:4", "charity")
            await pilot.press("enter")
            await until(
                pilot,
                lambda: "⚙ read 1 Corinthians 13:4–7 (KJV)" in shown(screen, "#word-notice"),
                what="the tool line",
            )
            await until(pilot, lambda: screen.definition is not None and screen.definition.ai_text)
            assert screen.definition.ai_text.startswith("Reading the chapter.\n\nSense in")
            (result,) = server.requests[1].body["messages"][2]["content"]
            assert "Charity suffereth long, and is kind" in result["content"]


async def test_without_a_key_the_glossary_answers_and_says_so(settings):
    app = study_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        screen = await pick_word(pilot, "phil 1:27", "conversation")
        await pilot.press("enter")
        await until(pilot, lambda: screen.definition is not None, what="definition")
        await settle(pilot)
        assert "From the glossary" in shown(screen, "#word-glossary")
        assert "ANTHROPIC_API_KEY" in shown(screen, "#word-notice")


async def test_the_original_word_card_comes_first(settings):
    app = study_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        screen = await pick_word(pilot, "1 cor 13:4", "charity")
        await pilot.press("enter")
        await until(pilot, lambda: screen.definition is not None, what="definition")
        await settle(pilot)
        card = shown(screen, "#word-glossary")
        assert "G26 · ἀγάπη" in card and "agápē" in card
        assert "love (81)" in card and card.index("G26") < card.index("From the glossary")


async def test_enter_on_the_word_card_opens_the_concordance_and_a_verse_there(settings):
    from verse_tui.tui.study.concordance_screen import ConcordanceScreen

    app = study_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        screen = await pick_word(pilot, "1 cor 13:4", "charity")
        await pilot.press("enter")
        await until(pilot, lambda: screen.definition is not None, what="definition")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConcordanceScreen), what="concordance")
        concordance = app.screen
        await until(pilot, lambda: concordance.page is not None, what="verses")
        assert concordance.page.total == 106 and len(concordance.page.hits) == 106
        assert concordance.page.hits[0].osis == "Matt.24.12"
        await pilot.press("down", "enter")  # the second verse: Luke 11:42
        await until(pilot, lambda: not isinstance(app.screen, (ConcordanceScreen, WordScreen)))
        await settle(pilot)
        reader = app.screen
        assert (reader.book, reader.chapter) == (42, 11)
        assert reader.view.cursor_ref.verse == 42
