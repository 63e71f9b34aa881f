"""Start-up wipes the hashes of pairing codes that lapsed while no device was looking, and
forgets failed code look-ups no limit counts any more; with nothing due it writes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.conftest import ManualClock
from verse_tui.app_factory import Services, build_services
from verse_tui.config import Settings
from verse_tui.services.link_codes import format_code, generate_code
from verse_tui.services.link_guard import InvalidLinkCodeError


async def _rows(services: Services, query: str) -> list[tuple[object, ...]]:
    async with services.database.reader.begin() as session:
        return [tuple(row) for row in (await session.execute(text(query))).all()]


async def test_a_restart_after_expiry_wipes_the_code_hash(
    settings: Settings, clock: ManualClock
) -> None:
    first = await build_services(settings, clock=clock)
    try:
        await first.devices.request_link()
    finally:
        await first.aclose()
    clock.advance(minutes=11)
    again = await build_services(settings, clock=clock, lazy=True)
    try:
        rows = await _rows(again, "SELECT status, code_hash FROM device_link_requests")
    finally:
        await again.aclose()
    assert rows == [("expired", None)]


async def test_a_restart_forgets_failed_look_ups_no_limit_counts(
    settings: Settings, clock: ManualClock
) -> None:
    first = await build_services(settings, clock=clock)
    try:  # a code typed while no request is pending: only the failure is recorded
        with pytest.raises(InvalidLinkCodeError):
            await first.devices.approve_link(format_code(generate_code()))
        assert await _rows(first, "SELECT count(*) FROM device_link_failures") == [(1,)]
    finally:
        await first.aclose()
    clock.advance(minutes=5)  # still within a limit's window: kept
    kept = await build_services(settings, clock=clock, lazy=True)
    try:
        assert await _rows(kept, "SELECT count(*) FROM device_link_failures") == [(1,)]
    finally:
        await kept.aclose()
    clock.advance(minutes=30)
    again = await build_services(settings, clock=clock, lazy=True)
    try:
        assert await _rows(again, "SELECT count(*) FROM device_link_failures") == [(0,)]
    finally:
        await again.aclose()
