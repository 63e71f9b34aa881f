"""`UserService`: the caller's profile, preferences, reading position, bookmarks, highlights
and notes. Each method is one short transaction opened through `ServiceContext`, which
resolves the calling device's user inside it; results are frozen domain dataclasses."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from verse_tui.db.models import accounts as rows
from verse_tui.db.repositories.accounts import AccountRepository
from verse_tui.domain.bible import VerseRange, VerseRef
from verse_tui.domain.text import echo
from verse_tui.domain.user import (
    HIGHLIGHT_COLORS,
    Bookmark,
    Highlight,
    Note,
    Preferences,
    ReadingPosition,
    UserProfile,
)
from verse_tui.errors import InputError, NotFoundError
from verse_tui.services.context import ServiceContext

BOOK_COUNT = 66
MAX_NOTE_LENGTH = 20_000
MAX_LABEL_LENGTH = 200
PREFERENCE_NAMES = ("translation", "theme", "parallel_translation", "study_panel")
_TRANSLATION_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,15}$")
_THEME_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")


class UserService:
    """The calling user's own data. `translations`, when given, lists the codes accepted."""

    def __init__(
        self, context: ServiceContext, *, translations: Collection[str] | None = None
    ) -> None:
        self._ctx = context
        self._translations = frozenset(code.upper() for code in translations or ())

    async def profile(self) -> UserProfile:
        async with self._ctx.read_device() as (session, device):
            user = await AccountRepository(session).user(device.user_id)
            return UserProfile(
                user_id=user.id,
                display_name=user.display_name,
                created_at=user.created_at,
                preferences=_preferences(user),
                device_id=device.device_id,
                device_name=device.name,
            )

    async def get_preferences(self) -> Preferences:
        async with self._ctx.read() as (session, user_id):
            return _preferences(await AccountRepository(session).user(user_id))

    async def update_preferences(self, **changes: Any) -> Preferences:
        """Change some of `translation`, `theme`, `parallel_translation` (None clears it),
        `study_panel` (True or False)."""
        unknown = sorted(set(changes) - set(PREFERENCE_NAMES))
        if unknown:
            raise InputError(
                f"Unknown preference {', '.join(unknown)}. "
                f"Preferences are: {', '.join(PREFERENCE_NAMES)}."
            )
        values = self._checked_preferences(changes)
        async with self._ctx.write() as (session, user_id):
            user = await AccountRepository(session).user(user_id)
            for name, value in values.items():
                setattr(user, name, value)
            await session.flush()
            return _preferences(user)

    async def get_reading_position(self) -> ReadingPosition | None:
        async with self._ctx.read() as (session, user_id):
            row = await AccountRepository(session).reading_position(user_id)
            if row is None:
                return None
            return ReadingPosition(
                translation=row.translation,
                ref=VerseRef(row.book, row.chapter, row.verse),
                updated_at=row.updated_at,
            )

    async def set_reading_position(self, translation: str, ref: VerseRef) -> None:
        code = self._translation(translation)
        _check_ref(ref)
        async with self._ctx.write() as (session, user_id):
            await AccountRepository(session).save_reading_position(
                user_id, code, ref.book, ref.chapter, ref.verse, self._ctx.now()
            )

    # Bookmarks -----------------------------------------------------------------------------

    async def add_bookmark(
        self, translation: str, rng: VerseRange, label: str | None = None
    ) -> Bookmark:
        """Bookmark a range; bookmarking the same range again updates its label."""
        anchor = _anchor(self._translation(translation), rng)
        label = _label(label)
        async with self._ctx.write() as (session, user_id):
            repo = AccountRepository(session)
            row = await repo.same_range(rows.Bookmark, user_id, anchor)
            if row is None:
                row = rows.Bookmark(
                    user_id=user_id, label=label, created_at=self._ctx.now(), **anchor
                )
                await repo.add(row)
            elif label is not None:
                row.label = label
                await session.flush()
            return _bookmark(row)

    async def list_bookmarks(self) -> tuple[Bookmark, ...]:
        """The user's bookmarks, newest first."""
        async with self._ctx.read() as (session, user_id):
            found = await AccountRepository(session).bookmarks(user_id)
            return tuple(_bookmark(row) for row in found)

    async def remove_bookmark(self, id: int) -> None:
        await self._remove(rows.Bookmark, id, "bookmark")

    # Highlights ----------------------------------------------------------------------------

    async def add_highlight(self, translation: str, rng: VerseRange, color: str) -> Highlight:
        """Highlight a range; highlighting the same range again changes its colour."""
        anchor = _anchor(self._translation(translation), rng)
        colour = _color(color)
        async with self._ctx.write() as (session, user_id):
            repo = AccountRepository(session)
            row = await repo.same_range(rows.Highlight, user_id, anchor)
            if row is None:
                row = rows.Highlight(
                    user_id=user_id, color=colour, created_at=self._ctx.now(), **anchor
                )
                await repo.add(row)
            else:
                row.color = colour
                await session.flush()
            return _highlight(row)

    async def list_highlights(
        self, book: int | None = None, chapter: int | None = None
    ) -> tuple[Highlight, ...]:
        """The user's highlights touching a book or chapter (all when no book), in Bible order."""
        _check_passage_filter(book, chapter)
        async with self._ctx.read() as (session, user_id):
            found = await AccountRepository(session).in_passage(
                rows.Highlight, user_id, book, chapter
            )
            return tuple(_highlight(row) for row in found)

    async def remove_highlight(self, id: int) -> None:
        await self._remove(rows.Highlight, id, "highlight")

    # Notes ---------------------------------------------------------------------------------

    async def add_note(self, translation: str, rng: VerseRange, text: str) -> Note:
        anchor = _anchor(self._translation(translation), rng)
        body = _note_text(text)
        async with self._ctx.write() as (session, user_id):
            now = self._ctx.now()
            row = rows.Note(user_id=user_id, text=body, created_at=now, updated_at=now, **anchor)
            await AccountRepository(session).add(row)
            return _note(row)

    async def update_note(self, id: int, text: str) -> Note:
        body = _note_text(text)
        async with self._ctx.write() as (session, user_id):
            row = await AccountRepository(session).owned(rows.Note, user_id, id)
            if row is None:
                raise _not_found("note", id)
            row.text = body
            row.updated_at = self._ctx.now()
            await session.flush()
            return _note(row)

    async def delete_note(self, id: int) -> None:
        await self._remove(rows.Note, id, "note")

    async def list_notes(
        self, book: int | None = None, chapter: int | None = None
    ) -> tuple[Note, ...]:
        """The user's notes touching a book or chapter (all when no book), in Bible order."""
        _check_passage_filter(book, chapter)
        async with self._ctx.read() as (session, user_id):
            found = await AccountRepository(session).in_passage(rows.Note, user_id, book, chapter)
            return tuple(_note(row) for row in found)

    async def search_notes(self, query: str) -> tuple[Note, ...]:
        """Notes containing every word of `query`, any case; most recently edited first."""
        words = query.split()
        if not words:
            raise InputError("Type one or more words to search your notes for.")
        async with self._ctx.read() as (session, user_id):
            found = await AccountRepository(session).search_notes(user_id, words)
            return tuple(_note(row) for row in found)

    # Helpers -------------------------------------------------------------------------------

    async def _remove(
        self, model: type[rows.Bookmark | rows.Highlight | rows.Note], id: int, kind: str
    ) -> None:
        async with self._ctx.write() as (session, user_id):
            if not await AccountRepository(session).delete_owned(model, user_id, id):
                raise _not_found(kind, id)

    def _translation(self, code: str) -> str:
        normal = code.strip().upper() if isinstance(code, str) else ""
        if not _TRANSLATION_CODE.match(normal):
            raise InputError(
                f"{echo(code)} is not a translation code. Use a code such as KJV or WEB "
                "(verse translations lists them)."
            )
        if self._translations and normal not in self._translations:
            raise InputError(
                f"Translation {normal} is not installed. "
                f"Installed: {', '.join(sorted(self._translations))}."
            )
        return normal

    def _checked_preferences(self, changes: dict[str, Any]) -> dict[str, str | bool | None]:
        values: dict[str, str | bool | None] = {}
        if "translation" in changes:
            values["translation"] = self._translation(changes["translation"])
        if "parallel_translation" in changes:
            parallel = changes["parallel_translation"]
            values["parallel_translation"] = (
                None if parallel in (None, "") else self._translation(parallel)
            )
        if "theme" in changes:
            theme = changes["theme"]
            if not isinstance(theme, str) or not _THEME_NAME.match(theme.strip()):
                raise InputError(
                    f"{echo(theme)} is not a theme name. Use a name such as textual-dark "
                    "(letters, digits, - and _, at most 40)."
                )
            values["theme"] = theme.strip()
        if "study_panel" in changes:
            shown = changes["study_panel"]
            if not isinstance(shown, bool):
                raise InputError(f"study_panel is true or false, not a {type(shown).__name__}.")
            values["study_panel"] = shown
        return values


