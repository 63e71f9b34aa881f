"""Pairing by on-screen code: every security requirement of issue 4, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import IntegrityError

from tests.conftest import ManualClock
from tests.devices.conftest import MakeHandset
from tests.devices.pairing_helpers import hashes_wiped, requests, wrong_code
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
    InvalidLinkCodeError,
    LinkPolicy,
    LinkRefusedError,
)
from verse_tui.services.link_codes import MalformedLinkCodeError, format_code, normalize_code


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
    statuses = [(r.status, hashes_wiped(r)) for r in await requests(database)]
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


async def test_a_missing_server_key_is_created_on_first_use(
    handset: MakeHandset, database: Database
) -> None:
    desktop, laptop = await handset("Desktop"), await handset("Laptop")
    async with database.writer.begin() as session:
        await session.execute(delete(ServerSecret))
    link = await laptop.devices.request_link()
    async with database.reader.begin() as session:
        keys = (await session.scalars(select(ServerSecret.value))).all()
    assert len(keys) == 1 and len(keys[0]) == 32
    assert (await desktop.devices.approve_link(link.code)).status is LinkStatus.APPROVED
