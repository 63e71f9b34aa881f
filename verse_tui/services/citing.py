"""Checking a chat reply's citations while it streams, off the event loop.

`StreamCitations` wraps `bible.citations.ReplyCitations`: text without a line break is only
buffered (a paragraph can end only at one), and the text up to a line break is checked in a
worker thread (a paragraph whose quotation needs the word index takes a few ms), so the event
loop never waits on the Bible file. The citations are stored with the reply as JSON in
`messages.citations` (`citations_json` / `parse_citations`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Sequence

from verse_tui.bible.citations import CitationChecker, ReplyCitations
from verse_tui.domain.citations import VERDICTS, Citation


class StreamCitations:
    """The citations of one streaming reply, each paragraph checked once it is finished."""

    def __init__(self, checker: CitationChecker) -> None:
        self._reply = ReplyCitations(checker)
        self._pending: list[str] = []

    @property
    def citations(self) -> tuple[Citation, ...]:
        """Every citation found so far, in the order of the text."""
        return self._reply.citations

    async def feed(self, text: str) -> tuple[Citation, ...]:
        """Add streamed text; the citations of the paragraphs it finished."""
        self._pending.append(text)
        if "\n" not in text:
            return ()
        return await asyncio.to_thread(self._reply.feed, self._take())

    async def finish(self) -> tuple[Citation, ...]:
        """The reply is complete: the citations of what was not yet checked."""
        text = self._take()

        def last() -> tuple[Citation, ...]:
            return self._reply.feed(text) + self._reply.finish()

        return await asyncio.to_thread(last)

    def _take(self) -> str:
        text = "".join(self._pending)
        self._pending.clear()
        return text


def citations_json(citations: Sequence[Citation]) -> str:
    return json.dumps([dataclasses.asdict(c) for c in citations], ensure_ascii=False)


def parse_citations(raw: str | None) -> tuple[Citation, ...]:
    """The citations stored with a reply (none for NULL or a value that is not ours)."""
    if not raw:
        return ()
    try:
        found = tuple(Citation(**item) for item in json.loads(raw))
    except (ValueError, TypeError):
        return ()
    return tuple(c for c in found if c.verdict in VERDICTS)
