"""The SQLite file on disk: a damaged file is refused with a clear message (naming the backup
and how to restore it) and never written to; a new library is private (folder 0700, files
0600, whatever the umask) and looser existing modes are tightened or warned about; start-up at
head asks the schema version once and imports neither Alembic nor PostgreSQL's modules."""

from __future__ import annotations

import asyncio
import os
import secrets
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import make_settings
from tests.support.cli import Run, Verse, run_process
from verse_tui.app_factory import build_services
from verse_tui.config import USER_DB_NAME, Settings
from verse_tui.db import sqlite_files
from verse_tui.db.engine import Database, DatabaseCorruptError, DatabaseError
from verse_tui.db.migrate import MIGRATIONS_DIR, alembic_config, migrate, shipped_head

GARBAGE = 16 * 1024
CHATS = 400


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


async def filled_library(home: Path) -> Path:
    """A real library (migrated, this device registered) with a few hundred chats, closed."""
    settings = make_settings(home, sqlite_url(home / USER_DB_NAME))
    services = await build_services(settings)
    try:
        await services.chats.create_standalone_chat("First")
    finally:
        await services.aclose()
    path = home / USER_DB_NAME
    db = sqlite3.connect(path)
    with db:
        db.execute(
            f"""WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {CHATS})
            INSERT INTO chats (user_id, title, passage_text, created_at, updated_at)
            SELECT c.user_id, 'Chat ' || i, hex(randomblob(1000)), c.created_at, c.updated_at
            FROM n, (SELECT * FROM chats LIMIT 1) AS c"""
        )
    db.close()  # the last connection checkpoints the WAL into the file
    assert not path.with_name(path.name + "-wal").exists()
    return path


