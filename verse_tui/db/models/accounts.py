"""Accounts: users, their devices, preferences, reading position, bookmarks, highlights, notes.

Everything a user owns carries `user_id` with ON DELETE CASCADE. Devices are the exception:
deleting a user who still has devices is refused (RESTRICT), so a device is never revoked
silently; move or delete the devices first.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from verse_tui.db.base import Base, UTCDateTime
from verse_tui.domain.bible import VerseRange, VerseRef

TRANSLATION_CODE_LENGTH = 16


class User(Base):
    """One account. Preferences are plain columns so that migrations can evolve them."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    display_name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    translation: Mapped[str] = mapped_column(String(TRANSLATION_CODE_LENGTH))
    theme: Mapped[str] = mapped_column(String(40))
    parallel_translation: Mapped[str | None] = mapped_column(String(TRANSLATION_CODE_LENGTH))
    study_panel: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Device(Base):
    """One installation; `credential_hash` is the SHA-256 of the secret in its device.key."""

    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    platform: Mapped[str] = mapped_column(String(50))
    credential_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReadingPosition(Base):
    """Where a user last read: one row per user."""

    __tablename__ = "reading_positions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    translation: Mapped[str] = mapped_column(String(TRANSLATION_CODE_LENGTH))
    book: Mapped[int] = mapped_column(Integer)
    chapter: Mapped[int] = mapped_column(Integer)
    verse: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class VerseAnchored:
    """Columns anchoring a row to a translation and an inclusive verse range."""

    translation: Mapped[str] = mapped_column(String(TRANSLATION_CODE_LENGTH))
    start_book: Mapped[int] = mapped_column(Integer)
    start_chapter: Mapped[int] = mapped_column(Integer)
    start_verse: Mapped[int] = mapped_column(Integer)
    end_book: Mapped[int] = mapped_column(Integer)
    end_chapter: Mapped[int] = mapped_column(Integer)
    end_verse: Mapped[int] = mapped_column(Integer)

    @property
    def verse_range(self) -> VerseRange:
        return VerseRange(
            VerseRef(self.start_book, self.start_chapter, self.start_verse),
            VerseRef(self.end_book, self.end_chapter, self.end_verse),
        )


class Bookmark(VerseAnchored, Base):
    __tablename__ = "bookmarks"
    __table_args__ = (Index("ix_bookmarks_user_start", "user_id", "start_book", "start_chapter"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    label: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Highlight(VerseAnchored, Base):
    __tablename__ = "highlights"
    __table_args__ = (Index("ix_highlights_user_start", "user_id", "start_book", "start_chapter"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    color: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Note(VerseAnchored, Base):
    __tablename__ = "notes"
    __table_args__ = (Index("ix_notes_user_start", "user_id", "start_book", "start_chapter"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
