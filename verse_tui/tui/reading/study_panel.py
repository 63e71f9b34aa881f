"""The study panel beside the text: the commentary and the Nave's topics of the passage under
the reader's cursor, offline.

`m` in the reader shows and hides it; it follows the cursor (the selected verses, or the
cursor verse) and the chapter. Tab takes the focus into it: ↑/↓ and Enter on a topic list the
verses it cites, Enter on one of those opens it in the reader, `c` switches between Matthew
Henry and (in the Psalms) the Treasury of David, Esc goes back to the text. Everything comes
from `StudyService` in named workers; following the cursor waits for it to rest, so holding a
key or turning pages does no study work.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from verse_tui.bible.references import format_range
from verse_tui.domain.bible import Reference, VerseRange
from verse_tui.domain.text import terminal_safe
from verse_tui.errors import VerseError
from verse_tui.tui.host import study_library
from verse_tui.tui.study.study_text import (
    cited_places,
    commentary_text,
    next_source,
    source_for,
    topics_text,
)
from verse_tui.tui.worker_errors import ServiceCalls

if TYPE_CHECKING:
    from verse_tui.domain.lexicon import Topic

FOLLOW_DELAY = 0.15
"""Seconds the cursor rests before the panel reads the new passage (a held key or a run of
page turns costs nothing)."""
BACK = "back"
HELP = "tab: here · enter: a topic's verses · m: hide"


class StudyPanel(ServiceCalls, Vertical):
    """Commentary and topics for the passage under the cursor, docked beside the text."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "switch_source", "Other commentary (Psalms)"),
        Binding("escape", "leave", "Back to the text"),
        Binding("backspace", "topics", "Back to the topics", show=False),
    ]

    class VerseChosen(Message):
        """A verse a topic cites was chosen: the reader opens it."""

        def __init__(self, verses: VerseRange) -> None:
            super().__init__()
            self.verses = verses

    class Left(Message):
        """The user asked to go back to the text (Esc)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.source = "mhcc"  # chosen with `c`; the Treasury of David shows in the Psalms only
        self.passage: VerseRange | None = None
        self.loaded: tuple[VerseRange, str] | None = None  # what the text shows now
        self.topic: Topic | None = None  # the topic whose verses are listed, if any
        self._topic_names: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static("Study", id="study-title", markup=False)
        yield Static("", id="study-topics-title", markup=False)
        yield OptionList(id="study-topics")
        with VerticalScroll(id="study-scroll"):
            yield Static("", id="study-commentary", markup=False)
        yield Static(HELP, id="study-help", markup=False)

    @property
    def topics(self) -> OptionList:
        return self.query_one("#study-topics", OptionList)

    @property
    def scroll(self) -> VerticalScroll:
        return self.query_one("#study-scroll", VerticalScroll)

    def _show(self, selector: str, text: str) -> None:
        self.query_one(selector, Static).update(text)

    # -- following the reader --------------------------------------------------------------

    def follow(self, passage: VerseRange, *, at_once: bool = False) -> None:
        """Show the study of `passage` (the reader's selection or cursor verse)."""
        self.passage = passage
        if self.loaded == (passage, source_for(self.source, passage.start.book)):
            self.workers.cancel_group(self, "study-panel")  # an older move loses
            return
        self._load(passage, 0.0 if at_once else FOLLOW_DELAY)

    def reload(self) -> None:
        """Read the passage again (the library has just opened)."""
        if self.passage is not None:
            self.loaded = None
            self._load(self.passage, 0.0)

    @work(
        exclusive=True,
        group="study-panel",
        name="load-study-panel",
        exit_on_error=False,
        description="Reading the commentary and topics",
    )
    async def _load(self, passage: VerseRange, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)  # a newer move cancels this one while it waits
        source = source_for(self.source, passage.start.book)
        reference = Reference((passage,))
        self._show("#study-title", f"Study · {format_range(passage)}")
        try:
            study = study_library(self)
            commentary = await study.commentary(reference, source)
            topics = await study.topics_of(reference)
        except VerseError as error:
            self._show_topics((), "")  # nothing stale from the passage before
            self._show("#study-commentary", terminal_safe(error.message, multiline=True))
            return
        self._show_topics(topics.topics, topics_text(topics))
        self._show("#study-commentary", commentary_text(commentary))
        self.scroll.scroll_home(animate=False)
        self.loaded = (passage, source)

    # -- topics ----------------------------------------------------------------------------

    def _show_topics(self, names: tuple[str, ...], title: str) -> None:
        """The passage's topics (listed unless a topic's verses are open)."""
        self._topic_names = names
        self._show("#study-topics-title", title)
        if self.topic is None:
            self._list_topic_names()

    def _list_topic_names(self) -> None:
        self.topic = None
        options = [Option(terminal_safe(name), id=name) for name in self._topic_names]
        self.topics.set_options(options)

    def _list_topic_verses(self, topic: Topic) -> None:
        self.topic = topic
        places = cited_places(topic.refs)
        back = Option(f"← {terminal_safe(topic.name)}: {len(places)} places", id=BACK)
        verses = [Option(label, id=str(i)) for i, (label, _rng) in enumerate(places)]
        self.topics.set_options([back, *verses])
        self.topics.highlighted = 1 if verses else 0

    @on(OptionList.OptionSelected, "#study-topics")
    def _topic_option_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = event.option.id
        if chosen is None:
            return
        if self.topic is None:
            self._open_topic(chosen)
        elif chosen == BACK:
            self.action_topics()
        else:
            _label, verses = cited_places(self.topic.refs)[int(chosen)]
            self.post_message(self.VerseChosen(verses))

    @work(
        exclusive=True,
        group="study-panel-topic",
        name="load-study-topic",
        exit_on_error=False,
        description="Reading a Nave's topic",
    )
    async def _open_topic(self, name: str) -> None:
        try:
            topic = await study_library(self).topic(name)
        except VerseError as error:
            self.notify(terminal_safe(error.message), severity="warning", timeout=6)
            return
        self._list_topic_verses(topic)

    def action_topics(self) -> None:
        """Back from a topic's verses to the topics of the passage."""
        if self.topic is not None:
            name = self.topic.name
            self._list_topic_names()
            if name in self._topic_names:
                self.topics.highlighted = self._topic_names.index(name)

    # -- keys ------------------------------------------------------------------------------

    def action_switch_source(self) -> None:
        if self.passage is None:
            return
        source = next_source(self.source, self.passage.start.book)
        if source == self.source:
            self.notify("The Treasury of David covers the Psalms only.", timeout=4)
            return
        self.source = source
        self._load(self.passage, 0.0)

    def action_leave(self) -> None:
        self.post_message(self.Left())

    def enter(self) -> None:
        """Take the focus: the topics when there are any, else the commentary."""
        (self.topics if self.topics.option_count else self.scroll).focus()
