"""Queries on the `devices` table: who this credential is, an account's devices, and the
per-device lock pairing takes. Functions take the caller's session, flush and never commit:
the service that opened the transaction (through `ServiceContext`) owns it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from verse_tui.db.models.accounts import Device as DeviceRow
from verse_tui.domain.devices import Device


async def with_credential(session: AsyncSession, credential_hash: str) -> DeviceRow | None:
    """The device registered with this credential hash, if any."""
    return await session.scalar(
        select(DeviceRow).where(DeviceRow.credential_hash == credential_hash)
    )


async def identity(session: AsyncSession, credential_hash: str) -> Row[int, int, str] | None:
    """(id, user_id, name) of the device with this credential hash, without loading the row."""
    result = await session.execute(
        select(DeviceRow.id, DeviceRow.user_id, DeviceRow.name).where(
            DeviceRow.credential_hash == credential_hash
        )
    )
    return result.one_or_none()


async def touch(session: AsyncSession, device_id: int, now: datetime) -> None:
    """Record that the device was seen at `now`."""
    await session.execute(
        update(DeviceRow).where(DeviceRow.id == device_id).values(last_seen_at=now)
    )


async def count_all(session: AsyncSession) -> int:
    """How many devices the database holds (any account)."""
    return int(await session.scalar(select(func.count()).select_from(DeviceRow)) or 0)


async def add(
    session: AsyncSession,
    *,
    user_id: int,
    name: str,
    platform: str,
    credential_hash: str,
    now: datetime,
) -> DeviceRow:
    """A new device of `user_id`, seen now (flushed, so it has its id)."""
    device = DeviceRow(
        user_id=user_id,
        name=name,
        platform=platform,
        credential_hash=credential_hash,
        created_at=now,
        last_seen_at=now,
    )
    session.add(device)
    await session.flush()
    return device


async def lock_device(session: AsyncSession, device_id: int) -> None:
    """Serialise pairing work per device (a row lock on PostgreSQL; SQLite's writer lock
    already serialises every write transaction)."""
    await session.execute(select(DeviceRow.id).where(DeviceRow.id == device_id).with_for_update())


async def devices_of(session: AsyncSession, user_id: int) -> Sequence[DeviceRow]:
    result = await session.scalars(
        select(DeviceRow).where(DeviceRow.user_id == user_id).order_by(DeviceRow.id)
    )
    return result.all()


async def device_count(session: AsyncSession, user_id: int) -> int:
    count = await session.scalar(
        select(func.count()).select_from(DeviceRow).where(DeviceRow.user_id == user_id)
    )
    return int(count or 0)


def to_device(row: DeviceRow, current_device_id: int) -> Device:
    return Device(
        id=row.id,
        name=row.name,
        platform=row.platform,
        account_id=row.user_id,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        is_current=row.id == current_device_id,
    )
