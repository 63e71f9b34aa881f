"""SVG snapshots of the chat and word screens (pytest-textual-snapshot); a fixed clock and
the loopback fake API keep them stable. Update with --snapshot-update."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from tests.conftest import ManualClock
from tests.support.fake_anthropic import ErrorStatus, FakeAnthropic, Reply
from tests.support.tui import SIZE, settle, study_app, until
from verse_tui.llm.client import LlmClient

REPLY = (
    "Two things stand out in **John 3:16**:\n\n"
    '1. The love comes first: *so* means "in this way".\n'
    "2. The gift is the Son; compare Rom 5:8.\n\n"
    '```python\nverbs = ["loved", "gave"]\n```\n\n'
    "> For God so loved the world."
)


def still(pilot: Pilot) -> None:
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    pilot.app.clear_notifications()


async def chat_reply_shown(pilot: Pilot, question: str) -> None:
    await settle(pilot)
    await pilot.press("g", *"jn 3:16", "enter")
    await settle(pilot)
    await pilot.press("c")
    await until(pilot, lambda: pilot.app.current_mode == "chat")
    await until(pilot, lambda: hasattr(pilot.app.screen, "prompt"), what="the chat screen")
    await settle(pilot)
    screen = pilot.app.screen
    screen.prompt.value = question
    await pilot.press("enter")
    await until(
        pilot,
        lambda: (
            screen.log_view.last_footer() is not None
            and screen.log_view.last_footer().outcome.status != "streaming"
        ),
    )
    await settle(pilot)
    screen.log_view.anchor(False)  # the same scroll position in every run
    screen.log_view.scroll_home(animate=False, immediate=True)
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()  # the repaint at that position
    still(pilot)


def test_chat_with_a_markdown_reply(snap_compare, sqlite_settings):
    with FakeAnthropic.in_thread() as server:
        server.enqueue(Reply(chunks=tuple(REPLY[i : i + 7] for i in range(0, len(REPLY), 7))))
        app = study_app(sqlite_settings, server.llm_client(), ManualClock())

        async def run_before(pilot: Pilot) -> None:
            await chat_reply_shown(pilot, "What stands out here?")

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_chat_with_a_failed_reply(snap_compare, sqlite_settings):
    with FakeAnthropic.in_thread() as server:
        server.enqueue(ErrorStatus(401, "authentication_error", "invalid x-api-key"))
        app = study_app(sqlite_settings, server.llm_client(), ManualClock())

        async def run_before(pilot: Pilot) -> None:
            await chat_reply_shown(pilot, "Will this work?")

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_word_picker_with_the_glossary(snap_compare, sqlite_settings):
    keyless = LlmClient(api_key=None)  # no config file path in the message: a stable picture
    app = study_app(sqlite_settings, keyless, ManualClock())

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("g", *"1 cor 13:4", "enter")
        await settle(pilot)
        await pilot.press("w", *("right",) * 3, "enter")
        await settle(pilot)
        still(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
