"""Approving a link merges the new device's own data into the account, losing nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Column,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    insert,
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from tests.conftest import ManualClock
from tests.devices.conftest import Handset, MakeHandset
from verse_tui.db.base import Base, UTCDateTime
from verse_tui.db.engine import Database
from verse_tui.db.models.chats import Chat, Message
from verse_tui.db.models.study import Definition, Insight, SavedWord
from verse_tui.db.repositories.account_merge import merge_accounts, user_columns
from verse_tui.domain.bible import VerseRange, VerseRef
from verse_tui.domain.study import INSIGHT_KINDS
from verse_tui.domain.user import Preferences

PSALM_23_1 = VerseRange(VerseRef(19, 23, 1), VerseRef(19, 23, 1))
JOHN_1_1 = VerseRange(VerseRef(43, 1, 1), VerseRef(43, 1, 5))


async def pair(new: Handset, existing: Handset) -> None:
    await existing.devices.approve_link((await new.devices.request_link()).code)


async def add_chat(database: Database, handset: Handset, title: str, now: datetime) -> None:
    user_id = (await handset.devices.account_summary()).account_id
    async with database.writer.begin() as session:
        chat = Chat(user_id=user_id, title=title, created_at=now, updated_at=now)
        session.add(chat)
        await session.flush()
        for role, text in (("user", f"{title}?"), ("assistant", f"{title}!")):
            session.add(
                Message(
                    chat_id=chat.id,
                    role=role,
                    text=text,
                    status="complete",
                    created_at=now,
                    updated_at=now,
                )
            )


async def chats_of(database: Database, handset: Handset) -> dict[str, list[str]]:
    user_id = (await handset.devices.account_summary()).account_id
    async with database.reader.begin() as session:
        rows = await session.execute(
            select(Chat.title, Message.text)
            .join(Message, Message.chat_id == Chat.id)
            .where(Chat.user_id == user_id)
            .order_by(Message.id)
        )
        found: dict[str, list[str]] = {}
        for title, text in rows:
            found.setdefault(title, []).append(text)
        return found


async def test_approval_merges_everything_the_new_device_owned(
    handset: MakeHandset, database: Database, clock: ManualClock
) -> None:
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    await desktop.users.add_bookmark("KJV", JOHN_1_1, "desktop mark")
    await desktop.users.add_note("KJV", JOHN_1_1, "desktop note")
    await add_chat(database, desktop, "Desktop chat", clock.now)
    await laptop.users.add_bookmark("WEB", PSALM_23_1, "laptop mark")
    await laptop.users.add_highlight("WEB", PSALM_23_1, "green")
    await laptop.users.add_note("WEB", PSALM_23_1, "laptop note")
    await add_chat(database, laptop, "Laptop chat", clock.now)

    await pair(laptop, desktop)

    for device in (desktop, laptop):
        assert sorted(b.label or "" for b in await device.users.list_bookmarks()) == [
            "desktop mark",
            "laptop mark",
        ]
        assert [h.color for h in await device.users.list_highlights()] == ["green"]
        assert sorted(n.text for n in await device.users.list_notes()) == [
            "desktop note",
            "laptop note",
        ]
        assert await chats_of(database, device) == {
            "Desktop chat": ["Desktop chat?", "Desktop chat!"],
            "Laptop chat": ["Laptop chat?", "Laptop chat!"],
        }


async def test_account_preferences_win(handset: MakeHandset) -> None:
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    await desktop.users.update_preferences(translation="KJV", theme="nord")
    await laptop.users.update_preferences(translation="WEB", theme="gruvbox")
    await pair(laptop, desktop)
    assert await laptop.users.get_preferences() == Preferences("KJV", "nord", None)


async def test_the_newest_reading_position_wins_either_way(
    handset: MakeHandset, clock: ManualClock
) -> None:
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    await desktop.users.set_reading_position("KJV", VerseRef(1, 1, 1))
    clock.advance(minutes=1)
    await laptop.users.set_reading_position("WEB", VerseRef(19, 23, 1))
    await pair(laptop, desktop)
    position = await desktop.users.get_reading_position()
    assert position is not None and (position.translation, position.ref) == (
        "WEB",
        VerseRef(19, 23, 1),
    )

    tablet = await handset("Tablet")
    await tablet.users.set_reading_position("KJV", VerseRef(43, 3, 16))
    clock.advance(minutes=1)
    await desktop.users.set_reading_position("KJV", VerseRef(40, 5, 3))
    await pair(tablet, desktop)
    position = await tablet.users.get_reading_position()
    assert position is not None and position.ref == VerseRef(40, 5, 3)


async def test_a_new_device_without_a_reading_position_keeps_the_accounts(
    handset: MakeHandset,
) -> None:
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    await desktop.users.set_reading_position("KJV", VerseRef(1, 1, 1))
    await pair(laptop, desktop)
    position = await laptop.users.get_reading_position()
    assert position is not None and position.ref == VerseRef(1, 1, 1)


def test_every_table_with_a_user_column_is_covered() -> None:
    covered = {column.table.name for column in user_columns(Base.metadata)}
    with_user_id = {t.name for t in Base.metadata.tables.values() if "user_id" in t.c}
    assert with_user_id <= covered
    assert {"devices", "bookmarks", "highlights", "notes", "reading_positions", "chats"} <= covered


async def test_tables_added_later_are_merged_without_touching_the_merge(
    database_url: str,
) -> None:
    """A stand-in for a future table (saved words): unique per user and word, no updated_at,
    so the account's row wins a clash and every other row moves."""
    metadata = MetaData()
    Table("users", metadata, Column("id", Integer, primary_key=True))
    words = Table(
        "saved_words",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("user_id", ForeignKey("users.id", ondelete="CASCADE")),
        Column("word", String(40)),
        Column("meaning", String(200)),
        UniqueConstraint("user_id", "word"),
    )
    insights = Table(
        "insights",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("owner", Integer, ForeignKey("users.id")),  # any column referring to users
        Column("text", String(200)),
        Column("updated_at", UTCDateTime()),
    )
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
            await seed(conn, metadata)
            moved = await merge_accounts(conn, metadata, from_user=2, into_user=1)
            assert moved == {"saved_words": 1, "insights": 1}
            assert (
                await conn.execute(
                    select(words.c.user_id, words.c.word, words.c.meaning).order_by(words.c.id)
                )
            ).all() == [
                (1, "agape", "account's"),
                (1, "logos", "new device's"),
            ]
            assert (await conn.execute(select(insights.c.owner))).scalars().all() == [1]
    finally:
        await engine.dispose()


