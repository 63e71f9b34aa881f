"""Devices, accounts and pairing requests, as the services hand them to the TUI and CLI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class LinkStatus(StrEnum):
    """Where a pairing request stands, as the new device sees it when it polls."""

    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class Device:
    """One installation of Verse. `is_current` is True for the device asking."""

    id: int
    name: str
    platform: str
    account_id: int
    created_at: datetime
    last_seen_at: datetime
    is_current: bool = False


@dataclass(frozen=True, slots=True)
class LinkCode:
    """What the new device shows: the code (`XXXX-XXXX`) and when it stops working.

    The code exists only here and on screen; the database keeps a keyed hash of it.
    """

    request_id: int
    code: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class LinkRequestStatus:
    """The new device's view of its latest request.

    `account_id` is the account it now belongs to (the approver's once approved);
    `failed_attempts` explains an early expiry: wrong codes that shared half of this code
    (a typo or a guess at it); 5 kill the request.
    """

    request_id: int
    status: LinkStatus
    created_at: datetime
    expires_at: datetime
    account_id: int
    failed_attempts: int = 0


@dataclass(frozen=True, slots=True)
class LinkRequest:
    """What an already linked device sees after entering a code: who is asking, and when."""

    request_id: int
    device_id: int
    device_name: str
    platform: str
    requested_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class LinkOutcome:
    """The result of approving or denying a request."""

    request_id: int
    status: LinkStatus
    device: Device


@dataclass(frozen=True, slots=True)
class AccountSummary:
    """`verse whoami`: this device, its account and how many devices share the account."""

    device: Device
    account_id: int
    device_count: int
