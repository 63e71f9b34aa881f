"""Worker processes for the cross-process tests (run as a script, never collected by pytest).

    python tests/devices/workers.py approve|guess|write|migrate   < one JSON job, then "go"

The job carries the database URL, the device credentials (secrets, so on stdin rather than
the command line), the clock's time and the mode's parameters. The worker opens the
project's `Database`, warms its connections, prints "ready", waits for "go" (so both
processes start together), runs every device's work concurrently and prints a JSON summary.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections import Counter
from datetime import datetime

from verse_tui.db.engine import Database
from verse_tui.db.migrate import migrate
from verse_tui.domain.bible import VerseRange, VerseRef
from verse_tui.services.context import ServiceContext
from verse_tui.services.credential import DeviceCredential
from verse_tui.services.device_link import (
    DeviceLinkService,
    InvalidLinkCodeError,
    TooManyLinkAttemptsError,
)
from verse_tui.services.users import UserService


def outcome(exc: BaseException | None) -> str:
    if exc is None:
        return "ok"
    if isinstance(exc, InvalidLinkCodeError):
        return "invalid"
    if isinstance(exc, TooManyLinkAttemptsError):
        return "limited"
    if "locked" in str(exc).lower():
        return "locked"
    return f"{type(exc).__name__}: {exc}"


async def approve(context: ServiceContext, code: str) -> str:
    try:
        await DeviceLinkService(context).approve_link(code)
    except Exception as exc:
        return outcome(exc)
    return outcome(None)


async def guess(context: ServiceContext, code: str) -> str:
    try:
        await DeviceLinkService(context).find_link_request(code)
    except Exception as exc:
        return outcome(exc)
    return outcome(None)


async def write(context: ServiceContext, writes: int, tag: str) -> list[str]:
    users = UserService(context)
    results = []
    for n in range(writes):
        verse = VerseRange(VerseRef(19, 119, 1 + n % 176), VerseRef(19, 119, 1 + n % 176))
        try:
            await users.add_bookmark("KJV", verse, f"{tag}-{n}")
        except Exception as exc:
            results.append(outcome(exc))
        else:
            results.append(outcome(None))
    return results


async def main(mode: str) -> None:
    job = json.loads(sys.stdin.readline())
    now = datetime.fromisoformat(job["now"])
    database = await Database.open(job["url"])
    try:
        contexts = [
            ServiceContext(database, DeviceCredential(secret), lambda: now)
            for secret in job.get("secrets", [])
        ]
        async with database.writer.begin():
            pass
        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.readline)
        if mode == "migrate":
            result = await migrate(database)
            results = ["upgraded" if result.upgraded else f"found {result.previous}"]
        elif mode == "approve":
            results = await asyncio.gather(*(approve(c, job["code"]) for c in contexts))
        elif mode == "guess":
            results = await asyncio.gather(*(guess(c, job["code"]) for c in contexts))
        else:
            batches = await asyncio.gather(
                *(write(c, job["writes"], f"{job['tag']}{i}") for i, c in enumerate(contexts))
            )
            results = [r for batch in batches for r in batch]
        print(json.dumps(Counter(results)), flush=True)
    finally:
        await database.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
