"""Helpers shared by the pairing tests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from verse_tui.db.engine import Database
from verse_tui.db.models.device_links import DeviceLinkRequest
from verse_tui.services.device_link import DeviceLinkService, InvalidLinkCodeError
from verse_tui.services.link_codes import ALPHABET, format_code, normalize_code

# Past the allowance of a new device (3 wrong codes in its first 15 minutes).
NEW_DEVICE_PERIOD = timedelta(minutes=15, seconds=1)


async def requests(database: Database) -> list[DeviceLinkRequest]:
    async with database.reader.begin() as session:
        return list(await session.scalars(select(DeviceLinkRequest).order_by(DeviceLinkRequest.id)))


def wrong_code(code: str) -> str:
    """A well-formed code that differs from `code` in its last letter."""
    canonical = normalize_code(code)
    last = "B" if canonical[-1] != "B" else "C"
    return format_code(canonical[:-1] + last)


def first_half_typo(code: str) -> str:
    """A well-formed code that differs from `code` in its first letter."""
    canonical = normalize_code(code)
    first = "B" if canonical[0] != "B" else "C"
    return format_code(first + canonical[1:])


def unrelated_code(code: str, shift: int = 1) -> str:
    """A well-formed code that differs from `code` in every letter (so in both halves)."""
    canonical = normalize_code(code)
    step = 1 + (shift - 1) % (len(ALPHABET) - 1)
    moved = (ALPHABET[(ALPHABET.index(ch) + step) % len(ALPHABET)] for ch in canonical)
    return format_code("".join(moved))


def hashes_wiped(request: DeviceLinkRequest) -> bool:
    """Whether the request keeps none of its code's hashes (whole or halves)."""
    return (request.code_hash, request.first_half_hash, request.second_half_hash) == (None,) * 3


async def invalid_message(service: DeviceLinkService, code: str) -> str:
    with pytest.raises(InvalidLinkCodeError) as excinfo:
        await service.approve_link(code)
    return str(excinfo.value)
