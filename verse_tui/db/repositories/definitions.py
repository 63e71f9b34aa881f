"""Queries on the word-definition cache and each user's saved words. Functions take the
caller's session, flush and never commit: `DefinitionService` owns the transactions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from verse_tui.db.models.study import Definition as DefinitionRow
from verse_tui.db.models.study import SavedWord as SavedWordRow
from verse_tui.db.results import rowcount
from verse_tui.domain.bible import VerseRef


async def cached(
    session: AsyncSession, word: str, translation: str, verse: VerseRef
) -> DefinitionRow | None:
    """The cached definition of `word` in `verse` of `translation`, if any."""
    return await session.scalar(
        select(DefinitionRow).where(
            DefinitionRow.word == word,
            DefinitionRow.translation == translation,
            DefinitionRow.book == verse.book,
            DefinitionRow.chapter == verse.chapter,
            DefinitionRow.verse == verse.verse,
        )
    )


async def save_word(
    session: AsyncSession, user_id: int, definition_id: int, now: datetime
) -> SavedWordRow:
    """The user's saved word for this definition, added now unless it is already there."""
    saved = await session.scalar(
        select(SavedWordRow).where(
            SavedWordRow.user_id == user_id, SavedWordRow.definition_id == definition_id
        )
    )
    if saved is None:
        saved = SavedWordRow(user_id=user_id, definition_id=definition_id, created_at=now)
        session.add(saved)
        await session.flush()
    return saved


async def saved_words(
    session: AsyncSession, user_id: int
) -> Sequence[Row[SavedWordRow, DefinitionRow]]:
    """The user's saved words with their definitions, newest first."""
    result = await session.execute(
        select(SavedWordRow, DefinitionRow)
        .join(DefinitionRow, DefinitionRow.id == SavedWordRow.definition_id)
        .where(SavedWordRow.user_id == user_id)
        .order_by(SavedWordRow.created_at.desc(), SavedWordRow.id.desc())
    )
    return result.all()


async def delete_saved_word(session: AsyncSession, user_id: int, saved_id: int) -> bool:
    """Remove one of the user's saved words: False when the user has no such word."""
    result = await session.execute(
        delete(SavedWordRow).where(SavedWordRow.id == saved_id, SavedWordRow.user_id == user_id)
    )
    return bool(rowcount(result))