def _preferences(user: rows.User) -> Preferences:
    return Preferences(
        translation=user.translation,
        theme=user.theme,
        parallel_translation=user.parallel_translation,
        study_panel=user.study_panel,
    )


def _check_ref(ref: VerseRef) -> None:
    if not 1 <= ref.book <= BOOK_COUNT or ref.chapter < 1 or ref.verse < 1:
        raise InputError(
            f"Book {ref.book} chapter {ref.chapter} verse {ref.verse} is not a verse: books "
            f"run 1-{BOOK_COUNT}, chapters and verses start at 1."
        )


def _anchor(translation: str, rng: VerseRange) -> dict[str, object]:
    _check_ref(rng.start)
    _check_ref(rng.end)
    if rng.end < rng.start:
        raise InputError("A verse range must end at or after its start (e.g. John 3:16-18).")
    return {
        "translation": translation,
        "start_book": rng.start.book,
        "start_chapter": rng.start.chapter,
        "start_verse": rng.start.verse,
        "end_book": rng.end.book,
        "end_chapter": rng.end.chapter,
        "end_verse": rng.end.verse,
    }


def _check_passage_filter(book: int | None, chapter: int | None) -> None:
    if book is None and chapter is not None:
        raise InputError("Give the book as well as the chapter to filter by.")
    if book is not None and not 1 <= book <= BOOK_COUNT:
        raise InputError(f"Book {book} does not exist: books run 1-{BOOK_COUNT}.")


