"""Claude's local tools (issue 12): definitions, and running them against the shipped text."""

from __future__ import annotations

import json

import pytest

from verse_tui.bible.sqlite_bible_client import SqliteBibleClient
from verse_tui.config import BIBLE_DB_NAME, shipped_data_dir
from verse_tui.llm.tools import (
    MAX_SEARCH_HITS,
    SHIPPED_TRANSLATIONS,
    TOOL_NAMES,
    tool_definitions,
    tool_result_block,
)
from verse_tui.services.bible import BibleService
from verse_tui.services.tools import ToolExecutor


@pytest.fixture(scope="module")
def client() -> SqliteBibleClient:
    bible = SqliteBibleClient(shipped_data_dir() / BIBLE_DB_NAME)
    yield bible
    bible.close()


@pytest.fixture
def tools(client: SqliteBibleClient) -> ToolExecutor:
    return ToolExecutor(BibleService(client), translation="KJV")


def test_definitions_are_fixed_json_schemas(client: SqliteBibleClient) -> None:
    first, second = tool_definitions(), tool_definitions(cache=True)
    assert [t["name"] for t in first] == list(TOOL_NAMES) == ["read_passage", "search_bible"]
    assert json.loads(json.dumps(first)) == first
    for tool in first:
        assert len(tool["description"]) > 200
        schema = tool["input_schema"]
        assert schema["type"] == "object" and schema["additionalProperties"] is False
        assert set(schema["required"]) <= set(schema["properties"])
    assert "cache_control" not in first[-1]
    assert second[-1]["cache_control"] == {"type": "ephemeral"}
    assert "cache_control" not in tool_definitions()[-1]  # copies: the fixed ones stay fixed
    assert tuple(t.code for t in client.translations()) == SHIPPED_TRANSLATIONS


def test_tool_result_blocks() -> None:
    assert tool_result_block("toolu_1", "text", is_error=False) == {
        "type": "tool_result",
        "tool_use_id": "toolu_1",
        "content": "text",
    }
    assert tool_result_block("toolu_2", "bad", is_error=True)["is_error"] is True


async def test_read_passage_returns_the_verses(tools: ToolExecutor) -> None:
    outcome = await tools.run("read_passage", {"reference": "rom 5:8"})
    assert not outcome.is_error
    assert outcome.summary == "read Romans 5:8 (KJV)"
    assert outcome.content == (
        "Romans 5:8 (KJV)\n8 But God commendeth his love toward us, in that, "
        "while we were yet sinners, Christ died for us."
    )


async def test_read_passage_in_another_translation_across_chapters(tools: ToolExecutor) -> None:
    outcome = await tools.run("read_passage", {"reference": "Gen 1:31-2:1", "translation": "web"})
    assert outcome.summary == "read Genesis 1:31–2:1 (WEB)"
    lines = outcome.content.splitlines()
    assert lines[0] == "Genesis 1:31–2:1 (WEB)"
    assert lines[1].startswith("1:31 God saw everything that he had made")
    assert lines[2] == "2:1 The heavens, the earth, and all their vast array were finished."


async def test_read_passage_shows_omitted_verses_and_notes(tools: ToolExecutor) -> None:
    outcome = await tools.run("read_passage", {"reference": "Matt 17:21", "translation": "ASV"})
    assert outcome.content == "Matthew 17:21 (ASV)\n21 (not in this translation)"
    moved = await tools.run("read_passage", {"reference": "Rom 16:25", "translation": "WEB"})
    assert "Note: In the WEB, Romans 16:25" in moved.content


@pytest.mark.parametrize(
    ("arguments", "message", "summary"),
    [
        ({"reference": "John 22:5"}, "There is no John 22: John has 21 chapters.",
         "could not read 'John 22:5': There is no John 22: John has 21 chapters."),
        ({"reference": "Hezekiah 3:4"}, 'There is no book called "Hezekiah"', "could not read"),
        ({"reference": ""}, '"reference" must be a non-empty string.', "could not read"),
        ({"reference": 316}, '"reference" must be a non-empty string.', "could not read"),
        ({}, '"reference" must be a non-empty string.', "could not read"),
        ({"reference": "John 3:16", "translation": "NIV"},
         "Unknown translation 'NIV'. Installed translations: KJV, WEB, ASV, YLT.",
         "could not read 'John 3:16'"),
        ({"reference": "Genesis 1-10"}, "more than 180 verses", "could not read"),
        ({"reference": "x" * 201}, '"reference" is too long (201 characters', "could not read"),
    ],
)  # fmt: skip
async def test_read_passage_errors_are_tool_errors(
    tools: ToolExecutor, arguments: dict, message: str, summary: str
) -> None:
    outcome = await tools.run("read_passage", arguments)
    assert outcome.is_error and outcome.name == "read_passage"
    assert message in outcome.content
    assert outcome.summary.startswith(summary) and "\n" not in outcome.summary


async def test_search_bible_returns_the_best_hits(tools: ToolExecutor) -> None:
    outcome = await tools.run("search_bible", {"query": '"living water"', "book": "John"})
    assert not outcome.is_error
    assert outcome.summary == 'searched "living water" in John (KJV): 3 verses'
    lines = outcome.content.splitlines()
    assert lines[0] == '3 verses of the KJV in John match "living water":'
    assert {line.split(" ", 2)[1] for line in lines[1:]} == {"4:10", "4:11", "7:38"}
    assert lines[1:] and all(line.startswith("John ") for line in lines[1:])


async def test_search_bible_limits_and_reports_the_total(tools: ToolExecutor) -> None:
    outcome = await tools.run("search_bible", {"query": "faith", "limit": 3, "translation": "WEB"})
    head, *rows = outcome.content.splitlines()
    assert head.endswith('of the WEB match "faith" (the best 3):') and len(rows) == 3
    none = await tools.run("search_bible", {"query": "xylophone"})
    assert not none.is_error and none.content == 'No verse of the KJV matches "xylophone".'
    assert none.summary == 'searched "xylophone" (KJV): 0 verses'


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"query": "faith AND"}, "Cannot search for 'faith AND'"),
        ({"query": '"unclosed'}, "is not closed"),
        ({"query": "   "}, '"query" must be a non-empty string.'),
        ({"query": "love", "book": "Hezekiah"}, 'There is no book called "Hezekiah".'),
        ({"query": "love", "limit": 0}, f'must be a whole number from 1 to {MAX_SEARCH_HITS}'),
        ({"query": "love", "limit": "5"}, '"limit" must be a whole number'),
        ({"query": "love", "limit": True}, '"limit" must be a whole number'),
    ],
)  # fmt: skip
async def test_search_bible_errors_are_tool_errors(
    tools: ToolExecutor, arguments: dict, message: str
) -> None:
    outcome = await tools.run("search_bible", arguments)
    assert outcome.is_error and message in outcome.content
    assert outcome.summary.startswith("could not search")


async def test_unknown_tools_and_bad_inputs_never_raise(tools: ToolExecutor) -> None:
    unknown = await tools.run("delete_everything", {})
    assert unknown.is_error
    assert unknown.content == (
        "There is no tool 'delete_everything'; the tools are read_passage and search_bible."
    )
    not_object = await tools.run("read_passage", ["John 3:16"])
    assert not_object.is_error and not_object.content == "The tool input must be a JSON object."


async def test_summaries_carry_no_control_characters(tools: ToolExecutor) -> None:
    outcome = await tools.run("search_bible", {"query": "love\x1b[2J\nthy\tneighbour"})
    assert outcome.summary.startswith('searched "love [2J thy neighbour"')
    assert not any(ord(ch) < 32 for ch in outcome.summary)
