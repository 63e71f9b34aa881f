"""Run the local tools Claude calls while answering (definitions in `verse_tui.llm.tools`).

`ToolExecutor.run(name, input)` never raises for anything Claude sends: an unknown tool, a
missing or mistyped argument, a reference that does not exist, a translation that is not
installed or a search that cannot be read all come back as a `ToolOutcome` with
`is_error=True` and a message saying what was wrong and what to send instead. The text comes
from the shipped Bible through `BibleService` (a worker thread per query), so a call takes a
millisecond or two and the event loop never waits on the disk.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine, Mapping
from typing import Any

from verse_tui.bible import canon
from verse_tui.bible.passage_size import verse_total
from verse_tui.bible.references import format_range, parse_reference
from verse_tui.domain.bible import Book, Passage, Reference, SearchPage, Verse, VerseRange
from verse_tui.domain.tools import ToolOutcome
from verse_tui.errors import VerseError
from verse_tui.llm.tools import (
    DEFAULT_SEARCH_HITS,
    MAX_PASSAGE_VERSES,
    MAX_QUERY_LENGTH,
    MAX_REFERENCE_LENGTH,
    MAX_SEARCH_HITS,
    READ_PASSAGE,
    SEARCH_BIBLE,
    TOOL_NAMES,
)
from verse_tui.services.bible import BibleService

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+")
_SUMMARY_TEXT = 60  # characters of a query or reference shown in a summary line


class ToolInputError(VerseError):
    """Claude's input to a tool cannot be used; the message is sent back to it."""


def one_line(text: str, limit: int = _SUMMARY_TEXT) -> str:
    """`text` safe for a terminal line: control characters removed, spaces collapsed, cut."""
    line = " ".join(_CONTROL.sub(" ", text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _optional(arguments: Mapping[str, Any], key: str, limit: int) -> str | None:
    return None if arguments.get(key) is None else _required(arguments, key, limit)


def _required(arguments: Mapping[str, Any], key: str, limit: int) -> str:
    value = arguments.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ToolInputError(f'"{key}" must be a non-empty string.')
    if len(value) > limit:
        raise ToolInputError(f'"{key}" is too long ({len(value)} characters; at most {limit}).')
    return value.strip()


def _verse_line(verse: Verse, with_chapter: bool) -> str:
    number = f"{verse.ref.chapter}:{verse.ref.verse}" if with_chapter else str(verse.ref.verse)
    text = verse.plain_text if not verse.omitted else "(not in this translation)"
    return f"{number} {text}"


def _passage_text(passage: Passage) -> str:
    chapters = {(v.ref.book, v.ref.chapter) for v in passage.verses}
    lines = [f"{passage.reference} ({passage.translation})"]
    lines += [_verse_line(v, len(chapters) > 1) for v in passage.verses]
    if passage.note:
        lines.append(f"Note: {passage.note}")
    return "\n".join(lines)


def _search_text(page: SearchPage, query: str, where: str) -> str:
    if not page.total:
        return f"No verse of the {page.translation}{where} matches {query}."
    shown = len(page.hits)
    count = f"{page.total} verse{'s' if page.total != 1 else ''}"
    head = f"{count} of the {page.translation}{where} match {query}"
    head += f" (the best {shown}):" if shown < page.total else ":"
    rows = [f"{format_range(_single(hit.verse))} {hit.verse.plain_text}" for hit in page.hits]
    return "\n".join([head, *rows])


def _single(verse: Verse) -> VerseRange:
    return VerseRange(verse.ref, verse.ref)


class ToolExecutor:
    """Runs `read_passage` and `search_bible` for one reply, in the reader's translation by
    default."""

    def __init__(self, bible: BibleService, *, translation: str) -> None:
        self._bible = bible
        self.translation = translation
        self._tools: dict[str, Callable[[Mapping[str, Any]], Coroutine[Any, Any, ToolOutcome]]]
        self._tools = {READ_PASSAGE: self._read_passage, SEARCH_BIBLE: self._search_bible}

    async def run(self, name: str, arguments: object) -> ToolOutcome:
        """The outcome of one call; an unusable input is an error outcome, never an exception."""
        tool = self._tools.get(name)
        if tool is None:
            known = " and ".join(TOOL_NAMES)
            return _error(name, f"There is no tool {name!r}; the tools are {known}.",
                          f"asked for an unknown tool {one_line(name)!r}")  # fmt: skip
        if not isinstance(arguments, Mapping):
            return _error(name, "The tool input must be a JSON object.", f"{name}: bad input")
        try:
            return await tool(arguments)
        except VerseError as exc:
            return _error(name, exc.message, f"{_failed(name, arguments)}: {one_line(exc.message)}")

    def _translation(self, arguments: Mapping[str, Any]) -> str:
        code = _optional(arguments, "translation", 10)
        return (code or self.translation).upper()

    async def _read_passage(self, arguments: Mapping[str, Any]) -> ToolOutcome:
        typed = _required(arguments, "reference", MAX_REFERENCE_LENGTH)
        reference = parse_reference(typed)
        _check_size(reference)
        passage = await self._bible.passage(self._translation(arguments), reference)
        summary = f"read {one_line(passage.reference)} ({passage.translation})"
        return ToolOutcome(READ_PASSAGE, _passage_text(passage), False, summary)

    async def _search_bible(self, arguments: Mapping[str, Any]) -> ToolOutcome:
        query = _required(arguments, "query", MAX_QUERY_LENGTH)
        book = _book(arguments)
        limit = _limit(arguments)
        page = await self._bible.search(
            query, self._translation(arguments), book=book.number if book else None, limit=limit
        )
        where = f" in {book.name}" if book else ""
        shown = _quoted(one_line(query))
        content = _search_text(page, shown, where)
        count = f"{page.total} verse{'s' if page.total != 1 else ''}"
        summary = f"searched {shown}{where} ({page.translation}): {count}"
        return ToolOutcome(SEARCH_BIBLE, content, False, summary)


def _quoted(query: str) -> str:
    return query if len(query) > 1 and query[0] == query[-1] == '"' else f'"{query}"'


def _check_size(reference: Reference) -> None:
    if verse_total(reference) > MAX_PASSAGE_VERSES:
        raise ToolInputError(
            f"That passage has more than {MAX_PASSAGE_VERSES} verses; read at most "
            f"{MAX_PASSAGE_VERSES} at a time (for example one chapter)."
        )


def _book(arguments: Mapping[str, Any]) -> Book | None:
    name = _optional(arguments, "book", 40)
    if name is None:
        return None
    found = canon.find_book(name)
    if found is None:
        guesses = " or ".join(b.name for b in canon.suggest_books(name))
        hint = f" Did you mean {guesses}?" if guesses else ""
        raise ToolInputError(f'There is no book called "{one_line(name, 40)}".{hint}')
    return found


def _limit(arguments: Mapping[str, Any]) -> int:
    value = arguments.get("limit", DEFAULT_SEARCH_HITS)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_SEARCH_HITS:
        raise ToolInputError(f'"limit" must be a whole number from 1 to {MAX_SEARCH_HITS}.')
    return value


def _failed(name: str, arguments: Mapping[str, Any]) -> str:
    detail = arguments.get("reference") if name == READ_PASSAGE else arguments.get("query")
    shown = f" {one_line(detail)!r}" if isinstance(detail, str) else ""
    verb = "read" if name == READ_PASSAGE else "search"
    return f"could not {verb}{shown}"


def _error(name: str, message: str, summary: str) -> ToolOutcome:
    return ToolOutcome(name, message, True, summary)
