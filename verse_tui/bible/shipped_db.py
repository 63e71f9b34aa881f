"""Open a shipped, read-only SQLite file (the Bible text, the study library) after one check.

Pure standard library, on the `verse read` path. The file is opened `immutable` (no locks, no
journal) and its `meta.schema_version` must be the one the reader understands; anything else
is the caller's `error` with a message that names the file and says what to do.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from verse_tui.errors import VerseError


def open_shipped(
    path: Path, *, name: str, schema: str, error: type[VerseError], remedy: str
) -> sqlite3.Connection:
    """A read-only connection to `path` (`name`: "The Bible text database"), or `error`."""
    if not path.is_file():
        raise error(f"{name} is missing ({path}). {remedy}")
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    db = sqlite3.connect(uri, uri=True, check_same_thread=False)
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        db.close()
        raise error(f"{name} {path} is damaged ({exc}). {remedy}") from exc
    if row is None or row[0] != schema:
        db.close()
        raise error(f"{name} {path} has another layout. {remedy}")
    return db
