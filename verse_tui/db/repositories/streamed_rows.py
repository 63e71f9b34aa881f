"""The writes of streamed text, the same for every table that holds some (`messages`,
`insights`: columns `id`, `text`, `status`, `error`, `updated_at`).

A row being streamed belongs to one writer in one process, and only while this device still
belongs to the row's account. Each write says which row version it expects: the
`updated_at` its writer wrote last (its stamp). Another process that continues the reply
writes a new stamp, and unlinking the device moves it to another account; either way the
writer's next checkpoint or end changes nothing, and the writer learns it lost the row
(`lost_rows`, `why_lost`) instead of garbling someone else's text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal, cast

from sqlalchemy import ColumnElement, Table, and_, bindparam, or_, select, update

from verse_tui.db.base import Base
from verse_tui.db.models.accounts import Device
from verse_tui.db.models.chats import Chat

Checkpoint = tuple[int, str, datetime]
"""(row id, its whole text so far, the stamp its writer wrote last)."""
LostReason = Literal["gone", "unlinked", "taken"]


def table_of(model: type[Base]) -> Table:
    """A mapped class's table. SQLAlchemy types `__table__` as any `FromClause` (a class can be
    mapped to a join or a select); every model here is mapped to a plain `Table`."""
    return cast(Table, model.__table__)


def message_owner(table: Table, credential_hash: str) -> ColumnElement[bool]:
    """Messages in chats of the account this device belongs to now."""
    chats = select(Chat.id).join(Device, Device.user_id == Chat.user_id)
    return table.c.chat_id.in_(chats.where(Device.credential_hash == credential_hash))


def user_owner(table: Table, credential_hash: str) -> ColumnElement[bool]:
    """Rows (with a `user_id`) of the account this device belongs to now."""
    users = select(Device.user_id).where(Device.credential_hash == credential_hash)
    return table.c.user_id.in_(users)


def _streaming(table: Table) -> ColumnElement[bool]:
    return or_(table.c.status == "streaming", table.c.status == "interrupted")


async def checkpoint_rows(
    executor: Any,
    table: Table,
    rows: Sequence[Checkpoint],
    now: datetime,
    owner: ColumnElement[bool],
) -> set[int]:
    """Save the text of streaming rows (one UPDATE per row, as one executemany on
    `executor`, a session or a connection) and stamp them `now`; returns the ids of the rows
    that were not saved because their writer lost them (see the module doc). Only rows still
    streaming (or marked interrupted by another process) change, so a late checkpoint never
    overwrites a row's end."""
    statement = (
        update(table)
        .where(
            table.c.id == bindparam("row_id"),
            table.c.updated_at == bindparam("stamp", type_=table.c.updated_at.type),
            _streaming(table),
            owner,
        )
        .values(text=bindparam("new_text"), status="streaming", error=None, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    params = [{"row_id": i, "new_text": text, "stamp": stamp} for i, text, stamp in rows]
    result = await executor.execute(statement, params)
    if len(rows) == 1:
        return set() if result.rowcount == 1 else {rows[0][0]}
    return await lost_rows(executor, table, [i for i, _, _ in rows], now)


async def lost_rows(executor: Any, table: Table, ids: Sequence[int], now: datetime) -> set[int]:
    """Of `ids`, those a checkpoint stamped `now` did not save (an executemany's row count
    is not reliable on every driver, so this asks)."""
    saved = await executor.scalars(
        select(table.c.id).where(table.c.id.in_(ids), table.c.updated_at == now)
    )
    return set(ids) - set(saved.all())


async def end_row(
    executor: Any,
    table: Table,
    row_id: int,
    stamp: datetime,
    owner: ColumnElement[bool] | None,
    values: dict[str, Any],
) -> bool:
    """Write the end of a streaming row if its writer still holds it (same stamp, still
    streaming, and, unless `owner` is None, still this device's account's); whether it did."""
    criteria = [table.c.id == row_id, table.c.updated_at == stamp, _streaming(table)]
    if owner is not None:
        criteria.append(owner)
    result = await executor.execute(
        update(table)
        .where(and_(*criteria))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)


async def why_lost(
    executor: Any, table: Table, row_id: int, owner: ColumnElement[bool]
) -> LostReason:
    """Why a writer lost its row: it was deleted ("gone"), this device no longer belongs to
    its account ("unlinked"), or another process wrote it since ("taken")."""
    found = (
        await executor.execute(select(table.c.id, owner.label("owned")).where(table.c.id == row_id))
    ).one_or_none()
    if found is None:
        return "gone"
    return "taken" if found.owned else "unlinked"
