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


BAD_CONFIGS = [
    (b'translation = "WEB"\xff\n', "not UTF-8 text"),
    (b"database_url = 3\n", "database_url in"),
    (b'database_url = "not a url"\n', "is not a URL"),
    (b'database_url = "mysql://me:pw@host/db"\n', "'mysql' URL"),
    (b'model = ["a"]\n', "model in"),
    (b"translation = [\n", "Cannot read"),
]


@pytest.mark.parametrize(("content", "message"), BAD_CONFIGS)
def test_a_bad_config_names_the_key_and_offline_commands_go_on(
    tmp_path, monkeypatch, capsys, content: bytes, message: str
) -> None:
    from verse_tui.__main__ import main

    for name in [n for n in os.environ if n.startswith(("VERSE_", "ANTHROPIC_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("VERSE_HOME", str(tmp_path))
    (tmp_path / "config.toml").write_bytes(content)
    with pytest.raises(ConfigError, match=message):
        Settings.from_env()
    assert main(["chats", "list"]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and "pw" not in err
    assert main(["read", "John 3:16"]) == 0  # `verse read` needs none of it: a warning
    out, err = capsys.readouterr()
    assert out.startswith("John 3:16") and "warning" in err and "pw" not in err


def test_database_urls_are_checked_and_get_the_async_driver(tmp_path) -> None:
    env = {"VERSE_HOME": str(tmp_path)}
    url = Settings.from_env(env | {"VERSE_DATABASE_URL": "sqlite:////tmp/x.sqlite"}).database_url
    assert url == "sqlite+aiosqlite:////tmp/x.sqlite"
    url = Settings.from_env(env | {"VERSE_DATABASE_URL": "postgresql://me@db/verse"}).database_url
    assert url == "postgresql+asyncpg://me@db/verse"
    with pytest.raises(ConfigError, match="VERSE_DATABASE_URL is not a URL"):
        Settings.from_env(env | {"VERSE_DATABASE_URL": "foo"})
    offline = Settings.from_env(env | {"VERSE_DATABASE_URL": "foo"}, offline=True)
    assert offline.database_url.startswith("sqlite+aiosqlite:///")
    assert any("VERSE_DATABASE_URL" in w for w in offline.warnings)


def test_unknown_keys_warn_with_the_closest_known_key(tmp_path) -> None:
    (tmp_path / "config.toml").write_text('translaton = "WEB"\ncolour = "red"\n')
    settings = Settings.from_env({"VERSE_HOME": str(tmp_path)})
    assert settings.translation == "KJV"
    first, second = settings.warnings
    assert "'translaton'" in first and "Did you mean translation?" in first
    assert "'colour'" in second and "Known keys: api_key" in second


def test_price_overrides_come_from_config_toml_and_bad_ones_are_clear(tmp_path) -> None:
    from verse_tui.llm.pricing import PriceTableError, settings_prices

    (tmp_path / "config.toml").write_text(
        '[prices."claude-test"]\ninput = 3.0\noutput = 15.0\ncache_write = 3.75\ncache_read = 0.3\n'
    )
    settings = Settings.from_env({"VERSE_HOME": str(tmp_path)})
    assert settings.warnings == () and hash(settings)
    table = settings_prices(settings.prices)
    assert table["claude-test"].cache_read == 0.3
    (tmp_path / "config.toml").write_text('[prices."claude-test"]\ninput = "cheap"\n')
    with pytest.raises(PriceTableError, match=r"claude-test.* is a new model: give all"):
        settings_prices(Settings.from_env({"VERSE_HOME": str(tmp_path)}).prices)
    (tmp_path / "config.toml").write_text('prices = "none"\n')
    with pytest.raises(ConfigError, match=r"prices in .* must be tables"):
        Settings.from_env({"VERSE_HOME": str(tmp_path)})


def test_a_bad_price_table_stops_only_the_commands_that_price_replies(tmp_path) -> None:
    from tests.support.cli import Verse

    (tmp_path / "config.toml").write_text('[prices."claude-test"]\ninput = "cheap"\n')
    verse = Verse(tmp_path)
    assert verse("whoami").returncode == 0
    assert verse("chats", "list").returncode == 0
    shown = verse("chats", "show", "1")
    assert shown.returncode == 2 and 'prices."claude-test" is a new model' in shown.stderr
    assert "Traceback" not in shown.stderr
