"""Brute force against pairing codes: 5 wrong codes kill a request, 10 wrong codes in 15
minutes lock a device out, and every kind of bad code looks the same. Both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import ManualClock
from tests.devices.conftest import MakeHandset
from tests.devices.pairing_helpers import invalid_message, requests, wrong_code
from verse_tui.db.engine import Database
from verse_tui.db.models.device_links import DeviceAuditEntry
from verse_tui.domain.devices import LinkStatus
from verse_tui.services.device_link import InvalidLinkCodeError, TooManyLinkAttemptsError


async def test_five_wrong_codes_kill_a_request_and_the_right_one_then_fails(
    handset: MakeHandset, database: Database
) -> None:
    desktop, laptop, guesser = await handset("Desktop"), await handset("Laptop"), await handset("G")
    link = await laptop.devices.request_link()
    for attempt in range(4):
        with pytest.raises(InvalidLinkCodeError):
            await guesser.devices.find_link_request(wrong_code(link.code))
        assert (await requests(database))[0].failed_attempts == attempt + 1
    with pytest.raises(InvalidLinkCodeError):
        await guesser.devices.approve_link(wrong_code(link.code))
    (dead,) = await requests(database)
    assert (dead.status, dead.code_hash, dead.failed_attempts) == ("expired", None, 5)
    with pytest.raises(InvalidLinkCodeError):
        await desktop.devices.approve_link(link.code)
    status = await laptop.devices.get_link_status()
    assert (status.status, status.failed_attempts) == (LinkStatus.EXPIRED, 5)


async def test_four_wrong_codes_leave_the_request_usable(handset: MakeHandset) -> None:
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    link = await laptop.devices.request_link()
    for _ in range(4):
        with pytest.raises(InvalidLinkCodeError):
            await desktop.devices.approve_link(wrong_code(link.code))
    assert (await desktop.devices.approve_link(link.code)).status is LinkStatus.APPROVED


async def test_a_device_is_capped_at_ten_wrong_codes_per_fifteen_minutes(
    handset: MakeHandset, clock: ManualClock
) -> None:
    desktop, guesser = await handset("Desktop"), await handset("Guesser")
    for _ in range(10):
        with pytest.raises(InvalidLinkCodeError):
            await guesser.devices.find_link_request("BBBB-BBBB")
        clock.advance(seconds=30)
    laptop = await handset("Laptop")
    link = await laptop.devices.request_link()
    with pytest.raises(TooManyLinkAttemptsError, match="Wait 10 minutes"):
        await guesser.devices.find_link_request(link.code)  # even the right code
    with pytest.raises(TooManyLinkAttemptsError):
        await guesser.devices.approve_link(link.code)
    assert (await desktop.devices.find_link_request(link.code)).device_name == "Laptop"
    clock.advance(minutes=10, seconds=1)  # the first wrong code is now 15 minutes old
    fresh = await laptop.devices.request_link()
    assert (await guesser.devices.find_link_request(fresh.code)).device_name == "Laptop"


async def test_wrong_expired_used_and_dead_codes_give_the_same_error(
    handset: MakeHandset, clock: ManualClock
) -> None:
    desktop = await handset("Desktop")
    messages = set()
    wrong = await (await handset("A")).devices.request_link()
    messages.add(await invalid_message(desktop.devices, wrong_code(wrong.code)))
    used = await (await handset("B")).devices.request_link()
    await desktop.devices.approve_link(used.code)
    messages.add(await invalid_message(desktop.devices, used.code))
    denied = await (await handset("C")).devices.request_link()
    await desktop.devices.deny_link(denied.code)
    messages.add(await invalid_message(desktop.devices, denied.code))
    dead_device = await handset("D")
    dead = await dead_device.devices.request_link()
    guesser = await handset("G")
    for _ in range(5):
        with pytest.raises(InvalidLinkCodeError):
            await guesser.devices.approve_link(wrong_code(dead.code))
    messages.add(await invalid_message(desktop.devices, dead.code))
    expired = await (await handset("E")).devices.request_link()
    clock.advance(minutes=11)
    messages.add(await invalid_message(desktop.devices, expired.code))
    assert len(messages) == 1
    (message,) = messages
    assert "not valid" in message and "verse devices link" in message


async def test_a_killed_request_is_audited(handset: MakeHandset, database: Database) -> None:
    laptop, guesser = await handset("Laptop"), await handset("Guesser")
    link = await laptop.devices.request_link()
    for _ in range(5):
        with pytest.raises(InvalidLinkCodeError):
            await guesser.devices.find_link_request(wrong_code(link.code))
    async with database.reader.begin() as session:
        entry = await session.scalar(
            select(DeviceAuditEntry).where(DeviceAuditEntry.event == "link_expired")
        )
    assert entry is not None and entry.request_id == link.request_id
    assert entry.detail == "5 wrong codes"
