"""The reading commands stay fast: they never import asyncio, SQLAlchemy, Textual or anthropic."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("asyncio", "sqlalchemy", "textual", "anthropic", "aiosqlite", "alembic")
PROBE = """
import io, json, os, sys
from contextlib import redirect_stdout
from verse_tui.__main__ import main
with redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(json.loads(os.environ["HEAVY"])))
print(json.dumps({"code": code, "heavy": heavy}))
"""


@pytest.mark.parametrize(
    "args",
    [
        ["read", "John 3:16"],
        ["read", "John 3:16", "--json"],
        ["search", "faith", "--book", "John"],
        ["search", "faith", "--json"],
        ["translations"],
        ["read", "John 99:1"],
        ["read", "Genesis 1 - Deuteronomy 34", "--json"],
        ["search", "a*"],
    ],
)
def test_fast_commands_import_nothing_heavy(args, tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VERSE_")}
    env.update(VERSE_HOME=str(tmp_path), HEAVY=json.dumps(HEAVY))
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, timeout=60
    )
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["heavy"] == []
    assert report["code"] == (2 if {"John 99:1", "a*"} & set(args) else 0)
