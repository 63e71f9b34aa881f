"""Claude's study-library tools (issue 12): a Strong's entry, commentary, Nave's topics, run
against the shipped study.sqlite through StudyService, and what happens without it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from verse_tui.bible.sqlite_bible_client import SqliteBibleClient
from verse_tui.bible.sqlite_study_client import SqliteStudyClient, study_db_path
from verse_tui.config import BIBLE_DB_NAME, shipped_data_dir
from verse_tui.llm.tools import (
    BIBLE_TOOLS,
    COMMENTARY_CHARS,
    STUDY_TOOLS,
    TOOL_NAMES,
    TOPIC_CHARS,
    tool_definitions,
)
from verse_tui.services.bible import BibleService
from verse_tui.services.study_library import StudyService
from verse_tui.services.tools import ToolExecutor


@pytest.fixture(scope="module")
def bible() -> Iterator[BibleService]:
    client = SqliteBibleClient(shipped_data_dir() / BIBLE_DB_NAME)
    yield BibleService(client)
    client.close()


@pytest.fixture(scope="module")
def study() -> Iterator[StudyService]:
    service = StudyService(SqliteStudyClient(study_db_path()))
    yield service
    service.close()


@pytest.fixture
def tools(bible: BibleService, study: StudyService) -> ToolExecutor:
    return ToolExecutor(bible, translation="KJV", study=study)


def test_the_study_tools_are_offered_with_the_library_and_cached_last(
    tools: ToolExecutor,
) -> None:
    assert tools.names == TOOL_NAMES
    offered = tool_definitions(cache=True, names=tools.names)
    assert [t["name"] for t in offered] == list(TOOL_NAMES)
    assert offered[-1]["cache_control"] == {"type": "ephemeral"}
    assert all("cache_control" not in t for t in offered[:-1])
    bible_only = tool_definitions(cache=True, names=BIBLE_TOOLS)
    assert [t["name"] for t in bible_only] == ["read_passage", "search_bible"]
    assert bible_only[-1]["cache_control"] == {"type": "ephemeral"}


async def test_strongs_entry_returns_the_whole_entry(tools: ToolExecutor) -> None:
    outcome = await tools.run("strongs_entry", {"number": "g0026"})
    assert not outcome.is_error
    assert outcome.summary == "read Strong's G26"
    lines = outcome.content.splitlines()
    assert lines[0] == "Strong's G26 (Greek): ἀγάπη"
    assert "Transliteration: agápē" in lines and "Pronunciation: ag-ah'-pay" in lines
    assert "Definition: from G25; love, i.e. affection or benevolence" in outcome.content
    assert lines[-1].startswith("KJV: 117 times in 106 verses, rendered love 81, charity 28")


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("26", "is not a Strong's number"),
        ("G0", "is not a Strong's number"),
        ("G123456", "is not a Strong's number"),
        ("G9999", "numbers run from 1 to 5624"),
        ("H99999", "numbers run from 1 to 8674"),
        ("G" + "9" * 5000, "too long"),
        (26, "must be a non-empty string"),
        ("", "must be a non-empty string"),
    ],
)
async def test_bad_strongs_numbers_are_tool_errors(
    tools: ToolExecutor, number: object, message: str
) -> None:
    outcome = await tools.run("strongs_entry", {"number": number})
    assert outcome.is_error and message in outcome.content
    assert outcome.summary.startswith("could not read Strong's")
    assert len(outcome.summary) < 200


async def test_commentary_on_romans_8_28_is_the_mhcc_section_on_it(tools: ToolExecutor) -> None:
    outcome = await tools.run("commentary", {"reference": "Rom 8:28"})
    assert not outcome.is_error
    assert outcome.summary == "read MHCC on Romans 8:28"
    head, section = outcome.content.split("\n\n", 1)
    assert head == "Matthew Henry's Concise Commentary on Romans 8:28"
    assert section.startswith("[Romans 8:28–31: Verses 28-31]\nThat is good for the saints")
    assert "Every providence tends to the spiritual good of those that love God" in section
    assert "Cut here" not in outcome.content


async def test_long_commentary_is_cut_with_a_note(tools: ToolExecutor) -> None:
    outcome = await tools.run("commentary", {"reference": "Psalm 23:1", "source": "tdavid"})
    assert not outcome.is_error
    assert outcome.summary == "read Treasury of David on Psalm 23:1"
    assert outcome.content.startswith("The Treasury of David on Psalm 23:1\n\n[Psalm 23: ")
    assert len(outcome.content) <= COMMENTARY_CHARS + 300
    assert outcome.content.endswith("Ask for fewer verses to read the rest.]")
    assert "characters shown." in outcome.content


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"reference": "John 22:5"}, "21"),
        ({"reference": "Romans 8:28", "source": "tdavid"}, "covers only the Psalms"),
        ({"reference": "Romans 8:28", "source": "barnes"}, "use mhcc or tdavid"),
        ({"reference": "Genesis 1-10"}, "more than 180 verses"),
        ({}, '"reference" must be a non-empty string'),
    ],
)
async def test_commentary_errors_are_tool_errors(
    tools: ToolExecutor, arguments: dict, message: str
) -> None:
    outcome = await tools.run("commentary", arguments)
    assert outcome.is_error and message in outcome.content
    assert outcome.summary.startswith("could not read commentary on")


async def test_topics_of_a_verse_and_one_topic(tools: ToolExecutor) -> None:
    topics = await tools.run("topics", {"reference": "Romans 8:28"})
    assert not topics.is_error
    assert topics.summary == "read Nave's topics of Romans 8:28: 8 topics"
    assert topics.content.splitlines() == [
        "Nave's Topical Bible: 8 topics cite Romans 8:28:",
        "AFFLICTIONS AND ADVERSITIES",
        "FAITH",
        "GOD",
        "LOVE",
        "PREDESTINATION",
        "RIGHTEOUS",
        "ROME",
        "SIN",
    ]
    faith = await tools.run("topic", {"name": "faith"})
    assert not faith.is_error and faith.summary == "read Nave's topic FAITH"
    assert faith.content.startswith("Nave's Topical Bible: FAITH (720 references)\n")
    assert "General scriptures concerning 2Sa 22:31; Ps 2:12;" in faith.content
    assert "[Cut here: " in faith.content and len(faith.content) <= TOPIC_CHARS + 400
    assert faith.content.splitlines()[-1].startswith("See also: FAITH IN CHRIST")


async def test_topic_errors_and_control_characters(tools: ToolExecutor) -> None:
    unknown = await tools.run("topic", {"name": "FAITHFULNESSX"})
    assert unknown.is_error and "has no topic" in unknown.content
    assert unknown.summary.startswith("could not read Nave's topic 'FAITHFULNESSX'")
    hostile = await tools.run("topic", {"name": "\x1b[2J\x07love"})
    assert hostile.is_error
    assert not any(ord(ch) < 32 for ch in hostile.summary)
    bad = await tools.run("topics", {"reference": "Jude 1:30"})
    assert bad.is_error and bad.summary.startswith("could not read Nave's topics of")


async def test_without_the_study_library_only_the_bible_tools_are_offered(
    bible: BibleService, tmp_path: Path
) -> None:
    missing = StudyService(tmp_path / "missing.sqlite")
    tools = ToolExecutor(bible, translation="KJV", study=missing)
    assert tools.names == BIBLE_TOOLS
    assert ToolExecutor(bible, translation="KJV").names == BIBLE_TOOLS
    for name in STUDY_TOOLS:  # asked for anyway (an older reply's tools): a clear error
        outcome = await tools.run(name, {"number": "G26"})
        assert outcome.is_error and "study library" in outcome.content
        assert outcome.content.endswith("the tools available are read_passage and search_bible.")
        assert outcome.summary == f"could not run {name}: no study library"
