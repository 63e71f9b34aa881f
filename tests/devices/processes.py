"""Running the worker script (workers.py) in several processes released at the same moment."""

from __future__ import annotations

import asyncio
import json
import sys
from collections import Counter
from pathlib import Path

WORKER = Path(__file__).with_name("workers.py")


async def run_workers(mode: str, jobs: list[dict[str, object]]) -> Counter[str]:
    """Start one worker per job, wait until all are ready, release them together."""
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            str(WORKER),
            mode,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in jobs
    ]
    for proc, job in zip(procs, jobs, strict=True):
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write((json.dumps(job) + "\n").encode())
        await proc.stdin.drain()
    for proc in procs:
        assert proc.stdout is not None
        line = await asyncio.wait_for(proc.stdout.readline(), 60)
        assert line == b"ready\n", (line, await proc.stderr.read())  # type: ignore[union-attr]
    for proc in procs:
        proc.stdin.write(b"go\n")  # type: ignore[union-attr]
        await proc.stdin.drain()  # type: ignore[union-attr]
    total: Counter[str] = Counter()
    for proc in procs:
        out, err = await asyncio.wait_for(proc.communicate(), 120)
        assert proc.returncode == 0, err.decode()
        total.update(json.loads(out.decode().strip().splitlines()[-1]))
    return total
