"""Errors of the user database, re-exported by `verse_tui.db.engine`."""

from __future__ import annotations

from verse_tui.errors import VerseError


class DatabaseError(VerseError):
    """The user database cannot be opened or written (folder, disk, lock, server)."""


class DatabaseCorruptError(DatabaseError):
    """The SQLite file is damaged: Verse stops before writing to it and says how to restore."""
