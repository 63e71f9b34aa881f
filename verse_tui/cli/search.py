"""`verse search QUERY [--translation CODE] [--book B] [--limit N] [--json]`: full-text search.

A plain word matches that whole word ("faith" does not match "faithful"); "a phrase",
prefix* and AND / OR / NOT work too. Results come best first. `--json` prints
{"query", "total", "results": [{"osis", "text"}]}, `total` counting every matching verse.
"""

from __future__ import annotations

from verse_tui.bible import canon
from verse_tui.bible.references import format_range
from verse_tui.bible.sqlite_bible_client import MAX_LIMIT, MAX_OFFSET
from verse_tui.cli._bible import UsageError, int_option, open_bible, parse_args, print_json, run
from verse_tui.domain.bible import SearchPage, VerseRange
from verse_tui.domain.text import echo
from verse_tui.errors import InputError

USAGE = """usage: verse search QUERY [--meaning] [--translation CODE] [--book B]
                    [--testament OT|NT] [--limit N] [--offset N] [--json]

Search the Bible text: words (each matches that whole word), "a phrase", prefix*,
AND / OR / NOT, e.g. verse search faith AND hope.

options:
  -t, --translation CODE  translation code (see `verse translations`)
  -b, --book B            only this book, e.g. "John" or "1 Cor"
  --testament OT|NT       only the Old or the New Testament
  -n, --limit N           results to show (default 20)
  --offset N              skip this many results (for the next page)
  -m, --meaning           find verses by what they mean, not their words
                          ("God works everything for good"); JSON adds "score"
  --json                  print JSON for scripts
  -h, --help              show this help"""
OPTIONS = {
    "-t": "translation",
    "--translation": "translation",
    "-b": "book",
    "--book": "book",
    "--testament": "testament",
    "-n": "limit",
    "--limit": "limit",
    "--offset": "offset",
}
FLAGS = {"--json": "json", "-m": "meaning", "--meaning": "meaning"}


def book_number(name: str) -> int:
    """The number of the book a name or abbreviation means, or an InputError with suggestions."""
    found = canon.find_book(name)
    if found is not None:
        return found.number
    suggestions = " or ".join(b.name for b in canon.suggest_books(name))
    hint = f" Did you mean {suggestions}?" if suggestions else ""
    raise InputError(f"Unknown book {echo(name)}.{hint}")


def testament_option(options: dict[str, str | bool]) -> str | None:
    testament = options.get("testament")
    return str(testament) if testament else None


def page_json(page: SearchPage) -> dict[str, object]:
    results = [{"osis": hit.verse.osis, "text": hit.verse.plain_text} for hit in page.hits]
    return {"query": page.query, "total": page.total, "results": results}


def page_lines(page: SearchPage) -> list[str]:
    if not page.total:
        return [f"No verses match {echo(page.query)} in the {page.translation}."]
    last = page.offset + len(page.hits)
    lines = [
        f"{page.total} verses match {echo(page.query)} in the {page.translation}"
        f" (showing {page.offset + 1}-{last})"
        if page.hits
        else ""
    ]
    for hit in page.hits:
        ref = hit.verse.ref
        lines.append(f"{format_range(VerseRange(ref, ref))}  {hit.verse.plain_text}")
    return lines


def main(argv: list[str]) -> int:
    if any(arg == "--strongs" or arg.startswith("--strongs=") for arg in argv):
        from verse_tui.cli.strongs import search_main  # the Strong's concordance

        return search_main(argv)

    def body() -> int:
        words, options = parse_args(argv, OPTIONS, FLAGS)
        if not words:
            raise UsageError("say what to search for.")
        book = book_number(str(options["book"])) if options.get("book") else None
        testament = options.get("testament")
        client, settings = open_bible()
        if options.get("meaning"):
            from verse_tui.cli.search_meaning import run_meaning

            code = str(options.get("translation") or settings.translation)
            query = " ".join(words)
            return run_meaning(client, query, code, options, book, testament_option(options))
        page = client.search(
            " ".join(words),
            str(options.get("translation") or settings.translation),
            book=book,
            testament=str(testament) if testament else None,
            limit=int_option(options, "limit", 20, minimum=1, maximum=MAX_LIMIT),
            offset=int_option(options, "offset", 0, maximum=MAX_OFFSET),
        )
        if options.get("json"):
            print_json(page_json(page))
        else:
            print("\n".join(page_lines(page)))
        return 0

    return run("search", USAGE, body)
