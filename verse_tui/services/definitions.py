"""DefinitionService: what a word means as used in one verse, and the user's saved words.

The Strong's tag of the word in that KJV verse comes first (the Greek or Hebrew word behind
it, from the offline lexicon; for another translation, the same word in the KJV verse), then
the offline glossary (archaic KJV words and senses, no key or network needed).
With an API key, Claude adds the sense in this verse (part of speech, sense, modern
equivalent); that answer is cached per (word, verse, translation) for every user, so asking
again costs no request. Without a key the glossary answers alone and says so; a word the
glossary lacks then gets an error that says how to set the key.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncGenerator, Mapping
from dataclasses import replace

from sqlalchemy.exc import IntegrityError

from verse_tui.bible.glossary import Glossary, in_context_order, normalise, shipped_glossary
from verse_tui.bible.references import parse_reference
from verse_tui.db.models.study import Definition as DefinitionRow
from verse_tui.db.repositories import definitions as definition_rows
from verse_tui.domain.bible import Passage, Reference, VerseRange, VerseRef
from verse_tui.domain.chat import StreamFailed, StreamFinished, TextDelta, ToolUsed
from verse_tui.domain.lexicon import StrongsEntry
from verse_tui.domain.study import (
    Definition,
    DefinitionEvent,
    DefinitionReady,
    DefinitionStarted,
    GlossaryEntry,
    SavedWord,
)
from verse_tui.domain.text import echo
from verse_tui.errors import InputError, NotFoundError, VerseError
from verse_tui.llm import study_prompts
from verse_tui.llm.client import LlmMessage
from verse_tui.llm.errors import LlmError, MissingApiKeyError
from verse_tui.llm.protocol import LanguageModel
from verse_tui.services.bible import BibleService
from verse_tui.services.context import ServiceContext
from verse_tui.services.study_library import StudyService
from verse_tui.services.tool_answers import answer_with_tools
from verse_tui.services.tools import ToolExecutor

LEXICON_NOTICE = (
    "From the offline Strong's lexicon only: no Anthropic API key is set, so Claude cannot add "
    "the sense in this verse. Set one with `export ANTHROPIC_API_KEY=sk-ant-...` for that."
)
NO_KEY_NOTICE = (
    "From the offline glossary only: no Anthropic API key is set, so Claude cannot add the "
    "sense in this verse. Set one with `export ANTHROPIC_API_KEY=sk-ant-...` for that."
)
_FIELDS = {
    "part_of_speech": r"part of speech",
    "sense": r"sense in this verse",
    "modern_equivalent": r"modern equivalent",
}


class DefinitionUnavailableError(VerseError):
    """Neither the glossary nor Claude could define the word."""


def parse_ai_answer(text: str) -> dict[str, str | None]:
    """The labelled lines of Claude's answer; `sense` falls back to the whole text."""
    fields: dict[str, str | None] = {}
    for name, label in _FIELDS.items():
        match = re.search(rf"^\W*{label}\W*:\s*(.+)$", text, flags=re.I | re.M)
        fields[name] = match.group(1).strip().strip("*").strip() if match else None
    if not fields["sense"]:
        fields["sense"] = text.strip() or None
    return fields


def _verse(reference: Reference | str) -> VerseRef:
    parsed = parse_reference(reference) if isinstance(reference, str) else reference
    rng = parsed.ranges[0]
    if len(parsed.ranges) != 1 or rng.start != rng.end:
        raise InputError(
            "A word is defined as used in one verse: give a single verse, e.g. --in '1 Cor 13:4'."
        )
    return rng.start


def _to_definition(
    row: DefinitionRow, glossary: tuple[GlossaryEntry, ...], *, cached: bool
) -> Definition:
    return Definition(
        word=row.word,
        translation=row.translation,
        verse=VerseRef(row.book, row.chapter, row.verse),
        reference=row.reference,
        glossary=glossary,
        source=row.source,  # type: ignore[arg-type]
        id=row.id,
        part_of_speech=row.part_of_speech,
        sense=row.sense,
        modern_equivalent=row.modern_equivalent,
        ai_text=row.ai_text,
        model=row.model,
        created_at=row.created_at,
        cached=cached,
    )


def _glossary_only(
    word: str, code: str, verse: VerseRef, reference: str, entries: tuple[GlossaryEntry, ...]
) -> Definition:
    first = entries[0] if entries else None
    return Definition(
        word=word,
        translation=code,
        verse=verse,
        reference=reference,
        glossary=entries,
        source="glossary",
        part_of_speech=first.part_of_speech or None if first else None,
        sense=first.senses[0].text if first and first.senses else None,
        modern_equivalent=next((e.modern for e in entries if e.modern), None),
    )


