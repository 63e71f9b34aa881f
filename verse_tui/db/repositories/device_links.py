"""Queries behind the brute-force limits of pairing: failed code look-ups and near misses.

The rules live in `verse_tui.services.link_guard`; this module only counts and writes.
Like every repository it flushes and never commits: the service owns the transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, delete, insert, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from verse_tui.db.models.accounts import Device
from verse_tui.db.models.device_links import DeviceLinkFailure, DeviceLinkRequest, ServerSecret

PENDING = "pending"


class LinkAttemptRepository:
    """Failed look-ups (per device, per account, database-wide) and per-request near misses."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_gate(self, key_name: str) -> None:
        """Serialise every code look-up in the database for the rest of the transaction.

        On PostgreSQL this row-locks the code-hashing key, so that checking the limits and
        recording a failure happen as one step for all devices at once (without it, many
        devices guessing in parallel would all pass the check before any failure is
        counted). SQLite needs nothing: `BEGIN IMMEDIATE` already admits one writer.
        """
        await self.session.execute(
            select(ServerSecret.name).where(ServerSecret.name == key_name).with_for_update()
        )

    async def device_created_at(self, device_id: int) -> datetime:
        return (
            await self.session.execute(select(Device.created_at).where(Device.id == device_id))
        ).scalar_one()

    async def nth_recent_failure(
        self, since: datetime, n: int, *, device_id: int | None = None, user_id: int | None = None
    ) -> datetime | None:
        """When the n-th newest failure after `since` happened (all devices when neither
        `device_id` nor `user_id` is given), or None if there are fewer than n.

        A limit of n per window is reached exactly when this exists, and frees up when it
        leaves the window: the failures after it are fewer than n.
        """
        scope: ColumnElement[bool] = true()
        if device_id is not None:
            scope = DeviceLinkFailure.device_id == device_id
        elif user_id is not None:
            scope = DeviceLinkFailure.user_id == user_id
        return await self.session.scalar(
            select(DeviceLinkFailure.at)
            .where(scope, DeviceLinkFailure.at > since)
            .order_by(DeviceLinkFailure.at.desc())
            .offset(n - 1)
            .limit(1)
        )

    async def record_failure(self, device_id: int, user_id: int, now: datetime) -> None:
        """One wrong code entered by `device_id` of account `user_id`."""
        await self.session.execute(
            insert(DeviceLinkFailure).values(device_id=device_id, user_id=user_id, at=now)
        )

    async def count_near_miss(self, first_half: str, second_half: str, now: datetime) -> None:
        """One more failed attempt on every live request whose code shares a half (by keyed
        hash) with the wrong code."""
        await self.session.execute(
            update(DeviceLinkRequest)
            .where(
                DeviceLinkRequest.status == PENDING,
                DeviceLinkRequest.expires_at > now,
                or_(
                    DeviceLinkRequest.first_half_hash == first_half,
                    DeviceLinkRequest.second_half_hash == second_half,
                ),
            )
            .values(failed_attempts=DeviceLinkRequest.failed_attempts + 1)
            .execution_options(synchronize_session=False)
        )

    async def kill_exhausted(self, max_attempts: int) -> list[DeviceLinkRequest]:
        """Expire live requests with `max_attempts` failed attempts, wiping their hashes;
        returns the requests killed just now."""
        dead = await self.session.scalars(
            update(DeviceLinkRequest)
            .where(
                DeviceLinkRequest.status == PENDING,
                DeviceLinkRequest.failed_attempts >= max_attempts,
            )
            .values(status="expired", **WIPED_HASHES)
            .returning(DeviceLinkRequest)
            .execution_options(synchronize_session=False)
        )
        return list(dead.all())

    async def purge_failures(self, before: datetime) -> None:
        """Forget failures no limit counts any more."""
        await self.session.execute(delete(DeviceLinkFailure).where(DeviceLinkFailure.at <= before))


# Every hash a request keeps, set to NULL when it is used, denied or expires.
WIPED_HASHES: dict[str, None] = {
    "code_hash": None,
    "first_half_hash": None,
    "second_half_hash": None,
}
