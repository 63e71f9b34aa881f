"""Pairing requests, failed code look-ups, the device audit log and the server's secrets.

Only a keyed hash of a pairing code is ever stored (`code_hash`), and it is wiped (set to
NULL) as soon as the request is used, denied or expires. The audit log holds ids and event
names, never codes, hashes or credentials; its ids are plain integers (no foreign keys) so
the history survives devices and accounts that are merged or removed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from verse_tui.db.base import Base, UTCDateTime

LINK_STATUSES = ("pending", "approved", "denied", "expired")
AUDIT_EVENTS = (
    "device_registered",
    "link_requested",
    "link_approved",
    "link_denied",
    "link_expired",
    "device_unlinked",
    "device_renamed",
)


class DeviceLinkRequest(Base):
    """A new device asking to join an account; lives at most 10 minutes."""

    __tablename__ = "device_link_requests"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'denied', 'expired')", name="status"),
        # One live request per device, enforced by the database itself. Migration 0003
        # creates it partial on both backends; only SQLite's predicate is repeated here, as a
        # `postgresql_*` option would import SQLAlchemy's PostgreSQL dialect on every SQLite
        # start-up (~25 ms). Autogenerate does not compare index predicates.
        Index(
            "uq_device_link_requests_one_pending",
            "requesting_device_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    requesting_device_id: Mapped[int] = mapped_column(
        ForeignKey("devices.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Keyed hashes of the code's two halves: a wrong code sharing one is a near miss on
    # this request (see services/link_guard.py). Wiped with `code_hash`.
    first_half_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    second_half_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Near misses: wrong codes that shared a half with this code; 5 kill the request.
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    approved_by_device_id: Mapped[int | None] = mapped_column(
        ForeignKey("devices.id", ondelete="SET NULL")
    )
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DeviceLinkFailure(Base):
    """One wrong code entered on a device of an account. Recent rows are counted per device,
    per account (the account moves with a merge, so linking does not reset it) and across
    the whole database (the global limit)."""

    __tablename__ = "device_link_failures"
    __table_args__ = (
        Index("ix_device_link_failures_device_at", "device_id", "at"),
        Index("ix_device_link_failures_user_at", "user_id", "at"),
        Index("ix_device_link_failures_at", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class DeviceAuditEntry(Base):
    """Who linked, approved, denied, unlinked or renamed which device, and when. No secrets."""

    __tablename__ = "device_audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    event: Mapped[str] = mapped_column(String(32))
    actor_device_id: Mapped[int | None] = mapped_column(Integer)
    subject_device_id: Mapped[int | None] = mapped_column(Integer)
    from_user_id: Mapped[int | None] = mapped_column(Integer)
    to_user_id: Mapped[int | None] = mapped_column(Integer)
    request_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str | None] = mapped_column(String(200))


class ServerSecret(Base):
    """Secrets that belong to the database, not the code (the key for hashing link codes)."""

    __tablename__ = "server_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
