"""Devices of an account: register, get, list, rename, unlink (and its effect on the next call)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import ManualClock
from tests.devices.conftest import Handset, MakeHandset
from verse_tui.db.engine import Database
from verse_tui.db.models.accounts import Device as DeviceRow
from verse_tui.domain.bible import VerseRange, VerseRef
from verse_tui.errors import InputError, NotFoundError
from verse_tui.services.device_link import LastDeviceError

JOHN_3_16 = VerseRange(VerseRef(43, 3, 16), VerseRef(43, 3, 16))


async def pair(new: Handset, existing: Handset) -> None:
    await existing.devices.approve_link((await new.devices.request_link()).code)


async def test_register_is_idempotent_and_stores_only_the_credential_hash(
    handset: MakeHandset, database: Database, clock: ManualClock
) -> None:
    laptop = await handset("Laptop")
    again = await laptop.devices.register_device(name="Other name")
    assert again.name == "Laptop" and again.is_current
    assert (again.created_at, again.platform) == (clock.now, "Linux test")
    async with database.reader.begin() as session:
        rows = list(await session.scalars(select(DeviceRow)))
    assert [row.credential_hash for row in rows] == [laptop.credential_hash]
    assert laptop.context.credential.secret not in str([vars(r) for r in rows])


async def test_each_new_device_starts_in_an_account_of_its_own(handset: MakeHandset) -> None:
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    mine, theirs = await desktop.devices.account_summary(), await laptop.devices.account_summary()
    assert mine.account_id != theirs.account_id
    assert (mine.device_count, theirs.device_count) == (1, 1)
    assert mine.device.name == "Desktop" and mine.device.is_current


async def test_list_marks_this_device_and_get_finds_any_device_of_the_account(
    handset: MakeHandset,
) -> None:
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    await pair(laptop, desktop)
    listed = await laptop.devices.list_devices()
    assert [(d.name, d.is_current) for d in listed] == [("Desktop", False), ("Laptop", True)]
    desktop_id = listed[0].id
    assert (await laptop.devices.get_device(desktop_id)).name == "Desktop"
    assert (await laptop.devices.get_device()).name == "Laptop"


async def test_devices_of_other_accounts_are_not_found(handset: MakeHandset) -> None:
    desktop, stranger = await handset("Desktop"), await handset("Stranger")
    stranger_id = (await stranger.devices.get_device()).id
    for attempt in (
        desktop.devices.get_device(stranger_id),
        desktop.devices.rename_device(stranger_id, "Mine now"),
        desktop.devices.unlink_device(stranger_id),
    ):
        with pytest.raises(NotFoundError, match="verse devices list"):
            await attempt


async def test_rename_cleans_the_name_and_refuses_bad_ones(handset: MakeHandset) -> None:
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    await pair(laptop, desktop)
    laptop_id = (await laptop.devices.get_device()).id
    renamed = await desktop.devices.rename_device(laptop_id, "  Work   laptop ")
    assert renamed.name == "Work laptop" and not renamed.is_current
    assert (await laptop.devices.get_device()).name == "Work laptop"
    for bad in ("   ", "x" * 101, "tab\x07bell"):
        with pytest.raises(InputError):
            await desktop.devices.rename_device(laptop_id, bad)
    assert (await laptop.devices.get_device()).name == "Work laptop"


async def test_unlinking_takes_effect_on_the_next_call_with_a_fresh_empty_account(
    handset: MakeHandset,
) -> None:
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    await pair(laptop, desktop)
    await laptop.users.add_bookmark("KJV", JOHN_3_16, "shared")
    account = (await desktop.devices.account_summary()).account_id
    assert len(await laptop.users.list_bookmarks()) == 1
    laptop_id = (await laptop.devices.get_device()).id
    unlinked = await desktop.devices.unlink_device(laptop_id)
    assert unlinked.account_id != account
    summary = await laptop.devices.account_summary()
    assert summary.account_id == unlinked.account_id and summary.device_count == 1
    assert await laptop.users.list_bookmarks() == ()
    assert await laptop.users.list_notes() == ()
    assert await laptop.users.get_reading_position() is None
    assert [b.label for b in await desktop.users.list_bookmarks()] == ["shared"]
    assert [d.name for d in await desktop.devices.list_devices()] == ["Desktop"]


async def test_a_device_may_unlink_itself_while_others_remain(handset: MakeHandset) -> None:
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    await pair(laptop, desktop)
    me = await laptop.devices.get_device()
    await laptop.devices.unlink_device(me.id)
    assert (await laptop.devices.account_summary()).device_count == 1
    assert (await desktop.devices.account_summary()).device_count == 1


async def test_unlinking_the_last_device_is_refused_with_an_explanation(
    handset: MakeHandset,
) -> None:
    desktop = await handset("Desktop")
    await desktop.users.add_bookmark("KJV", JOHN_3_16, None)
    me = await desktop.devices.get_device()
    with pytest.raises(LastDeviceError) as excinfo:
        await desktop.devices.unlink_device(me.id)
    message = str(excinfo.value)
    assert "only device" in message and "Link another device first" in message
    assert (await desktop.devices.account_summary()).account_id == me.account_id
    assert len(await desktop.users.list_bookmarks()) == 1


async def test_an_unlinked_device_can_be_linked_again(handset: MakeHandset) -> None:
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    await pair(laptop, desktop)
    await desktop.devices.unlink_device((await laptop.devices.get_device()).id)
    await pair(laptop, desktop)
    assert (await laptop.devices.account_summary()).device_count == 2
