"""`verse search QUERY [--translation CODE] [--book B] [--limit N] [--json]`: full-text search.

A plain word matches that whole word ("faith" does not match "faithful"); "a phrase",
prefix* and AND / OR / NOT work too. Results come best first. `--json` prints
{"query", "total", "results": [{"osis", "text"}]}, `total` counting every matching verse.
"""

from __future__ import annotations

import argparse

from verse_tui.bible import canon
from verse_tui.bible.references import format_range
from verse_tui.cli._bible import open_bible, print_json, run
from verse_tui.domain.bible import SearchPage, VerseRange
from verse_tui.errors import InputError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="verse search", description="Search the Bible text.")
    parser.add_argument("query", nargs="+", help='words, "a phrase", prefix*, AND/OR/NOT')
    parser.add_argument("-t", "--translation", help="translation code (see `verse translations`)")
    parser.add_argument("-b", "--book", help='only this book, e.g. "John" or "1 Cor"')
    parser.add_argument("--testament", choices=("OT", "NT", "ot", "nt"), help="only OT or NT")
    parser.add_argument("-n", "--limit", type=int, default=20, help="results to show (20)")
    parser.add_argument("--offset", type=int, default=0, help="skip this many results")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    return parser


def book_number(name: str) -> int:
    """The number of the book a name or abbreviation means, or an InputError with suggestions."""
    found = canon.find_book(name)
    if found is not None:
        return found.number
    suggestions = " or ".join(b.name for b in canon.suggest_books(name))
    hint = f" Did you mean {suggestions}?" if suggestions else ""
    raise InputError(f"Unknown book {name!r}.{hint}")


def page_json(page: SearchPage) -> dict[str, object]:
    results = [{"osis": hit.verse.osis, "text": hit.verse.plain_text} for hit in page.hits]
    return {"query": page.query, "total": page.total, "results": results}


def page_lines(page: SearchPage) -> list[str]:
    if not page.total:
        return [f"No verses match {page.query!r} in the {page.translation}."]
    last = page.offset + len(page.hits)
    lines = [
        f"{page.total} verses match {page.query!r} in the {page.translation}"
        f" (showing {page.offset + 1}-{last})"
        if page.hits
        else ""
    ]
    for hit in page.hits:
        ref = hit.verse.ref
        lines.append(f"{format_range(VerseRange(ref, ref))}  {hit.verse.plain_text}")
    return lines


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)

    def body() -> int:
        book = book_number(args.book) if args.book else None
        client, settings = open_bible()
        page = client.search(
            " ".join(args.query),
            args.translation or settings.translation,
            book=book,
            testament=args.testament,
            limit=args.limit,
            offset=args.offset,
        )
        if args.json:
            print_json(page_json(page))
        else:
            print("\n".join(page_lines(page)))
        return 0

    return run("search", body)
