"""Device identity: first-run bootstrap and per-call resolution (the credential file is
tested in test_credential.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from tests.conftest import ManualClock
from verse_tui.app_factory import Services, build_services
from verse_tui.config import Settings
from verse_tui.db.engine import Database
from verse_tui.db.models.accounts import Device, User
from verse_tui.domain.bible import VerseRange, VerseRef
from verse_tui.services.context import ServiceContext, bootstrap_identity
from verse_tui.services.credential import (
    IdentityError,
    load_or_create_credential,
)

JOHN_3_16 = VerseRange(VerseRef(43, 3, 16), VerseRef(43, 3, 16))


async def test_a_device_removed_from_the_database_loses_access_on_its_next_call(
    services: Services,
) -> None:
    await services.users.add_note("KJV", JOHN_3_16, "before")
    async with services.database.writer.begin() as session:
        await session.execute(delete(Device))
    with pytest.raises(IdentityError, match="not registered in the Verse database"):
        await services.users.list_notes()
    with pytest.raises(IdentityError):
        await services.users.add_note("KJV", JOHN_3_16, "after")


async def test_a_device_moved_to_another_account_sees_that_account_at_once(
    services: Services, clock: ManualClock
) -> None:
    await services.users.add_note("KJV", JOHN_3_16, "first account")
    async with services.database.writer.begin() as session:
        other = User(display_name="other", created_at=clock(), translation="WEB", theme="nord")
        session.add(other)
        await session.flush()
        await session.execute(update(Device).values(user_id=other.id))
    assert await services.users.list_notes() == ()
    assert (await services.users.get_preferences()).translation == "WEB"


async def test_a_replaced_empty_database_registers_the_existing_key_again(
    settings: Settings, clock: ManualClock
) -> None:
    first = await build_services(settings, clock=clock)
    secret = settings.credential_path.read_text()
    await first.aclose()
    if first.database.sqlite_path is None:
        pytest.skip("replacing the database file is a SQLite situation")
    first.database.sqlite_path.unlink()
    second = await build_services(settings, clock=clock)
    try:
        assert second.identity.registered
        assert settings.credential_path.read_text() == secret
        assert await second.users.list_notes() == ()
    finally:
        await second.aclose()


async def test_an_existing_key_unknown_to_a_shared_database_is_refused(
    database: Database, tmp_path: Path, clock: ManualClock
) -> None:
    mine, created = await load_or_create_credential(tmp_path / "a" / "device.key")
    await bootstrap_identity(database, mine, credential_created=created, clock=clock)
    removed, _ = await load_or_create_credential(tmp_path / "b" / "device.key")
    with pytest.raises(IdentityError, match="this device was removed"):
        await bootstrap_identity(database, removed, credential_created=False, clock=clock)
    async with database.reader.begin() as session:
        assert len((await session.scalars(select(Device))).all()) == 1


async def test_read_and_write_resolve_the_same_user(
    database: Database, tmp_path: Path, clock: ManualClock
) -> None:
    credential, created = await load_or_create_credential(tmp_path / "device.key")
    boot = await bootstrap_identity(database, credential, credential_created=created, clock=clock)
    context = ServiceContext(database, credential, clock)
    async with context.write() as (_session, writer_user):
        pass
    async with context.read_device() as (_session, device):
        pass
    assert writer_user == device.user_id == boot.user_id
    assert device.device_id == boot.device_id
