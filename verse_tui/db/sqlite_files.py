"""The user database's SQLite file on disk: its folder, who may read it, whether it is intact,
and the backups kept beside it.

Run off the event loop (`Database.open` calls `open_sqlite_file` in a thread). Measured on the
shared 2-core VM: `PRAGMA quick_check` reads the whole file at ~1.2 ms per MB (2.6 MB: 11 ms,
12.8 MB: 17 ms, 64 MB: 76 ms), so start-up runs it on files up to QUICK_CHECK_MAX_BYTES and
checks only the header of larger ones; any "malformed" error later is caught as well
(`verse_tui.db.engine.raise_if_corrupt`).
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from verse_tui.db.errors import DatabaseCorruptError, DatabaseError
from verse_tui.private_files import (
    create_private_file,
    make_private,
    make_private_folder,
    others_can_access,
)

QUICK_CHECK_MAX_BYTES = 32 * 1024 * 1024
SQLITE_HEADER = b"SQLite format 3\x00"
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
CORRUPTION_MARKERS = ("malformed", "not a database", "database corrupt")


def open_sqlite_file(path: Path) -> tuple[str, ...]:
    """Prepare `path` for use: a private folder and file (created 0700 / 0600), the file's
    own side files and backups made private, and an intact file. Returns warnings to show
    once; raises DatabaseError (folder) or DatabaseCorruptError (damaged file)."""
    prepare_sqlite_folder(path)
    try:
        create_private_file(path)  # SQLite gives -wal and -shm the main file's mode
    except OSError as exc:
        raise DatabaseError(
            f"Cannot create the Verse database {path}: {exc.strerror or exc}. "
            "Check the folder's permissions or set VERSE_HOME to another place."
        ) from exc
    warnings = _private_mode_warnings(path)
    check_intact(path)
    return warnings


def prepare_sqlite_folder(path: Path) -> None:
    """Create the SQLite file's folder (0700); raise DatabaseError if it cannot be written."""
    folder = path.parent
    try:
        make_private_folder(folder)
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


def _private_mode_warnings(path: Path) -> tuple[str, ...]:
    """Make the database's own files private; say so, and warn about an open folder."""
    own = [path, *(path.with_name(path.name + s) for s in SIDE_SUFFIXES), *backups_of(path)]
    changed = [p.name for p in own if make_private(p)]
    warnings = []
    if changed:
        warnings.append(
            f"Other users of this computer could read your Verse library ({', '.join(changed)}"
            f" in {path.parent}); Verse made those files private (mode 600)."
        )
    folder = path.parent
    if others_can_access(folder):
        import shlex  # only for messages

        warnings.append(
            f"The folder {folder} holding your Verse library is open to other users of this "
            f"computer. Make it private: chmod 700 {shlex.quote(str(folder))}"
        )
    return tuple(warnings)


def check_intact(path: Path) -> None:
    """Raise DatabaseCorruptError if the file is not a SQLite database or, when small enough
    to check quickly, fails `PRAGMA quick_check`. A busy or unreadable file passes: the
    normal open reports those."""
    try:
        size = path.stat().st_size
        if size == 0:
            return
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError:
        return
    if header != SQLITE_HEADER:
        raise DatabaseCorruptError(corruption_message(path, "it is not a SQLite database"))
    if size > QUICK_CHECK_MAX_BYTES:
        return
    problem = _quick_check(path)
    if problem is not None:
        raise DatabaseCorruptError(corruption_message(path, problem))


def _quick_check(path: Path) -> str | None:
    uri = f"{path.as_uri()}?mode=ro"  # a read-write close could checkpoint into a bad file
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=1.0)
    except sqlite3.Error:
        return None
    try:
        rows = connection.execute("PRAGMA quick_check(5)").fetchall()
    except sqlite3.OperationalError as exc:
        return str(exc) if is_corruption(exc) else None
    except sqlite3.DatabaseError as exc:  # SQLITE_CORRUPT / SQLITE_NOTADB
        return str(exc)
    finally:
        connection.close()
    found = [str(row[0]) for row in rows]
    return None if found == ["ok"] else found[0]


def is_corruption(error: BaseException | None) -> bool:
    """Whether a driver error says the file is damaged."""
    if error is None:
        return False
    text = str(error).lower()
    return any(marker in text for marker in CORRUPTION_MARKERS)


def backups_of(path: Path) -> list[Path]:
    """The copies the migrator kept beside `path` (`verse.sqlite.bak-<revision>`), newest first."""
    try:
        found = list(path.parent.glob(f"{path.name}.bak-*"))
    except OSError:
        return []
    return sorted(found, key=_mtime, reverse=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def corruption_message(path: Path | None, reason: str) -> str:
    """What happened and how to get the library back, naming the backup if there is one."""
    import shlex  # only for messages

    reason = reason.strip().splitlines()[0] if reason.strip() else "damaged"
    if path is None:
        return (
            f"The Verse database is damaged ({reason}); Verse stopped writing to it. Close "
            "Verse and run `verse whoami`: it says how to restore the database."
        )
    name = shlex.quote(path.name)
    steps = f"cd {shlex.quote(str(path.parent))} && mv {name} {name}.damaged && rm -f {name}-*"
    start = (
        f"The Verse database {path} is damaged ({reason}). Verse stopped without writing to "
        "it. Close every Verse, then"
    )
    backups = backups_of(path)
    if backups:
        backup = backups[0]
        when = datetime.fromtimestamp(_mtime(backup)).strftime("%Y-%m-%d %H:%M")
        return (
            f"{start} go back to the copy Verse kept before its last upgrade ({when}; later "
            f"changes are lost): {steps} && cp {shlex.quote(backup.name)} {name}"
        )
    return (
        f"{start} start a new library by moving it aside: {steps}  (there is no backup "
        "beside it: Verse keeps one when it upgrades the database; `sqlite3 "
        f"{name}.damaged .recover` may rescue some of it)"
    )
