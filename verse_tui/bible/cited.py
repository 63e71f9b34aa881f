"""Find the Bible references and the quotations in a reply's Markdown paragraph.

Pure Python, no I/O. A reference is a book name and a chapter:verse ("John 3:16",
"1 Cor. 13:4-7", "Song of Solomon 2:4", "Gen 1:1–2:3"), followed perhaps by more places
of the same book ("Romans 5:8; 6:23", "John 3:16, 18"). Any capitalisation is read, with
care not to take ordinary words for books:

- "John 3:16", "JOHN 3:16" and "john 3:16" are all references; in lower or upper case the
  name must be a full name or a listed abbreviation ("jn 3:16", not "joh" guessed from a
  beginning), and not one of the two- and three-letter abbreviations that are also English
  words ("is 53:5", "am 5:24", "ex 3:14" are not read; "Is 53:5" is);
- a chapter alone ("Psalm 23", "Romans 8", "Jude 3" = Jude verse 3) only with a capitalised
  full name or listed abbreviation of three letters or more, and never for book names that
  are also common words in prose ("Mark 2", "Job 1", "Acts 2", "Numbers 3", "Judges 4").

A reference whose book exists but whose chapter or verse does not ("John 22:5", "Jude 1:30")
is found with `error` saying why. Names that are no book at all ("Hezekiah 3:16") are not
references. Code (fenced blocks, `spans`) is never read.

A quotation is text in “curly” or "straight" double quotes, or a Markdown block quote.
Its candidate references are those within a sentence or two of it (see `Quote.candidates`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from verse_tui.bible import canon
from verse_tui.bible.references import ReferenceError, parse_reference
from verse_tui.domain.bible import Book, VerseRange, VerseRef

__all__ = [
    "Context",
    "Found",
    "Quote",
    "closing_references",
    "find_quotes",
    "find_references",
    "mask_code",
    "sentence_starts",
]

SHIPPED_CODES = ("KJV", "WEB", "ASV", "YLT")
_OTHER_CODES = "NIV|ESV|NKJV|NASB|NRSV|RSV|CSB|HCSB|NLT|NET|AMP|MSG|NAB|NJB|JB|LSB|CEV|GNT|DRA"
_CODE_SPAN = re.compile(r"(`+)(?:.|\n)*?\1")
_LOC = r"\d{1,3}(?:[:.]\d{1,3}[a-c]?)?(?:\s?[-–—]\s?\d{1,3}(?:[:.]\d{1,3})?[a-c]?)?"
_REFERENCE = re.compile(
    r"(?<![\w.])(?P<name>(?:(?:[123](?:st|nd|rd)?|(?-i:I{1,3})|first|second|third)\.?\s?)?"
    r"[a-z]+\.?(?:\s(?:of|of\sthe)\s[a-z]+)?)\s(?P<loc>" + _LOC + r")(?!\w|[:.,]\d)",
    re.IGNORECASE,
)
_MORE_VERSES = re.compile(r",\s?(?P<loc>\d{1,3}(?:\s?[-–]\s?\d{1,3})?)(?![\w:]|[.,]\d)")
_MORE_PLACES = re.compile(
    r"\s?[;,]\s?(?P<loc>\d{1,3}[:.]\d{1,3}[a-c]?(?:\s?[-–]\s?\d{1,3}(?:[:.]\d{1,3})?)?)(?![\w:])"
)
_CODE_AFTER = re.compile(
    r"\s?[(,]?\s?(?P<code>" + "|".join(SHIPPED_CODES) + "|" + _OTHER_CODES + r")\b"
)
_ATTRIBUTION_CODE = re.compile(
    r"\(?\b(?:" + "|".join(SHIPPED_CODES) + "|" + _OTHER_CODES + r")\b\)?"
)
_LOWER_CASE_WORDS = frozenset(
    {"is", "am", "ex", "re", "la", "de", "es", "ho", "na", "mi", "ob", "ac", "ge", "le", "nu"}
    | {"ne", "da", "jon", "pro", "mat", "mar", "tit", "col", "act", "job", "sos", "pp", "pm"}
)
_PROSE_NAMES = frozenset({"mark", "job", "acts", "numbers", "judges"})
_CURLY = re.compile(r"“([^“”]*)”")
_STRAIGHT = re.compile(r'"([^"\n]*)"')
_BOUNDARY = re.compile(r"[.!?][)\"”’*_]*\s+(?=[^a-z0-9\s])|\n")
_BLOCK_LINE = re.compile(r"^ {0,3}>[ >]*", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Found:
    """A reference as written: where, the range it means (or why it cannot), a translation
    code written right after it ("John 3:16 (WEB)")."""

    text: str
    start: int
    end: int
    range: VerseRange | None
    error: str | None = None
    translation: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation: its text (marks, block markers and attributions removed), its span in
    the paragraph, whether it is a block quote, and the references it may belong to, best
    first: the same sentence, then one before, one after, two before (then by distance)."""

    text: str
    start: int
    end: int
    block: bool
    candidates: tuple[Found, ...]


