"""`verse devices ...` and `verse whoami` through the entry point: two `$VERSE_HOME`s on one
database (a SQLite file, or PostgreSQL with VERSE_TEST_DATABASE_URL) pair, share their data,
and unlinking cuts access at once."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import make_settings
from tests.support.cli import Verse
from verse_tui.app_factory import build_services
from verse_tui.db.models.chats import Chat
from verse_tui.domain.bible import VerseRange, VerseRef

PSALM_23_1 = VerseRange(VerseRef(19, 23, 1), VerseRef(19, 23, 1))
JOHN_1_1 = VerseRange(VerseRef(43, 1, 1), VerseRef(43, 1, 1))


class Home:
    """One installation: a `$VERSE_HOME` on the shared database, driven through `verse`."""

    def __init__(self, path: Path, url: str) -> None:
        path.mkdir()
        self.path, self.url = path, url
        self.verse = Verse(path, {"VERSE_DATABASE_URL": url})

    @property
    def env(self) -> dict[str, str]:
        return {"VERSE_HOME": str(self.path), "VERSE_DATABASE_URL": self.url}

    def json(self, *argv: str) -> object:
        return self.verse.json(*argv)

    def add_data(self, label: str) -> None:
        async def go() -> None:
            services = await build_services(make_settings(self.path, self.url))
            try:
                await services.users.add_bookmark("KJV", PSALM_23_1, f"{label} bookmark")
                await services.users.add_note("KJV", JOHN_1_1, f"{label} note")
                async with services.context.write() as (session, user_id):
                    now = datetime.now(UTC)
                    session.add(
                        Chat(user_id=user_id, title=f"{label} chat", created_at=now, updated_at=now)
                    )
            finally:
                await services.aclose()

        asyncio.run(go())

    def seen(self) -> dict[str, list[str]]:
        async def go() -> tuple[list[str], list[str]]:
            services = await build_services(make_settings(self.path, self.url))
            try:
                marks = [b.label or "" for b in await services.users.list_bookmarks()]
                notes = [n.text for n in await services.users.list_notes()]
                return sorted(marks), sorted(notes)
            finally:
                await services.aclose()

        marks, notes = asyncio.run(go())
        chats = self.json("chats", "list")
        assert isinstance(chats, list)
        return {"bookmarks": marks, "notes": notes, "chats": sorted(c["title"] for c in chats)}


@pytest.fixture
def homes(tmp_path: Path, database_url: str) -> tuple[Home, Home]:
    """Two installations ("desktop", "laptop") on the test database."""
    return (
        Home(tmp_path / "desktop", database_url),
        Home(tmp_path / "laptop", database_url),
    )


def link_code(home: Home) -> str:
    code, out, err = home.verse("devices", "link", "--no-wait", "--json")
    assert code == 0, err
    return str(json.loads(out)["code"])


def test_two_homes_pair_through_the_cli_and_see_each_others_data(
    homes: tuple[Home, Home],
) -> None:
    desktop, laptop = homes
    desktop.add_data("desktop")
    laptop.add_data("laptop")
    account = desktop.json("whoami")["account_id"]  # type: ignore[index]
    code = link_code(laptop)

    rc, out, _ = desktop.verse("devices", "approve", code.lower(), stdin="y\n")

    assert rc == 0 and "asked to join this account" in out and "Approved" in out
    status = laptop.json("devices", "link", "--status")
    assert status["status"] == "approved" and status["account_id"] == account  # type: ignore[index]
    whoami = laptop.json("whoami")
    assert (whoami["account_id"], whoami["device_count"]) == (account, 2)  # type: ignore[index]
    expected = {
        "bookmarks": ["desktop bookmark", "laptop bookmark"],
        "notes": ["desktop note", "laptop note"],
        "chats": ["desktop chat", "laptop chat"],
    }
    assert desktop.seen() == expected
    assert laptop.seen() == expected
    listed = desktop.json("devices", "list")
    assert [d["this_device"] for d in listed] == [True, False]  # type: ignore[union-attr, index]


def test_unlinking_through_the_cli_cuts_access_at_once(
    homes: tuple[Home, Home],
) -> None:
    desktop, laptop = homes
    desktop.add_data("desktop")
    rc, _, err = desktop.verse("devices", "approve", link_code(laptop), "--yes")
    assert rc == 0, err
    assert laptop.seen()["bookmarks"] == ["desktop bookmark"]
    laptop_id = laptop.json("whoami")["device"]["id"]  # type: ignore[index]

    rc, out, err = desktop.verse("devices", "unlink", str(laptop_id), "--yes")

    assert rc == 0, err
    assert "Unlinked" in out
    assert laptop.seen() == {"bookmarks": [], "notes": [], "chats": []}
    assert laptop.json("whoami")["device_count"] == 1  # type: ignore[index]
    assert desktop.seen()["bookmarks"] == ["desktop bookmark"]


def test_approve_asks_first_and_no_changes_nothing(
    homes: tuple[Home, Home],
) -> None:
    desktop, laptop = homes
    laptop.verse("whoami")
    laptop.verse("devices", "rename", "1", "My laptop")
    code = link_code(laptop)
    rc, out, _ = desktop.verse("devices", "approve", code, stdin="n\n")
    assert rc == 1
    assert "'My laptop' (" in out and "[y/N]" in out and "Not approved" in out
    assert laptop.json("devices", "link", "--status")["status"] == "pending"  # type: ignore[index]


def test_deny_and_bad_codes_through_the_cli(
    homes: tuple[Home, Home],
) -> None:
    desktop, laptop = homes
    code = link_code(laptop)
    rc, out, _ = desktop.verse("devices", "deny", code)
    assert rc == 0 and "Denied" in out
    assert laptop.json("devices", "link", "--status")["status"] == "denied"  # type: ignore[index]
    rc, _, used = desktop.verse("devices", "approve", code, "--yes")
    rc2, _, wrong = desktop.verse("devices", "approve", "BBBB-BBBB", "--yes")
    assert rc == rc2 == 2 and used == wrong and "not valid" in used
    rc, _, err = desktop.verse("devices", "approve", "12")
    assert rc == 2 and "8 letters" in err


def test_usage_errors_and_refusals_say_what_to_do(
    homes: tuple[Home, Home],
) -> None:
    desktop, _ = homes
    rc, _, err = desktop.verse("devices")
    assert rc == 2 and "say what to do" in err
    rc, _, err = desktop.verse("devices", "unlink", "one")
    assert rc == 2 and "a device ID is a whole number" in err
    rc, _, err = desktop.verse("devices", "unlink", "1", "--yes")
    assert rc == 2 and "only device" in err
    rc, _, err = desktop.verse("whoami", "extra")
    assert rc == 2 and "no arguments" in err
    rc, out, _ = desktop.verse("whoami")
    assert rc == 0 and "this device only" in out


@pytest.mark.parametrize(
    ("answer", "status", "exit_code"), [("approve", "approved", 0), ("deny", "denied", 1)]
)
def test_link_waits_and_reports_the_outcome(
    homes: tuple[Home, Home],
    answer: str,
    status: str,
    exit_code: int,
) -> None:
    desktop, laptop = homes
    desktop.verse("whoami")
    waiting = subprocess.Popen(
        [sys.executable, "-m", "verse_tui", "devices", "link", "--json"],
        env={**os.environ, **laptop.env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert waiting.stdout is not None
        first = json.loads(waiting.stdout.readline())
        rc, _, err = desktop.verse("devices", answer, first["code"], "--yes")
        assert rc == 0, err
        out, err = waiting.communicate(timeout=60)
    finally:
        waiting.kill()
    assert waiting.returncode == exit_code, err
    assert json.loads(out.strip().splitlines()[-1])["status"] == status
    assert "Waiting for approval" in err
