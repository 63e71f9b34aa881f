"""The ORM models, one module per area. Import the module you need
(`from verse_tui.db.models.chats import Chat`): a command then loads only the tables it
touches (`verse whoami` never builds the chat or study models). What walks the whole schema
(Alembic, the account merge) calls `full_metadata()`.

Each area owns one module; add your module's import line to `full_metadata`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import MetaData


def full_metadata() -> MetaData:
    """`Base.metadata` with every table on it (imports every model module)."""
    from verse_tui.db.base import Base
    from verse_tui.db.models import accounts, chats, device_links, study  # noqa: F401

    return Base.metadata


__all__ = ["full_metadata"]
