"""A study action chosen while the library is still opening waits for it, visibly: the place
opens once the library is ready, text typed meanwhile lands in its text box (not on the
reader's keys), Escape cancels, and a library that fails to open says why."""

from __future__ import annotations

import asyncio
from typing import Any

from textual.command import CommandPalette

from tests.support.tui import SIZE, notices, settle, until
from verse_tui.app_factory import build_services
from verse_tui.bible.sqlite_bible_client import SqliteBibleClient
from verse_tui.config import Settings
from verse_tui.db.engine import DatabaseError
from verse_tui.services.bible import BibleService
from verse_tui.tui.app import VerseApp
from verse_tui.tui.library_opening import LibraryOpeningModal


def gated_app(settings: Settings, gate: asyncio.Event, *, fail: bool = False) -> VerseApp:
    """The real app whose library opens only once `gate` is set (or then fails)."""

    async def load_services() -> Any:
        await gate.wait()
        if fail:
            raise DatabaseError("The Verse database is damaged (test).")
        return await build_services(settings)

    bible = BibleService(SqliteBibleClient(settings.bible_path))
    return VerseApp(settings, bible, load_services, library_delay=0)


def waiting(app: VerseApp) -> bool:
    return isinstance(app.screen, LibraryOpeningModal)


async def test_open_chat_from_the_palette_waits_for_the_library_and_keeps_typed_text(
    settings: Settings,
) -> None:
    gate = asyncio.Event()
    app = gated_app(settings, gate)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, library=False)
        await pilot.press("ctrl+p", *"Open Chat")
        await until(pilot, lambda: _highlighted(app).startswith("Open Chat"), what="the hit")
        await pilot.press("enter")
        await until(pilot, lambda: waiting(app), what="the opening notice")
        assert "Chat opens as soon as it is ready" in _modal_text(app)

        await pilot.press("i", "s", "space", "i", "t")  # `i` would open Insights in the reader
        assert app.current_mode == "reading" and app.services is None
        assert app.screen.typed == "is it"  # type: ignore[attr-defined]

        gate.set()
        await until(pilot, lambda: app.current_mode == "chat", what="the chat")
        await until(pilot, lambda: _prompt(app) is not None, what="the question box")
        prompt = _prompt(app)
        await until(pilot, lambda: prompt.value == "is it", what="the typed text")
        assert prompt.has_focus
        assert "insights" not in app._modes
        assert not any("still opening" in text for text in notices(app))


async def test_the_reader_key_for_chat_waits_too_and_escape_cancels(settings: Settings) -> None:
    gate = asyncio.Event()
    app = gated_app(settings, gate)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, library=False)
        await pilot.press("c")
        await until(pilot, lambda: waiting(app), what="the opening notice")
        await pilot.press("escape")
        await until(pilot, lambda: not waiting(app), what="the notice to close")

        gate.set()
        await settle(pilot)
        assert app.services is not None
        assert app.current_mode == "reading" and "chat" not in app._modes


async def test_the_latest_choice_wins_and_runs_once(settings: Settings) -> None:
    gate = asyncio.Event()
    app = gated_app(settings, gate)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, library=False)
        await pilot.press("c")
        await until(pilot, lambda: waiting(app), what="the opening notice")
        app.action_open_place("insights")
        await pilot.pause()
        assert "Insights opens as soon as it is ready" in _modal_text(app)

        gate.set()
        await until(pilot, lambda: app.current_mode == "insights", what="insights")
        await settle(pilot)
        assert "chat" not in app._modes and not waiting(app)


async def test_a_library_that_fails_to_open_closes_the_notice_and_says_why(
    settings: Settings,
) -> None:
    gate = asyncio.Event()
    app = gated_app(settings, gate, fail=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, library=False)
        await pilot.press("c")
        await until(pilot, lambda: waiting(app), what="the opening notice")
        gate.set()
        await until(pilot, lambda: app.services_error is not None, what="the failure")
        await until(pilot, lambda: not waiting(app), what="the notice to close")
        await until(pilot, lambda: any("damaged" in t for t in notices(app)), what="why")
        assert app.current_mode == "reading"


def _highlighted(app: VerseApp) -> str:
    palette = app.screen
    if not isinstance(palette, CommandPalette):
        return ""
    options = palette.query_one("CommandList")
    index = options.highlighted  # type: ignore[attr-defined]
    if index is None:
        return ""
    return str(options.get_option_at_index(index).prompt)  # type: ignore[attr-defined]


def _prompt(app: VerseApp) -> Any:
    from verse_tui.tui.chat.prompt_input import PromptInput

    found = app.screen.query(PromptInput)
    return found.first() if found else None


def _modal_text(app: VerseApp) -> str:
    return str(app.screen.query_one("#opening-message").render())


async def test_library_files_others_could_read_are_made_private_and_said_once(
    sqlite_settings: Settings,
) -> None:
    settings = sqlite_settings
    import os
    import stat

    from verse_tui.tui.run import build_app

    services = await build_services(settings)
    await services.aclose()
    path = settings.home / "verse.sqlite"
    os.chmod(path, 0o644)

    app = build_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        said = [t for t in notices(app) if "could read your Verse library" in t]
        assert len(said) == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    app = build_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not [t for t in notices(app) if "could read" in t]


async def test_a_bad_price_table_keeps_the_library_closed_and_says_why(
    sqlite_settings: Settings,
) -> None:
    """The reader's services are built lazily; the settings they read are checked before the
    library counts as open, as when everything was built at start-up."""
    from verse_tui.tui.run import build_app

    home = sqlite_settings.home
    (home / "config.toml").write_text('[prices."claude-test"]\ninput = "cheap"\n')
    app = build_app(Settings.from_env({"VERSE_HOME": str(home)}))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, library=False)
        await until(pilot, lambda: app.services_error is not None, what="the failure")
        assert app.services is None and "claude-test" in app.services_error


async def test_the_reader_builds_the_study_services_once_its_library_is_open(
    sqlite_settings: Settings,
) -> None:
    from verse_tui.tui.run import build_app

    app = build_app(sqlite_settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await until(pilot, lambda: "chats" in vars(app.services), what="the chat service")
        assert {"llm", "chats", "insights", "definitions", "devices"} <= set(vars(app.services))
