"""Tool rounds: a reply keeps the local tools Claude called and what they returned.

`messages` gains `tool_rounds` (JSON text, NULL for a reply without tools): the tool_use and
tool_result blocks of each whole round, so history, Continue and Retry send Claude the
conversation as it happened. Existing messages keep every value; they had no tools.

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


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("tool_rounds")
