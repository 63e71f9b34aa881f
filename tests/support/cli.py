"""`verse ARGS` run in this process: the real entry point (`verse_tui.__main__.main`), with
its own environment and captured output, far cheaper than starting Python for every call.

Each command group keeps one test that starts `python -m verse_tui` for real (`run_process`:
the entry point and the exit code of a real process); everything else goes through `Verse`:

    verse = Verse(home)                       # VERSE_HOME=home, no other VERSE_/ANTHROPIC_ vars
    result = verse("read", "John 3:16", "--json")
    result.returncode, result.stdout, result.stderr   # as subprocess.run gives them
    verse.json("search", "faith")             # adds --json, asserts exit 0, parses stdout
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from verse_tui.__main__ import main

CLEARED = ("VERSE_", "ANTHROPIC_")
"""Variables of the developer's environment that never leak into a test's `verse`."""


class Run(NamedTuple):
    """What one `verse` call did: `code, out, err = verse(...)`, or by the names that
    `subprocess.CompletedProcess` uses."""

    returncode: int
    stdout: str
    stderr: str


@dataclass
class Verse:
    """`verse` for one home: `env` is added to every call, `**extra_env` to one call."""

    home: Path
    env: Mapping[str, str] = field(default_factory=dict)

    def __call__(self, *argv: str, stdin: str = "", **extra_env: str) -> Run:
        wanted = {"VERSE_HOME": str(self.home), **self.env, **extra_env}
        with _environment(wanted), _captured(stdin):
            try:
                code = main(list(argv))
            except SystemExit as stop:  # as the process would exit
                code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
            output, errors = _text(sys.stdout), _text(sys.stderr)
        return Run(code, output, errors)

    def json(self, *argv: str, **extra_env: str) -> object:
        """`verse ARGS --json`, which must succeed; its parsed output."""
        result = self(*argv, "--json", **extra_env)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)


@contextmanager
def _environment(wanted: Mapping[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    for name in [n for n in os.environ if n.startswith(CLEARED)]:
        del os.environ[name]
    os.environ.update(wanted)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextmanager
def _captured(stdin: str) -> Iterator[None]:
    """Swap in pipes like a child process's: UTF-8 text over bytes, not a terminal."""
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    sys.stderr = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    try:
        yield
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved


def _text(stream: object) -> str:
    """What was written to one of `_captured`'s streams (read before it is released)."""
    assert isinstance(stream, io.TextIOWrapper)
    stream.flush()
    raw = stream.buffer
    assert isinstance(raw, io.BytesIO)
    return raw.getvalue().decode("utf-8", errors="replace")


def run_process(home: Path, *argv: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    """`python -m verse_tui ARGS` as a real child process: the smoke test of a command group."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(CLEARED)}
    env.update(VERSE_HOME=str(home), **extra_env)
    command = [sys.executable, "-m", "verse_tui", *argv]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


_IMPORT_PROBE = """
import io, json, os, sys
from contextlib import redirect_stdout
from verse_tui.__main__ import main
with redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
wanted = json.loads(os.environ["HEAVY"])
heavy = sorted({h for h in wanted for m in sys.modules if m == h or m.startswith(h + ".")})
print(json.dumps({"code": code, "heavy": heavy}))
"""


def heavy_imports(home: Path, argv: list[str], heavy: tuple[str, ...]) -> dict[str, object]:
    """Run `verse ARGV` in a fresh interpreter: {"code": exit code, "heavy": the modules of
    `heavy` it imported (a package counts when it or any module in it was imported)}. The
    fast commands must import none of them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(CLEARED)}
    env.update(VERSE_HOME=str(home), HEAVY=json.dumps(heavy))
    command = [sys.executable, "-c", _IMPORT_PROBE, *argv]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    report: dict[str, object] = json.loads(result.stdout.splitlines()[-1])
    return report
