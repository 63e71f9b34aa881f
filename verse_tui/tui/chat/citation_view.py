"""The chat log's citation marks: drawn inline in the reply blocks, with the real text of the
verse on hover (a tooltip) and on a click (the citations list).

`CitationView` is mixed into `ChatLog`. The checked citations of a reply live in its
`CitationMarks` line (under the reply: how many got each mark); `decorate(message_id)` puts
each one's mark into the block that shows its words (`citation_marks.py`). Citations arrive
as their paragraph finishes, usually before the frame that shows that paragraph, so a reply
whose marks did not all find their block is decorated again a frame later, while it streams.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual import events
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from verse_tui.bible.canon import range_of_osis
from verse_tui.domain.bible import Reference
from verse_tui.domain.citations import Citation
from verse_tui.errors import VerseError
from verse_tui.tui.chat.citation_marks import (
    citation_detail,
    parse_cite,
    place_marks,
    summary_line,
    text_wanted,
)
from verse_tui.tui.chat.streaming_markdown import FRAME, BlockGroup, ReplyBlock
from verse_tui.tui.host import verse_app

if TYPE_CHECKING:
    from verse_tui.services.bible import BibleService

CITATIONS_KEY = "ctrl+t"
RETRIES = 100  # frames a streaming reply's marks may wait for their text to show


def tag(message_id: int) -> str:
    return f"m-{message_id}"


class CitationMarks(Static):
    """Below a reply: how many of its references and quotations got each mark, ✓ (verified
    against the local text), ≈ (close) or ✗ (misquoted, not found, no such verse); the marks
    themselves sit in the reply, after each one."""

    def __init__(self, message_id: int, citations: tuple[Citation, ...] = ()) -> None:
        super().__init__("", markup=False, classes=f"citation-marks {tag(message_id)}")
        self.message_id = message_id
        self.citations = list(citations)

    def on_mount(self) -> None:
        self._show()

    def add(self, citations: tuple[Citation, ...]) -> None:
        self.citations.extend(citations)
        self._show()

    def _show(self) -> None:
        self.update(summary_line(self.citations, CITATIONS_KEY) if self.citations else "")
        self.display = bool(self.citations)


class VerseTexts:
    """The real text of cited verses, read once per (OSIS range, translation)."""

    def __init__(self) -> None:
        self._texts: dict[tuple[str, str], str | None] = {}

    def known(self, key: tuple[str, str]) -> str | None:
        return self._texts.get(key)

    def has(self, key: tuple[str, str]) -> bool:
        return key in self._texts

    async def read(self, bible: BibleService, key: tuple[str, str]) -> str | None:
        """The verses' text (None when the translation cannot be read)."""
        if key not in self._texts:
            osis, code = key
            try:
                passage = await bible.passage(code, Reference((range_of_osis(osis),)))
            except VerseError:
                self._texts[key] = None
            else:
                words = (v.plain_text for v in passage.verses if not v.omitted)
                self._texts[key] = " ".join(words)
        return self._texts[key]


