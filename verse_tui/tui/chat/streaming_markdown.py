"""`ReplyBlocks`: a reply rendered as Markdown while it streams, without lag.

`Markdown.get_stream` re-lays out one ever larger document and stalls the event loop for
100+ ms on a 27 KB reply. Measured here, what costs is the number of widgets Textual walks on
every layout: a scrolling container only walks the children it shows, but walks everything
inside each of them. So a reply is not one widget: each finished top-level block (see
`blocks.py`) is its own small widget, parsed once (again only when it holds code, for Textual
issue 6518, or verse references, to make them links) and never touched after. Only the last,
growing block is appended to, at most once a frame; writes in between are coalesced.
`finish(text)` renders the last block complete and checks that what is shown is exactly the
reply's text.

Layout (issue 15): while a reply streams, every repaint of the growing block that changes its
height re-lays out the log, and the log's own arrangement walks every child it has. So the
finished blocks are not children of the log: they sit in `BlockGroup`s of at most `GROUP`
blocks, whose arrangement Textual caches until a block is added to that group. The log then
arranges a few groups instead of ~200 blocks. And the growing block asks for a layout only
when its height changes (a line was added); otherwise it is only repainted. Typing comes
first: a key's echo is drawn before the reply's next repaint, and while keys keep coming the
reply is repainted 5 times a second instead of 10 (`yield_to_typing`).
"""

from __future__ import annotations

import asyncio
import gc
import re
from time import monotonic

from rich.markdown import Markdown as RichMarkdown
from textual.containers import Vertical
from textual.geometry import Size
from textual.timer import Timer
from textual.visual import visualize
from textual.widget import Widget
from textual.widgets import Static

from verse_tui.domain.text import terminal_safe
from verse_tui.tui.chat.blocks import BlockSplitter, split_blocks
from verse_tui.tui.chat.citation_marks import Mark, with_marks
from verse_tui.tui.chat.references import linkify

CODE_THEME = "ansi_dark"
FRAME = 1 / 10  # seconds between repaints of the growing block (measured: 15/s echoed later)
TYPING_FRAME = 1 / 5  # the same while someone types (a key in the last TYPING seconds)
TYPING = 0.5
GROUP = 16  # finished blocks per `BlockGroup` (adding one re-arranges its group only)
_REFERENCE = re.compile(r"\d:\d")


def _needs_final_render(segment: str) -> bool:
    """Code blocks (Textual issue 6518) and references (links) need one full render."""
    return "```" in segment or "~~~" in segment or _REFERENCE.search(segment) is not None


