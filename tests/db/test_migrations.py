"""Start-up migrations: fresh database to head, no-op when at head, newer databases refused,
failures restore the backup, batch migrations keep child rows, two processes migrate once,
and a database populated at every revision loses nothing on the way to head."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import sqlite3
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from tests.db import migration_data
from verse_tui.config import Settings
from verse_tui.db.engine import Database, DatabaseError
from verse_tui.db.migrate import MIGRATIONS_DIR, MigrationError, alembic_config, migrate
from verse_tui.db.models import full_metadata

SHIPPED = ScriptDirectory.from_config(alembic_config())
HEAD = SHIPPED.get_current_head()
CHAIN = [script.revision for script in reversed(list(SHIPPED.walk_revisions()))]

REVISION_TEMPLATE = """
import time

import sqlalchemy as sa
from alembic import op

revision = {revision!r}
down_revision = {down!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
{body}


def downgrade() -> None:
    pass
"""


def scripts_with(tmp_path: Path, **bodies: str) -> Path:
    """A copy of the shipped migrations with extra test revisions chained after head."""
    target = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))
    down = HEAD
    for revision, body in bodies.items():
        source = REVISION_TEMPLATE.format(
            revision=revision, down=down, body=textwrap.indent(textwrap.dedent(body), "    ")
        )
        (target / "versions" / f"{revision}_test.py").write_text(source)
        down = revision
    return target


async def in_transaction(database: Database, fn: Callable[..., Any], *args: Any) -> Any:
    async with database.writer_engine.begin() as conn:
        return await conn.run_sync(fn, *args)


async def version(database: Database) -> list[str]:
    async with database.reader_engine.connect() as conn:
        rows = await conn.execute(text("SELECT version_num FROM alembic_version"))
        return [row[0] for row in rows]


async def test_a_fresh_database_migrates_to_head_matching_the_models(settings: Settings) -> None:
    database = await Database.open(settings.database_url)
    try:
        result = await migrate(database)
        assert (result.previous, result.current, result.upgraded) == (None, HEAD, True)
        assert await version(database) == [HEAD]
        async with database.reader_engine.connect() as conn:
            diff = await conn.run_sync(
                lambda c: compare_metadata(
                    MigrationContext.configure(c, opts={"compare_type": True}), full_metadata()
                )
            )
        assert diff == [], "models and migrations differ: write a migration for these"
        again = await migrate(database)
        assert (again.previous, again.current, again.upgraded, again.backup) == (
            HEAD,
            HEAD,
            False,
            None,
        )
    finally:
        await database.dispose()


async def test_a_database_from_a_newer_verse_is_refused_untouched(database: Database) -> None:
    await in_transaction(database, migration_data.populate, "before")
    await in_transaction(
        database, lambda c: c.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    )
    before = await in_transaction(database, migration_data.snapshot)
    with pytest.raises(MigrationError) as info:
        await migrate(database)
    message = str(info.value)
    assert "revision 9999" in message and "Update Verse" in message
    assert await version(database) == ["9999"]
    assert await in_transaction(database, migration_data.snapshot) == before


async def test_every_revision_populated_then_migrated_to_head_loses_nothing(
    settings: Settings,
) -> None:
    database = await Database.open(settings.database_url)
    snapshots: list[migration_data.Rows] = []
    try:
        for revision in CHAIN:
            await migrate(database, target=revision)
            await in_transaction(database, migration_data.populate, f"rev {revision}")
            snapshots.append(await in_transaction(database, migration_data.snapshot))
        result = await migrate(database)
        assert result.current == HEAD
        at_head = await in_transaction(database, migration_data.snapshot)
        keys = await in_transaction(database, migration_data.primary_keys)
    finally:
        await database.dispose()
    for revision, rows in zip(CHAIN, snapshots, strict=True):
        assert migration_data.lost_rows(rows, at_head, keys) == [], f"rows of {revision}"
    assert all(at_head[table] for table in at_head), "every table holds test rows"


async def test_the_loss_check_notices_a_migration_that_deletes_rows(
    database: Database, tmp_path: Path
) -> None:
    await in_transaction(database, migration_data.populate, "before")
    before = await in_transaction(database, migration_data.snapshot)
    scripts = scripts_with(tmp_path, t9001='op.execute("DELETE FROM notes WHERE id = 2")')
    await migrate(database, script_location=scripts)
    after = await in_transaction(database, migration_data.snapshot)
    keys = await in_transaction(database, migration_data.primary_keys)
    assert migration_data.lost_rows(before, after, keys) == ["notes row [2] is gone"]


async def test_a_batch_migration_of_the_parent_table_keeps_every_child_row(
    database: Database, tmp_path: Path
) -> None:
    """SQLite recreates `users`; with foreign keys on, dropping the old table would
    cascade-delete the bookmarks, highlights and notes of every user."""
    if not database.is_sqlite:
        pytest.skip("batch mode (table recreation) is how SQLite alters tables")
    await in_transaction(database, migration_data.populate, "before")
    before = await in_transaction(database, migration_data.snapshot)
    scripts = scripts_with(
        tmp_path,
        t9001="""
        with op.batch_alter_table("users", recreate="always") as batch:
            batch.add_column(sa.Column("nickname", sa.String(50), nullable=True))
        """,
    )
    path = database.sqlite_path
    assert path is not None
    older_backup = path.with_name(f"{path.name}.bak-0000")
    older_backup.write_bytes(b"an older upgrade's backup")
    result = await migrate(database, script_location=scripts)
    assert result.current == "t9001"
    assert result.backup == path.with_name(f"{path.name}.bak-{HEAD}")
    assert result.backup.is_file() and not older_backup.exists()  # only the newest is kept
    with contextlib.closing(sqlite3.connect(result.backup)) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
        assert copy.execute("SELECT count(*) FROM notes").fetchone() == (len(before["notes"]),)
    after = await in_transaction(database, migration_data.snapshot)
    keys = await in_transaction(database, migration_data.primary_keys)
    assert migration_data.lost_rows(before, after, keys) == []
    assert all(row["nickname"] is None for row in after["users"])
    async with database.writer_engine.connect() as conn:  # the one pooled writer connection
        assert (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1


async def test_a_failed_upgrade_restores_the_backup_and_loses_nothing(
    database: Database, tmp_path: Path
) -> None:
    if not database.is_sqlite:
        pytest.skip("the file backup is SQLite's; PostgreSQL rolls the transaction back")
    await in_transaction(database, migration_data.populate, "before")
    before = await in_transaction(database, migration_data.snapshot)
    # Worst case: the migration commits half its work (as a migration without the BEGIN fix
    # would), then fails. Only the backup can undo that.
    scripts = scripts_with(
        tmp_path,
        t9001="""
        op.execute("DELETE FROM notes")
        op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
        op.get_bind().exec_driver_sql("COMMIT")
        raise RuntimeError("the migration broke half-way")
        """,
    )
    with pytest.raises(MigrationError) as info:
        await migrate(database, script_location=scripts)
    message = str(info.value)
    assert "the migration broke half-way" in message and "nothing was lost" in message
    assert await version(database) == [HEAD]
    assert await in_transaction(database, migration_data.snapshot) == before
    backup = database.sqlite_path.with_name(f"{database.sqlite_path.name}.bak-{HEAD}")  # type: ignore[union-attr]
    assert backup.is_file()
    # The next start with the fixed build upgrades normally.
    assert (await migrate(database)).upgraded is False


async def test_a_failed_upgrade_rolls_back_in_one_transaction(
    database: Database, tmp_path: Path
) -> None:
    await in_transaction(database, migration_data.populate, "before")
    before = await in_transaction(database, migration_data.snapshot)
    scripts = scripts_with(
        tmp_path,
        t9001='op.create_table("first", sa.Column("id", sa.Integer, primary_key=True))',
        t9002='op.execute("DELETE FROM bookmarks")\nop.execute("SELECT no_such_function()")',
    )
    with pytest.raises(MigrationError, match="failed"):
        await migrate(database, script_location=scripts)
    assert await version(database) == [HEAD]
    assert await in_transaction(database, migration_data.snapshot) == before
    tables = await in_transaction(database, lambda c: migration_data.reflect(c))
    assert "first" not in {t.name for t in tables}


MIGRATE_SCRIPT = """
import asyncio, sys
from pathlib import Path
from verse_tui.db.engine import Database, DatabaseError
from verse_tui.db.migrate import migrate

async def main():
    database = await Database.open(sys.argv[1])
    try:
        result = await migrate(database, script_location=Path(sys.argv[2]))
        print(result.upgraded, result.current)
    finally:
        await database.dispose()

asyncio.run(main())
"""


async def test_two_processes_starting_at_once_migrate_once(
    settings: Settings, tmp_path: Path
) -> None:
    # A slow last revision keeps the first process migrating while the second one starts.
    scripts = scripts_with(
        tmp_path,
        t9001="""
        time.sleep(1.5)
        op.create_table("slow", sa.Column("id", sa.Integer, primary_key=True))
        """,
    )
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            MIGRATE_SCRIPT,
            settings.database_url,
            str(scripts),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outputs = [await proc.communicate() for proc in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err.decode()[-3000:]
    results = sorted(out.decode().split() for out, _err in outputs)
    assert results == [["False", "t9001"], ["True", "t9001"]]


async def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "verse.sqlite"
    path.write_bytes(b"these are not the pages of a SQLite database" * 100)
    with pytest.raises(DatabaseError, match=f"{path} is damaged .it is not a SQLite database"):
        await Database.open(f"sqlite+aiosqlite:///{path}")
    assert path.read_bytes().startswith(b"these are not the pages")


async def test_an_unreachable_server_is_a_clear_error() -> None:
    database = await Database.open("postgresql+asyncpg://verse:secret@127.0.0.1:1/verse")
    try:
        with pytest.raises(DatabaseError, match="cannot open its database") as info:
            await migrate(database)
    finally:
        await database.dispose()
    assert "secret" not in str(info.value)
