"""Parsing what people type as references, formatting them back, and the errors for bad input."""

from __future__ import annotations

import subprocess
import sys

import pytest

from verse_tui.bible.canon import verse_count
from verse_tui.bible.references import (
    ReferenceError,
    format_range,
    format_reference,
    parse_book_chapter,
    parse_reference,
)
from verse_tui.domain.bible import Reference, VerseRange, VerseRef
from verse_tui.errors import InputError


def rng(book: int, c1: int, v1: int, c2: int | None = None, v2: int | None = None) -> VerseRange:
    """A range in one book; with only a start it is a single verse."""
    end = VerseRef(book, c1 if c2 is None else c2, v1 if v2 is None else v2)
    return VerseRange(VerseRef(book, c1, v1), end)


def ranges(text: str) -> tuple[VerseRange, ...]:
    return parse_reference(text).ranges


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jn 3:16", (rng(43, 3, 16),)),
        ("Jhn 3:16", (rng(43, 3, 16),)),
        ("John 3.16", (rng(43, 3, 16),)),
        ("  jOHN   3 : 16  ", (rng(43, 3, 16),)),
        ("JOHN 3:16", (rng(43, 3, 16),)),
        ("Jn. 3:16.", (rng(43, 3, 16),)),
        ("1 Cor 13", (rng(46, 13, 1, 13, 13),)),
        ("I Cor 13:4-7", (rng(46, 13, 4, 13, 7),)),
        ("1Co 13", (rng(46, 13, 1, 13, 13),)),
        ("1 Co. 13:4", (rng(46, 13, 4),)),
        ("Ps 23", (rng(19, 23, 1, 23, 6),)),
        ("Psalm 23:1-3", (rng(19, 23, 1, 23, 3),)),
        ("Psalms 120-122", (rng(19, 120, 1, 122, 9),)),
        ("Gen 1:1-2:3", (rng(1, 1, 1, 2, 3),)),
        ("Gen 1-2:3", (rng(1, 1, 1, 2, 3),)),
        ("Gen 1 - 2", (rng(1, 1, 1, 2, 25),)),
        ("John 3:16, 18", (rng(43, 3, 16), rng(43, 3, 18))),
        ("John 3:16; 4:1", (rng(43, 3, 16), rng(43, 4, 1))),
        ("John 3:16, 18-20; 4", (rng(43, 3, 16), rng(43, 3, 18, 3, 20), rng(43, 4, 1, 4, 54))),
        ("John 3, 5", (rng(43, 3, 1, 3, 36), rng(43, 5, 1, 5, 47))),
        ("John 3:36, 4:2", (rng(43, 3, 36), rng(43, 4, 2))),
        ("Rom 1:1; 1 Cor 2", (rng(45, 1, 1), rng(46, 2, 1, 2, 16))),
        ("Rom 1:1, 1 Cor 2:3", (rng(45, 1, 1), rng(46, 2, 3))),
        ("Song 2", (rng(22, 2, 1, 2, 17),)),
        ("Song of Songs 2:1", (rng(22, 2, 1),)),
        ("Canticles 8:14", (rng(22, 8, 14),)),
        ("Jude 3", (rng(65, 1, 3),)),
        ("Jude 1", (rng(65, 1, 1),)),
        ("Jude 1:3", (rng(65, 1, 3),)),
        ("Jude 3-5, 7", (rng(65, 1, 3, 1, 5), rng(65, 1, 7))),
        ("Jude", (rng(65, 1, 1, 1, 25),)),
        ("Phlm 6", (rng(57, 1, 6),)),
        ("Philem 6", (rng(57, 1, 6),)),
        ("3 John 2", (rng(64, 1, 2),)),
        ("First Kings 2", (rng(11, 2, 1, 2, 46),)),
        ("1st Kings 2:1", (rng(11, 2, 1),)),
        ("II Tim 3:16", (rng(55, 3, 16),)),
        ("Second Timothy 3:16", (rng(55, 3, 16),)),
        ("1 Kings 2-3", (rng(11, 2, 1, 3, 28),)),
        ("John 3:16–18", (rng(43, 3, 16, 3, 18),)),
        ("John 3:16—18", (rng(43, 3, 16, 3, 18),)),
        ("Gen 1:1 – 2:3", (rng(1, 1, 1, 2, 3),)),
        ("Rev 22:21", (rng(66, 22, 21),)),
        ("Revelations 1:1", (rng(66, 1, 1),)),
        ("Isa 53", (rng(23, 53, 1, 53, 12),)),
        ("Is 53:5", (rng(23, 53, 5),)),
        ("Rom 14:24-26", (rng(45, 14, 24, 14, 26),)),
        ("Rom 16:25-27", (rng(45, 16, 25, 16, 27),)),
        ("Gene 1:1", (rng(1, 1, 1),)),
        ("John", (rng(43, 1, 1, 1, verse_count(43, 1)),)),  # a book alone: its first chapter
    ],
)
def test_parses_what_people_type(text: str, expected: tuple[VerseRange, ...]) -> None:
    assert ranges(text) == expected


