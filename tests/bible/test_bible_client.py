"""Reading through SqliteBibleClient: chapters, passages, omitted and relocated verses, errors."""

from __future__ import annotations

import sqlite3

import pytest

from verse_tui.bible.references import ReferenceError, parse_reference
from verse_tui.bible.sqlite_bible_client import BibleDataError, SqliteBibleClient
from verse_tui.errors import InputError


def test_chapter_returns_every_verse_in_order(bible) -> None:
    passage = bible.chapter("KJV", 43, 3)
    assert passage.reference == "John 3"
    assert passage.translation == "KJV"
    assert [v.ref.verse for v in passage.verses] == list(range(1, 37))
    assert passage.verses[15].osis == "John.3.16"
    assert passage.verses[15].text.startswith("For God so loved the world")
    assert passage.note is None


def test_passage_of_several_ranges(bible) -> None:
    passage = bible.passage("web", parse_reference("John 3:16, 18; Gen 1:1-2:3"))
    assert [v.osis for v in passage.verses[:3]] == ["John.3.16", "John.3.18", "Gen.1.1"]
    assert passage.verses[-1].osis == "Gen.2.3"
    assert len(passage.verses) == 2 + 31 + 3
    assert passage.translation == "WEB"


def test_asv_omitted_verse_is_flagged_not_blank(bible) -> None:
    verses = bible.passage("ASV", parse_reference("Matt 17:20-22")).verses
    assert [(v.ref.verse, v.omitted) for v in verses] == [(20, False), (21, True), (22, False)]
    assert verses[1].text == ""
    kjv = bible.passage("KJV", parse_reference("Matt 17:21")).verses[0]
    assert not kjv.omitted and "prayer and fasting" in kjv.text


def test_web_doxology_asked_at_romans_16(bible) -> None:
    passage = bible.passage("WEB", parse_reference("Romans 16:25-27"))
    assert [v.osis for v in passage.verses] == ["Rom.14.24", "Rom.14.25", "Rom.14.26"]
    assert passage.verses[0].text.startswith("Now to him who is able to establish you")
    assert passage.note == "In the WEB, Romans 16:25–27 are at Romans 14:24–26."
    assert passage.reference == "Romans 16:25–27"


def test_web_doxology_asked_where_it_stands(bible) -> None:
    passage = bible.passage("WEB", parse_reference("Romans 14:24-26"))
    assert [v.osis for v in passage.verses] == ["Rom.14.24", "Rom.14.25", "Rom.14.26"]
    assert passage.note is None


def test_kjv_doxology_asked_at_romans_14(bible) -> None:
    passage = bible.passage("KJV", parse_reference("Rom 14:24-26"))
    assert [v.osis for v in passage.verses] == ["Rom.16.25", "Rom.16.26", "Rom.16.27"]
    assert passage.note == "In the KJV, Romans 14:24–26 are at Romans 16:25–27."
    plain = bible.passage("KJV", parse_reference("Rom 16:25-27"))
    assert [v.osis for v in plain.verses] == ["Rom.16.25", "Rom.16.26", "Rom.16.27"]
    assert plain.note is None


def test_whole_chapter_keeps_its_own_numbering_with_a_note(bible) -> None:
    web16 = bible.chapter("WEB", 45, 16)
    assert web16.verses[-1].osis == "Rom.16.24"
    assert web16.note == "In the WEB, Romans 16:25–27 are at Romans 14:24–26."
    assert bible.chapter("WEB", 45, 14).verses[-1].osis == "Rom.14.26"
    assert bible.chapter("KJV", 45, 16).verses[-1].osis == "Rom.16.27"
    assert bible.passage("WEB", parse_reference("Romans 16")).verses[-1].osis == "Rom.16.24"


def test_unknown_translation_lists_the_installed_ones(bible) -> None:
    with pytest.raises(InputError, match=r"Unknown translation 'XYZ'.*KJV, WEB, ASV, YLT"):
        bible.chapter("XYZ", 1, 1)


def test_bad_chapter_is_a_reference_error(bible) -> None:
    with pytest.raises(ReferenceError, match="John has 21 chapters"):
        bible.chapter("KJV", 43, 99)


def test_missing_database_says_how_to_fix(tmp_path) -> None:
    with pytest.raises(BibleDataError, match=r"missing.*Reinstall"):
        SqliteBibleClient(tmp_path / "nothing.sqlite")


def test_corrupt_database_says_how_to_fix(tmp_path) -> None:
    path = tmp_path / "bible.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(BibleDataError, match=r"damaged.*Reinstall"):
        SqliteBibleClient(path)


def test_database_of_another_layout_is_refused(tmp_path) -> None:
    path = tmp_path / "bible.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    with pytest.raises(BibleDataError, match=r"another layout.*Reinstall"):
        SqliteBibleClient(path)


def test_the_client_is_read_only(bible) -> None:
    with pytest.raises(sqlite3.OperationalError):
        bible._db.execute("DELETE FROM verses")


def test_web_apostrophes_are_shown_as_apostrophes(bible) -> None:
    verse = bible.passage("WEB", parse_reference("John 3:17")).verses[0]
    assert "didn’t" in verse.text and "`" not in verse.text
    hit = bible.search("didn't", "WEB", limit=1).hits[0]
    assert "`" not in hit.verse.text and "`" not in hit.snippet


def test_ylt_backticks_open_and_close_quotations(bible) -> None:
    # Stored as "and God saith, `Let light be;` and light is." and "God`s".
    verses = bible.passage("YLT", parse_reference("Gen 1:1-3")).verses
    assert "God’s preparing" in verses[0].text
    assert "saith, ‘Let light be;’ and" in verses[2].text
    hit = bible.search('"Let light be"', "YLT", limit=1).hits[0]
    assert "saith, ‘«Let light be»;’ and" in hit.snippet
