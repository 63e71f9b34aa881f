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
    VERSE_DEBUG         1: a command's unexpected error shows its traceback (else crash.log)

config.toml ($VERSE_HOME) may set database_url, bible_db, model, translation and api_key;
they are checked in `config_values.py`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from verse_tui.config_values import ConfigProblems, env_value, file_strings
from verse_tui.config_values import database_url as database_url_for
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


def _read_config_file(path: Path) -> dict[str, object]:
    if not path.is_file():
        return {}
    import tomllib

    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        why = "it is not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else str(exc)
        raise ConfigError(f"Cannot read {path}: {why}. Fix or delete the file.") from exc
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
    warnings: tuple[str, ...] = ()
    # config.toml's [prices."<model id>"] tables, as (model, ((field, value), ...)) pairs;
    # checked and applied by `verse_tui.llm.pricing.settings_prices`.
    prices: tuple[tuple[str, object], ...] = ()

    @property
    def credential_path(self) -> Path:
        """The 0600 file holding this installation's device credential."""
        return self.home / "device.key"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, *, offline: bool = False
    ) -> Settings:
        """The settings from the environment and config.toml, checked once.

        A bad value raises ConfigError naming the key and the file (or variable), all
        problems at once; unknown keys become `warnings` for the caller to show. `offline`
        (`verse read`, `search`, `translations`): problems with keys those commands do not
        use (and an unreadable file) become warnings too, and the defaults stand in.
        """
        env = os.environ if environ is None else environ
        home = default_home(env)
        path = home / CONFIG_FILE_NAME
        problems = ConfigProblems()
        try:
            raw = _read_config_file(path)
        except ConfigError as exc:
            if not offline:
                raise
            problems.warnings.append(f"{exc} Going on with the default settings.")
            raw = {}
        values = file_strings(path, raw, problems)
        url_source, url = (
            "VERSE_DATABASE_URL",
            env_value(env, "VERSE_DATABASE_URL", "database_url", problems),
        )
        if not url and values.get("database_url"):
            url_source, url = f"database_url in {path}", values["database_url"]
        database_url = (database_url_for(url, url_source, problems) if url else None) or (
            f"sqlite+aiosqlite:///{home / USER_DB_NAME}"
        )
        bible_override = env_value(env, "VERSE_BIBLE_DB", "bible_db", problems) or values.get(
            "bible_db"
        )
        api_key = env_value(env, "ANTHROPIC_API_KEY", "api_key", problems) or _file_api_key(
            path, values, problems
        )
        model = env_value(env, "VERSE_MODEL", "model", problems) or values.get("model")
        translation = env_value(env, "VERSE_TRANSLATION", "translation", problems) or values.get(
            "translation"
        )
        fatal = problems.fatal(offline)
        if fatal:
            raise ConfigError("\n".join([*fatal, *problems.warnings]))
        return cls(
            home=home,
            database_url=database_url,
            bible_path=(
                Path(bible_override).expanduser()
                if bible_override
                else shipped_data_dir() / BIBLE_DB_NAME
            ),
            model=model or DEFAULT_MODEL,
            translation=(translation or DEFAULT_TRANSLATION).strip().upper(),
            api_key=api_key or None,
            base_url=env.get("ANTHROPIC_BASE_URL") or None,
            config_file=path,
            warnings=(*problems.warnings, *problems.ignored(offline)),
            prices=_price_tables(path, raw.get("prices"), problems, offline),
        )


def _price_tables(
    path: Path, value: object, problems: ConfigProblems, offline: bool
) -> tuple[tuple[str, object], ...]:
    """The [prices] tables, each model's fields frozen as pairs (Settings is hashable)."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        message = f'prices in {path} must be tables such as [prices."claude-x"] input = 3.0.'
        if offline:
            problems.warnings.append(message)
        else:
            raise ConfigError(message)
        return ()
    return tuple(
        (str(model), tuple(fields.items()) if isinstance(fields, dict) else fields)
        for model, fields in value.items()
    )


def _file_api_key(path: Path, values: Mapping[str, str], problems: ConfigProblems) -> str | None:
    """The API key from config.toml, only if the file is private (mode 0600 or stricter)."""
    key = values.get("api_key")
    if not key:
        return None
    if os.name == "posix" and path.stat().st_mode & 0o077:
        problems.add(
            "api_key", f"{path} holds an API key but others can read it. Run: chmod 600 {path}"
        )
        return None
    return key
