"""Device identity: the credential file, first-run bootstrap, and per-call resolution."""

from __future__ import annotations

import os
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from tests.conftest import ManualClock
from verse_tui.app_factory import Services, build_services
from verse_tui.config import Settings
from verse_tui.db.engine import Database
from verse_tui.db.models.accounts import Device, User
from verse_tui.domain.bible import VerseRange, VerseRef
from verse_tui.services.context import (
    IdentityError,
    ServiceContext,
    _load_or_create_credential,
    bootstrap_identity,
    load_or_create_credential,
)

JOHN_3_16 = VerseRange(VerseRef(43, 3, 16), VerseRef(43, 3, 16))


async def test_the_credential_is_created_once_and_then_read_back(tmp_path: Path) -> None:
    path = tmp_path / "home" / "device.key"
    first, created = await load_or_create_credential(path)
    again, created_again = await load_or_create_credential(path)
    assert (created, created_again) == (True, False)
    assert first == again and len(first.secret) >= 22
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert first.secret not in repr(first)


def test_concurrent_first_runs_agree_on_one_credential(tmp_path: Path) -> None:
    path = tmp_path / "device.key"
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: _load_or_create_credential(path), range(16)))
    assert len({credential.secret for credential, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["device.key"]  # no temp files left


async def test_a_credential_file_readable_by_others_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "device.key"
    await load_or_create_credential(path)
    path.chmod(0o644)
    await load_or_create_credential(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


async def test_a_damaged_credential_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "device.key"
    path.write_text("short\n")
    with pytest.raises(IdentityError, match=r"is damaged\. Delete it"):
        await load_or_create_credential(path)
    assert path.read_text() == "short\n"


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
