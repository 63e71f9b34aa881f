"""The study-library tools Claude may call (definitions in `verse_tui.llm.tools`): a Strong's
entry, commentary on a passage, the Nave's topics of a passage and one topic's outline.

They read the study library through `StudyService` (the same calls as `verse strongs`,
`verse commentary` and `verse topics`), so a call is a query or two in a worker thread. Each
method returns a `ToolOutcome` or raises a `VerseError` whose message goes back to Claude
(`ToolExecutor.run` turns it into an error result). Long commentary and topic outlines are
cut at a paragraph or sentence, with a note that says what was left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from verse_tui.bible.references import parse_reference
from verse_tui.bible.sqlite_study_client import COMMENTARIES, strongs_number
from verse_tui.domain.bible import Reference
from verse_tui.domain.lexicon import Commentary, CommentarySection, StrongsEntry
from verse_tui.domain.tools import ToolOutcome
from verse_tui.llm.tools import (
    COMMENTARY,
    COMMENTARY_CHARS,
    MAX_REFERENCE_LENGTH,
    MAX_STRONGS_LENGTH,
    MAX_TOPIC_LENGTH,
    STRONGS_ENTRY,
    TOPIC,
    TOPIC_CHARS,
    TOPICS,
)
from verse_tui.services.study_library import StudyService
from verse_tui.services.tool_inputs import (
    ToolInputError,
    check_size,
    clean_lines,
    one_line,
    optional,
    required,
)

SHORT_NAMES = {"mhcc": "MHCC", "tdavid": "Treasury of David"}
MAX_RENDERINGS = 30  # KJV renderings listed in a Strong's result
MAX_TOPIC_NAMES = 120  # topic names listed for one passage
MAX_LEFT_NAMED = 8  # commentary sections named in the note when a result is cut
PSALMS = 19


class StudyTools:
    """Runs `strongs_entry`, `commentary`, `topics` and `topic` against one study library."""

    def __init__(self, study: StudyService) -> None:
        self._study = study

    async def strongs_entry(self, arguments: Mapping[str, Any]) -> ToolOutcome:
        number = strongs_number(required(arguments, "number", MAX_STRONGS_LENGTH))
        entry = await self._study.entry(number)
        return ToolOutcome(STRONGS_ENTRY, _entry_text(entry), False, f"read Strong's {number}")

    async def commentary(self, arguments: Mapping[str, Any]) -> ToolOutcome:
        reference = _reference(arguments)
        source = (optional(arguments, "source", 10) or "mhcc").lower()
        if source not in COMMENTARIES:
            raise ToolInputError(
                f'Unknown commentary "{one_line(source, 10)}": use mhcc or tdavid.'
            )
        if source == "tdavid" and any(r.start.book != PSALMS for r in reference.ranges):
            raise ToolInputError(
                "The Treasury of David covers only the Psalms; use mhcc for other books."
            )
        found = await self._study.commentary(reference, source)
        if not found.sections:
            raise ToolInputError(f"{found.title} has no section on {found.reference}.")
        summary = f"read {SHORT_NAMES[source]} on {one_line(found.reference)}"
        return ToolOutcome(COMMENTARY, _commentary_text(found), False, summary)

    async def topics(self, arguments: Mapping[str, Any]) -> ToolOutcome:
        found = await self._study.topics_of(_reference(arguments))
        names = found.topics
        if not names:
            content = f"No topic of Nave's Topical Bible cites {found.reference}."
        else:
            shown = names[:MAX_TOPIC_NAMES]
            head = f"Nave's Topical Bible: {len(names)} topics cite {found.reference}"
            if len(shown) < len(names):
                head += f" (the first {len(shown)}, alphabetically; ask for fewer verses)"
            content = "\n".join([head + ":", *shown])
        count = f"{len(names)} topic{'s' if len(names) != 1 else ''}"
        summary = f"read Nave's topics of {one_line(found.reference)}: {count}"
        return ToolOutcome(TOPICS, clean_lines(content), False, summary)

    async def topic(self, arguments: Mapping[str, Any]) -> ToolOutcome:
        found = await self._study.topic(required(arguments, "name", MAX_TOPIC_LENGTH))
        outline, note = _cut(found.text.strip(), TOPIC_CHARS)
        lines = [f"Nave's Topical Bible: {found.name} ({len(found.refs)} references)", outline]
        if note:
            lines.append(f"[Cut here: {note} Read the verses with read_passage.]")
        if found.see_also:
            lines.append("See also: " + "; ".join(found.see_also))
        summary = f"read Nave's topic {one_line(found.name)}"
        return ToolOutcome(TOPIC, clean_lines("\n".join(lines)), False, summary)


def failed(name: str, arguments: Mapping[str, Any]) -> str:
    """The start of the quiet line for a study tool call that could not run."""
    key, what = {
        STRONGS_ENTRY: ("number", "Strong's"),
        COMMENTARY: ("reference", "commentary on"),
        TOPICS: ("reference", "Nave's topics of"),
        TOPIC: ("name", "Nave's topic"),
    }[name]
    detail = arguments.get(key)
    shown = f" {one_line(detail)!r}" if isinstance(detail, str) else ""
    return f"could not read {what}{shown}"


def _reference(arguments: Mapping[str, Any]) -> Reference:
    reference = parse_reference(required(arguments, "reference", MAX_REFERENCE_LENGTH))
    check_size(reference)
    return reference


def _entry_text(entry: StrongsEntry) -> str:
    shown = entry.renderings[:MAX_RENDERINGS]
    renderings = ", ".join(f"{r.text} {r.count}" for r in shown)
    if len(shown) < len(entry.renderings):
        renderings += f", and {len(entry.renderings) - len(shown)} more"
    lines = [
        f"Strong's {entry.number} ({entry.language}): {entry.lemma}",
        f"Transliteration: {entry.transliteration}",
        f"Pronunciation: {entry.pronunciation}",
        f"Definition: {entry.definition}",
        f"KJV: {entry.occurrences} times in {entry.verses} verses, rendered "
        f"{renderings or '(no renderings recorded)'}",
    ]
    return clean_lines("\n".join(lines))


def _commentary_text(found: Commentary) -> str:
    pieces: list[str] = []  # only as many sections as can be shown (Psalm 119: 1.4 MB)
    for section in found.sections:
        if sum(map(len, pieces)) > COMMENTARY_CHARS:
            break
        pieces.append(_section_text(section))
    text, note = _cut("\n\n".join(pieces), COMMENTARY_CHARS)
    parts = [f"{found.title} on {found.reference}", text]
    if note or len(pieces) < len(found.sections):
        rest = sum(len(s.text) + 2 for s in found.sections[len(pieces) :])
        total = sum(len(p) + 2 for p in pieces) - 2 + rest
        parts.append(
            f"[Cut here: {len(text)} of about {total} characters shown. Not shown in full: "
            f"{_left_out(found.sections, pieces, len(text))}. "
            "Ask for fewer verses to read the rest.]"
        )
    return clean_lines("\n\n".join(parts))


def _left_out(sections: tuple[CommentarySection, ...], pieces: list[str], shown: int) -> str:
    """The sections the cut text does not hold whole, the first few by name."""
    start, left = 0, []
    for section, piece in zip(sections, pieces, strict=False):
        if start + len(piece) > shown:
            left.append(section)
        start += len(piece) + 2
    left += sections[len(pieces) :]
    named = "; ".join(f"{s.reference} ({s.heading})" for s in left[:MAX_LEFT_NAMED])
    more = len(left) - MAX_LEFT_NAMED
    return named + (f" and {more} more sections" if more > 0 else "")


def _section_text(section: CommentarySection) -> str:
    body = section.text.strip()
    if body.startswith(section.heading):  # MHCC repeats "Verses 28-31" as its first line
        body = body[len(section.heading) :].lstrip()
    return f"[{section.reference}: {section.heading}]\n{body}"


def _cut(text: str, limit: int) -> tuple[str, str | None]:
    """`text` cut near `limit` at a paragraph (else a sentence, else a word) end, and a note
    saying how much was shown (None when nothing was cut)."""
    if len(text) <= limit:
        return text, None
    head = text[:limit]
    for mark in ("\n\n", ". ", " "):
        at = head.rfind(mark)
        if at >= limit // 2:
            head = head[: at + (1 if mark == ". " else 0)]
            break
    head = head.rstrip()
    return head, f"{len(head)} of {len(text)} characters shown."
