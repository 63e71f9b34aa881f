"""Property tests: formatting then parsing gives the same reference; no input string crashes it
or takes more than 100 ms (hypothesis' per-example deadline)."""

from __future__ import annotations

import difflib  # noqa: F401  (the parser imports it on its first error: not a cost to time)
import re
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from verse_tui.bible import canon
from verse_tui.bible.references import ReferenceError, format_reference, parse_reference
from verse_tui.domain.bible import Reference, VerseRange, VerseRef

KINDS = ("verse", "verses", "chapter", "chapters", "across chapters")


@st.composite
def verse_ranges(draw: st.DrawFn, book: int | None = None) -> VerseRange:
    """A valid range of one of the shapes people use, in `book` or a random one."""
    number = book if book is not None else draw(st.integers(1, 66))
    chapters = canon.chapter_count(number)
    kind = draw(st.sampled_from(KINDS))
    c1 = draw(st.integers(1, chapters))
    if kind in ("chapter", "chapters"):
        c2 = c1 if kind == "chapter" else draw(st.integers(c1, chapters))
        last = canon.verse_count(number, c2)
        return VerseRange(VerseRef(number, c1, 1), VerseRef(number, c2, last))
    v1 = draw(st.integers(1, canon.verse_count(number, c1)))
    c2 = c1 if kind != "across chapters" else draw(st.integers(c1, min(chapters, c1 + 3)))
    if kind == "verse":
        v2 = v1
    else:
        v2 = draw(st.integers(v1 if c2 == c1 else 1, canon.verse_count(number, c2)))
    return VerseRange(VerseRef(number, c1, v1), VerseRef(number, c2, v2))


@st.composite
def cross_book_ranges(draw: st.DrawFn) -> VerseRange:
    """From a verse or chapter of one book to a verse or chapter of a later one."""
    first = draw(st.integers(1, 65))
    last = draw(st.integers(first + 1, min(66, first + 5)))
    c1 = draw(st.integers(1, canon.chapter_count(first)))
    c2 = draw(st.integers(1, canon.chapter_count(last)))
    if draw(st.booleans()):  # whole chapters
        return VerseRange(VerseRef(first, c1, 1), VerseRef(last, c2, canon.verse_count(last, c2)))
    v1 = draw(st.integers(1, canon.verse_count(first, c1)))
    v2 = draw(st.integers(1, canon.verse_count(last, c2)))
    return VerseRange(VerseRef(first, c1, v1), VerseRef(last, c2, v2))


@st.composite
def references(draw: st.DrawFn) -> Reference:
    """One to four ranges; later ones often stay in the same book, as lists usually do; some
    cross into another book."""
    found = [draw(st.one_of(verse_ranges(), cross_book_ranges()))]
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.integers(0, 3)) == 0:
            found.append(draw(cross_book_ranges()))
            continue
        same_book = draw(st.booleans())
        found.append(draw(verse_ranges(found[-1].end.book if same_book else None)))
    return Reference(tuple(found))


@given(references())
def test_parse_of_format_is_the_same_reference(ref: Reference) -> None:
    assert parse_reference(format_reference(ref)) == ref


@given(references())
def test_case_and_dashes_do_not_matter(ref: Reference) -> None:
    typed = format_reference(ref).upper().replace("–", "-")
    assert parse_reference(typed) == ref


@given(references(), st.sampled_from(['"{}"', "“{}”", "'{}'", "{}"]))
def test_quotes_and_verse_parts_do_not_change_the_reference(ref: Reference, quote: str) -> None:
    with_parts = re.sub(r"(?<=[0-9])(?=$|[,;–])", "b", format_reference(ref))  # "John 3:16b"
    assert parse_reference(quote.format(with_parts)) == ref


NAMES = [b.name for b in canon.BOOKS] + ["Jn", "1 Cor", "I Cor", "Ps", "Jude", "Song of Songs"]
REFERENCE_ALPHABET = " 0123456789:;,.-–—abcdehijlmnoprsuIJ\t\"“”'"
NUMBERS = "0123456789:;,.- –ab"
typed_text = st.one_of(
    st.text(),
    st.text(max_size=700),
    st.text(alphabet=REFERENCE_ALPHABET, max_size=40),
    st.text(alphabet=REFERENCE_ALPHABET, min_size=400, max_size=520),
    st.builds(
        "{} {}".format,
        st.sampled_from(NAMES),
        st.text(alphabet=NUMBERS, max_size=20),
    ),
    st.builds(
        "{} {} - {} {}".format,
        st.sampled_from(NAMES),
        st.text(alphabet=NUMBERS, max_size=12),
        st.sampled_from(NAMES),
        st.text(alphabet=NUMBERS, max_size=12),
    ),
    st.lists(st.sampled_from(NAMES), max_size=80).map(" - ".join),
    st.integers(min_value=0, max_value=10**480).map("Gen {}".format),
)


def assert_valid(r: VerseRange) -> None:
    assert r.start <= r.end
    for v in (r.start, r.end):
        assert 1 <= v.chapter <= canon.chapter_count(v.book)
        assert 1 <= v.verse <= canon.verse_count(v.book, v.chapter)


@settings(deadline=timedelta(milliseconds=100), max_examples=300)
@given(typed_text)
def test_any_text_gives_a_valid_reference_or_a_reference_error(text: str) -> None:
    try:
        ref = parse_reference(text)
    except ReferenceError as error:
        assert str(error)
        return
    assert ref.ranges
    for r in ref.ranges:
        assert_valid(r)
