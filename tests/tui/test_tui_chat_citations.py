"""Citation marks in the chat with Pilot: inline after each quotation and reference, the real
verse text on hover and in the citations list (ctrl+t), and the shown text still exactly the
saved text (the marks are decoration)."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import OptionList

from tests.support.fake_anthropic import FakeAnthropic, Reply
from tests.support.tui import SIZE, reader, settle, study_app, until
from tests.tui.test_tui_chat import ask, open_chat_about, reply_status
from verse_tui.domain.bible import VerseRef
from verse_tui.tui.chat.chat_log import CitationMarks
from verse_tui.tui.chat.citation_list import CitationList
from verse_tui.tui.chat.screen import ChatScreen
from verse_tui.tui.chat.streaming_markdown import ReplyBlock

REPLY = (
    'John 3:16 says "For God so loved the world".\n\n',
    "See John 22:5 and *Rom 5:8*.\n\n",
    "> For all have sinned, and come short of the glory of God.\n> — Romans 3:23\n",
)


def shown_lines(block: ReplyBlock) -> list[str]:
    """The block as the screen draws it, line by line (its width, no colours)."""
    console = Console(width=block.content_region.width, file=io.StringIO(), color_system=None)
    console.print(block.content)
    return console.file.getvalue().splitlines()  # type: ignore[attr-defined]


def shown(block: ReplyBlock) -> str:
    return " ".join(line.strip() for line in shown_lines(block))


def blocks(screen: ChatScreen) -> list[ReplyBlock]:
    return list(screen.log_view.query(ReplyBlock).results(ReplyBlock))


async def test_marks_follow_each_citation_inline_and_the_text_stays_exact(settings):
    async with FakeAnthropic() as server:
        server.enqueue(Reply(chunks=REPLY, delay=0.01))
        app = study_app(settings, server.llm_client())
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_chat_about(pilot)
            await ask(pilot, screen, "Quote John 3:16")
            await until(pilot, lambda: reply_status(screen) == "complete", what="reply")
            first, second, third = before = blocks(screen)
            assert 'John 3:16 says "For God so loved the world" ✓.' in shown(first)
            assert "See John 22:5 ✗ and Rom 5:8 ✓." in shown(second)
            assert shown(third).endswith("— Romans 3:23 ✓")  # a block quote: after its source
            chat = await app.services.chats.get_chat(screen.chat_id)
            reply = chat.messages[-1]
            assert screen.log_view.reply_text(reply.id) == reply.text  # byte for byte
            (marks,) = screen.log_view.query(CitationMarks).results(CitationMarks)
            assert str(marks.render()) == (
                "✓ 3  ✗ 1 · 4 citations checked against the text (ctrl+t shows them)"
            )

            streamed = [shown(block) for block in before]
            await screen.log_view.show_chat(chat)  # reopened from the database
            await pilot.pause()
            assert [shown(block) for block in blocks(screen)] == streamed
            assert screen.log_view.reply_text(reply.id) == reply.text


async def test_hovering_a_mark_shows_the_real_verse_text(settings):
    async with FakeAnthropic() as server:
        server.enqueue(Reply(chunks=REPLY))
        app = study_app(settings, server.llm_client())
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_chat_about(pilot)
            await ask(pilot, screen, "Quote John 3:16")
            await until(pilot, lambda: reply_status(screen) == "complete", what="reply")
            await pilot.pause()
            second = blocks(screen)[1]
            line = next(n for n, text in enumerate(shown_lines(second)) if "✓" in text)
            column = shown_lines(second)[line].index("✓")
            await pilot.hover(second, offset=(column, line))
            await until(
                pilot,
                lambda: "But God commendeth his love" in str(second.tooltip),
                what="the verse text of Rom 5:8 in the tooltip",
            )
            tooltip = str(second.tooltip)
            assert tooltip.startswith("✓ verified · Romans 5:8 · KJV")
            assert "Romans 5:8 (KJV): But God commendeth his love toward us" in tooltip
            await pilot.hover(second, offset=(0, line))  # off the mark: no tooltip
            assert second.tooltip is None
            await pilot.click(second, offset=(column, line))  # the list, from this citation
            await until(pilot, lambda: isinstance(app.screen, CitationList), what="the list")
            options = app.screen.query_one(OptionList)
            assert str(options.highlighted_option.prompt).startswith("✓ verified · Romans 5:8")


async def test_ctrl_t_lists_each_citation_with_its_verdict_and_real_text(settings):
    async with FakeAnthropic() as server:
        said = 'Paul: "For God so loveth the world" (John 3:16). See Rom 5:8.'
        server.enqueue(Reply(chunks=(said,)))
        app = study_app(settings, server.llm_client())
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_chat_about(pilot)
            await ask(pilot, screen, "Quote John 3:16")
            await until(pilot, lambda: reply_status(screen) == "complete", what="reply")
            await pilot.press("ctrl+t")
            await until(pilot, lambda: isinstance(app.screen, CitationList), what="the list")
            await settle(pilot)  # the verses without their text in the citation are read
            options = app.screen.query_one(OptionList)
            quote, reference = (str(options.get_option_at_index(n).prompt) for n in range(2))
            assert quote.splitlines() == [
                "✗ misquoted, 74% alike · John 3:16 · KJV",
                "Quoted: “For God so loveth the world”",
                "John 3:16 (KJV): For God so loved the world, that he gave his only begotten "
                "Son, that whosoever believeth in him should not perish, but have everlasting "
                "life.",
            ]
            assert reference.splitlines() == [
                "✓ verified · Romans 5:8 · KJV",
                "Romans 5:8 (KJV): But God commendeth his love toward us, in that, while we "
                "were yet sinners, Christ died for us.",
            ]
            await pilot.press("enter")  # opens the verse in the reader
            await until(pilot, lambda: app.current_mode == "reading", what="reader")
            await settle(pilot)
            assert reader(app).view.cursor_ref == VerseRef(43, 3, 16)


async def test_continue_keeps_the_marks_of_the_part_already_written(settings):
    async with FakeAnthropic() as server:
        server.enqueue(
            Reply(chunks=(REPLY[0], "And "), stop_reason="max_tokens"),
            Reply(chunks=("Rom 5:8 too.",)),
        )
        app = study_app(settings, server.llm_client())
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_chat_about(pilot)
            await ask(pilot, screen, "Quote John 3:16")
            await until(pilot, lambda: reply_status(screen) == "complete", what="reply")
            await pilot.press("ctrl+r")  # continue the reply cut at the length limit
            await until(
                pilot,
                lambda: (
                    reply_status(screen) == "complete" and "Rom 5:8 ✓" in shown(blocks(screen)[-1])
                ),
                what="the continued reply's mark",
            )
            first, second = blocks(screen)
            assert '"For God so loved the world" ✓.' in shown(first)
            assert shown(second) == "And Rom 5:8 ✓ too."
            saved = await app.services.chats.get_message(screen.log_view.last_footer().message_id)
            assert [c.reference for c in saved.citations] == ["John.3.16", "Rom.5.8"]
            assert screen.log_view.reply_text(saved.id) == saved.text


async def test_a_chat_in_another_translation_shows_that_translations_words(settings):
    async with FakeAnthropic() as server:
        server.enqueue(Reply(chunks=("See Rom 5:8.",)))
        app = study_app(settings, server.llm_client())
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            reader(app).set_translation("WEB")
            screen = await open_chat_about(pilot)
            await until(pilot, lambda: screen.log_view.translation == "WEB", what="WEB")
            await ask(pilot, screen, "Where does Paul say it?")
            await until(pilot, lambda: reply_status(screen) == "complete", what="reply")
            await pilot.press("ctrl+t")
            await until(pilot, lambda: isinstance(app.screen, CitationList), what="the list")
            await settle(pilot)
            prompt = str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
            assert prompt.splitlines() == [
                "✓ verified · Romans 5:8 · WEB",
                "Romans 5:8 (WEB): But God commends his own love toward us, in that while we "
                "were yet sinners, Christ died for us.",
            ]
