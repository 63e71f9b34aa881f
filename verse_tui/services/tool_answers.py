"""Claude's answer with the local tools, for the study aids that store only the finished text.

A chat reply or an insight is a row written while it streams (`reply_stream.stream_reply`);
a definition is stored once, when its answer is whole. `answer_with_tools` runs the same
conversation for it: the same tool definitions, at most `MAX_TOOL_ROUNDS` rounds (the last
request forbids further calls so Claude answers), each call shown as a `ToolUsed` line, and
the text of every round joined as a chat reply's is (a blank line where a round's text
starts). The pieces both loops share (`tool_options`, `tool_round`) live here.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, Sequence
from typing import Any, Protocol

from verse_tui.domain.chat import StreamFinished, TextDelta, ToolUsed
from verse_tui.domain.tools import MAX_TOOL_ROUNDS, ToolOutcome
from verse_tui.llm.client import LlmMessage
from verse_tui.llm.protocol import LanguageModel
from verse_tui.llm.tools import tool_definitions, tool_result_block
from verse_tui.services.tool_rounds import ToolRound


class ToolRunner(Protocol):
    """Runs one of Claude's tool calls; never raises for what Claude sends (`ToolExecutor`)."""

    async def run(self, name: str, arguments: object) -> ToolOutcome: ...


def tool_options(turn: int) -> dict[str, Any]:
    """The tool parameters of request number `turn` of one answer (0 first): the fixed
    definitions (cached), and from the last allowed turn on, `tool_choice` none."""
    options: dict[str, Any] = {"tools": tool_definitions(cache=True)}
    if turn >= MAX_TOOL_ROUNDS:
        options["tool_choice"] = {"type": "none"}
    return options


def tool_round(
    text_end: int, ended: StreamFinished, outcomes: Sequence[tuple[str, ToolOutcome]]
) -> ToolRound:
    """The whole round: Claude's turn as it ended, and one tool_result per call."""
    results = tuple(
        tool_result_block(call_id, o.content, is_error=o.is_error) for call_id, o in outcomes
    )
    return ToolRound(text_end, ended.content, results, tuple(o.summary for _, o in outcomes))


async def answer_with_tools(
    llm: LanguageModel,
    history: Sequence[LlmMessage],
    *,
    system: str | list[dict[str, Any]],
    max_tokens: int,
    tools: ToolRunner,
) -> AsyncGenerator[TextDelta | ToolUsed | StreamFinished, None]:
    """Claude's `TextDelta`s and a `ToolUsed` per tool call, then one `StreamFinished` whose
    text is every delta joined and whose tokens are summed over the requests. Raises
    `LlmError` as `LanguageModel.stream` does (the text so far is what was yielded)."""
    turns = list(history)
    parts: list[str] = []
    spent = (0, 0)
    for turn in range(MAX_TOOL_ROUNDS + 1):
        parted = turn > 0 and bool("".join(parts).strip())  # a new round starts a paragraph
        ended: StreamFinished | None = None
        stream = llm.stream(turns, system=system, max_tokens=max_tokens, **tool_options(turn))
        async with contextlib.aclosing(stream) as events:
            async for event in events:
                if isinstance(event, TextDelta):
                    if parted:
                        event, parted = TextDelta("\n\n" + event.text.lstrip("\n")), False
                    parts.append(event.text)
                    yield event
                else:
                    ended = event
        if ended is None:  # LanguageModel.stream ends with StreamFinished or raises
            raise RuntimeError("the answer stream ended without a StreamFinished event")
        spent = (spent[0] + (ended.input_tokens or 0), spent[1] + (ended.output_tokens or 0))
        if not ended.tool_calls or turn >= MAX_TOOL_ROUNDS:
            yield _whole(ended, "".join(parts), spent)
            return
        outcomes: list[tuple[str, ToolOutcome]] = []
        for call in ended.tool_calls:
            outcomes.append((call.id, await tools.run(call.name, call.input)))
            yield ToolUsed(outcomes[-1][1].summary, outcomes[-1][1].is_error)
        done = tool_round(len("".join(parts)), ended, outcomes)
        turns += [
            LlmMessage("assistant", "", blocks=done.content),
            LlmMessage("user", "", blocks=done.results),
        ]


def _whole(ended: StreamFinished, text: str, spent: tuple[int, int]) -> StreamFinished:
    return StreamFinished(
        text=text,
        stop_reason=ended.stop_reason,
        was_truncated=ended.was_truncated,
        input_tokens=spent[0] or None,
        output_tokens=spent[1] or None,
        model=ended.model,
    )
