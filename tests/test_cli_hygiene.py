"""What a hostile or careless user can type at `verse`: escape sequences never reach the
terminal, out-of-range or odd ids exit 2, undecodable argv is refused, an unexpected error
prints no traceback and no secret, and echoed input is capped. Through the entry point,
in-process, with the fake Anthropic server at the network edge."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import Verse
from tests.support.fake_anthropic import FAKE_API_KEY, FakeAnthropic, Reply
from verse_tui.domain.text import clip, terminal_safe

ESCAPES = "T\x1b]0;pwned\x07\x1b[31mRED\x9b2J\x7f"
RAW = ("\x1b", "\x07", "\x9b", "\x7f")


@pytest.fixture
def server() -> Iterator[FakeAnthropic]:
    with FakeAnthropic.in_thread() as running:
        yield running


@pytest.fixture
def verse(tmp_path: Path) -> Verse:
    return Verse(tmp_path / "home")


@pytest.fixture
def online(verse: Verse, server: FakeAnthropic) -> Verse:
    return Verse(verse.home, {"ANTHROPIC_BASE_URL": server.url, "ANTHROPIC_API_KEY": FAKE_API_KEY})


def assert_safe(*texts: str) -> None:
    for text in texts:
        assert not any(c in text for c in RAW), text


def test_terminal_safe_shows_controls_as_pictures() -> None:
    assert terminal_safe("a\x1b[2Jb") == "a\u241b[2Jb"
    assert terminal_safe("\x9b31m") == "\u241b[31m"  # C1 CSI is shown as ESC [
    assert terminal_safe("bell\x07 del\x7f") == "bell\u2407 del\u2421"
    assert terminal_safe("two\nlines\tand\r\n", multiline=True) == "two\nlines\tand\n"
    assert terminal_safe("two\nlines") == "two\u240alines"
    assert terminal_safe("\udcff") == "\ufffd"
    assert terminal_safe(terminal_safe(ESCAPES)) == terminal_safe(ESCAPES)
    assert clip("x" * 100_000) == "x" * 59 + "…"


def test_titles_replies_and_echoes_reach_the_terminal_escaped(
    online: Verse, server: FakeAnthropic
) -> None:
    verse = online
    server.enqueue(Reply(chunks=("Copied \x1b]52;c;cHduZWQ=", "\x07 done")))
    code, out, err = verse("chat", f"Who {ESCAPES}?")
    assert code == 0, err
    assert_safe(out, err)
    assert "Copied \u241b]52;c;cHduZWQ=\u2407 done" in out
    code, out, err = verse("chats", "list")
    assert_safe(out, err)
    assert "Who T\u241b]0;pwned\u2407\u241b[31mRED\u241b[2J\u2421?" in out
    assert verse("chats", "rename", "1", ESCAPES)[0] == 0
    for args in (("chats", "list"), ("chats", "show", "1")):
        code, out, err = verse(*args)
        assert code == 0 and "\u241b]0;pwned" in out
        assert_safe(out, err)
    # JSON keeps the text as typed, escaped so that it is safe on a terminal too
    code, out, _ = verse("chats", "show", "1", "--json")
    assert_safe(out)
    shown = json.loads(out)
    assert shown["title"] == ESCAPES
    assert shown["messages"][1]["text"] == "Copied \x1b]52;c;cHduZWQ=\x07 done"


def test_device_names_and_echoed_input_are_escaped(
    verse: Verse, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = verse("read", "\x1b[2J")
    assert code == 2 and "\u241b[2J" in err
    assert_safe(out, err)
    # the first run names the device after the host (renaming refuses control characters)
    monkeypatch.setattr("socket.gethostname", lambda: ESCAPES)
    for args in (("devices", "list"), ("whoami",), ("devices", "frob\x1b[2J")):
        code, out, err = verse(*args)
        assert_safe(out, err)
        assert "\u241b" in out + err
    assert verse.json("whoami")["device"]["name"] == ESCAPES  # type: ignore[index]


BAD_NUMBERS = ("99999999999999999999", "2147483648", "\u00b2", "\u0663", "0", "-1", "1e3")


@pytest.mark.parametrize("number", BAD_NUMBERS)
@pytest.mark.parametrize(
    "args",
    [
        ("chats", "show", "{}"),
        ("chats", "delete", "{}"),
        ("chats", "rename", "{}", "Title"),
        ("chat", "--chat", "{}", "hello"),
        ("devices", "unlink", "{}", "--yes"),
        ("devices", "rename", "{}", "Name"),
        ("words", "remove", "{}"),
        ("search", "faith", "--limit", "{}"),
        ("chat", "--max-tokens", "{}", "hello"),
    ],
)
def test_ids_and_numbers_are_range_checked(verse: Verse, args: tuple[str, ...], number) -> None:
    code, out, err = verse(*(a.replace("{}", number) for a in args))
    assert code == 2, err
    assert out == "" and "Traceback" not in err
    assert any(s in err for s in ("whole number", "must be from 1 to", "unknown option -1"))


def test_search_offset_and_limit_bounds(verse: Verse) -> None:
    assert verse("search", "faith", "--offset", "99999999999999999999")[0] == 2
    assert verse("search", "faith", "--limit", "1001")[0] == 2
    code, out, _ = verse("search", "faith", "--offset", "100000")
    assert code == 0 and "No verses" not in out  # the total is shown, the page is empty


def test_undecodable_argv_is_refused_before_anything_is_stored(verse: Verse) -> None:
    code, out, err = verse("chat", "\udcff\udcfe")
    assert code == 2 and out == ""
    assert "not valid text" in err and "\ufffd" in err
    assert verse.json("chats", "list") == []


def test_an_unexpected_error_prints_no_traceback_and_no_secret(
    verse: Verse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from verse_tui.cli import chats

    def broken(*_args: object) -> object:
        raise RuntimeError("credential_hash=a3735161014c5616 in the parameters")

    monkeypatch.setattr(chats, "run_with_services", broken)
    code, out, err = verse("chats", "list")
    assert code == 1 and out == ""
    assert "RuntimeError" in err and "bug" in err and "VERSE_DEBUG=1" in err
    assert "a3735161014c5616" not in err and "Traceback" not in err
    log = tmp_path / "home" / "crash.log"
    assert "Traceback" in log.read_text() and str(log) in err
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    with pytest.raises(RuntimeError):
        verse("chats", "list", VERSE_DEBUG="1")


async def test_sql_errors_never_carry_their_parameters(database) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError, StatementError

    from verse_tui.db.repositories.direct_chats import _wrapped

    with pytest.raises(IntegrityError) as raised:  # a device row without its other columns
        async with database.write() as session:
            insert = text("INSERT INTO devices (credential_hash) VALUES (:x)")
            await session.execute(insert, {"x": "secret-credential-hash"})
    assert "INSERT INTO devices" in str(raised.value)
    assert "secret-credential-hash" not in str(raised.value)

    error = _wrapped("SELECT ?", ("secret-credential-hash",), ValueError("bad value"))
    assert isinstance(error, StatementError)
    assert "secret-credential-hash" not in str(error)


def test_echoed_input_is_capped(verse: Verse) -> None:
    word = "x" * 100_000
    for args in (
        ("define", word, "--in", "John 3:16"),
        ("read", "John 3:16", "-t", word),
        ("search", "faith", "--book", word),
        ("search", "faith", "--testament", word),
        ("insight", "John 3:16", "--kind", word),
        ("chats", word),
    ):
        code, _, err = verse(*args)
        assert code == 2 and len(err) < 600, err[:300]


def test_glossary_only_answers_never_say_none(verse: Verse) -> None:
    assert verse("define", "believeth", "--in", "John 3:16", "--save")[0] == 0
    code, out, err = verse("define", "believeth", "--in", "John 3:16")  # the saved answer
    assert code == 0 and "saved answer from" in err
    assert "None" not in out + err
    code, out, err = verse("words")
    assert code == 0 and "believeth" in out and "None" not in out + err


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """`verse search the -n 1000 | head -1`: no traceback, no "bug" message."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("VERSE_")}
    env["VERSE_HOME"] = str(tmp_path)
    command = [sys.executable, "-m", "verse_tui", "search", "the", "-n", "1000"]
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as child:
        assert child.stdout is not None and child.stderr is not None
        assert child.stdout.read(20)  # the first line came; then the reader goes away
        child.stdout.close()
        errors = child.stderr.read().decode()
        assert child.wait(timeout=60) == 1
    assert "Traceback" not in errors and "bug" not in errors and "Exception" not in errors
