"""`verse read` and `verse search` with what people type (issue 10, items 4, 5 and 6k):
ranges across books, quotes, verse parts, passages over the cap, over-broad searches."""

from __future__ import annotations

import json
import os

import pytest

from verse_tui.__main__ import main
from verse_tui.bible import sqlite_bible_client
from verse_tui.bible.passage_size import MAX_VERSES


@pytest.fixture
def verse(tmp_path, monkeypatch, capsys):
    """Run `verse ARGS...` in this process, as the entry point does: (exit code, out, err)."""
    for name in [n for n in os.environ if n.startswith("VERSE_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("VERSE_HOME", str(tmp_path))

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_read_a_range_across_books_heads_each_chapter(verse) -> None:
    code, out, err = verse("read", "1Samuel", "31:13-", "2Samuel", "1:2")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "1 Samuel 31:13–2 Samuel 1:2 (KJV)"
    assert lines[1].startswith("13 And they took their bones")
    assert lines[2] == "2 Samuel 1"
    assert [line.split()[0] for line in lines[3:]] == ["1", "2"]


def test_read_json_of_a_range_across_books(verse) -> None:
    code, out, err = verse("read", "Genesis 1 - Deuteronomy 34", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["reference"] == "Genesis 1–Deuteronomy 34"
    assert len(data["verses"]) == 5852
    assert data["verses"][0]["osis"] == "Gen.1.1"
    assert data["verses"][-1]["osis"] == "Deut.34.12"


@pytest.mark.parametrize(
    ("typed", "reference"),
    [
        ("Ps 3-Proverbs 2:3", "Psalms 3:1–Proverbs 2:3"),
        ('"John 3:16"', "John 3:16"),
        ("“John 3:16”", "John 3:16"),
        ("'jn 3:16'", "John 3:16"),
        ("Obadiah 3b", "Obadiah 3"),
        ("John 3:16a", "John 3:16"),
        ("Gen 50:26, Exod 1:1 - Lev 1:1", "Genesis 50:26; Exodus 1:1–Leviticus 1:1"),
    ],
)
def test_read_accepts_what_people_type(verse, typed: str, reference: str) -> None:
    code, out, err = verse("read", typed, "--json")
    assert code == 0, err
    assert json.loads(out)["reference"] == reference


def test_a_passage_over_the_cap_is_exit_2_with_the_cap_and_what_to_type(verse) -> None:
    code, out, err = verse("read", "Genesis - Revelation")
    assert (code, out) == (2, "")
    assert f"at most {MAX_VERSES:,}" in err
    assert "start with Genesis 1–1 Samuel 29" in err
    assert "Traceback" not in err


def test_absurd_numbers_are_shown_as_typed(verse) -> None:
    code, _, err = verse("read", "Gen 99999999999999999999")
    assert code == 2
    assert err.strip() == (
        "verse read: There is no Genesis 99999999999999999999: Genesis has 50 chapters."
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (" OR ".join(["a*"] * 300), "characters long"),
        (" OR ".join(["lord"] * 60), "at most 40"),
        ("a*", "at least 3 letters"),
        ("abc* abd* abe* abf* abg* abh*", "at most 5"),
    ],
)
def test_over_broad_searches_are_exit_2_with_what_to_do(verse, query: str, message: str) -> None:
    code, out, err = verse("search", query)
    assert (code, out) == (2, "")
    assert message in err
    assert "Traceback" not in err
    assert len(err) < 300  # the query is not echoed back in full


def test_a_search_over_its_time_budget_is_exit_2(verse, monkeypatch) -> None:
    monkeypatch.setattr(sqlite_bible_client, "SEARCH_BUDGET", 0.0)  # any real work is over
    code, out, err = verse("search", "the OR and")
    assert (code, out) == (2, "")
    assert "too broad to finish quickly" in err
    assert "Use fewer words, longer prefixes or a phrase." in err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--limit", "1001"), "--limit must be from 1 to 1000"),
        (("--offset", "99999999999999999999"), "--offset must be from 0 to 100000"),
        (("--offset", "100001"), "--offset must be from 0 to 100000"),
    ],
)
def test_absurd_paging_is_exit_2(verse, args: tuple[str, str], said: str) -> None:
    code, _, err = verse("search", "faith", *args)
    assert code == 2
    assert said in err
