"""Command-line dispatch. Each sub-command lives in its own module with `main(argv) -> int`.

Modules are imported only when their command runs, so `verse read` pays for nothing else.
Conventions for every command: plain text on stdout by default, `--json` for scripts, errors
as one clear sentence on stderr with exit code 2 (usage or input errors) or 1 (other failures).
"""

from __future__ import annotations

import sys
from importlib import import_module

from verse_tui.domain.text import echo

TYPE_CHECKING = False  # `typing` costs ~7 ms to import; type checkers treat this as True
if TYPE_CHECKING:
    from collections.abc import Callable

COMMANDS: dict[str, tuple[str, str]] = {
    "read": ("verse_tui.cli.read", "print a passage"),
    "search": ("verse_tui.cli.search", "full-text search"),
    "translations": ("verse_tui.cli.translations", "list installed translations"),
    "chat": ("verse_tui.cli.chat", "ask Claude about a passage (streams the reply)"),
    "chats": ("verse_tui.cli.chats", "list, show, rename or delete chats"),
    "insight": ("verse_tui.cli.insight", "an insight on a passage"),
    "define": ("verse_tui.cli.define", "the meaning of a word in a verse"),
    "strongs": ("verse_tui.cli.strongs", "a Strong's Greek or Hebrew entry (offline)"),
    "commentary": (
        "verse_tui.cli.commentary",
        "Matthew Henry or the Treasury of David on a passage",
    ),
    "topics": ("verse_tui.cli.topics", "the Nave's topics that cite a passage"),
    "topic": ("verse_tui.cli.topics", "one Nave's topic and its verses"),
    "words": ("verse_tui.cli.words", "your saved word definitions"),
    "devices": ("verse_tui.cli.devices", "link, approve, list and unlink devices"),
    "whoami": ("verse_tui.cli.devices", "this device and its account"),
}

USAGE = "usage: verse [COMMAND] [ARGS...]   (no command opens the reader)"


def _help() -> str:
    lines = [USAGE, "", "commands:"]
    lines += [f"  {name:<13} {about}" for name, (_, about) in COMMANDS.items()]
    lines += ["", "Run `verse COMMAND --help` for the options of one command."]
    return "\n".join(lines)


def dispatch(args: list[str]) -> int:
    """Run the command `args` name (the reader when empty) and return the exit code.

    Whatever it prints passes through `safe_output`; an undecodable argument is refused
    (exit 2); Ctrl-C exits 130 quietly; an unexpected exception prints a short message and
    leaves its traceback in a private log (`VERSE_DEBUG=1` shows it instead).
    """
    from verse_tui.cli._guard import (
        EXIT_INTERRUPTED,
        debugging,
        quiet_stdout,
        report_crash,
        safe_output,
        undecodable_argument,
    )

    problem = undecodable_argument(args)
    if problem is not None:
        print(f"verse: {problem}", file=sys.stderr)
        return 2
    try:
        if not args:
            from verse_tui.tui.run import run_app

            return run_app()
        with safe_output():
            return _run_command(args[0], args[1:])
    except KeyboardInterrupt:
        print("\nverse: stopped.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `verse search the | head -1`: the reader has gone, quietly
        quiet_stdout()
        return 1
    except Exception as exc:
        if debugging():
            raise
        return report_crash(exc)


def _run_command(name: str, rest: list[str]) -> int:
    if name in ("-h", "--help", "help"):
        print(_help())
        return 0
    if name in ("-V", "--version"):
        from verse_tui import __version__

        print(f"verse {__version__}")
        return 0
    if name not in COMMANDS:
        print(f"verse: unknown command {echo(name)}.\n\n{_help()}", file=sys.stderr)
        return 2
    module = import_module(COMMANDS[name][0])
    entry = {"whoami": "whoami", "topic": "topic_main"}.get(name, "main")
    command: Callable[[list[str]], int] = getattr(module, entry)
    return command(rest)
