"""Link attempts: wrong codes count against the request guessed at and the guesser's account.

- `device_link_requests` gains keyed hashes of each half of its code, so a wrong code that
  shares a half with a live request (a near miss) counts against that request only, instead
  of against every live request in the database.
- `device_link_failures` gains the guesser's account (`user_id`), so failures are counted
  per account as well as per device, and an index on `at` for the database-wide limit.
  Existing rows get the account their device belongs to now.

Requests pending during the upgrade have no half hashes (their codes are not stored): they
still link with the right code, and expire within 10 minutes as before.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

HALVES = ("first_half_hash", "second_half_hash")
USER_FK = "fk_device_link_failures_user_id_users"


def upgrade() -> None:
    with op.batch_alter_table("device_link_requests") as batch:
        for name in HALVES:
            batch.add_column(sa.Column(name, sa.String(64), nullable=True))
            batch.create_index(f"ix_device_link_requests_{name}", [name])
    with op.batch_alter_table("device_link_failures") as batch:
        batch.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE device_link_failures SET user_id = "
        "(SELECT devices.user_id FROM devices WHERE devices.id = device_link_failures.device_id)"
    )
    with op.batch_alter_table("device_link_failures") as batch:
        batch.alter_column("user_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(USER_FK, "users", ["user_id"], ["id"], ondelete="CASCADE")
        batch.create_index("ix_device_link_failures_user_at", ["user_id", "at"])
        batch.create_index("ix_device_link_failures_at", ["at"])


def downgrade() -> None:
    with op.batch_alter_table("device_link_failures") as batch:
        batch.drop_index("ix_device_link_failures_at")
        batch.drop_index("ix_device_link_failures_user_at")
        batch.drop_constraint(USER_FK, type_="foreignkey")
        batch.drop_column("user_id")
    with op.batch_alter_table("device_link_requests") as batch:
        for name in HALVES:
            batch.drop_index(f"ix_device_link_requests_{name}")
            batch.drop_column(name)
