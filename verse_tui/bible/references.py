"""Parse what people type as Bible references, and format references back.

"Jn 3:16", "1 Cor 13:4-7", "I Cor 13", "Ps 23", "Gen 1:1-2:3", "John 3:16, 18; 4:1",
"Rom 1:1; 1 Cor 2", "Jude 3" (in a one-chapter book a lone number is a verse), en/em dashes,
"John 3.16", any case. A chapter alone means the whole chapter; a book alone means its first
chapter. After a comma a lone number continues the verses of the chapter before it; after a
semicolon it is a new chapter. Ranges may cross books ("Genesis 1 - Deuteronomy 34",
"Ps 3-Proverbs 2:3"; a book alone after the dash runs to its end). A verse part ("John 3:16a",
"Obadiah 3b") means the whole verse, and quotes around the reference ('"John 3:16"',
"“Jn 3:16”") are ignored. Numbers in messages are shown as typed, however long.
Pure Python, no I/O; `difflib` is imported only on errors.
"""

from __future__ import annotations

import re

from verse_tui.bible import canon
from verse_tui.bible.canon import ReferenceError
from verse_tui.domain.bible import Book, Reference, VerseRange, VerseRef

__all__ = [
    "ReferenceError",
    "covers_whole_chapters",
    "format_range",
    "format_reference",
    "parse_book_chapter",
    "parse_reference",
]

EXAMPLE = "John 3:16"
MAX_LENGTH = 500
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−", "-"))
_PART = re.compile(
    r"\s*(?P<name>(?:[1-3](?:st|nd|rd)?[\s.]*)?[a-z][a-z\s.]*)?(?P<loc>[0-9][0-9\s:.\-]*)?",
    re.ASCII,
)
_LOC = re.compile(r"([0-9]+)(?:[:.]([0-9]+))?(?:-([0-9]+)(?:[:.]([0-9]+))?)?\.?", re.ASCII)
_SPACED = re.compile(r"([0-9]+)\s+([0-9]+)", re.ASCII)  # "John 3 16": offer "John 3:16"
_TIGHTEN = re.compile(r"\s*([:.\-])\s*")
_POINT = re.compile(r"([0-9]+)(?:[:.]([0-9]+))?\.?", re.ASCII)  # one end of a cross-book range
# A dash followed by a book name ("- 2 Samuel", "-Proverbs"): the range goes on into that book.
_INTO_BOOK = re.compile(r"-\s*(?=(?:[1-3](?:st|nd|rd)?[\s.]*)?[a-z])", re.ASCII)
_VERSE_PART = re.compile(r"(?<=[0-9])[a-d](?![a-z])", re.ASCII | re.IGNORECASE)  # "3:16a"
_QUOTES = "\"'`“”„‟‘’‚‛«»‹›「」"
_SHOWN_DIGITS = 24  # longer numbers are cut short in messages


_Span = tuple[VerseRef, VerseRef]  # what one typed point covers: a verse or a whole chapter


class _Cursor:
    """Where the previous part of a list ended: its book, last chapter, verse or chapter mode."""

    def __init__(self) -> None:
        self.book: Book | None = None
        self.chapter = 0
        self.verse_mode = False


def parse_reference(text: str) -> Reference:
    """Parse a typed reference into verse ranges, or raise ReferenceError saying what is wrong."""
    if not text.strip():
        raise ReferenceError(f"Type a reference such as {EXAMPLE}.")
    if len(text) > MAX_LENGTH:
        raise ReferenceError(f"That reference is too long; type one such as {EXAMPLE}.")
    cleaned = _VERSE_PART.sub("", text.strip().strip(_QUOTES).translate(_DASHES))
    pieces = re.split(r"([;,])", cleaned)
    cursor = _Cursor()
    ranges: list[VerseRange] = []
    for index in range(0, len(pieces), 2):
        if pieces[index].strip():
            separator = pieces[index - 1] if index else ";"
            ranges.append(_parse_part(pieces, index, separator, cursor))
    if not ranges:
        raise ReferenceError(f"Type a reference such as {EXAMPLE}.")
    return Reference(tuple(ranges))


