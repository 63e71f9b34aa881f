"""`verse search --meaning TEXT`: the verses closest in meaning, with their scores.

The JSON is the word search's shape ({"query", "total", "results": [{"osis", "text"}]}) with a
"score" per result (0..1, higher is closer: meaning and word order fused, see
`meaning_search.py`; null where a quoted phrase went to the word index or a reference named
its verses).
"""

from __future__ import annotations

from verse_tui.bible.meaning_search import search_meaning
from verse_tui.bible.references import format_range
from verse_tui.bible.sqlite_bible_client import SqliteBibleClient
from verse_tui.cli._kit import UsageError, int_option, print_json
from verse_tui.cli.search_results import page_json, page_lines
from verse_tui.domain.bible import SearchPage, VerseRange


def meaning_json(page: SearchPage) -> dict[str, object]:
    shape = page_json(page)
    for result, hit in zip(shape["results"], page.hits, strict=True):  # type: ignore[call-overload]
        result["score"] = None if hit.score is None else round(hit.score, 4)
    return shape


def meaning_lines(page: SearchPage) -> list[str]:
    if page.hits and page.hits[0].score is None:
        return page_lines(page)  # the word index answered
    if not page.hits:
        return [f"No verse comes close to {page.query!r} in the {page.translation}."]
    lines = [f"Closest in meaning to {page.query!r} in the {page.translation}:"]
    for hit in page.hits:
        ref = hit.verse.ref
        lines.append(
            f"{hit.score:.2f}  {format_range(VerseRange(ref, ref))}  {hit.verse.plain_text}"
        )
    return lines


def run_meaning(
    client: SqliteBibleClient,
    query: str,
    translation: str,
    options: dict[str, str | bool],
    book: int | None,
    testament: str | None,
) -> int:
    if options.get("offset"):
        raise UsageError("--offset does not apply to --meaning; raise --limit instead.")
    page = search_meaning(
        client,
        query,
        translation,
        book=book,
        testament=testament,
        limit=int_option(options, "limit", 20),
    )
    if options.get("json"):
        print_json(meaning_json(page))
    else:
        print("\n".join(meaning_lines(page)))
    return 0
