"""Textual lives only under verse_tui/tui/, and the reader paints without anthropic (and
without SQLAlchemy until after the first chapter is on screen)."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import verse_tui

PACKAGE = Path(verse_tui.__file__).resolve().parent


def textual_imports(path: Path) -> list[int]:
    """Line numbers of `import textual...` / `from textual... import` in a source file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        if any(name == "textual" or name.startswith("textual.") for name in names):
            lines.append(node.lineno)
    return lines


def test_the_scan_finds_textual_imports(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom textual.app import App\ndef f():\n    import textual\n")
    assert textual_imports(sample) == [2, 4]


def test_textual_is_imported_only_under_verse_tui_tui():
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if "tui" not in path.relative_to(PACKAGE).parts[:1]
        for line in textual_imports(path)
    ]
    assert offenders == []


PROBE = r"""
import asyncio, json, sys
from verse_tui.config import Settings
from verse_tui.tui.run import build_app

seen = {}

async def main():
    app = build_app(Settings.from_env())
    painted = app.chapter_painted

    def at_first_paint():
        seen.setdefault("sqlalchemy_at_paint", "sqlalchemy" in sys.modules)
        seen.setdefault("title", app.screen.query_one("ReaderHeader").title)
        painted()

    app.chapter_painted = at_first_paint
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(400):
            await pilot.pause(0.02)
            if app.services is not None or app.services_error is not None:
                break
        await app.workers.wait_for_complete()
        seen["library"] = app.services is not None
        seen["anthropic"] = "anthropic" in sys.modules

asyncio.run(main())
print(json.dumps(seen))
"""


def test_the_app_starts_and_paints_without_anthropic(verse_home):
    env = {**os.environ, "VERSE_HOME": str(verse_home)}
    env.pop("VERSE_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {
        "sqlalchemy_at_paint": False,
        "title": "John 1 · KJV",
        "library": True,
        "anthropic": False,
    }


GC_PROBE = r"""
import gc, json
from verse_tui.tui import run

def build(settings, _build=run.build_app):
    app = _build(settings)
    painted = app.chapter_painted

    def at_first_paint():
        seen["off_before_paint"] = not gc.isenabled()
        painted()
        seen["on_after_paint"] = gc.isenabled()
        app.exit()

    app.chapter_painted = at_first_paint
    app.run = lambda _run=app.run: _run(headless=True, size=(120, 40))
    return app

seen = {}
run.build_app = build
run.run_app()
seen["on_after_exit"] = gc.isenabled()
print(json.dumps(seen))
"""


def test_the_collector_is_off_until_the_first_paint_only(verse_home):
    env = {**os.environ, "VERSE_HOME": str(verse_home)}
    done = subprocess.run(
        [sys.executable, "-c", GC_PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"off_before_paint": True, "on_after_paint": True, "on_after_exit": True}
