"""Wrong codes against requests: 5 near misses (wrong codes sharing half of a code) kill the
request guessed at; wrong codes that share nothing with a request leave it alone, so an
unrelated account cannot kill other people's requests; every kind of bad code looks the
same. The guesser's own budgets are in test_pairing_budgets.py. Both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import ManualClock
from tests.devices.conftest import MakeHandset
from tests.devices.pairing_helpers import (
    NEW_DEVICE_PERIOD,
    first_half_typo,
    hashes_wiped,
    invalid_message,
    requests,
    unrelated_code,
    wrong_code,
)
from verse_tui.db.engine import Database
from verse_tui.db.models.device_links import DeviceAuditEntry
from verse_tui.domain.devices import LinkStatus
from verse_tui.services.device_link import InvalidLinkCodeError


async def test_five_near_misses_kill_a_request_and_the_right_one_then_fails(
    handset: MakeHandset, database: Database, clock: ManualClock
) -> None:
    desktop, laptop, guesser = await handset("Desktop"), await handset("Laptop"), await handset("G")
    clock.advance(NEW_DEVICE_PERIOD)
    link = await laptop.devices.request_link()
    near_misses = [wrong_code, first_half_typo, wrong_code, first_half_typo]
    for attempt, near_miss in enumerate(near_misses):
        with pytest.raises(InvalidLinkCodeError):
            await guesser.devices.find_link_request(near_miss(link.code))
        assert (await requests(database))[0].failed_attempts == attempt + 1
    with pytest.raises(InvalidLinkCodeError):
        await guesser.devices.approve_link(wrong_code(link.code))
    (dead,) = await requests(database)
    assert (dead.status, dead.failed_attempts, hashes_wiped(dead)) == ("expired", 5, True)
    with pytest.raises(InvalidLinkCodeError):
        await desktop.devices.approve_link(link.code)
    status = await laptop.devices.get_link_status()
    assert (status.status, status.failed_attempts) == (LinkStatus.EXPIRED, 5)


async def test_four_near_misses_leave_the_request_usable(
    handset: MakeHandset, clock: ManualClock
) -> None:
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    clock.advance(NEW_DEVICE_PERIOD)
    link = await laptop.devices.request_link()
    for _ in range(4):
        with pytest.raises(InvalidLinkCodeError):
            await desktop.devices.approve_link(wrong_code(link.code))
    assert (await desktop.devices.approve_link(link.code)).status is LinkStatus.APPROVED


async def test_an_unrelated_accounts_wrong_codes_do_not_kill_other_requests(
    handset: MakeHandset, database: Database, clock: ManualClock
) -> None:
    """Issue 10 row 6i: 5 wrong codes from a device of another account used to kill every
    pending request in the database."""
    desktop, laptop, phone = await handset("Desktop"), await handset("Laptop"), await handset("P")
    stranger = await handset("Stranger")
    clock.advance(NEW_DEVICE_PERIOD)
    laptop_link = await laptop.devices.request_link()
    phone_link = await phone.devices.request_link()
    guesses = [unrelated_code(laptop_link.code, shift) for shift in range(1, 19)]
    guesses = [g for g in guesses if g[:4] != phone_link.code[:4] and g[5:] != phone_link.code[5:]]
    for guess in guesses[:8]:  # share no half with either code
        with pytest.raises(InvalidLinkCodeError):
            await stranger.devices.find_link_request(guess)
    assert [(r.status, r.failed_attempts) for r in await requests(database)] == [
        ("pending", 0),
        ("pending", 0),
    ]
    assert (await desktop.devices.approve_link(laptop_link.code)).status is LinkStatus.APPROVED
    assert (await desktop.devices.approve_link(phone_link.code)).status is LinkStatus.APPROVED


async def test_a_near_miss_counts_only_against_the_request_it_resembles(
    handset: MakeHandset, database: Database, clock: ManualClock
) -> None:
    desktop, laptop, phone = await handset("Desktop"), await handset("Laptop"), await handset("P")
    clock.advance(NEW_DEVICE_PERIOD)
    laptop_link = await laptop.devices.request_link()
    phone_link = await phone.devices.request_link()
    if laptop_link.code[:4] == phone_link.code[:4] or laptop_link.code[5:] == phone_link.code[5:]:
        pytest.skip("the two codes share a half (probability 1 in 80,000)")
    for near_miss in (wrong_code, first_half_typo, wrong_code):
        with pytest.raises(InvalidLinkCodeError):
            await desktop.devices.find_link_request(near_miss(laptop_link.code))
    assert [r.failed_attempts for r in await requests(database)] == [3, 0]
    assert (await desktop.devices.approve_link(phone_link.code)).status is LinkStatus.APPROVED


async def test_an_honest_user_who_mistypes_twice_links_on_a_fresh_install(
    handset: MakeHandset, database: Database
) -> None:
    """Both devices just installed (the approver's wrong-code allowance is the smallest)."""
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    link = await laptop.devices.request_link()
    for typo in (wrong_code, first_half_typo):
        with pytest.raises(InvalidLinkCodeError):
            await desktop.devices.find_link_request(typo(link.code))
    assert (await desktop.devices.find_link_request(link.code)).device_name == "Laptop"
    assert (await desktop.devices.approve_link(link.code)).status is LinkStatus.APPROVED
    (used,) = await requests(database)
    assert (used.status, used.failed_attempts, hashes_wiped(used)) == ("approved", 2, True)


async def test_wrong_expired_used_and_dead_codes_give_the_same_error(
    handset: MakeHandset, clock: ManualClock
) -> None:
    desktop, guesser = await handset("Desktop"), await handset("G")
    clock.advance(NEW_DEVICE_PERIOD)
    messages = set()
    wrong = await (await handset("A")).devices.request_link()
    messages.add(await invalid_message(desktop.devices, wrong_code(wrong.code)))
    used = await (await handset("B")).devices.request_link()
    await desktop.devices.approve_link(used.code)
    messages.add(await invalid_message(desktop.devices, used.code))
    denied = await (await handset("C")).devices.request_link()
    await desktop.devices.deny_link(denied.code)
    messages.add(await invalid_message(desktop.devices, denied.code))
    dead = await (await handset("D")).devices.request_link()
    for _ in range(5):
        with pytest.raises(InvalidLinkCodeError):
            await guesser.devices.approve_link(wrong_code(dead.code))
    messages.add(await invalid_message(desktop.devices, dead.code))
    expired = await (await handset("E")).devices.request_link()
    clock.advance(minutes=11)
    messages.add(await invalid_message(desktop.devices, expired.code))
    messages.add(await invalid_message(desktop.devices, unrelated_code(wrong.code)))
    assert len(messages) == 1
    (message,) = messages
    assert "not valid" in message and "verse devices link" in message


async def test_a_killed_request_is_audited(
    handset: MakeHandset, database: Database, clock: ManualClock
) -> None:
    laptop, guesser = await handset("Laptop"), await handset("Guesser")
    clock.advance(NEW_DEVICE_PERIOD)
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
