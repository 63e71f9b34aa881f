"""How often a streamed row (a chat reply, an insight) is saved, and when a row left
`streaming` counts as abandoned. Apart from `streaming.py` so that start-up's tidying of
abandoned replies (`chat_list.py`) needs none of the streaming machinery."""

from __future__ import annotations

from datetime import timedelta

CHECKPOINT_INTERVAL = 0.5  # seconds between checkpoints while text arrives
HEARTBEAT_INTERVAL = 5.0  # seconds between rewrites of a row that receives nothing
STALE_AFTER = timedelta(seconds=30)  # a `streaming` row unsaved this long lost its process
