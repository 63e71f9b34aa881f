"""Safe start-up migration: `await migrate(database)` brings the schema to head.

Every start-up first reads the schema version with one query and compares it with the newest
revision shipped (the file names under `migrations/versions`, checked against Alembic by a
test): at head, nothing else runs and Alembic is never imported. Only a schema that is behind
takes the slow path (measured safe on SQLite and PostgreSQL, see docs/architecture.md):
take a lock (a file lock next to the SQLite file, `pg_advisory_lock` on PostgreSQL) so two
processes starting at once migrate once -> skip if at head -> refuse a revision this version
does not know (an older Verse on a newer database) -> back up the SQLite file with the
sqlite3 backup API -> upgrade in one transaction with foreign keys off (a batch migration
recreates tables; with foreign keys on, dropping a parent table would cascade-delete every
child row) -> `PRAGMA foreign_key_check` -> commit; on any failure restore the backup.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection

from verse_tui.db.engine import Database, DatabaseError, raise_if_corrupt
from verse_tui.private_files import create_private_file

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
LOCK_TIMEOUT_S = 120.0
_LOCK_POLL_S = 0.05
# An arbitrary constant naming Verse's migration lock among PostgreSQL advisory locks.
PG_ADVISORY_LOCK_KEY = 0x5645_5253_4531  # "VERSE1"


class MigrationError(DatabaseError):
    """The database schema could not be brought up to date; nothing was lost."""


@dataclass(frozen=True, slots=True)
class MigrationResult:
    """What `migrate` did: the revision before and after, and the backup it kept."""

    previous: str | None
    current: str
    upgraded: bool
    backup: Path | None = None


def alembic_config(script_location: Path = MIGRATIONS_DIR) -> Config:
    """An Alembic config pointing at the shipped migrations (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location))
    return config


async def migrate(
    database: Database, *, target: str = "head", script_location: Path = MIGRATIONS_DIR
) -> MigrationResult:
    """Bring `database` to `target` (the newest revision this version knows), safely.

    See the module doc for the steps. `target` names an older revision only in tests that
    walk the chain; `script_location` points elsewhere only in tests.
    """
    shipped = target == "head" and script_location == MIGRATIONS_DIR
    if shipped:
        with _reported_as_unreachable(database):
            current = await _revision_unless_busy(database)
        if current == shipped_head():
            return MigrationResult(previous=current, current=current, upgraded=False)
    config = alembic_config(script_location)
    known, head = await asyncio.to_thread(_load_script, config)
    goal = head if target == "head" else target
    if goal not in known:
        raise ValueError(f"Unknown migration target {target!r}; known: {sorted(known)}")
    with _reported_as_unreachable(database):
        async with _migration_lock(database):
            previous = await current_revision(database)
            if previous == goal:
                return MigrationResult(previous=previous, current=goal, upgraded=False)
            _check_known(known, previous, head)
            attempt = _Attempt()
            try:
                await _upgrade(database, config, goal, attempt)
            except Exception as exc:
                restored = await _restore(database, attempt.backup)
                message = _failure_message(previous, goal, attempt.backup, restored, exc)
                raise MigrationError(message) from exc
            if attempt.backup is not None:
                await asyncio.to_thread(_prune_backups, attempt.backup)
    return MigrationResult(previous=previous, current=goal, upgraded=True, backup=attempt.backup)


async def _revision_unless_busy(database: Database) -> str | None:
    """The lock-free version check of a start-up at head; None when another process holds the
    file (it is migrating it), so the caller takes the locked path and waits for it."""
    try:
        return await current_revision(database)
    except OperationalError as exc:
        if "locked" in str(exc.orig).lower() or "busy" in str(exc.orig).lower():
            return None
        raise


@contextmanager
def _reported_as_unreachable(database: Database) -> Iterator[None]:
    """Errors opening the database (server down, no such database, unreadable file)."""
    try:
        yield
    except DatabaseError:
        raise
    except (DBAPIError, OSError) as exc:
        if isinstance(exc, DBAPIError):
            raise_if_corrupt(exc, database)
        reason = getattr(exc, "orig", None) or exc
        raise DatabaseError(
            f"Verse cannot open its database {database.display_url}: {reason}. Check that "
            "it is reachable and that VERSE_DATABASE_URL (or VERSE_HOME) is right."
        ) from exc


