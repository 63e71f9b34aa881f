"""One streamed reply from request to end: `stream_reply` asks Claude, runs the local tools
Claude calls (at most `MAX_TOOL_ROUNDS` rounds), checks citations as paragraphs finish, and
persists everything through the request's `ReplyWriter` (see `stream_persistence.py` for how
rows are written, checkpointed and ended)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from verse_tui.domain.chat import (
    CitationsChecked,
    StreamFailed,
    StreamFinished,
    TextDelta,
    ToolUsed,
)
from verse_tui.domain.tools import MAX_TOOL_ROUNDS, ToolOutcome
from verse_tui.llm.client import LlmMessage
from verse_tui.llm.errors import LlmError
from verse_tui.llm.protocol import LanguageModel
from verse_tui.services.stream_persistence import ReplyLost, ReplyWriter
from verse_tui.services.tool_answers import ToolRunner, tool_options, tool_round

Started = TypeVar("Started")


@dataclass(frozen=True, slots=True)
class ReplyRequest(Generic[Started]):
    """A committed request with its empty row: what to send Claude and where the text goes.
    `cancel_at_start`: closing the stream at `started` (before Claude is asked) writes the
    row's end `cancelled` (a chat reply); if False the row stays `streaming` for the next
    start's `mark_interrupted` (an insight)."""

    writer: ReplyWriter
    started: Started
    history: Sequence[LlmMessage]
    system: str | list[dict[str, Any]]
    max_tokens: int
    cancel_at_start: bool = True
    tools: ToolRunner | None = None  # Claude may call these local tools while answering


async def stream_reply(
    llm: LanguageModel, prepare: Callable[[], Awaitable[ReplyRequest[Started]]]
) -> AsyncGenerator[
    Started | TextDelta | ToolUsed | CitationsChecked | StreamFinished | StreamFailed, None
]:
    """Await `prepare` (it checks the input and commits the row: its errors are raised on the
    first iteration, before anything is sent), yield its `started`, then stream one reply
    from `llm`, persisting it through its writer (see the module doc). With `tools`, each
    tool round Claude asks for (at most `MAX_TOOL_ROUNDS`) is run, shown as `ToolUsed` and
    saved with the row before the conversation goes on. One generator from
    the request to the end, so each delta crosses one layer. Consumers close it with
    `aclose()` (or `contextlib.aclosing`)."""
    request = await prepare()
    writer = request.writer
    finished: StreamFinished | None = None
    if not request.cancel_at_start:
        yield request.started
    try:
        if request.cancel_at_start:
            yield request.started
        writer.start()
        history = list(request.history)
        for turn in range(MAX_TOOL_ROUNDS + 1):
            ended: StreamFinished | None = None
            async with contextlib.aclosing(
                _one_request(llm, request, history, turn, writer)
            ) as events:
                async for event in events:
                    if isinstance(event, StreamFinished):
                        ended = event
                    else:
                        yield event
            assert ended is not None  # _one_request ends with StreamFinished or raises
            if not (ended.tool_calls and request.tools is not None and turn < MAX_TOOL_ROUNDS):
                if writer.citations is not None and (last := await writer.citations.finish()):
                    yield CitationsChecked(last)
                finished = await writer.finish(ended)
                break
            writer.add_usage(ended)
            outcomes: list[tuple[str, ToolOutcome]] = []
            for call in ended.tool_calls:
                outcomes.append((call.id, await request.tools.run(call.name, call.input)))
                yield ToolUsed(outcomes[-1][1].summary, outcomes[-1][1].is_error)
            done = tool_round(len(writer.text), ended, outcomes)
            await writer.save_round(done)
            history += [
                LlmMessage("assistant", "", blocks=done.content),
                LlmMessage("user", "", blocks=done.results),
            ]
        if finished is None:  # LlmClient.stream always ends with StreamFinished or raises
            raise RuntimeError("the reply stream ended without a StreamFinished event")
    except LlmError as error:
        yield await writer.fail(error)
        return
    except ReplyLost:
        writer.discard()
        yield writer.failed_as_lost()
        return
    except (asyncio.CancelledError, GeneratorExit):
        await writer.cancel()
        raise
    except BaseException:
        await writer.fail_unexpectedly()
        raise
    yield finished


async def _one_request(
    llm: LanguageModel,
    request: ReplyRequest[Any],
    history: list[LlmMessage],
    turn: int,
    writer: ReplyWriter,
) -> AsyncGenerator[TextDelta | CitationsChecked | StreamFinished, None]:
    """One request of a reply: its text deltas (kept by the writer), then its end. With tools,
    the last allowed request forbids further calls (`tool_choice` none) so Claude answers.
    The citations of each paragraph the text finishes follow it (`CitationsChecked`)."""
    options = tool_options(turn) if request.tools is not None else {}
    parted = turn > 0 and bool(writer.text.strip())  # a new round's text starts a paragraph
    async with contextlib.aclosing(
        llm.stream(history, system=request.system, max_tokens=request.max_tokens, **options)
    ) as events:
        async for event in events:
            if writer.lost is not None:  # a checkpoint found the row lost: stop here
                raise writer.lost
            if isinstance(event, TextDelta):
                if parted:
                    event, parted = TextDelta("\n\n" + event.text.lstrip("\n")), False
                writer.append(event.text)
                yield event
                if writer.citations is not None and (
                    found := await writer.citations.feed(event.text)
                ):
                    yield CitationsChecked(found)
                continue
            yield event
            return
