"""What start-up needs to know before tidying up, in one read: whether any chat reply or
insight was left `streaming` (by a process that died, or one still writing), whether a
pairing code lapsed (its hashes are to be wiped) and whether any failed code look-up is
recorded (old ones are to be forgotten). Almost always none of these, and then start-up
writes nothing for them and loads none of the services that would."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, text

from verse_tui.db.base import UTCDateTime
from verse_tui.db.engine import Database

_CHORES = text(
    "SELECT EXISTS (SELECT 1 FROM messages WHERE status = 'streaming'), "
    "EXISTS (SELECT 1 FROM insights WHERE status = 'streaming'), "
    "EXISTS (SELECT 1 FROM device_link_requests WHERE status = 'pending' "
    "AND expires_at <= :now), "
    "EXISTS (SELECT 1 FROM device_link_failures)"
).bindparams(bindparam("now", type_=UTCDateTime()))


@dataclass(frozen=True, slots=True)
class StartupChores:
    replies: bool  # a chat reply is `streaming`
    insights: bool  # an insight is `streaming`
    lapsed_codes: bool  # a pending pairing request is past its expiry
    link_failures: bool  # failed code look-ups are recorded (some may be old enough to go)


async def startup_chores(database: Database, now: datetime) -> StartupChores:
    """What start-up may have to tidy (one statement, no write)."""
    async with database.read() as session:
        row = (await session.execute(_CHORES, {"now": now})).one()
    return StartupChores(*(bool(value) for value in row))
