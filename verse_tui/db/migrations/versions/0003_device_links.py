"""Device links: pairing requests, failed code look-ups, the device audit log, server secrets.

Also creates the server-side key that pairing codes are hashed with (HMAC-SHA256), so the
key lives in this database and never in the code.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from verse_tui.db.base import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

LINK_CODE_KEY_NAME = "link_code_hmac_key"


def upgrade() -> None:
    op.create_table(
        "device_link_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "requesting_device_id",
            sa.Integer(),
            sa.ForeignKey("devices.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("code_hash", sa.String(64), nullable=True, unique=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column(
            "approved_by_device_id",
            sa.Integer(),
            sa.ForeignKey("devices.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'approved', 'denied', 'expired')", name="status"),
    )
    op.create_index(
        "ix_device_link_requests_requesting_device_id",
        "device_link_requests",
        ["requesting_device_id"],
    )
    op.create_index(
        "uq_device_link_requests_one_pending",
        "device_link_requests",
        ["requesting_device_id"],
        unique=True,
        sqlite_where=sa.text("status = 'pending'"),
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_table(
        "device_link_failures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "device_id",
            sa.Integer(),
            sa.ForeignKey("devices.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("at", UTCDateTime(), nullable=False),
    )
    op.create_index(
        "ix_device_link_failures_device_at", "device_link_failures", ["device_id", "at"]
    )
    op.create_table(
        "device_audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("actor_device_id", sa.Integer(), nullable=True),
        sa.Column("subject_device_id", sa.Integer(), nullable=True),
        sa.Column("from_user_id", sa.Integer(), nullable=True),
        sa.Column("to_user_id", sa.Integer(), nullable=True),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.String(200), nullable=True),
    )
    op.create_index("ix_device_audit_log_at", "device_audit_log", ["at"])
    secrets_table = op.create_table(
        "server_secrets",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.bulk_insert(
        secrets_table,
        [
            {
                "name": LINK_CODE_KEY_NAME,
                "value": secrets.token_bytes(32),
                "created_at": datetime.now(UTC),
            }
        ],
    )


def downgrade() -> None:
    op.drop_table("server_secrets")
    op.drop_index("ix_device_audit_log_at", table_name="device_audit_log")
    op.drop_table("device_audit_log")
    op.drop_index("ix_device_link_failures_device_at", table_name="device_link_failures")
    op.drop_table("device_link_failures")
    op.drop_index("uq_device_link_requests_one_pending", table_name="device_link_requests")
    op.drop_index("ix_device_link_requests_requesting_device_id", table_name="device_link_requests")
    op.drop_table("device_link_requests")