def mask_code(text: str) -> str:
    """`text` with inline code spans blanked out (same length, so offsets hold)."""
    if "`" not in text:
        return text
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), text)


def _first_word(name: str) -> str:
    words = re.findall(r"[A-Za-z]+", name)
    if len(words) > 1 and words[0].lower() in ("i", "ii", "iii", "first", "second", "third"):
        words = words[1:]
    return words[0] if words else ""


def _name_is_meant(name: str, chapter_only: bool) -> Book | None:
    first = _first_word(name)
    if not first:
        return None
    titled = first[0].isupper() and not (len(first) > 1 and first.isupper())
    key = canon.name_key(name)
    if chapter_only:
        if not (titled or first.isupper()) or key in _PROSE_NAMES:
            return None
        book = canon.known_book(name)
        return book if book is not None and len(key.lstrip("123")) >= 3 else None
    if titled:
        return canon.find_book(name)
    return None if key in _LOWER_CASE_WORDS else canon.known_book(name)


_PLACES = re.compile(r"(\d+)[:.](\d+)[a-c]?(?:\s?[-–—]\s?(\d+)(?:[:.](\d+))?[a-c]?)?")


@lru_cache(maxsize=4096)
def _locate(book: int, loc: str) -> VerseRange | str:
    """The range "C:V", "C:V-V" or "C:V-C:V" means in a book, or why it does not exist.

    The common shapes are read directly (a reply holds many references); anything else, and
    every error, goes through `parse_reference` for its reading and its message."""
    match = _PLACES.fullmatch(loc)
    if match is not None:
        a, b, c, d = (int(g) if g else 0 for g in match.groups())
        end = (c, d) if d else (a, c or b)
        chapters = canon.chapter_count(book)
        if (
            1 <= a <= chapters
            and 1 <= end[0] <= chapters
            and 1 <= b <= canon.verse_count(book, a)
            and 1 <= end[1] <= canon.verse_count(book, end[0])
            and (a, b) <= end
        ):
            return VerseRange(VerseRef(book, a, b), VerseRef(book, *end))
    try:
        return parse_reference(f"{canon.book(book).name} {loc}").ranges[0]
    except ReferenceError as exc:
        return exc.message


def _parse(text: str, start: int, end: int, book: Book, loc: str) -> Found:
    where = _locate(book.number, loc)
    if isinstance(where, str):
        return Found(text, start, end, None, where)
    return Found(text, start, end, where)


def _book_and_start(match: re.Match[str]) -> tuple[Book, int] | None:
    name, loc = match.group("name"), match.group("loc")
    chapter_only = not re.search(r"[:.]", loc)
    book = _name_is_meant(name.strip(), chapter_only)
    if book is not None:
        return book, match.start("name")
    if " of " in name.lower():  # "the book of John 3:16": the name is the last word
        cut = name.lower().rindex(" of ") + 4
        book = _name_is_meant(name[cut:], chapter_only)
        if book is not None:
            return book, match.start("name") + cut
    return None


