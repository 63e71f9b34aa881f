"""The Chat place with Pilot: the real app, services and anthropic client, a loopback fake API."""

from __future__ import annotations

from tests.support.fake_anthropic import ErrorStatus, FakeAnthropic, Reply, ToolUse
from tests.support.tui import SIZE, reader, settle, study_app, until
from verse_tui.domain.bible import VerseRange, VerseRef
from verse_tui.tui.chat.chat_log import ToolLines
from verse_tui.tui.chat.screen import ChatScreen


async def open_chat_about(pilot, keys: tuple[str, ...] = ()) -> ChatScreen:
    await settle(pilot)
    await pilot.press(*keys, "c")
    await until(pilot, lambda: isinstance(pilot.app.screen, ChatScreen), what="chat screen")
    await pilot.pause()
    return pilot.app.screen


async def ask(pilot, screen: ChatScreen, question: str) -> None:
    screen.prompt.focus()
    screen.prompt.value = question
    await pilot.press("enter")


def last_outcome(screen: ChatScreen):
    footer = screen.log_view.last_footer()
    return None if footer is None else footer.outcome


def reply_status(screen: ChatScreen) -> str | None:
    """The newest reply's status ("complete", "failed", ...), None before the first reply."""
    outcome = last_outcome(screen)
    return None if outcome is None else outcome.status


async def test_ask_streams_the_reply_and_saves_it(settings):
    async with FakeAnthropic() as server:
        server.enqueue(
            Reply(
                chunks=("God ", "so **loved** ", "the world.\n\n", "See Rom 5:8."),
                delay=0.01,
                input_tokens=321,
                output_tokens=12,
            )
        )
        app = study_app(settings, server.llm_client())
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_chat_about(pilot, ("g", *"jn 3:16", "enter"))
            assert "John 3:16" in str(screen.query_one("#chat-title").render())
            await ask(pilot, screen, "What does loved mean here?")
            await until(
                pilot,
                lambda: not screen.is_streaming and reply_status(screen) == "complete",
                what="reply",
            )
            chat = await app.services.chats.get_chat(screen.chat_id)
            assert chat.summary.reference == "John 3:16"
            question, reply = chat.messages
            assert question.text == "What does loved mean here?"
            assert reply.text == "God so **loved** the world.\n\nSee Rom 5:8."
            assert screen.log_view.reply_text(reply.id) == reply.text
            assert "12 tokens" in screen.log_view.footer(reply.id).outcome.label()
            assert "John 3:16" in server.requests[0].body["system"][-1]["text"]
            await settle(pilot)
            title = str(screen.query_one("#chat-title").render())
            assert title == f"{chat.summary.title} · John 3:16 (KJV)" != "New chat"
            cost = screen.query_one("#chat-cost")
            await until(pilot, lambda: "321 in · 12 out · ≈ $" in str(cost.render()), what="cost")


async def test_opening_the_chat_builds_claudes_client_before_the_first_question(settings):
    """The warm-up thread builds the SDK client (TLS certificates, 20-40 ms), so the first
    question does not pay for it on the event loop."""
    async with FakeAnthropic() as server:
        app = study_app(settings, server.llm_client())
        async with app.run_test(size=SIZE) as pilot:
            await open_chat_about(pilot)
            await until(pilot, lambda: app.services.llm._sdk is not None, what="client")
            assert not server.requests  # built, not used: nothing was sent


async def test_escape_stops_the_reply_and_keeps_the_partial_text(settings):
    async with FakeAnthropic() as server:
        server.enqueue(Reply(chunks=tuple(f"word{n} " for n in range(200)), delay=0.02))
        app = study_app(settings, server.llm_client())
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_chat_about(pilot)
            await ask(pilot, screen, "Tell me everything")
            await until(pilot, lambda: screen.blocks is not None and len(screen.blocks.text) > 40)
            await pilot.press("escape")
            await until(
                pilot,
                lambda: not screen.is_streaming and reply_status(screen) == "cancelled",
            )
            footer = screen.log_view.last_footer()
            saved = await app.services.chats.get_message(footer.message_id)
            assert saved.status == "cancelled"
            assert saved.text.startswith("word0 word1 ") and len(saved.text) < 200 * 6
            assert screen.log_view.reply_text(saved.id) == saved.text
            assert "Stopped" in footer.outcome.label() and footer.query_one(".continue").display


async def test_a_truncated_reply_continues_in_place(settings):
    async with FakeAnthropic() as server:
        server.enqueue(
            Reply(chunks=("The first half, ",), stop_reason="max_tokens"),
            Reply(chunks=("and the second half.",)),
        )
        app = study_app(settings, server.llm_client())
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_chat_about(pilot)
            await ask(pilot, screen, "A long answer please")
            await until(pilot, lambda: reply_status(screen) == "complete")
            footer = screen.log_view.last_footer()
            assert footer.outcome.truncated and footer.query_one(".continue").display
            await pilot.click(footer.query_one(".continue"))
            await until(
                pilot,
                lambda: reply_status(screen) == "complete" and not last_outcome(screen).truncated,
                what="continued reply",
            )
            saved = await app.services.chats.get_message(footer.message_id)
            assert saved.text == "The first half, and the second half."
            assert screen.log_view.reply_text(saved.id) == saved.text
            assert server.request_count == 2


