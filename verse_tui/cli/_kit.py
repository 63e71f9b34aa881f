"""The kit every command is built from: `parse_args` and the option readers
(`whole_number`, `int_option`, `str_option`), `run` (a user-facing error becomes one line on
stderr and its exit code), `emit`/`print_json` (terminal-safe JSON or plain lines), and
`open_bible` for the commands that only read the Bible text.

Only the standard library, the settings and the synchronous Bible client: no asyncio,
SQLAlchemy, Textual or anthropic, and not even argparse (with gettext, locale and shutil it
costs about 5 ms of a 30 ms budget), so the fast commands (`read`, `search`, `translations`)
answer in a few tens of milliseconds. What only the commands with services need is in
`_services.py`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping

from verse_tui.bible.sqlite_bible_client import SqliteBibleClient
from verse_tui.config import ConfigError, Settings
from verse_tui.domain.text import clip, echo
from verse_tui.errors import InputError, VerseError

DB_INT_MAX = 2**31 - 1  # the largest id the database holds (PostgreSQL `integer` columns)


class UsageError(InputError):
    """The command line itself is wrong (an unknown option, a missing value)."""


class Help(Exception):
    """`-h` / `--help` was given."""


def parse_args(
    argv: list[str], options: Mapping[str, str], flags: Mapping[str, str]
) -> tuple[list[str], dict[str, str | bool]]:
    """(positional arguments, {dest: value}) from `argv`.

    `options` maps each spelling ("-t", "--translation") to the name its value is stored under,
    `flags` likewise for switches without a value. `--opt=value` and `--` work as usual.
    """
    positional: list[str] = []
    values: dict[str, str | bool] = {}
    args = iter(argv)
    for arg in args:
        if arg == "--":
            positional.extend(args)
            break
        if arg in ("-h", "--help"):
            raise Help
        name, eq, inline = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in flags and not eq:
            values[flags[name]] = True
        elif name in options:
            value = inline if eq else next(args, None)
            if value is None:
                raise UsageError(f"{name} needs a value.")
            values[options[name]] = value
        elif arg.startswith("-") and len(arg) > 1:
            raise UsageError(f"unknown option {clip(arg)}.")
        else:
            positional.append(arg)
    return positional, values


def whole_number(
    text: str, what: str, *, minimum: int = 1, maximum: int = DB_INT_MAX, hint: str = ""
) -> int:
    """`text` as a whole number from `minimum` to `maximum`, else a UsageError naming `what`.

    Only ASCII digits count ("²" or "٣" are digits to `str.isdigit` but not ids), and the
    length is checked before `int()`, so a 100 KB number costs nothing and never overflows.
    """
    if not (text.isascii() and text.isdigit()):
        raise UsageError(f"{what} is a whole number{hint}, not {echo(text)}.")
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(maximum)) or not minimum <= int(digits) <= maximum:
        raise UsageError(f"{what} must be from {minimum} to {maximum}{hint}, not {echo(text)}.")
    return int(digits)


def int_option(
    values: Mapping[str, str | bool],
    name: str,
    default: int,
    *,
    minimum: int = 0,
    maximum: int = DB_INT_MAX,
) -> int:
    """The whole number given for `--name` (range-checked), or `default` when left out."""
    raw = values.get(name)
    if raw is None:
        return default
    return whole_number(str(raw), f"--{name}", minimum=minimum, maximum=maximum)


def str_option(values: Mapping[str, str | bool], name: str) -> str | None:
    """The value given for an option, or None when it was left out (or empty)."""
    raw = values.get(name)
    return str(raw) if raw else None


def open_bible() -> tuple[SqliteBibleClient, Settings]:
    """The Bible client for the configured database, and the settings it came from."""
    settings = Settings.from_env(offline=True)
    show_warnings(settings)
    return SqliteBibleClient(settings.bible_path), settings


def show_warnings(settings: Settings) -> None:
    """The settings' warnings (unknown keys, problems an offline command goes on without)
    on stderr, each once."""
    for warning in dict.fromkeys(settings.warnings):
        print(f"verse: warning: {warning}", file=sys.stderr)


def run(command: str, usage: str, body: Callable[[], int]) -> int:
    """Run a command body; a user-facing error becomes one line on stderr and an exit code."""
    try:
        return body()
    except Help:
        print(usage)
        return 0
    except UsageError as exc:
        synopsis = usage.split("\n\n", 1)[0]
        print(f"verse {command}: {exc}\n{synopsis}\n(verse {command} --help)", file=sys.stderr)
        return exc.exit_code
    except VerseError as exc:
        print(f"verse {command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except ConfigError as exc:
        print(f"verse {command}: {exc}", file=sys.stderr)
        return 1


def json_text(value: object, *, indent: int | None = 2) -> str:
    """`value` as JSON that is safe on a terminal. `json.dumps` escapes C0 controls but lets
    DEL, C1 controls and lone surrogates through raw; they can only sit inside strings, so
    they are escaped there too (`\\u009b`): the data is unchanged, the terminal safe."""
    import json

    dumped = json.dumps(value, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\ud800-\udfff]")


def print_json(value: object, *, indent: int | None = 2) -> None:
    print(json_text(value, indent=indent), flush=indent is None)


def emit(as_json: bool, data: object, lines: list[str]) -> None:
    """`data` as JSON for scripts (`--json`), else `lines` as plain text."""
    if as_json:
        print_json(data)
    else:
        print("\n".join(lines))
