"""`verse search QUERY [--translation CODE] [--book B] [--limit N] [--json]`: full-text search.

A plain word matches that whole word ("faith" does not match "faithful"); "a phrase",
prefix* and AND / OR / NOT work too. Results come best first. `--json` prints
{"query", "total", "results": [{"osis", "text"}]}, `total` counting every matching verse.
"""

from __future__ import annotations

from verse_tui.bible.sqlite_bible_client import MAX_LIMIT, MAX_OFFSET
from verse_tui.cli._kit import UsageError, int_option, open_bible, parse_args, print_json, run
from verse_tui.cli.search_results import book_number, page_json, page_lines

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


def testament_option(options: dict[str, str | bool]) -> str | None:
    testament = options.get("testament")
    return str(testament) if testament else None


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
