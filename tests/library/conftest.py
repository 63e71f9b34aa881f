"""Fixtures for the offline study library: the shipped study.sqlite, and the SWORD modules
it is built from (tests that need those skip when the Debian packages are not installed)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

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


def missing_modules(root: Path = SWORD_ROOT) -> list[str]:
    """The Debian packages whose module (conf and data) is not under `root`."""
    return [
        m.package
        for m in MODULES
        if not (root / "mods.d" / m.conf).is_file() or not module_path(m, root).parent.is_dir()
    ]


@pytest.fixture(scope="session")
def sword_root():
    missing = missing_modules()
    if missing:
        pytest.skip(
            f"SWORD modules not installed under {SWORD_ROOT} (apt-get install "
            f"{' '.join(missing)}); the shipped-data tests still run"
        )
    return SWORD_ROOT
