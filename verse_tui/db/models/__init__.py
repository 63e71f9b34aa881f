"""All models, imported so that `Base.metadata` knows every table (Alembic autogenerate).

Each area owns one module; add your module's import line here.
"""

from verse_tui.db.models import accounts, chats, device_links, study

__all__ = ["accounts", "chats", "device_links", "study"]