class ReplyBlock(Static):
    """One top-level block of a reply (a paragraph, a list, a code block...), drawn by
    Rich's Markdown renderer: one widget, however many lines or list items it holds.
    `raw` is the block's text exactly as Claude wrote it."""

    DEFAULT_CSS = """
    ReplyBlock { height: auto; margin: 0 1 0 2; padding: 0; background: transparent; }
    """

    def __init__(self, raw: str = "", *, final: bool = True, classes: str = "") -> None:
        super().__init__(classes=classes)
        self.raw = ""
        self.marks: tuple[Mark, ...] = ()  # citation marks: drawn, never part of `raw`
        self._final = final
        self._height: tuple[int, int] | None = None  # (width, lines) measured for the content
        self.set_source(raw, final=final)

    def set_source(self, raw: str, *, final: bool) -> None:
        """Show `raw` (with its citation marks); a final block also gets its verse references
        as links."""
        self.raw, self._final = raw, final
        source = with_marks(raw, self.marks) if self.marks else raw
        shown = linkify(source) if final and _needs_final_render(raw) else source
        # Rich keeps ESC and most other control characters: show them as pictures instead.
        safe = terminal_safe(shown, multiline=True)
        markdown = RichMarkdown(safe, code_theme=CODE_THEME, hyperlinks=True)
        size, self._height = self.content_size, None
        if self.is_mounted and size.width:
            height = visualize(self, markdown, markup=False).get_height(
                self.styles.get_rules(), size.width
            )
            self._height = (size.width, height)
            if height == size.height:
                # The log's layout and scroll position stay: a repaint of this block only.
                self.update(markdown, layout=False)
                return
        # The `content` setter: it forgets the cached height and asks for a layout.
        self.content = markdown

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The height measured by `set_source` at this width, if any (one Rich render less)."""
        if self._height is not None and self._height[0] == width:
            return self._height[1]
        return super().get_content_height(container, viewport, width)

    def mark(self, marks: tuple[Mark, ...]) -> None:
        """Show these citation marks (see `citation_marks.py`); redrawn only on a change."""
        if marks != self.marks:
            self.marks = marks
            self.set_source(self.raw, final=self._final)


def warm_up(*, sdk: bool) -> None:
    """Off the event loop, before the first reply: import the anthropic SDK (`sdk`; ~1.3 s
    that would otherwise freeze the screen when the first reply starts), and render a code
    block and a table once (Pygments' lexer and styles, ~100 ms)."""
    import io
    from importlib import import_module

    from rich.console import Console

    if sdk:
        import_module("anthropic")

    sample = "```python\nx = 1\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    Console(file=io.StringIO(), width=80).print(RichMarkdown(sample, code_theme=CODE_THEME))


class BlockGroup(Vertical):
    """Up to `GROUP` finished blocks of one reply, laid out together (see the module doc)."""

    DEFAULT_CSS = """
    BlockGroup { height: auto; }
    """


def blocks_for(text: str, classes: str) -> list[ReplyBlock]:
    """The finished widgets of a whole reply (for replies loaded from history)."""
    return [ReplyBlock(segment, classes=classes) for segment in split_blocks(text)]


def grouped(blocks: list[ReplyBlock], classes: str) -> list[BlockGroup]:
    """`blocks` in groups of `GROUP`, in order."""
    return [
        BlockGroup(*blocks[at : at + GROUP], classes=classes) for at in range(0, len(blocks), GROUP)
    ]


class ReplyBlocks:
    """Mounts a streaming reply in `log`, before the `footer` widget: its finished blocks in
    `BlockGroup`s, then the growing block."""

    def __init__(self, log: Widget, footer: Widget, classes: str) -> None:
        self._log = log
        self._footer = footer
        self._classes = classes
        self._splitter = BlockSplitter()
        self._done: list[str] = []  # finished segments, as written
        self._pending: list[str] = []
        self._shown = ""  # what the growing block's widget has been given
        self._group: BlockGroup | None = None  # the group finished blocks go to
        self._tail: ReplyBlock | None = None
        self._timer: Timer | None = None
        self._lock = asyncio.Lock()  # one flush (or finish) at a time
        self._held = 0  # keys typed whose echo has not been drawn yet
        self._late = False  # a repaint came due while held
        self._typed_at = -TYPING  # when the last key was typed (monotonic seconds)
        self.updates = 0  # repaints of the growing block (for tests and benchmarks)

    @property
    def text(self) -> str:
        """Everything written so far (shown or about to be)."""
        return "".join(self._done) + self._splitter.tail + "".join(self._pending)

    @property
    def detached(self) -> bool:
        """The reply was taken off screen (another chat was opened): nothing more to show."""
        return self._footer.parent is None

    def write(self, text: str) -> None:
        """Add text; it shows within a frame."""
        if not text:
            return
        self._pending.append(text)
        if self._timer is None:
            typing = monotonic() - self._typed_at < TYPING
            delay = TYPING_FRAME if typing else FRAME
            self._timer = self._log.set_timer(delay, self._flush, name="reply-frame")

    def yield_to_typing(self) -> None:
        """A key was typed: draw its echo before the next repaint of the reply (which may
        re-lay out and scroll the log), not after it; and while keys keep coming, repaint
        the reply less often."""
        self._typed_at = monotonic()
        self._held += 1
        self._log.call_after_refresh(self._typing_shown)

    def _typing_shown(self) -> None:
        self._held -= 1
        if not self._held and self._late:
            self._late = False
            self._log.call_later(self._flush)

    async def _flush(self) -> None:
        self._timer = None
        if self._held and not self._late:  # put off once, never starved by typing
            self._late = True
            return
        self._late = False
        async with self._lock:
            if not self._pending or self.detached:
                return
            text = "".join(self._pending)
            self._pending.clear()
            finished = self._splitter.feed(text)
            tail = self._splitter.tail
            if not finished and len(tail) <= len(self._shown):
                return
            with self._log.app.batch_update():  # never a frame with a block shown twice
                if finished:
                    await self._close_segments(finished)
                await self._growing(tail)
            self._shown = tail
            self.updates += 1

    async def _growing(self, text: str) -> None:
        """The block being written, showing `text`; mounted with it when it is new (a
        block's first layout then already has its real height)."""
        if self._tail is None:
            self._tail = ReplyBlock(text, final=False, classes=self._classes)
            await self._log.mount(self._tail, before=self._footer)
        elif text != self._tail.raw:
            self._tail.set_source(text, final=False)

    async def _close_segments(self, segments: list[str]) -> None:
        """Show finished segments as final blocks, at the end of the last group."""
        blocks = [ReplyBlock(segment, final=True, classes=self._classes) for segment in segments]
        if self._tail is not None and self._tail.marks:
            # The growing block's text begins the first finished one: so do its marks.
            blocks[0].mark(self._tail.marks)
            self._tail.marks = ()
        self._done.extend(segments)
        while blocks:
            group = self._group
            if group is None or len(group.children) >= GROUP:
                group = self._group = BlockGroup(classes=self._classes)
                await self._log.mount(group, before=self._tail or self._footer)
            room = GROUP - len(group.children)
            await group.mount_all(blocks[:room])
            del blocks[:room]
        # Finished blocks live as long as the chat: keep full collections from rescanning
        # them (they cost 20-180 ms each mid-stream, measured).
        gc.freeze()

    async def finish(self, text: str) -> None:
        """The reply is over: show exactly `text`, its last block fully rendered."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        async with self._lock:
            if self.detached:
                return
            if text != self.text:  # never expected; the persisted text is the truth
                await self._rebuild(text)
                return
            rest = "".join(self._pending)
            self._pending.clear()
            segments = self._splitter.feed(rest)
            tail, self._splitter = self._splitter.tail, BlockSplitter()
            with self._log.app.batch_update():
                await self._close_segments([*segments, tail] if tail else segments)
                await self._drop_tail()

    async def _drop_tail(self) -> None:
        if self._tail is not None:
            await self._tail.remove()
        self._tail, self._shown = None, ""

    async def _rebuild(self, text: str) -> None:
        cls = self._classes.split()[0]
        await self._log.query_children(f".{cls}").filter("BlockGroup, ReplyBlock").remove()
        self._splitter, self._pending = BlockSplitter(), []
        self._tail, self._shown, self._group = None, "", None
        self._done = split_blocks(text)
        blocks = blocks_for(text, self._classes)
        await self._log.mount_all(grouped(blocks, self._classes), before=self._footer)
