"""Move everything one account owns into another, table by table, losing nothing.

The merge is generic on purpose: it walks the metadata and reassigns every column that
refers to `users.id` (or is named `user_id`), so tables that other areas add later
(chats, study words, insights, ...) are covered without touching this module. Child rows
(messages of a chat, ...) follow their parents, which keep their ids.

Where a unique key contains the user column (one reading position per account, one
preferences row per account, one saved word per account and spelling), both accounts may
hold a row for the same key. Then, if the table has an `updated_at` column, the newest row
wins (the newest reading position); otherwise the receiving account's row wins (account
preferences win). Partial unique indexes are not handled: a conflict on one fails the
merge, which rolls back and loses nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import Column, MetaData, Table, UniqueConstraint, and_, exists, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from verse_tui.db.results import rowcount

USERS_TABLE = "users"
USER_COLUMN = "user_id"
NEWEST_WINS_COLUMN = "updated_at"


def user_columns(metadata: MetaData) -> Iterator[Column[int]]:
    """Every column, in dependency order, that holds the id of an account."""
    users = metadata.tables[USERS_TABLE]
    for table in metadata.sorted_tables:
        if table is users:
            continue
        for column in table.columns:
            refers = any(fk.references(users) for fk in column.foreign_keys)
            if refers or column.name == USER_COLUMN:
                yield column


def unique_keys(table: Table, column: Column[int]) -> list[tuple[Column[object], ...]]:
    """The full (non-partial) unique keys of a table that contain `column`."""
    keys: list[tuple[Column[object], ...]] = []
    if table.primary_key.columns.contains_column(column):
        keys.append(tuple(table.primary_key.columns))
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint) and constraint.columns.contains_column(column):
            keys.append(tuple(constraint.columns))
    for index in table.indexes:
        partial = any(opts.get("where") is not None for opts in index.dialect_options.values())
        if index.unique and not partial and index.columns.contains_column(column):
            keys.append(tuple(index.columns))
    return keys


async def merge_accounts(
    conn: AsyncConnection | AsyncSession, metadata: MetaData, from_user: int, into_user: int
) -> dict[str, int]:
    """Reassign every row of `from_user` to `into_user`; returns rows moved per table.

    Run it inside the caller's write transaction, so that it all happens or none of it.
    """
    moved: dict[str, int] = {}
    for column in user_columns(metadata):
        table = column.table
        for key in unique_keys(table, column):
            await _drop_conflicting_rows(conn, table, column, key, from_user, into_user)
        result = await conn.execute(
            update(table).where(column == from_user).values({column.name: into_user})
        )
        if changed := rowcount(result):
            moved[table.name] = moved.get(table.name, 0) + changed
    return moved


async def _drop_conflicting_rows(
    conn: AsyncConnection | AsyncSession,
    table: Table,
    column: Column[int],
    key: Sequence[Column[object]],
    from_user: int,
    into_user: int,
) -> None:
    """Delete the losing row of each pair that would collide on `key` after the move."""
    others = [c for c in key if c is not column]
    other_side = table.alias("other_side")

    def same_key(side_user: int) -> list[ColumnElement[bool]]:
        return [
            other_side.c[column.name] == side_user,
            *[other_side.c[c.name] == table.c[c.name] for c in others],
        ]

    if NEWEST_WINS_COLUMN in table.c:
        newer = other_side.c[NEWEST_WINS_COLUMN] > table.c[NEWEST_WINS_COLUMN]
        older_in_account = exists(select(1).where(and_(*same_key(from_user), newer)))
        await conn.execute(table.delete().where(column == into_user, older_in_account))
    clashing = exists(select(1).where(and_(*same_key(into_user))))
    await conn.execute(table.delete().where(column == from_user, clashing))
