"""Fixtures for the device tests: several "handsets" (installations with their own
credential) sharing one database migrated to head: SQLite, or PostgreSQL when
VERSE_TEST_DATABASE_URL is set (see tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest

from tests.conftest import ManualClock
from verse_tui.db.engine import Database
from verse_tui.services.context import ServiceContext
from verse_tui.services.credential import new_credential
from verse_tui.services.device_link import DeviceLinkService
from verse_tui.services.users import UserService


@dataclass
class Handset:
    """One installation: its own credential, context and services on the shared database."""

    name: str
    context: ServiceContext
    devices: DeviceLinkService
    users: UserService

    @property
    def credential_hash(self) -> str:
        return self.context.credential.hash


MakeHandset = Callable[[str], Awaitable[Handset]]


async def make_handset(database: Database, clock: ManualClock, name: str) -> Handset:
    context = ServiceContext(database, new_credential(), clock)
    devices = DeviceLinkService(context)
    await devices.register_device(name=name, platform="Linux test")
    return Handset(name, context, devices, UserService(context, translations=("KJV", "WEB")))


@pytest.fixture
async def blank_database(database_url: str) -> AsyncIterator[Database]:
    """A `Database` on the test URL, not migrated."""
    database = await Database.open(database_url)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
def handset(database: Database, clock: ManualClock) -> MakeHandset:
    """Call `await handset("Laptop")` to register a new installation."""

    async def make(name: str) -> Handset:
        return await make_handset(database, clock, name)

    return make
