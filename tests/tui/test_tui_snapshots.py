"""SVG snapshots of the reader (pytest-textual-snapshot). Update with --snapshot-update."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from tests.support.tui import SIZE, reader, settle
from verse_tui.tui.run import build_app


def still(pilot: Pilot) -> None:
    """Freeze what moves: cursor blink and toasts."""
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    pilot.app.clear_notifications()


def test_reading_first_run(snap_compare, sqlite_settings):
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        still(pilot)

    assert snap_compare(build_app(sqlite_settings), terminal_size=SIZE, run_before=run_before)


def test_go_to_with_an_error(snap_compare, sqlite_settings):
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("g", *"hez 3", "enter")
        still(pilot)

    assert snap_compare(build_app(sqlite_settings), terminal_size=SIZE, run_before=run_before)


def test_parallel_view_with_highlight_and_range(snap_compare, sqlite_settings):
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("g", *"ps 23:1", "enter")
        await settle(pilot)
        await pilot.press("h", "2", "j", "b")
        await settle(pilot)
        reader(pilot.app).set_parallel("WEB")
        await settle(pilot)
        await pilot.press("j", "J")
        still(pilot)

    assert snap_compare(build_app(sqlite_settings), terminal_size=SIZE, run_before=run_before)


def test_search_panel(snap_compare, sqlite_settings):
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("slash", *"shepherd", "enter")
        await settle(pilot)
        still(pilot)

    assert snap_compare(build_app(sqlite_settings), terminal_size=SIZE, run_before=run_before)


def test_book_picker(snap_compare, sqlite_settings):
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("o", *"jo")
        await pilot.pause()
        still(pilot)

    assert snap_compare(build_app(sqlite_settings), terminal_size=SIZE, run_before=run_before)


def test_help(snap_compare, sqlite_settings):
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        still(pilot)

    assert snap_compare(build_app(sqlite_settings), terminal_size=SIZE, run_before=run_before)


def test_psalm_title_and_strongs_numbers(snap_compare, sqlite_settings):
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("g", *"ps 3", "enter")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        still(pilot)

    assert snap_compare(build_app(sqlite_settings), terminal_size=SIZE, run_before=run_before)


def test_study_panel_beside_the_text(snap_compare, sqlite_settings):
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("g", *"rom 8:28", "enter")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("tab")
        await pilot.pause()
        still(pilot)

    assert snap_compare(build_app(sqlite_settings), terminal_size=SIZE, run_before=run_before)
