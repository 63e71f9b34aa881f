"""InsightService: study notes on a passage, written by Claude, stored, and reused.

Asking for the same passage, kind and translation again returns the stored insight without
any request to Claude (`Insight.cached`, `Insight.provenance` says when and by which model);
`regenerate` asks again and, once the new one completes, replaces the old. Streaming and
failures follow the chat's rules (see `stream_persistence.py`): the row exists before the first
token, the text is checkpointed at least every 0.5 s, partial text survives any failure.
Without an API key a stored insight is still returned; a new one fails before any network
call with a message that says how to set the key.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncGenerator
from datetime import datetime
from functools import partial

from verse_tui.bible.references import ReferenceError, format_range, parse_reference
from verse_tui.db.models.study import Insight as InsightRow
from verse_tui.db.repositories.insights import InsightRepository, InsightRows
from verse_tui.domain.bible import MAX_CONTEXT_VERSES, Passage, Reference, VerseRange
from verse_tui.domain.chat import CitationsChecked, StreamFailed, StreamFinished
from verse_tui.domain.study import (
    INSIGHT_KINDS,
    CitedReference,
    Insight,
    InsightEvent,
    InsightKind,
    InsightReady,
    InsightStarted,
)
from verse_tui.domain.text import echo
from verse_tui.errors import InputError, VerseError
from verse_tui.llm import study_prompts
from verse_tui.llm.client import LlmMessage
from verse_tui.llm.errors import MissingApiKeyError
from verse_tui.llm.protocol import LanguageModel
from verse_tui.services.bible import BibleService
from verse_tui.services.context import ServiceContext
from verse_tui.services.reply_stream import ReplyRequest, stream_reply
from verse_tui.services.stream_persistence import (
    CHECKPOINT_INTERVAL,
    STALE_AFTER,
    Checkpointer,
    ReplyWriter,
)
from verse_tui.services.tools import ToolExecutor

MAX_VERSES = MAX_CONTEXT_VERSES
UNEXPECTED_FAILURE = "Verse hit an unexpected problem; the text so far is kept."
_KIND_ALIASES = {
    "historical": "historical_context",
    "history": "historical_context",
    "context": "historical_context",
    "themes": "key_themes",
    "cross_refs": "cross_references",
    "xrefs": "cross_references",
    "language": "original_language",
    "original": "original_language",
}
_CITATION_RE = re.compile(
    r"\b((?:[1-3] ?)?[A-Z][a-z]+\.?(?: of [A-Z][a-z]+)?) (\d{1,3}):(\d{1,3})"
    r"(?:\s?[-–]\s?\d{1,3}(?::\d{1,3})?)?"
)


class InsightFailedError(VerseError):
    """Claude could not write the insight; the partial text is stored with the failure."""

    def __init__(self, message: str, kind: str, partial_text: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.partial_text = partial_text


def parse_kind(text: str) -> InsightKind:
    """ "cross-references", "Key themes", "history" -> the kind; a clear error otherwise."""
    key = re.sub(r"[\s-]+", "_", text.strip().lower())
    key = _KIND_ALIASES.get(key, key)
    if key not in INSIGHT_KINDS:
        names = ", ".join(k.replace("_", "-") for k in INSIGHT_KINDS)
        raise InputError(f"Unknown insight kind {echo(text)}. Choose one of: {names}.")
    return key


def single_range(reference: Reference | str) -> VerseRange:
    """The one verse range an insight is about (a reference with several parts is refused)."""
    parsed = parse_reference(reference) if isinstance(reference, str) else reference
    if len(parsed.ranges) != 1:
        raise InputError(
            "An insight is about one passage; ask for one range at a time "
            "(for example John 3:16-21 rather than John 3:16, 18)."
        )
    return parsed.ranges[0]


def cited_references(text: str) -> tuple[CitedReference, ...]:
    """The "Book C:V" references an insight cites, parsed (unparseable ones are skipped)."""
    found: list[CitedReference] = []
    for match in _CITATION_RE.finditer(text):
        try:
            parsed = parse_reference(match.group(0))
        except ReferenceError:
            continue
        if len(parsed.ranges) == 1:
            rng = parsed.ranges[0]
            found.append(
                CitedReference(match.group(0), match.start(), match.end(), rng, format_range(rng))
            )
    return tuple(found)


def _to_insight(row: InsightRow, *, cached: bool = False) -> Insight:
    return Insight(
        id=row.id,
        translation=row.translation,
        reference=row.reference,
        range=row.verse_range,
        kind=row.kind,  # type: ignore[arg-type]
        text=row.text,
        status=row.status,  # type: ignore[arg-type]
        created_at=row.created_at,
        updated_at=row.updated_at,
        model=row.model,
        stop_reason=row.stop_reason,
        was_truncated=row.was_truncated,
        input_tokens=row.input_tokens,
        output_tokens=row.output_tokens,
        error=row.error,
        cached=cached,
    )


class InsightService:
    """Generate, reuse, regenerate and list insights on passages."""

    def __init__(
        self,
        context: ServiceContext,
        bible: BibleService,
        llm: LanguageModel,
        *,
        default_translation: str = "KJV",
        checkpoint_interval: float = CHECKPOINT_INTERVAL,
        max_tokens: int = study_prompts.INSIGHT_MAX_TOKENS,
    ) -> None:
        self._ctx = context
        self._bible = bible
        self._llm = llm
        self._default_translation = default_translation
        self._max_tokens = max_tokens
        rows = InsightRows(context.database, context.credential.hash)
        self._checkpointer = Checkpointer(context, rows, interval=checkpoint_interval)

    async def get_insight(
        self, reference: Reference | str, kind: InsightKind | str, translation: str | None = None
    ) -> Insight | None:
        """The stored, complete insight for this passage, kind and translation, if any."""
        rng, kind, code = single_range(reference), parse_kind(kind), self._code(translation)
        async with self._ctx.read() as (session, user_id):
            row = await InsightRepository(session).newest_complete(user_id, code, rng, kind)
            return _to_insight(row, cached=True) if row is not None else None

    async def list_insights(
        self, reference: Reference | str, translation: str | None = None
    ) -> tuple[Insight, ...]:
        """The newest insight of each kind on this passage (complete ones preferred)."""
        rng, code = single_range(reference), self._code(translation)
        async with self._ctx.read() as (session, user_id):
            rows = await InsightRepository(session).on_passage(user_id, code, rng)
        best: dict[str, InsightRow] = {}
        for row in rows:
            held = best.get(row.kind)
            if held is None or (held.status != "complete" and row.status == "complete"):
                best[row.kind] = row
        order: dict[str, int] = {kind: n for n, kind in enumerate(INSIGHT_KINDS)}
        chosen = sorted(best.values(), key=lambda r: order[r.kind])
        return tuple(_to_insight(row, cached=row.status == "complete") for row in chosen)

    async def generate(
        self,
        reference: Reference | str,
        kind: InsightKind | str,
        translation: str | None = None,
        *,
        regenerate: bool = False,
    ) -> Insight:
        """The insight, stored or newly written; raises `InsightFailedError` if Claude fails."""
        stream = self.generate_stream(reference, kind, translation, regenerate=regenerate)
        async with contextlib.aclosing(stream) as events:
            async for event in events:
                if isinstance(event, InsightReady):
                    return event.insight
                if isinstance(event, StreamFailed):
                    raise InsightFailedError(event.message, event.kind, event.partial_text)
        raise RuntimeError("the insight stream ended without a result")

    async def regenerate(
        self, reference: Reference | str, kind: InsightKind | str, translation: str | None = None
    ) -> Insight:
        """Ask Claude again; the new insight replaces the stored one once it completes."""
        return await self.generate(reference, kind, translation, regenerate=True)

    async def generate_stream(
        self,
        reference: Reference | str,
        kind: InsightKind | str,
        translation: str | None = None,
        *,
        regenerate: bool = False,
    ) -> AsyncGenerator[InsightEvent, None]:
        """`InsightReady` at once for a stored insight (no request); otherwise `InsightStarted`,
        `TextDelta`s and `InsightReady`, or `StreamFailed` with the partial text kept."""
        rng, kind, code = single_range(reference), parse_kind(kind), self._code(translation)
        if not regenerate:
            stored = await self.get_insight(Reference((rng,)), kind, code)
            if stored is not None:
                yield InsightReady(stored)
                return
        try:
            self._llm.require_api_key()
        except MissingApiKeyError as error:
            yield StreamFailed(error.kind, _needs_key(str(error)), "", False)
            return
        passage = await self._bible.passage(code, Reference((rng,)))
        if len(passage.verses) > MAX_VERSES:
            raise InputError(
                f"{passage.reference} has {len(passage.verses)} verses; an insight covers at most "
                f"{MAX_VERSES}. Ask about a chapter or a shorter passage."
            )
        prepare = partial(self._prepare, code, rng, passage, kind)
        started: InsightStarted | None = None
        replies = stream_reply(self._llm, prepare)
        async with contextlib.aclosing(replies) as events:
            async for event in events:
                if isinstance(event, CitationsChecked):
                    continue  # (never: an insight's writer checks no citations)
                if isinstance(event, InsightStarted):
                    started = event
                if not isinstance(event, StreamFinished):
                    yield event
                elif started is not None:  # (always: the stream starts with it)
                    yield InsightReady(await self._load(started.insight_id))

    async def _prepare(
        self, code: str, rng: VerseRange, passage: Passage, kind: InsightKind
    ) -> ReplyRequest[InsightStarted]:
        """Commit the empty `streaming` row; what to ask Claude and where the text goes."""
        insight_id, stamp = await self._insert(code, rng, passage.reference, kind)
        return ReplyRequest(
            writer=ReplyWriter(
                self._ctx,
                self._checkpointer,
                insight_id,
                stamp=stamp,
                unexpected_failure=UNEXPECTED_FAILURE,
            ),
            started=InsightStarted(insight_id, kind, passage.reference, code, self._llm.model),
            history=[LlmMessage("user", study_prompts.insight_request(kind, passage))],
            system=study_prompts.insight_system(kind),
            max_tokens=self._max_tokens,
            cancel_at_start=False,
            tools=ToolExecutor(self._bible, translation=code),
        )

    async def mark_interrupted(self) -> int:
        """Mark insights left `streaming` by a process that died (silent for 30 s)."""
        cutoff = self._ctx.now() - STALE_AFTER
        async with self._ctx.write() as (session, _user_id):
            return await InsightRepository(session).mark_streaming_interrupted(cutoff)

    async def _insert(
        self, code: str, rng: VerseRange, reference: str, kind: str
    ) -> tuple[int, datetime]:
        """Commit the empty `streaming` row; its id and `updated_at`."""
        now = self._ctx.now()
        async with self._ctx.write() as (session, user_id):
            row = await InsightRepository(session).add_streaming(
                user_id, code, rng, reference, kind, self._llm.model, now
            )
            return row.id, now

    async def _load(self, insight_id: int) -> Insight:
        async with self._ctx.read() as (session, _user_id):
            row = await session.get(InsightRow, insight_id)
            if row is None:
                raise InputError(f"Insight {insight_id} no longer exists.")
            return _to_insight(row)

    def _code(self, translation: str | None) -> str:
        return (translation or self._default_translation).upper()


def _needs_key(message: str) -> str:
    return f"Insights are written by Claude and need an API key. {message}"