def damage(path: Path) -> bytes:
    """Write 16 KB of garbage into the middle of the file (page-aligned); the new bytes."""
    size = path.stat().st_size
    offset = (size // 2) // 4096 * 4096
    with path.open("r+b") as fh:
        fh.seek(offset)
        fh.write(secrets.token_bytes(GARBAGE))
    return path.read_bytes()


def verse(home: Path, *args: str) -> Run:
    """`verse ARGS` in-process, with an API key (never used: nothing reaches the network)."""
    return Verse(home, {"ANTHROPIC_API_KEY": "sk-test-unused"})(*args)


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- a damaged file ----------------------------------------------------------------------------


async def test_a_damaged_library_is_refused_at_start_up_and_left_untouched(tmp_path: Path):
    home = tmp_path / "home"
    path = await filled_library(home)
    damaged = damage(path)

    with pytest.raises(DatabaseCorruptError) as info:
        await Database.open(sqlite_url(path))
    message = str(info.value)
    assert f"{path} is damaged" in message and "stopped without writing" in message
    assert "mv verse.sqlite verse.sqlite.damaged" in message
    assert "no backup" in message
    assert path.read_bytes() == damaged


def test_the_cli_says_so_and_never_writes_on(tmp_path: Path) -> None:
    home = tmp_path / "home"
    path = asyncio.run(filled_library(home))
    damaged = damage(path)

    for args in (("chats", "list"), ("chat", "Hello"), ("whoami",), ("devices", "list")):
        if args == ("chat", "Hello"):  # in a real process: nothing is printed at exit either
            done: Run | subprocess.CompletedProcess[str] = run_process(
                home, *args, ANTHROPIC_API_KEY="sk-test-unused"
            )
        else:
            done = verse(home, *args)
        assert done.returncode == 1, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr and "is damaged" in done.stderr, done.stderr
        assert done.stderr.count("\n") == 1  # one clear message
        assert path.read_bytes() == damaged
        wal = path.with_name(path.name + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0


async def test_the_message_points_to_the_backup_and_its_steps_restore_it(tmp_path: Path):
    home = tmp_path / "home"
    path = home / USER_DB_NAME
    database = await Database.open(sqlite_url(path))
    try:
        await migrate(database, target="0003")
        await migrate(database)  # the upgrade keeps verse.sqlite.bak-0003
    finally:
        await database.dispose()
    backup = path.with_name(f"{path.name}.bak-0003")
    assert backup.exists()
    damage(path) if path.stat().st_size > 2 * GARBAGE else path.write_bytes(b"garbage" * 4096)

    with pytest.raises(DatabaseCorruptError) as info:
        await Database.open(sqlite_url(path))
    message = str(info.value)
    assert "copy Verse kept before its last upgrade" in message
    steps = message.split("later changes are lost): ", 1)[1]
    assert steps.endswith("cp verse.sqlite.bak-0003 verse.sqlite")
    await asyncio.to_thread(subprocess.run, steps, shell=True, check=True)  # exactly as shown

    database = await Database.open(sqlite_url(path))
    try:
        result = await migrate(database)
        assert result.previous == "0003" and result.current == shipped_head()
    finally:
        await database.dispose()
    assert path.with_name(path.name + ".damaged").exists()


async def test_damage_found_while_running_stops_every_later_write(tmp_path, monkeypatch):
    home = tmp_path / "home"
    path = await filled_library(home)
    damage(path)
    monkeypatch.setattr(sqlite_files, "QUICK_CHECK_MAX_BYTES", 0)  # as for a large library
    database = await Database.open(sqlite_url(path))
    try:
        with pytest.raises(DatabaseCorruptError, match=r"is damaged .*malformed"):
            async with database.read() as session:
                await session.execute(text("SELECT count(*) FROM chats WHERE title LIKE '%9%'"))
        before = path.read_bytes()
        with pytest.raises(DatabaseCorruptError):
            async with database.write() as session:
                await session.execute(text("UPDATE users SET display_name = 'x'"))
        assert path.read_bytes() == before
    finally:
        await database.dispose()


async def test_an_intact_library_passes_the_check(tmp_path: Path) -> None:
    path = await filled_library(tmp_path / "home")
    sqlite_files.check_intact(path)  # raises nothing


# -- who may read the library ------------------------------------------------------------------


async def test_a_new_library_is_private_whatever_the_umask(tmp_path: Path, umask_022) -> None:
    home = tmp_path / "new-home"
    path = home / USER_DB_NAME
    database = await Database.open(sqlite_url(path))
    try:
        assert database.warnings == ()
        await migrate(database, target="0003")
        await migrate(database)  # writes a backup
        async with database.write() as session:
            await session.execute(text("UPDATE users SET display_name = 'x'"))
        files = [path, *home.glob(f"{USER_DB_NAME}*")]
        assert {p.name for p in files} >= {
            USER_DB_NAME,
            f"{USER_DB_NAME}-wal",
            f"{USER_DB_NAME}-shm",
            f"{USER_DB_NAME}.bak-0003",
        }
        assert mode(home) == 0o700
        assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
    finally:
        await database.dispose()


async def test_the_whole_start_up_keeps_a_new_home_private(tmp_path: Path, umask_022) -> None:
    home = tmp_path / "fresh"
    settings = make_settings(home, sqlite_url(home / USER_DB_NAME))
    services = await build_services(settings)
    await services.aclose()
    assert mode(home) == 0o700
    for path in home.iterdir():
        if path.is_file():
            assert mode(path) == 0o600, path.name


async def test_loose_existing_modes_are_tightened_or_warned_about(tmp_path: Path) -> None:
    home = tmp_path / "old-home"
    path = await filled_library(home)
    os.chmod(home, 0o755)
    os.chmod(path, 0o644)
    backup = path.with_name(path.name + ".bak-0003")
    backup.write_bytes(path.read_bytes())
    os.chmod(backup, 0o664)

    database = await Database.open(sqlite_url(path))
    await database.dispose()
    assert mode(path) == 0o600 and mode(backup) == 0o600
    made_private, folder_open = database.warnings
    assert "Other users of this computer could read" in made_private
    assert "verse.sqlite, verse.sqlite.bak-0003" in made_private
    assert f"chmod 700 {home}" in folder_open
    assert mode(home) == 0o755  # the user's folder: Verse says so, but does not change it

    os.chmod(home, 0o700)
    database = await Database.open(sqlite_url(path))
    await database.dispose()
    assert database.warnings == ()


def test_the_cli_warns_once_on_stderr(tmp_path: Path) -> None:
    home = tmp_path / "home"
    path = asyncio.run(filled_library(home))
    os.chmod(path, 0o644)
    first = verse(home, "chats", "list", "--json")
    assert first.returncode == 0, first.stderr
    assert first.stderr.count("could read your Verse library") == 1
    assert "could read" not in first.stdout
    again = verse(home, "chats", "list", "--json")
    assert again.returncode == 0 and again.stderr == ""


# -- the start-up fast path --------------------------------------------------------------------


def test_the_shipped_head_from_file_names_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(MIGRATIONS_DIR))
    assert shipped_head() == script.get_current_head()
    files = sorted(p.stem.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("*.py"))
    assert files == sorted(r.revision for r in script.walk_revisions())


def test_start_up_at_head_imports_neither_alembic_nor_postgresql_modules(
    settings: Settings, backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("SQLite start-up")
    home = settings.home
    assert verse(home, "whoami").returncode == 0  # creates and migrates
    code = (
        "import sys; from verse_tui.__main__ import main; code = main(['whoami']); "
        "bad = [m for m in ('alembic', 'asyncpg', 'sqlalchemy.dialects.postgresql', "
        "'anthropic', 'textual') if m in sys.modules]; print(bad, file=sys.stderr); "
        "sys.exit(code)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("VERSE_")}
    env["VERSE_HOME"] = str(home)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "[]"


async def test_a_database_error_that_is_not_damage_stays_what_it_was(tmp_path: Path) -> None:
    folder = tmp_path / "file-not-folder"
    folder.write_text("x")
    with pytest.raises(DatabaseError, match="Cannot create the folder") as info:
        await Database.open(sqlite_url(folder / USER_DB_NAME))
    assert not isinstance(info.value, DatabaseCorruptError)