def _parse_part(pieces: list[str], index: int, separator: str, cursor: _Cursor) -> VerseRange:
    part = pieces[index].strip()
    into = _INTO_BOOK.search(part.lower())
    if into is not None:
        return _parse_across_books(pieces, index, separator, cursor, into)
    book, loc, continues_verses = _book_and_locator(part, pieces, index, separator, cursor)
    if loc is None:
        rng, cursor.verse_mode, meant = _whole_chapter(book, 1), False, None
    else:
        rng, cursor.verse_mode, meant = _parse_locator(book, loc, continues_verses, cursor.chapter)
    if meant is not None:
        raise _backwards(pieces, index, meant)
    cursor.chapter = rng.end.chapter
    return rng


def _book_and_locator(
    part: str,
    pieces: list[str],
    index: int,
    separator: str,
    cursor: _Cursor,
    around: tuple[str, str] = ("", ""),
) -> tuple[Book, str | None, bool]:
    """The book `part` names (or the one before it), what follows the name, and whether a
    lone number there continues the verses of the part before (after a comma). `around` is
    what stands before and after `part` in a cross-book range (for suggestions)."""
    match = _PART.fullmatch(part.lower())
    if match is None:
        raise _unreadable(pieces[index].strip())
    name = _as_typed(part, match, "name").strip(" \t\n.")
    loc = match.group("loc")
    if name:
        cursor.book = _find_book(name, loc, pieces, index, around)
        return cursor.book, loc, False
    if cursor.book is None:
        raise ReferenceError(f'Start with a book name, as in {EXAMPLE} (not "{_shorten(part)}").')
    return cursor.book, loc, separator == "," and cursor.verse_mode


def _parse_across_books(
    pieces: list[str], index: int, separator: str, cursor: _Cursor, into: re.Match[str]
) -> VerseRange:
    """ "Genesis 1 - Deuteronomy 34", "1 Sam 28:20-2 Sam 12:10", "Ps 3-Prov 2:3", "Gen-Deut":
    from one place (a book alone: its start) to a place in another book (alone: its end)."""
    part = pieces[index].strip()
    if len(part.lower()) != len(part):  # `into` was found in part.lower() (rare non-ASCII)
        part = part.lower()
    left, right = part[: into.start()], part[into.end() :]
    dash = " - "
    book, loc, continues = _book_and_locator(
        left, pieces, index, separator, cursor, ("", dash + right.strip())
    )
    first, _ = _end_point(book, loc, continues, cursor.chapter, part)
    book, loc, _ = _book_and_locator(right, pieces, index, ";", cursor, (left.strip() + dash, ""))
    last, cursor.verse_mode = _end_point(book, loc, False, cursor.chapter, part)
    if last[1] < first[0]:
        raise _backwards(pieces, index, VerseRange(last[0], first[1]))
    cursor.chapter = last[1].chapter
    return VerseRange(first[0], last[1])


def _end_point(
    book: Book, loc: str | None, continues_verses: bool, chapter: int, part: str
) -> tuple[_Span, bool]:
    """What one end of a cross-book range covers ("3:16", "3", or nothing: the whole book) and
    whether it names a verse."""
    if loc is None:
        return (VerseRef(book.number, 1, 1), _last_verse(book, book.chapters)), False
    match = _POINT.fullmatch(_TIGHTEN.sub(r"\1", loc.strip()))
    if match is None:
        raise _unreadable(part)
    a, b = int(match[1]), _number(match[2])  # the first group always matches
    if b is not None:
        return _verse_span(book, a, b), True
    if book.chapters == 1 or continues_verses:
        return _verse_span(book, 1 if book.chapters == 1 else chapter, a), True
    return _chapter_span(book, a), False


def _as_typed(part: str, match: re.Match[str], group: str) -> str:
    """A group of a match made on `part.lower()`, with the letter case the person typed."""
    if match.group(group) is None:
        return ""
    if len(part) != len(match.string):  # lower() changed the length (rare non-ASCII input)
        return match.group(group)
    return part[match.start(group) : match.end(group)]


