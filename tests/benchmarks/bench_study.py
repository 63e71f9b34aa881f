"""Study library speed (issue 11): in-process lookups and whole `verse strongs` processes.

Run: `pytest tests/benchmarks/bench_study.py -m bench -s`, or run the file directly.
Targets: word card (a verse's tags + the entry) <= 5 ms in process; the concordance of G2316
(1,171 verses) <= 30 ms; commentary for a chapter <= 10 ms; `verse strongs G26` as a whole
process <= 1.2x `verse read "John 3:16"`. Prints medians; asserts nothing about time.
"""

from __future__ import annotations

import os
import statistics
import sys

import pytest

from tests.benchmarks.bench_cli import _compile_package, _ms, time_call, time_process, verse_script

pytestmark = pytest.mark.bench


def bench_calls() -> None:
    from verse_tui.bible.references import parse_reference
    from verse_tui.bible.sqlite_study_client import SqliteStudyClient, study_db_path
    from verse_tui.domain.bible import VerseRef

    client = SqliteStudyClient(study_db_path())
    verse = VerseRef(46, 13, 4)

    def word_card() -> object:
        [words] = client.verse_words(verse)
        number = next(w.numbers[0] for w in words.words if w.text == "Charity")
        return client.entry(number)

    romans8, psalm119 = parse_reference("Romans 8"), parse_reference("Psalm 119")
    calls = {
        "word card (1 Cor 13:4 charity)": word_card,
        "entry H430": lambda: client.entry("H430"),
        "concordance G2316, first 20": lambda: client.concordance("G2316"),
        "concordance G2316, all 1,171": lambda: client.concordance("G2316", limit=2000),
        "commentary Romans 8 (mhcc)": lambda: client.commentary(romans8),
        "commentary Psalm 119 (tdavid)": lambda: client.commentary(psalm119, "tdavid"),
        "topics of John 3:16": lambda: client.topics_of(parse_reference("John 3:16")),
        "topic FAITH": lambda: client.topic("faith"),
    }
    for label, call in calls.items():
        print(f"{label:<34} {_ms(time_call(call, runs=100))}")
    client.close()


def bench_processes() -> None:
    script = verse_script()
    _compile_package()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    medians = {}
    for label, args in {
        'verse read "John 3:16"': ["read", "John 3:16"],
        "verse strongs G26": ["strongs", "G26"],
        "verse strongs G26 --json": ["strongs", "G26", "--json"],
        "verse search --strongs G2316": ["search", "--strongs", "G2316"],
        'verse commentary "Rom 8"': ["commentary", "Rom 8"],
    }.items():
        wall, _cpu = time_process([script, *args])
        medians[label] = statistics.median(wall)
        print(f"{label:<34} {_ms(wall)}")
    ratio = medians["verse strongs G26"] / medians['verse read "John 3:16"']
    print(f"verse strongs / verse read: {ratio:.2f}x (target <= 1.2x)")


def test_bench_calls() -> None:
    bench_calls()


def test_bench_processes() -> None:
    bench_processes()


if __name__ == "__main__":
    sys.path.insert(0, ".")
    bench_calls()
    bench_processes()
