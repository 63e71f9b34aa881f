"""Study aids: insights on a passage, definitions of words in a verse, the offline glossary.

An insight stream (`InsightService.generate_stream`) is an async iterator of `InsightEvent`:
`InsightStarted`, any number of `TextDelta`, then one `InsightReady` (the stored insight) or one
`StreamFailed` (partial text kept). A cached insight arrives as a single `InsightReady` with
`insight.cached` true. A definition stream yields `DefinitionStarted` (with the glossary part,
available at once), `TextDelta`s of Claude's in-context sense, then `DefinitionReady` (or
`StreamFailed`, after which the glossary part still stands).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

from verse_tui.domain.bible import VerseRange, VerseRef
from verse_tui.domain.chat import StreamFailed, TextDelta, ToolUsed
from verse_tui.domain.lexicon import StrongsEntry

InsightKind = Literal[
    "historical_context", "key_themes", "cross_references", "original_language", "application"
]
INSIGHT_KINDS: tuple[InsightKind, ...] = get_args(InsightKind)  # in the order the app shows them
INSIGHT_KIND_TITLES: dict[str, str] = {
    "historical_context": "Historical context",
    "key_themes": "Key themes",
    "cross_references": "Cross-references",
    "original_language": "Original-language notes",
    "application": "Application",
}
InsightStatus = Literal["complete", "streaming", "cancelled", "failed", "interrupted"]
INSIGHT_STATUSES: tuple[InsightStatus, ...] = get_args(InsightStatus)
StoredDefinitionSource = Literal["glossary", "ai"]  # what the definitions table may hold
DEFINITION_SOURCES: tuple[StoredDefinitionSource, ...] = get_args(StoredDefinitionSource)
# "lexicon": only the Strong's entry behind the word answered (no glossary entry, no Claude);
# saving such an answer stores it as an offline ("glossary") row.
DefinitionSource = Literal["glossary", "ai", "lexicon"]


@dataclass(frozen=True, slots=True)
class Insight:
    """One generated insight on a passage, as stored."""

    id: int
    translation: str
    reference: str  # formatted, e.g. "Romans 8:28–30"
    range: VerseRange
    kind: InsightKind
    text: str
    status: InsightStatus
    created_at: datetime
    updated_at: datetime
    model: str | None = None
    stop_reason: str | None = None
    was_truncated: bool = False
    input_tokens: int | None = None
    output_tokens: int | None = None
    error: str | None = None
    cached: bool = False  # True when returned from storage without asking Claude

    @property
    def title(self) -> str:
        return INSIGHT_KIND_TITLES[self.kind]

    @property
    def provenance(self) -> str:
        """'Generated 2026-01-01 12:00 UTC by claude-sonnet-5-5' (and 'saved' when cached)."""
        when = self.created_at.strftime("%Y-%m-%d %H:%M UTC")
        by = f" by {self.model}" if self.model else ""
        saved = "Saved insight, generated" if self.cached else "Generated"
        return f"{saved} {when}{by}."


@dataclass(frozen=True, slots=True)
class CitedReference:
    """A "Book C:V" reference found in an insight's text, parsed so the app can link it."""

    text: str  # as written in the insight, e.g. "Rom. 8:28"
    start: int  # offsets of `text` in the insight's text
    end: int
    range: VerseRange
    reference: str  # formatted, e.g. "Romans 8:28"


@dataclass(frozen=True, slots=True)
class InsightStarted:
    """The insight row exists (status `streaming`) and Claude has been asked."""

    insight_id: int
    kind: InsightKind
    reference: str
    translation: str
    model: str


@dataclass(frozen=True, slots=True)
class InsightReady:
    """The insight, complete: freshly generated and stored, or returned from storage."""

    insight: Insight


InsightEvent = InsightStarted | TextDelta | ToolUsed | InsightReady | StreamFailed


@dataclass(frozen=True, slots=True)
class GlossarySense:
    text: str
    labels: tuple[str, ...] = ()  # "archaic", "obsolete", "poetic", "rare"


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """What the offline glossary says about a word (one dictionary entry of it)."""

    word: str  # as looked up, lower case ("shewed")
    headword: str  # the entry's word ("shew")
    part_of_speech: str  # as the dictionary abbreviates it: "v. t.", "n.", "pron.", ""
    senses: tuple[GlossarySense, ...]
    modern: str | None = None  # a modern equivalent, where the source gives one
    lemma: str | None = None  # the word this is a form of ("hath" -> "have")
    form_note: str | None = None  # how the looked-up word relates to the headword


@dataclass(frozen=True, slots=True)
class Definition:
    """The meaning of a word as used in one verse: glossary entries and/or Claude's sense."""

    word: str
    translation: str
    verse: VerseRef
    reference: str  # formatted, e.g. "1 Corinthians 13:4"
    glossary: tuple[GlossaryEntry, ...]  # empty when the glossary has no entry
    source: DefinitionSource  # "ai" when Claude's in-context sense is included
    id: int | None = None  # the stored row; None for an unsaved glossary-only answer
    part_of_speech: str | None = None
    sense: str | None = None  # the sense in this verse (Claude), or the glossary's first
    modern_equivalent: str | None = None
    ai_text: str | None = None  # Claude's whole answer
    model: str | None = None
    created_at: datetime | None = None
    cached: bool = False  # True when the AI part came from storage without asking Claude
    notice: str | None = None  # e.g. why only the glossary answered
    strongs: tuple[StrongsEntry, ...] = ()  # the Greek/Hebrew behind the word in the KJV verse

    @property
    def from_glossary(self) -> bool:
        return bool(self.glossary)


@dataclass(frozen=True, slots=True)
class SavedWord:
    """A definition the user saved to their word list."""

    id: int
    definition: Definition
    saved_at: datetime


@dataclass(frozen=True, slots=True)
class DefinitionStarted:
    """The glossary part (at once), and whether Claude is being asked for the verse sense."""

    definition: Definition  # glossary-only so far
    asking_claude: bool


@dataclass(frozen=True, slots=True)
class DefinitionReady:
    definition: Definition


DefinitionEvent = DefinitionStarted | TextDelta | ToolUsed | DefinitionReady | StreamFailed
