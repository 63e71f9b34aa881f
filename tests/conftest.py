"""Root fixtures every area reuses.

- `verse_home`: an empty temporary `$VERSE_HOME`.
- `backend`: "sqlite", and also "postgresql" when `VERSE_TEST_DATABASE_URL` names a
  `postgresql+asyncpg://` server: every test that uses the database then runs on both.
- `database_url`: a SQLite file in `verse_home`, or for the "postgresql" backend a fresh
  database created on that server for this test (and dropped after).
- `settings`: `Settings` pointing at both, with the shipped Bible text.
- `clock`: a `ManualClock` (UTC, starts at 2026-01-01 12:00, `advance(...)` moves it).
- `database`: a `Database` migrated to head.
- `services`: `build_services(settings, clock=clock)`, closed after the test.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from verse_tui.app_factory import Services, build_services
from verse_tui.config import BIBLE_DB_NAME, DEFAULT_MODEL, USER_DB_NAME, Settings, shipped_data_dir
from verse_tui.db.engine import Database
from verse_tui.db.migrate import migrate

TEST_DATABASE_URL_ENV = "VERSE_TEST_DATABASE_URL"


class ManualClock:
    """A clock tests move by hand; call it to read the time (aware UTC)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        self.now += delta if delta is not None else timedelta(**kwargs)
        return self.now


def postgres_base_url() -> str | None:
    """The PostgreSQL server URL to test against, if any."""
    url = os.environ.get(TEST_DATABASE_URL_ENV, "").strip()
    return url or None


async def create_postgres_database(base_url: str) -> str:
    """Create a uniquely named empty database on the server of `base_url`; return its URL."""
    from sqlalchemy.engine import make_url

    url = make_url(base_url)
    name = f"verse_t_{secrets.token_hex(6)}"
    await _postgres_admin(base_url, f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


async def drop_postgres_database(base_url: str, url: str) -> None:
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    await _postgres_admin(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _postgres_admin(base_url: str, statement: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture
def verse_home(tmp_path: Path) -> Path:
    home = tmp_path / "verse-home"
    home.mkdir(mode=0o700)  # as Verse creates it (an open folder is warned about)
    return home


def _backends() -> list[str]:
    return ["sqlite", "postgresql"] if postgres_base_url() else ["sqlite"]


@pytest.fixture(params=_backends())
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend this test runs on (parametrized: see the module docstring)."""
    return str(request.param)


@pytest.fixture
async def database_url(verse_home: Path, backend: str) -> AsyncIterator[str]:
    base = postgres_base_url()
    if backend == "sqlite" or base is None:
        yield f"sqlite+aiosqlite:///{verse_home / USER_DB_NAME}"
        return
    url = await create_postgres_database(base)
    try:
        yield url
    finally:
        await drop_postgres_database(base, url)


def make_settings(home: Path, database_url: str) -> Settings:
    """Settings for one test installation (no API key: tests fake the network edge)."""
    return Settings(
        home=home,
        database_url=database_url,
        bible_path=shipped_data_dir() / BIBLE_DB_NAME,
        model=DEFAULT_MODEL,
        translation="KJV",
        api_key=None,
        config_file=home / "config.toml",
    )


@pytest.fixture
def settings(verse_home: Path, database_url: str) -> Settings:
    return make_settings(verse_home, database_url)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def database(settings: Settings) -> AsyncIterator[Database]:
    db = await Database.open(settings.database_url)
    try:
        await migrate(db)
        yield db
    finally:
        await db.dispose()


@pytest.fixture
async def services(settings: Settings, clock: ManualClock) -> AsyncIterator[Services]:
    built = await build_services(settings, clock=clock)
    try:
        yield built
    finally:
        await built.aclose()
