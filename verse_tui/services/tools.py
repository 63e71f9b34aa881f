"""Run the local tools Claude calls while answering (definitions in `verse_tui.llm.tools`).

`ToolExecutor.run(name, input)` never raises for anything Claude sends: an unknown tool, a
missing or mistyped argument, a reference that does not exist, a translation that is not
installed or a search that cannot be read all come back as a `ToolOutcome` with
`is_error=True` and a message saying what was wrong and what to send instead. The text comes
from the shipped Bible through `BibleService` (a worker thread per query), so a call takes a
millisecond or two and the event loop never waits on the disk.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from typing import Any

from verse_tui.bible import canon
from verse_tui.bible.references import format_range, parse_reference
from verse_tui.domain.bible import Book, Passage, SearchPage, Verse, VerseRange
from verse_tui.domain.tools import ToolOutcome
from verse_tui.errors import VerseError
from verse_tui.llm.tools import (
    COMMENTARY,
    DEFAULT_SEARCH_HITS,
    MAX_QUERY_LENGTH,
    MAX_REFERENCE_LENGTH,
    MAX_SEARCH_HITS,
    READ_PASSAGE,
    SEARCH_BIBLE,
    STRONGS_ENTRY,
    STUDY_TOOLS,
    TOOL_NAMES,
    TOPIC,
    TOPICS,
)
from verse_tui.services import study_tools
from verse_tui.services.bible import BibleService
from verse_tui.services.study_library import StudyService
from verse_tui.services.study_tools import StudyTools
from verse_tui.services.tool_inputs import (
    ToolInputError,
    check_size,
    one_line,
    optional,
    required,
)


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
    """Runs Claude's tool calls for one reply: `read_passage` and `search_bible` in the
    reader's translation by default and, when the study library is installed, the study
    tools (`names` is what the requests offer)."""

    def __init__(
        self, bible: BibleService, *, translation: str, study: StudyService | None = None
    ) -> None:
        self._bible = bible
        self.translation = translation
        self._tools: dict[str, Callable[[Mapping[str, Any]], Coroutine[Any, Any, ToolOutcome]]]
        self._tools = {READ_PASSAGE: self._read_passage, SEARCH_BIBLE: self._search_bible}
        if study is not None and study.available():
            library = StudyTools(study)
            self._tools |= {
                STRONGS_ENTRY: library.strongs_entry,
                COMMENTARY: library.commentary,
                TOPICS: library.topics,
                TOPIC: library.topic,
            }
        self.names: tuple[str, ...] = tuple(n for n in TOOL_NAMES if n in self._tools)

    async def run(self, name: str, arguments: object) -> ToolOutcome:
        """The outcome of one call; an unusable input is an error outcome, never an exception."""
        tool = self._tools.get(name)
        if tool is None:
            return _unknown(name, self.names)
        if not isinstance(arguments, Mapping):
            return _error(name, "The tool input must be a JSON object.", f"{name}: bad input")
        try:
            return await tool(arguments)
        except VerseError as exc:
            return _error(name, exc.message, f"{_failed(name, arguments)}: {one_line(exc.message)}")

    def _translation(self, arguments: Mapping[str, Any]) -> str:
        code = optional(arguments, "translation", 10)
        return (code or self.translation).upper()

    async def _read_passage(self, arguments: Mapping[str, Any]) -> ToolOutcome:
        typed = required(arguments, "reference", MAX_REFERENCE_LENGTH)
        reference = parse_reference(typed)
        check_size(reference)
        passage = await self._bible.passage(self._translation(arguments), reference)
        summary = f"read {one_line(passage.reference)} ({passage.translation})"
        return ToolOutcome(READ_PASSAGE, _passage_text(passage), False, summary)

    async def _search_bible(self, arguments: Mapping[str, Any]) -> ToolOutcome:
        query = required(arguments, "query", MAX_QUERY_LENGTH)
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


def _book(arguments: Mapping[str, Any]) -> Book | None:
    name = optional(arguments, "book", 40)
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
    if name in STUDY_TOOLS:
        return study_tools.failed(name, arguments)
    detail = arguments.get("reference") if name == READ_PASSAGE else arguments.get("query")
    shown = f" {one_line(detail)!r}" if isinstance(detail, str) else ""
    verb = "read" if name == READ_PASSAGE else "search"
    return f"could not {verb}{shown}"


def _unknown(name: str, offered: tuple[str, ...]) -> ToolOutcome:
    known = " and ".join([", ".join(offered[:-1]), offered[-1]] if len(offered) > 1 else offered)
    if name in STUDY_TOOLS:  # asked for in an earlier reply, or the library went missing
        message = (
            f"{name} needs the study library (Strong's, commentary, Nave's topics), which is "
            f"not installed here; the tools available are {known}."
        )
        return _error(name, message, f"could not run {name}: no study library")
    return _error(name, f"There is no tool {name!r}; the tools are {known}.",
                  f"asked for an unknown tool {one_line(name)!r}")  # fmt: skip


def _error(name: str, message: str, summary: str) -> ToolOutcome:
    return ToolOutcome(name, message, True, summary)
