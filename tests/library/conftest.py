"""Fixtures for the offline study library: the shipped study.sqlite, and the SWORD modules
it is built from (tests that need those skip when the Debian packages are not installed)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from verse_tui.bible.sqlite_study_client import SqliteStudyClient, study_db_path
from verse_tui.bible.study_sources import MODULES, module_path
from verse_tui.bible.sword import SWORD_ROOT


@pytest.fixture(scope="session")
def study() -> Iterator[SqliteStudyClient]:
    client = SqliteStudyClient(study_db_path({}))
    yield client
    client.close()


@pytest.fixture(scope="session")
def study_db() -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(f"{study_db_path({}).resolve().as_uri()}?mode=ro", uri=True)
    yield db
    db.close()


def _missing_modules() -> list[str]:
    return [m.package for m in MODULES if not module_path(m).parent.exists()]


@pytest.fixture(scope="session")
def sword_root():
    missing = _missing_modules()
    if missing:
        pytest.skip(
            f"SWORD modules not installed under {SWORD_ROOT} (apt-get install "
            f"{' '.join(missing)}); the shipped-data tests still run"
        )
    return SWORD_ROOT
