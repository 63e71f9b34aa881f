"""A failed service worker becomes one notification the user can read, on any screen."""

from __future__ import annotations

from tests.support.tui import SIZE, reader, settle
from verse_tui.errors import VerseError


async def test_a_failed_worker_is_shown_once(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)

        async def fails() -> None:
            raise VerseError("The notes could not be saved: the disk is full.")

        reader(app).run_worker(fails(), name="save-note", description="Saving", exit_on_error=False)
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert messages.count("The notes could not be saved: the disk is full.") == 1
        assert app.is_running  # the error did not close the app
