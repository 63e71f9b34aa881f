"""Plain frozen dataclasses that cross layers. No imports of SQLAlchemy, Textual or anthropic.

One module per area (bible, user, chat, devices, study) so that each area owns its types.
"""
