"""`Database`: the writer and reader engines and their session makers, built from a URL.

On SQLite (aiosqlite) every connection gets WAL, a busy timeout, synchronous=NORMAL and
foreign keys on; the driver's own transaction handling is off, and SQLAlchemy's `begin`
hook emits `BEGIN IMMEDIATE` on the writer (so a write transaction takes the write lock
at its start and waits for it instead of failing half-way) and a plain `BEGIN` on the
reader. The writer pool holds one connection per process. Hooks sit on
`engine.sync_engine`: the DBAPI connection seen there is aiosqlite's adapter, not a
`sqlite3.Connection`, so no isinstance guard is used.

On PostgreSQL (postgresql+asyncpg) one engine with a normal pool serves both.

Nothing is created at import time; build a `Database` in the app factory and inject it.
Every engine hides SQL parameters from its errors (`hide_parameters=True`): they hold
credential hashes and users' text, and an error message may reach a terminal or a log.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from verse_tui.errors import VerseError

BUSY_TIMEOUT_MS = 10_000
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
)


class DatabaseError(VerseError):
    """The user database cannot be opened or written (folder, disk, lock, server)."""


class Database:
    """The user database: `.writer` and `.reader` session makers over one URL.

    Use `async with db.write() as session:` for one write transaction and
    `async with db.read() as session:` for one read (both turn operational failures into
    `DatabaseError`; `.writer`/`.reader` are the bare session makers). Call `await db.dispose()`
    when done. Build it with `await Database.open(url)`, which also prepares the
    SQLite file's folder off the event loop.
    """

    def __init__(self, url: str | URL) -> None:
        self.url: URL = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite and self.sqlite_path is None:
            # In memory: one connection holds the whole database, so both roles share it.
            self.writer_engine = _sqlite_engine(self.url, begin="BEGIN IMMEDIATE", pooled=False)
            self.reader_engine = self.writer_engine
        elif self.is_sqlite:
            self.writer_engine = _sqlite_engine(self.url, begin="BEGIN IMMEDIATE", writer=True)
            self.reader_engine = _sqlite_engine(self.url, begin="BEGIN", writer=False)
        else:
            self.writer_engine = create_async_engine(
                self.url, pool_pre_ping=True, hide_parameters=True
            )
            self.reader_engine = self.writer_engine
        self.writer: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.writer_engine, expire_on_commit=False
        )
        self.reader: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.reader_engine, expire_on_commit=False
        )

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """One write transaction; operational failures come out as `DatabaseError`."""
        with user_facing_errors():
            async with self.writer.begin() as session:
                yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """One read transaction; operational failures come out as `DatabaseError`."""
        with user_facing_errors():
            async with self.reader.begin() as session:
                yield session

    @classmethod
    async def open(cls, url: str | URL) -> Database:
        """Build a Database; for a SQLite file, create its folder and check it is writable."""
        database = cls(url)
        path = database.sqlite_path
        if path is not None:
            await asyncio.to_thread(prepare_sqlite_folder, path)
        return database

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite file, or None for PostgreSQL or an in-memory SQLite database."""
        if not self.is_sqlite:
            return None
        name = self.url.database
        if not name or name == ":memory:" or name.startswith("file:"):
            return None
        return Path(name).expanduser().resolve()

    @property
    def display_url(self) -> str:
        """The URL with any password hidden, fit for messages."""
        return self.url.render_as_string(hide_password=True)

    async def dispose(self) -> None:
        """Close every pooled connection of both engines."""
        await self.writer_engine.dispose()
        if self.reader_engine is not self.writer_engine:
            await self.reader_engine.dispose()


def upsert_insert(session: AsyncSession, table: Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT for the session's backend, so `on_conflict_do_update/_nothing` work on both
    SQLite and PostgreSQL."""
    dialect = session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)


def _sqlite_engine(
    url: URL, *, begin: str, writer: bool = False, pooled: bool = True
) -> AsyncEngine:
    pool_args: dict[str, Any] = {"pool_size": 1, "max_overflow": 0} if writer and pooled else {}
    engine = create_async_engine(url, hide_parameters=True, **pool_args)
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Turn off the driver's implicit BEGIN so that our `begin` hook is in charge.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for pragma in SQLITE_PRAGMAS:
                cursor.execute(pragma)
        finally:
            cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql(begin)

    return engine


def prepare_sqlite_folder(path: Path) -> None:
    """Create the SQLite file's folder; raise DatabaseError if it cannot be written."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(
            f"Cannot create the folder {folder} for the Verse database: {exc.strerror or exc}. "
            "Check the path (set VERSE_HOME or VERSE_DATABASE_URL to another place)."
        ) from exc
    if not folder.is_dir():
        raise DatabaseError(
            f"{folder} is not a folder, so the Verse database cannot live there. "
            "Set VERSE_HOME or VERSE_DATABASE_URL to another place."
        )
    target = path if path.exists() else folder
    if not os.access(target, os.W_OK):
        raise DatabaseError(
            f"Verse cannot write to {target}. Fix its permissions "
            f"(e.g. chmod u+w {target}) or set VERSE_HOME to a writable folder."
        )


_SQLITE_MESSAGES = (
    ("disk is full", "The disk holding the Verse database is full. Free some space and retry."),
    (
        "readonly database",
        "The Verse database is read-only. Fix the file's permissions and retry.",
    ),
    (
        "unable to open database",
        "Verse cannot open its database file. Check that the folder exists and is writable.",
    ),
    (
        "database is locked",
        "The Verse database stayed locked by another program for too long. Retry in a moment.",
    ),
    ("disk i/o error", "The disk failed while Verse wrote its database. Check the disk."),
)


LOST_SERVER_MESSAGE = (
    "Verse lost its connection to the database server. Check the server and retry."
)


def database_error_for(exc: DBAPIError) -> DatabaseError | None:
    """A user-facing DatabaseError for an operational failure, or None if it is a bug."""
    if exc.connection_invalidated:
        return DatabaseError(LOST_SERVER_MESSAGE)
    if not isinstance(exc, OperationalError):
        return None
    text = str(exc.orig).lower()
    for needle, message in _SQLITE_MESSAGES:
        if needle in text:
            return DatabaseError(message)
    if "connection" in text or "could not connect" in text:
        return DatabaseError(LOST_SERVER_MESSAGE)
    return None


@contextmanager
def user_facing_errors() -> Iterator[None]:
    """Turn operational failures (disk full, read-only file, lost server) into DatabaseError
    with a message a user can act on; anything else passes unchanged."""
    try:
        yield
    except DBAPIError as exc:
        friendly = database_error_for(exc)
        if friendly is None:
            raise
        raise friendly from exc
    except (ConnectionError, TimeoutError) as exc:  # a server gone before the driver noticed
        raise DatabaseError(LOST_SERVER_MESSAGE) from exc
