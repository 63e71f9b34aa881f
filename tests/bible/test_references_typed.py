"""References as people type them (issue 10, items 4 and 6k): ranges across books, lists whose
parts cross books, partial verses, quotes, absurd numbers, and the cap on one passage."""

from __future__ import annotations

import pytest

from verse_tui.bible.passage_size import MAX_VERSES, PassageTooLongError, check_size, verse_total
from verse_tui.bible.references import ReferenceError, format_reference, parse_reference
from verse_tui.domain.bible import Reference, VerseRange, VerseRef
from verse_tui.errors import InputError


def rng(book: int, c1: int, v1: int, book2: int, c2: int, v2: int) -> VerseRange:
    return VerseRange(VerseRef(book, c1, v1), VerseRef(book2, c2, v2))


@pytest.mark.parametrize(
    ("text", "expected", "formatted"),
    [
        ("Genesis 1 - Deuteronomy 34", rng(1, 1, 1, 5, 34, 12), "Genesis 1–Deuteronomy 34"),
        (
            "1Samuel 28:20- 2Samuel 12:10",
            rng(9, 28, 20, 10, 12, 10),
            "1 Samuel 28:20–2 Samuel 12:10",
        ),
        ("Ps 3-Proverbs 2:3", rng(19, 3, 1, 20, 2, 3), "Psalms 3:1–Proverbs 2:3"),
        ("Gen-Deut", rng(1, 1, 1, 5, 34, 12), "Genesis 1–Deuteronomy 34"),
        ("Obadiah - Jonah 2", rng(31, 1, 1, 32, 2, 10), "Obadiah–Jonah 2"),
        ("Jude 3 - Rev 1:5", rng(65, 1, 3, 66, 1, 5), "Jude 3–Revelation 1:5"),
        ("mal 4:6 — MATT 1:1", rng(39, 4, 6, 40, 1, 1), "Malachi 4:6–Matthew 1:1"),
        ("1 Cor 13 - 2 Cor", rng(46, 13, 1, 47, 13, 14), "1 Corinthians 13–2 Corinthians 13"),
        ("Gen 1 - Gen 3", rng(1, 1, 1, 1, 3, 24), "Genesis 1–3"),
    ],
)
def test_ranges_may_cross_books(text: str, expected: VerseRange, formatted: str) -> None:
    parsed = parse_reference(text)
    assert parsed == Reference((expected,))
    assert format_reference(parsed) == formatted
    assert parse_reference(formatted) == parsed


@pytest.mark.parametrize(
    ("text", "formatted"),
    [
        ("Gen 50 - Exod 2, 5", "Genesis 50–Exodus 2; 5"),  # after a chapter: a chapter
        ("Gen 50:1 - Exod 1:5, 7", "Genesis 50:1–Exodus 1:5, 7"),  # after a verse: a verse
        ("Jn 3:16; Ruth 4 - 1 Sam 2:3, 5", "John 3:16; Ruth 4:1–1 Samuel 2:3, 5"),
        ("Gen 1:1, Exod 2:3; Lev 4", "Genesis 1:1; Exodus 2:3; Leviticus 4"),
        ("John 3:16, 18 - Acts 2", "John 3:16; John 3:18–Acts 2:47"),
    ],
)
def test_lists_whose_parts_cross_books(text: str, formatted: str) -> None:
    parsed = parse_reference(text)
    assert format_reference(parsed) == formatted
    assert parse_reference(formatted) == parsed


@pytest.mark.parametrize(
    ("text", "formatted"),
    [
        ("Obadiah 3b", "Obadiah 3"),
        ("John 3:16a", "John 3:16"),
        ("John 3:16a-18b", "John 3:16–18"),
        ("Gen 1:1-2:3a", "Genesis 1:1–2:3"),
        ("Deut 6:4B; 1Chr 1:1c", "Deuteronomy 6:4; 1 Chronicles 1:1"),
    ],
)
def test_a_verse_part_means_the_whole_verse(text: str, formatted: str) -> None:
    assert format_reference(parse_reference(text)) == formatted