class CitationView(Widget):
    """What `ChatLog` adds for citations (see the module doc)."""

    class CitationClicked(Message):
        """A citation mark in a reply was clicked."""

        def __init__(self, message_id: int, index: int) -> None:
            super().__init__()
            self.message_id = message_id
            self.index = index

    translation: str | None = None  # the chat's translation (None: the configured one)
    _verse_texts: VerseTexts | None = None
    _retry_timers: dict[int, Timer] | None = None
    _placed: dict[int, int] | None = None  # per reply: its citations that have their mark
    _hovered: tuple[int, int] | None = None  # (message id, index) of the mark under the mouse

    @property
    def verse_texts(self) -> VerseTexts:
        if self._verse_texts is None:
            self._verse_texts = VerseTexts()
        return self._verse_texts

    @property
    def default_translation(self) -> str:
        return self.translation or verse_app(self).settings.translation

    def marks_of(self, message_id: int) -> CitationMarks | None:
        """The reply's citations line (looked for from the end: the streaming reply's is
        among the last children; a plain scan, CSS queries cost ~5 ms on a long chat)."""
        name = tag(message_id)
        for child in reversed(self.children):
            if isinstance(child, CitationMarks) and child.has_class(name):
                return child
        return None

    def _blocks_of(self, message_id: int) -> list[ReplyBlock]:
        """The reply's blocks in order: the finished ones in their groups, then the growing
        one (see `streaming_markdown.py`)."""
        name = tag(message_id)
        blocks: list[ReplyBlock] = []
        for child in self.children:
            if isinstance(child, BlockGroup) and child.has_class(name):
                blocks.extend(c for c in child.children if isinstance(c, ReplyBlock))
            elif isinstance(child, ReplyBlock) and child.has_class(name):
                blocks.append(child)
        return blocks

    def all_citations(self) -> Iterator[tuple[int, int, Citation]]:
        """(message id, index, citation) of every reply shown, newest reply first."""
        for marks in reversed(list(self.query(CitationMarks).results(CitationMarks))):
            for index, citation in enumerate(marks.citations):
                yield marks.message_id, index, citation

    def citations_checked(self, message_id: int, citations: tuple[Citation, ...]) -> None:
        """Mark the citations of a streaming reply's finished paragraphs."""
        marks = self.marks_of(message_id)
        if marks is not None:
            marks.add(citations)
            self.decorate_soon(message_id)

    def decorate(self, message_id: int, *, again: bool = False) -> bool:
        """Put each checked citation's mark in the block showing it; whether all found one.
        Only the citations not placed yet are looked at (a streaming reply's blocks keep
        their text and marks); `again` places them all anew (the blocks were rebuilt)."""
        marks = self.marks_of(message_id)
        if marks is None or not marks.citations:
            return True
        placed = self._placed = self._placed or {}
        first = 0 if again else placed.get(message_id, 0)
        blocks = self._blocks_of(message_id)
        found, placed[message_id] = place_marks(
            [b.raw for b in blocks], marks.citations, message_id, first
        )
        if again:
            for n, block in enumerate(blocks):
                block.mark(tuple(found.get(n, ())))
        else:
            for n, new in found.items():
                blocks[n].mark((*blocks[n].marks, *new))
        return placed[message_id] == len(marks.citations)

    def forget_marks(self, message_id: int) -> None:
        """The reply's blocks are new (it streams again): place its marks from the first."""
        if self._placed is not None:
            self._placed.pop(message_id, None)

    def decorate_soon(self, message_id: int, tries: int = RETRIES) -> None:
        """`decorate` now, and again each frame (at most `tries` times) until every mark
        has found the block that shows its words."""
        timers = self._retry_timers = self._retry_timers or {}
        if message_id in timers or self.decorate(message_id) or tries <= 0:
            return

        def again() -> None:
            timers.pop(message_id, None)
            self.decorate_soon(message_id, tries - 1)

        timers[message_id] = self.set_timer(FRAME, again, name="citation-marks")

    def citation(self, message_id: int, index: int) -> Citation | None:
        marks = self.marks_of(message_id)
        if marks is None or not 0 <= index < len(marks.citations):
            return None
        return marks.citations[index]

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """Over a mark: its citation, with the verse's real text, as the block's tooltip."""
        block = event.widget
        if not isinstance(block, ReplyBlock):
            return
        link = getattr(event.style, "link", None)
        target = parse_cite(link) if link else None
        citation = self.citation(*target) if target else None
        self._hovered = target if citation is not None else None
        if citation is None:
            if block.tooltip is not None:
                block.tooltip = None
            return
        wanted = text_wanted(citation, self.default_translation)
        if wanted is not None and not self.verse_texts.has(wanted):
            self.run_worker(
                self._read_then_show(block, self._hovered, citation, wanted),
                name="citation-text",
                group="citation-text",
                exclusive=True,
                exit_on_error=False,
                description="Reading the cited verse",
            )
        real = citation.text if wanted is None else self.verse_texts.known(wanted)
        block.tooltip = Content(citation_detail(citation, real, self.default_translation))

    async def _read_then_show(
        self,
        block: ReplyBlock,
        target: tuple[int, int] | None,
        citation: Citation,
        wanted: tuple[str, str],
    ) -> None:
        real = await self.verse_texts.read(verse_app(self).bible, wanted)
        if self._hovered == target:  # still over the mark: show the text it now has
            block.tooltip = Content(citation_detail(citation, real, self.default_translation))

    def cite_clicked(self, link: str) -> bool:
        """A click on a mark asks for the citations list; whether `link` was a mark's."""
        target = parse_cite(link)
        if target is None:
            return False
        self.post_message(self.CitationClicked(*target))
        return True