def _parse_locator(
    book: Book, loc: str, continues_verses: bool, chapter: int
) -> tuple[VerseRange, bool, VerseRange | None]:
    """A range from "3", "3:16", "3:16-18", "1-2", "1:1-2:3" (and "3" = verse in one-chapter
    books or after a comma); whether it ends on a verse (not a whole chapter); and, when it
    is written backwards, the range the person probably meant."""
    match = _LOC.fullmatch(_TIGHTEN.sub(r"\1", loc.strip()))
    if match is None:
        spaced = _SPACED.fullmatch(loc.strip())
        fixed = f"{book.name} {spaced[1]}:{spaced[2]}" if spaced else None
        raise _unreadable(f"{book.name} {loc.strip()}", fixed)
    a = int(match[1])  # the first group always matches
    b, c, d = (_number(g) for g in match.groups()[1:])
    verse_level = True
    if b is not None:
        first = _verse_span(book, a, b)
    elif book.chapters == 1 or continues_verses:
        first = _verse_span(book, 1 if book.chapters == 1 else chapter, a)
    else:
        first, verse_level = _chapter_span(book, a), False
    if c is None:
        last = first
    elif d is not None:
        last, verse_level = _verse_span(book, c, d), True
    elif verse_level:
        last = _verse_span(book, first[0].chapter, c)
    else:
        last = _chapter_span(book, c)
    rng = VerseRange(first[0], last[1])
    backwards = last[1] < first[0]
    return rng, verse_level, VerseRange(last[0], first[1]) if backwards else None


def _verse_span(book: Book, chapter: int, verse: int) -> _Span:
    ref = _verse(book, chapter, verse)
    return ref, ref


def _chapter_span(book: Book, chapter: int) -> _Span:
    rng = _whole_chapter(book, _chapter(book, chapter))
    return rng.start, rng.end


def _number(digits: str | None) -> int | None:
    # Any length: MAX_LENGTH keeps int() cheap, and messages show the number as typed.
    return None if digits is None else int(digits)


def _shown(number: int) -> str:
    """A number for a message: as typed, cut short when it is absurdly long."""
    return _shorten(str(number), _SHOWN_DIGITS)


def _chapter(book: Book, chapter: int) -> int:
    if chapter < 1:
        raise ReferenceError(f"Chapters start at 1: there is no {book.name} {chapter}.")
    if chapter > book.chapters:
        count = "1 chapter" if book.chapters == 1 else f"{book.chapters} chapters"
        raise ReferenceError(f"There is no {book.name} {_shown(chapter)}: {book.name} has {count}.")
    return chapter


def _verse(book: Book, chapter: int, verse: int) -> VerseRef:
    _chapter(book, chapter)
    where = book.name if book.chapters == 1 else f"{book.name} {chapter}"
    asked = f"{where}{' ' if book.chapters == 1 else ':'}{_shown(verse)}"
    if verse < 1:
        raise ReferenceError(f"Verses start at 1: there is no {asked}.")
    last = canon.verse_count(book, chapter)
    if verse > last:
        raise ReferenceError(f"There is no {asked}: {where} has {last} verses.")
    return VerseRef(book.number, chapter, verse)


def _last_verse(book: Book, chapter: int) -> VerseRef:
    return VerseRef(book.number, chapter, canon.verse_count(book, chapter))


def _whole_chapter(book: Book, chapter: int) -> VerseRange:
    return VerseRange(VerseRef(book.number, chapter, 1), _last_verse(book, chapter))


def _find_book(
    name: str, loc: str | None, pieces: list[str], index: int, around: tuple[str, str]
) -> Book:
    found = canon.find_book(name)
    if found is not None:
        return found
    shown = _shorten(" ".join(name.split()))
    guesses = canon.suggest_books(name)
    if not guesses:
        raise ReferenceError(
            f'There is no book called "{shown}". Type a book name or abbreviation, '
            "such as Genesis, Ps or 1 Cor."
        )
    names = " or ".join(g.name for g in guesses)
    fixed = f"{guesses[0].name} {loc.strip()}" if loc else guesses[0].name
    fixed = f"{around[0]}{fixed}{around[1]}"  # the rest of a cross-book range, as typed
    raise ReferenceError(
        f'There is no book called "{shown}". Did you mean {names}?',
        suggestion=_replace(pieces, index, fixed),
    )


def _replace(pieces: list[str], index: int, new: str) -> str:
    """The whole input with one comma/semicolon-separated part replaced (for suggestions)."""
    lead = " " if index else ""
    return "".join([*pieces[:index], lead + new, *pieces[index + 1 :]]).strip()


