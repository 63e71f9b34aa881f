"""The tool rounds of one reply, as stored with it and as replayed to Claude.

A tool round is one `tool_use` turn of Claude's and Verse's `tool_result` turn answering it.
A reply's text is all the text Claude wrote, across rounds; its rounds are kept beside it (in
`messages.tool_rounds`, JSON) with where in the text each round ended, so the history sent
later is the conversation exactly as it happened: for each round the assistant's content
blocks (its text and tool_use blocks) then the user's tool_result blocks, then the text
written after the last round. Only whole rounds are stored (every tool_use with its result),
so a replay is always a valid conversation.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from verse_tui.llm.client import LlmMessage


@dataclass(frozen=True, slots=True)
class ToolRound:
    """One whole round: `text_end` is the length of the reply's text when it ended."""

    text_end: int
    content: tuple[dict[str, Any], ...]  # the assistant turn: text and tool_use blocks
    results: tuple[dict[str, Any], ...]  # the user turn: one tool_result per tool_use
    summaries: tuple[str, ...]  # one quiet line per call, as shown


def rounds_json(rounds: Sequence[ToolRound]) -> str | None:
    """The column's value: None for a reply without tools."""
    if not rounds:
        return None
    return json.dumps(
        [
            {
                "text_end": r.text_end,
                "content": list(r.content),
                "results": list(r.results),
                "summaries": list(r.summaries),
            }
            for r in rounds
        ],
        ensure_ascii=False,
    )


def parse_rounds(raw: str | None) -> tuple[ToolRound, ...]:
    """The rounds stored in the column (none for NULL or a value that is not ours)."""
    if not raw:
        return ()
    try:
        found = json.loads(raw)
        return tuple(
            ToolRound(
                int(r["text_end"]),
                tuple(r["content"]),
                tuple(r["results"]),
                tuple(str(s) for s in r.get("summaries", ())),
            )
            for r in found
        )
    except (ValueError, TypeError, KeyError):
        return ()


def tool_summaries(raw: str | None) -> tuple[str, ...]:
    return tuple(s for r in parse_rounds(raw) for s in r.summaries)


def replay(text: str, rounds: Sequence[ToolRound]) -> list[LlmMessage]:
    """One assistant reply as the turns Claude is sent again (see the module doc)."""
    if not rounds:
        return [LlmMessage("assistant", text.strip())] if text.strip() else []
    turns: list[LlmMessage] = []
    for r in rounds:
        turns.append(LlmMessage("assistant", "", blocks=r.content))
        turns.append(LlmMessage("user", "", blocks=r.results))
    rest = text[rounds[-1].text_end :].strip()
    if rest:
        turns.append(LlmMessage("assistant", rest))
    return turns


def merge_turns(turns: Sequence[LlmMessage]) -> list[LlmMessage]:
    """Consecutive turns of one role merged into one (the API wants them alternating): texts
    joined by a blank line, or, when either has blocks, their blocks in order."""
    merged: list[LlmMessage] = []
    for turn in turns:
        if not merged or merged[-1].role != turn.role:
            merged.append(turn)
            continue
        last = merged[-1]
        if last.blocks is None and turn.blocks is None:
            merged[-1] = LlmMessage(turn.role, f"{last.text}\n\n{turn.text}")
        else:
            merged[-1] = LlmMessage(turn.role, "", blocks=(*_blocks(last), *_blocks(turn)))
    return merged


def _blocks(turn: LlmMessage) -> tuple[dict[str, Any], ...]:
    if turn.blocks is not None:
        return turn.blocks
    return ({"type": "text", "text": turn.text},) if turn.text.strip() else ()
