"""What the search commands share (`verse search`, its `--meaning` and Strong's forms): the
book a name means, and a page of hits as JSON or as lines.

Kept apart from `search.py` so the commands it dispatches to import these without importing
it back.
"""

from __future__ import annotations

from verse_tui.bible import canon
from verse_tui.bible.references import format_range
from verse_tui.domain.bible import SearchPage, VerseRange
from verse_tui.domain.text import echo
from verse_tui.errors import InputError


def book_number(name: str) -> int:
    """The number of the book a name or abbreviation means, or an InputError with suggestions."""
    found = canon.find_book(name)
    if found is not None:
        return found.number
    suggestions = " or ".join(b.name for b in canon.suggest_books(name))
    hint = f" Did you mean {suggestions}?" if suggestions else ""
    raise InputError(f"Unknown book {echo(name)}.{hint}")


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
