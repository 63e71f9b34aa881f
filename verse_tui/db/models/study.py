"""Study aids: insights on passages, the definitions cache, and each user's saved words.

- `insights` belong to a user (ON DELETE CASCADE). A row is inserted as `streaming` when the
  first token arrives, checkpointed while Claude writes, and ends `complete`, `cancelled`,
  `failed` (partial text and error kept) or, found still streaming at start-up, `interrupted`.
  Regenerating inserts a new row; once it completes, older rows for the same passage, kind and
  translation are deleted, so a failed regeneration never loses the insight that existed.
- `definitions` is a cache shared by every user: one row per (word, verse, translation) with
  the glossary's or Claude's answer and where it came from (`source`).
- `saved_words` is a user's word list: which cached definitions they kept.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from verse_tui.db.base import Base, UTCDateTime
from verse_tui.db.models.accounts import VerseAnchored
from verse_tui.domain.study import DEFINITION_SOURCES, INSIGHT_KINDS, INSIGHT_STATUSES

REFERENCE_LENGTH = 200
WORD_LENGTH = 80


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Insight(VerseAnchored, Base):
    __tablename__ = "insights"
    __table_args__ = (
        Index(
            "ix_insights_lookup",
            "user_id",
            "translation",
            "start_book",
            "start_chapter",
            "start_verse",
            "end_book",
            "end_chapter",
            "end_verse",
            "kind",
        ),
        Index("ix_insights_status", "status"),
        CheckConstraint(_in("kind", INSIGHT_KINDS), name="kind"),
        CheckConstraint(_in("status", INSIGHT_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reference: Mapped[str] = mapped_column(String(REFERENCE_LENGTH))
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    model: Mapped[str | None] = mapped_column(String(100))
    stop_reason: Mapped[str | None] = mapped_column(String(40))
    was_truncated: Mapped[bool] = mapped_column(Boolean, default=False)
    input_tokens: Mapped[int | None] = mapped_column(Integer)
    output_tokens: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Definition(Base):
    __tablename__ = "definitions"
    __table_args__ = (
        UniqueConstraint("word", "translation", "book", "chapter", "verse"),
        CheckConstraint(_in("source", DEFINITION_SOURCES), name="source"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    word: Mapped[str] = mapped_column(String(WORD_LENGTH))  # normalised: lower case
    translation: Mapped[str] = mapped_column(String(16))
    book: Mapped[int] = mapped_column(Integer)
    chapter: Mapped[int] = mapped_column(Integer)
    verse: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(REFERENCE_LENGTH))
    source: Mapped[str] = mapped_column(String(16))  # "glossary" or "ai"
    part_of_speech: Mapped[str | None] = mapped_column(String(80))
    sense: Mapped[str | None] = mapped_column(Text)
    modern_equivalent: Mapped[str | None] = mapped_column(String(200))
    ai_text: Mapped[str | None] = mapped_column(Text)
    model: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SavedWord(Base):
    __tablename__ = "saved_words"
    __table_args__ = (
        UniqueConstraint("user_id", "definition_id"),
        Index("ix_saved_words_user", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    definition_id: Mapped[int] = mapped_column(ForeignKey("definitions.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
