"""Verse references in Claude's replies ("John 3:16", "rom 5:8", "JOHN 3:16") as Markdown links.

What counts as a reference (any capitalisation, without taking ordinary words such as
"is 5:3" for books) is `verse_tui.bible.cited.find_references`, shared with the citation
check; references to chapters or verses that do not exist are not linked.

A link's target is `verse:<book>.<chapter>.<verse>-<book>.<chapter>.<verse>`; the screen that
shows the reply turns a click (or the keyboard list of references) into the reader opening
there. Code (fenced blocks and `inline spans`) is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from verse_tui.bible.cited import find_references
from verse_tui.bible.references import format_range
from verse_tui.domain.bible import VerseRange, VerseRef

SCHEME = "verse:"
_CODE_SPAN = re.compile(r"(`+)(?:.|\n)*?\1")
_LINK = re.compile(r"\[[^\]]*\]\([^)]*\)")


def href(rng: VerseRange) -> str:
    s, e = rng.start, rng.end
    return f"{SCHEME}{s.book}.{s.chapter}.{s.verse}-{e.book}.{e.chapter}.{e.verse}"


def parse_href(target: str) -> VerseRange | None:
    """The range of a `verse:` link, or None for any other link."""
    if not target.startswith(SCHEME):
        return None
    try:
        start, end = target[len(SCHEME) :].split("-")
        return VerseRange(_ref(start), _ref(end))
    except ValueError:
        return None


def _ref(text: str) -> VerseRef:
    book, chapter, verse = (int(part) for part in text.split("."))
    return VerseRef(book, chapter, verse)


def cited(text: str) -> list[tuple[str, VerseRange, str]]:
    """(as written, range, formatted) of each reference in `text`, in order, no repeats."""
    seen: set[VerseRange] = set()
    found = []
    for ref in find_references(text):
        if ref.range is not None and ref.range not in seen:
            seen.add(ref.range)
            found.append((ref.text, ref.range, format_range(ref.range)))
    return found


def linkify(segment: str) -> str:
    """`segment` with each verse reference outside code and existing links made a link."""
    if segment.lstrip(" ").startswith(("```", "~~~", "    ")):
        return segment
    protected = [m.span() for m in _CODE_SPAN.finditer(segment)]
    protected += [m.span() for m in _LINK.finditer(segment)]
    out: list[str] = []
    last = 0
    for ref in find_references(segment):
        if ref.range is None or _inside(ref.start, ref.end, protected):
            continue
        out.append(segment[last : ref.start])
        out.append(f"[{ref.text}]({href(ref.range)})")
        last = ref.end
    out.append(segment[last:])
    return "".join(out)


def _inside(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(a <= start and end <= b for a, b in spans)
