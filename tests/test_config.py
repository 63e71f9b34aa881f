"""Settings and the frozen records used on the fast `verse read` path."""

from __future__ import annotations

import os

import pytest
from platformdirs import user_data_dir

from verse_tui.config import ConfigError, Settings, default_home
from verse_tui.domain.bible import Verse, VerseRef


def test_default_home_matches_platformdirs_without_importing_it() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("VERSE_HOME", "XDG_DATA_HOME")}
    assert str(default_home(env)) == user_data_dir("verse", appauthor=False)


def test_verse_home_and_database_url_overrides(tmp_path) -> None:
    env = {"VERSE_HOME": str(tmp_path), "VERSE_DATABASE_URL": "sqlite+aiosqlite:///x.db"}
    settings = Settings.from_env(env)
    assert settings.home == tmp_path
    assert settings.database_url == "sqlite+aiosqlite:///x.db"
    assert settings.credential_path == tmp_path / "device.key"


def test_api_key_never_in_repr(tmp_path) -> None:
    settings = Settings.from_env({"VERSE_HOME": str(tmp_path), "ANTHROPIC_API_KEY": "sk-secret"})
    assert settings.api_key == "sk-secret"
    assert "sk-secret" not in repr(settings)


def test_config_file_key_must_be_private(tmp_path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('api_key = "sk-file"\nmodel = "claude-haiku-5-5"\n')
    config.chmod(0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        Settings.from_env({"VERSE_HOME": str(tmp_path)})
    config.chmod(0o600)
    settings = Settings.from_env({"VERSE_HOME": str(tmp_path)})
    assert (settings.api_key, settings.model) == ("sk-file", "claude-haiku-5-5")


def test_records_are_frozen_ordered_and_hashable() -> None:
    ref = VerseRef(43, 3, 16)
    assert ref == VerseRef(book=43, chapter=3, verse=16)
    assert ref < VerseRef(43, 3, 17) and VerseRef(44, 1, 1) > ref
    assert len({ref, VerseRef(43, 3, 16)}) == 1
    with pytest.raises(AttributeError):
        ref.verse = 17  # type: ignore[misc]
    with pytest.raises(TypeError, match="missing"):
        VerseRef(43, 3)  # type: ignore[call-arg]
    verse = Verse(ref, "John.3.16", "God [so] loved")
    assert verse.omitted is False and verse.plain_text == "God so loved"
