"""Per-call identity: who is calling, resolved from this device's credential in every transaction.

Each installation keeps a random credential in `settings.credential_path` (mode 0600,
`verse_tui.services.credential`); the database stores only its SHA-256 hash. Every service
method runs

    async with self._ctx.write() as (session, user_id): ...   # or ctx.read()

which opens one short transaction and looks up the device's user inside it, so a device
moved to another account (unlink) or removed takes effect on its next call.
"""

from __future__ import annotations

import logging
import platform
import socket
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from verse_tui.config import DEFAULT_TRANSLATION
from verse_tui.db.engine import Database, DatabaseError
from verse_tui.db.models.accounts import Device, User
from verse_tui.db.repositories import devices
from verse_tui.db.repositories.accounts import AccountRepository
from verse_tui.domain.user import DEFAULT_THEME
from verse_tui.services.credential import DeviceCredential, IdentityError

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
"""Returns the current time, timezone-aware in UTC. Injected so tests control time."""

MAX_PLATFORM_LENGTH = 50  # devices.platform is String(50)
TOUCH_INTERVAL = timedelta(minutes=1)


def system_clock() -> datetime:
    return datetime.now(UTC)


def default_device_name() -> str:
    return (socket.gethostname() or platform.node() or "This computer")[:100]


def default_platform() -> str:
    system = platform.system() or sys.platform
    release = platform.release()
    return (f"{system} {release}" if release else system)[:MAX_PLATFORM_LENGTH]


@dataclass(frozen=True, slots=True)
class CurrentDevice:
    """The calling device, as found in the current transaction."""

    device_id: int
    user_id: int
    name: str


class ServiceContext:
    """Opens transactions for services and resolves the caller's user inside each one."""

    def __init__(
        self,
        database: Database,
        credential: DeviceCredential,
        clock: Clock = system_clock,
        *,
        touch_interval: timedelta = TOUCH_INTERVAL,
    ) -> None:
        self.database = database
        self.credential = credential
        self.clock = clock
        self._touch_interval = touch_interval
        self._touched_at: datetime | None = None

    def now(self) -> datetime:
        return self.clock()

    @property
    def touch_due(self) -> bool:
        """Whether the next `write()` records this device's `last_seen_at` (once a minute).
        A hot path that resolves the device inside its own statements uses `write()` then."""
        return self._touch_due()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[tuple[AsyncSession, int]]:
        """One write transaction (`BEGIN IMMEDIATE` on SQLite) and the caller's user id."""
        async with self.write_device() as (session, device):
            yield session, device.user_id

    @asynccontextmanager
    async def read(self) -> AsyncIterator[tuple[AsyncSession, int]]:
        """One read transaction and the caller's user id."""
        async with self.read_device() as (session, device):
            yield session, device.user_id

    @asynccontextmanager
    async def write_device(self) -> AsyncIterator[tuple[AsyncSession, CurrentDevice]]:
        """Like `write()`, but yields the whole calling device (id, user, name)."""
        touched: datetime | None = None
        async with self.database.write() as session:
            device = await self._resolve(session)
            if self._touch_due():
                touched = await self._touch(session, device.device_id)
            yield session, device
        if touched is not None:  # committed
            self._touched_at = touched

    @asynccontextmanager
    async def read_device(self) -> AsyncIterator[tuple[AsyncSession, CurrentDevice]]:
        """Like `read()`, but yields the whole calling device. Once the read is over, a
        short write records `last_seen_at` if the last one is over a minute old."""
        async with self.database.read() as session:
            yield session, await self._resolve(session)
        if self._touch_due():
            try:
                async with self.write_device():
                    pass
            except DatabaseError as exc:  # the read succeeded; last_seen_at can wait
                logger.debug("last_seen_at not recorded: %s", exc)

    async def _resolve(self, session: AsyncSession) -> CurrentDevice:
        row = await devices.identity(session, self.credential.hash)
        if row is None:
            raise IdentityError(
                "This device is not registered in the Verse database "
                f"({self.database.display_url}): it was removed from its account, or the "
                "database was replaced. Restart Verse; if it still refuses, delete this "
                "device's key file (device.key in VERSE_HOME) to register it as a new device, "
                "then link it to your account (verse devices link)."
            )
        return CurrentDevice(device_id=row.id, user_id=row.user_id, name=row.name)

    def touched(self, when: datetime | None) -> None:
        """Record that this device's `last_seen_at` was just written (at `when`)."""
        if when is not None:
            self._touched_at = when

    def _touch_due(self) -> bool:
        last = self._touched_at
        return last is None or self.now() - last >= self._touch_interval

    async def _touch(self, session: AsyncSession, device_id: int) -> datetime:
        now = self.now()
        await devices.touch(session, device_id, now)
        return now


@dataclass(frozen=True, slots=True)
class BootstrapResult:
    device_id: int
    user_id: int
    registered: bool  # True when this call created the device (first run)
    seen_at: datetime | None = None  # the `last_seen_at` this call wrote


async def bootstrap_identity(
    database: Database,
    credential: DeviceCredential,
    *,
    credential_created: bool,
    clock: Clock = system_clock,
    default_translation: str = DEFAULT_TRANSLATION,
) -> BootstrapResult:
    """Make sure this device exists: on first run create the local user and this device.

    A credential the database does not know is registered when it was just created or when
    the database holds no device yet (a new or replaced database). Otherwise the device was
    removed from a shared database, and registering it silently would hide that: raise.
    """
    async with database.write() as session:
        found = await device_with_credential(session, credential.hash)
        if found is not None:
            found.last_seen_at = seen = clock()
            return BootstrapResult(found.id, found.user_id, registered=False, seen_at=seen)
        if not credential_created and await devices.count_all(session):
            raise IdentityError(
                "This device's key is not known to the Verse database "
                f"({database.display_url}), which belongs to other devices: this device "
                "was removed. Delete its key file to register it as a new device, then "
                "link it to your account (verse devices link)."
            )
        seen = clock()
        device = await register_device(
            session, credential.hash, now=seen, translation=default_translation
        )
        return BootstrapResult(device.id, device.user_id, registered=True, seen_at=seen)


async def device_with_credential(session: AsyncSession, credential_hash: str) -> Device | None:
    """The device registered with this credential hash, if any."""
    return await devices.with_credential(session, credential_hash)


async def register_device(
    session: AsyncSession,
    credential_hash: str,
    *,
    now: datetime,
    translation: str = DEFAULT_TRANSLATION,
    name: str | None = None,
    device_platform: str | None = None,
) -> Device:
    """Create a fresh local user and a device for `credential_hash` (flushes, never commits)."""
    device_name = name or default_device_name()
    user = await add_fresh_user(session, device_name, translation, now)
    return await devices.add(
        session,
        user_id=user.id,
        name=device_name,
        platform=(device_platform or default_platform())[:MAX_PLATFORM_LENGTH],
        credential_hash=credential_hash,
        now=now,
    )


async def add_fresh_user(
    session: AsyncSession, display_name: str, translation: str, now: datetime
) -> User:
    """A new account with the default preferences (flushed, so it has its id)."""
    return await AccountRepository(session).add_user(
        display_name, translation=translation, theme=DEFAULT_THEME, now=now
    )
