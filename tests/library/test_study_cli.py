"""The study-library commands, run as a user runs them."""

from __future__ import annotations

import json

import pytest

from tests.support.cli import Verse, heavy_imports, run_process


@pytest.fixture
def verse(tmp_path) -> Verse:
    return Verse(tmp_path)


@pytest.mark.parametrize("spelling", ["G26", "g26", "G0026"])
def test_strongs_json(verse, spelling: str) -> None:
    result = verse("strongs", spelling, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {
        "number", "lemma", "transliteration", "pronunciation", "definition", "renderings", "verses"
    }  # fmt: skip
    assert (data["number"], data["lemma"], data["verses"]) == ("G26", "ἀγάπη", 106)
    assert data["renderings"][:2] == [
        {"text": "love", "count": 81},
        {"text": "charity", "count": 28},
    ]


def test_strongs_plain_and_errors(verse) -> None:
    plain = verse("strongs", "H430")
    assert plain.returncode == 0 and plain.stdout.startswith("H430  אלהים")
    assert "KJV renderings: god (2367)" in plain.stdout
    bad = verse("strongs", "love")
    assert bad.returncode == 2 and "not a Strong's number" in bad.stderr and not bad.stdout
    missing = verse("strongs", "H99999")
    assert missing.returncode == 2 and "H99999" in missing.stderr


def test_search_strongs(verse) -> None:
    result = verse("search", "--strongs", "G26", "--book", "1 Cor", "--limit", "2", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["query"] == "G26" and data["total"] == 11
    assert [r["osis"] for r in data["results"]] == ["1Cor.4.21", "1Cor.8.1"]
    total = json.loads(verse("search", "--strongs", "G2316", "--json").stdout)["total"]
    assert total == 1171
    plain = verse("search", "--strongs", "G26", "--limit", "1")
    assert "Matthew 24:12  And because iniquity shall abound, «the love» of many" in plain.stdout
    assert verse("search", "--strongs", "X").returncode == 2
    assert verse("search", "--strongs", "G26", "--book", "Hezekiah").returncode == 2


def test_commentary(verse) -> None:
    result = verse("commentary", "Rom 8:28", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["reference"], data["source"]) == ("Romans 8:28", "mhcc")
    [section] = data["sections"]
    assert section["covers"] == "Romans 8:28–31" and "golden chain" in section["text"]
    psalm = json.loads(verse("commentary", "Ps 23:1", "--source", "tdavid", "--json").stdout)
    assert psalm["sections"][0]["covers"] == "Psalm 23"
    plain = verse("commentary", "Gen 1:1")
    assert plain.returncode == 0 and "Matthew Henry" in plain.stdout
    assert verse("commentary", "Rom 8:28", "--source", "gill").returncode == 2
    assert verse("commentary", "Hezekiah 1:1").returncode == 2


def test_topics_and_topic(verse) -> None:
    topics = json.loads(verse("topics", "John 3:16", "--json").stdout)
    assert topics["reference"] == "John 3:16" and "FAITH" in topics["topics"]
    shepherd = json.loads(verse("topic", "Shepherd", "--json").stdout)
    assert shepherd["topic"] == "SHEPHERD" and "Ps.23.2" in shepherd["verses"]
    missing = verse("topic", "zzzz")
    assert missing.returncode == 2 and "no topic" in missing.stderr


def test_read_marks_supplied_words_and_psalm_titles(verse) -> None:
    [gen] = json.loads(verse("read", "Gen 1:2", "--json").stdout)["verses"]
    assert [gen["text"][a:b] for a, b in gen["supplied"]] == ["was"]
    psalm = json.loads(verse("read", "Ps 3:1-2", "--json").stdout)["verses"]
    assert psalm[0]["title"] == "A Psalm of David, when he fled from Absalom his son."
    assert "title" not in psalm[1]
    assert [psalm[0]["text"][a:b] for a, b in psalm[0]["supplied"]] == ["are"]
    lines = verse("read", "Ps 3:1").stdout.splitlines()
    assert lines[1:3] == [
        "A Psalm of David, when he fled from Absalom his son.",
        "1 LORD, how are they increased that trouble me! many are they that rise up against me.",
    ]
    web = json.loads(verse("read", "Ps 3:1", "-t", "WEB", "--json").stdout)["verses"][0]
    assert "title" not in web  # the titles are the KJV's


def test_read_puts_each_psalm_119_letter_before_its_stanza(verse) -> None:
    lines = verse("read", "Ps 119:1-9").stdout.splitlines()
    assert lines[1:3] == [
        "א ALEPH.",
        "1 Blessed are the undefiled in the way, who walk in the law of the LORD.",
    ]
    assert lines[10:12] == [
        "ב BETH.",
        "9 Wherewithal shall a young man cleanse his way? "
        "by taking heed thereto according to thy word.",
    ]
    data = json.loads(verse("read", "Ps 119:1-9", "--json").stdout)["verses"]
    assert {v["verse"]: v["title"] for v in data if "title" in v} == {1: "א ALEPH.", 9: "ב BETH."}


HEAVY = ("asyncio", "sqlalchemy", "textual", "anthropic", "aiosqlite", "alembic", "dataclasses")


@pytest.mark.parametrize(
    "args",
    [
        ["strongs", "G26"],
        ["strongs", "G26", "--json"],
        ["search", "--strongs", "G2316", "--json"],
        ["commentary", "Rom 8:28"],
        ["topics", "John 3:16"],
        ["topic", "faith", "--json"],
    ],
)
def test_study_commands_stay_on_the_fast_path(args: list[str], tmp_path) -> None:
    assert heavy_imports(tmp_path, args, HEAVY) == {"code": 0, "heavy": []}


def test_the_entry_point_runs_a_study_command_as_a_process(tmp_path) -> None:
    """The one real `python -m verse_tui` run of this group (the rest run in-process)."""
    result = run_process(tmp_path, "strongs", "H430")
    assert result.returncode == 0 and result.stdout.startswith("H430  אלהים"), result.stderr
    bad = run_process(tmp_path, "strongs", "love")
    assert bad.returncode == 2 and "not a Strong's number" in bad.stderr and not bad.stdout
