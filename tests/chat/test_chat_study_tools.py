"""The study-library tools in a chat, through the real client and the loopback fake: a
Strong's entry and commentary round trip, a bad number as a tool error result, the tools
offered only with the library, and `verse chat` (the app's own wiring) showing the call."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.chat.conftest import collect
from tests.chat.test_chat_cli import online
from tests.chat.test_chat_tools import assert_valid_conversation, blocks_of, tool_reply
from tests.support.fake_anthropic import FakeAnthropic, Reply, ToolUse
from verse_tui.app_factory import Services
from verse_tui.domain.chat import StreamFinished, ToolUsed
from verse_tui.domain.study import InsightReady
from verse_tui.llm.client import LlmClient
from verse_tui.llm.tools import TOOL_NAMES
from verse_tui.services.chats import ChatService
from verse_tui.services.definitions import DefinitionService
from verse_tui.services.insights import InsightService
from verse_tui.services.study_library import StudyService

EPHEMERAL = {"type": "ephemeral"}


@pytest.fixture
def study_chats(services: Services, llm: LlmClient) -> ChatService:
    return ChatService(services.context, llm, bible=services.bible, study=services.study)


def only_result(body: dict[str, Any]) -> dict[str, Any]:
    (result,) = blocks_of(body["messages"][-1], "tool_result")
    return result


async def test_a_strongs_round_trip_sends_the_real_entry_back(
    study_chats: ChatService, fake_anthropic: FakeAnthropic
) -> None:
    look_up = ToolUse("strongs_entry", {"number": "G26"}, id="toolu_g26")
    fake_anthropic.enqueue(
        tool_reply("Let me look it up.", look_up), Reply(chunks=("Agape is love.",))
    )
    events = await collect(study_chats.create_standalone_chat_stream("What is agape?"))
    assert [e for e in events if isinstance(e, ToolUsed)] == [ToolUsed("read Strong's G26", False)]
    assert isinstance(events[-1], StreamFinished)
    first, second = (r.body for r in fake_anthropic.requests)
    assert [t["name"] for t in first["tools"]] == list(TOOL_NAMES)
    assert first["tools"][-1]["cache_control"] == EPHEMERAL  # the cache covers all six
    assert all("cache_control" not in t for t in first["tools"][:-1])
    assert second["tools"] == first["tools"]  # the same prefix: the follow-up hits the cache
    result = only_result(second)
    assert result["tool_use_id"] == "toolu_g26" and "is_error" not in result
    assert result["content"].startswith("Strong's G26 (Greek): ἀγάπη\nTransliteration: agápē")
    assert "rendered love 81, charity 28" in result["content"]
    assert_valid_conversation(second["messages"])


async def test_a_bad_strongs_number_is_a_tool_error_result(
    study_chats: ChatService, fake_anthropic: FakeAnthropic
) -> None:
    bad = ToolUse("strongs_entry", {"number": "G99999"}, id="toolu_bad")
    fake_anthropic.enqueue(tool_reply(tool=bad), Reply(chunks=("No such entry.",)))
    events = await collect(study_chats.create_standalone_chat_stream("G99999?"))
    (used,) = [e for e in events if isinstance(e, ToolUsed)]
    assert used.is_error and used.summary.startswith("could not read Strong's 'G99999'")
    assert isinstance(events[-1], StreamFinished) and events[-1].text.endswith("No such entry.")
    result = only_result(fake_anthropic.requests[1].body)
    assert result["is_error"] is True and "numbers run from 1 to 5624" in result["content"]


async def test_commentary_on_romans_8_28_is_the_mhcc_section_on_romans_8(
    study_chats: ChatService, fake_anthropic: FakeAnthropic
) -> None:
    read = ToolUse("commentary", {"reference": "Romans 8:28"}, id="toolu_mhcc")
    fake_anthropic.enqueue(tool_reply("Henry says:", read), Reply(chunks=("All things work.",)))
    events = await collect(study_chats.create_standalone_chat_stream("Romans 8:28?"))
    assert [e for e in events if isinstance(e, ToolUsed)] == [
        ToolUsed("read MHCC on Romans 8:28", False)
    ]
    content = only_result(fake_anthropic.requests[1].body)["content"]
    assert content.startswith(
        "Matthew Henry's Concise Commentary on Romans 8:28\n\n[Romans 8:28–31: Verses 28-31]\n"
        "That is good for the saints which does their souls good."
    )


async def test_without_the_study_library_only_the_bible_tools_are_offered(
    services: Services, llm: LlmClient, fake_anthropic: FakeAnthropic, tmp_path: Path
) -> None:
    missing = StudyService(tmp_path / "no-study.sqlite")
    chats = ChatService(services.context, llm, bible=services.bible, study=missing)
    fake_anthropic.enqueue(Reply(chunks=("Hello.",)))
    await collect(chats.create_standalone_chat_stream("Hi"))
    tools = fake_anthropic.requests[0].body["tools"]
    assert [t["name"] for t in tools] == ["read_passage", "search_bible"]
    assert tools[-1]["cache_control"] == EPHEMERAL


def test_verse_chat_offers_the_study_tools_and_shows_each_call(tmp_path: Path) -> None:
    with FakeAnthropic.in_thread() as server:
        verse = online(tmp_path, server.url)
        topics = ToolUse("topics", {"reference": "Romans 8:28"})
        server.enqueue(
            Reply(chunks=("Looking.",), tools=(topics,), stop_reason="tool_use"),
            Reply(chunks=("Faith and love.",)),
        )
        done = verse("chat", "Themes of Romans 8:28?")
        assert done.returncode == 0, done.stderr
        assert "⚙ read Nave's topics of Romans 8:28: 8 topics" in done.stderr
        assert [t["name"] for t in server.requests[0].body["tools"]] == list(TOOL_NAMES)
        assert "PREDESTINATION" in only_result(server.requests[1].body)["content"]


async def test_insights_and_definitions_share_the_study_tools(
    services: Services, llm: LlmClient, fake_anthropic: FakeAnthropic
) -> None:
    insights = InsightService(services.context, services.bible, llm, study=services.study)
    read = ToolUse("commentary", {"reference": "Ps 23:1", "source": "tdavid"}, id="toolu_ps")
    fake_anthropic.enqueue(tool_reply("Spurgeon:", read), Reply(chunks=("The Lord shepherds.",)))
    events = await collect(insights.generate_stream("Psalm 23:1-3", "key_themes", "KJV"))
    assert [e for e in events if isinstance(e, ToolUsed)] == [
        ToolUsed("read Treasury of David on Psalm 23:1", False)
    ]
    assert isinstance(events[-1], InsightReady)
    content = only_result(fake_anthropic.requests[1].body)["content"]
    assert content.startswith("The Treasury of David on Psalm 23:1\n\n[Psalm 23: ")
    definitions = DefinitionService(services.context, services.bible, llm, study=services.study)
    fake_anthropic.enqueue(Reply(chunks=("Charity means love.",)))
    await collect(definitions.define_word_stream("charity", "1 Corinthians 13:4", "KJV"))
    offered = fake_anthropic.requests[2].body["tools"]
    assert [t["name"] for t in offered] == list(TOOL_NAMES)
