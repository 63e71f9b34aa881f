"""Chat streaming speed (issue 3): what persisting a streamed reply costs, and many at once.

Run: `pytest tests/benchmarks/bench_chat.py -m bench -s` or `python tests/benchmarks/bench_chat.py`.
The fake Anthropic server runs in its own process (`python -m tests.support.fake_anthropic`),
so the measured event loop holds only the app's work: the real anthropic client, ChatService
and aiosqlite. Prints figures; asserts only correctness (every reply saved, no lock errors).

1. Overhead: a 2,000-token reply at full speed, through `LlmClient.stream` alone vs through
   `ChatService.send_message_stream` (question + reply row, checkpoints, final write), the
   same request and the same stream from the same server. Pairs of runs back to back, their
   order alternating (so drift and whichever-goes-first effects fall on both sides), after
   warm-up pairs; the figure is the median extra time of the persisted run of a pair over
   the median plain run, over the pairs of all rounds (each round is also printed). Each
   persisted run asks the first question of a new chat (the costliest case: the chat is also
   renamed after it).
   Target: <= 5 % of wall time.
2. 100 concurrent streamed chats on one SQLite file, 150 tokens each at 50 tokens/s: wall time,
   throughput, lock errors (target 0) and the largest event-loop stall seen by a probe that
   sleeps 5 ms at a time (target <= 20 ms).
3. The same 100 chats with a synchronous-SQLAlchemy store run in a thread pool (the design of
   the original backend, never measured there): same transactions, same checkpoint schedule.
"""

from __future__ import annotations

import asyncio
import gc
import os
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.benchmarks.chat_sync_store import SyncChatStore
from tests.conftest import make_settings
from tests.support.fake_anthropic import FAKE_API_KEY
from verse_tui.app_factory import Services, build_services
from verse_tui.config import USER_DB_NAME
from verse_tui.db.models.chats import Message
from verse_tui.domain.chat import StreamFailed, StreamFinished, StreamStarted, TextDelta
from verse_tui.llm.client import LlmClient, LlmMessage
from verse_tui.llm.errors import LlmError
from verse_tui.llm.prompts import system_blocks
from verse_tui.services.stream_persistence import CHECKPOINT_INTERVAL

pytestmark = pytest.mark.bench

ROOT = Path(__file__).resolve().parents[2]
OVERHEAD_TOKENS = 2000
OVERHEAD_ROUNDS = 3
OVERHEAD_PAIRS = 31  # measured pairs per round
OVERHEAD_WARM_UP = 3  # pairs run and discarded first, in each round
CONCURRENT_CHATS = 100
CONCURRENT_TOKENS = 150
CONCURRENT_ROUNDS = 3
TOKEN_DELAY = 0.02  # 50 tokens/s per stream, about Claude's pace
PROBE_SLEEP = 0.005
MAX_TOKENS = 8192


def reply_text(tokens: int) -> str:
    words = ("grace ", "faith ", "hope ", "love ")
    return "".join(words[i % 4] for i in range(tokens))  # one 5-6 character chunk per token


