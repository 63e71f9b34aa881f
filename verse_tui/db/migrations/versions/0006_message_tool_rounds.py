"""Tool rounds and citations: a reply keeps the local tools Claude called and what they
returned, and its checked citations.

`messages` gains `tool_rounds` (JSON text, NULL for a reply without tools): the tool_use and
tool_result blocks of each whole round, so history, Continue and Retry send Claude the
conversation as it happened; and `citations` (JSON text, NULL when not checked): each
reference and quotation of the reply with its verdict; and the prompt-cache tokens of each
reply (`cache_read_tokens`, `cache_write_tokens`). Existing messages keep every value.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("tool_rounds", sa.Text(), nullable=True))
        batch.add_column(sa.Column("citations", sa.Text(), nullable=True))
        batch.add_column(sa.Column("cache_read_tokens", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("cache_write_tokens", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("cache_write_tokens")
        batch.drop_column("cache_read_tokens")
        batch.drop_column("citations")
        batch.drop_column("tool_rounds")
