"""What running one of Claude's local tools produced."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class ToolOutcome:
    """One tool call's result.

    `content` goes back to Claude as the `tool_result` (with `is_error` when the input could
    not be used: the content then says what was wrong, so Claude can correct the call);
    `summary` is the one quiet line people see, e.g. "read Romans 5:8 (KJV)" or
    'searched "living water" in John (KJV): 2 verses', free of control characters.
    """

    name: str
    content: str
    is_error: bool
    summary: str


@dataclass(frozen=True, slots=True)
class ToolCall:
    """One `tool_use` block of Claude's reply: which tool, with what input, under which id."""

    id: str
    name: str
    input: Any = field(default=None)


MAX_TOOL_ROUNDS = 5  # tool rounds (Claude asks, Verse answers) in one reply at most
