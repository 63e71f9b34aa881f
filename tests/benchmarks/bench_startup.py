"""Opening the library (issue 10, item 3): whole `verse whoami` / `chats list` / `devices list`
processes, a first run that creates the database, and the TUI's library ready after the first
paint.

Run: `pytest tests/benchmarks/bench_startup.py -m bench -s`, or directly:
`python tests/benchmarks/bench_startup.py [--verse PATH/TO/venv/bin/verse ...] [--runs N]`:
each `--verse` measures that installation (named by its venv folder); several are measured
in alternation, run by run, so a "before" and an "after" build share the machine's load.
Targets (installed wheel, quiet machine): whoami and chats list <= 500 ms, a fresh first run
<= 1 s, library ready <= 600 ms after the first paint. Prints medians and the load average;
asserts nothing about time (the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.bench

RUNS = int(os.environ.get("VERSE_BENCH_RUNS", "21"))
WARM_COMMANDS = {
    "verse whoami": ["whoami"],
    "verse chats list": ["chats", "list"],
    "verse devices list": ["devices", "list"],
}

# Runs the real app headless in a fresh process (cold imports, as `verse` starts) and prints
# the milliseconds from the first chapter on screen to the library's ready signal.
TUI_PROBE = """
import asyncio, gc, time
from verse_tui.config import Settings
from verse_tui.tui.run import build_app

gc.disable()
app = build_app(Settings.from_env())
marks = {}
painted = app.chapter_painted

def chapter_painted():
    marks.setdefault("painted", time.perf_counter())
    painted()

app.chapter_painted = chapter_painted

async def main():
    ready = asyncio.Event()
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        def on_ready(_):
            marks["ready"] = time.perf_counter()
            ready.set()
        app.library_ready_signal.subscribe(app, on_ready)
        await asyncio.wait_for(ready.wait(), 30)
        await pilot.pause()
    print(f"{(marks['ready'] - marks['painted']) * 1000:.1f}")

asyncio.run(main())
"""


def verse_script(explicit: str | None = None) -> str:
    """The `verse` console script to measure (this interpreter's, unless given)."""
    if explicit:
        return explicit
    beside = Path(sys.executable).parent / "verse"
    found = str(beside) if beside.exists() else shutil.which("verse")
    if not found:
        pytest.skip("the `verse` console script is not installed")
    return found


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VERSE_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["VERSE_HOME"] = str(home)
    return env


def _compile_package(script: str) -> None:
    """An installed wheel ships bytecode; make an editable checkout match it."""
    python = str(Path(script).with_name("python"))
    code = "import verse_tui, compileall, os; compileall.compile_dir(os.path.dirname("
    code += "verse_tui.__file__), quiet=1)"
    subprocess.run([python, "-c", code], check=True, env=_env(Path(tempfile.gettempdir())))


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def _line(label: str, wall: list[float], cpu: list[float]) -> str:
    ordered = sorted(wall)
    return (
        f"{label:<44} median {statistics.median(ordered) * 1000:7.1f} ms   "
        f"min {ordered[0] * 1000:7.1f}   cpu median {statistics.median(cpu) * 1000:7.1f} ms"
    )


def _interleaved(scripts: list[str], runs: int, one: Callable[[str, int], Any]) -> list[list]:
    """`runs` samples of `one(script, i)` per script, alternating scripts run by run (the
    shared machine's load then weighs on every installation alike)."""
    samples: list[list] = [[] for _ in scripts]
    for i in range(runs):
        for k, script in enumerate(scripts):
            samples[k].append(one(script, i))
    return samples


def bench_warm(scripts: list[str], runs: int, work: Path) -> None:
    """Whole processes over an existing, migrated library (the everyday case)."""
    for script in scripts:
        for _ in range(3):
            subprocess.run([script, "whoami"], env=_env(_home(work, script)), capture_output=True)
    for label, args in WARM_COMMANDS.items():
        samples = _interleaved(
            scripts,
            runs,
            lambda script, _i, args=args: _run([script, *args], _env(_home(work, script))),
        )
        for script, found in zip(scripts, samples, strict=True):
            print(_line(f"{label} [{_name(script)}]", [s[0] for s in found], [s[1] for s in found]))


def bench_first_run(scripts: list[str], runs: int, work: Path) -> None:
    """`verse chats list` in a new VERSE_HOME each time: creates and migrates the database."""
    samples = _interleaved(
        scripts,
        runs,
        lambda script, i: _run(
            [script, "chats", "list"], _env(work / f"fresh-{i}-{_name(script)}")
        ),
    )
    for script, found in zip(scripts, samples, strict=True):
        label = f"first run (chats list) [{_name(script)}]"
        print(_line(label, [s[0] for s in found], [s[1] for s in found]))


def bench_tui_library(scripts: list[str], runs: int, work: Path) -> None:
    """The TUI: first chapter painted -> library ready (headless, a fresh process each run)."""

    def probe(script: str, home: Path) -> float:
        python = str(Path(script).with_name("python"))
        out = subprocess.run(
            [python, "-c", TUI_PROBE], env=_env(home), capture_output=True, text=True, check=True
        )
        return float(out.stdout.strip().splitlines()[-1])

    for label, fresh in (("existing library", False), ("first run", True)):
        samples = _interleaved(
            scripts,
            runs,
            lambda script, i, fresh=fresh: probe(
                script, work / (f"tui-fresh-{i}-{_name(script)}" if fresh else _name(script))
            ),
        )
        for script, figures in zip(scripts, samples, strict=True):
            figures.sort()
            print(
                f"{f'TUI library ready, {label} [{_name(script)}]':<44} median "
                f"{statistics.median(figures):7.1f} ms   min {figures[0]:7.1f} (after the paint)"
            )


def _name(script: str) -> str:
    return Path(script).parent.parent.name


def _home(work: Path, script: str) -> Path:
    return work / f"home-{_name(script)}"


def bench_all(scripts: list[str], runs: int) -> None:
    for script in scripts:
        _compile_package(script)
    print(f"load average {os.getloadavg()} on {os.cpu_count()} CPUs, {runs} runs each")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bench_warm(scripts, runs, work)
        bench_first_run(scripts, runs, work)
        bench_tui_library(scripts, max(5, runs // 2), work)
    print(f"load average after: {os.getloadavg()}")


def test_bench_startup() -> None:
    bench_all([verse_script()], RUNS)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--verse", action="append", help="a console script to measure (repeat to compare)"
    )
    parser.add_argument("--runs", type=int, default=RUNS)
    options = parser.parse_args()
    bench_all(options.verse or [verse_script()], options.runs)
