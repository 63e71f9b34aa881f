"""`verse strongs NUMBER [--json]`: a Strong's Greek or Hebrew entry, offline.

`G26`, `g26` and `G0026` all mean the same entry. `--json` prints {"number", "lemma",
"transliteration", "pronunciation", "definition", "renderings": [{"text", "count"}],
"verses"}: the KJV's renderings of the word with their counts, and how many KJV verses carry
it. Also `verse search --strongs G26`, the verses themselves (`search_main` here).
"""

from __future__ import annotations

from verse_tui.bible.sqlite_study_client import SqliteStudyClient, study_db_path
from verse_tui.cli._kit import UsageError, emit, int_option, parse_args, run
from verse_tui.domain.lexicon import Concordance, StrongsEntry

USAGE = """usage: verse strongs NUMBER [--json]

Show a Strong's dictionary entry: the Greek or Hebrew word, its pronunciation, definition
and how the KJV renders it, e.g. verse strongs G26, verse strongs H430.

options:
  --json      print JSON for scripts
  -h, --help  show this help"""
SEARCH_USAGE = """usage: verse search --strongs NUMBER [--book B] [--limit N] [--offset N] [--json]

List the KJV verses where a Strong's number stands behind the English, in Bible order,
with its words marked «…», e.g. verse search --strongs G26 --book 1Cor.

options:
  -b, --book B   only this book, e.g. "John" or "1 Cor"
  -n, --limit N  results to show (default 20)
  --offset N     skip this many results (for the next page)
  --json         print JSON for scripts
  -h, --help     show this help"""
SEARCH_OPTIONS = {
    "--strongs": "strongs",
    "-b": "book",
    "--book": "book",
    "-n": "limit",
    "--limit": "limit",
    "--offset": "offset",
    "-t": "translation",
    "--translation": "translation",
}
FLAGS = {"--json": "json"}


def open_study() -> SqliteStudyClient:
    return SqliteStudyClient(study_db_path())


def entry_json(entry: StrongsEntry) -> dict[str, object]:
    return {
        "number": entry.number,
        "lemma": entry.lemma,
        "transliteration": entry.transliteration,
        "pronunciation": entry.pronunciation,
        "definition": entry.definition,
        "renderings": [{"text": r.text, "count": r.count} for r in entry.renderings],
        "verses": entry.verses,
    }


def entry_lines(entry: StrongsEntry) -> list[str]:
    renderings = ", ".join(f"{r.text} ({r.count})" for r in entry.renderings[:12])
    more = len(entry.renderings) - 12
    return [
        f"{entry.number}  {entry.lemma}  {entry.transliteration}  ({entry.pronunciation})",
        f"{entry.language}; in {entry.verses} KJV verses",
        "",
        entry.definition,
        "",
        f"KJV renderings: {renderings}" + (f", and {more} more" if more > 0 else ""),
    ]


def main(argv: list[str]) -> int:
    def body() -> int:
        words, options = parse_args(argv, {}, FLAGS)
        if len(words) != 1:
            raise UsageError("give one Strong's number, e.g. G26 or H430.")
        entry = open_study().entry(words[0])
        emit(bool(options.get("json")), entry_json(entry), entry_lines(entry))
        return 0

    return run("strongs", USAGE, body)


def concordance_json(page: Concordance) -> dict[str, object]:
    results = [{"osis": h.osis, "text": h.text} for h in page.hits]
    return {"query": page.number, "total": page.total, "results": results}


def concordance_lines(page: Concordance) -> list[str]:
    from verse_tui.bible.references import format_range
    from verse_tui.domain.bible import VerseRange

    if not page.total:
        return [f"No KJV verses carry {page.number} here."]
    last = page.offset + len(page.hits)
    lines = [f"{page.total} KJV verses carry {page.number} (showing {page.offset + 1}-{last})"]
    for hit in page.hits:
        lines.append(f"{format_range(VerseRange(hit.ref, hit.ref))}  {hit.snippet}")
    return lines


def search_main(argv: list[str]) -> int:
    """`verse search --strongs NUMBER ...` (called by `verse search`)."""

    def body() -> int:
        from verse_tui.cli.search_results import book_number

        words, options = parse_args(argv, SEARCH_OPTIONS, FLAGS)
        translation = options.get("translation")
        if translation and str(translation).upper() != "KJV":
            raise UsageError("--strongs searches the KJV, whose words carry Strong's numbers.")
        if words:
            raise UsageError("give either words to search for or --strongs NUMBER, not both.")
        book = book_number(str(options["book"])) if options.get("book") else None
        page = open_study().concordance(
            str(options.get("strongs") or ""),
            book=book,
            limit=int_option(options, "limit", 20),
            offset=int_option(options, "offset", 0),
        )
        emit(bool(options.get("json")), concordance_json(page), concordance_lines(page))
        return 0

    return run("search", SEARCH_USAGE, body)
