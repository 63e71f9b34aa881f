"""Where a citation's mark goes in a reply's blocks (pure: no app), and what it says."""

from __future__ import annotations

from verse_tui.domain.citations import Citation, Verdict
from verse_tui.tui.chat.blocks import split_blocks
from verse_tui.tui.chat.citation_marks import (
    Mark,
    citation_detail,
    parse_cite,
    place_marks,
    summary_line,
    text_wanted,
    with_marks,
)


def cite(
    text: str,
    words: str,
    verdict: Verdict = "verified",
    *,
    reference: str | None = "John.3.16",
    quote: str | None = None,
    similarity: float | None = None,
) -> Citation:
    """The citation of `words` (their first occurrence in `text`)."""
    start = text.index(words)
    return Citation(reference, quote, verdict, None, similarity, start, start + len(words))


def decorated(text: str, citations: list[Citation]) -> list[str]:
    raws = split_blocks(text)
    found, placed = place_marks(raws, citations, 7)
    assert placed == len(citations)
    return [with_marks(raw, found.get(n, ())) for n, raw in enumerate(raws)]


def test_a_mark_follows_its_citation_in_the_block_that_holds_it() -> None:
    text = "Intro.\n\nSee (John 3:16) and *“God is love”*.\n\n- Rom 5:8\n- Jude 1:30\n"
    marks = [
        cite(text, "John 3:16"),
        cite(text, "“God is love”", "close", quote="God is love", similarity=0.9),
        cite(text, "Rom 5:8"),
        cite(text, "Jude 1:30", "no-such-verse", reference=None),
    ]
    assert decorated(text, marks) == [
        "Intro.\n\n",
        "See (John 3:16) [✓](cite:7.0) and *“God is love”* [≈](cite:7.1).\n\n",
        "- Rom 5:8 [✓](cite:7.2)\n- Jude 1:30 [✗](cite:7.3)\n",
    ]
    assert "".join(split_blocks(text)) == text  # the blocks' raw text is untouched


def test_a_block_quote_is_marked_after_its_last_line_not_after_the_newline() -> None:
    text = "> For all have sinned.\n> — Romans 3:23\n"
    quote = cite(text, text)
    assert decorated(text, [quote]) == ["> For all have sinned.\n> — Romans 3:23 [✓](cite:7.0)\n"]


def test_no_mark_inside_code_and_a_mark_after_a_link_that_holds_the_citation() -> None:
    text = "Run `John 3:16` and see [John 3:16](https://example.org).\n"
    in_code = cite(text, "John 3:16")
    in_link = _moved(in_code, text.rindex("John 3:16"))
    assert decorated(text, [in_code, in_link]) == [
        "Run `John 3:16` and see [John 3:16](https://example.org) [✓](cite:7.1).\n"
    ]


def _moved(citation: Citation, start: int) -> Citation:
    return Citation(
        citation.reference,
        citation.quote,
        citation.verdict,
        citation.translation,
        citation.similarity,
        start,
        start + len("John 3:16"),
    )


def test_citations_past_the_text_shown_wait_and_marks_past_a_block_are_left_out() -> None:
    text = "John 3:16 is loved.\n\n"
    later = Citation("Rom.5.8", None, "verified", None, None, 26, 33)
    citations = [cite(text, "John 3:16"), later, cite(text, "loved")]
    found, placed = place_marks(split_blocks(text), citations, 3)
    assert placed == 1 and found == {0: [Mark(9, "✓", "cite:3.0")]}  # in order: stops there
    shown = split_blocks(text + "Then Rom 5:8 again, \n\n")
    found, placed = place_marks(shown, citations, 3, first=1)  # only the new ones
    assert placed == 3 and found == {1: [Mark(12, "✓", "cite:3.1")], 0: [Mark(18, "✓", "cite:3.2")]}
    assert with_marks("short", [Mark(9, "✓", "cite:3.0")]) == "short"


def test_cite_links_and_details() -> None:
    assert parse_cite("cite:12.3") == (12, 3)
    assert parse_cite("verse:43.3.16-43.3.16") is None and parse_cite("cite:x.1") is None
    misquote = Citation(
        "John.3.16",
        "For God so loveth\x1b[31m",
        "misquoted",
        "KJV",
        0.74,
        0,
        10,
        text="For God so loved the world",
    )
    assert text_wanted(misquote, "WEB") is None  # it carries its text
    assert citation_detail(misquote, misquote.text, "WEB").splitlines() == [
        "✗ misquoted, 74% alike · John 3:16 · KJV",
        "Quoted: “For God so loveth␛[31m”",  # terminal-safe
        "John 3:16 (KJV): For God so loved the world",
    ]
    reference = Citation("Rom.5.8", None, "verified", None, None, 0, 7)
    assert text_wanted(reference, "WEB") == ("Rom.5.8", "WEB")
    assert citation_detail(reference, None, "WEB") == "✓ verified · Romans 5:8 · WEB"
    invented = Citation(None, None, "no-such-verse", None, None, 0, 9, "John 22:5", note="No.")
    assert text_wanted(invented, "KJV") is None
    assert citation_detail(invented, None, "KJV") == "✗ no such verse · John 22:5\nNo."
    unknown = Citation(None, "All have sinned", "not-found", None, 0.79, 0, 9, found_at="Ps.78.32")
    assert text_wanted(unknown, "KJV") == ("Ps.78.32", "KJV")
    assert citation_detail(unknown, "For all this they sinned still", "KJV").splitlines() == [
        "✗ not found in the Bible, 79% alike · KJV",
        "Quoted: “All have sinned”",
        "Nearest: Psalm 78:32 (KJV): For all this they sinned still",
    ]
    assert summary_line([reference, misquote, reference], "ctrl+t") == (
        "✓ 2  ✗ 1 · 3 citations checked against the text (ctrl+t shows them)"
    )