async def test_a_failed_reply_shows_the_error_and_retry_works(settings):
    async with FakeAnthropic() as server:
        server.enqueue(
            ErrorStatus(401, "authentication_error", "bad key"), Reply(chunks=("Now it works.",))
        )
        app = study_app(settings, server.llm_client())
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_chat_about(pilot)
            await ask(pilot, screen, "Will this fail?")
            await until(pilot, lambda: reply_status(screen) == "failed")
            footer = screen.log_view.last_footer()
            assert footer.has_class("-failed") and footer.query_one(".retry").display
            chat = await app.services.chats.get_chat(screen.chat_id)
            assert chat.messages[0].text == "Will this fail?"  # what was typed is kept
            await pilot.press("ctrl+r")
            await until(pilot, lambda: reply_status(screen) == "complete", what="retry")
            saved = await app.services.chats.get_message(footer.message_id)
            assert saved.text == "Now it works." and saved.status == "complete"
            assert screen.log_view.reply_text(saved.id) == saved.text


async def test_a_reference_in_a_reply_opens_the_reader(settings):
    async with FakeAnthropic() as server:
        server.enqueue(Reply(chunks=("See Rom 5:8 too.",)), Reply(chunks=("And John 3:16.",)))
        app = study_app(settings, server.llm_client())
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_chat_about(pilot)
            await ask(pilot, screen, "Where else?")
            await until(pilot, lambda: reply_status(screen) == "complete")
            block = screen.log_view.query("ReplyBlock").last()
            await pilot.click(block, offset=(6, 0))
            await until(pilot, lambda: app.current_mode == "reading", what="reader")
            await settle(pilot)
            view = reader(app).view
            assert view.cursor_ref == VerseRef(45, 5, 8)

            app.action_open_place("chat")
            await pilot.pause()
            await ask(pilot, screen, "And?")
            await until(
                pilot,
                lambda: (
                    len(screen.log_view.query("ReplyFooter")) == 2
                    and reply_status(screen) == "complete"
                ),
            )
            await pilot.press("ctrl+o")
            await pilot.pause()
            await pilot.press("enter")  # the newest reply's reference comes first
            await until(pilot, lambda: app.current_mode == "reading", what="reader")
            await settle(pilot)
            assert reader(app).view.cursor_ref == VerseRef(43, 3, 16)


async def test_without_a_key_chat_says_how_to_set_it_and_keeps_the_question(settings):
    app = study_app(settings)  # settings carry no API key
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_chat_about(pilot)
        await ask(pilot, screen, "Hello?")
        await pilot.pause()
        notice = str(screen.query_one("#chat-notice").render())
        assert "ANTHROPIC_API_KEY" in notice and "Reading, search" in notice
        assert screen.prompt.value == "Hello?"
        assert await app.services.chats.list_chats() == ()


async def test_chat_list_renames_deletes_after_confirming_and_searches(settings):
    async with FakeAnthropic() as server:  # the default fallback echoes the question
        app = study_app(settings, server.llm_client())
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_chat_about(pilot, ("C",))  # the whole chapter
            assert "John 1 " in str(screen.query_one("#chat-title").render())
            for question in ("First about the Word", "Second about light"):
                await ask(pilot, screen, question)
                await until(
                    pilot, lambda: not screen.is_streaming and reply_status(screen) == "complete"
                )
            chat = await app.services.chats.get_chat(screen.chat_id)
            assert chat.summary.range == VerseRange(VerseRef(43, 1, 1), VerseRef(43, 1, 51))

            screen.prompt.focus()
            await pilot.press("up")
            assert screen.prompt.value == "Second about light"  # input history
            await pilot.press("up")
            assert screen.prompt.value == "First about the Word"
            await pilot.press("down", "down")
            assert screen.prompt.value == ""

            await settle(pilot)
            options = screen.chat_list.options
            options.focus()
            options.highlighted = 1
            await pilot.press("r")
            await pilot.pause()
            app.screen.query_one("#prompt-value").value = "The Word"
            await pilot.press("enter")
            await settle(pilot)
            assert [c.title for c in await app.services.chats.list_chats()] == ["The Word"]

            screen.query_one("#chat-search").focus()
            await pilot.press(*"light", "enter")
            await settle(pilot)
            prompts = [str(o.prompt) for o in screen.chat_list.options.options]
            assert any("light" in p for p in prompts)

            screen.chat_list.show_chats(await app.services.chats.list_chats())
            options.focus()
            options.highlighted = 1
            await pilot.press("d")
            await pilot.pause()
            await pilot.press("escape")  # not confirmed: nothing deleted
            await settle(pilot)
            assert len(await app.services.chats.list_chats()) == 1
            await pilot.press("d")
            await pilot.pause()
            await pilot.press("y")
            await settle(pilot)
            assert await app.services.chats.list_chats() == ()


async def test_a_tool_call_shows_as_one_quiet_line_live_and_after_reopening(settings):
    read = ToolUse("read_passage", {"reference": "Romans 5:8"})
    async with FakeAnthropic() as server:
        server.enqueue(
            Reply(chunks=("Let me read it.",), tools=(read,), stop_reason="tool_use"),
            Reply(chunks=("It says God commendeth his love.",)),
        )
        app = study_app(settings, server.llm_client())
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_chat_about(pilot)
            await ask(pilot, screen, "What does Romans 5:8 say?")
            await until(pilot, lambda: reply_status(screen) == "complete", what="reply")
            reply_id = screen.log_view.last_footer().message_id
            (lines,) = screen.log_view.query(ToolLines).results(ToolLines)
            assert str(lines.render()) == "⚙ read Romans 5:8 (KJV)" and lines.display
            assert "commendeth his love toward us" in str(server.requests[1].body["messages"])
            chat = await app.services.chats.get_chat(screen.chat_id)
            await screen.log_view.show_chat(chat)
            await pilot.pause()
            (shown,) = screen.log_view.query(ToolLines).results(ToolLines)
            assert shown.summaries == ["read Romans 5:8 (KJV)"] and shown.has_class(f"m-{reply_id}")
