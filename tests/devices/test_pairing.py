"""Pairing by on-screen code: every security requirement of issue 4, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from tests.conftest import ManualClock
from tests.devices.conftest import MakeHandset
from verse_tui.db.engine import Database
from verse_tui.db.models.device_links import (
    DeviceAuditEntry,
    DeviceLinkFailure,
    DeviceLinkRequest,
    ServerSecret,
)
from verse_tui.domain.devices import LinkStatus
from verse_tui.errors import InputError, NotFoundError
from verse_tui.services import link_codes
from verse_tui.services.device_link import (
    DeviceLinkService,
    InvalidLinkCodeError,
    LinkPolicy,
    LinkRefusedError,
    TooManyLinkAttemptsError,
)
from verse_tui.services.link_codes import MalformedLinkCodeError, format_code, normalize_code


async def requests(database: Database) -> list[DeviceLinkRequest]:
    async with database.reader.begin() as session:
        return list(await session.scalars(select(DeviceLinkRequest).order_by(DeviceLinkRequest.id)))


def wrong_code(code: str) -> str:
    """A well-formed code that differs from `code` in its last letter."""
    canonical = normalize_code(code)
    last = "B" if canonical[-1] != "B" else "C"
    return format_code(canonical[:-1] + last)


async def invalid_message(service: DeviceLinkService, code: str) -> str:
    with pytest.raises(InvalidLinkCodeError) as excinfo:
        await service.approve_link(code)
    return str(excinfo.value)


async def test_a_request_shows_a_formatted_code_that_lives_ten_minutes(
    handset: MakeHandset, clock: ManualClock
) -> None:
    laptop = await handset("Laptop")
    link = await laptop.devices.request_link()
    assert re.fullmatch(r"[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}", link.code)
    assert link.expires_at == clock.now + timedelta(minutes=10)
    status = await laptop.devices.get_link_status()
    assert (status.request_id, status.status) == (link.request_id, LinkStatus.PENDING)


def test_a_code_cannot_be_made_to_live_longer_than_ten_minutes() -> None:
    with pytest.raises(ValueError, match="10 minutes"):
        LinkPolicy(link_ttl=timedelta(minutes=11))
    assert LinkPolicy().link_ttl == timedelta(minutes=10)


async def test_approval_links_the_new_device_into_the_approvers_account(
    handset: MakeHandset,
) -> None:
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    link = await laptop.devices.request_link()
    asking = await desktop.devices.find_link_request(link.code)
    assert (asking.device_name, asking.platform) == ("Laptop", "Linux test")
    assert asking.request_id == link.request_id
    outcome = await desktop.devices.approve_link(link.code)
    assert outcome.status is LinkStatus.APPROVED
    account = (await desktop.devices.account_summary()).account_id
    assert outcome.device.account_id == account
    status = await laptop.devices.get_link_status()
    assert status.status is LinkStatus.APPROVED and status.account_id == account
    names = sorted(d.name for d in await laptop.devices.list_devices())
    assert names == ["Desktop", "Laptop"]
    assert (await laptop.devices.account_summary()).device_count == 2


@pytest.mark.parametrize("typed", [str.lower, lambda c: c.replace("-", ""), lambda c: f" {c} "])
async def test_the_code_is_accepted_in_any_case_with_or_without_dash(
    handset: MakeHandset, typed: object
) -> None:
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    link = await laptop.devices.request_link()
    outcome = await desktop.devices.approve_link(typed(link.code))  # type: ignore[operator]
    assert outcome.status is LinkStatus.APPROVED


async def test_only_a_keyed_hash_is_stored_and_it_is_wiped_on_use(
    handset: MakeHandset, database: Database
) -> None:
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    link = await laptop.devices.request_link()
    canonical = normalize_code(link.code)
    async with database.reader.begin() as session:
        key = await session.scalar(select(ServerSecret.value))
    (stored,) = await requests(database)
    assert key is not None and len(key) >= 16
    assert stored.code_hash == hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()
    assert stored.code_hash != hashlib.sha256(canonical.encode()).hexdigest()  # keyed, not plain
    await assert_code_nowhere_in_database(database, link.code)
    await desktop.devices.approve_link(link.code)
    (used,) = await requests(database)
    assert used.code_hash is None and used.used_at is not None
    assert used.status == "approved"


async def assert_code_nowhere_in_database(database: Database, code: str) -> None:
    forms = {normalize_code(code), format_code(code)}
    async with database.reader.begin() as session:
        for table in ("device_link_requests", "device_audit_log", "devices", "server_secrets"):
            for row in (await session.execute(text(f"SELECT * FROM {table}"))).all():
                values = " ".join(str(v) for v in row)
                assert not any(form in values for form in forms), table


async def test_a_code_is_single_use(handset: MakeHandset) -> None:
    desktop, laptop, tablet = (
        await handset("Desktop"),
        await handset("Laptop"),
        await handset("Tab"),
    )
    link = await laptop.devices.request_link()
    await desktop.devices.approve_link(link.code)
    with pytest.raises(InvalidLinkCodeError):
        await tablet.devices.approve_link(link.code)
    with pytest.raises(InvalidLinkCodeError):
        await desktop.devices.find_link_request(link.code)


async def test_a_code_expires_after_ten_minutes_and_its_hash_is_wiped(
    handset: MakeHandset, clock: ManualClock, database: Database
) -> None:
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    link = await laptop.devices.request_link()
    clock.advance(minutes=10)
    with pytest.raises(InvalidLinkCodeError):
        await desktop.devices.approve_link(link.code)
    (expired,) = await requests(database)
    assert (expired.status, expired.code_hash) == ("expired", None)
    assert (await laptop.devices.get_link_status()).status is LinkStatus.EXPIRED


async def test_a_code_works_until_just_before_it_expires(
    handset: MakeHandset, clock: ManualClock
) -> None:
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    link = await laptop.devices.request_link()
    clock.advance(minutes=9, seconds=59)
    assert (await desktop.devices.approve_link(link.code)).status is LinkStatus.APPROVED


async def test_polling_an_expired_request_reports_expired_and_wipes_it(
    handset: MakeHandset, clock: ManualClock, database: Database
) -> None:
    laptop = await handset("Laptop")
    await laptop.devices.request_link()
    clock.advance(minutes=11)
    assert (await laptop.devices.get_link_status()).status is LinkStatus.EXPIRED
    (expired,) = await requests(database)
    assert (expired.status, expired.code_hash) == ("expired", None)


async def test_purge_expired_wipes_due_requests_and_old_failures(
    handset: MakeHandset, clock: ManualClock, database: Database
) -> None:
    desktop, laptop, phone = await handset("Desktop"), await handset("Laptop"), await handset("P")
    old = await laptop.devices.request_link()
    with pytest.raises(InvalidLinkCodeError):
        await desktop.devices.approve_link(wrong_code(old.code))
    clock.advance(minutes=9)
    await phone.devices.request_link()
    clock.advance(minutes=2)
    assert await desktop.devices.purge_expired() == 1
    statuses = [(r.status, r.code_hash is None) for r in await requests(database)]
    assert statuses == [("expired", True), ("pending", False)]
    clock.advance(minutes=5)
    await desktop.devices.purge_expired()
    async with database.reader.begin() as session:
        assert await session.scalar(select(func.count()).select_from(DeviceLinkFailure)) == 0


async def test_one_live_request_per_device(handset: MakeHandset, database: Database) -> None:
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    first = await laptop.devices.request_link()
    second = await laptop.devices.request_link()
    assert first.code != second.code
    assert [r.status for r in await requests(database)] == ["expired", "pending"]
    with pytest.raises(InvalidLinkCodeError):
        await desktop.devices.approve_link(first.code)
    assert (await desktop.devices.approve_link(second.code)).status is LinkStatus.APPROVED


async def test_the_database_itself_refuses_a_second_live_request(
    handset: MakeHandset, database: Database, clock: ManualClock
) -> None:
    laptop = await handset("Laptop")
    link = await laptop.devices.request_link()
    (live,) = await requests(database)
    with pytest.raises(IntegrityError):
        async with database.writer.begin() as session:
            session.add(
                DeviceLinkRequest(
                    requesting_device_id=live.requesting_device_id,
                    code_hash="0" * 64,
                    status="pending",
                    created_at=clock.now,
                    expires_at=link.expires_at,
                )
            )


async def test_five_wrong_codes_kill_a_request_and_the_right_one_then_fails(
    handset: MakeHandset, database: Database
) -> None:
    desktop, laptop, guesser = await handset("Desktop"), await handset("Laptop"), await handset("G")
    link = await laptop.devices.request_link()
    for attempt in range(4):
        with pytest.raises(InvalidLinkCodeError):
            await guesser.devices.find_link_request(wrong_code(link.code))
        assert (await requests(database))[0].failed_attempts == attempt + 1
    with pytest.raises(InvalidLinkCodeError):
        await guesser.devices.approve_link(wrong_code(link.code))
    (dead,) = await requests(database)
    assert (dead.status, dead.code_hash, dead.failed_attempts) == ("expired", None, 5)
    with pytest.raises(InvalidLinkCodeError):
        await desktop.devices.approve_link(link.code)
    status = await laptop.devices.get_link_status()
    assert (status.status, status.failed_attempts) == (LinkStatus.EXPIRED, 5)


async def test_four_wrong_codes_leave_the_request_usable(handset: MakeHandset) -> None:
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    link = await laptop.devices.request_link()
    for _ in range(4):
        with pytest.raises(InvalidLinkCodeError):
            await desktop.devices.approve_link(wrong_code(link.code))
    assert (await desktop.devices.approve_link(link.code)).status is LinkStatus.APPROVED


async def test_a_device_is_capped_at_ten_wrong_codes_per_fifteen_minutes(
    handset: MakeHandset, clock: ManualClock
) -> None:
    desktop, guesser = await handset("Desktop"), await handset("Guesser")
    for _ in range(10):
        with pytest.raises(InvalidLinkCodeError):
            await guesser.devices.find_link_request("BBBB-BBBB")
        clock.advance(seconds=30)
    laptop = await handset("Laptop")
    link = await laptop.devices.request_link()
    with pytest.raises(TooManyLinkAttemptsError, match="Wait 10 minutes"):
        await guesser.devices.find_link_request(link.code)  # even the right code
    with pytest.raises(TooManyLinkAttemptsError):
        await guesser.devices.approve_link(link.code)
    assert (await desktop.devices.find_link_request(link.code)).device_name == "Laptop"
    clock.advance(minutes=10, seconds=1)  # the first wrong code is now 15 minutes old
    fresh = await laptop.devices.request_link()
    assert (await guesser.devices.find_link_request(fresh.code)).device_name == "Laptop"


async def test_wrong_expired_used_and_dead_codes_give_the_same_error(
    handset: MakeHandset, clock: ManualClock
) -> None:
    desktop = await handset("Desktop")
    messages = set()
    wrong = await (await handset("A")).devices.request_link()
    messages.add(await invalid_message(desktop.devices, wrong_code(wrong.code)))
    used = await (await handset("B")).devices.request_link()
    await desktop.devices.approve_link(used.code)
    messages.add(await invalid_message(desktop.devices, used.code))
    denied = await (await handset("C")).devices.request_link()
    await desktop.devices.deny_link(denied.code)
    messages.add(await invalid_message(desktop.devices, denied.code))
    dead_device = await handset("D")
    dead = await dead_device.devices.request_link()
    guesser = await handset("G")
    for _ in range(5):
        with pytest.raises(InvalidLinkCodeError):
            await guesser.devices.approve_link(wrong_code(dead.code))
    messages.add(await invalid_message(desktop.devices, dead.code))
    expired = await (await handset("E")).devices.request_link()
    clock.advance(minutes=11)
    messages.add(await invalid_message(desktop.devices, expired.code))
    assert len(messages) == 1
    (message,) = messages
    assert "not valid" in message and "verse devices link" in message


async def test_deny_uses_up_the_code_and_keeps_the_device_apart(
    handset: MakeHandset, database: Database
) -> None:
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    before = (await laptop.devices.account_summary()).account_id
    link = await laptop.devices.request_link()
    outcome = await desktop.devices.deny_link(link.code)
    assert outcome.status is LinkStatus.DENIED and outcome.device.account_id == before
    assert (await laptop.devices.get_link_status()).status is LinkStatus.DENIED
    assert (await laptop.devices.account_summary()).device_count == 1
    (denied,) = await requests(database)
    assert denied.code_hash is None
    with pytest.raises(InvalidLinkCodeError):
        await desktop.devices.approve_link(link.code)


async def test_a_malformed_code_is_a_clear_input_error_and_no_attempt(
    handset: MakeHandset, database: Database
) -> None:
    desktop = await handset("Desktop")
    with pytest.raises(MalformedLinkCodeError) as excinfo:
        await desktop.devices.approve_link("12345")
    assert isinstance(excinfo.value, InputError)
    async with database.reader.begin() as session:
        assert await session.scalar(select(func.count()).select_from(DeviceLinkFailure)) == 0


async def test_a_device_cannot_approve_its_own_code(handset: MakeHandset) -> None:
    laptop = await handset("Laptop")
    link = await laptop.devices.request_link()
    with pytest.raises(LinkRefusedError, match="own code"):
        await laptop.devices.approve_link(link.code)


async def test_a_linked_device_must_unlink_before_joining_another_account(
    handset: MakeHandset,
) -> None:
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    await desktop.devices.approve_link((await laptop.devices.request_link()).code)
    with pytest.raises(LinkRefusedError, match="unlink"):
        await laptop.devices.request_link()


async def test_status_without_a_request_says_what_to_do(handset: MakeHandset) -> None:
    laptop = await handset("Laptop")
    with pytest.raises(NotFoundError, match="verse devices link"):
        await laptop.devices.get_link_status()


async def test_link_approve_deny_unlink_rename_are_audited_without_secrets(
    handset: MakeHandset, database: Database
) -> None:
    desktop, laptop, phone = await handset("Desktop"), await handset("Laptop"), await handset("P")
    approved = await laptop.devices.request_link()
    await desktop.devices.approve_link(approved.code)
    denied = await phone.devices.request_link()
    await desktop.devices.deny_link(denied.code)
    laptop_id = (await laptop.devices.get_device()).id
    await desktop.devices.rename_device(laptop_id, "Work laptop")
    await desktop.devices.unlink_device(laptop_id)
    async with database.reader.begin() as session:
        entries = list(
            await session.scalars(select(DeviceAuditEntry).order_by(DeviceAuditEntry.id))
        )
        key = await session.scalar(select(ServerSecret.value))
    events = [e.event for e in entries if e.event != "device_registered"]
    assert events == [
        "link_requested",
        "link_approved",
        "link_requested",
        "link_denied",
        "device_renamed",
        "device_unlinked",
    ]
    assert all(e.subject_device_id for e in entries)
    secrets_ = {laptop.credential_hash, desktop.credential_hash, phone.credential_hash}
    for link in (approved, denied):
        secrets_ |= {normalize_code(link.code), link.code}
        secrets_.add(hmac.new(key or b"", normalize_code(link.code).encode(), "sha256").hexdigest())
    dumped = " ".join(str(vars(e)) for e in entries)
    assert not any(secret in dumped for secret in secrets_)
    await assert_code_nowhere_in_database(database, approved.code)


async def test_a_killed_request_is_audited(handset: MakeHandset, database: Database) -> None:
    laptop, guesser = await handset("Laptop"), await handset("Guesser")
    link = await laptop.devices.request_link()
    for _ in range(5):
        with pytest.raises(InvalidLinkCodeError):
            await guesser.devices.find_link_request(wrong_code(link.code))
    async with database.reader.begin() as session:
        entry = await session.scalar(
            select(DeviceAuditEntry).where(DeviceAuditEntry.event == "link_expired")
        )
    assert entry is not None and entry.request_id == link.request_id
    assert entry.detail == "5 wrong codes"


async def test_the_service_compares_code_hashes_in_constant_time(
    handset: MakeHandset, monkeypatch: pytest.MonkeyPatch
) -> None:
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    link = await laptop.devices.request_link()
    compared: list[bytes] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append(a)
        return real(a, b)

    monkeypatch.setattr(link_codes.hmac, "compare_digest", spy)
    await desktop.devices.approve_link(link.code)
    assert compared and all(len(c) == 64 for c in compared)
