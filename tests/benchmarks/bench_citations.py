"""Citation check and tool speed (issue 12), in process.

Run: `pytest tests/benchmarks/bench_citations.py -m bench -s` or
`python tests/benchmarks/bench_citations.py`.
Targets: checking a 30 KB reply's citations <= 20 ms; a tool call <= 5 ms. The reply is
built from the shipped text: about 60 references and quotations of every kind (verified,
archaic spellings, other translations, ellipses, close, misquoted, not found, invented
verses, block quotes, lower case) between paragraphs of prose. Prints medians of wall
and thread CPU time; asserts nothing about time (the machine is shared).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections.abc import Callable

import pytest

from verse_tui.bible.citations import CitationChecker, ReplyCitations
from verse_tui.bible.references import format_range, parse_reference
from verse_tui.bible.sqlite_bible_client import SqliteBibleClient
from verse_tui.config import Settings
from verse_tui.services.bible import BibleService
from verse_tui.services.study_library import StudyService
from verse_tui.services.tools import ToolExecutor

pytestmark = pytest.mark.bench

RUNS = 60
TARGET_BYTES = 30_000
QUOTED = (
    "John 3:16", "Rom 5:8", "Ps 23:1", "Gen 1:1", "Rom 8:28", "Phil 4:13", "Isa 53:5",
    "Jer 29:11", "Prov 3:5", "Matt 6:33", "John 14:6", "Heb 11:1", "Eph 2:8", "2 Tim 3:16",
    "1 John 4:8", "Rom 3:23", "Rom 6:23", "Ps 119:105", "Josh 1:9", "Matt 11:28",
)  # fmt: skip
TROUBLE = (
    'John 3:16 says "For God so hated the world".',
    'Hebrews 13:5: "I will never leave you nor forsake you."',
    'Proverbs 16:9 says "God helps those who help themselves."',
    'John 3:17 says "For God so loved the world".',
    "As john 22:5 and Jude 1:30 show, invented verses happen.",
    "> Blessed are the cheese makers, for they shall inherit the dairy.",
)
PROSE = (
    "The passage sits within a larger argument, and its force depends on what comes before "
    "and after it. Readers across the centuries have returned to these words in seasons of "
    "doubt, and commentators note how the author's language echoes earlier scripture while "
    "pressing it toward a new conclusion about grace, faithfulness and the life of the "
    "community that gathers around the text. "
)


def build_reply(client: SqliteBibleClient) -> str:
    """About 30 KB of Markdown reply with citations of every kind."""
    paragraphs: list[str] = []
    for index, typed in enumerate(QUOTED):
        reference = parse_reference(typed)
        code = ("KJV", "WEB", "ASV", "KJV")[index % 4]
        text = client.passage(code, reference).verses[0].plain_text
        words = text.split()
        written = format_range(reference.ranges[0])
        written = written.lower() if index % 5 == 0 else written
        if index % 3 == 0:
            quote = " ".join(words[:5]) + " … " + " ".join(words[-4:])
            paragraphs.append(f"{PROSE}As {written} puts it, “{quote}”")
        elif index % 3 == 1:
            paragraphs.append(f"{written} reads:\n\n> {text}\n\n{PROSE}")
        else:
            paragraphs.append(f'{PROSE}Compare "{" ".join(words[:8])}" ({written}).')
    paragraphs.extend(TROUBLE)
    reply = "\n\n".join(paragraphs)
    while len(reply.encode()) < TARGET_BYTES:
        reply += "\n\n" + PROSE + "See Romans 12:1-2; 13:8 and Psalm 23."
    return reply


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    return (
        f"median {statistics.median(ordered) * 1000:7.3f} ms   "
        f"min {ordered[0] * 1000:7.3f}   p90 {ordered[int(len(ordered) * 0.9)] * 1000:7.3f}"
    )


def time_call(call: Callable[[], object], runs: int = RUNS) -> list[float]:
    call()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return samples


def cpu_call(call: Callable[[], object], runs: int = RUNS) -> str:
    """Median CPU time of this thread per call: what a loaded machine's wall time hides."""
    samples = []
    for _ in range(runs):
        start = time.thread_time()
        call()
        samples.append(time.thread_time() - start)
    return f"cpu median {statistics.median(samples) * 1000:7.3f} ms"


def bench_citations() -> None:
    client = SqliteBibleClient(Settings.from_env().bible_path)
    reply = build_reply(client)
    checker = CitationChecker(client, "KJV")
    found = checker.check_text(reply)
    verdicts = {v: sum(c.verdict == v for c in found) for v in {c.verdict for c in found}}
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"reply {len(reply.encode()):,} bytes, {len(found)} citations: {verdicts}")

    def cold() -> object:
        return CitationChecker(client, "KJV").check_text(reply)

    def warm() -> object:
        return checker.check_text(reply)

    print(f"{'check 30 KB reply, new checker':<36} {_ms(time_call(cold))}   {cpu_call(cold)}")
    print(f"{'check 30 KB reply, warm checker':<36} {_ms(time_call(warm))}   {cpu_call(warm)}")
    worst: list[float] = []
    for _ in range(10):
        stream = ReplyCitations(CitationChecker(client, "KJV"))
        for start in range(0, len(reply), 40):
            began = time.perf_counter()
            stream.feed(reply[start : start + 40])
            worst.append(time.perf_counter() - began)
        stream.finish()
    print(f"{'largest single feed (40-char deltas)':<36} max {max(worst) * 1000:7.3f} ms")
    client.close()


async def _tool_samples(tools: ToolExecutor, name: str, arguments: dict) -> list[float]:
    await tools.run(name, arguments)
    samples = []
    for _ in range(RUNS * 3):
        start = time.perf_counter()
        outcome = await tools.run(name, arguments)
        samples.append(time.perf_counter() - start)
    assert outcome.summary
    return samples


async def bench_tools() -> None:
    client = SqliteBibleClient(Settings.from_env().bible_path)
    study = StudyService()
    tools = ToolExecutor(BibleService(client), translation="KJV", study=study)
    calls = [
        ("read_passage", {"reference": "Romans 5:8"}),
        ("read_passage", {"reference": "Psalm 119", "translation": "WEB"}),
        ("read_passage", {"reference": "John 22:5"}),
        ("search_bible", {"query": "faith"}),
        ("search_bible", {"query": '"living water"', "book": "John"}),
        ("search_bible", {"query": "love AND neighbour", "limit": 25}),
        ("strongs_entry", {"number": "G26"}),
        ("strongs_entry", {"number": "H430"}),
        ("strongs_entry", {"number": "G99999"}),
        ("commentary", {"reference": "Romans 8:28"}),
        ("commentary", {"reference": "Romans 8"}),
        ("commentary", {"reference": "Psalm 119", "source": "tdavid"}),
        ("topics", {"reference": "Romans 8:28"}),
        ("topics", {"reference": "Psalm 119"}),
        ("topic", {"name": "faith"}),
    ]
    for name, arguments in calls:
        samples = await _tool_samples(tools, name, arguments)
        label = f"{name} {next(iter(arguments.values()))}"
        print(f"{label:<36} {_ms(samples)}")
    study.close()
    client.close()


def test_bench_citations() -> None:
    bench_citations()


def test_bench_tools() -> None:
    asyncio.run(bench_tools())


if __name__ == "__main__":
    bench_citations()
    asyncio.run(bench_tools())
