"""Pending removal: the reader's study actions moved to `verse_tui.tui.reading.study_actions`,
the Claude helpers to `verse_tui.tui.claude`. `tui/chat/screen.py` still imports these two
names from here; once it imports `verse_tui.tui.claude`, delete this module.
"""

from verse_tui.tui.claude import ClaudeWarmUp, needs_key_message

__all__ = ["ClaudeWarmUp", "needs_key_message"]