@pytest.mark.parametrize(
    ("text", "formatted"),
    [
        ("1 cor 13:4-7", "1 Corinthians 13:4–7"),
        ("1 cor 13", "1 Corinthians 13"),
        ("gen 1-2", "Genesis 1–2"),
        ("gen 1:1-2:3", "Genesis 1:1–2:3"),
        ("gen 1:1-2:25", "Genesis 1–2"),
        ("gen 1:2-2:25", "Genesis 1:2–2:25"),
        ("john 3:16, 18", "John 3:16, 18"),
        ("john 3:16,18-20 ;4:1", "John 3:16, 18–20; 4:1"),
        ("john 3; 4:1, 3", "John 3; 4:1, 3"),
        ("john 3:16; 5-6", "John 3:16; 5–6"),
        ("rom 1:1; 1 cor 2", "Romans 1:1; 1 Corinthians 2"),
        ("jude 3", "Jude 3"),
        ("jude 3-5, 7", "Jude 3–5, 7"),
        ("jude", "Jude"),
        ("obad 1-21", "Obadiah"),
        ("ps 23", "Psalm 23"),
        ("ps 23:1", "Psalm 23:1"),
        ("ps 120-134", "Psalms 120–134"),
        ("song 2", "Song of Solomon 2"),
        ("phlm 6", "Philemon 6"),
        ("john 3:16", "John 3:16"),
    ],
)
def test_formats_back(text: str, formatted: str) -> None:
    assert format_reference(parse_reference(text)) == formatted


def test_format_range_of_one_range() -> None:
    assert format_range(rng(46, 13, 4, 13, 7)) == "1 Corinthians 13:4–7"
    assert format_range(rng(1, 1, 1, 2, 3)) == "Genesis 1:1–2:3"


def test_format_range_across_books_names_both_ends() -> None:
    r = VerseRange(VerseRef(39, 4, 6), VerseRef(40, 1, 1))
    assert format_range(r) == "Malachi 4:6–Matthew 1:1"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("John 99:1", "There is no John 99: John has 21 chapters."),
        ("John 22", "There is no John 22: John has 21 chapters."),
        ("John 3:99", "There is no John 3:99: John 3 has 36 verses."),
        ("John 3:16-40", "There is no John 3:40: John 3 has 36 verses."),
        ("John 3:16-4:99", "There is no John 4:99: John 4 has 54 verses."),
        ("John 0:1", "Chapters start at 1: there is no John 0."),
        ("John 3:0", "Verses start at 1: there is no John 3:0."),
        ("Jude 30", "There is no Jude 30: Jude has 25 verses."),
        ("Jude 2:1", "There is no Jude 2: Jude has 1 chapter."),
        ("John 99999999999999999999999:1", "John has 21 chapters."),
        ("", "Type a reference such as John 3:16."),
        ("   ", "Type a reference such as John 3:16."),
        (" ;, ", "Type a reference such as John 3:16."),
        ("3:16", 'Start with a book name, as in John 3:16 (not "3:16").'),
        ("John 3::16", 'Cannot read "John 3::16"'),
        ("John 3:16:17", 'Cannot read "John 3:16:17"'),
        ("John 3:16x", 'Cannot read "John 3:16x"'),
        ("xyzzy 1", 'There is no book called "xyzzy". Type a book name or abbreviation'),
        ("John " + "1" * 600, "That reference is too long"),
    ],
)
def test_invalid_input_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ReferenceError) as caught:
        parse_reference(text)
    assert message in str(caught.value)
    assert isinstance(caught.value, InputError)


