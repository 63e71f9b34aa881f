"""Search by meaning: the shipped model and vectors, the paraphrase set's recall, the routing
of references and quoted phrases, the CLI, and the lazy load."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import Verse, run_process
from verse_tui.bible import meaning_search
from verse_tui.bible.meaning import MEANING_DB_NAME, MeaningDataError, MeaningIndex
from verse_tui.bible.meaning_search import search_meaning
from verse_tui.bible.references import parse_reference
from verse_tui.bible.wordpiece import tokenize
from verse_tui.config import shipped_data_dir
from verse_tui.errors import InputError

QUERIES = Path(__file__).resolve().parent.parent / "data" / "meaning_queries.tsv"
DEV_QUERIES = QUERIES.with_name("meaning_dev_queries.tsv")  # for tuning; QUERIES is held out


def paraphrase_set(path: Path = QUERIES) -> list[tuple[str, set[int]]]:
    """(query, verse keys that count as found) from tests/data/meaning_queries.tsv (the
    held-out test set) or another file of that form."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, refs = line.split("\t")
        keys = set()
        for ref in refs.split(";"):
            start = parse_reference(ref).ranges[0].start
            keys.add(start.book * 1_000_000 + start.chapter * 1000 + start.verse)
        found.append((query, keys))
    return found


@pytest.fixture(scope="module")
def index() -> MeaningIndex:
    return meaning_search.meaning_index()


def test_the_paraphrase_set_is_large_enough() -> None:
    assert len(paraphrase_set()) >= 60


def test_the_development_set_shares_no_verse_with_the_held_out_test_set() -> None:
    held_out = set().union(*(keys for _, keys in paraphrase_set()))
    development = paraphrase_set(DEV_QUERIES)
    assert len(development) >= 100
    assert all(not keys & held_out for _, keys in development)


def test_the_model_loads_from_the_installed_data_with_the_network_off(monkeypatch, tmp_path):
    def no_network(*args, **kwargs):
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    loaded = MeaningIndex(shipped_data_dir() / MEANING_DB_NAME)
    assert loaded.search("God works everything for good", 1, 99_999_999, 10)


def test_there_is_one_vector_per_verse_of_the_shipped_text(index, bible) -> None:
    keys = {row[0] % 100_000_000 for row in bible._query("SELECT id FROM verses WHERE omitted = 0")}
    assert list(index.keys) == sorted(keys)
    assert index.dims == 256


@pytest.mark.parametrize("hybrid", [True, False], ids=["hybrid", "meaning-alone"])
def test_recall_at_10_of_the_paraphrase_set_is_at_least_85_percent(bible, hybrid) -> None:
    queries = paraphrase_set()
    found = 0
    for query, expected in queries:
        page = search_meaning(bible, query, "WEB", limit=10, hybrid=hybrid)
        found += any(
            hit.verse.ref.book * 1_000_000 + hit.verse.ref.chapter * 1000 + hit.verse.ref.verse
            in expected
            for hit in page.hits
        )
    assert found / len(queries) >= 0.85


def test_a_paraphrase_finds_the_verse_it_means_in_any_translation(bible) -> None:
    for code in ("KJV", "WEB", "ASV", "YLT"):
        page = search_meaning(bible, "God works everything for good", code, limit=10)
        assert "Rom.8.28" in [hit.verse.osis for hit in page.hits], code
        assert all(hit.translation == code and hit.score is not None for hit in page.hits)
        scores = [hit.score for hit in page.hits]
        assert scores == sorted(scores, reverse=True) and -1 <= scores[-1] <= scores[0] <= 1


def test_book_and_testament_narrow_the_search(bible) -> None:
    page = search_meaning(bible, "love your enemies", "KJV", book=42, limit=5)
    assert {hit.verse.ref.book for hit in page.hits} == {42}
    page = search_meaning(bible, "love your enemies", "KJV", testament="OT", limit=5)
    assert all(hit.verse.ref.book <= 39 for hit in page.hits) and page.hits


def test_a_quoted_phrase_goes_to_the_word_index_and_a_reference_to_its_verses(bible) -> None:
    quoted = search_meaning(bible, '"all things work together"', "KJV")
    assert [hit.verse.osis for hit in quoted.hits] == ["Rom.8.28"]
    assert quoted.hits[0].score is None and "«" in quoted.hits[0].snippet
    reference = search_meaning(bible, "Romans 8:28-29", "KJV")
    assert [hit.verse.osis for hit in reference.hits] == ["Rom.8.28", "Rom.8.29"]
    assert reference.hits[0].score is None