def _continuations(text: str, first: Found, book: Book) -> list[Found]:
    """ "; 6:23" and ", 18" after a reference: more places in the same book."""
    found: list[Found] = []
    last = first
    while last.range is not None:
        chapter = last.range.end.chapter
        match = _MORE_PLACES.match(text, last.end)
        loc = match.group("loc") if match else None
        if match is None and canon.chapter_count(book) > 1 and ":" in last.text:
            match = _MORE_VERSES.match(text, last.end)
            loc = f"{chapter}:{match.group('loc')}" if match else None
            if match and _starts_reference(text, match.start("loc")):  # ", 1 Cor 13:4"
                break
        if match is None or loc is None:
            break
        start = match.start("loc")
        last = _parse(text[start : match.end()], start, match.end(), book, loc)
        found.append(last)
    return found


def _starts_reference(text: str, start: int) -> bool:
    match = _REFERENCE.match(text, start)
    return match is not None and _book_and_start(match) is not None


def _with_code(text: str, found: Found) -> Found:
    match = _CODE_AFTER.match(text, found.end)
    if match is None or match.group("code") not in SHIPPED_CODES:
        return found
    return Found(found.text, found.start, found.end, found.range, found.error, match["code"])


def find_references(text: str) -> tuple[Found, ...]:
    """Every reference in `text` (code masked), in order; see the module doc for the rules."""
    masked = mask_code(text)
    found: list[Found] = []
    position = 0
    while (match := _REFERENCE.search(masked, position)) is not None:
        hit = _book_and_start(match)
        if hit is None:  # "and 1" is no reference, but "1 Cor 13:4" may start at its number
            position = match.start("loc")
            continue
        book, start = hit
        first = _parse(text[start : match.end()], start, match.end(), book, match.group("loc"))
        for item in (first, *_continuations(masked, first, book)):
            found.append(_with_code(masked, item))
        position = found[-1].end
    return tuple(found)


def sentence_starts(text: str) -> list[int]:
    """Offsets where sentences begin (0 first): after . ! ? and a space before a capital,
    and at every line break; never inside a quotation, nor before a digit ("Rom. 5:8")."""
    inner = [(m.start() + 1, m.end() - 1) for m in _inline_quotes(text)]
    starts = [0]
    for match in _BOUNDARY.finditer(text):
        if not any(a <= match.start() and match.end() <= b for a, b in inner):
            starts.append(match.end())
    return starts


def _sentence(starts: list[int], offset: int) -> int:
    low, high = 0, len(starts)
    while low < high:  # the last start <= offset
        middle = (low + high) // 2
        if starts[middle] <= offset:
            low = middle + 1
        else:
            high = middle
    return low - 1


def _inline_quotes(text: str) -> list[re.Match[str]]:
    found = list(_CURLY.finditer(text)) + list(_STRAIGHT.finditer(text))
    return sorted(found, key=lambda m: m.start())


def _rank(distance: int) -> int | None:
    return {0: 0, 1: 1, -1: 2, 2: 3}.get(distance)


Context = tuple[tuple[Found, int], ...]  # references of the paragraph before, sentences back


def _candidates(
    start: int, end: int, refs: tuple[Found, ...], starts: list[int], context: Context
) -> tuple[Found, ...]:
    here = _sentence(starts, start)
    ranked: list[tuple[int, int, int, Found]] = []
    rank: int | None
    for index, ref in enumerate(refs):
        if start <= ref.start < end:
            rank, gap = 0, 0  # written inside the quotation (an attribution in a block)
        else:
            rank = _rank(here - _sentence(starts, ref.start))
            gap = ref.start - end if ref.start >= end else start - ref.end
        if rank is not None:
            ranked.append((rank, gap, index, ref))
    for index, (ref, back) in enumerate(context):
        rank = _rank(here + back)
        if rank is not None:
            ranked.append((rank, 10**6 - ref.start, -1 - index, ref))
    return tuple(item[3] for item in sorted(ranked, key=lambda r: r[:3]))