def test_unknown_book_suggests_the_closest_books() -> None:
    with pytest.raises(ReferenceError) as caught:
        parse_reference("Hezekiah 1:1")
    assert str(caught.value).startswith('There is no book called "Hezekiah". Did you mean Ezekiel')
    assert caught.value.suggestion == "Ezekiel 1:1"


def test_suggestion_keeps_the_rest_of_a_list() -> None:
    with pytest.raises(ReferenceError) as caught:
        parse_reference("Jn 3:16; Hebrws 11:1")
    assert "Did you mean Hebrews" in str(caught.value)
    assert caught.value.suggestion == "Jn 3:16; Hebrews 11:1"


def test_ambiguous_short_name_offers_candidates() -> None:
    with pytest.raises(ReferenceError) as caught:
        parse_reference("Jo 3:16")
    assert "Did you mean" in str(caught.value)
    assert caught.value.suggestion is not None


def test_missing_colon_offers_chapter_and_verse() -> None:
    with pytest.raises(ReferenceError) as caught:
        parse_reference("John 3 16")
    assert caught.value.suggestion == "John 3:16"


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("John 3:18-16", "John 3:16–18"),
        ("John 5-3", "John 3–5"),
        ("Gen 3:5-2:1", "Genesis 2:1–3:5"),
        ("Jude 5-3", "Jude 3–5"),
        ("Gen 1:3-2", "Genesis 1:2–3"),  # after chapter:verse a lone number is a verse
    ],
)
def test_backwards_range_is_a_clear_error_with_the_fix(text: str, fixed: str) -> None:
    with pytest.raises(ReferenceError) as caught:
        parse_reference(text)
    assert "ends before it starts" in str(caught.value)
    assert caught.value.suggestion == fixed
    assert parse_reference(fixed).ranges  # the fix itself parses


def test_no_suggestion_for_a_chapter_that_does_not_exist() -> None:
    with pytest.raises(ReferenceError) as caught:
        parse_reference("John 99:1")
    assert caught.value.suggestion is None


def test_parse_book_chapter_for_the_go_to_box() -> None:
    john, chapter = parse_book_chapter("jn")
    assert (john.name, chapter) == ("John", 1)
    psalms, chapter = parse_book_chapter("ps 23:4")
    assert (psalms.name, chapter) == ("Psalms", 23)
    with pytest.raises(ReferenceError):
        parse_book_chapter("Hezekiah")


def test_reference_objects_compare_by_value() -> None:
    assert parse_reference("Jn 3:16") == Reference((rng(43, 3, 16),))
    assert parse_reference("Jn 3:16") == parse_reference("John 3.16")


def test_parsing_stays_light_on_the_fast_read_path() -> None:
    """`verse read` imports this module: no heavy imports, and difflib only for a typo."""
    code = (
        "import sys\n"
        "from verse_tui.bible.references import parse_reference, format_reference\n"
        "format_reference(parse_reference('Jn 3:16, 18; 1 Cor 13'))\n"
        "heavy = {'difflib', 'asyncio', 'sqlalchemy', 'textual', 'anthropic', 'sqlite3'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
