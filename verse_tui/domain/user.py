"""Account types: the user's profile and preferences, reading position, bookmarks,
highlights and notes. Frozen dataclasses; services return these, never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from verse_tui.domain.bible import VerseRange, VerseRef

HIGHLIGHT_COLORS: tuple[str, ...] = ("yellow", "green", "blue", "pink", "purple")
DEFAULT_THEME = "textual-dark"


@dataclass(frozen=True, slots=True)
class Preferences:
    translation: str  # "KJV"
    theme: str  # a Textual theme name, e.g. "textual-dark"
    parallel_translation: str | None = None  # shown side by side when set
    study_panel: bool = False  # the reader's study panel stands beside the text


@dataclass(frozen=True, slots=True)
class UserProfile:
    user_id: int
    display_name: str
    created_at: datetime
    preferences: Preferences
    device_id: int  # the device making the call
    device_name: str


@dataclass(frozen=True, slots=True)
class ReadingPosition:
    translation: str
    ref: VerseRef
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Bookmark:
    id: int
    translation: str
    range: VerseRange
    label: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Highlight:
    id: int
    translation: str
    range: VerseRange
    color: str  # one of HIGHLIGHT_COLORS
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Note:
    id: int
    translation: str
    range: VerseRange
    text: str
    created_at: datetime
    updated_at: datetime
