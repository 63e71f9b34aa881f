"""`verse insight`, `verse define` and `verse words` through the entry point, against the fake
server running in its own thread (the commands run their own event loop)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.fake_anthropic import FAKE_API_KEY, Cut, FakeAnthropic, Reply, ToolUse
from verse_tui.__main__ import main

LET_ANSWER = "Part of speech: verb\nSense in this verse: hindered\nModern equivalent: prevented\n"


@pytest.fixture
def server() -> Iterator[FakeAnthropic]:
    with FakeAnthropic.in_thread() as fake:
        yield fake


@pytest.fixture
def env(tmp_path: Path, server: FakeAnthropic, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {
        "VERSE_HOME": str(tmp_path / "home"),
        "ANTHROPIC_API_KEY": FAKE_API_KEY,
        "ANTHROPIC_BASE_URL": server.url,
    }
    for name in ("VERSE_DATABASE_URL", "VERSE_MODEL", "VERSE_TRANSLATION", "VERSE_BIBLE_DB"):
        monkeypatch.delenv(name, raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    assert main(list(argv)) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def test_insight_json_shape_then_cached_with_no_request(
    env: dict[str, str], server: FakeAnthropic, capsys: pytest.CaptureFixture[str]
) -> None:
    server.enqueue(Reply(chunks=("See Romans 5:3-5 ", "and Eph 1:11.")))
    first = run_json(capsys, "insight", "Rom 8:28", "--kind", "cross-references", "--json")
    assert isinstance(first, dict)
    assert {"reference", "kind", "text", "cached", "model", "created_at"} <= first.keys()
    assert (first["reference"], first["kind"], first["cached"]) == (
        "Romans 8:28",
        "cross-references",
        False,
    )
    assert first["text"] == "See Romans 5:3-5 and Eph 1:11."
    assert first["cross_references"] == ["Romans 5:3–5", "Ephesians 1:11"]
    second = run_json(capsys, "insight", "Romans 8:28", "-k", "cross_references", "--json")
    assert isinstance(second, dict) and second["cached"] is True
    assert (second["text"], second["created_at"]) == (first["text"], first["created_at"])
    assert server.request_count == 1


def test_insight_streams_text_and_regenerates(
    env: dict[str, str], server: FakeAnthropic, capsys: pytest.CaptureFixture[str]
) -> None:
    server.enqueue(Reply(chunks=("Old ", "view.")), Reply(chunks=("New ", "view.")))
    assert main(["insight", "John 1:1", "--kind", "themes"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == "Old view." and "Generated" in err
    assert main(["insight", "John 1:1", "--kind", "themes", "--regenerate"]) == 0
    assert capsys.readouterr().out.strip() == "New view."
    assert main(["insight", "John 1:1", "--kind", "themes"]) == 0
    out, err = capsys.readouterr()
    assert "New view." in out and "Saved insight" in err and server.request_count == 2


def test_an_insight_cut_before_message_stop_fails_and_is_not_cached(
    env: dict[str, str], server: FakeAnthropic, capsys: pytest.CaptureFixture[str]
) -> None:
    cut = Reply(chunks=("Paul wrote ", "to Rome ", "never sent."), cut=Cut("end", after=2))
    server.enqueue(cut, cut)
    assert main(["insight", "Rom 8:28", "--json"]) == 1
    out, err = capsys.readouterr()
    assert "ended before it was finished" in err
    failed = json.loads(out)
    assert (failed["status"], failed["text"]) == ("failed", "Paul wrote to Rome ")
    assert main(["insight", "Rom 8:28"]) == 1  # asked again: nothing was cached
    out, err = capsys.readouterr()
    assert out == "Paul wrote to Rome \n" and "ended before it was finished" in err
    server.enqueue(Reply(chunks=("Whole answer.",)))
    whole = run_json(capsys, "insight", "Rom 8:28", "--json")
    assert isinstance(whole, dict) and (whole["text"], whole["cached"]) == ("Whole answer.", False)
    assert server.request_count == 3


def test_insight_without_key_says_how_to_set_it(
    env: dict[str, str],
    server: FakeAnthropic,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    assert main(["insight", "John 1:1"]) == 1
    err = capsys.readouterr().err
    assert "need an API key" in err and "ANTHROPIC_API_KEY" in err and server.request_count == 0
    assert main(["insight", "John 1:1", "--kind", "gossip"]) == 2
    assert "Choose one of" in capsys.readouterr().err


def test_define_json_shapes_for_ai_cache_and_glossary(
    env: dict[str, str],
    server: FakeAnthropic,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server.enqueue(Reply(chunks=(LET_ANSWER,)))
    ai = run_json(capsys, "define", "let", "--in", "Romans 1:13", "--json")
    assert isinstance(ai, dict) and {"word", "reference", "definition", "source"} <= ai.keys()
    assert (ai["word"], ai["reference"], ai["source"]) == ("let", "Romans 1:13", "ai")
    assert "Sense in this verse: hindered" in str(ai["definition"])
    assert "From the glossary" in str(ai["definition"])
    cached = run_json(capsys, "define", "let", "--in", "Rom 1:13", "--json", "--save")
    assert isinstance(cached, dict) and cached["source"] == "cache" and server.request_count == 1
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    glossary = run_json(capsys, "define", "wist", "--in", "Mark 9:6", "--json")
    assert isinstance(glossary, dict) and glossary["source"] == "glossary"
    assert glossary["modern_equivalent"] == "knew" and "ANTHROPIC_API_KEY" in str(
        glossary["notice"]
    )
    lexicon = run_json(capsys, "define", "loved", "--in", "John 3:16", "--json")
    assert isinstance(lexicon, dict) and lexicon["source"] == "lexicon"
    assert [e["number"] for e in lexicon["strongs"]] == ["G25"]  # type: ignore[index]
    assert main(["define", "the", "--in", "Gen 1:1"]) == 1  # untagged there, no glossary entry
    assert "not in the offline glossary" in capsys.readouterr().err
    assert main(["define", "charity"]) == 2
    assert "--in" in capsys.readouterr().err


def test_define_shows_each_tool_call_as_a_quiet_line_on_stderr(
    env: dict[str, str], server: FakeAnthropic, capsys: pytest.CaptureFixture[str]
) -> None:
    read = ToolUse("read_passage", {"reference": "Romans 1:12-14"}, id="toolu_cli")
    server.enqueue(
        Reply(chunks=("Reading the context.",), tools=(read,), stop_reason="tool_use"),
        Reply(chunks=(LET_ANSWER,)),
    )
    assert main(["define", "let", "--in", "Romans 1:13"]) == 0
    out, err = capsys.readouterr()
    assert "⚙ read Romans 1:12–14 (KJV)" in err and "⚙" not in out
    assert "Reading the context.\n\nPart of speech: verb" in out
    (result,) = server.requests[1].body["messages"][2]["content"]
    assert "but was let hitherto" in result["content"]


def test_words_lists_and_removes_saved_definitions(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    assert run_json(capsys, "words", "--json") == []
    run_json(capsys, "define", "charity", "--in", "1 Cor 13:4", "--save", "--json")
    words = run_json(capsys, "words", "--json")
    assert isinstance(words, list) and len(words) == 1
    assert {"id", "word", "reference", "definition", "source", "saved_at"} <= words[0].keys()
    assert (words[0]["word"], words[0]["source"]) == ("charity", "glossary")
    assert main(["words"]) == 0 and "charity — 1 Corinthians 13:4 (KJV)" in capsys.readouterr().out
    assert main(["words", "remove", str(words[0]["id"])]) == 0
    capsys.readouterr()
    assert run_json(capsys, "words", "--json") == []
    assert main(["words", "remove", str(words[0]["id"])]) == 2
    assert "no saved word" in capsys.readouterr().err


def test_the_installed_entry_point_runs_insight_as_a_process(
    env: dict[str, str], server: FakeAnthropic
) -> None:
    server.enqueue(Reply(chunks=("In the beginning ", "was the Word.")))
    result = subprocess.run(
        [sys.executable, "-m", "verse_tui", "insight", "John 1:1", "--json"],
        capture_output=True,
        text=True,
        env=os.environ | env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert (payload["kind"], payload["text"]) == (
        "historical-context",
        "In the beginning was the Word.",
    )