@cache
def shipped_head() -> str:
    """The newest shipped revision, from the file names alone (`0004_study.py` -> "0004"):
    revision ids are the files' number prefixes and form one chain (a test checks this
    against Alembic), so start-up needs neither Alembic nor the revision modules."""
    names = (entry.name for entry in (MIGRATIONS_DIR / "versions").iterdir())
    return max(name.split("_", 1)[0] for name in names if name.endswith(".py"))


def _load_script(config: Config) -> tuple[frozenset[str], str]:
    """Every revision id the shipped chain knows, and its single head."""
    from alembic.script import ScriptDirectory
    from alembic.script.revision import RevisionError
    from alembic.util.exc import CommandError

    try:
        script = ScriptDirectory.from_config(config)
        heads = script.get_heads()
        known = frozenset(revision.revision for revision in script.walk_revisions())
    except (CommandError, RevisionError, KeyError, ImportError, SyntaxError) as exc:
        raise MigrationError(
            f"The database migrations shipped with this Verse cannot be loaded ({exc!r}). "
            "This is a bug in this Verse build; reinstall or update Verse."
        ) from exc
    if len(heads) != 1:
        raise MigrationError(
            f"The migrations shipped with Verse have {len(heads)} heads ({', '.join(heads)}); "
            "they must form one chain. This is a bug in this Verse build."
        )
    return known, heads[0]


def _check_known(known: frozenset[str], current: str | None, head: str) -> None:
    if current is not None and current not in known:
        raise MigrationError(
            f"The database is at schema revision {current}, which this version of Verse does "
            f"not know (it knows up to {head}): a newer Verse has upgraded it. Update Verse "
            "(pip install -U verse-tui) to open this database; nothing was changed."
        )


async def current_revision(database: Database) -> str | None:
    """The schema revision recorded in the database (None when it is new): one query."""
    async with database.reader_engine.connect() as conn:
        try:
            rows = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
        except DBAPIError as exc:
            raise_if_corrupt(exc, database)
            if not _is_missing_table(exc):
                raise
            rows = []
        finally:
            await conn.rollback()
    heads = sorted(str(row[0]) for row in rows)
    if len(heads) > 1:
        raise MigrationError(
            f"The database records several schema revisions ({', '.join(heads)}); "
            "it was changed by hand or by a broken build. Restore a backup."
        )
    return heads[0] if heads else None


def _is_missing_table(exc: DBAPIError) -> bool:
    """SQLite's "no such table", PostgreSQL's undefined_table (SQLSTATE 42P01)."""
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return code == "42P01" or "no such table" in str(exc.orig).lower()


@dataclass(slots=True)
class _Attempt:
    backup: Path | None = None


async def _upgrade(database: Database, config: Config, goal: str, attempt: _Attempt) -> None:
    """Upgrade in one transaction with foreign keys off. On SQLite the backup is taken
    after `BEGIN IMMEDIATE`, so no other process writes between the copy and the upgrade."""
    async with database.writer_engine.connect() as conn:
        if database.is_sqlite:
            await _set_sqlite_foreign_keys(conn, enabled=False)
        try:
            async with conn.begin():
                previous = await conn.run_sync(_revision_in_transaction)
                attempt.backup = await _backup(database, previous)
                await conn.run_sync(_run_alembic, config, goal)
        finally:
            if database.is_sqlite:
                await _set_sqlite_foreign_keys(conn, enabled=True)


