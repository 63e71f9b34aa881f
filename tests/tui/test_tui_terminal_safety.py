"""Escape sequences in titles, questions, replies and device names never reach the terminal
from the TUI: Textual and Rich pass ESC through, so the app shows them as pictures."""

from __future__ import annotations

import io

import pytest
from test_tui_chat import ask, open_chat_about, reply_status

from tests.support.fake_anthropic import FakeAnthropic, Reply
from tests.support.tui import SIZE, study_app, until
from verse_tui.tui.chat.screen import ChatScreen

QUESTION = "Who \x1b]0;pwned\x07\x1b[31mRED?"
REPLY = ("Copied \x1b]52;c;cHduZWQ=\x07", " and \x9b2J cleared.")


def assert_screen_safe(svg: str) -> None:
    assert not any(c in svg for c in ("\x1b", "\x07", "\x9b")), "raw control on screen"


async def test_chat_titles_questions_and_replies_show_controls_as_pictures(settings) -> None:
    async with FakeAnthropic() as server:
        server.enqueue(Reply(chunks=REPLY))
        app = study_app(settings, server.llm_client())
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_chat_about(pilot)
            await ask(pilot, screen, QUESTION)
            await until(
                pilot,
                lambda: not screen.is_streaming and reply_status(screen) == "complete",
                what="reply",
            )
            await until(pilot, lambda: "pwned" in str(screen.query_one("#chat-title").render()))
            await pilot.pause()
            assert isinstance(app.screen, ChatScreen)
            svg = app.export_screenshot()
            assert "\u241b]52;c;" in svg and "\u241b]0;pwned" in svg
            assert_screen_safe(svg)
            chat = await app.services.chats.get_chat(screen.chat_id)
            assert chat.messages[1].text == "".join(REPLY)  # stored as Claude sent it


async def test_a_device_named_with_escapes_is_shown_as_pictures(
    settings, tmp_path, monkeypatch
) -> None:
    from test_tui_devices import open_devices

    from tests.conftest import make_settings
    from verse_tui.app_factory import build_services

    other_home = tmp_path / "other-home"
    other_home.mkdir()
    monkeypatch.setattr("socket.gethostname", lambda: "Box\x1b]0;pwned\x07\x1b[2J")
    other = await build_services(make_settings(other_home, settings.database_url))
    try:
        code = await other.devices.request_link()  # another account's device, asking to join
    finally:
        await other.aclose()
    monkeypatch.setattr("socket.gethostname", lambda: "Desk\x1b[31mRED")
    app = study_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_devices(pilot)
        assert "Desk\u241b[31mRED" in str(screen.query_one("#account").render())
        svg = app.export_screenshot()
        assert "Desk\u241b[31mRED" in svg
        assert_screen_safe(svg)
        await pilot.press("a")
        await until(pilot, lambda: app.screen is not screen, what="approve modal")
        app.screen.query_one("Input").value = code.code
        await pilot.press("enter")
        await until(pilot, lambda: "pwned" in app.export_screenshot(), what="the asking device")
        svg = app.export_screenshot()
        assert "Box\u241b]0;pwned\u2407\u241b[2J" in svg
        assert_screen_safe(svg)


async def test_a_crash_traceback_shows_no_local_variables(make_app) -> None:
    from rich.console import Console

    app = make_app()
    shown: list[str] = []

    def capture() -> None:  # what Textual prints on exit, before it is cleared
        console = Console(record=True, width=120, file=io.StringIO())
        for renderable in app._exit_renderables:
            console.print(renderable)
        shown.append(console.export_text())

    def crash() -> None:
        api_key = "-".join(("sk", "ant", "secret", "key"))  # not in the source the trace shows
        raise RuntimeError(f"a bug ({len(api_key)})")

    app._print_error_renderables = capture  # type: ignore[method-assign]
    with pytest.raises(RuntimeError, match="a bug"):
        async with app.run_test(size=SIZE) as pilot:
            app.call_later(crash)
            await pilot.pause()
    assert shown and "RuntimeError" in shown[0] and "a bug (17)" in shown[0]
    assert "sk-ant-secret-key" not in shown[0]
