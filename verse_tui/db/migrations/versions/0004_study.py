"""Study aids: insights on passages, the definitions cache, saved words.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from verse_tui.db.base import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

KINDS = (
    "kind IN ('historical_context', 'key_themes', 'cross_references', 'original_language', "
    "'application')"
)
STATUSES = "status IN ('complete', 'streaming', 'cancelled', 'failed', 'interrupted')"
SOURCES = "source IN ('glossary', 'ai')"
LOOKUP_COLUMNS = [
    "user_id",
    "translation",
    "start_book",
    "start_chapter",
    "start_verse",
    "end_book",
    "end_chapter",
    "end_verse",
    "kind",
]


def upgrade() -> None:
    op.create_table(
        "insights",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("translation", sa.String(16), nullable=False),
        sa.Column("reference", sa.String(200), nullable=False),
        sa.Column("start_book", sa.Integer(), nullable=False),
        sa.Column("start_chapter", sa.Integer(), nullable=False),
        sa.Column("start_verse", sa.Integer(), nullable=False),
        sa.Column("end_book", sa.Integer(), nullable=False),
        sa.Column("end_chapter", sa.Integer(), nullable=False),
        sa.Column("end_verse", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("model", sa.String(100), nullable=True),
        sa.Column("stop_reason", sa.String(40), nullable=True),
        sa.Column("was_truncated", sa.Boolean(), nullable=False),
        sa.Column("input_tokens", sa.Integer(), nullable=True),
        sa.Column("output_tokens", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insights")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_insights_user_id_users"), ondelete="CASCADE"
        ),
        sa.CheckConstraint(KINDS, name=op.f("ck_insights_kind")),
        sa.CheckConstraint(STATUSES, name=op.f("ck_insights_status")),
    )
    op.create_index("ix_insights_lookup", "insights", LOOKUP_COLUMNS)
    op.create_index("ix_insights_status", "insights", ["status"])
    op.create_table(
        "definitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("word", sa.String(80), nullable=False),
        sa.Column("translation", sa.String(16), nullable=False),
        sa.Column("book", sa.Integer(), nullable=False),
        sa.Column("chapter", sa.Integer(), nullable=False),
        sa.Column("verse", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(200), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("part_of_speech", sa.String(80), nullable=True),
        sa.Column("sense", sa.Text(), nullable=True),
        sa.Column("modern_equivalent", sa.String(200), nullable=True),
        sa.Column("ai_text", sa.Text(), nullable=True),
        sa.Column("model", sa.String(100), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_definitions")),
        sa.UniqueConstraint(
            "word", "translation", "book", "chapter", "verse", name=op.f("uq_definitions_word")
        ),
        sa.CheckConstraint(SOURCES, name=op.f("ck_definitions_source")),
    )
    op.create_table(
        "saved_words",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("definition_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_words")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_saved_words_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["definition_id"],
            ["definitions.id"],
            name=op.f("fk_saved_words_definition_id_definitions"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("user_id", "definition_id", name=op.f("uq_saved_words_user_id")),
    )
    op.create_index("ix_saved_words_user", "saved_words", ["user_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_saved_words_user", table_name="saved_words")
    op.drop_table("saved_words")
    op.drop_table("definitions")
    op.drop_index("ix_insights_status", table_name="insights")
    op.drop_index("ix_insights_lookup", table_name="insights")
    op.drop_table("insights")
