"""Reference and quotation detection, and word comparison, behind the citation check."""

from __future__ import annotations

from verse_tui.bible.cited import find_quotes, find_references
from verse_tui.bible.wording import contains, pieces, similarity, words


def _found(text: str) -> list[tuple[str, str | None]]:
    return [
        (r.text, f"{r.range.start.chapter}:{r.range.start.verse}" if r.range else r.error)
        for r in find_references(text)
    ]


def test_names_in_every_shape_and_case() -> None:
    text = (
        "Song of Solomon 2:4, the book of Ruth 1:16, I John 1:9, 1st Cor. 13:4, "
        "JUDE 3:1, jude 1:3, Ps 23:1a and gen 1:1–2:3."
    )
    assert _found(text) == [
        ("Song of Solomon 2:4", "2:4"),
        ("Ruth 1:16", "1:16"),
        ("I John 1:9", "1:9"),
        ("1st Cor. 13:4", "13:4"),
        ("JUDE 3:1", "There is no Jude 3: Jude has 1 chapter."),
        ("jude 1:3", "1:3"),
        ("Ps 23:1a", "23:1"),
        ("gen 1:1–2:3", "1:1"),
    ]


def test_following_places_and_where_they_stop() -> None:
    assert _found("Romans 5:8; 6:23, 1 Cor 2:9 and John 3:16, 18.") == [
        ("Romans 5:8", "5:8"),
        ("6:23", "6:23"),
        ("1 Cor 2:9", "2:9"),
        ("John 3:16", "3:16"),
        ("18", "3:18"),
    ]


def test_ordinary_words_and_code_are_not_references() -> None:
    text = "is 5:3, am 2:1, ex 3:14, at 3:16, Chapter 3:16, Hezekiah 3:4, `John 3:16`, Acts 2"
    assert find_references(text) == ()


def test_quotations_and_their_nearest_references() -> None:
    text = "Compare “Jesus wept” (John 11:35) with Romans 5:8: “God commendeth his love”."
    quotes = find_quotes(text, find_references(text))
    assert [q.text for q in quotes] == ["Jesus wept", "God commendeth his love"]
    assert [q.candidates[0].text for q in quotes] == ["John 11:35", "Romans 5:8"]


def test_block_quote_lines_with_leading_references_are_separate_quotes() -> None:
    text = "> **John 11:35** Jesus wept.\n> **Romans 5:8** But God commendeth his love"
    quotes = find_quotes(text, find_references(text))
    assert [(q.text.strip("* "), q.candidates[0].text) for q in quotes] == [
        ("Jesus wept.", "John 11:35"),
        ("But God commendeth his love", "Romans 5:8"),
    ]


def test_word_keys_forget_spelling_but_not_wording() -> None:
    assert words("He loveth; she loves") == words("he loves, she loveth")
    assert words("the labour of to day") == words("The labor of today")
    assert words("He shewed") == words("he showed")
    assert words("Jehovah") == words("LORD") == words("Yahweh")
    assert words("sons") != words("son")
    assert words("thee") != words("you")
    assert words("thou lovest") != words("you love")


def test_ellipses_keep_order() -> None:
    verse = words("In the beginning God created the heaven and the earth.")
    assert contains(verse, pieces("In the beginning … the earth"))
    assert not contains(verse, pieces("the earth ... In the beginning"))
    assert similarity(verse, pieces("the earth ... In the beginning")) < 0.8
    assert similarity(verse, pieces("In the beginning God made the heaven and the earth")) < 1