class DefinitionService:
    """Define words in context (glossary first, then Claude), cache them, keep a word list."""

    def __init__(
        self,
        context: ServiceContext,
        bible: BibleService,
        llm: LanguageModel,
        *,
        default_translation: str = "KJV",
        glossary: Glossary | None = None,
        study: StudyService | None = None,
    ) -> None:
        self._ctx = context
        self._study = study
        self._bible = bible
        self._llm = llm
        self._default_translation = default_translation
        self._glossary = glossary

    async def glossary_lookup(self, word: str) -> tuple[GlossaryEntry, ...]:
        """The offline glossary's entries for `word` (no verse, no network)."""
        return (await self._loaded_glossary()).lookup(word)

    async def _loaded_glossary(self) -> Glossary:
        """The glossary given, else the shipped one (read off the event loop the first time)."""
        if self._glossary is not None:
            return self._glossary
        return await asyncio.to_thread(shipped_glossary)

    async def define_word(
        self, word: str, reference: Reference | str, translation: str | None = None
    ) -> Definition:
        """The definition, whole. Claude failing leaves the glossary's answer with a notice."""
        async with contextlib.aclosing(self.define_word_stream(word, reference, translation)) as ev:
            started: Definition | None = None
            async for event in ev:
                if isinstance(event, DefinitionStarted):
                    started = event.definition
                elif isinstance(event, DefinitionReady):
                    return event.definition
                elif isinstance(event, StreamFailed):
                    return glossary_fallback(started, event)
        raise RuntimeError("the definition stream ended without a result")

    async def define_word_stream(
        self, word: str, reference: Reference | str, translation: str | None = None
    ) -> AsyncGenerator[DefinitionEvent, None]:
        """`DefinitionReady` at once when cached or without a key; otherwise
        `DefinitionStarted` (glossary part), Claude's `TextDelta`s, then `DefinitionReady`."""
        asked, verse, code = normalise(word), _verse(reference), self._code(translation)
        if not asked:
            raise InputError("Give a word to define, e.g. verse define charity --in '1 Cor 13:4'.")
        one_verse = Reference((VerseRange(verse, verse),))
        passage = await self._bible.passage(code, one_verse)
        _check_word_in_verse(asked, passage)
        verse_text = " ".join(v.plain_text for v in passage.verses)
        entries = in_context_order(await self.glossary_lookup(asked), verse_text)
        strongs = await self.lexicon_lookup(asked, verse)
        base = _glossary_only(asked, code, verse, passage.reference, entries)
        base = _with_lexicon(base, strongs)
        stored = await self._stored(asked, code, verse)
        if stored is not None and (stored.source == "ai" or not self._llm.has_api_key):
            found = _to_definition(stored, entries, cached=True)
            yield DefinitionReady(replace(found, strongs=strongs))
            return
        try:
            self._llm.require_api_key()
        except MissingApiKeyError as error:
            if strongs:  # the lexicon answers offline (the glossary too, when it has the word)
                notice = NO_KEY_NOTICE if entries else LEXICON_NOTICE
                yield DefinitionReady(_with_notice(base, notice))
                return
            if not entries:
                raise DefinitionUnavailableError(
                    f"{echo(asked)} is not in the offline glossary, and Claude needs an API key to "
                    f"explain it in {passage.reference}. {error}"
                ) from error
            yield DefinitionReady(_with_notice(base, NO_KEY_NOTICE))
            return
        yield DefinitionStarted(base, asking_claude=True)
        async with contextlib.aclosing(self._ask_claude(base, passage)) as events:
            async for event in events:
                yield event

    async def lexicon_lookup(self, word: str, verse: VerseRef) -> tuple[StrongsEntry, ...]:
        """The Strong's entries behind `word` in this KJV verse; () without the study library
        or when the word carries no number there (the same verse of the KJV is used for every
        translation: it is where the tags are)."""
        if self._study is None:
            return ()
        try:
            return await self._study.word_entries(word, verse)
        except VerseError:  # no such KJV verse (WEB Rom 14:24), or the library is missing
            return ()

    async def _ask_claude(
        self, base: Definition, passage: Passage
    ) -> AsyncGenerator[DefinitionEvent, None]:
        """Claude's answer, with the local tools (it may read the verse's context or see the
        word elsewhere first); the text stored is exactly the text streamed."""
        request = study_prompts.definition_request(base.word, passage, base.glossary, base.strongs)
        parts: list[str] = []
        finished: StreamFinished | None = None
        try:
            async with contextlib.aclosing(
                answer_with_tools(
                    self._llm,
                    [LlmMessage("user", request)],
                    system=study_prompts.definition_system(),
                    max_tokens=study_prompts.DEFINITION_MAX_TOKENS,
                    tools=ToolExecutor(self._bible, translation=base.translation),
                )
            ) as events:
                async for event in events:
                    if isinstance(event, TextDelta):
                        parts.append(event.text)
                        yield event
                    elif isinstance(event, ToolUsed):
                        yield event
                    else:
                        finished = event
        except LlmError as error:
            yield StreamFailed(error.kind, str(error), "".join(parts), error.retryable)
            return
        model = finished.model if finished else self._llm.model
        yield DefinitionReady(await self._store_ai(base, "".join(parts), model))

    async def save_definition(self, definition: Definition) -> SavedWord:
        """Add the definition to this user's word list (saving it again changes nothing)."""
        row_id = definition.id or await self._ensure_row(definition)
        now = self._ctx.now()
        async with self._ctx.write() as (session, user_id):
            saved = await definition_rows.save_word(session, user_id, row_id, now)
            row = await session.get(DefinitionRow, row_id)
            assert row is not None
        entries = await self.glossary_lookup(row.word)  # after the commit: no lock held
        return SavedWord(saved.id, _to_definition(row, entries, cached=True), saved.created_at)

    async def list_definitions(self) -> tuple[SavedWord, ...]:
        """This user's saved words, newest first."""
        async with self._ctx.read() as (session, user_id):
            rows = await definition_rows.saved_words(session, user_id)
        glossary = await self._loaded_glossary()  # once, not a thread hop per saved word
        return tuple(
            SavedWord(
                saved.id,
                _to_definition(row, glossary.lookup(row.word), cached=True),
                saved.created_at,
            )
            for saved, row in rows
        )

    async def delete_definition(self, saved_id: int) -> None:
        """Remove a word from this user's list (the cached definition stays for everyone)."""
        async with self._ctx.write() as (session, user_id):
            if not await definition_rows.delete_saved_word(session, user_id, saved_id):
                raise NotFoundError(
                    f"There is no saved word {saved_id} in your list. "
                    "Run `verse words` to see the ids."
                )

    async def _stored(self, word: str, code: str, verse: VerseRef) -> DefinitionRow | None:
        async with self._ctx.read() as (session, _user_id):
            return await definition_rows.cached(session, word, code, verse)

    async def _store_ai(self, base: Definition, text: str, model: str | None) -> Definition:
        fields = parse_ai_answer(text)
        values = {
            "source": "ai",
            "ai_text": text,
            "model": model,
            "part_of_speech": fields["part_of_speech"] or base.part_of_speech,
            "sense": fields["sense"],
            "modern_equivalent": fields["modern_equivalent"] or base.modern_equivalent,
        }
        row = await self._upsert(base, values)
        return replace(_to_definition(row, base.glossary, cached=False), strongs=base.strongs)

    async def _ensure_row(self, definition: Definition) -> int:
        values = {
            "source": "glossary" if definition.source == "lexicon" else definition.source,
            "part_of_speech": definition.part_of_speech,
            "sense": definition.sense,
            "modern_equivalent": definition.modern_equivalent,
            "ai_text": definition.ai_text,
            "model": definition.model,
        }
        return (await self._upsert(definition, values, keep_ai=True)).id

    async def _upsert(
        self, base: Definition, values: Mapping[str, object], *, keep_ai: bool = False
    ) -> DefinitionRow:
        """Insert or update the cache row of (word, verse, translation); an AI answer already
        stored is kept when `keep_ai` (saving a glossary answer never erases Claude's)."""
        for _attempt in range(2):
            try:
                async with self._ctx.write() as (session, _user_id):
                    row = await definition_rows.cached(
                        session, base.word, base.translation, base.verse
                    )
                    if row is None:
                        row = DefinitionRow(
                            word=base.word,
                            translation=base.translation,
                            book=base.verse.book,
                            chapter=base.verse.chapter,
                            verse=base.verse.verse,
                            reference=base.reference,
                            created_at=self._ctx.now(),
                            **values,
                        )
                        session.add(row)
                    elif not (keep_ai and row.source == "ai"):
                        for name, value in values.items():
                            setattr(row, name, value)
                        row.created_at = self._ctx.now()
                    await session.flush()
                    return row
            except IntegrityError:  # another process inserted the same key meanwhile
                continue
        raise VerseError("Could not save the definition; try again.")

    def _code(self, translation: str | None) -> str:
        return (translation or self._default_translation).upper()


