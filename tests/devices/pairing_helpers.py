"""Helpers shared by the pairing tests."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from verse_tui.db.engine import Database
from verse_tui.db.models.device_links import DeviceLinkRequest
from verse_tui.services.device_link import DeviceLinkService, InvalidLinkCodeError
from verse_tui.services.link_codes import format_code, normalize_code


async def requests(database: Database) -> list[DeviceLinkRequest]:
    async with database.reader.begin() as session:
        return list(await session.scalars(select(DeviceLinkRequest).order_by(DeviceLinkRequest.id)))


def wrong_code(code: str) -> str:
    """A well-formed code that differs from `code` in its last letter."""
    canonical = normalize_code(code)
    last = "B" if canonical[-1] != "B" else "C"
    return format_code(canonical[:-1] + last)


async def invalid_message(service: DeviceLinkService, code: str) -> str:
    with pytest.raises(InvalidLinkCodeError) as excinfo:
        await service.approve_link(code)
    return str(excinfo.value)
