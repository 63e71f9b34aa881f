"""What the fast Bible commands (`read`, `search`, `translations`) share.

Only the standard library, the settings and the synchronous Bible client: no asyncio,
SQLAlchemy, Textual or anthropic, so each command answers in a few tens of milliseconds.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from verse_tui.bible.sqlite_bible_client import SqliteBibleClient
from verse_tui.config import ConfigError, Settings
from verse_tui.errors import VerseError


def open_bible() -> tuple[SqliteBibleClient, Settings]:
    """The Bible client for the configured database, and the settings it came from."""
    settings = Settings.from_env()
    return SqliteBibleClient(settings.bible_path), settings


def run(command: str, body: Callable[[], int]) -> int:
    """Run a command body; a user-facing error becomes one line on stderr and an exit code."""
    try:
        return body()
    except VerseError as exc:
        print(f"verse {command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except ConfigError as exc:
        print(f"verse {command}: {exc}", file=sys.stderr)
        return 1


def print_json(value: object) -> None:
    import json

    print(json.dumps(value, ensure_ascii=False, indent=2))
