"""The chat log's frame cost while a reply grows (issue 15), in CPU time, so a loaded machine
changes it little.

Run: `pytest tests/benchmarks/bench_chat_layout.py -m bench -s` or
`python -m tests.benchmarks.bench_chat_layout [--step 12]`.

A `ChatLog` alone at 120x40 holds the first 27 KB of the benchmark's 30 KB reply (~180
finished blocks); the last 3,000 characters are then written `--step` characters at a time,
one repaint of the growing block each, and every frame the screen composes is timed with
`time.thread_time()` (the event loop's own CPU, not the wall clock). Reported: how many frames
needed a layout, their mean cost, and the total frame CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.benchmarks.chat_reply_text import long_reply

GROWN = 3_000  # characters written at the end, a step at a time


@dataclass
class FrameCosts:
    frames: list[float] = field(default_factory=list)
    layouts: list[float] = field(default_factory=list)

    def report(self) -> str:
        total = sum(self.frames)
        mean_layout = sum(self.layouts) / max(1, len(self.layouts))
        return (
            f"frames {len(self.frames)}, with a layout {len(self.layouts)} "
            f"(mean {mean_layout * 1000:.1f} ms CPU); all frames {total:.2f} s CPU"
        )


def time_frames(costs: FrameCosts) -> Any:
    """Wrap the screen's frame handler to time each frame; returns the original."""
    from textual.screen import Screen

    original = Screen._on_timer_update

    def timed(screen: Screen[Any]) -> None:
        layout = screen._layout_required
        start = time.thread_time()
        original(screen)
        spent = time.thread_time() - start
        costs.frames.append(spent)
        if layout:
            costs.layouts.append(spent)

    Screen._on_timer_update = timed  # type: ignore[method-assign]
    return original


async def measure(step: int) -> FrameCosts:
    from textual.app import App, ComposeResult
    from textual.screen import Screen

    from verse_tui.tui.chat.chat_log import ChatLog

    class LogApp(App[None]):
        def compose(self) -> ComposeResult:
            yield ChatLog()

    text, costs = long_reply(30_000), FrameCosts()
    original = time_frames(costs)
    try:
        async with LogApp().run_test(size=(120, 40)) as pilot:
            log = pilot.app.query_one(ChatLog)
            blocks = await log.start_reply(7)
            blocks.write(text[:-GROWN])
            await blocks._flush()
            await pilot.pause()
            costs.frames.clear()
            costs.layouts.clear()
            for at in range(len(text) - GROWN, len(text), step):
                blocks.write(text[at : at + step])
                await blocks._flush()
                await pilot.pause()
            await blocks.finish(text)
            assert log.reply_text(7) == text
    finally:
        Screen._on_timer_update = original  # type: ignore[method-assign]
    return costs


@pytest.mark.bench
def test_bench_chat_log_frames() -> None:
    print(asyncio.run(measure(12)).report())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--step", type=int, default=12, help="characters per repaint")
    print(asyncio.run(measure(parser.parse_args().step)).report())


if __name__ == "__main__":
    main()
