"""Fixtures for the Bible tests: the shipped text database, opened once."""

from __future__ import annotations

import pytest

from verse_tui.bible.sqlite_bible_client import SqliteBibleClient
from verse_tui.config import BIBLE_DB_NAME, shipped_data_dir


@pytest.fixture(scope="session")
def bible_path():
    path = shipped_data_dir() / BIBLE_DB_NAME
    assert path.is_file(), f"{path} is missing: run python -m verse_tui.bible.build"
    return path


@pytest.fixture(scope="session")
def bible(bible_path) -> SqliteBibleClient:
    client = SqliteBibleClient(bible_path)
    yield client
    client.close()
