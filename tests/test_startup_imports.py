"""Opening the library loads only what a command uses (issue 10, item 3): `verse whoami`,
`verse devices list` and `verse chats list` on an existing library import neither the
Claude client nor the chat streaming, citation check, local tools, price table, insights,
definitions or study library, nor Alembic (the schema is at head) or asyncpg (SQLite);
`chats list` not the pairing service either, and `whoami` no chat module.
Each runs in a fresh interpreter (`heavy_imports`), as `verse` starts."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.support.cli import heavy_imports
from verse_tui.app_factory import build_services
from verse_tui.config import Settings

NOT_FOR_ANY = (
    "anthropic",
    "alembic",
    "asyncpg",
    "verse_tui.llm",  # the Claude client, prompts, price table, tool definitions
    "verse_tui.services.chats",
    "verse_tui.services.stream_persistence",
    "verse_tui.services.reply_stream",
    "verse_tui.services.chat_reply_rows",
    "verse_tui.services.chat_records",
    "verse_tui.services.chat_cost",
    "verse_tui.services.citing",
    "verse_tui.bible.citations",
    "verse_tui.services.tools",
    "verse_tui.services.tool_rounds",
    "verse_tui.services.insights",
    "verse_tui.services.definitions",
    "verse_tui.services.study_library",
    "verse_tui.db.models.study",
)
# With no pairing code lapsed and no failed look-up recorded, start-up builds no pairing.
NOT_FOR_LISTING = (
    *NOT_FOR_ANY,
    "verse_tui.services.device_link",
    "verse_tui.db.models.device_links",
)
NOT_FOR_DEVICES = (*NOT_FOR_ANY, "verse_tui.services.chat_list", "verse_tui.db.models.chats")


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home whose library exists (migrated to head) and holds one chat."""
    home = tmp_path_factory.mktemp("home")

    async def create() -> None:
        services = await build_services(Settings.from_env({"VERSE_HOME": str(home)}))
        try:
            await services.chats.create_standalone_chat("Psalms of ascent")
        finally:
            await services.aclose()

    asyncio.run(create())
    return home


@pytest.mark.parametrize("args", [["chats", "list"], ["chats", "list", "--json"]])
def test_listing_chats_loads_no_streaming_citations_tools_or_prices(library, args) -> None:
    assert heavy_imports(library, args, NOT_FOR_LISTING) == {"code": 0, "heavy": []}


@pytest.mark.parametrize("args", [["whoami"], ["whoami", "--json"], ["devices", "list"]])
def test_whoami_and_devices_list_load_no_chat_module(library, args) -> None:
    assert heavy_imports(library, args, NOT_FOR_DEVICES) == {"code": 0, "heavy": []}


def test_the_probe_sees_what_a_command_loads(library) -> None:
    """The check can fail: `chats show` needs the chat service and the price table."""
    report = heavy_imports(library, ["chats", "show", "1"], NOT_FOR_LISTING)
    assert report["code"] == 0
    assert {"verse_tui.services.chats", "verse_tui.llm"} <= set(report["heavy"])
