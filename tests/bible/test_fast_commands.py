"""The reading commands stay fast: they never import asyncio, SQLAlchemy, Textual or anthropic."""

from __future__ import annotations

import pytest

from tests.support.cli import heavy_imports

HEAVY = ("asyncio", "sqlalchemy", "textual", "anthropic", "aiosqlite", "alembic")


@pytest.mark.parametrize(
    "args",
    [
        ["read", "John 3:16"],
        ["read", "John 3:16", "--json"],
        ["search", "faith", "--book", "John"],
        ["search", "faith", "--json"],
        ["translations"],
        ["read", "John 99:1"],
        ["read", "Genesis 1 - Deuteronomy 34", "--json"],
        ["search", "a*"],
    ],
)
def test_fast_commands_import_nothing_heavy(args, tmp_path) -> None:
    report = heavy_imports(tmp_path, args, HEAVY)
    assert report["heavy"] == []
    assert report["code"] == (2 if {"John 99:1", "a*"} & set(args) else 0)
