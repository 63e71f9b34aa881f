"""Opening the library (issue 10, item 3): whole `verse whoami` / `chats list` / `devices list`
processes, a first run that creates the database, and the TUI's library ready after the first
paint.

Run: `pytest tests/benchmarks/bench_startup.py -m bench -s`, or directly:
`python tests/benchmarks/bench_startup.py [--verse PATH/TO/verse] [--runs N]` (another
installation's console script measures that installation, e.g. a "before" build).
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
from pathlib import Path

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
        f"{label:<34} median {statistics.median(ordered) * 1000:7.1f} ms   "
        f"min {ordered[0] * 1000:7.1f}   cpu median {statistics.median(cpu) * 1000:7.1f} ms"
    )


def bench_warm(script: str, runs: int, work: Path) -> None:
    """Whole processes over an existing, migrated library (the everyday case)."""
    home = work / "warm"
    env = _env(home)
    for _ in range(3):
        subprocess.run([script, "whoami"], env=env, stdout=subprocess.DEVNULL, check=True)
    for label, args in WARM_COMMANDS.items():
        samples = [_run([script, *args], env) for _ in range(runs)]
        print(_line(label, [s[0] for s in samples], [s[1] for s in samples]))


def bench_first_run(script: str, runs: int, work: Path) -> None:
    """`verse chats list` in a new VERSE_HOME each time: creates and migrates the database."""
    samples = [_run([script, "chats", "list"], _env(work / f"fresh-{i}")) for i in range(runs)]
    print(_line("first run (verse chats list)", [s[0] for s in samples], [s[1] for s in samples]))


def bench_tui_library(script: str, runs: int, work: Path) -> None:
    """The TUI: first chapter painted -> library ready (headless, a fresh process each run)."""
    python = str(Path(script).with_name("python"))
    env = _env(work / "tui")
    for label, fresh in (("existing library", False), ("first run", True)):
        figures = []
        for i in range(runs):
            if fresh:
                env = _env(work / f"tui-fresh-{i}")
            out = subprocess.run(
                [python, "-c", TUI_PROBE], env=env, capture_output=True, text=True, check=True
            )
            figures.append(float(out.stdout.strip().splitlines()[-1]))
        figures.sort()
        print(
            f"{'TUI library ready, ' + label:<34} median {statistics.median(figures):7.1f} ms"
            f"   min {figures[0]:7.1f} (after the first paint)"
        )


def bench_all(script: str, runs: int) -> None:
    _compile_package(script)
    print(f"{script}: load average {os.getloadavg()} on {os.cpu_count()} CPUs, {runs} runs")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bench_warm(script, runs, work)
        bench_first_run(script, runs, work)
        bench_tui_library(script, max(5, runs // 2), work)
    print(f"load average after: {os.getloadavg()}")


def test_bench_startup() -> None:
    bench_all(verse_script(), RUNS)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verse", help="the console script to measure")
    parser.add_argument("--runs", type=int, default=RUNS)
    options = parser.parse_args()
    bench_all(verse_script(options.verse), options.runs)
