"""The SQLite engine settings really take effect through the async driver, and failures of
the disk or folder reach the user as DatabaseError with a message to act on."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError

from verse_tui.config import Settings
from verse_tui.db.engine import Database, DatabaseError, user_facing_errors
from verse_tui.db.migrate import migrate


def sqlite_only(settings: Settings) -> None:
    if not settings.is_sqlite:
        pytest.skip("SQLite engine settings")


@pytest.mark.parametrize("which", ["writer", "reader"])
async def test_pragmas_are_applied_on_every_sqlite_connection(
    settings: Settings, which: str
) -> None:
    sqlite_only(settings)
    database = await Database.open(settings.database_url)
    try:
        engine = getattr(database, f"{which}_engine")
        async with engine.connect() as conn:
            values = {
                name: (await conn.exec_driver_sql(f"PRAGMA {name}")).scalar()
                for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
            }
    finally:
        await database.dispose()
    assert values == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "busy_timeout": 10000,
        "synchronous": 1,
    }


async def test_writer_begins_immediate_and_reader_plain_begin(settings: Settings) -> None:
    sqlite_only(settings)
    database = await Database.open(settings.database_url)
    seen: dict[str, list[str]] = {"writer": [], "reader": []}
    for name in seen:
        engine = getattr(database, f"{name}_engine").sync_engine

        def record(*args: object, log: list[str] = seen[name]) -> None:
            log.append(str(args[2]))

        event.listen(engine, "before_cursor_execute", record)
    try:
        async with database.writer.begin() as session:
            await session.execute(text("SELECT 1"))
        async with database.reader.begin() as session:
            await session.execute(text("SELECT 1"))
    finally:
        await database.dispose()
    assert seen["writer"][:2] == ["BEGIN IMMEDIATE", "SELECT 1"]
    assert seen["reader"][:2] == ["BEGIN", "SELECT 1"]


async def test_a_write_transaction_holds_the_write_lock_from_its_start(
    settings: Settings,
) -> None:
    """With BEGIN IMMEDIATE the lock is taken before the first statement, so another writer
    waits at its BEGIN instead of failing half-way through its transaction."""
    sqlite_only(settings)
    database = await Database.open(settings.database_url)
    path = database.sqlite_path
    assert path is not None
    try:
        async with database.writer.begin() as session:
            await session.execute(text("SELECT 1"))  # a read only, yet the lock is held
            other = sqlite3.connect(path, timeout=0, isolation_level=None)
            try:
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    other.execute("BEGIN IMMEDIATE")
            finally:
                other.close()
        async with database.reader.begin() as session:
            await session.execute(text("SELECT 1"))
            other = sqlite3.connect(path, timeout=0, isolation_level=None)
            try:
                other.execute("BEGIN IMMEDIATE")  # a reader does not block writers
                other.execute("ROLLBACK")
            finally:
                other.close()
    finally:
        await database.dispose()


async def test_the_writer_pool_holds_one_connection(settings: Settings) -> None:
    sqlite_only(settings)
    database = await Database.open(settings.database_url)
    try:
        pool = database.writer_engine.pool
        assert (pool.size(), pool._max_overflow) == (1, 0)  # type: ignore[attr-defined]
    finally:
        await database.dispose()


async def test_a_full_disk_becomes_a_clear_database_error(settings: Settings) -> None:
    sqlite_only(settings)
    database = await Database.open(settings.database_url)
    await migrate(database)
    await database.dispose()  # new connections get the small page limit below

    @event.listens_for(database.writer_engine.sync_engine, "connect")
    def _small_disk(dbapi_connection: object, _record: object) -> None:
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        cursor.execute("PRAGMA max_page_count=30")
        cursor.close()

    try:
        with pytest.raises(DatabaseError, match="disk holding the Verse database is full"):
            async with database.write() as session:  # wraps user_facing_errors()
                await session.execute(text("CREATE TABLE filler (x TEXT)"))
                for _ in range(100):
                    await session.execute(text("INSERT INTO filler VALUES (:x)"), {"x": "x" * 4000})
    finally:
        await database.dispose()


async def test_a_folder_that_cannot_be_created_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(DatabaseError, match="Cannot create the folder"):
        await Database.open(f"sqlite+aiosqlite:///{blocker / 'sub' / 'verse.sqlite'}")


async def test_the_folder_is_created_for_a_new_database(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "verse.sqlite"
    database = await Database.open(f"sqlite+aiosqlite:///{target}")
    try:
        async with database.writer.begin() as session:
            await session.execute(text("CREATE TABLE t (x INTEGER)"))
    finally:
        await database.dispose()
    assert target.is_file()


WRITER_SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    from sqlalchemy import text
    from verse_tui.db.engine import Database

    async def main(url, tag, tasks, writes):
        db = await Database.open(url)
        failures = 0

        async def worker(n):
            nonlocal failures
            for i in range(writes):
                try:
                    async with db.writer.begin() as s:
                        count = (await s.execute(text("SELECT count(*) FROM hits"))).scalar()
                        await s.execute(text("INSERT INTO hits (tag, seen) VALUES (:t, :c)"),
                                        {"t": tag, "c": count})
                except Exception as exc:
                    failures += 1
                    print(repr(exc), file=sys.stderr)

        await asyncio.gather(*(worker(n) for n in range(tasks)))
        await db.dispose()
        print(failures)

    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
    """
)


async def test_two_processes_writing_at_once_never_hit_database_is_locked(
    settings: Settings,
) -> None:
    sqlite_only(settings)
    database = await Database.open(settings.database_url)
    async with database.writer.begin() as session:
        await session.execute(text("CREATE TABLE hits (tag TEXT, seen INTEGER)"))
    await database.dispose()
    tasks, writes = 10, 20
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            WRITER_SCRIPT,
            settings.database_url,
            tag,
            str(tasks),
            str(writes),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for tag in ("a", "b")
    ]
    results = [await proc.communicate() for proc in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err.decode()
        assert out.decode().strip() == "0", err.decode()[-2000:]
    check = sqlite3.connect(database.sqlite_path)  # type: ignore[arg-type]
    try:
        seen = [row[0] for row in check.execute("SELECT seen FROM hits ORDER BY rowid")]
    finally:
        check.close()
    # Each transaction counted the rows before inserting: serialised writers see 0, 1, 2, ...
    assert seen == list(range(2 * tasks * writes))


def test_a_lost_server_becomes_a_clear_database_error() -> None:
    with pytest.raises(DatabaseError, match="lost its connection"), user_facing_errors():
        raise ConnectionResetError(104, "Connection reset by peer")
    dropped = DBAPIError("SELECT 1", None, Exception("gone"), connection_invalidated=True)
    with pytest.raises(DatabaseError, match="lost its connection"), user_facing_errors():
        raise dropped


def test_programming_errors_pass_through_unchanged() -> None:
    bug = DBAPIError("SELEC 1", None, Exception("syntax error"))
    with pytest.raises(DBAPIError) as info, user_facing_errors():
        raise bug
    assert info.value is bug


async def test_an_in_memory_database_is_one_database_for_reader_and_writer() -> None:
    database = await Database.open("sqlite+aiosqlite:///:memory:")
    try:
        await migrate(database)
        async with database.writer.begin() as session:
            await session.execute(
                text(
                    "INSERT INTO users (display_name, created_at, translation, theme) "
                    "VALUES ('a', '2026-01-01 00:00:00', 'KJV', 'textual-dark')"
                )
            )
        async with database.reader.begin() as session:
            assert (await session.execute(text("SELECT count(*) FROM users"))).scalar() == 1
    finally:
        await database.dispose()
