"""The Insights place (F4): study notes by Claude on the passage being read.

The kinds are a list; choosing one shows the stored insight at once ("Saved insight,
generated <date> by <model>") or streams a new one. `r` regenerates, `esc` stops. The
passage follows the reader's selection (i in the reader, or F4 after moving).
"""

from __future__ import annotations

from contextlib import aclosing
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from verse_tui.bible.references import format_range
from verse_tui.domain.bible import Reference, VerseRange
from verse_tui.domain.chat import StreamFailed, TextDelta, ToolUsed
from verse_tui.domain.study import (
    INSIGHT_KIND_TITLES,
    INSIGHT_KINDS,
    Insight,
    InsightReady,
    InsightStarted,
)
from verse_tui.domain.text import terminal_safe
from verse_tui.tui.chat.chat_log import ChatLog
from verse_tui.tui.chat.streaming_markdown import ReplyBlocks
from verse_tui.tui.claude import ClaudeWarmUp
from verse_tui.tui.host import services, verse_app
from verse_tui.tui.reading.study_actions import reader_selection
from verse_tui.tui.worker_errors import ServiceCalls

if TYPE_CHECKING:
    from verse_tui.services.insights import InsightService


class InsightsScreen(ServiceCalls, ClaudeWarmUp, Screen[None]):
    """Insights on one passage, one kind at a time."""

    CSS_PATH = "../styles/insights.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "regenerate", "Regenerate"),
        Binding("escape", "stop", "Stop"),
        Binding("ctrl+o", "references", "References"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.passage: tuple[str, VerseRange] | None = None
        self.kind = INSIGHT_KINDS[0]
        self.stored: dict[str, Insight] = {}
        self._stream: Worker[None] | None = None

    def compose(self) -> ComposeResult:
        yield Static("Insights", id="insight-title", markup=False)
        with Horizontal(id="insight-body"):
            with Vertical(id="insight-side"):
                yield OptionList(
                    *(Option(INSIGHT_KIND_TITLES[k], id=k) for k in INSIGHT_KINDS),
                    id="insight-kinds",
                )
                yield Static("", id="insight-passage", markup=False)
            with Vertical(id="insight-main"):
                yield Static("", id="insight-provenance", markup=False)
                yield ChatLog(id="insight-log")
        yield Footer(compact=True)

    @property
    def insights(self) -> InsightService:
        return services(self).insights

    @property
    def log_view(self) -> ChatLog:
        return self.query_one(ChatLog)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.warm_up_claude()
        if self.passage is not None:
            self._load(*self.passage)

    def on_screen_resume(self) -> None:
        """Back from the reader: follow its selection."""
        reader = verse_app(self).reading_screen
        if reader is None or reader.passage is None:
            return
        current = (reader.translation, reader_selection(reader))
        if current != self.passage and self.is_mounted:
            self.show_passage(*current)

    def show_passage(self, translation: str, rng: VerseRange) -> None:
        """Show insights on these verses."""
        self.passage = (translation, rng)
        if self.is_mounted:
            self._load(translation, rng)

    def _load(self, translation: str, rng: VerseRange) -> None:
        self.query_one("#insight-title", Static).update(
            f"Insights · {format_range(rng)} ({translation})"
        )
        self._list(translation, rng)

    @work(
        exclusive=True,
        group="insight-list",
        name="list-insights",
        exit_on_error=False,
        description="Loading insights",
    )
    async def _list(self, translation: str, rng: VerseRange) -> None:
        reference = Reference((rng,))
        found = await self.insights.list_insights(reference, translation)
        self.stored = {i.kind: i for i in found if i.status == "complete"}
        passage = await verse_app(self).bible.passage(translation, reference)
        text = " ".join(f"{v.ref.verse} {v.plain_text}" for v in passage.verses[:12])
        self.query_one("#insight-passage", Static).update(text[:600])
        options = self.query_one(OptionList)
        for kind in INSIGHT_KINDS:
            mark = "✓ " if kind in self.stored else "  "
            options.replace_option_prompt(kind, mark + INSIGHT_KIND_TITLES[kind])
        await self._show_kind(self.kind)

    @on(OptionList.OptionHighlighted, "#insight-kinds")
    async def _kind_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        kind = event.option.id or INSIGHT_KINDS[0]
        if kind in INSIGHT_KINDS and kind != self.kind:  # (every option's id is a kind)
            self.kind = kind
            await self._show_kind(kind)

    @on(OptionList.OptionSelected, "#insight-kinds")
    def _kind_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id not in self.stored:
            self._generate(regenerate=False)

    async def _show_kind(self, kind: str) -> None:
        self.action_stop()
        insight = self.stored.get(kind)
        provenance = self.query_one("#insight-provenance", Static)
        provenance.remove_class("-error")
        await self.log_view.remove_children()
        if insight is None:
            provenance.update(f"{INSIGHT_KIND_TITLES[kind]}: press enter to ask Claude.")
            return
        provenance.update(insight.provenance)
        blocks = await self.log_view.start_reply(insight.id)
        self.log_view.anchor(False)
        blocks.write(insight.text)
        await self._done(blocks, insight.text)
        self.log_view.scroll_home(animate=False)

    async def _done(self, blocks: ReplyBlocks, text: str) -> None:
        await blocks.finish(text)
        footer = self.log_view.last_footer()
        if footer is not None:
            footer.display = False
        self.log_view.anchor(False)  # read from the top once it is written
        self.log_view.scroll_home(animate=False, immediate=True)

    def action_regenerate(self) -> None:
        self._generate(regenerate=True)

    def _generate(self, *, regenerate: bool) -> None:
        if self.passage is None:
            self.notify("Select verses in the reader first (then i).", timeout=4)
            return
        self._stream = self._run(self.kind, regenerate)

    @work(
        exclusive=True,
        group="insight-stream",
        name="insight",
        exit_on_error=False,
        description="Writing the insight",
    )
    async def _run(self, kind: str, regenerate: bool) -> None:
        assert self.passage is not None
        translation, rng = self.passage
        provenance = self.query_one("#insight-provenance", Static)
        stream = self.insights.generate_stream(
            Reference((rng,)), kind, translation, regenerate=regenerate
        )
        blocks: ReplyBlocks | None = None
        async with aclosing(stream) as events:
            async for event in events:
                if isinstance(event, TextDelta) and blocks is not None:
                    blocks.write(event.text)
                elif isinstance(event, InsightReady):
                    await self._ready(event.insight, blocks)
                elif isinstance(event, ToolUsed):
                    provenance.update(
                        f"{INSIGHT_KIND_TITLES[kind]}: Claude is writing… "
                        f"⚙ {terminal_safe(event.summary)} (esc stops)"
                    )
                elif isinstance(event, StreamFailed):
                    provenance.update(f"⚠ {event.message}")
                    provenance.add_class("-error")
                    if blocks is not None:
                        await blocks.finish(event.partial_text)
                elif isinstance(event, InsightStarted):
                    await self.log_view.remove_children()
                    provenance.remove_class("-error")
                    provenance.update(
                        f"{INSIGHT_KIND_TITLES[kind]}: Claude is writing… (esc stops)"
                    )
                    blocks = await self.log_view.start_reply(event.insight_id)

    async def _ready(self, insight: Insight, blocks: ReplyBlocks | None) -> None:
        self.stored[insight.kind] = replace(insight, cached=True)  # next time: from storage
        self.query_one(OptionList).replace_option_prompt(
            insight.kind, "✓ " + INSIGHT_KIND_TITLES[insight.kind]
        )
        self.query_one("#insight-provenance", Static).update(insight.provenance)
        if blocks is None:
            await self._show_kind(insight.kind)
            return
        await self._done(blocks, insight.text)

    def action_stop(self) -> None:
        if self._stream is not None and self._stream.is_running:
            self._stream.cancel()
            self.query_one("#insight-provenance", Static).update(
                "Stopped: the partial text is kept. Press r to write it again."
            )

    @on(ChatLog.ReferenceClicked)
    def _reference_clicked(self, event: ChatLog.ReferenceClicked) -> None:
        verse_app(self).reader().go_to_reference(Reference((event.range,)))

    def action_references(self) -> None:
        from verse_tui.tui.chat.reference_picker import ReferencePicker
        from verse_tui.tui.chat.references import cited

        insight = self.stored.get(self.kind)
        found = [(label, rng) for _t, rng, label in cited(insight.text)] if insight else []
        if not found:
            self.notify("No verse references in this insight.", timeout=3)
            return

        def chosen(rng: VerseRange | None) -> None:
            if rng is not None:
                verse_app(self).reader().go_to_reference(Reference((rng,)))

        self.app.push_screen(ReferencePicker(found), chosen)
