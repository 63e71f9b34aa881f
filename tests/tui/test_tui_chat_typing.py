"""Keys typed while the chat opens or while a reply streams all reach the question box.

The driver posts each key to the app as it reads it; a fast typist (or `tmux send-keys`)
delivers a question while the chat screen is still opening. Textual focused the first
focusable widget, the chat list, which swallowed those keys: a question was saved cut short.
"""

from __future__ import annotations

import asyncio

from textual import events

from tests.support.fake_anthropic import FakeAnthropic, Reply
from tests.support.tui import SIZE, settle, study_app, until
from verse_tui.tui.chat.screen import ChatScreen


def type_burst(app, text: str) -> None:
    """Post keys as the driver does: all at once, without waiting for any to be handled."""
    for char in text:
        key = "space" if char == " " else char
        app.post_message(events.Key(key, char))


async def ask_for_a_long_reply(pilot) -> ChatScreen:
    """Open the chat, ask, and return once the reply has started streaming."""
    await settle(pilot)
    await pilot.press("c")
    await until(pilot, lambda: isinstance(pilot.app.screen, ChatScreen), what="chat screen")
    screen = pilot.app.screen
    screen.prompt.value = "Tell me everything"
    await pilot.press("enter")
    await until(pilot, lambda: screen.blocks is not None, what="reply started")
    return screen


async def test_a_question_typed_while_the_chat_opens_is_saved_whole(settings):
    question = "Explain the Word made flesh in John 1"
    async with FakeAnthropic() as server:
        server.enqueue(Reply(chunks=("In the beginning.",), delay=0.0))
        app = study_app(settings, server.llm_client())
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            type_burst(app, "c")
            # Type on the moment the chat is the screen: yield to the loop, never sleep.
            while not isinstance(app.screen, ChatScreen):  # noqa: ASYNC110
                await asyncio.sleep(0)
            screen = app.screen
            type_burst(app, question)
            app.post_message(events.Key("enter", "\r"))
            await until(pilot, lambda: screen.chat_id is not None, what="chat saved")
            await until(pilot, lambda: not screen.is_streaming, what="reply")
            chat = await app.services.chats.get_chat(screen.chat_id)
            assert chat.messages[0].text == question


async def test_keys_typed_while_a_reply_streams_all_reach_the_box(settings):
    typed = "and what does flesh mean here"
    async with FakeAnthropic() as server:
        server.enqueue(Reply(chunks=tuple(f"word{n} " for n in range(300)), delay=0.01))
        app = study_app(settings, server.llm_client())
        async with app.run_test(size=SIZE) as pilot:
            screen = await ask_for_a_long_reply(pilot)
            for start in range(0, len(typed), 3):  # bursts of three keys while it streams
                type_burst(app, typed[start : start + 3])
                await pilot.pause(0.02)
            await until(pilot, lambda: not screen.is_streaming, what="reply")
            assert screen.prompt.value == typed


async def test_typing_on_through_the_library_opening_keeps_every_key_in_order(settings):
    """`c` while the library opens: the start is kept by the opening notice, the rest is typed
    as the chat appears (the issue 15 question saved as "Explain the Word m")."""
    from test_tui_library_opening import gated_app, waiting

    gate = asyncio.Event()
    app = gated_app(settings, gate)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, library=False)
        await pilot.press("c")
        await until(pilot, lambda: waiting(app), what="the opening notice")
        type_burst(app, "Explain the Word m")
        await until(pilot, lambda: app.screen.typed == "Explain the Word m", what="kept")
        gate.set()
        while not isinstance(app.screen, ChatScreen):  # noqa: ASYNC110 - type on at once
            await asyncio.sleep(0)
        screen = app.screen
        for start in range(0, 9, 3):
            type_burst(app, "ade flesh"[start : start + 3])
            await asyncio.sleep(0.01)
        await until(pilot, lambda: len(screen.prompt.value) >= 27, what="every key")
        await settle(pilot)
        assert screen.prompt.value == "Explain the Word made flesh"


async def test_a_reply_keeps_showing_while_someone_types_without_pause(settings):
    """Each key's echo is drawn before the reply's next repaint, but typing never holds the
    reply back for long: it grows on screen while keys keep coming."""
    async with FakeAnthropic() as server:
        server.enqueue(Reply(chunks=tuple(f"word{n} " for n in range(400)), delay=0.01))
        app = study_app(settings, server.llm_client())
        async with app.run_test(size=SIZE) as pilot:
            screen = await ask_for_a_long_reply(pilot)
            footer = screen.log_view.last_footer()
            shown = []
            while screen.is_streaming:
                type_burst(app, "x")
                await pilot.pause(0.01)
                shown.append(len(screen.log_view.reply_text(footer.message_id)))
            assert len({n for n in shown if n}) > 5  # it grew in steps while typed over
            saved = await app.services.chats.get_message(footer.message_id)
            assert screen.log_view.reply_text(saved.id) == saved.text