@asynccontextmanager
async def fake_server(tokens: int, delay: float) -> AsyncIterator[str]:
    """The fake Anthropic server in a subprocess; yields its URL."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.support.fake_anthropic",
        "--reply",
        reply_text(tokens),
        "--split-words",
        "--delay",
        str(delay),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    url = (await asyncio.wait_for(process.stdout.readline(), 30)).decode().strip()
    try:
        yield url
    finally:
        process.terminate()
        await process.wait()


@asynccontextmanager
async def app_services(home: Path, url: str) -> AsyncIterator[Services]:
    settings = make_settings(home, f"sqlite+aiosqlite:///{home / USER_DB_NAME}")
    llm = LlmClient(api_key=FAKE_API_KEY, base_url=url, max_retries=0)
    services = await build_services(settings, llm=llm)
    try:
        yield services
    finally:
        await services.aclose()


class LoopLagProbe:
    """Sleeps 5 ms at a time and records how late it wakes up: the loop's stalls. Also records
    the garbage collector's pauses, which stall the loop whatever the code does."""

    def __init__(self) -> None:
        self.lags: list[float] = []
        self.gc_pauses: list[float] = []
        self._gc_started = 0.0
        self._task: asyncio.Task[None] | None = None

    def _on_gc(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.gc_pauses.append(time.perf_counter() - self._gc_started)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            await asyncio.sleep(PROBE_SLEEP)
            self.lags.append(loop.time() - started - PROBE_SLEEP)

    def __enter__(self) -> LoopLagProbe:
        self._task = asyncio.get_running_loop().create_task(self._run())
        gc.callbacks.append(self._on_gc)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        gc.callbacks.remove(self._on_gc)

    @property
    def max_lag(self) -> float:
        return max(self.lags, default=0.0)

    def summary(self) -> str:
        ordered = sorted(self.lags)
        p99 = ordered[int(len(ordered) * 0.99)] if ordered else 0.0
        worst_gc = max(self.gc_pauses, default=0.0)
        return (
            f"max stall {self.max_lag * 1000:5.1f} ms (largest GC pause {worst_gc * 1000:5.1f} ms)"
            f", p99 {p99 * 1000:4.1f} ms"
        )


@dataclass
class OverheadRound:
    plain: list[float] = field(default_factory=list)
    persisted: list[float] = field(default_factory=list)
    before_call: list[float] = field(default_factory=list)  # start to StreamStarted

    @property
    def paired_extra(self) -> float:
        """The median of (persisted - plain) over pairs run back to back: load that comes and
        goes on the machine hits both runs of a pair, so it cancels here."""
        return statistics.median(b - a for a, b in zip(self.plain, self.persisted, strict=True))

    @property
    def overhead(self) -> float:
        return self.paired_extra / statistics.median(self.plain)

    @property
    def ratio_of_medians(self) -> float:
        """Less robust to load that changes within a round; printed for comparison."""
        return statistics.median(self.persisted) / statistics.median(self.plain) - 1


async def bench_overhead() -> OverheadRound:
    rounds: list[OverheadRound] = []
    async with fake_server(OVERHEAD_TOKENS, 0.0) as url:
        for _ in range(OVERHEAD_ROUNDS):
            with tempfile.TemporaryDirectory() as tmp:
                async with app_services(Path(tmp), url) as services:
                    rounds.append(await _overhead_round(services))
    pooled = OverheadRound()
    for measured in rounds:
        pooled.plain += measured.plain
        pooled.persisted += measured.persisted
        pooled.before_call += measured.before_call
    extra, real_pace = pooled.paired_extra, OVERHEAD_TOKENS / 50  # s at 50 tokens/s
    print(
        f"\n2,000-token reply at full speed, {OVERHEAD_ROUNDS} rounds of {OVERHEAD_PAIRS} pairs "
        f"(order alternating, {OVERHEAD_WARM_UP} warm-up pairs each), medians of all pairs; "
        f"load average {os.getloadavg()[0]:.2f} (other work on the machine inflates both sides "
        "and the thread round trips of the persisted side):\n"
        f"  stream only       {statistics.median(pooled.plain) * 1000:8.1f} ms\n"
        f"  stream + persist  {statistics.median(pooled.persisted) * 1000:8.1f} ms\n"
        f"  overhead          {pooled.overhead * 100:8.1f} %   (target <= 5 %; per round: "
        f"{_percents(r.overhead for r in rounds)})\n"
        f"  paired difference {extra * 1000:8.1f} ms (median of all pairs)\n"
        f"  (ratio of the medians per round: {_percents(r.ratio_of_medians for r in rounds)})\n"
        f"  question saved    {statistics.median(pooled.before_call) * 1000:8.1f} ms "
        "(start to StreamStarted)\n"
        f"  the same {extra * 1000:.1f} ms on a reply arriving at 50 tokens/s "
        f"({real_pace:.0f} s): {extra / real_pace * 100:.3f} %"
    )
    return pooled


def _percents(values: Iterable[float]) -> str:
    return ", ".join(f"{value * 100:.1f} %" for value in values)


async def _overhead_round(services: Services) -> OverheadRound:
    llm, chats = services.llm, services.chats
    question = [LlmMessage("user", "Count")]  # what send_message_stream sends in a new chat
    measured = OverheadRound()

    # Both consumers do the same per-event work (none) and check the outcome after the loop.
    async def plain() -> float:
        started = time.perf_counter()
        events = llm.stream(question, system=system_blocks(None), max_tokens=MAX_TOKENS)
        async for last in events:  # noqa: B007 (the last event is checked after the loop)
            pass
        elapsed = time.perf_counter() - started
        assert isinstance(last, StreamFinished), last
        return elapsed

    async def persisted(chat_id: int) -> tuple[float, float]:
        started = time.perf_counter()
        events = chats.send_message_stream(chat_id, "Count", max_tokens=MAX_TOKENS)
        first = await anext(events)
        saved = time.perf_counter() - started
        async for last in events:  # noqa: B007 (the last event is checked after the loop)
            pass
        elapsed = time.perf_counter() - started
        assert isinstance(first, StreamStarted) and isinstance(last, StreamFinished), last
        return elapsed, saved

    for pair in range(OVERHEAD_WARM_UP + OVERHEAD_PAIRS):
        chat = await chats.create_standalone_chat()
        if pair % 2:
            (with_db, saved), without = await persisted(chat.id), await plain()
        else:
            without, (with_db, saved) = await plain(), await persisted(chat.id)
        if pair >= OVERHEAD_WARM_UP:
            measured.plain.append(without)
            measured.persisted.append(with_db)
            measured.before_call.append(saved)
    return measured


@dataclass
class ConcurrentResult:
    label: str
    wall: float = 0.0
    saved: int = 0
    errors: list[str] = field(default_factory=list)
    checkpoint_transactions: int = 0
    probe: LoopLagProbe = field(default_factory=LoopLagProbe)

    def report(self) -> str:
        locks = sum("locked" in e for e in self.errors)
        tokens = self.saved * CONCURRENT_TOKENS / self.wall
        return (
            f"  {self.label:<32} wall {self.wall:5.2f} s, {self.saved}/{CONCURRENT_CHATS} saved, "
            f"{tokens:5.0f} tokens/s, {self.checkpoint_transactions:3d} checkpoint tx, "
            f"errors {len(self.errors)} (locked {locks}), {self.probe.summary()}"
        )


async def run_concurrently(label: str, one: Callable[[int], Awaitable[bool]]) -> ConcurrentResult:
    result = ConcurrentResult(label)
    with result.probe:
        started = time.perf_counter()
        outcomes = await asyncio.gather(
            *(one(i) for i in range(CONCURRENT_CHATS)), return_exceptions=True
        )
        result.wall = time.perf_counter() - started
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            result.errors.append(f"{type(outcome).__name__}: {outcome}")
        elif outcome:
            result.saved += 1
    return result


async def bench_concurrent() -> tuple[list[ConcurrentResult], list[ConcurrentResult]]:
    async_runs: list[ConcurrentResult] = []
    sync_runs: list[ConcurrentResult] = []
    print(
        f"\n{CONCURRENT_CHATS} concurrent chats, {CONCURRENT_TOKENS} tokens each at "
        f"{1 / TOKEN_DELAY:.0f} tokens/s, checkpoints every {CHECKPOINT_INTERVAL} s, "
        f"{CONCURRENT_ROUNDS} rounds:"
    )
    async with fake_server(CONCURRENT_TOKENS, TOKEN_DELAY) as url:
        for _ in range(CONCURRENT_ROUNDS):
            async_runs.append(await _async_round(url))
            print(async_runs[-1].report())
            sync_runs.append(await _sync_round(url))
            print(sync_runs[-1].report())
        print("after gc.collect(); gc.freeze() (what an app can do once it has started):")
        gc.collect()
        gc.freeze()
        try:
            print((await _async_round(url)).report())
            print((await _sync_round(url)).report())
        finally:
            gc.unfreeze()
    return async_runs, sync_runs


async def _async_round(url: str) -> ConcurrentResult:
    with tempfile.TemporaryDirectory() as tmp:
        async with app_services(Path(tmp), url) as services:
            chats = services.chats
            await _warm_up(services.llm)

            async def one(i: int) -> bool:
                async for event in chats.create_standalone_chat_stream(f"Question {i}"):
                    if isinstance(event, StreamFailed):
                        raise RuntimeError(event.message)
                return isinstance(event, StreamFinished)

            result = await run_concurrently("async (aiosqlite, ChatService)", one)
            result.saved = await _count_saved(services, reply_text(CONCURRENT_TOKENS))
            result.checkpoint_transactions = chats.checkpointer.transactions
    return result


async def _sync_round(url: str) -> ConcurrentResult:
    with tempfile.TemporaryDirectory() as tmp:
        async with app_services(Path(tmp), url) as services:
            store = SyncChatStore(Path(tmp) / USER_DB_NAME, services.identity.user_id)
            await _warm_up(services.llm)
            try:
                result = await run_concurrently(
                    "sync SQLAlchemy in a thread pool",
                    lambda i: _one_sync(store, services.llm, i),
                )
                expected = reply_text(CONCURRENT_TOKENS)
                result.saved = await asyncio.to_thread(store.count_saved, expected)
                result.checkpoint_transactions = store.checkpoints
            finally:
                store.close()
    return result


async def _warm_up(llm: LlmClient) -> None:
    """One reply first, so the SDK client and its connection pool exist before measuring."""
    async for _ in llm.stream([LlmMessage("user", "warm up")], system="", max_tokens=10):
        pass


async def _count_saved(services: Services, expected: str) -> int:
    async with services.database.reader.begin() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(Message)
            .where(
                Message.role == "assistant",
                Message.status == "complete",
                Message.text == expected,
            )
        )
    return int(count or 0)