def _strip_references(text: str, offset: int, refs: tuple[Found, ...]) -> str:
    """The quotation's own words: references and translation codes written in it removed."""
    out, last = [], offset
    for ref in refs:
        if offset <= ref.start and ref.end <= offset + len(text):
            out.append(text[last - offset : ref.start - offset])
            last = ref.end
    out.append(text[last - offset :])
    return _ATTRIBUTION_CODE.sub(" ", " ".join(out))


def _block_start(text: str) -> int | None:
    match = _BLOCK_LINE.search(text)
    return match.start() if match else None


def _lines(text: str, start: int) -> list[tuple[int, int]]:
    spans, position = [], start
    for line in text[start:].splitlines(keepends=True):
        spans.append((position, position + len(line)))
        position += len(line)
    return spans


def _leads(text: str, line: tuple[int, int], refs: tuple[Found, ...]) -> bool:
    """Whether the line's reference comes before words of the quotation on the same line
    ("> **John 3:16** For God ..."), rather than being an attribution ("> — John 3:16")."""
    own = [r for r in refs if line[0] <= r.start < line[1]]
    before = re.sub(r"[\s>*_(\[—–-]", "", text[line[0] : own[0].start])
    after = _ATTRIBUTION_CODE.sub("", text[own[-1].end : line[1]])
    return not before and re.search(r"[A-Za-z]", after) is not None


def _groups(text: str, start: int, refs: tuple[Found, ...]) -> list[tuple[int, int]]:
    """The block's lines grouped so each group holds one quotation and its reference: a
    reference opens a group when references lead their words, else closes one."""
    lines = _lines(text, start)
    with_ref = [any(a <= r.start < b for r in refs) for a, b in lines]
    leads = any(with_ref) and _leads(text, lines[with_ref.index(True)], refs)
    groups: list[tuple[int, int]] = []
    closed = True
    for (a, b), has_ref in zip(lines, with_ref, strict=True):
        if closed or (leads and has_ref):
            groups.append((a, b))
        else:
            groups[-1] = (groups[-1][0], b)
        closed = has_ref and not leads
    return groups


def _block_quotes(
    text: str, start: int, refs: tuple[Found, ...], starts: list[int], context: Context
) -> list[Quote]:
    """One quote per group of lines of the block (see `_groups`)."""
    groups = _groups(text, start, refs)
    quotes = []
    for a, b in groups:
        inside = tuple(r for r in refs if a <= r.start < b)
        body = _BLOCK_LINE.sub(lambda m: " " * len(m.group(0)), text[a:b])
        words = _strip_references(body, a, inside) if inside else body
        cands = inside or _candidates(a, b, refs, starts, context)
        quotes.append(Quote(words.strip(), a, b, True, cands))
    return quotes


def find_quotes(text: str, refs: tuple[Found, ...], context: Context = ()) -> tuple[Quote, ...]:
    """The quotations of one paragraph with their candidate references.

    `refs` are the paragraph's references (`find_references`); `context` references of the
    paragraph before that may introduce a quotation here (`closing_references`).
    """
    masked = mask_code(text)
    block = _block_start(masked)
    prose_end = len(masked) if block is None else block
    starts = sentence_starts(masked)
    quotes: list[Quote] = []
    for match in _inline_quotes(masked):
        if match.end() <= prose_end:
            cands = _candidates(match.start(), match.end(), refs, starts, context)
            inner = _strip_references(text[match.start(1) : match.end(1)], match.start(1), refs)
            quotes.append(Quote(inner, match.start(), match.end(), False, cands))
    if block is not None:
        quotes.extend(_block_quotes(masked, block, refs, starts, context))
    return tuple(quotes)


def closing_references(text: str, refs: tuple[Found, ...]) -> Context:
    """Context for the next paragraph: when this one ends with a colon ("As Paul writes in
    Romans 5:8:"), the references of its last sentence, one sentence back; else none."""
    body = mask_code(text).rstrip(" \t\n*_")
    if not body.endswith(":"):
        return ()
    starts = sentence_starts(body)
    return tuple((r, 1) for r in refs if r.start >= starts[-1])
