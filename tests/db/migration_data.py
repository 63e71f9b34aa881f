"""Generic test data for migration tests: fill every table of the schema as it is at some
revision, snapshot every row, and check that nothing was lost at a later revision.

The rows are made from the reflected schema (types, foreign keys, lengths), so a new table
needs nothing here. A column whose values are constrained beyond its type (a CHECK such as
`length(code) = 8`, or text a later migration parses) gets its values from
`COLUMN_VALUES`: add `("table", "column"): (value, ...)` there and the values are cycled.
Simple `column IN ('a', 'b')` checks are read from the schema and need nothing.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import CheckConstraint, Column, MetaData, Table, select
from sqlalchemy.engine import Connection

COLUMN_VALUES: dict[tuple[str, str], Sequence[object]] = {
    ("highlights", "color"): ("yellow", "green", "blue", "pink", "purple"),
}
SKIPPED_TABLES = frozenset({"alembic_version"})
BASE_TIME = dt.datetime(2026, 1, 2, 3, 4, 5)

Rows = dict[str, list[dict[str, Any]]]


def reflect(connection: Connection) -> list[Table]:
    metadata = MetaData()
    metadata.reflect(connection)
    return [t for t in metadata.sorted_tables if t.name not in SKIPPED_TABLES]


def populate(connection: Connection, tag: str, rows_per_table: int = 3) -> Rows:
    """Insert `rows_per_table` rows into every table (parents first); return them."""
    inserted: Rows = {}
    for table in reflect(connection):
        inserted[table.name] = []
        for index in range(rows_per_table):
            values = {
                column.name: _value(table, column, tag, index, inserted)
                for column in table.columns
                if not _is_generated_key(table, column)
            }
            row = connection.execute(table.insert().values(**values).returning(*table.c)).one()
            inserted[table.name].append(dict(row._mapping))
    return inserted


def snapshot(connection: Connection) -> Rows:
    """Every row of every table, ordered by primary key."""
    rows: Rows = {}
    for table in reflect(connection):
        order = list(table.primary_key.columns) or list(table.columns)
        result = connection.execute(select(table).order_by(*order))
        rows[table.name] = [dict(row._mapping) for row in result]
    return rows


def lost_rows(before: Rows, after: Rows, keys: dict[str, list[str]]) -> list[str]:
    """What of `before` is missing or changed in `after` (compared on the columns both
    have, rows matched by primary key); an empty list means nothing was lost."""
    problems: list[str] = []
    for table, old_rows in before.items():
        if table not in after:
            problems.append(f"table {table} ({len(old_rows)} rows) is gone")
            continue
        pk = keys[table]
        new_by_key = {tuple(row[c] for c in pk): row for row in after[table]}
        for old in old_rows:
            new = new_by_key.get(tuple(old[c] for c in pk))
            if new is None:
                problems.append(f"{table} row {[old[c] for c in pk]} is gone")
                continue
            changed = {c for c in old.keys() & new.keys() if _normal(old[c]) != _normal(new[c])}
            if changed:
                problems.append(f"{table} row {[old[c] for c in pk]} changed {sorted(changed)}")
    return problems


def primary_keys(connection: Connection) -> dict[str, list[str]]:
    return {t.name: [c.name for c in t.primary_key.columns] for t in reflect(connection)}


def _normal(value: object) -> object:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _is_generated_key(table: Table, column: Column) -> bool:
    keys = list(table.primary_key.columns)
    return len(keys) == 1 and keys[0] is column and _python_type(column) is int


# `status IN ('a', 'b')` as SQLite keeps it, and as PostgreSQL reports it:
# `status::text = ANY (ARRAY['a'::character varying, 'b'::character varying]::text[])`.
_IN_CHECKS = (
    re.compile(r"^\W*\"?(\w+)\"?\s+IN\s*\(([^)]*)\)\W*$", re.IGNORECASE),
    re.compile(r"^\W*\"?(\w+)\"?\)?(?:::[\w ]+)?\s*=\s*ANY\s*\(+ARRAY\[(.*)\]", re.IGNORECASE),
)


def _allowed_values(table: Table, column: Column) -> tuple[str, ...] | None:
    """The values a `column IN ('a', 'b')` CHECK constraint allows, if there is one."""
    for constraint in table.constraints:
        if not isinstance(constraint, CheckConstraint):
            continue
        for pattern in _IN_CHECKS:
            match = pattern.match(str(constraint.sqltext))
            if match and match.group(1) == column.name:
                return tuple(re.findall(r"'((?:[^']|'')*)'", match.group(2)))
    return None


def _value(table: Table, column: Column, tag: str, index: int, inserted: Rows) -> object:
    override = COLUMN_VALUES.get((table.name, column.name)) or _allowed_values(table, column)
    if override:
        return override[index % len(override)]
    for fk in column.foreign_keys:
        parent = fk.column.table.name
        if parent == table.name or not inserted.get(parent):
            if column.nullable:
                return None
            raise AssertionError(f"no parent row for {table.name}.{column.name}")
        parents = inserted[parent]
        return parents[index % len(parents)][fk.column.name]
    return _typed_value(table, column, tag, index)


def _typed_value(table: Table, column: Column, tag: str, index: int) -> object:
    kind = _python_type(column)
    moment = BASE_TIME + dt.timedelta(days=index, minutes=len(tag))
    if kind is bool:
        return index % 2 == 0
    if kind is int:
        return index % 50 + 1
    if kind is float:
        return index + 0.5
    if kind is decimal.Decimal:
        return decimal.Decimal(index) + decimal.Decimal("0.25")
    if kind is dt.datetime:
        return moment.replace(tzinfo=dt.UTC) if getattr(column.type, "timezone", False) else moment
    if kind is dt.date:
        return moment.date()
    if kind is str:
        text = f"{table.name}.{column.name} {tag} #{index}"
        length = getattr(column.type, "length", None)
        return text[-length:] if length else text
    if kind is bytes:
        return f"{tag}-{index}".encode()
    if kind is uuid.UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"{table.name}/{tag}/{index}")
    if kind in (dict, list):
        return {"tag": tag, "index": index}
    raise AssertionError(
        f"No test value for {table.name}.{column.name} ({column.type!r}): add one to "
        "COLUMN_VALUES in tests/db/migration_data.py"
    )


def _python_type(column: Column) -> type | None:
    try:
        return column.type.python_type
    except NotImplementedError:
        return None