async def _one_sync(store: SyncChatStore, llm: LlmClient, i: int) -> bool:
    loop = asyncio.get_running_loop()
    reply_id = await asyncio.to_thread(store.start, f"Question {i}")
    parts: list[str] = []
    last = loop.time()
    try:
        async for event in llm.stream(
            [LlmMessage("user", f"Question {i}")], system=system_blocks(None), max_tokens=MAX_TOKENS
        ):
            if isinstance(event, TextDelta):
                parts.append(event.text)
                if loop.time() - last >= CHECKPOINT_INTERVAL:
                    await asyncio.to_thread(store.checkpoint, reply_id, "".join(parts))
                    last = loop.time()
            elif isinstance(event, StreamFinished):
                await asyncio.to_thread(store.finish, reply_id, event)
    except LlmError as error:
        await asyncio.to_thread(store.fail, reply_id, "".join(parts), str(error))
        raise
    return True


def run_all() -> None:
    async def main() -> None:
        await bench_overhead()
        async_runs, sync_runs = await bench_concurrent()
        wall = [statistics.median(r.wall for r in runs) for runs in (async_runs, sync_runs)]
        stall = [
            statistics.median(r.probe.max_lag for r in runs) for runs in (async_runs, sync_runs)
        ]
        print(
            f"  medians: async wall {wall[0]:.2f} s, largest stall {stall[0] * 1000:.1f} ms; "
            f"sync wall {wall[1]:.2f} s, largest stall {stall[1] * 1000:.1f} ms"
        )
        print(
            f"  sync/async: wall-time ratio {wall[1] / wall[0]:.2f}, "
            f"largest-stall ratio {stall[1] / stall[0]:.1f}"
        )
        for result in async_runs:
            assert result.saved == CONCURRENT_CHATS and not result.errors, result.errors

    asyncio.run(main())


def test_bench_chat() -> None:
    run_all()


if __name__ == "__main__":
    run_all()
