"""The guarded steps of pairing: looking a typed code up, and drawing a new one.

`look_up` is where brute force is stopped. In order: the code's form is checked (a
malformed code matches nothing by construction and costs no attempt); every look-up in the
database is serialised (`lock_gate`: a row lock on PostgreSQL, SQLite's writer lock); the
guesser's budgets are checked *before* the code, so a guesser over a limit learns nothing
even from a right code; due requests expire; the keyed hash is looked up and compared in
constant time. Wrong, expired, used and dead codes all come back as None, which the service
turns into one `InvalidLinkCodeError`.

What a wrong code counts against (the rule; docs/architecture.md, "Pairing"):
- the guesser: its device (10 per 15 minutes; 3 in a device's first 15 minutes, so a new
  `VERSE_HOME` starts with its budget mostly used) and its account (10 per 15 minutes over
  all its devices; the rows move with a merge, so linking does not reset them);
- everyone: at most 10 wrong codes per minute in the whole database. Past that, every
  look-up waits (the message says how long). This is the limit that holds against unlimited
  new devices: a code lives 10 minutes, so at most 100 guesses can ever be made at it, and
  P(success) <= 100 / 20**8 = 3.9e-9 per code, whatever the attacker does;
- the request guessed at, when there is one: a wrong code is charged to the live requests
  that share its first or its second half (compared by keyed hash). A typo keeps one half,
  and so does a guess by someone who saw half the code; 5 such near misses kill the request.
  A wrong code that shares no half with a request says nothing about it and is not charged
  to it, so an unrelated account's guesses cannot kill other people's requests: a random
  guess shares a half with a given code with probability 2 / 20**4 = 1.25e-5, and the global
  limit allows 100 guesses in a code's life.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from verse_tui.db.models.device_links import DeviceLinkRequest
from verse_tui.db.repositories import link_requests
from verse_tui.db.repositories.device_links import LinkAttemptRepository
from verse_tui.errors import InputError, VerseError
from verse_tui.services import link_codes
from verse_tui.services.context import CurrentDevice

MAX_LINK_TTL = timedelta(minutes=10)


class InvalidLinkCodeError(InputError):
    """The code matches no live request: wrong, expired, used or dead look the same."""

    def __init__(self) -> None:
        super().__init__(
            "That code is not valid: it may be mistyped, expired or already used. "
            "Check it, or run `verse devices link` again on the new device for a fresh code."
        )


class LimitScope(Enum):
    """Whose wrong codes reached a limit."""

    DEVICE = "device"
    NEW_DEVICE = "new device"
    ACCOUNT = "account"
    DATABASE = "database"


class TooManyLinkAttemptsError(VerseError):
    """Too many wrong codes recently: on this device, its account, or the whole database."""

    def __init__(self, wait: timedelta, scope: LimitScope = LimitScope.DEVICE) -> None:
        self.wait = wait
        self.scope = scope
        super().__init__(f"{_REASONS[scope]} Wait {_duration(wait)}, then {_NEXT[scope]}")


_REASONS = {
    LimitScope.DEVICE: "Too many wrong codes were entered on this device.",
    LimitScope.NEW_DEVICE: (
        "Too many wrong codes were entered on this device: a device may enter only a few "
        "wrong codes in its first 15 minutes."
    ),
    LimitScope.ACCOUNT: "Too many wrong codes were entered on the devices of this account.",
    LimitScope.DATABASE: (
        "Too many wrong codes were entered on this Verse database in the last minute, by any "
        "device, so pairing is paused for everyone."
    ),
}
_NEXT = {
    LimitScope.DEVICE: "try again with a fresh code.",
    LimitScope.NEW_DEVICE: "try again with a fresh code.",
    LimitScope.ACCOUNT: "try again with a fresh code.",
    LimitScope.DATABASE: "enter the code again (ask for a fresh one if it has expired).",
}


def _duration(wait: timedelta) -> str:
    """`40 seconds` under a minute, else whole minutes rounded up."""
    seconds = max(1, -(-int(wait.total_seconds() * 1000) // 1000))
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class LinkRefusedError(InputError):
    """The request is valid but cannot be carried out; the message says why."""


@dataclass(frozen=True, slots=True)
class LinkPolicy:
    """How long codes live and how many wrong codes are tolerated, by whom."""

    link_ttl: timedelta = MAX_LINK_TTL
    max_attempts: int = 5  # near misses per request before it dies
    failure_cap: int = 10  # wrong codes per device, and per account, within `failure_window`
    new_device_cap: int = 3  # ... per device in its first `failure_window`
    failure_window: timedelta = timedelta(minutes=15)
    global_cap: int = 10  # wrong codes in the whole database within `global_window`
    global_window: timedelta = timedelta(minutes=1)

    def __post_init__(self) -> None:
        if not timedelta(0) < self.link_ttl <= MAX_LINK_TTL:
            raise ValueError("a link code may live at most 10 minutes")
        caps = (self.max_attempts, self.failure_cap, self.new_device_cap, self.global_cap)
        if min(caps) < 1:
            raise ValueError("attempt limits must be at least 1")
        if self.new_device_cap > self.failure_cap:
            raise ValueError("a new device may not get more wrong codes than an old one")
        if not timedelta(0) < self.global_window <= self.failure_window:
            raise ValueError("the global window must be positive and within the device window")


async def look_up(
    session: AsyncSession, policy: LinkPolicy, guesser: CurrentDevice, code: str, now: datetime
) -> tuple[DeviceLinkRequest, str] | None:
    """The live request for `code` and its hash, or None after recording a miss."""
    canonical = link_codes.normalize_code(code)
    key = await link_requests.server_key(session, now, link_codes.new_server_key)
    attempts = LinkAttemptRepository(session)
    await attempts.lock_gate(link_requests.LINK_CODE_KEY_NAME)
    await _check_budgets(attempts, policy, guesser, now)
    await link_requests.expire_due(session, now)
    code_hash = link_codes.hash_code(key, canonical)
    request = await link_requests.live_request_by_hash(session, code_hash, now)
    if request is not None and not link_codes.hashes_match(request.code_hash, code_hash):
        request = None  # the index found it; the constant-time comparison has the last word
    if request is None:
        await _record_miss(session, attempts, policy, guesser, key, canonical, now)
        return None
    if request.requesting_device_id == guesser.device_id:
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
        first_half, second_half = link_codes.half_hashes(key, code)
        request = DeviceLinkRequest(
            requesting_device_id=device_id,
            code_hash=link_codes.hash_code(key, code),
            first_half_hash=first_half,
            second_half_hash=second_half,
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


def purge_horizon(policy: LinkPolicy, now: datetime) -> datetime:
    """Failures at or before this time no longer count towards any limit."""
    return now - max(policy.failure_window, policy.global_window)


async def _check_budgets(
    attempts: LinkAttemptRepository, policy: LinkPolicy, guesser: CurrentDevice, now: datetime
) -> None:
    """Raise for the longest wait among the limits the guesser is over, if any."""
    frees: list[tuple[datetime, LimitScope]] = []
    since = now - policy.failure_window
    created = await attempts.device_created_at(guesser.device_id)
    young = created > since
    device_cap = policy.new_device_cap if young else policy.failure_cap
    nth = await attempts.nth_recent_failure(since, device_cap, device_id=guesser.device_id)
    if nth is not None:
        free = nth + policy.failure_window
        if young and policy.new_device_cap < policy.failure_cap:
            free = min(free, created + policy.failure_window)  # then the full cap applies
        frees.append((free, LimitScope.NEW_DEVICE if young else LimitScope.DEVICE))
    nth = await attempts.nth_recent_failure(since, policy.failure_cap, user_id=guesser.user_id)
    if nth is not None:
        frees.append((nth + policy.failure_window, LimitScope.ACCOUNT))
    nth = await attempts.nth_recent_failure(now - policy.global_window, policy.global_cap)
    if nth is not None:
        frees.append((nth + policy.global_window, LimitScope.DATABASE))
    if frees:
        free_at, scope = max(frees, key=lambda item: item[0])
        raise TooManyLinkAttemptsError(free_at - now, scope)


async def _record_miss(
    session: AsyncSession,
    attempts: LinkAttemptRepository,
    policy: LinkPolicy,
    guesser: CurrentDevice,
    key: bytes,
    canonical: str,
    now: datetime,
) -> None:
    await attempts.record_failure(guesser.device_id, guesser.user_id, now)
    first_half, second_half = link_codes.half_hashes(key, canonical)
    await attempts.count_near_miss(first_half, second_half, now)
    for gone in await attempts.kill_exhausted(policy.max_attempts):
        await link_requests.audit(
            session,
            now,
            "link_expired",
            subject=gone.requesting_device_id,
            request_id=gone.id,
            detail=f"{policy.max_attempts} wrong codes",
        )