@pytest.mark.parametrize(
    "text",
    ['"John 3:16"', "“John 3:16”", "'jn 3:16'", "‘John 3:16’", "«John 3:16»", ' "jn 3:16 '],
)
def test_quotes_around_a_reference_are_ignored(text: str) -> None:
    assert format_reference(parse_reference(text)) == "John 3:16"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Gen 99999999999999999999", "There is no Genesis 99999999999999999999: Genesis has 50"),
        ("Gen 1:99999999999", "There is no Genesis 1:99999999999: Genesis 1 has 31 verses."),
        ("Jude 12345678901234567890123", "There is no Jude 12345678901234567890123: Jude has 25"),
        ("Gen 1 - Exod 99999999999999999999", "There is no Exodus 99999999999999999999"),
        ("Gen " + "9" * 400, "There is no Genesis " + "9" * 23 + "…: Genesis has 50"),
    ],
)
def test_numbers_are_shown_as_typed(text: str, message: str) -> None:
    with pytest.raises(ReferenceError) as caught:
        parse_reference(text)
    assert message in str(caught.value)
    assert "1000000" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message", "suggestion"),
    [
        ("Exodus - Genesis", "as in Genesis 1–Exodus 40", "Genesis 1–Exodus 40"),
        ("Exod 3 - Gen 2:4", "ends before it starts", "Genesis 2:4–Exodus 3:22"),
        ("Gen 1 - Hezekiah 3", "Did you mean Ezekiel", "Gen 1 - Ezekiel 3"),
        ("Jn 3:16; Genesys 1 - Exod 2", "Did you mean Genesis", "Jn 3:16; Genesis 1 - Exod 2"),
        ("Gen 1:1-3 - Exod 2", 'Cannot read "Gen 1:1-3 - Exod 2"', None),
        ("Gen 1 - Exod 2-4", "Cannot read", None),
        ("Gen 1 - Exod 2 - Lev 3", "Cannot read", None),
        ("Gen 1 -", "Cannot read", None),
        ('""', "Type a reference", None),
    ],
)
def test_bad_cross_book_ranges_say_what_is_wrong(
    text: str, message: str, suggestion: str | None
) -> None:
    with pytest.raises(ReferenceError) as caught:
        parse_reference(text)
    assert message in str(caught.value)
    assert caught.value.suggestion == suggestion


def test_verse_total_counts_across_books_and_parts() -> None:
    assert verse_total(parse_reference("John 3:16")) == 1
    assert verse_total(parse_reference("Genesis 1 - Deuteronomy 34")) == 5852
    assert verse_total(parse_reference("Matt - Rev")) == 7960
    assert verse_total(parse_reference("Ps 117; Ps 117")) == 4


def test_a_passage_over_the_cap_is_refused_with_where_to_start() -> None:
    check_size(parse_reference("Matthew 1 - Revelation 22"))  # the whole NT fits
    with pytest.raises(PassageTooLongError) as caught:
        check_size(parse_reference("Genesis 1 - Revelation 22"))
    message = str(caught.value)
    assert message.startswith("Genesis 1–Revelation 22 is 31,105 verses; Verse shows at most")
    assert f"{MAX_VERSES:,}" in message
    assert "start with Genesis 1–1 Samuel 29." in message
    assert isinstance(caught.value, InputError)
    first = parse_reference(caught.value.suggestion or "")
    check_size(first)
    assert verse_total(first) > MAX_VERSES - 200  # as much as fits in whole chapters


def test_a_list_over_the_cap_says_how_many_parts_fit() -> None:
    with pytest.raises(PassageTooLongError) as caught:
        check_size(parse_reference(", ".join(["Ps 119"] * 48)))
    assert "is 8,448 verses" in str(caught.value)
    assert "Ask for fewer parts at a time (the first 45 fit)." in str(caught.value)
    assert len(str(caught.value)) < 250
