"""The citation check (issue 12) on a fixed corpus of hand-written cases, and as a reply streams.

The corpus is tests/data/citations.json: each case lists every citation the check must report.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verse_tui.bible.citations import CitationChecker, ReplyCitations
from verse_tui.bible.sqlite_bible_client import SqliteBibleClient
from verse_tui.domain.citations import Citation
from verse_tui.errors import InputError

CORPUS = json.loads((Path(__file__).parents[1] / "data" / "citations.json").read_text("utf-8"))
CASES = CORPUS["cases"]


@pytest.fixture(scope="module")
def checkers(bible: SqliteBibleClient) -> dict[str, CitationChecker]:
    return {code: CitationChecker(bible, code) for code in ("KJV", "WEB", "ASV", "YLT")}


def _shape(citation: Citation, expected: dict[str, object]) -> dict[str, object]:
    shape: dict[str, object] = {
        "verdict": citation.verdict,
        "reference": citation.reference,
        "translation": citation.translation,
        "quote": citation.quote is not None,
    }
    if "found_at" in expected:
        shape["found_at"] = citation.found_at
    return shape


def test_the_corpus_is_large_and_varied() -> None:
    kinds = {case["kind"] for case in CASES}
    assert len(CASES) >= 40
    assert len({case["id"] for case in CASES}) == len(CASES)
    for kind in ("exact", "archaic spelling", "WEB vs KJV", "ellipsis", "misquote",
                 "invented verse", "quote without reference", "lowercase reference",
                 "reference only", "range"):  # fmt: skip
        assert kind in kinds


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_corpus_case(case: dict, checkers: dict[str, CitationChecker]) -> None:
    text = case["text"]
    found = checkers[case["translation"]].check_text(text)
    expected = [{k: v for k, v in e.items() if k != "similarity"} for e in case["expect"]]
    assert [_shape(c, e) for c, e in zip(found, expected, strict=False)] == expected
    assert len(found) == len(expected), [(c.verdict, c.reference) for c in found]
    for citation, wanted in zip(found, case["expect"], strict=True):
        assert 0 <= citation.start < citation.end <= len(text)
        if "similarity" in wanted:
            low, high = wanted["similarity"]
            assert citation.similarity is not None and low <= citation.similarity < high
        if citation.verdict == "verified" and citation.quote is not None:
            assert citation.similarity == 1.0


def test_spans_mark_the_quotation_and_the_reference(checkers: dict[str, CitationChecker]) -> None:
    text = 'See JOHN 22:5. Then Romans 5:8 says "But God commendeth his love toward us".'
    bad, quote = checkers["KJV"].check_text(text)
    assert text[bad.start : bad.end] == "JOHN 22:5" and bad.written == "JOHN 22:5"
    assert bad.note == "There is no John 22: John has 21 chapters."
    assert text[quote.start : quote.end] == '"But God commendeth his love toward us"'
    assert quote.quote == "But God commendeth his love toward us"
    assert quote.text is not None and quote.text.startswith("But God commendeth his love")


def test_a_misquotation_carries_the_real_text(checkers: dict[str, CitationChecker]) -> None:
    (citation,) = checkers["KJV"].check_text('John 3:16 says "For God so hated the world".')
    assert citation.text is not None and "For God so loved the world" in citation.text
    assert citation.mark == "✗"
    assert citation.as_json() == {
        "reference": "John.3.16",
        "quote": "For God so hated the world",
        "verdict": "misquoted",
        "translation": "KJV",
        "similarity": citation.similarity,
    }


def _reply() -> str:
    return "\n\n".join(case["text"] for case in CASES if "```" not in case["text"])


@pytest.mark.parametrize("chunk", [1, 7, 64])
def test_streamed_in_chunks_equals_checked_whole(
    chunk: int, checkers: dict[str, CitationChecker]
) -> None:
    text = _reply() + "\n\n```\nJohn 22:5\n\nJude 1:30\n```\n\nJohn 3:16 again."
    whole = checkers["KJV"].check_text(text)
    stream = ReplyCitations(checkers["KJV"])
    pieces = [stream.feed(text[i : i + chunk]) for i in range(0, len(text), chunk)]
    streamed = tuple(c for piece in pieces for c in piece) + stream.finish()
    assert streamed == whole == stream.citations
    assert len(whole) > 50
    last = whole[-1]
    assert last.reference == "John.3.16" and text[last.start : last.end] == "John 3:16"
    assert not any(c.written in ("John 22:5", "Jude 1:30") for c in whole[-3:])


def test_a_paragraph_is_checked_when_it_is_finished(checkers: dict[str, CitationChecker]) -> None:
    stream = ReplyCitations(checkers["KJV"])
    assert stream.feed('Romans 5:8 says "But God') == ()
    assert stream.feed(' commendeth his love"\n') == ()  # the paragraph may go on
    (done,) = stream.feed("\nNext")
    assert done.verdict == "verified" and done.reference == "Rom.5.8"
    assert stream.finish() == ()


def test_check_paragraph_shifts_spans(checkers: dict[str, CitationChecker]) -> None:
    (citation,) = checkers["WEB"].check_paragraph("Read john 3:16.", offset=100)
    assert (citation.start, citation.end) == (105, 114)
    assert citation.translation == "WEB" and citation.text is None  # read on demand
    (quote,) = checkers["WEB"].check_paragraph('john 3:16: "God so loved the world"', offset=7)
    assert (quote.start, quote.end) == (18, 42) and quote.text is not None
    assert quote.text.startswith("For God so loved the world, that he gave his only born Son")


def test_an_unknown_translation_is_a_clear_error(bible: SqliteBibleClient) -> None:
    with pytest.raises(InputError, match=r"Unknown translation 'NIV'\. Installed"):
        CitationChecker(bible, "NIV")


def test_osis_ranges_read_back_for_display() -> None:
    from verse_tui.bible.canon import osis_range, range_of_osis
    from verse_tui.bible.references import format_range, parse_reference

    for text in ("John 3:16", "Rom 5:8-10", "Gen 50:26-Exod 1:2"):
        rng = parse_reference(text).ranges[0]
        assert range_of_osis(osis_range(rng)) == rng
    assert format_range(range_of_osis("John.3.16")) == "John 3:16"
