"""Command-line dispatch. Each sub-command lives in its own module with `main(argv) -> int`.

Modules are imported only when their command runs, so `verse read` pays for nothing else.
Conventions for every command: plain text on stdout by default, `--json` for scripts, errors
as one clear sentence on stderr with exit code 2 (usage or input errors) or 1 (other failures).
"""

from __future__ import annotations

import sys
from importlib import import_module

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
    if not args:
        from verse_tui.tui.run import run_app

        return run_app()
    name, rest = args[0], args[1:]
    if name in ("-h", "--help", "help"):
        print(_help())
        return 0
    if name in ("-V", "--version"):
        from verse_tui import __version__

        print(f"verse {__version__}")
        return 0
    if name not in COMMANDS:
        print(f"verse: unknown command {name!r}.\n\n{_help()}", file=sys.stderr)
        return 2
    module = import_module(COMMANDS[name][0])
    if name == "whoami":
        return module.whoami(rest)
    if name == "topic":
        return module.topic_main(rest)
    return module.main(rest)
