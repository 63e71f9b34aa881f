"""The SQL behind pairing: requests, the server key and the audit log (failed look-ups and
near misses are counted in `verse_tui.db.repositories.device_links`, devices are in
`verse_tui.db.repositories.devices`).

Functions here take the caller's session and never commit; `DeviceLinkService` owns the
transactions. Every state change of a request is a conditional UPDATE whose WHERE clause
repeats the state it expects (`status = 'pending'`, not expired, hash unchanged), and the
caller checks the row count: of many concurrent approvals exactly one changes the row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from verse_tui.db.engine import upsert_insert
from verse_tui.db.models.device_links import DeviceAuditEntry, DeviceLinkRequest, ServerSecret
from verse_tui.db.repositories.device_links import WIPED_HASHES
from verse_tui.db.results import rowcount

LINK_CODE_KEY_NAME = "link_code_hmac_key"
PENDING = "pending"


async def server_key(session: AsyncSession, now: datetime, new_key: Callable[[], bytes]) -> bytes:
    """The key link codes are hashed with; created (by `new_key`) on first use if the
    migration did not."""
    key = await session.scalar(
        select(ServerSecret.value).where(ServerSecret.name == LINK_CODE_KEY_NAME)
    )
    if key is not None:
        return key
    values = {"name": LINK_CODE_KEY_NAME, "value": new_key(), "created_at": now}
    stmt = upsert_insert(session, ServerSecret).values(values)
    await session.execute(stmt.on_conflict_do_nothing(index_elements=["name"]))
    stored = await session.scalar(
        select(ServerSecret.value).where(ServerSecret.name == LINK_CODE_KEY_NAME)
    )
    if stored is None:  # inserted just now, or by a concurrent first use: never None
        raise RuntimeError("the link-code key could not be stored")
    return stored


async def expire_due(session: AsyncSession, now: datetime) -> Sequence[int]:
    """Mark pending requests past their expiry as expired and wipe their hashes."""
    result = await session.scalars(
        update(DeviceLinkRequest)
        .where(DeviceLinkRequest.status == PENDING, DeviceLinkRequest.expires_at <= now)
        .values(status="expired", **WIPED_HASHES)
        .returning(DeviceLinkRequest.id)
    )
    return result.all()


async def live_request_by_hash(
    session: AsyncSession, code_hash: str, now: datetime
) -> DeviceLinkRequest | None:
    """The pending, unexpired request whose stored hash equals `code_hash`, or None (the
    caller checks the hash again in constant time)."""
    return await session.scalar(
        select(DeviceLinkRequest).where(
            DeviceLinkRequest.code_hash == code_hash,
            DeviceLinkRequest.status == PENDING,
            DeviceLinkRequest.expires_at > now,
        )
    )


async def close_request(
    session: AsyncSession,
    request_id: int,
    code_hash: str,
    now: datetime,
    *,
    status: str,
    decided_by: int | None,
) -> bool:
    """Move a live request to `status` (approved/denied), wiping its hash: True for the one
    caller whose conditional UPDATE changed the row, False for everyone else."""
    result = await session.execute(
        update(DeviceLinkRequest)
        .where(
            DeviceLinkRequest.id == request_id,
            DeviceLinkRequest.status == PENDING,
            DeviceLinkRequest.code_hash == code_hash,
            DeviceLinkRequest.expires_at > now,
        )
        .values(status=status, used_at=now, approved_by_device_id=decided_by, **WIPED_HASHES)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) == 1


async def cancel_pending(session: AsyncSession, device_id: int) -> Sequence[int]:
    """Expire this device's live request (one live request per device)."""
    result = await session.scalars(
        update(DeviceLinkRequest)
        .where(
            DeviceLinkRequest.requesting_device_id == device_id,
            DeviceLinkRequest.status == PENDING,
        )
        .values(status="expired", **WIPED_HASHES)
        .returning(DeviceLinkRequest.id)
    )
    return result.all()


async def latest_request(
    session: AsyncSession, device_id: int, request_id: int | None
) -> DeviceLinkRequest | None:
    query = select(DeviceLinkRequest).where(DeviceLinkRequest.requesting_device_id == device_id)
    if request_id is not None:
        query = query.where(DeviceLinkRequest.id == request_id)
    return await session.scalar(query.order_by(DeviceLinkRequest.id.desc()).limit(1))


async def audit(
    session: AsyncSession,
    now: datetime,
    event: str,
    *,
    actor: int | None = None,
    subject: int | None = None,
    from_user: int | None = None,
    to_user: int | None = None,
    request_id: int | None = None,
    detail: str | None = None,
) -> None:
    """Append one audit row. Never pass a code, a hash or a credential."""
    await session.execute(
        insert(DeviceAuditEntry).values(
            at=now,
            event=event,
            actor_device_id=actor,
            subject_device_id=subject,
            from_user_id=from_user,
            to_user_id=to_user,
            request_id=request_id,
            detail=detail,
        )
    )
