"""Linking devices to one account by an on-screen code (RFC 8628's device-authorization flow).

The NEW device calls `request_link()` and shows the code; an already linked device calls
`find_link_request(code)` to see who asks, then `approve_link(code)` or `deny_link(code)`;
the new device polls `get_link_status()`. Approving moves the new device, with everything
its own account held, into the approver's account (`account_merge`).

Security, enforced here, in `link_guard` and in `db.repositories.link_requests`:
- codes come from `secrets` (34.6 bits), live at most 10 minutes (`LinkPolicy.link_ttl`),
  one live request per device (a partial unique index backs this), single use;
- only an HMAC of the code (key kept in the database) is stored, wiped on use or expiry,
  and compared in constant time;
- a wrong code counts against the device that typed it and its account (at most 10 in 15
  minutes each, 3 in a new device's first 15 minutes), against a database-wide limit (10 a
  minute, so a code can meet at most 100 guesses in its life, however many devices guess),
  all checked before the code is; and against the live requests that share half of it (a
  typo, or a half-seen code): a request dies after 5 such near misses. See `link_guard`;
- wrong, expired, used and dead codes all raise the same `InvalidLinkCodeError`;
- approval is one conditional UPDATE (`WHERE status = 'pending' AND code_hash = ...`) whose
  row count decides the single winner among concurrent approvals;
- link, approve, deny, unlink and rename are written to the audit log, without secrets.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

import verse_tui.db.models  # noqa: F401  (the merge walks every table of Base.metadata)
from verse_tui.config import DEFAULT_TRANSLATION
from verse_tui.db.base import Base
from verse_tui.db.models.accounts import Device as DeviceRow
from verse_tui.db.models.device_links import DeviceLinkRequest
from verse_tui.db.repositories import devices, link_requests
from verse_tui.db.repositories.account_merge import merge_accounts
from verse_tui.db.repositories.accounts import AccountRepository
from verse_tui.db.repositories.device_links import LinkAttemptRepository
from verse_tui.domain.devices import (
    AccountSummary,
    Device,
    LinkCode,
    LinkOutcome,
    LinkRequest,
    LinkRequestStatus,
    LinkStatus,
)
from verse_tui.errors import InputError, NotFoundError
from verse_tui.services import link_codes, link_guard
from verse_tui.services.context import (
    CurrentDevice,
    ServiceContext,
    add_fresh_user,
    device_with_credential,
    register_device,
)
from verse_tui.services.link_guard import (
    InvalidLinkCodeError,
    LinkPolicy,
    LinkRefusedError,
    TooManyLinkAttemptsError,
)

MAX_NAME_LENGTH = 100


class LastDeviceError(InputError):
    """Unlinking the only device of an account would leave it unreachable."""


class DeviceLinkService:
    """Devices of the caller's account, and pairing new devices into it."""

    def __init__(
        self,
        context: ServiceContext,
        *,
        policy: LinkPolicy | None = None,
        default_translation: str = DEFAULT_TRANSLATION,
    ) -> None:
        self._ctx = context
        self._policy = policy or LinkPolicy()
        self._translation = default_translation

    # -- this device and its account -------------------------------------------------------

    async def register_device(self, name: str | None = None, platform: str | None = None) -> Device:
        """Register this installation (its credential) if the database does not know it yet,
        in a fresh account of its own; return it either way."""
        now = self._ctx.now()
        credential_hash = self._ctx.credential.hash
        async with self._ctx.database.write() as session:
            row = await device_with_credential(session, credential_hash)
            if row is None:
                clean = _clean_name(name) if name is not None else None
                row = await register_device(
                    session,
                    credential_hash,
                    now=now,
                    translation=self._translation,
                    name=clean,
                    device_platform=platform,
                )
                await link_requests.audit(
                    session, now, "device_registered", subject=row.id, to_user=row.user_id
                )
            return devices.to_device(row, row.id)

    async def get_device(self, device_id: int | None = None) -> Device:
        """A device of the caller's account (this device when `device_id` is None)."""
        async with self._ctx.read_device() as (session, me):
            target = me.device_id if device_id is None else device_id
            row = await self._account_device(session, me, target)
            return devices.to_device(row, me.device_id)

    async def list_devices(self) -> tuple[Device, ...]:
        """Every device of the caller's account, oldest first."""
        async with self._ctx.read_device() as (session, me):
            rows = await devices.devices_of(session, me.user_id)
            return tuple(devices.to_device(row, me.device_id) for row in rows)

    async def account_summary(self) -> AccountSummary:
        """This device, its account and how many devices share that account."""
        async with self._ctx.read_device() as (session, me):
            rows = await devices.devices_of(session, me.user_id)
            this = next(row for row in rows if row.id == me.device_id)
            return AccountSummary(
                device=devices.to_device(this, me.device_id),
                account_id=me.user_id,
                device_count=len(rows),
            )

    async def rename_device(self, device_id: int, name: str) -> Device:
        """Rename a device of the caller's account."""
        clean = _clean_name(name)
        async with self._ctx.write_device() as (session, me):
            row = await self._account_device(session, me, device_id)
            old = row.name
            row.name = clean
            await link_requests.audit(
                session,
                self._ctx.now(),
                "device_renamed",
                actor=me.device_id,
                subject=row.id,
                to_user=row.user_id,
                detail=f"{old} -> {clean}"[:200],
            )
            return devices.to_device(row, me.device_id)

    async def unlink_device(self, device_id: int) -> Device:
        """Move a device of the caller's account to a fresh empty account of its own.

        Takes effect on that device's next call (identity is resolved per call). The data
        stays with the account. Refused for the account's last device.
        """
        now = self._ctx.now()
        async with self._ctx.write_device() as (session, me):
            await AccountRepository(session).lock_users(me.user_id)
            row = await self._account_device(session, me, device_id)
            count = await devices.device_count(session, me.user_id)
            if count <= 1:
                raise LastDeviceError(
                    f"{row.name!r} is the only device of this account, so unlinking it would "
                    "leave your bookmarks, notes and chats on no device at all. Link another "
                    "device first (`verse devices link` on it), then unlink this one."
                )
            fresh = await add_fresh_user(session, row.name, self._translation, now)
            row.user_id = fresh.id
            await link_requests.audit(
                session,
                now,
                "device_unlinked",
                actor=me.device_id,
                subject=row.id,
                from_user=me.user_id,
                to_user=fresh.id,
            )
            await session.flush()
            return devices.to_device(row, me.device_id)

    # -- the new device ----------------------------------------------------------------------

    async def request_link(self) -> LinkCode:
        """Ask to join another device's account: a fresh code, replacing any earlier one."""
        now = self._ctx.now()
        async with self._ctx.write_device() as (session, me):
            await devices.lock_device(session, me.device_id)
            others = await devices.device_count(session, me.user_id) - 1
            if others > 0:
                raise LinkRefusedError(
                    f"This device already shares its account with {others} other device"
                    f"{'s' if others != 1 else ''}. To join another account, first unlink it "
                    "(`verse devices unlink ID` from any of them)."
                )
            await link_requests.cancel_pending(session, me.device_id)
            key = await link_requests.server_key(session, now, link_codes.new_server_key)
            code, request = await link_guard.insert_request(
                session, self._policy, key, me.device_id, now
            )
            await link_requests.audit(
                session,
                now,
                "link_requested",
                actor=me.device_id,
                subject=me.device_id,
                from_user=me.user_id,
                request_id=request.id,
            )
            return LinkCode(request.id, link_codes.format_code(code), request.expires_at)

    async def get_link_status(self, request_id: int | None = None) -> LinkRequestStatus:
        """The state of this device's latest request (or of `request_id`, if it is ours)."""
        now = self._ctx.now()
        async with self._ctx.read_device() as (session, me):
            request = await link_requests.latest_request(session, me.device_id, request_id)
            if request is None:
                raise NotFoundError(
                    "This device has not asked to join an account. "
                    "Run `verse devices link` to get a code."
                )
            status = LinkStatus(request.status)
            due = status is LinkStatus.PENDING and request.expires_at <= now
        if due:
            await self.purge_expired()
            status = LinkStatus.EXPIRED
        return LinkRequestStatus(
            request_id=request.id,
            status=status,
            created_at=request.created_at,
            expires_at=request.expires_at,
            account_id=me.user_id,
            failed_attempts=request.failed_attempts,
        )

    # -- the linked device ---------------------------------------------------------------------

    async def find_link_request(self, code: str) -> LinkRequest:
        """Who is asking with this code. Counts as an attempt: a wrong code is recorded."""
        async with self._ctx.write_device() as (session, me):
            found = await link_guard.look_up(session, self._policy, me, code, self._ctx.now())
            if found is not None:
                request, _ = found
                asker = await session.get_one(DeviceRow, request.requesting_device_id)
                return LinkRequest(
                    request_id=request.id,
                    device_id=asker.id,
                    device_name=asker.name,
                    platform=asker.platform,
                    requested_at=request.created_at,
                    expires_at=request.expires_at,
                )
        raise InvalidLinkCodeError()

    async def approve_link(self, code: str) -> LinkOutcome:
        """Let the asking device into this account, merging its own data in; single use."""
        return await self._decide(code, approve=True)

    async def deny_link(self, code: str) -> LinkOutcome:
        """Refuse the asking device; the code is used up."""
        return await self._decide(code, approve=False)

    async def purge_expired(self) -> int:
        """Expire requests past their time (wiping their hashes) and forget old failed
        look-ups; returns how many requests expired."""
        now = self._ctx.now()
        async with self._ctx.database.write() as session:
            expired = await link_requests.expire_due(session, now)
            await LinkAttemptRepository(session).purge_failures(
                link_guard.purge_horizon(self._policy, now)
            )
        return len(expired)

    # -- internals -----------------------------------------------------------------------------

    async def _decide(self, code: str, *, approve: bool) -> LinkOutcome:
        now = self._ctx.now()
        status = LinkStatus.APPROVED if approve else LinkStatus.DENIED
        async with self._ctx.write_device() as (session, me):
            found = await link_guard.look_up(session, self._policy, me, code, now)
            if found is not None:
                request, code_hash = found
                won = await link_requests.close_request(
                    session,
                    request.id,
                    code_hash,
                    now,
                    status=status.value,
                    decided_by=me.device_id if approve else None,
                )
                if won:
                    asker = await self._settle(session, me, request, now, approve=approve)
                    return LinkOutcome(request.id, status, asker)
        raise InvalidLinkCodeError()

    async def _settle(
        self,
        session: AsyncSession,
        me: CurrentDevice,
        request: DeviceLinkRequest,
        now: datetime,
        *,
        approve: bool,
    ) -> Device:
        asker = await session.get_one(DeviceRow, request.requesting_device_id)
        from_user = asker.user_id
        details: dict[str, int] = {}
        if approve:
            await AccountRepository(session).lock_users(me.user_id, from_user)
            await session.refresh(asker)
            from_user = asker.user_id
            self._check_mergeable(from_user, me.user_id)
            if await devices.device_count(session, from_user) != 1:
                raise LinkRefusedError(
                    f"{asker.name!r} has been linked with another device meanwhile, so it "
                    "cannot join this account. Unlink it there first, then ask for a new code."
                )
            details = await merge_accounts(session, Base.metadata, from_user, me.user_id)
            session.expire(asker)
            await session.refresh(asker)
        await link_requests.audit(
            session,
            now,
            "link_approved" if approve else "link_denied",
            actor=me.device_id,
            subject=asker.id,
            from_user=from_user,
            to_user=me.user_id if approve else None,
            request_id=request.id,
            detail=", ".join(f"{name}={n}" for name, n in sorted(details.items()))[:200] or None,
        )
        return devices.to_device(asker, me.device_id)

    @staticmethod
    def _check_mergeable(from_user: int, into_user: int) -> None:
        if from_user == into_user:
            raise LinkRefusedError("That device is already linked to this account.")

    async def _account_device(
        self, session: AsyncSession, me: CurrentDevice, device_id: int
    ) -> DeviceRow:
        row = await session.get(DeviceRow, device_id)
        if row is None or row.user_id != me.user_id:
            raise NotFoundError(
                f"No device {device_id} in this account. Run `verse devices list` to see the ids."
            )
        return row


def _clean_name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise InputError("A device name cannot be empty. Give a short name like 'Laptop'.")
    if len(clean) > MAX_NAME_LENGTH or not clean.isprintable():
        raise InputError(
            f"A device name must be printable and at most {MAX_NAME_LENGTH} characters."
        )
    return clean


__all__ = [
    "DeviceLinkService",
    "InvalidLinkCodeError",
    "LastDeviceError",
    "LinkPolicy",
    "LinkRefusedError",
    "TooManyLinkAttemptsError",
]
