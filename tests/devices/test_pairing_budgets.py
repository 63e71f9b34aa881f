"""Wrong codes against the guesser and against everyone: 10 per device and per account in
15 minutes, 3 in a new device's first 15 minutes, and 10 a minute in the whole database,
so that registering new devices (a new VERSE_HOME per attempt) cannot reset the budget.
Every limit is checked before the code, so even a right code is refused. Both backends."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import ManualClock
from tests.devices.conftest import Handset, MakeHandset
from tests.devices.pairing_helpers import NEW_DEVICE_PERIOD, requests, unrelated_code
from tests.devices.test_devices_cli import Home, link_code
from verse_tui.db.engine import Database
from verse_tui.domain.devices import LinkStatus
from verse_tui.services.device_link import InvalidLinkCodeError, TooManyLinkAttemptsError
from verse_tui.services.link_guard import LimitScope, LinkPolicy


def test_a_policy_cannot_give_new_devices_more_than_old_ones() -> None:
    with pytest.raises(ValueError, match="new device"):
        LinkPolicy(new_device_cap=11)
    with pytest.raises(ValueError, match="global window"):
        LinkPolicy(global_window=timedelta(minutes=16))


async def limited(device: Handset, code: str) -> TooManyLinkAttemptsError:
    with pytest.raises(TooManyLinkAttemptsError) as excinfo:
        await device.devices.find_link_request(code)
    return excinfo.value


async def test_a_device_is_capped_at_ten_wrong_codes_per_fifteen_minutes(
    handset: MakeHandset, clock: ManualClock
) -> None:
    desktop, guesser = await handset("Desktop"), await handset("Guesser")
    clock.advance(NEW_DEVICE_PERIOD)
    for _ in range(10):
        with pytest.raises(InvalidLinkCodeError):
            await guesser.devices.find_link_request("BBBB-BBBB")
        clock.advance(seconds=30)
    laptop = await handset("Laptop")
    link = await laptop.devices.request_link()
    refused = await limited(guesser, link.code)  # even the right code
    assert refused.scope is LimitScope.DEVICE and "Wait 10 minutes" in str(refused)
    with pytest.raises(TooManyLinkAttemptsError):
        await guesser.devices.approve_link(link.code)
    assert (await desktop.devices.find_link_request(link.code)).device_name == "Laptop"
    clock.advance(minutes=10, seconds=1)  # the first wrong code is now 15 minutes old
    fresh = await laptop.devices.request_link()
    assert (await guesser.devices.find_link_request(fresh.code)).device_name == "Laptop"


async def test_a_new_device_starts_with_three_wrong_codes_for_its_first_fifteen_minutes(
    handset: MakeHandset, clock: ManualClock
) -> None:
    laptop, newcomer = await handset("Laptop"), await handset("Newcomer")
    clock.advance(minutes=10)
    link = await laptop.devices.request_link()
    for shift in range(1, 4):
        with pytest.raises(InvalidLinkCodeError):
            await newcomer.devices.find_link_request(unrelated_code(link.code, shift))
        clock.advance(seconds=30)
    refused = await limited(newcomer, link.code)  # 11.5 minutes old
    assert refused.scope is LimitScope.NEW_DEVICE
    assert "first 15 minutes" in str(refused) and "Wait 4 minutes" in str(refused)
    clock.advance(minutes=3, seconds=31)  # 15 minutes old: the full allowance, 3 of 10 used
    for shift in range(4, 11):
        with pytest.raises(InvalidLinkCodeError):
            await newcomer.devices.find_link_request(unrelated_code(link.code, shift))
        clock.advance(seconds=20)
    assert (await limited(newcomer, link.code)).scope is LimitScope.DEVICE


async def test_new_devices_do_not_reset_the_budget_and_the_global_limit_clears(
    handset: MakeHandset, clock: ManualClock, database: Database
) -> None:
    """Issue 10 row 6i: a new VERSE_HOME per attempt bypassed the per-device cap."""
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    clock.advance(NEW_DEVICE_PERIOD)
    link = await laptop.devices.request_link()
    accepted, fresh_devices, scope = 0, 0, None
    while scope is not LimitScope.DATABASE and fresh_devices < 10:
        attacker = await handset(f"Attacker {fresh_devices}")  # a new installation
        fresh_devices += 1
        while True:
            try:
                await attacker.devices.find_link_request(unrelated_code(link.code, accepted + 1))
            except InvalidLinkCodeError:
                accepted += 1
            except TooManyLinkAttemptsError as refused:
                scope = refused.scope
                break
    assert (accepted, fresh_devices) == (10, 4)  # 3 + 3 + 3 + 1 wrong codes, then refused
    clock.advance(seconds=20)
    refused = await limited(desktop, link.code)  # an honest device, the right code
    assert refused.scope is LimitScope.DATABASE
    assert "paused for everyone" in str(refused) and "Wait 40 seconds" in str(refused)
    assert (await limited(await handset("Another new one"), link.code)).scope is LimitScope.DATABASE
    assert [(r.status, r.failed_attempts) for r in await requests(database)] == [("pending", 0)]
    clock.advance(seconds=40)
    assert (await desktop.devices.approve_link(link.code)).status is LinkStatus.APPROVED


async def test_devices_of_one_account_share_one_budget(
    handset: MakeHandset, clock: ManualClock
) -> None:
    desktop, laptop, phone = await handset("Desktop"), await handset("Laptop"), await handset("P")
    await desktop.devices.approve_link((await laptop.devices.request_link()).code)
    clock.advance(NEW_DEVICE_PERIOD)
    link = await phone.devices.request_link()
    for n in range(10):
        device = desktop if n % 2 else laptop  # 5 each: under the cap of either device
        with pytest.raises(InvalidLinkCodeError):
            await device.devices.find_link_request(unrelated_code(link.code, n + 1))
        clock.advance(seconds=30)
    refused = await limited(desktop, link.code)
    assert refused.scope is LimitScope.ACCOUNT and "devices of this account" in str(refused)
    assert (await limited(laptop, link.code)).scope is LimitScope.ACCOUNT


def test_the_cli_says_how_long_to_wait_once_new_homes_used_up_the_global_allowance(
    tmp_path: Path,
    database_url: str,
) -> None:
    """The attack of issue 10 row 6i through `verse`: a new VERSE_HOME every few guesses."""
    desktop, laptop = (Home(tmp_path / n, database_url) for n in ("desk", "lap"))
    desktop.verse("whoami")  # registered before the attack
    code = link_code(laptop)
    wrong, errors = 0, set()
    for n in range(4):
        attacker = Home(tmp_path / f"attacker{n}", database_url)
        for _ in range(min(3, 10 - wrong)):
            rc, _, err = attacker.verse(
                "devices", "approve", unrelated_code(code, wrong + 1), "--yes"
            )
            assert rc == 2
            errors.add(err)
            wrong += 1
    assert wrong == 10 and len(errors) == 1 and "not valid" in errors.pop()
    rc, _, err = desktop.verse("devices", "approve", code, "--yes")
    assert rc == 1 and "Traceback" not in err
    assert "paused for everyone" in err and re.search(r"Wait (\d+ seconds?|1 minute), then", err)
    assert laptop.json("devices", "link", "--status")["status"] == "pending"  # type: ignore[index]