def test_bad_input_says_what_to_do(bible) -> None:
    with pytest.raises(InputError, match="Say what the verse is about"):
        search_meaning(bible, "   ", "KJV")
    with pytest.raises(InputError, match="limit"):
        search_meaning(bible, "peace", "KJV", limit=0)
    with pytest.raises(InputError, match="Unknown translation"):
        search_meaning(bible, "peace", "XYZ")
    assert search_meaning(bible, "\U0001f600", "KJV").hits == ()


def test_a_missing_or_damaged_data_file_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(MeaningDataError, match="missing"):
        MeaningIndex(tmp_path / "meaning.sqlite")
    (tmp_path / "bad.sqlite").write_bytes(b"not a database" * 100)
    with pytest.raises(MeaningDataError, match="damaged"):
        MeaningIndex(tmp_path / "bad.sqlite")


def test_the_tokenizer_splits_as_bert_uncased_does(index) -> None:
    vocab = index._vocab
    words = [vocab.get(w) for w in ("jesus", "wept", ".")]
    assert tokenize("Jesus wept.", vocab, vocab["[UNK]"]) == words
    ids = tokenize("Unsearchable", vocab, vocab["[UNK]"])
    pieces = {i: t for t, i in vocab.items()}
    assert "".join(pieces[i].removeprefix("##") for i in ids) == "unsearchable"
    assert len(ids) > 1 and pieces[ids[1]].startswith("##")
    assert tokenize("Café", vocab, vocab["[UNK]"]) == [vocab["cafe"]]


@pytest.fixture
def verse(tmp_path) -> Verse:
    return Verse(tmp_path)


def test_cli_meaning_json_is_the_search_shape_with_a_score(tmp_path) -> None:
    """A real `python -m verse_tui` run (the rest of the meaning CLI runs in-process)."""
    result = run_process(
        tmp_path, "search", "--meaning", "God works everything for good", "--json", "-n", "5"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"query", "total", "results"} and data["total"] == 5
    assert all(set(r) == {"osis", "text", "score"} for r in data["results"])
    assert "Rom.8.28" in [r["osis"] for r in data["results"]]


def test_cli_meaning_text_and_bad_input(verse) -> None:
    result = verse("search", "--meaning", "do not worry about tomorrow", "-n", "3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Closest in meaning to 'do not worry about tomorrow'")
    assert len(result.stdout.splitlines()) == 4
    bad = verse("search", "--meaning", "peace", "--offset", "5")
    assert bad.returncode == 2 and "--offset does not apply" in bad.stderr
    assert verse("search", "--meaning", "peace", "-n", "0").returncode == 2


LAZY_PROBE = """
import io, sys
from contextlib import redirect_stdout
from verse_tui.__main__ import main
with redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
print(code, sorted(m for m in sys.modules if "meaning" in m or "wordpiece" in m or "bm25" in m))
"""


@pytest.mark.parametrize(
    ("args", "loaded"),
    [
        (["read", "John 3:16"], "[]"),
        (["search", "faith"], "[]"),
        (["search", "--meaning", "faith"], "'verse_tui.bible.meaning'"),
    ],
)
def test_the_model_loads_only_for_a_meaning_search(args, loaded, tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VERSE_")}
    env["VERSE_HOME"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", LAZY_PROBE, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.stdout.startswith("0 "), result.stderr
    assert loaded in result.stdout.splitlines()[-1]


def test_the_reader_app_and_the_services_do_not_import_the_model(tmp_path) -> None:
    probe = (
        "import sys\n"
        "import verse_tui.tui.run, verse_tui.services.bible, verse_tui.app_factory\n"
        "print(sorted(m for m in sys.modules\n"
        "             if 'meaning' in m or 'wordpiece' in m or 'bm25' in m))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "[]", result.stderr


async def test_the_service_searches_by_meaning_in_a_worker_thread(bible) -> None:
    from verse_tui.services.bible import BibleService

    page = await BibleService(bible).search_meaning(
        "the Lord is my shepherd", "kjv", testament="OT", limit=3
    )
    assert page.translation == "KJV" and page.total == len(page.hits) == 3
    assert page.hits[0].verse.osis == "Ps.23.1"


async def test_the_service_reports_missing_meaning_data_clearly(bible, tmp_path) -> None:
    from verse_tui.services.bible import BibleService

    service = BibleService(bible, meaning_path=tmp_path / "meaning.sqlite")
    with pytest.raises(MeaningDataError, match=r"missing .*Reinstall Verse"):
        await service.search_meaning("peace", "KJV")
