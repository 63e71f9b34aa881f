"""Migration 0005 on a populated database: failed look-ups keep their rows and gain the
account of their device; a request pending during the upgrade keeps its row and still links
with its code (it has no half hashes, so only the whole code matches it)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, text

from tests.devices.pairing_helpers import hashes_wiped, requests
from tests.devices.test_migration_0003 import USER_COLUMNS_0001, as_then, upgrade_to
from verse_tui.db.engine import Database
from verse_tui.db.migrate import migrate
from verse_tui.db.models.accounts import Device, User
from verse_tui.db.models.device_links import DeviceLinkFailure, DeviceLinkRequest, ServerSecret
from verse_tui.db.repositories.link_requests import LINK_CODE_KEY_NAME
from verse_tui.domain.devices import LinkStatus
from verse_tui.services.context import ServiceContext
from verse_tui.services.credential import DeviceCredential, new_credential
from verse_tui.services.device_link import DeviceLinkService
from verse_tui.services.link_codes import generate_code, hash_code

WHEN = datetime(2026, 1, 1, 12, tzinfo=UTC)
REQUEST_COLUMNS = "id, requesting_device_id, code_hash, status, failed_attempts"


async def populate_at_0004(database: Database, credentials: list[DeviceCredential]) -> str:
    """Two accounts of one device each, 3 failed look-ups per device, and a pending request
    of the second device; returns that request's code."""
    async with database.writer.begin() as session:
        key = await session.scalar(
            select(ServerSecret.value).where(ServerSecret.name == LINK_CODE_KEY_NAME)
        )
        assert key is not None
        for n, credential in enumerate(credentials, start=1):
            await session.execute(
                insert(as_then(User, *USER_COLUMNS_0001)).values(
                    id=n, display_name=f"u{n}", created_at=WHEN, translation="KJV", theme="t"
                )
            )
            await session.execute(
                insert(Device).values(
                    id=n,
                    user_id=n,
                    name=f"d{n}",
                    platform="Linux",
                    credential_hash=credential.hash,
                    created_at=WHEN - timedelta(days=1),
                    last_seen_at=WHEN,
                )
            )
            await session.execute(
                insert(DeviceLinkFailure),
                [{"device_id": n, "at": WHEN - timedelta(minutes=m)} for m in range(3)],
            )
        code = generate_code()
        await session.execute(
            insert(DeviceLinkRequest).values(
                requesting_device_id=2,
                code_hash=hash_code(key, code),
                status="pending",
                created_at=WHEN,
                expires_at=WHEN + timedelta(minutes=10),
                failed_attempts=1,
            )
        )
    return code


async def raw_rows(database: Database, query: str) -> list[tuple[object, ...]]:
    async with database.reader.begin() as session:
        return [tuple(row) for row in await session.execute(text(query))]


async def test_upgrading_0004_keeps_failures_and_pending_requests(
    blank_database: Database,
) -> None:
    database = blank_database
    await upgrade_to(database, "0004")
    credentials = [new_credential(), new_credential()]
    code = await populate_at_0004(database, credentials)
    failures_query = "SELECT id, device_id, at FROM device_link_failures ORDER BY id"
    requests_query = f"SELECT {REQUEST_COLUMNS} FROM device_link_requests ORDER BY id"
    failures_before = await raw_rows(database, failures_query)
    requests_before = await raw_rows(database, requests_query)

    result = await migrate(database)

    assert (result.previous, result.upgraded) == ("0004", True)
    assert await raw_rows(database, failures_query) == failures_before
    assert await raw_rows(database, requests_query) == requests_before
    async with database.reader.begin() as session:
        failures = (await session.scalars(select(DeviceLinkFailure))).all()
    assert sorted((f.device_id, f.user_id) for f in failures) == [(1, 1)] * 3 + [(2, 2)] * 3
    (pending,) = await requests(database)
    assert (pending.first_half_hash, pending.second_half_hash) == (None, None)

    approver = ServiceContext(database, credentials[0], lambda: WHEN + timedelta(minutes=1))
    outcome = await DeviceLinkService(approver).approve_link(code)

    assert outcome.status is LinkStatus.APPROVED
    (used,) = await requests(database)
    assert (used.status, hashes_wiped(used)) == ("approved", True)
