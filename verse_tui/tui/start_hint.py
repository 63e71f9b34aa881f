"""Where the reader was when it last closed, kept next to the user database as a start-up hint.

The user database (reading position and preferences) stays the authority, but opening it
means importing SQLAlchemy and running migrations, which happens after the first paint. This
small file lets the very first frame show the chapter, translation and theme the user left,
instead of John 1 in the default theme followed by a jump. If the database says otherwise
once it is open (another device, `verse` commands), the reader moves there.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from verse_tui.domain.bible import VerseRef
from verse_tui.private_files import make_private_folder

HINT_FILE = "reader-start.json"


@dataclass(frozen=True, slots=True)
class StartHint:
    translation: str
    ref: VerseRef
    theme: str | None = None
    parallel_translation: str | None = None


def read_hint(home: Path) -> StartHint | None:
    """The saved hint, or None when there is none or it cannot be used (it is only a hint)."""
    try:
        data = json.loads((home / HINT_FILE).read_text(encoding="utf-8"))
        ref = VerseRef(*(int(part) for part in data["ref"]))
        hint = StartHint(
            translation=str(data["translation"]),
            ref=ref,
            theme=_optional_text(data.get("theme")),
            parallel_translation=_optional_text(data.get("parallel_translation")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return hint


def _optional_text(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


def write_hint(home: Path, hint: StartHint) -> None:
    """Save the hint atomically (a crash mid-write leaves the previous one)."""
    data = {
        "translation": hint.translation,
        "ref": [hint.ref.book, hint.ref.chapter, hint.ref.verse],
        "theme": hint.theme,
        "parallel_translation": hint.parallel_translation,
    }
    make_private_folder(home)
    temporary = home / f".{HINT_FILE}.tmp"
    temporary.write_text(json.dumps(data), encoding="utf-8")
    os.replace(temporary, home / HINT_FILE)
