"""Two processes at once: one code approved 50 times creates one link; 50 new devices
guessing at once get exactly the database-wide allowance of wrong codes; 2 x 50 writers see
no "database is locked". Runs on SQLite and, with VERSE_TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from tests.conftest import ManualClock
from tests.devices.conftest import Handset, make_handset
from tests.devices.pairing_helpers import requests, unrelated_code
from tests.devices.processes import run_workers
from verse_tui.db.engine import Database
from verse_tui.db.models.accounts import Bookmark
from verse_tui.db.models.device_links import DeviceAuditEntry, DeviceLinkFailure, DeviceLinkRequest
from verse_tui.services.link_guard import LinkPolicy

PROCESSES = 2
PER_PROCESS = 25


def jobs_for(
    handsets: list[Handset], url: str, clock: ManualClock, **extra: object
) -> list[dict[str, object]]:
    return [
        {
            "url": url,
            "now": clock.now.isoformat(),
            "secrets": [h.context.credential.secret for h in handsets[i::PROCESSES]],
            **extra,
        }
        for i in range(PROCESSES)
    ]


async def test_fifty_concurrent_approvals_in_two_processes_create_exactly_one_link(
    database: Database, clock: ManualClock, database_url: str
) -> None:
    laptop = await make_handset(database, clock, "Laptop")
    approvers = [
        await make_handset(database, clock, f"Approver {n}") for n in range(PROCESSES * PER_PROCESS)
    ]
    link = await laptop.devices.request_link()

    results = await run_workers("approve", jobs_for(approvers, database_url, clock, code=link.code))

    # The first look-up wins; the used code is then a wrong code for the others, so after
    # the database-wide allowance of wrong codes the rest wait.
    allowance = LinkPolicy().global_cap
    losers = PROCESSES * PER_PROCESS - 1
    assert results == Counter({"ok": 1, "invalid": allowance, "limited": losers - allowance})
    summary = await laptop.devices.account_summary()
    assert summary.device_count == 2
    async with database.reader.begin() as session:
        (request,) = (await session.scalars(select(DeviceLinkRequest))).all()
        approvals = await session.scalar(
            select(func.count())
            .select_from(DeviceAuditEntry)
            .where(DeviceAuditEntry.event == "link_approved")
        )
    assert (request.status, request.code_hash, approvals) == ("approved", None, 1)
    winner = [d for d in await laptop.devices.list_devices() if not d.is_current]
    assert [d.id for d in winner] == [request.approved_by_device_id]


async def test_fifty_new_devices_guessing_at_once_get_only_the_global_allowance(
    database: Database, clock: ManualClock, database_url: str
) -> None:
    """Every look-up is serialised (a row lock on PostgreSQL), so devices guessing in
    parallel cannot all pass the limit check before any of their failures is counted."""
    laptop = await make_handset(database, clock, "Laptop")
    guessers = [
        await make_handset(database, clock, f"Guesser {n}") for n in range(PROCESSES * PER_PROCESS)
    ]
    link = await laptop.devices.request_link()
    guess = unrelated_code(link.code)

    results = await run_workers("guess", jobs_for(guessers, database_url, clock, code=guess))

    allowance = LinkPolicy().global_cap
    assert results == Counter({"invalid": allowance, "limited": len(guessers) - allowance})
    async with database.reader.begin() as session:
        failures = await session.scalar(select(func.count()).select_from(DeviceLinkFailure))
    assert failures == allowance
    assert [(r.status, r.failed_attempts) for r in await requests(database)] == [("pending", 0)]


async def test_two_processes_of_fifty_writers_never_see_database_is_locked(
    database: Database, clock: ManualClock, database_url: str
) -> None:
    writers = [await make_handset(database, clock, f"Writer {n}") for n in range(PROCESSES * 50)]
    writes = 10

    results = await run_workers(
        "write", jobs_for(writers, database_url, clock, writes=writes, tag="w")
    )

    assert results == Counter({"ok": PROCESSES * 50 * writes})
    async with database.reader.begin() as session:
        count = await session.scalar(select(func.count()).select_from(Bookmark))
    assert count == PROCESSES * 50 * writes
