"""Migration 0003 on a populated database: nothing lost, the new tables and the server key
appear; two processes migrating one database at once migrate it once (a file lock on
SQLite, `pg_advisory_lock` on PostgreSQL)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import Connection, column, insert, inspect, select, table, text
from sqlalchemy.sql.expression import TableClause

from tests.conftest import ManualClock
from tests.devices.processes import run_workers
from verse_tui.db.base import Base
from verse_tui.db.engine import Database
from verse_tui.db.migrate import alembic_config, migrate
from verse_tui.db.models.accounts import Bookmark, Device, User
from verse_tui.db.models.chats import Chat, Message
from verse_tui.db.models.device_links import ServerSecret

WHEN = datetime(2026, 1, 1, 12, tzinfo=UTC)
ACCOUNT_TABLES = ("users", "devices", "bookmarks")
CHAT_TABLES = ("chats", "messages")
NEW_TABLES = {"device_link_requests", "device_link_failures", "device_audit_log", "server_secrets"}


async def upgrade_to(database: Database, revision: str) -> None:
    config = alembic_config()

    def run(connection: Connection) -> None:
        with connection.begin():
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

    async with database.writer_engine.connect() as conn:
        await conn.run_sync(run)


def as_then(model: type[Base], *names: str) -> TableClause:
    """The model's table with only the columns `names` (typed as the model types them): an
    insert into an older revision cannot name, or fill the defaults of, columns added later."""
    columns = model.__table__.columns
    return table(model.__tablename__, *(column(name, columns[name].type) for name in names))


USER_COLUMNS_0001 = ("id", "display_name", "created_at", "translation", "theme")


async def populate_accounts(database: Database) -> None:
    async with database.writer.begin() as session:
        await session.execute(
            insert(as_then(User, *USER_COLUMNS_0001[1:])),
            [
                {"display_name": f"u{n}", "created_at": WHEN, "translation": "KJV", "theme": "t"}
                for n in range(3)
            ],
        )
        await session.execute(
            insert(Device),
            [
                {
                    "user_id": n + 1,
                    "name": f"d{n}",
                    "platform": "Linux",
                    "credential_hash": f"{n:064x}",
                    "created_at": WHEN,
                    "last_seen_at": WHEN,
                }
                for n in range(3)
            ],
        )
        verse = {"translation": "KJV", "start_book": 1, "start_chapter": 1, "start_verse": 1}
        verse |= {"end_book": 1, "end_chapter": 1, "end_verse": 1}
        await session.execute(
            insert(Bookmark),
            [{"user_id": 1 + n % 3, "created_at": WHEN, **verse} for n in range(30)],
        )


async def populate_chats(database: Database) -> None:
    async with database.writer.begin() as session:
        await session.execute(
            insert(Chat),
            [
                {"user_id": 1 + n % 3, "title": f"c{n}", "created_at": WHEN, "updated_at": WHEN}
                for n in range(10)
            ],
        )
        await session.execute(
            insert(Message),
            [
                {
                    "chat_id": 1 + n % 10,
                    "role": "user",
                    "text": f"m{n}",
                    "status": "complete",
                    "created_at": WHEN,
                    "updated_at": WHEN,
                }
                for n in range(1000)
            ],
        )


async def columns_now(database: Database, tables: tuple[str, ...]) -> dict[str, list[str]]:
    """The columns each table has in the database as it is (later revisions add more)."""
    async with database.reader_engine.connect() as conn:

        def read(sync: Connection) -> dict[str, list[str]]:
            found = inspect(sync)
            return {name: [c["name"] for c in found.get_columns(name)] for name in tables}

        return await conn.run_sync(read)


async def snapshot(
    database: Database, columns: dict[str, list[str]]
) -> dict[str, list[tuple[object, ...]]]:
    """Every row of each table, in the given columns (those it had before the upgrade)."""
    async with database.reader.begin() as session:
        return {
            name: [
                tuple(row)
                for row in await session.execute(
                    select(*(Base.metadata.tables[name].c[c] for c in names)).order_by(text("id"))
                )
            ]
            for name, names in columns.items()
        }


@pytest.mark.parametrize("start", ["0001", "0002"])
async def test_upgrading_a_populated_database_to_head_loses_nothing(
    blank_database: Database, start: str
) -> None:
    database = blank_database
    await upgrade_to(database, start)
    await populate_accounts(database)
    tables = ACCOUNT_TABLES
    if start == "0002":
        await populate_chats(database)
        tables += CHAT_TABLES
    columns = await columns_now(database, tables)
    before = await snapshot(database, columns)
    assert len(before["bookmarks"]) == 30

    result = await migrate(database)

    assert (result.previous, result.upgraded) == (start, True)
    assert await snapshot(database, columns) == before
    if start == "0002":
        assert len(before["messages"]) == 1000
    async with database.reader_engine.connect() as conn:
        names = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
    assert names >= NEW_TABLES
    async with database.reader.begin() as session:
        keys = (await session.scalars(select(ServerSecret.value))).all()
    assert len(keys) == 1 and len(keys[0]) == 32


async def test_two_processes_starting_at_once_migrate_once(
    blank_database: Database, database_url: str, clock: ManualClock
) -> None:
    job = {"url": database_url, "now": clock.now.isoformat()}
    results = await run_workers("migrate", [job, job])
    assert results == Counter({"upgraded": 1, f"found {await head(blank_database)}": 1})
    async with blank_database.reader.begin() as session:
        versions = (await session.execute(text("SELECT version_num FROM alembic_version"))).all()
        keys = (await session.scalars(select(ServerSecret.name))).all()
    assert len(versions) == 1 and len(keys) == 1


async def head(database: Database) -> str:
    async with database.reader.begin() as session:
        return str(await session.scalar(text("SELECT version_num FROM alembic_version")))
