"""The history sent to Claude with a new question: the earlier turns of a chat. Pure
functions, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from verse_tui.domain.chat import ROLES
from verse_tui.llm.client import LlmMessage
from verse_tui.services.tool_rounds import merge_turns, parse_rounds, replay

HISTORY_LIMIT = 40  # most recent messages sent back to Claude with a new question


class Turn(Protocol):
    """What the history for Claude needs of a message (a model or a light row), read only."""

    @property
    def role(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def tool_rounds(self) -> str | None: ...


def llm_history(messages: Sequence[Turn]) -> list[LlmMessage]:
    """Earlier turns for Claude: the recent ones with text, same-role turns merged, starting
    with the user (a failed reply with no text leaves two questions in a row, merged). A
    reply that called tools is replayed with its tool rounds (`tool_rounds.replay`)."""
    turns: list[LlmMessage] = []
    for message in messages[-HISTORY_LIMIT:]:
        if message.role not in ROLES or (not turns and message.role != "user"):
            continue  # (the database allows no other role)
        if message.role == "assistant":
            turns += replay(message.text, parse_rounds(message.tool_rounds))
        elif message.text.strip():
            turns.append(LlmMessage("user", message.text.strip()))
    return merge_turns(turns)
