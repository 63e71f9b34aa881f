"""Queries on the account tables. Repositories flush, never commit: the service that opened
the transaction (through `ServiceContext`) commits it or rolls it back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy import Select, and_, delete, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from verse_tui.db.engine import upsert_insert
from verse_tui.db.models.accounts import (
    Bookmark,
    Highlight,
    Note,
    ReadingPosition,
    User,
    VerseAnchored,
)
from verse_tui.db.results import rowcount

AnchoredRow = TypeVar("AnchoredRow", Bookmark, Highlight, Note)


class AccountRepository:
    """Everything one user owns, always filtered by `user_id`."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_user(
        self, display_name: str, *, translation: str, theme: str, now: datetime
    ) -> User:
        """A new account with these preferences (flushed, so it has its id)."""
        user = User(
            display_name=display_name,
            created_at=now,
            translation=translation,
            theme=theme,
            parallel_translation=None,
        )
        self.session.add(user)
        await self.session.flush()
        return user

    async def lock_users(self, *user_ids: int) -> None:
        """Lock account rows in id order (PostgreSQL) so merges into one account serialise."""
        for user_id in sorted(set(user_ids)):
            await self.session.execute(select(User.id).where(User.id == user_id).with_for_update())

    async def user(self, user_id: int) -> User:
        return (await self.session.execute(select(User).where(User.id == user_id))).scalar_one()

    async def reading_position(self, user_id: int) -> ReadingPosition | None:
        return await self.session.scalar(
            select(ReadingPosition).where(ReadingPosition.user_id == user_id)
        )

    async def save_reading_position(
        self, user_id: int, translation: str, book: int, chapter: int, verse: int, now: datetime
    ) -> None:
        """Insert or update the user's one position row (safe against a concurrent insert)."""
        values = {
            "user_id": user_id,
            "translation": translation,
            "book": book,
            "chapter": chapter,
            "verse": verse,
            "updated_at": now,
        }
        statement = upsert_insert(self.session, ReadingPosition).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=[ReadingPosition.user_id],
            set_={key: value for key, value in values.items() if key != "user_id"},
        )
        await self.session.execute(statement)

    async def owned(
        self, model: type[AnchoredRow], user_id: int, row_id: int
    ) -> AnchoredRow | None:
        return await self.session.scalar(
            select(model).where(model.id == row_id, model.user_id == user_id)
        )

    async def same_range(
        self, model: type[AnchoredRow], user_id: int, anchor: dict[str, object]
    ) -> AnchoredRow | None:
        """The user's row of `model` on exactly this translation and range, if any."""
        conditions = [getattr(model, key) == value for key, value in anchor.items()]
        query = select(model).where(model.user_id == user_id, *conditions).order_by(model.id)
        return (await self.session.scalars(query.limit(1))).first()

    async def add(self, row: User | Bookmark | Highlight | Note) -> None:
        self.session.add(row)
        await self.session.flush()

    async def delete_owned(
        self, model: type[Bookmark | Highlight | Note], user_id: int, row_id: int
    ) -> bool:
        result = await self.session.execute(
            delete(model).where(model.id == row_id, model.user_id == user_id)
        )
        return rowcount(result) > 0

    async def bookmarks(self, user_id: int) -> Sequence[Bookmark]:
        query = select(Bookmark).where(Bookmark.user_id == user_id)
        return (
            await self.session.scalars(
                query.order_by(Bookmark.created_at.desc(), Bookmark.id.desc())
            )
        ).all()

    async def in_passage(
        self, model: type[AnchoredRow], user_id: int, book: int | None, chapter: int | None
    ) -> Sequence[AnchoredRow]:
        """The user's rows overlapping a book (or one chapter of it), in canonical order."""
        query: Select[AnchoredRow] = select(model).where(model.user_id == user_id)
        query = query.where(*_overlapping(model, book, chapter))
        return (await self.session.scalars(_canonical_order(query, model))).all()

    async def search_notes(self, user_id: int, words: Sequence[str]) -> Sequence[Note]:
        """Notes containing every word, case-insensitively (LIKE: SQLite and PostgreSQL)."""
        conditions = [Note.text.icontains(word, autoescape=True) for word in words]
        query = select(Note).where(Note.user_id == user_id, and_(*conditions))
        query = query.order_by(Note.updated_at.desc(), Note.id.desc())
        return (await self.session.scalars(query)).all()


def _overlapping(
    model: type[VerseAnchored], book: int | None, chapter: int | None
) -> list[ColumnElement[bool]]:
    if book is None:
        return []
    if chapter is None:
        return [model.start_book <= book, model.end_book >= book]
    return [
        tuple_(model.start_book, model.start_chapter) <= tuple_(book, chapter),
        tuple_(model.end_book, model.end_chapter) >= tuple_(book, chapter),
    ]


def _canonical_order(query: Select[AnchoredRow], model: type[AnchoredRow]) -> Select[AnchoredRow]:
    return query.order_by(
        model.start_book,
        model.start_chapter,
        model.start_verse,
        model.id,
    )