async def seed(conn: AsyncConnection, metadata: MetaData) -> None:
    tables = metadata.tables
    await conn.execute(insert(tables["users"]), [{"id": 1}, {"id": 2}])
    await conn.execute(
        insert(tables["saved_words"]),
        [
            {"user_id": 1, "word": "agape", "meaning": "account's"},
            {"user_id": 2, "word": "agape", "meaning": "new device's duplicate"},
            {"user_id": 2, "word": "logos", "meaning": "new device's"},
        ],
    )
    when = datetime(2026, 1, 1, tzinfo=UTC)
    await conn.execute(insert(tables["insights"]), [{"owner": 2, "text": "t", "updated_at": when}])


async def add_word(database: Database, handset: Handset, word: str, now: datetime) -> None:
    """Save `word` (its definition shared by all accounts, as the study area stores it)."""
    user_id = (await handset.devices.account_summary()).account_id
    async with database.writer.begin() as session:
        definition_id = await session.scalar(select(Definition.id).where(Definition.word == word))
        if definition_id is None:
            definition = Definition(
                word=word,
                translation="KJV",
                book=43,
                chapter=1,
                verse=1,
                reference="John 1:1",
                source="glossary",
                created_at=now,
            )
            session.add(definition)
            await session.flush()
            definition_id = definition.id
        session.add(SavedWord(user_id=user_id, definition_id=definition_id, created_at=now))


async def add_insight(database: Database, handset: Handset, text: str, now: datetime) -> None:
    user_id = (await handset.devices.account_summary()).account_id
    anchor = {"start_book": 43, "start_chapter": 1, "start_verse": 1}
    anchor |= {"end_book": 43, "end_chapter": 1, "end_verse": 5}
    async with database.writer.begin() as session:
        session.add(
            Insight(
                user_id=user_id,
                translation="KJV",
                reference="John 1:1-5",
                kind=INSIGHT_KINDS[0],
                text=text,
                status="complete",
                created_at=now,
                updated_at=now,
                **anchor,
            )
        )


async def test_saved_words_and_insights_merge_without_duplicates(
    handset: MakeHandset, database: Database, clock: ManualClock
) -> None:
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    for device, words in ((desktop, ("word", "light")), (laptop, ("word", "grace"))):
        for word in words:
            await add_word(database, device, word, clock.now)
        await add_insight(database, device, f"{device.name} insight", clock.now)

    await pair(laptop, desktop)

    account = (await desktop.devices.account_summary()).account_id
    async with database.reader.begin() as session:
        words = await session.scalars(
            select(Definition.word)
            .join(SavedWord, SavedWord.definition_id == Definition.id)
            .where(SavedWord.user_id == account)
            .order_by(Definition.word)
        )
        insights = await session.scalars(
            select(Insight.text).where(Insight.user_id == account).order_by(Insight.text)
        )
        assert words.all() == ["grace", "light", "word"]
        assert insights.all() == ["Desktop insight", "Laptop insight"]
