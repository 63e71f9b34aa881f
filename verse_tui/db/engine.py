"""`Database`: the writer and reader engines and their session makers, built from a URL.

On SQLite (aiosqlite) every connection gets WAL, a busy timeout, synchronous=NORMAL and
foreign keys on; the driver's own transaction handling is off, and SQLAlchemy's `begin`
hook emits `BEGIN IMMEDIATE` on the writer (so a write transaction takes the write lock
at its start and waits for it instead of failing half-way) and a plain `BEGIN` on the
reader. The writer pool holds one connection per process. Hooks sit on
`engine.sync_engine`: the DBAPI connection seen there is aiosqlite's adapter, not a
`sqlite3.Connection`, so no isinstance guard is used.

On PostgreSQL (postgresql+asyncpg) one engine with a normal pool serves both. Dialect modules
are loaded by the URL only (a SQLite start-up never imports the PostgreSQL dialect or asyncpg).

A SQLite file is created private (0600, its folder 0700) and checked for damage when opened
(`db/sqlite_files.py`); a "malformed" error later stops every further write.

Nothing is created at import time; build a `Database` in the app factory and inject it.
Every engine hides SQL parameters from its errors (`hide_parameters=True`): they hold
credential hashes and users' text, and an error message may reach a terminal or a log.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from verse_tui.db.errors import DatabaseCorruptError, DatabaseError
from verse_tui.db.sqlite_files import corruption_message, is_corruption, open_sqlite_file

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite

__all__ = ["Database", "DatabaseCorruptError", "DatabaseError", "user_facing_errors"]

BUSY_TIMEOUT_MS = 10_000
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
)


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
        self.warnings: tuple[str, ...] = ()  # to show the user once (loose file modes)
        self.damage: DatabaseCorruptError | None = None  # set once the file proved damaged

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """One write transaction; operational failures come out as `DatabaseError`, and a
        database found damaged refuses every further write."""
        if self.damage is not None:
            raise DatabaseCorruptError(str(self.damage))
        with self.user_facing_errors():
            async with self.writer.begin() as session:
                yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """One read transaction; operational failures come out as `DatabaseError`."""
        with self.user_facing_errors():
            async with self.reader.begin() as session:
                yield session

    @contextmanager
    def user_facing_errors(self) -> Iterator[None]:
        """`user_facing_errors()` naming this database's file (and its backup) when damaged."""
        try:
            with user_facing_errors(self.sqlite_path):
                yield
        except DatabaseCorruptError as exc:
            self.damage = exc
            raise

    @classmethod
    async def open(cls, url: str | URL) -> Database:
        """Build a Database; a SQLite file gets a private folder and file and is checked for
        damage (DatabaseCorruptError) before anything writes to it."""
        database = cls(url)
        path = database.sqlite_path
        if path is not None:
            database.warnings = await asyncio.to_thread(open_sqlite_file, path)
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
    SQLite and PostgreSQL (the dialect module is imported for the backend in use only)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(table)


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


def database_error_for(exc: DBAPIError, path: Path | None = None) -> DatabaseError | None:
    """A user-facing DatabaseError for an operational failure or a damaged file (`path`: the
    SQLite file, named in the message), or None if it is a bug."""
    if exc.connection_invalidated:
        return DatabaseError(LOST_SERVER_MESSAGE)
    if is_corruption(exc.orig):
        return DatabaseCorruptError(corruption_message(path, str(exc.orig)))
    if not isinstance(exc, OperationalError):
        return None
    text = str(exc.orig).lower()
    for needle, message in _SQLITE_MESSAGES:
        if needle in text:
            return DatabaseError(message)
    if "connection" in text or "could not connect" in text:
        return DatabaseError(LOST_SERVER_MESSAGE)
    return None


def raise_if_corrupt(exc: DBAPIError, database: Database) -> None:
    """Raise DatabaseCorruptError (and stop the database's writes) if `exc` says the file is
    damaged; otherwise return."""
    if is_corruption(exc.orig):
        database.damage = DatabaseCorruptError(
            corruption_message(database.sqlite_path, str(exc.orig))
        )
        raise database.damage from exc


@contextmanager
def user_facing_errors(path: Path | None = None) -> Iterator[None]:
    """Turn operational failures (disk full, read-only file, lost server) and a damaged file
    (`path`: the SQLite file, for the message) into DatabaseError with a message a user can
    act on; anything else passes unchanged."""
    try:
        yield
    except DBAPIError as exc:
        friendly = database_error_for(exc, path)
        if friendly is None:
            raise
        raise friendly from exc
    except (ConnectionError, TimeoutError) as exc:  # a server gone before the driver noticed
        raise DatabaseError(LOST_SERVER_MESSAGE) from exc
