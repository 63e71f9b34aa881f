"""The device credential file: created once and atomically, kept private, damage refused."""

from __future__ import annotations

import os
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from verse_tui.services.credential import (
    IdentityError,
    _load_or_create_credential,
    load_or_create_credential,
)


async def test_the_credential_is_created_once_and_then_read_back(tmp_path: Path) -> None:
    path = tmp_path / "home" / "device.key"
    first, created = await load_or_create_credential(path)
    again, created_again = await load_or_create_credential(path)
    assert (created, created_again) == (True, False)
    assert first == again and len(first.secret) >= 22
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert first.secret not in repr(first)


def test_concurrent_first_runs_agree_on_one_credential(tmp_path: Path) -> None:
    path = tmp_path / "device.key"
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: _load_or_create_credential(path), range(16)))
    assert len({credential.secret for credential, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["device.key"]  # no temp files left


async def test_a_credential_file_readable_by_others_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "device.key"
    await load_or_create_credential(path)
    path.chmod(0o644)
    await load_or_create_credential(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


async def test_a_damaged_credential_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "device.key"
    path.write_text("short\n")
    with pytest.raises(IdentityError, match=r"is damaged\. Delete it"):
        await load_or_create_credential(path)
    assert path.read_text() == "short\n"
