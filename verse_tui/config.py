"""Settings and paths, read from the environment and an optional config file.

Only the standard library is imported here (plus platformdirs, lazily), because the
fast CLI path (`verse read`, `verse search`) reads its settings from this module.

Environment variables:
    VERSE_HOME          folder for all local state (default: the platformdirs user data dir)
    VERSE_DATABASE_URL  SQLAlchemy URL of the user database (default: SQLite in VERSE_HOME)
    VERSE_BIBLE_DB      path of the Bible text database (default: the one shipped in the package)
    VERSE_STUDY_DB      path of the study library, study.sqlite (read by sqlite_study_client.py)
    VERSE_MODEL         Claude model id
    VERSE_TRANSLATION   default translation code for the CLI
    ANTHROPIC_API_KEY   the API key (or `api_key` in VERSE_HOME/config.toml, mode 0600)
    ANTHROPIC_BASE_URL  honoured by the LLM client
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from verse_tui.domain.record import frozen_record

APP_NAME = "verse"
DEFAULT_TRANSLATION = "KJV"
DEFAULT_MODEL = "claude-sonnet-5-5"
CONFIG_FILE_NAME = "config.toml"
USER_DB_NAME = "verse.sqlite"
BIBLE_DB_NAME = "bible.sqlite"


class ConfigError(Exception):
    """The configuration cannot be used; the message says what to fix."""


def default_home(environ: Mapping[str, str] | None = None) -> Path:
    """The folder for local state: `$VERSE_HOME`, else the platformdirs user data dir."""
    env = os.environ if environ is None else environ
    if env.get("VERSE_HOME"):
        return Path(env["VERSE_HOME"]).expanduser()
    if sys.platform.startswith("linux"):
        # What platformdirs answers on Linux, without its import cost (~5 ms of `verse read`).
        xdg = env.get("XDG_DATA_HOME", "").strip()
        base = Path(xdg) if xdg else Path.home() / ".local" / "share"
        return base / APP_NAME
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def shipped_data_dir() -> Path:
    """The folder holding the shipped data files (Bible text, glossary).

    In an installed wheel the files sit in `verse_tui/_data`; in a source checkout
    (editable install) they sit in the top-level `data/` folder.
    """
    package_dir = Path(__file__).resolve().parent
    installed = package_dir / "_data"
    if installed.is_dir():
        return installed
    return package_dir.parent / "data"


def _read_config_file(home: Path) -> dict[str, object]:
    path = home / CONFIG_FILE_NAME
    if not path.is_file():
        return {}
    import tomllib

    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"Cannot read {path}: {exc}. Fix or delete the file.") from exc
    return data


@frozen_record
class Settings:
    """Everything the app factory needs to build the app; built once per process.

    A `frozen_record` rather than a dataclass: it is read on the fast `verse read` path.
    """

    __record_hidden__ = ("api_key",)

    home: Path
    database_url: str
    bible_path: Path
    model: str = DEFAULT_MODEL
    translation: str = DEFAULT_TRANSLATION
    api_key: str | None = None
    base_url: str | None = None
    config_file: Path | None = None

    @property
    def credential_path(self) -> Path:
        """The 0600 file holding this installation's device credential."""
        return self.home / "device.key"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        home = default_home(env)
        file_values = _read_config_file(home)
        database_url = env.get("VERSE_DATABASE_URL") or str(
            file_values.get("database_url") or f"sqlite+aiosqlite:///{home / USER_DB_NAME}"
        )
        bible_override = env.get("VERSE_BIBLE_DB") or file_values.get("bible_db")
        bible_path = (
            Path(str(bible_override)).expanduser()
            if bible_override
            else shipped_data_dir() / BIBLE_DB_NAME
        )
        api_key = env.get("ANTHROPIC_API_KEY") or _file_api_key(home, file_values)
        return cls(
            home=home,
            database_url=database_url,
            bible_path=bible_path,
            model=env.get("VERSE_MODEL") or str(file_values.get("model") or DEFAULT_MODEL),
            translation=(
                env.get("VERSE_TRANSLATION")
                or str(file_values.get("translation") or DEFAULT_TRANSLATION)
            ).upper(),
            api_key=api_key or None,
            base_url=env.get("ANTHROPIC_BASE_URL") or None,
            config_file=home / CONFIG_FILE_NAME,
        )


def _file_api_key(home: Path, values: Mapping[str, object]) -> str | None:
    """The API key from config.toml, only if the file is private (mode 0600 or stricter)."""
    key = values.get("api_key")
    if not key:
        return None
    path = home / CONFIG_FILE_NAME
    if os.name == "posix" and path.stat().st_mode & 0o077:
        raise ConfigError(f"{path} holds an API key but others can read it. Run: chmod 600 {path}")
    return str(key)
