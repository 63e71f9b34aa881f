"""Checking the raw settings (config.toml and the environment) once, before they are used.

Each bad value becomes one message naming the key (and the file or the variable) and what
to write instead; an unknown key in the file becomes a warning with the closest known key.
`verse read`, `search` and `translations` need only `translation` and `bible_db`: a problem
with any other key is a warning for them, not a failure (see `Settings.from_env`).
Standard library only: the fast `verse read` path imports this.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from verse_tui.domain.text import echo

KNOWN_KEYS = ("api_key", "bible_db", "database_url", "model", "translation")
TABLE_KEYS = ("prices",)  # [prices."<model id>"] tables: see verse_tui.llm.pricing
OFFLINE_KEYS = frozenset({"bible_db", "translation"})  # all `verse read` and `search` use
_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}
_TOML_KINDS = {
    "int": "a number",
    "float": "a number",
    "bool": "true or false",
    "list": "a list",
    "dict": "a table",
}
URL_EXAMPLES = "sqlite+aiosqlite:///PATH or postgresql+asyncpg://USER@HOST/DATABASE"


class ConfigProblems:
    """The problems found so far: (key, message) pairs, and warnings that stop nothing."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []
        self.warnings: list[str] = []

    def add(self, key: str, message: str) -> None:
        self.errors.append((key, message))

    def fatal(self, offline: bool) -> list[str]:
        """The messages that stop this command (offline: only keys the Bible text needs)."""
        return [m for key, m in self.errors if not offline or key in OFFLINE_KEYS]

    def ignored(self, offline: bool) -> list[str]:
        """Warnings for the problems an offline command can go on without."""
        if not offline:
            return []
        return [
            f"{m} (`verse read`, `search` and `translations` go on without it.)"
            for key, m in self.errors
            if key not in OFFLINE_KEYS
        ]


def file_strings(path: Path, values: dict[str, object], problems: ConfigProblems) -> dict[str, str]:
    """The file's known keys whose values are strings; other types and unknown keys are
    reported (`model = ["a"]` must not quietly become the model "['a']")."""
    strings: dict[str, str] = {}
    for key, value in values.items():
        if key in TABLE_KEYS:
            continue  # read by their own code (`prices`: config.price_overrides)
        if key not in KNOWN_KEYS:
            problems.warnings.append(_unknown_key(path, key))
        elif not isinstance(value, str):
            kind = _TOML_KINDS.get(type(value).__name__, "date or time")
            problems.add(
                key, f'{key} in {path} must be text in quotes, like {key} = "...", not {kind}.'
            )
        elif not _encodable(value):
            problems.add(key, f"{key} in {path} holds characters that are not valid text.")
        else:
            strings[key] = value
    return strings


def _unknown_key(path: Path, key: str) -> str:
    import difflib  # only when a key is unknown: not on the fast path otherwise

    close = difflib.get_close_matches(key, KNOWN_KEYS, n=1, cutoff=0.6)
    hint = f" Did you mean {close[0]}?" if close else f" Known keys: {', '.join(KNOWN_KEYS)}."
    return f"{path}: unknown setting {echo(key)} is ignored.{hint}"


def env_value(env: Mapping[str, str], name: str, key: str, problems: ConfigProblems) -> str:
    """The environment variable `name` (for setting `key`), or "" when unset or unusable."""
    value = env.get(name) or ""
    if value and not _encodable(value):
        problems.add(key, f"{name} holds bytes that are not valid text; set it again.")
        return ""
    return value


def database_url(raw: str, source: str, problems: ConfigProblems) -> str | None:
    """`raw` with the async driver Verse uses (`sqlite:///x` -> `sqlite+aiosqlite:///x`,
    `postgresql://...` -> `postgresql+asyncpg://...`), or None after reporting a problem.
    The URL itself is never echoed: it may hold a password."""
    scheme, sep, rest = raw.strip().partition("://")
    driver = _DRIVERS.get(scheme.lower()) if sep else None
    if driver is None:
        what = f"a {clip_scheme(scheme)} URL" if sep else "not a URL"
        problems.add(
            "database_url",
            f"{source} is {what}; Verse stores its data in SQLite or PostgreSQL: use "
            f"{URL_EXAMPLES}.",
        )
        return None
    if not rest.strip("/"):
        problems.add("database_url", f"{source} names no database; use {URL_EXAMPLES}.")
        return None
    return f"{driver}://{rest}"


def clip_scheme(scheme: str) -> str:
    return echo(scheme, limit=20)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
