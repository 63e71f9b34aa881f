"""What a statement's result says beyond its rows."""

from __future__ import annotations

from sqlalchemy import CursorResult


def rowcount(result: object) -> int:
    """Rows changed by an UPDATE/DELETE result (typed `Result` by SQLAlchemy's stubs, but a
    `CursorResult` at run time: only that carries the count)."""
    return result.rowcount if isinstance(result, CursorResult) else 0
