"""Pending removal: the worker-error mixin lives in `verse_tui.tui.worker_errors`.
`tui/chat/screen.py` still imports `ServiceCalls` from here; once it imports
`verse_tui.tui.worker_errors`, delete this module.
"""

from verse_tui.tui.worker_errors import ServiceCalls

__all__ = ["ServiceCalls"]
