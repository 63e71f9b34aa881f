"""The shipped study.sqlite: what a user relies on, checked without the source modules."""

from __future__ import annotations

import re
import sqlite3

from verse_tui.bible.references import parse_reference
from verse_tui.bible.sqlite_study_client import SqliteStudyClient
from verse_tui.bible.tagged_text import segments
from verse_tui.domain.bible import VerseRef


def test_every_kjv_verse_has_its_words(study_db: sqlite3.Connection) -> None:
    assert study_db.execute("SELECT count(*) FROM kjv_words").fetchone() == (31102,)
    untagged = study_db.execute("SELECT id FROM kjv_words WHERE tagged NOT LIKE '%|%'").fetchall()
    # the module itself carries no numbers in Mark 9:43, Luke 6:41 and Luke 17:36
    assert [i for (i,) in untagged] == [141009043, 142006041, 142017036]


def test_verse_ids_are_bible_sqlite_ids(study: SqliteStudyClient) -> None:
    [john] = study.verse_words(VerseRef(43, 3, 16))
    assert john.osis == "John.3.16"
    assert john.paragraph
    groups = {w.text: w.numbers for w in john.words if w.numbers}
    assert groups["loved"] == ("G25",)
    assert groups["God"] == ("G2316",)
    assert john.text.startswith("For God so loved the world")


def test_supplied_words_keep_their_brackets(study: SqliteStudyClient) -> None:
    [verse] = study.verse_words(VerseRef(1, 1, 2))
    assert "darkness [was] upon" in verse.text


def test_psalm_titles(study_db: sqlite3.Connection, study: SqliteStudyClient) -> None:
    chapters = study_db.execute("SELECT count(*) FROM kjv_titles WHERE id % 1000 = 1").fetchone()
    assert chapters[0] == 117  # 116 psalm titles and Psalm 119's ALEPH
    [verse] = study.verse_words(VerseRef(19, 3, 1))
    assert verse.title == "A Psalm of David, when he fled from Absalom his son."
    assert "Psalm" not in verse.text


def test_hebrew_is_hebrew(study_db: sqlite3.Connection) -> None:
    rows = study_db.execute("SELECT number, lemma FROM lexicon WHERE number LIKE 'H%'").fetchall()
    assert len(rows) > 8600
    hebrew = re.compile(r"[\u05d0-\u05ea]")
    assert all(hebrew.search(lemma) for _, lemma in rows), [
        r for r in rows if not hebrew.search(r[1])
    ][:5]
    assert not any("×" in lemma for _, lemma in rows)  # no mojibake
    assert dict(rows)["H430"] == "אלהים"


def test_greek_entry_and_renderings(study: SqliteStudyClient) -> None:
    entry = study.entry("G0026")
    assert (entry.number, entry.lemma, entry.transliteration) == ("G26", "ἀγάπη", "agápē")
    assert entry.pronunciation == "ag-ah'-pay"
    assert "love-feast" in entry.definition
    top = [r.text for r in entry.renderings[:2]]
    assert top == ["love", "charity"]
    assert entry.verses == study.concordance("G26").total


def test_concordance_of_theos(study: SqliteStudyClient) -> None:
    page = study.concordance("g2316", limit=5)
    assert page.total == 1171
    assert page.hits[0].osis == "Matt.1.23"
    assert "«God»" in page.hits[0].snippet
    in_john = study.concordance("G2316", book=43, limit=500)
    assert all(h.ref.book == 43 for h in in_john.hits)
    assert len(in_john.hits) == in_john.total


def test_mhcc_sections_cover_their_verses(study: SqliteStudyClient) -> None:
    [romans] = study.commentary(parse_reference("Romans 8:28")).sections
    assert romans.heading == "Verses 28-31"
    assert romans.reference == "Romans 8:28–31"
    assert "good for the saints" in romans.text
    [isaiah] = study.commentary(parse_reference("Isaiah 53:5")).sections
    assert isaiah.reference == "Isaiah 53:4–9"
    [genesis] = study.commentary(parse_reference("Gen 36:20")).sections
    assert genesis.reference == "Genesis 36"  # one section on the whole chapter
    chapter = study.commentary(parse_reference("Romans 8")).sections
    assert [s.heading for s in chapter][:2] == ["Verses 1-9", "Verses 10-17"]
    # a section over two chapters (indexed under both) comes once for a passage over both
    [both] = study.commentary(parse_reference("Leviticus 18–19")).sections
    assert both.reference == "Leviticus 18–19"


def test_treasury_of_david(study: SqliteStudyClient) -> None:
    sections = study.commentary(parse_reference("Ps 23:4"), "tdavid").sections
    headings = [s.heading for s in sections]
    assert headings[0] == "Psalm 23 OVERVIEW"
    assert "EXPOSITION — Verse 4" in headings
    assert not study.commentary(parse_reference("John 1:1"), "tdavid").sections
    psalm119 = study.commentary(parse_reference("Ps 119:2"), "tdavid").sections
    assert "EXPOSITION. — Ver. 2" in [s.heading for s in psalm119]


def test_topics(study: SqliteStudyClient) -> None:
    assert "FAITH" in study.topics_of(parse_reference("John 3:16")).topics
    shepherd = study.topic("shepherd")
    assert "Ps.23.2" in shepherd.refs
    assert "SHEPHERD" in study.topics_of(parse_reference("Ps 23:2")).topics
    # a chapter reference ("Ps.23"-style) covers each of its verses
    assert study.topics_of(parse_reference("Ps 23:6")).topics


def test_every_strongs_number_in_the_text_has_an_entry(study_db: sqlite3.Connection) -> None:
    known = {n for (n,) in study_db.execute("SELECT number FROM lexicon")}
    used = set()
    for (tagged,) in study_db.execute("SELECT tagged FROM kjv_words"):
        used.update(n for _, numbers in segments(tagged) for n in numbers)
    assert used <= known and len(used) > 8000


def test_no_control_characters(study_db: sqlite3.Connection) -> None:
    control = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
    for table, column in (
        ("commentary", "text"),
        ("topics", "text"),
        ("lexicon", "definition"),
        ("kjv_words", "tagged"),
    ):
        for (text,) in study_db.execute(f"SELECT {column} FROM {table}"):
            assert not control.search(text), (table, text[:80])


def test_sources_are_recorded(study_db: sqlite3.Connection) -> None:
    rows = dict(study_db.execute("SELECT module, license FROM sources").fetchall())
    assert set(rows) == {"engKJV2006eb", "StrongsGreek", "StrongsHebrew", "MHCC", "TDavid", "Nave"}
    assert set(rows.values()) == {"Public Domain"}
