"""Accounts: users, devices, reading positions, bookmarks, highlights, notes.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from verse_tui.db.base import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _verse_range_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("translation", sa.String(16), nullable=False),
        sa.Column("start_book", sa.Integer(), nullable=False),
        sa.Column("start_chapter", sa.Integer(), nullable=False),
        sa.Column("start_verse", sa.Integer(), nullable=False),
        sa.Column("end_book", sa.Integer(), nullable=False),
        sa.Column("end_chapter", sa.Integer(), nullable=False),
        sa.Column("end_verse", sa.Integer(), nullable=False),
    ]


def _user_fk() -> sa.Column[int]:
    return sa.Column(
        "user_id",
        sa.Integer(),
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("translation", sa.String(16), nullable=False),
        sa.Column("theme", sa.String(40), nullable=False),
        sa.Column("parallel_translation", sa.String(16), nullable=True),
    )
    op.create_table(
        "devices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("platform", sa.String(50), nullable=False),
        sa.Column("credential_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_devices_user_id", "devices", ["user_id"])
    op.create_table(
        "reading_positions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("translation", sa.String(16), nullable=False),
        sa.Column("book", sa.Integer(), nullable=False),
        sa.Column("chapter", sa.Integer(), nullable=False),
        sa.Column("verse", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "bookmarks",
        sa.Column("id", sa.Integer(), primary_key=True),
        _user_fk(),
        sa.Column("label", sa.String(200), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        *_verse_range_columns(),
    )
    op.create_index(
        "ix_bookmarks_user_start", "bookmarks", ["user_id", "start_book", "start_chapter"]
    )
    op.create_table(
        "highlights",
        sa.Column("id", sa.Integer(), primary_key=True),
        _user_fk(),
        sa.Column("color", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        *_verse_range_columns(),
    )
    op.create_index(
        "ix_highlights_user_start", "highlights", ["user_id", "start_book", "start_chapter"]
    )
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        _user_fk(),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        *_verse_range_columns(),
    )
    op.create_index("ix_notes_user_start", "notes", ["user_id", "start_book", "start_chapter"])


def downgrade() -> None:
    for index, table in (
        ("ix_notes_user_start", "notes"),
        ("ix_highlights_user_start", "highlights"),
        ("ix_bookmarks_user_start", "bookmarks"),
    ):
        op.drop_index(index, table_name=table)
        op.drop_table(table)
    op.drop_table("reading_positions")
    op.drop_index("ix_devices_user_id", table_name="devices")
    op.drop_table("devices")
    op.drop_table("users")
