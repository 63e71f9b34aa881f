"""`frozen_record`: the value classes on the fast path behave like frozen dataclasses, on the
positional fast path and the keyword path alike."""

from __future__ import annotations

import pytest

from verse_tui.domain.bible import VerseRange, VerseRef
from verse_tui.domain.lexicon import VerseWords


def test_positional_and_keyword_construction_agree() -> None:
    by_position = VerseRef(43, 3, 16)
    by_keyword = VerseRef(verse=16, book=43, chapter=3)
    assert by_position == by_keyword
    assert hash(by_position) == hash(by_keyword)
    assert (by_position.book, by_position.chapter, by_position.verse) == (43, 3, 16)
    assert VerseRange(by_position, VerseRef(43, 3, 17)).end.verse == 17


def test_defaults_fill_fields_left_out() -> None:
    words = VerseWords(VerseRef(19, 3, 1), "Ps.3.1", ())
    assert words.title is None
    assert words.paragraph is False


def test_wrong_arguments_are_refused() -> None:
    with pytest.raises(TypeError, match="takes 3 arguments"):
        VerseRef(1, 2, 3, 4)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="missing the argument 'verse'"):
        VerseRef(1, 2)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected argument 'page'"):
        VerseRef(1, 2, 3, page=4)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="'book' twice"):
        VerseRef(1, 2, 3, book=1)  # type: ignore[misc]


def test_records_are_immutable_and_ordered() -> None:
    ref = VerseRef(1, 1, 1)
    with pytest.raises(AttributeError, match="immutable"):
        ref.verse = 2  # type: ignore[misc]
    assert VerseRef(1, 1, 2) < VerseRef(1, 2, 1)
    assert repr(ref) == "VerseRef(book=1, chapter=1, verse=1)"
