"""Define a word of a verse: pick it with the keyboard, read the glossary at once and
Claude's sense in this verse as it streams; `s` saves it to My words."""

from __future__ import annotations

from contextlib import aclosing
from typing import TYPE_CHECKING, ClassVar

from rich.markdown import Markdown as RichMarkdown
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static
from textual.worker import Worker

from verse_tui.bible.glossary import normalise
from verse_tui.domain.bible import Verse, VerseRef
from verse_tui.domain.chat import StreamFailed, TextDelta, ToolUsed
from verse_tui.domain.lexicon import StrongsEntry
from verse_tui.domain.study import Definition, DefinitionReady, DefinitionStarted
from verse_tui.domain.text import terminal_safe
from verse_tui.errors import VerseError
from verse_tui.tui.claude import ClaudeWarmUp
from verse_tui.tui.host import services, verse_app
from verse_tui.tui.words.definition_text import glossary_text, lexicon_text, verse_words
from verse_tui.tui.worker_errors import ServiceCalls

if TYPE_CHECKING:
    from verse_tui.services.definitions import DefinitionService

HELP = "←/→ (h/l): choose a word · enter: define (again: its concordance) · s: save · esc: close"


class WordScreen(ServiceCalls, ClaudeWarmUp, ModalScreen[None]):
    """The word picker over one verse, and the definition of the chosen word."""

    CSS_PATH = "../styles/words.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "move(-1)", "Previous word", show=False),
        Binding("right,l", "move(1)", "Next word", show=False),
        Binding("home", "edge(0)", "First word", show=False),
        Binding("end", "edge(-1)", "Last word", show=False),
        Binding("enter", "define", "Define"),
        Binding("s", "save", "Save"),
        Binding("escape", "close", "Close"),
    ]

    def __init__(self, translation: str, verse: Verse) -> None:
        super().__init__(classes="picker")
        self.translation = translation
        self.verse = verse
        self.text = verse.plain_text
        self.words = verse_words(self.text)
        self.index = 0
        self.definition: Definition | None = None
        self.ai_text = ""
        self._stream: Worker[None] | None = None

    @property
    def word(self) -> str:
        start, end = self.words[self.index]
        return self.text[start:end]

    def compose(self) -> ComposeResult:
        from verse_tui.bible.references import format_range
        from verse_tui.domain.bible import VerseRange

        reference = format_range(VerseRange(self.verse.ref, self.verse.ref))
        with Vertical(classes="dialog", id="word-dialog"):
            yield Static(
                f"Define a word · {reference} ({self.translation})", classes="dialog-title"
            )
            yield Static(id="word-verse")
            with VerticalScroll(id="word-definition"):
                yield Static(id="word-glossary")
                yield Static(id="word-ai")
            yield Static("", id="word-notice", markup=False)
            yield Static(HELP, classes="dialog-help")

    def on_mount(self) -> None:
        self._show_verse()
        self.warm_up_claude()

    def _show_verse(self) -> None:
        start, end = self.words[self.index] if self.words else (0, 0)
        content = Content.assemble(
            self.text[:start], (self.text[start:end], "reverse bold"), self.text[end:]
        )
        self.query_one("#word-verse", Static).update(content)

    def action_move(self, step: int) -> None:
        if self.words:
            self.index = max(0, min(len(self.words) - 1, self.index + step))
            self._show_verse()

    def action_edge(self, which: int) -> None:
        if self.words:
            self.index = 0 if which == 0 else len(self.words) - 1
            self._show_verse()

    def _say(self, text: str, *, error: bool = False) -> None:
        notice = self.query_one("#word-notice", Static)
        notice.update(Content(terminal_safe(text)))  # plain text: no markup, no controls
        notice.set_class(error, "-error")

    def _markdown(self, selector: str, text: str) -> None:
        safe = terminal_safe(text, multiline=True)
        self.query_one(selector, Static).update(RichMarkdown(safe) if text else "")

    def action_define(self) -> None:
        if not self.words:
            return
        shown = self.definition
        if shown is not None and shown.word == normalise(self.word) and shown.strongs:
            self._open_concordance(shown.strongs[0])  # enter on the word card
            return
        self._stream = self._define(self.word)

    def _open_concordance(self, entry: StrongsEntry) -> None:
        from verse_tui.tui.study.concordance_screen import ConcordanceScreen

        def read(ref: VerseRef | None) -> None:
            if ref is not None:  # a verse chosen: read it, closing the word picker
                self.dismiss(None)
                reader = verse_app(self).reader()
                reader.open_chapter(ref.book, ref.chapter, cursor=ref)

        self.app.push_screen(ConcordanceScreen(entry), read)

    @property
    def definitions(self) -> DefinitionService:
        return services(self).definitions

    @work(
        exclusive=True,
        group="define",
        name="define-word",
        exit_on_error=False,
        description="Defining the word",
    )
    async def _define(self, word: str) -> None:
        self.definition, self.ai_text = None, ""
        self._markdown("#word-glossary", "")
        self._markdown("#word-ai", "")
        self._say(f"Looking up “{word}”…")
        stream = self.definitions.define_word_stream(word, self._reference(), self.translation)
        try:
            async with aclosing(stream) as events:
                async for event in events:
                    await self._on_event(event)
        except VerseError as error:
            self._say(error.message, error=True)

    def _reference(self) -> str:
        ref = self.verse.ref
        from verse_tui.bible import canon

        return f"{canon.book(ref.book).name} {ref.chapter}:{ref.verse}"

    async def _on_event(self, event: object) -> None:
        if isinstance(event, DefinitionStarted):
            self.definition = event.definition
            self._show_glossary(event.definition)
            self._say("Claude is explaining the sense in this verse… (esc closes)")
        elif isinstance(event, ToolUsed):  # one quiet line per local tool Claude called
            self._say(f"Claude is explaining the sense in this verse… ⚙ {event.summary}")
        elif isinstance(event, TextDelta):
            self.ai_text += event.text
            self._markdown("#word-ai", "**In this verse**\n\n" + self.ai_text)
        elif isinstance(event, DefinitionReady):
            self.definition = event.definition
            self._show_ready(event.definition)
        elif isinstance(event, StreamFailed):
            self._say(f"{event.message} The glossary's answer stands.", error=True)

    def _show_glossary(self, definition: Definition) -> None:
        glossary = glossary_text(definition.glossary)
        text = f"**From the glossary**\n\n{glossary}" if glossary else "_Not in the glossary._"
        lexicon = lexicon_text(definition.strongs)
        if lexicon:  # the original word card comes first
            text = f"**Original word** (Strong's)\n\n{lexicon}\n\n{text}"
        self._markdown("#word-glossary", text)

    def _show_ready(self, definition: Definition) -> None:
        self._show_glossary(definition)
        if definition.ai_text:
            self.ai_text = definition.ai_text
            by = f" ({definition.model})" if definition.model else ""
            self._markdown("#word-ai", f"**In this verse**{by}\n\n{definition.ai_text}")
        saved = " (saved answer)" if definition.cached else ""
        self._say(definition.notice or f"Press s to save “{definition.word}”{saved}.")

    def action_save(self) -> None:
        if self.definition is None:
            self._say("Define a word first (enter).")
            return
        self._save(self.definition)

    @work(group="define-save", name="save-word", exit_on_error=False, description="Saving the word")
    async def _save(self, definition: Definition) -> None:
        saved = await self.definitions.save_definition(definition)
        self._say(f"Saved “{saved.definition.word}” to My words (W in the reader).")

    def action_close(self) -> None:
        if self._stream is not None and self._stream.is_running:
            self._stream.cancel()
        self.dismiss(None)