def _backwards(pieces: list[str], index: int, meant: VerseRange) -> ReferenceError:
    right = format_range(meant)
    typed = _shorten(pieces[index].strip())
    return ReferenceError(
        f'"{typed}" ends before it starts: write the earlier place first, as in {right}.',
        suggestion=_replace(pieces, index, right),
    )


def _unreadable(part: str, suggestion: str | None = None) -> ReferenceError:
    return ReferenceError(
        f'Cannot read "{_shorten(part)}": type a book, then chapter:verse, '
        f"as in {EXAMPLE} or 1 Cor 13:4-7.",
        suggestion=suggestion,
    )


def _shorten(typed: str, limit: int = 40) -> str:
    """What the person typed, cut short enough to quote in a message."""
    return typed if len(typed) <= limit else typed[: limit - 1] + "…"


def parse_book_chapter(text: str) -> tuple[Book, int]:
    """Lenient go-to: the book and chapter a reference starts at ("jn" -> John 1, "ps 23:4" ->
    Psalms 23). Raises ReferenceError like `parse_reference`."""
    first = parse_reference(text).ranges[0].start
    return canon.book(first.book), first.chapter


def format_range(r: VerseRange) -> str:
    """ "John 3:16", "1 Corinthians 13:4–7", "Genesis 1:1–2:3", "Genesis 1–2", "Jude 3"."""
    if r.start.book != r.end.book:
        if covers_whole_chapters(r):  # "Genesis 1–Deuteronomy 34", "Obadiah–Jonah 2"
            return f"{_chapter_point(r.start)}–{_chapter_point(r.end)}"
        return f"{_point(r.start)}–{_point(r.end)}"
    loc = _locator(r)
    return f"{_book_name(r)} {loc}" if loc else _book_name(r)


def format_reference(ref: Reference) -> str:
    """All ranges, with the book (and chapter) left out where it repeats: "John 3:16, 18; 4:1"."""
    out: list[str] = []
    previous: VerseRange | None = None
    for r in ref.ranges:
        out.append(_continuation(previous, r) if previous else format_range(r))
        previous = r
    return "".join(out)


def _continuation(previous: VerseRange, r: VerseRange) -> str:
    book = previous.end.book
    loc = _locator(r)
    if not (r.start.book == r.end.book == book and loc):
        return f"; {format_range(r)}"
    if canon.chapter_count(book) == 1:
        return f", {loc}"
    if (
        not covers_whole_chapters(previous)
        and not covers_whole_chapters(r)
        and r.start.chapter == r.end.chapter == previous.end.chapter
    ):
        return f", {loc.split(':', 1)[1]}"
    return f"; {loc}"


def covers_whole_chapters(r: VerseRange) -> bool:
    """Whether the range starts at a chapter's first verse and ends at a chapter's last."""
    return r.start.verse == 1 and r.end.verse == canon.verse_count(r.end.book, r.end.chapter)


def _locator(r: VerseRange) -> str:
    """The part after the book name ("" for a whole one-chapter book)."""
    s, e = r.start, r.end
    if canon.chapter_count(s.book) == 1:
        if covers_whole_chapters(r):
            return ""
        return str(s.verse) if s.verse == e.verse else f"{s.verse}–{e.verse}"
    if covers_whole_chapters(r):
        return str(s.chapter) if s.chapter == e.chapter else f"{s.chapter}–{e.chapter}"
    if s.chapter != e.chapter:
        return f"{s.chapter}:{s.verse}–{e.chapter}:{e.verse}"
    return f"{s.chapter}:{s.verse}" if s.verse == e.verse else f"{s.chapter}:{s.verse}–{e.verse}"


def _book_name(r: VerseRange) -> str:
    name = canon.book(r.start.book).name
    if name == "Psalms" and r.start.chapter == r.end.chapter:
        return "Psalm"  # one psalm: "Psalm 23", several: "Psalms 120–134"
    return name


def _point(v: VerseRef) -> str:
    b = canon.book(v.book)
    return f"{b.name} {v.verse}" if b.chapters == 1 else f"{b.name} {v.chapter}:{v.verse}"


def _chapter_point(v: VerseRef) -> str:
    b = canon.book(v.book)
    return b.name if b.chapters == 1 else f"{b.name} {v.chapter}"
