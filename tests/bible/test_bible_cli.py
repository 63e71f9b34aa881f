"""`verse read`, `verse search` and `verse translations` run as a user runs them."""

from __future__ import annotations

import json

import pytest

from tests.support.cli import Verse, run_process


@pytest.fixture
def verse(tmp_path) -> Verse:
    return Verse(tmp_path)


def test_read_json_shape(verse) -> None:
    result = verse("read", "jn 3:16", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["reference"] == "John 3:16"
    assert data["translation"] == "KJV"
    [v] = data["verses"]
    assert set(v) == {"osis", "book", "chapter", "verse", "text", "supplied"}
    assert (v["osis"], v["book"], v["chapter"], v["verse"]) == ("John.3.16", "John", 3, 16)
    assert v["text"].startswith("For God so loved the world")


def test_read_text_has_no_brackets_in_json(verse) -> None:
    data = json.loads(verse("read", "Gen 1:2", "--json").stdout)
    assert "darkness was upon" in data["verses"][0]["text"]


def test_read_plain_text(verse) -> None:
    result = verse("read", "Matt 17:20-22", "--translation", "asv")
    lines = result.stdout.splitlines()
    assert lines[0] == "Matthew 17:20–22 (ASV)"
    assert lines[1].startswith("20 And he saith unto them")
    assert lines[2] == "21 (omitted in the ASV)"
    assert lines[3].startswith("22 ")


def test_read_uses_the_configured_translation(verse) -> None:
    data = json.loads(verse("read", "Gen 1:1", "--json", VERSE_TRANSLATION="web").stdout)
    assert data["translation"] == "WEB"
    assert data["verses"][0]["text"].startswith("In the beginning, God created the heavens")


def test_read_relocated_verses_carry_a_note(verse) -> None:
    data = json.loads(verse("read", "Rom 16:25-27", "-t", "WEB", "--json").stdout)
    assert [v["osis"] for v in data["verses"]] == ["Rom.14.24", "Rom.14.25", "Rom.14.26"]
    assert data["note"] == "In the WEB, Romans 16:25–27 are at Romans 14:24–26."
    lines = verse("read", "Rom 16:25-27", "-t", "WEB").stdout.splitlines()
    assert lines[:3] == [
        "Romans 16:25–27 (WEB)",
        "Note: In the WEB, Romans 16:25–27 are at Romans 14:24–26.",
        "Romans 14",
    ]
    assert lines[3].startswith("24 Now to him who is able")


def test_read_across_chapters_heads_each_chapter(verse) -> None:
    lines = verse("read", "Gen 1:31-2:1").stdout.splitlines()
    assert lines[0] == "Genesis 1:31–2:1 (KJV)"
    assert lines[1].startswith("31 And God saw every thing")
    assert lines[2:] == ["Genesis 2", lines[3]] and lines[3].startswith("1 Thus the heavens")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("read", "John 99:1"), "John has 21 chapters"),
        (("read", "Hezekiah 1:1"), "Ezekiel"),
        (("read", ""), ""),
        (("read", "John 3:16", "-t", "XYZ"), "KJV, WEB, ASV, YLT"),
        (("search", "faith AND"), "Use words"),
        (("search", "faith", "--book", "Hezkiah"), "Unknown book"),
        (("search", "faith", "-t", "nope"), "Unknown translation"),
        (("read",), "say which passage"),
        (("read", "John 3:16", "--bogus"), "unknown option --bogus"),
        (("search", "faith", "-n", "x"), "whole number"),
        (("search", "faith", "--limit"), "needs a value"),
        (("search", "faith", "--testament", "new"), "OT or NT"),
        (("translations", "extra"), "unexpected argument"),
    ],
)
def test_errors_go_to_stderr_with_exit_2(verse, args, message) -> None:
    result = verse(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_database_is_a_clear_error(verse, tmp_path) -> None:
    result = verse("read", "John 3:16", VERSE_BIBLE_DB=str(tmp_path / "gone.sqlite"))
    assert result.returncode == 1
    assert "missing" in result.stderr and "Reinstall" in result.stderr


def test_search_json_shape_and_total(verse) -> None:
    result = verse("search", "faith", "--limit", "3", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"query", "total", "results"}
    assert data["query"] == "faith"
    assert data["total"] == 231
    assert len(data["results"]) == 3
    assert all(set(r) == {"osis", "text"} for r in data["results"])


def test_search_book_filter_by_name(verse) -> None:
    data = json.loads(verse("search", "faith", "--book", "Rom", "--json", "-n", "50").stdout)
    assert data["total"] == len(data["results"]) > 0
    assert all(r["osis"].startswith("Rom.") for r in data["results"])


def test_search_plain_text(verse) -> None:
    lines = verse("search", "living", "water", "-n", "2").stdout.splitlines()
    assert lines[0].startswith("7 verses match 'living water' in the KJV")
    assert len(lines) == 3
    assert verse("search", "zzzzqx").stdout.startswith("No verses match")


def test_translations(verse) -> None:
    lines = verse("translations").stdout.splitlines()
    assert [line[2:].split()[0] for line in lines] == ["KJV", "WEB", "ASV", "YLT"]
    assert lines[0].startswith("* KJV")
    data = json.loads(verse("translations", "--json").stdout)
    assert data[1] == {
        "code": "WEB",
        "name": "World English Bible",
        "language": "en",
        "license": "Public domain",
    }


@pytest.mark.parametrize("command", ["read", "search", "translations"])
def test_help(verse, command) -> None:
    result = verse(command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: verse {command}")


def test_the_entry_point_reads_and_refuses_as_a_process(tmp_path) -> None:
    """The one real `python -m verse_tui` run of this group (the rest run in-process)."""
    result = run_process(tmp_path, "read", "John 3:16", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["verses"][0]["osis"] == "John.3.16"
    refused = run_process(tmp_path, "search", "faith", "--testament", "new")
    assert refused.returncode == 2 and "OT or NT" in refused.stderr
    assert refused.stdout == "" and "Traceback" not in refused.stderr
