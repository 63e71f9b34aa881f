"""Migration 0006 on a populated database: every chat message keeps its values, the new
columns (tool rounds, citations, cache tokens) start empty, and going back down keeps the
rows too."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import Connection, text

from tests.devices.test_migration_0003 import upgrade_to
from verse_tui.db.engine import Database
from verse_tui.db.migrate import alembic_config

COLUMNS = "id, chat_id, role, text, status, input_tokens, output_tokens, model"
NEW = "tool_rounds, citations, cache_read_tokens, cache_write_tokens"


@pytest.fixture
async def blank(database_url: str) -> AsyncIterator[Database]:
    database = await Database.open(database_url)
    try:
        yield database
    finally:
        await database.dispose()


async def rows(database: Database, query: str) -> list[tuple[object, ...]]:
    async with database.reader.begin() as session:
        return [tuple(row) for row in await session.execute(text(query))]


async def populate(database: Database) -> None:
    when = datetime(2026, 1, 1, 12, tzinfo=UTC)
    async with database.writer.begin() as session:
        await session.execute(
            text(
                "INSERT INTO users (id, display_name, created_at, translation, theme) "
                "VALUES (1, 'u', :at, 'KJV', 't')"
            ),
            {"at": when},
        )
        await session.execute(
            text(
                "INSERT INTO chats (id, user_id, title, created_at, updated_at) "
                "VALUES (1, 1, 'c', :at, :at)"
            ),
            {"at": when},
        )
        for n in range(1, 5):
            await session.execute(
                text(
                    "INSERT INTO messages (id, chat_id, role, text, status, was_truncated, "
                    "input_tokens, output_tokens, model, created_at, updated_at) VALUES "
                    "(:id, 1, :role, :text, 'complete', false, :tin, :tout, :model, :at, :at)"
                ),
                {
                    "id": n,
                    "role": "user" if n % 2 else "assistant",
                    "text": f"message {n} “quoted”",
                    "tin": None if n % 2 else 10 * n,
                    "tout": None if n % 2 else n,
                    "model": None if n % 2 else "claude-x",
                    "at": when,
                },
            )


async def test_upgrading_0005_keeps_every_message_and_adds_empty_columns(blank: Database) -> None:
    await upgrade_to(blank, "0005")
    await populate(blank)
    before = await rows(blank, f"SELECT {COLUMNS} FROM messages ORDER BY id")
    await upgrade_to(blank, "0006")
    assert await rows(blank, f"SELECT {COLUMNS} FROM messages ORDER BY id") == before
    assert await rows(blank, f"SELECT {NEW} FROM messages") == [(None,) * 4] * 4

    config = alembic_config()

    def down(connection: Connection) -> None:
        with connection.begin():
            config.attributes["connection"] = connection
            command.downgrade(config, "0005")

    async with blank.writer_engine.connect() as connection:
        await connection.run_sync(down)
    assert await rows(blank, f"SELECT {COLUMNS} FROM messages ORDER BY id") == before
