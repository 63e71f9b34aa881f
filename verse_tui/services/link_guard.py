"""The guarded steps of pairing: looking a typed code up, and drawing a new one.

`look_up` is where brute force is stopped. In order: the code's form is checked (a
malformed code matches nothing by construction and costs no attempt); the device's row is
locked (PostgreSQL; SQLite's writer lock already serialises); the per-device cap on recent
wrong codes is checked *before* the code, so a locked device learns nothing even from a right
code; due requests expire; the keyed hash is looked up and compared in constant time. A miss
is recorded against the device and against every live request (any of them could have been
the target), and requests reaching `max_attempts` die. Wrong, expired, used and dead codes
all come back as None, which the service turns into one `InvalidLinkCodeError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from verse_tui.db.models.device_links import DeviceLinkRequest
from verse_tui.errors import InputError, VerseError
from verse_tui.services import link_codes, link_store

MAX_LINK_TTL = timedelta(minutes=10)


class InvalidLinkCodeError(InputError):
    """The code matches no live request: wrong, expired, used or dead look the same."""

    def __init__(self) -> None:
        super().__init__(
            "That code is not valid: it may be mistyped, expired or already used. "
            "Check it, or run `verse devices link` again on the new device for a fresh code."
        )


class TooManyLinkAttemptsError(VerseError):
    """This device entered too many wrong codes recently."""

    def __init__(self, wait: timedelta) -> None:
        minutes = max(1, -(-int(wait.total_seconds()) // 60))
        super().__init__(
            f"Too many wrong codes were entered on this device. Wait {minutes} minute"
            f"{'s' if minutes != 1 else ''}, then try again with a fresh code."
        )


class LinkRefusedError(InputError):
    """The request is valid but cannot be carried out; the message says why."""


@dataclass(frozen=True, slots=True)
class LinkPolicy:
    """How long codes live and how many wrong codes are tolerated."""

    link_ttl: timedelta = MAX_LINK_TTL
    max_attempts: int = 5  # wrong codes per request before it dies
    failure_cap: int = 10  # wrong codes per device within `failure_window`
    failure_window: timedelta = timedelta(minutes=15)

    def __post_init__(self) -> None:
        if not timedelta(0) < self.link_ttl <= MAX_LINK_TTL:
            raise ValueError("a link code may live at most 10 minutes")
        if self.max_attempts < 1 or self.failure_cap < 1:
            raise ValueError("attempt limits must be at least 1")


async def look_up(
    session: AsyncSession, policy: LinkPolicy, device_id: int, code: str, now: datetime
) -> tuple[DeviceLinkRequest, str] | None:
    """The live request for `code` and its hash, or None after recording a miss."""
    canonical = link_codes.normalize_code(code)
    await link_store.lock_device(session, device_id)
    await _check_failure_cap(session, policy, device_id, now)
    await link_store.expire_due(session, now)
    key = await link_store.server_key(session, now)
    code_hash = link_codes.hash_code(key, canonical)
    request = await link_store.live_request_by_hash(session, code_hash, now)
    if request is None:
        await _record_miss(session, policy, device_id, now)
        return None
    if request.requesting_device_id == device_id:
        raise LinkRefusedError(
            "This is this device's own code. Enter it on a device that is already "
            "linked to the account you want to join."
        )
    return request, code_hash


async def insert_request(
    session: AsyncSession, policy: LinkPolicy, key: bytes, device_id: int, now: datetime
) -> tuple[str, DeviceLinkRequest]:
    """A new pending request and its code (drawn again on the rare clash of hashes)."""
    for _ in range(5):
        code = link_codes.generate_code()
        request = DeviceLinkRequest(
            requesting_device_id=device_id,
            code_hash=link_codes.hash_code(key, code),
            status="pending",
            created_at=now,
            expires_at=now + policy.link_ttl,
            failed_attempts=0,
        )
        try:
            async with session.begin_nested():
                session.add(request)
        except IntegrityError:
            continue
        return code, request
    raise RuntimeError("could not draw an unused link code in 5 tries")


async def _check_failure_cap(
    session: AsyncSession, policy: LinkPolicy, device_id: int, now: datetime
) -> None:
    since = now - policy.failure_window
    count, oldest = await link_store.recent_failures(session, device_id, since)
    if count >= policy.failure_cap:
        free_at = (oldest or now) + policy.failure_window
        raise TooManyLinkAttemptsError(free_at - now)


async def _record_miss(
    session: AsyncSession, policy: LinkPolicy, device_id: int, now: datetime
) -> None:
    dead = await link_store.record_failure(session, device_id, now, policy.max_attempts)
    for gone in dead:
        await link_store.audit(
            session,
            now,
            "link_expired",
            subject=gone.requesting_device_id,
            request_id=gone.id,
            detail=f"{policy.max_attempts} wrong codes",
        )
