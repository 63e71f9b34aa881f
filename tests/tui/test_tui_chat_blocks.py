"""Cutting a streamed Markdown reply into blocks: never a byte lost or moved, whatever the
chunking; code fences and indented continuations never cut; references become links."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.benchmarks.chat_reply_text import long_reply
from tests.support.tui import until
from verse_tui.domain.bible import VerseRange, VerseRef
from verse_tui.tui.chat.blocks import BlockSplitter, split_blocks
from verse_tui.tui.chat.references import linkify, parse_href

PIECES = st.sampled_from(
    [
        "# Title\n",
        "Text ",
        "more text\n",
        "\n",
        "\n\n",
        "- item\n",
        "  indented\n",
        "```\n",
        "```py\n",
        "x = 1\n",
        "~~~\n",
        "1. one\n",
        "> quote\n",
        "| a | b |\n",
        "Rom 5:8 ",
        "`code`",
    ]
)


def feed_in_chunks(text: str, sizes: list[int]) -> list[str]:
    splitter, out, at = BlockSplitter(), [], 0
    for size in sizes:
        out += splitter.feed(text[at : at + size])
        at += size
    out += splitter.feed(text[at:])
    return [*out, splitter.tail] if splitter.tail else out


@given(st.lists(PIECES, max_size=40), st.lists(st.integers(1, 9), max_size=60))
def test_chunking_never_changes_the_blocks_or_the_text(pieces, sizes):
    text = "".join(pieces)
    blocks = feed_in_chunks(text, sizes)
    assert "".join(blocks) == text
    assert blocks == split_blocks(text)


def test_blocks_end_at_blank_lines_outside_code_and_continuations():
    text = "Para one\nline two\n\n- a\n\n  continued\n\n```\nx\n\ny\n```\n\nEnd"
    assert split_blocks(text) == [
        "Para one\nline two\n\n",
        "- a\n\n  continued\n\n",
        "```\nx\n\ny\n```\n\n",
        "End",
    ]


def test_a_long_reply_has_one_block_per_top_level_element():
    text = long_reply(5_000)
    blocks = split_blocks(text)
    assert "".join(blocks) == text
    assert all(b.count("```") in (0, 2) for b in blocks)  # a code block is never split


def test_references_become_links_outside_code():
    shown = linkify("See Rom 5:8 and `John 3:16`, [Gen 1:1](x).")
    assert shown.startswith("See [Rom 5:8](verse:45.5.8-45.5.8) and `John 3:16`")
    assert "[Gen 1:1](x)" in shown
    assert linkify("```\nJohn 3:16\n```\n") == "```\nJohn 3:16\n```\n"
    assert linkify("so john 3:16 and JOHN 3:17; is 5:3 or John 22:5") == (
        "so [john 3:16](verse:43.3.16-43.3.16) and [JOHN 3:17](verse:43.3.17-43.3.17); "
        "is 5:3 or John 22:5"
    )
    assert parse_href("verse:45.5.8-45.5.8") == VerseRange(VerseRef(45, 5, 8), VerseRef(45, 5, 8))
    assert parse_href("https://example.com") is None


async def test_the_saved_text_wins_if_what_was_shown_differs():
    from textual.app import App, ComposeResult

    from verse_tui.tui.chat.chat_log import ChatLog

    class LogApp(App[None]):
        def compose(self) -> ComposeResult:
            yield ChatLog()

    app = LogApp()
    async with app.run_test() as pilot:
        log = app.query_one(ChatLog)
        blocks = await log.start_reply(7)
        blocks.write("Para one\n\nPara ")
        await until(pilot, lambda: log.reply_text(7) == "Para one\n\nPara ", what="the text")
        await blocks.finish("Para one\n\nPara two, as saved.\n\n- a list")
        assert log.reply_text(7) == "Para one\n\nPara two, as saved.\n\n- a list"
        await blocks.finish("Something else entirely")  # e.g. the persisted text differs
        assert log.reply_text(7) == "Something else entirely"


async def test_a_long_reply_lays_out_as_a_few_groups_of_finished_blocks():
    """Issue 15: the log arranges groups, not ~200 blocks, on every layout while it streams."""
    from textual.app import App, ComposeResult

    from verse_tui.tui.chat.chat_log import ChatLog
    from verse_tui.tui.chat.streaming_markdown import GROUP, BlockGroup

    class LogApp(App[None]):
        def compose(self) -> ComposeResult:
            yield ChatLog()

    text = long_reply(6_000)
    app = LogApp()
    async with app.run_test() as pilot:
        log = app.query_one(ChatLog)
        blocks = await log.start_reply(7)
        for at in range(0, len(text), 500):
            blocks.write(text[at : at + 500])
            await pilot.pause()
        await blocks.finish(text)
        groups = list(log.query_children(BlockGroup))
        assert len(split_blocks(text)) > 2 * GROUP
        assert len(log.children) < len(split_blocks(text)) // 4
        assert all(0 < len(group.children) <= GROUP for group in groups)
        assert log.reply_text(7) == text


async def test_a_mark_placed_while_its_block_grew_stays_when_the_block_is_finished():
    """The growing block is one widget for every block in turn: a citation mark it showed
    goes with its text to the finished block in the group."""
    from textual.app import App, ComposeResult

    from verse_tui.domain.citations import Citation
    from verse_tui.tui.chat.chat_log import ChatLog
    from verse_tui.tui.chat.streaming_markdown import BlockGroup, ReplyBlock

    class LogApp(App[None]):
        def compose(self) -> ComposeResult:
            yield ChatLog()

    first = "See John 3:16 on this."
    app = LogApp()
    async with app.run_test() as pilot:
        log = app.query_one(ChatLog)
        blocks = await log.start_reply(7)
        blocks.write(first)
        await until(pilot, lambda: log.reply_text(7) == first, what="the growing block")
        start = first.index("John")
        log.citations_checked(
            7, (Citation("John.3.16", None, "verified", None, None, start, start + 9),)
        )
        await until(pilot, lambda: bool(log.query_one(ReplyBlock).marks), what="the mark")
        blocks.write("\n\nNext paragraph")
        await until(pilot, lambda: len(log.query("BlockGroup ReplyBlock")) == 1, what="finished")
        finished = log.query_one(BlockGroup).query_one(ReplyBlock)
        growing = log.query_children(ReplyBlock).last()
        assert finished.raw == first + "\n\n" and len(finished.marks) == 1
        assert growing.marks == () and growing.raw == "Next paragraph"
