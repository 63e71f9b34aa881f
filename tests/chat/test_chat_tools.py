"""Claude calling Verse's local tools mid-reply, through the real client and the loopback fake:
the round trip, a tool error, the round limit, drops mid-round, and history replayed with its
tool blocks (Continue and follow-up questions)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from tests.chat.conftest import collect
from tests.support.fake_anthropic import Cut, FakeAnthropic, Reply, ToolUse
from verse_tui.app_factory import Services
from verse_tui.domain.chat import StreamFailed, StreamFinished, StreamStarted, TextDelta, ToolUsed
from verse_tui.domain.tools import MAX_TOOL_ROUNDS
from verse_tui.llm.client import LlmClient
from verse_tui.services.chats import ChatService

ROMANS_5_8 = "But God commendeth his love toward us"  # KJV, from the shipped Bible
READ = ToolUse("read_passage", {"reference": "Romans 5:8"}, id="toolu_read_1")


@pytest.fixture
def tool_chats(services: Services, llm: LlmClient) -> ChatService:
    return ChatService(services.context, llm, bible=services.bible)


def tool_reply(text: str = "Let me read it.", tool: ToolUse = READ, **kw: Any) -> Reply:
    return Reply(chunks=(text,), tools=(tool,), stop_reason="tool_use", **kw)


def blocks_of(message: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    content = message["content"]
    return [b for b in content if isinstance(b, dict) and b.get("type") == kind]


def assert_valid_conversation(messages: list[dict[str, Any]]) -> None:
    """Roles alternate from the user, and every tool_use is answered in the next turn."""
    assert messages[0]["role"] == "user"
    for earlier, later in itertools.pairwise(messages):
        assert earlier["role"] != later["role"]
    for i, message in enumerate(messages):
        if message["role"] == "assistant" and not isinstance(message["content"], str):
            asked = {b["id"] for b in blocks_of(message, "tool_use")}
            answered = {b["tool_use_id"] for b in blocks_of(messages[i + 1], "tool_result")}
            assert asked == answered


async def test_a_tool_round_sends_the_verse_text_back_and_is_saved_with_the_reply(
    tool_chats: ChatService, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.enqueue(
        tool_reply(input_tokens=100, output_tokens=20),
        Reply(chunks=("It says ", "God commendeth his love."), input_tokens=150, output_tokens=9),
    )
    events = await collect(tool_chats.create_standalone_chat_stream("What does Romans 5:8 say?"))
    used = [e for e in events if isinstance(e, ToolUsed)]
    assert used == [ToolUsed("read Romans 5:8 (KJV)", False)]
    finished = events[-1]
    assert isinstance(finished, StreamFinished) and finished.stop_reason == "end_turn"
    assert finished.text == "Let me read it.\n\nIt says God commendeth his love."
    assert (finished.input_tokens, finished.output_tokens) == (250, 29)
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == finished.text

    first, second = (r.body for r in fake_anthropic.requests)
    assert {t["name"] for t in first["tools"]} == {"read_passage", "search_bible"}
    asked = second["messages"][-2]
    assert blocks_of(asked, "tool_use") == [
        {"type": "tool_use", "id": "toolu_read_1", "name": "read_passage", "input": READ.input}
    ]
    (result,) = blocks_of(second["messages"][-1], "tool_result")
    assert result["tool_use_id"] == "toolu_read_1" and ROMANS_5_8 in result["content"]
    assert "is_error" not in result
    assert_valid_conversation(second["messages"])

    started = events[0]
    assert isinstance(started, StreamStarted)
    saved = await tool_chats.get_message(started.message_id)
    assert (saved.status, saved.text) == ("complete", finished.text)
    assert saved.tool_summaries == ("read Romans 5:8 (KJV)",)
    assert (saved.input_tokens, saved.output_tokens) == (250, 29)


async def test_a_bad_reference_is_a_tool_error_result_and_the_reply_goes_on(
    tool_chats: ChatService, fake_anthropic: FakeAnthropic
) -> None:
    bad = ToolUse("read_passage", {"reference": "John 22:5"}, id="toolu_bad")
    fake_anthropic.enqueue(tool_reply(tool=bad), Reply(chunks=("John has 21 chapters.",)))
    events = await collect(tool_chats.create_standalone_chat_stream("Read John 22:5"))
    (used,) = [e for e in events if isinstance(e, ToolUsed)]
    assert used.is_error and "John 22:5" in used.summary
    assert isinstance(events[-1], StreamFinished)
    (result,) = blocks_of(fake_anthropic.requests[1].body["messages"][-1], "tool_result")
    assert result["is_error"] is True and "21" in result["content"]


async def test_after_five_rounds_claude_is_told_to_answer_without_tools(
    tool_chats: ChatService, fake_anthropic: FakeAnthropic
) -> None:
    rounds = [
        tool_reply(f"Round {i}.", ToolUse("search_bible", {"query": "love"}, id=f"toolu_{i}"))
        for i in range(MAX_TOOL_ROUNDS)
    ]
    fake_anthropic.enqueue(*rounds, Reply(chunks=("Done.",)))
    events = await collect(tool_chats.create_standalone_chat_stream("Search a lot"))
    assert len([e for e in events if isinstance(e, ToolUsed)]) == MAX_TOOL_ROUNDS
    assert isinstance(events[-1], StreamFinished) and events[-1].text.endswith("Done.")
    bodies = [r.body for r in fake_anthropic.requests]
    assert len(bodies) == MAX_TOOL_ROUNDS + 1
    assert all("tool_choice" not in b for b in bodies[:-1])
    assert bodies[-1]["tool_choice"] == {"type": "none"}
    assert_valid_conversation(bodies[-1]["messages"])


async def test_a_drop_inside_the_tool_use_block_keeps_the_text_and_continue_works(
    tool_chats: ChatService, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.enqueue(tool_reply(cut=Cut("drop", after=3)))  # mid tool input JSON
    events = await collect(tool_chats.create_standalone_chat_stream("Romans 5:8?"))
    failed = events[-1]
    assert isinstance(failed, StreamFailed) and failed.partial_text == "Let me read it."
    reply_id = events[0].message_id  # type: ignore[union-attr]
    saved = await tool_chats.get_message(reply_id)
    assert (saved.status, saved.text, saved.tool_summaries) == ("failed", "Let me read it.", ())

    fake_anthropic.enqueue(Reply(chunks=(" It is about love.",)))
    again = await collect(tool_chats.continue_message_stream(reply_id))
    assert isinstance(again[-1], StreamFinished)
    assert again[-1].text == "Let me read it. It is about love."
    assert_valid_conversation(fake_anthropic.requests[-1].body["messages"])


async def test_a_drop_after_a_tool_round_keeps_the_round_and_continue_replays_it(
    tool_chats: ChatService, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.enqueue(
        tool_reply(), Reply(chunks=("It says", " God", " commendeth"), cut=Cut("drop", after=2))
    )
    events = await collect(tool_chats.create_standalone_chat_stream("Romans 5:8?"))
    assert isinstance(events[-1], StreamFailed)
    reply_id = events[0].message_id  # type: ignore[union-attr]
    saved = await tool_chats.get_message(reply_id)
    assert saved.status == "failed" and saved.text == "Let me read it.\n\nIt says God"
    assert saved.tool_summaries == ("read Romans 5:8 (KJV)",)

    fake_anthropic.enqueue(Reply(chunks=(" commendeth his love.",)))
    again = await collect(tool_chats.continue_message_stream(reply_id))
    assert isinstance(again[-1], StreamFinished)
    assert again[-1].text == "Let me read it.\n\nIt says God commendeth his love."
    sent = fake_anthropic.requests[-1].body["messages"]
    assert_valid_conversation(sent)
    assert blocks_of(sent[1], "tool_use") and ROMANS_5_8 in str(blocks_of(sent[2], "tool_result"))
    assert sent[3] == {"role": "assistant", "content": "It says God"}


async def test_a_follow_up_question_replays_the_earlier_tool_round(
    tool_chats: ChatService, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.enqueue(tool_reply(), Reply(chunks=("It is about love.",)))
    events = await collect(tool_chats.create_standalone_chat_stream("Romans 5:8?"))
    chat_id = events[0].chat_id  # type: ignore[union-attr]
    fake_anthropic.enqueue(Reply(chunks=("Yes.",)))
    follow = await collect(tool_chats.send_message_stream(chat_id, "And verse 9?"))
    assert isinstance(follow[-1], StreamFinished)
    sent = fake_anthropic.requests[-1].body["messages"]
    assert_valid_conversation(sent)
    assert [m["role"] for m in sent] == ["user", "assistant", "user", "assistant", "user"]
    assert sent[0]["content"] == "Romans 5:8?" and sent[-1]["content"] == "And verse 9?"
    assert blocks_of(sent[1], "tool_use")[0]["id"] == "toolu_read_1"
    assert sent[3]["content"] == "It is about love."


async def test_a_failed_reply_ending_on_a_tool_round_still_replays_validly(
    tool_chats: ChatService, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.enqueue(tool_reply(), Reply(chunks=("x",), cut=Cut("drop", after=0)))
    events = await collect(tool_chats.create_standalone_chat_stream("Romans 5:8?"))
    assert isinstance(events[-1], StreamFailed)
    fake_anthropic.enqueue(Reply(chunks=("Again.",)))
    chat_id = events[0].chat_id  # type: ignore[union-attr]
    await collect(tool_chats.send_message_stream(chat_id, "Try again"))
    sent = fake_anthropic.requests[-1].body["messages"]
    assert_valid_conversation(sent)
    last = sent[-1]["content"]  # the tool results and the new question, one user turn
    assert [b["type"] for b in last] == ["tool_result", "text"]
    assert last[-1]["text"] == "Try again"
