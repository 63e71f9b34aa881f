"""Reading and search speed (issue 2): whole `verse` processes and in-process client calls.

Run: `pytest tests/benchmarks/bench_cli.py -m bench -s` or `python tests/benchmarks/bench_cli.py`.
Targets: `verse read "John 3:16"` median <= 30 ms and `verse search faith` <= 40 ms as whole
processes from the installed console script; in-process a chapter read <= 1 ms and a search
for a common word <= 2 ms. Prints medians; asserts nothing about time (the machine is shared).
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.bench

PROCESS_RUNS = 40
CALL_RUNS = 300
COMMANDS = {
    'verse read "John 3:16"': ["read", "John 3:16"],
    "verse search faith": ["search", "faith"],
    'verse read "Ps 119" --json': ["read", "Ps 119", "--json"],
    "verse translations": ["translations"],
}
SEARCH_WORDS = ("faith", "love", "water", "god", "lord", '"living water"', "faith*")


def verse_script() -> str:
    """The installed `verse` console script of this interpreter's environment."""
    beside = Path(sys.executable).parent / "verse"
    found = str(beside) if beside.exists() else shutil.which("verse")
    if not found:
        pytest.skip("the `verse` console script is not installed")
    return found


def _compile_package() -> None:
    """An installed wheel ships compiled bytecode; make a source checkout match it."""
    import verse_tui

    package = Path(verse_tui.__file__).parent
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(package)],
        check=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        stdout=subprocess.DEVNULL,
    )


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    return (
        f"median {statistics.median(ordered) * 1000:7.3f} ms   "
        f"min {ordered[0] * 1000:7.3f}   p90 {ordered[int(len(ordered) * 0.9)] * 1000:7.3f}"
    )


def time_process(argv: list[str], runs: int = PROCESS_RUNS) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (user + system) seconds of each run of a whole process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VERSE_")}
    for _ in range(3):
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
    wall, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
        wall.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall, cpu


def time_call(call: Callable[[], object], runs: int = CALL_RUNS) -> list[float]:
    call()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return samples


def bench_processes() -> None:
    script = verse_script()
    _compile_package()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    for label, argv in [("python -c pass (baseline)", [sys.executable, "-c", "pass"])] + [
        (label, [script, *args]) for label, args in COMMANDS.items()
    ]:
        wall, cpu = time_process(argv)
        cpu_median = statistics.median(cpu) * 1000
        print(f"{label:<32} {_ms(wall)}   cpu median {cpu_median:6.1f} ms")


def bench_calls() -> None:
    from verse_tui.bible.references import parse_reference
    from verse_tui.bible.sqlite_bible_client import SqliteBibleClient
    from verse_tui.config import Settings

    client = SqliteBibleClient(Settings.from_env().bible_path)
    john3 = parse_reference("John 3:16")
    print(f"{'chapter John 3':<32} {_ms(time_call(lambda: client.chapter('KJV', 43, 3)))}")
    print(f"{'chapter Psalm 119':<32} {_ms(time_call(lambda: client.chapter('KJV', 19, 119)))}")
    print(f"{'passage John 3:16':<32} {_ms(time_call(lambda: client.passage('KJV', john3)))}")
    for word in SEARCH_WORDS:
        total = client.search(word, "KJV").total
        samples = time_call(lambda word=word: client.search(word, "KJV"), runs=100)
        print(f"{f'search {word} ({total} verses)':<32} {_ms(samples)}")
    client.close()


def test_bench_processes() -> None:
    bench_processes()


def test_bench_calls() -> None:
    bench_calls()


if __name__ == "__main__":
    bench_processes()
    bench_calls()
