"""Property tests: formatting then parsing gives the same reference; no input string crashes it."""

from __future__ import annotations

from hypothesis import given
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
def references(draw: st.DrawFn) -> Reference:
    """One to four ranges; later ones often stay in the same book, as lists usually do."""
    found = [draw(verse_ranges())]
    for _ in range(draw(st.integers(0, 3))):
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


NAMES = [b.name for b in canon.BOOKS] + ["Jn", "1 Cor", "I Cor", "Ps", "Jude", "Song of Songs"]
REFERENCE_ALPHABET = " 0123456789:;,.-–—abcdehijlmnoprsuIJ\t"
typed_text = st.one_of(
    st.text(),
    st.text(alphabet=REFERENCE_ALPHABET, max_size=40),
    st.builds(
        "{} {}".format,
        st.sampled_from(NAMES),
        st.text(alphabet="0123456789:;,.- –", max_size=20),
    ),
)


def assert_valid(r: VerseRange) -> None:
    assert r.start <= r.end
    for v in (r.start, r.end):
        assert 1 <= v.chapter <= canon.chapter_count(v.book)
        assert 1 <= v.verse <= canon.verse_count(v.book, v.chapter)


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
