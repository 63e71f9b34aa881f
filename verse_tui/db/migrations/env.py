"""Alembic environment: runs on a connection handed over by `verse_tui.db.migrate`.

`migrate()` opens the connection (foreign keys off on SQLite), begins the transaction,
puts the sync connection in `config.attributes["connection"]` and calls Alembic inside
`AsyncConnection.run_sync`, so this works inside a running event loop (Textual's).
Batch mode is on for SQLite, whose ALTER TABLE cannot change most things in place.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from verse_tui.db.models import full_metadata


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=full_metadata(),
        render_as_batch=connection.dialect.name == "sqlite",
        transactional_ddl=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    connection = context.config.attributes.get("connection")
    if context.is_offline_mode() or connection is None:
        raise RuntimeError(
            "Verse migrations run through verse_tui.db.migrate.migrate(), "
            "which passes an open connection in config.attributes['connection']."
        )
    run_migrations(connection)


_main()