def _check_word_in_verse(word: str, passage: Passage) -> None:
    text = " ".join(v.plain_text for v in passage.verses).lower().replace("\u2019", "'")
    if not re.search(rf"\b{re.escape(word)}\b", text):
        raise InputError(
            f"{echo(word)} does not occur in {passage.reference} ({passage.translation}). "
            "Check the verse, or type the word as it is written there."
        )


def glossary_fallback(started: Definition | None, failed: StreamFailed) -> Definition:
    """What is left when Claude fails: the glossary's answer, with a notice that says so.
    A word the glossary lacks raises `DefinitionUnavailableError` with Claude's error."""
    if started is None or not (started.glossary or started.strongs):
        raise DefinitionUnavailableError(failed.message)
    where = "glossary" if started.glossary else "Strong's lexicon"
    return _with_notice(started, f"From the offline {where} only: {failed.message}")


def _with_lexicon(base: Definition, strongs: tuple[StrongsEntry, ...]) -> Definition:
    """The glossary answer with the Strong's entries; the lexicon's gloss when the glossary
    has nothing (source "lexicon")."""
    if base.glossary or not strongs:
        return replace(base, strongs=strongs)
    return replace(base, strongs=strongs, source="lexicon", sense=strongs[0].gloss)


def _with_notice(definition: Definition, notice: str) -> Definition:
    return replace(definition, notice=notice)