def _color(color: str) -> str:
    normal = color.strip().lower() if isinstance(color, str) else ""
    if normal not in HIGHLIGHT_COLORS:
        raise InputError(
            f"{echo(color)} is not a highlight colour. "
            f"Choose one of: {', '.join(HIGHLIGHT_COLORS)}."
        )
    return normal


def _label(label: str | None) -> str | None:
    if label is None or not label.strip():
        return None
    label = label.strip()
    if len(label) > MAX_LABEL_LENGTH:
        raise InputError(f"A bookmark label can be at most {MAX_LABEL_LENGTH} characters.")
    return label


def _note_text(text: str) -> str:
    body = text.strip() if isinstance(text, str) else ""
    if not body:
        raise InputError("A note needs some text. Type it, or delete the note instead.")
    if len(body) > MAX_NOTE_LENGTH:
        raise InputError(
            f"A note can be at most {MAX_NOTE_LENGTH:,} characters (this one has "
            f"{len(body):,}). Split it into several notes."
        )
    return body


def _not_found(kind: str, id: int) -> NotFoundError:
    return NotFoundError(f"There is no {kind} #{id} in your account. List them to see their ids.")


def _bookmark(row: rows.Bookmark) -> Bookmark:
    return Bookmark(
        id=row.id,
        translation=row.translation,
        range=row.verse_range,
        label=row.label,
        created_at=row.created_at,
    )


def _highlight(row: rows.Highlight) -> Highlight:
    return Highlight(
        id=row.id,
        translation=row.translation,
        range=row.verse_range,
        color=row.color,
        created_at=row.created_at,
    )


def _note(row: rows.Note) -> Note:
    return Note(
        id=row.id,
        translation=row.translation,
        range=row.verse_range,
        text=row.text,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
