"""Start-up wipes the hashes of pairing codes that lapsed while no device was looking."""

from __future__ import annotations

from sqlalchemy import text

from tests.conftest import ManualClock
from verse_tui.app_factory import build_services
from verse_tui.config import Settings


async def test_a_restart_after_expiry_wipes_the_code_hash(
    settings: Settings, clock: ManualClock
) -> None:
    first = await build_services(settings, clock=clock)
    try:
        await first.devices.request_link()
    finally:
        await first.aclose()
    clock.advance(minutes=11)
    again = await build_services(settings, clock=clock)
    try:
        async with again.database.reader.begin() as session:
            rows = (
                await session.execute(text("SELECT status, code_hash FROM device_link_requests"))
            ).all()
    finally:
        await again.aclose()
    assert [tuple(row) for row in rows] == [("expired", None)]
