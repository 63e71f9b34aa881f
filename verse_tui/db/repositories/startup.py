"""What start-up needs to know before tidying up, in one read: whether any chat reply or
insight was left `streaming` (by a process that died, or one still writing). Almost always
neither, and then start-up writes nothing for them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from verse_tui.db.engine import Database

_LEFT_STREAMING = text(
    "SELECT EXISTS (SELECT 1 FROM messages WHERE status = 'streaming'), "
    "EXISTS (SELECT 1 FROM insights WHERE status = 'streaming')"
)


@dataclass(frozen=True, slots=True)
class LeftStreaming:
    replies: bool
    insights: bool


async def left_streaming(database: Database) -> LeftStreaming:
    """Whether any chat reply / insight is `streaming` now (one statement, no write)."""
    async with database.read() as session:
        replies, insights = (await session.execute(_LEFT_STREAMING)).one()
    return LeftStreaming(replies=bool(replies), insights=bool(insights))