def _revision_in_transaction(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _run_alembic(connection: Connection, config: Config, goal: str) -> None:
    from alembic import command

    config.attributes["connection"] = connection
    try:
        command.upgrade(config, goal)
    finally:
        config.attributes.pop("connection", None)
    if connection.dialect.name == "sqlite":
        _check_foreign_keys(connection)


def _check_foreign_keys(connection: Connection) -> None:
    problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if problems:
        tables = sorted({str(row[0]) for row in problems})
        raise MigrationError(
            f"The upgrade left {len(problems)} rows pointing at missing rows "
            f"(tables: {', '.join(tables)})."
        )


async def _set_sqlite_foreign_keys(conn: AsyncConnection, *, enabled: bool) -> None:
    """Set foreign_keys outside any transaction (inside one, SQLite ignores the pragma)."""
    value = 1 if enabled else 0

    def apply(sync_conn: Connection) -> None:
        if sync_conn.in_transaction():
            raise RuntimeError("foreign_keys must be set outside a transaction")
        cursor = sync_conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(f"PRAGMA foreign_keys={value}")
            cursor.execute("PRAGMA foreign_keys")
            row = cursor.fetchone()
            actual = row[0] if row else None
        finally:
            cursor.close()
        if actual != value:
            raise RuntimeError(f"PRAGMA foreign_keys stayed {actual}, expected {value}")

    await conn.run_sync(apply)


@asynccontextmanager
async def _migration_lock(database: Database) -> AsyncIterator[None]:
    path = database.sqlite_path
    if database.is_sqlite:
        if path is None:  # in-memory: one process only, nothing to lock
            yield
            return
        async with _file_lock(path.with_name(path.name + ".migrate-lock")):
            yield
        return
    async with database.writer_engine.connect() as conn:
        await conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": PG_ADVISORY_LOCK_KEY})
        await conn.commit()
        try:
            yield
        finally:
            await conn.execute(
                text("SELECT pg_advisory_unlock(:key)"), {"key": PG_ADVISORY_LOCK_KEY}
            )
            await conn.commit()


@asynccontextmanager
async def _file_lock(lock_path: Path) -> AsyncIterator[None]:
    """An exclusive lock on `lock_path`, polled so the event loop never blocks."""
    fd = await asyncio.to_thread(os.open, lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + LOCK_TIMEOUT_S
        while not _try_lock(fd):
            if loop.time() > deadline:
                raise MigrationError(
                    f"Another Verse has been upgrading the database for over "
                    f"{LOCK_TIMEOUT_S:.0f} s (lock file {lock_path}). Close the other Verse "
                    "and retry."
                )
            await asyncio.sleep(_LOCK_POLL_S)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


async def _backup(database: Database, revision: str | None) -> Path | None:
    path = database.sqlite_path
    if path is None or revision is None:  # nothing to lose before the first revision
        return None
    return await asyncio.to_thread(_backup_sqlite, path, revision)


def _backup_sqlite(path: Path, revision: str) -> Path | None:
    if not path.exists() or path.stat().st_size == 0:
        return None
    target = path.with_name(f"{path.name}.bak-{revision}")
    _copy_sqlite(path, target)
    return target


def _prune_backups(keep: Path) -> None:
    """Delete the backups of older upgrades; the newest one is enough to go back."""
    stem = keep.name.rsplit(".bak-", 1)[0]
    for old in keep.parent.glob(f"{stem}.bak-*"):
        if old != keep:
            old.unlink(missing_ok=True)


def _copy_sqlite(source: Path, target: Path) -> None:
    """Copy a live SQLite database page by page with the sqlite3 backup API (a new target
    is created private, like the database)."""
    create_private_file(target)
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


async def _restore(database: Database, backup: Path | None) -> bool:
    path = database.sqlite_path
    if path is None or backup is None:
        return False
    await database.dispose()  # no pooled connection may hold the file during the copy
    try:
        await asyncio.to_thread(_copy_sqlite, backup, path)
    except sqlite3.Error:
        return False
    return True


def _failure_message(
    previous: str | None, head: str, backup: Path | None, restored: bool, exc: BaseException
) -> str:
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    start = f"Upgrading the Verse database from revision {previous or '(empty)'} to {head} failed"
    if restored:
        return f"{start}: {reason}. It was restored from {backup}; nothing was lost."
    if backup is not None:
        return (
            f"{start}: {reason}. The upgrade was rolled back; a copy of the database from "
            f"before it is in {backup}."
        )
    return f"{start}: {reason}. The upgrade was rolled back; nothing was changed."
