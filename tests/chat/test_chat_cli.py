"""`verse chat` and `verse chats` through the real entry point, against the fake server reached
through ANTHROPIC_BASE_URL: in-process (`tests/support/cli.py`), with one real process for the
group's smoke test; and a SIGKILL and a Ctrl+C in the middle of a streamed reply, which need a
real child process."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.support.cli import CLEARED, Verse, run_process
from tests.support.fake_anthropic import FAKE_API_KEY, Cut, FakeAnthropic, Reply, ToolUse
from verse_tui.config import USER_DB_NAME
from verse_tui.services.stream_persistence import STALE_AFTER


def online(home: Path, url: str, *, key: str | None = FAKE_API_KEY) -> Verse:
    """`verse` for `home`, talking to the fake server (with an API key unless `key=None`)."""
    env = {"ANTHROPIC_BASE_URL": url} | ({"ANTHROPIC_API_KEY": key} if key else {})
    return Verse(home, env)


def age_replies(database: Path, by: timedelta) -> None:
    """Move every message's last save `by` into the past, as if that much time had passed."""
    connection = sqlite3.connect(database)
    try:
        with connection:
            for message_id, stamp in connection.execute("SELECT id, updated_at FROM messages"):
                older = datetime.fromisoformat(stamp) - by
                connection.execute(
                    "UPDATE messages SET updated_at = ? WHERE id = ?",
                    (older.isoformat(sep=" ", timespec="microseconds"), message_id),
                )
    finally:
        connection.close()


def show(verse: Verse, chat_id: int) -> dict:
    shown = verse("chats", "show", str(chat_id), "--json")
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout)


async def chat_until(verse: Verse, words: int) -> tuple[asyncio.subprocess.Process, bytes]:
    """Start `verse chat "Count slowly"` in a child process; read its reply until it has
    printed `words` words (each fake word starts with "w"). Returns the child and the output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(CLEARED)}
    env |= {"VERSE_HOME": str(verse.home), "PYTHONUNBUFFERED": "1", **verse.env}
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "verse_tui",
        "chat",
        "Count slowly",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        # A shell without job control starts background jobs with SIGINT ignored, and children
        # inherit that: give the child the default, as a terminal user's `verse chat` has.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert child.stdout is not None and child.stderr is not None
    printed = b""
    while printed.count(b"w") < words:
        chunk = await asyncio.wait_for(child.stdout.read(256), 30)
        assert chunk, (await child.stderr.read()).decode()
        printed += chunk
    return child, printed


@pytest.fixture
def server() -> Iterator[FakeAnthropic]:
    with FakeAnthropic.in_thread() as running:
        yield running


def test_chat_about_a_passage_streams_and_is_saved(server: FakeAnthropic, tmp_path: Path) -> None:
    """The group's smoke test: `verse chat` in a real process, then read back in-process."""
    verse = online(tmp_path, server.url)
    server.enqueue(Reply(chunks=("Love ", "is ", "patient.")))
    argv = ("chat", "--passage", "1 Cor 13:4-7", "-t", "web", "What", "is", "love?")
    done = run_process(tmp_path, *argv, **verse.env)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Love is patient.\n"
    assert "1 Corinthians 13:4–7 (WEB)" in server.requests[0].body["system"][1]["text"]
    listed = json.loads(verse("chats", "list", "--json").stdout)
    assert [(c["title"], c["reference"], c["message_count"]) for c in listed] == [
        ("What is love?", "1 Corinthians 13:4–7", 2)
    ]
    chat = show(verse, listed[0]["id"])
    assert [(m["role"], m["text"], m["status"]) for m in chat["messages"]] == [
        ("user", "What is love?", "complete"),
        ("assistant", "Love is patient.", "complete"),
    ]
    text = verse("chats", "show", str(listed[0]["id"]))
    assert "#2 Claude (stop: end_turn):\nLove is patient." in text.stdout


def test_a_passage_too_long_to_send_is_refused_before_anything_is_saved(
    server: FakeAnthropic, tmp_path: Path
) -> None:
    verse = online(tmp_path, server.url)
    done = verse("chat", "--passage", "Matthew - Revelation", "Summarise", "this")
    assert done.returncode == 2
    assert "sends at most 180 to Claude" in done.stderr and "Traceback" not in done.stderr
    assert server.requests == []
    assert json.loads(verse("chats", "list", "--json").stdout) == []


def test_tool_calls_show_on_stderr_and_in_json_and_chats_show(
    server: FakeAnthropic, tmp_path: Path
) -> None:
    verse = online(tmp_path, server.url)
    read = ToolUse("read_passage", {"reference": "Romans 5:8", "translation": "WEB"})
    server.enqueue(
        Reply(chunks=("Reading.",), tools=(read,), stop_reason="tool_use"),
        Reply(chunks=("God shows his love.",)),
    )
    done = verse("chat", "Romans 5:8?")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Reading.\n\nGod shows his love.\n"
    assert "⚙ read Romans 5:8 (WEB)" in done.stderr
    (result,) = server.requests[1].body["messages"][-1]["content"]
    assert "God commends his own love toward us" in result["content"]
    chat = show(verse, 1)
    assert chat["messages"][1]["tools"] == ["read Romans 5:8 (WEB)"]
    shown = verse("chats", "show", "1").stdout
    assert "⚙ read Romans 5:8 (WEB)\nReading." in shown
    usage = chat["usage"]
    assert (usage["input_tokens"], usage["output_tokens"]) == (24, 2)  # two requests of 12 + 1
    assert usage["estimated_cost_usd"] > 0 and usage["prices_taken"]
    assert "\nTokens: 24 in · 2 out · ≈ $0.0" in shown
    server.enqueue(Reply(chunks=("Again.",), tools=(read,), stop_reason="tool_use"))
    as_json = json.loads(verse("chat", "--json", "-c", "1", "More").stdout)
    assert as_json["tools"] == ["read Romans 5:8 (WEB)"]


def test_citations_are_listed_by_chat_json_and_chats_show_json(
    server: FakeAnthropic, tmp_path: Path
) -> None:
    verse = online(tmp_path, server.url)
    server.enqueue(Reply(chunks=('John 3:16 says "For God so loved the world".\n\n', "Jude 1:30.")))
    as_json = json.loads(verse("chat", "--json", "Quote John 3:16").stdout)
    expected = [
        {
            "reference": "John.3.16",
            "quote": "For God so loved the world",
            "verdict": "verified",
            "translation": "KJV",
            "similarity": 1.0,
        },
        {
            "reference": None,
            "quote": None,
            "verdict": "no-such-verse",
            "translation": None,
            "similarity": None,
        },
    ]
    assert as_json["citations"] == expected
    assert show(verse, as_json["chat_id"])["messages"][1]["citations"] == expected


def test_chat_json_continues_a_chat_and_reports_truncation(
    server: FakeAnthropic, tmp_path: Path
) -> None:
    verse = online(tmp_path, server.url)
    first = json.loads(verse("chat", "--json", "Who wrote Hebrews?").stdout)
    assert first["status"] == "complete" and first["text"] == "Echo: Who wrote Hebrews?"
    server.enqueue(Reply(chunks=("Nobody ", "knows"), stop_reason="max_tokens"))
    done = verse("chat", "--chat", str(first["chat_id"]), "--max-tokens", "3", "--json", "Why?")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "chat_id": first["chat_id"],
        "message_id": first["message_id"] + 2,
        "text": "Nobody knows",
        "stop_reason": "max_tokens",
        "was_truncated": True,
        "status": "complete",
        "tools": [],
        "citations": [],
    }
    assert server.requests[-1].body["max_tokens"] == 3
    assert len(server.requests[-1].body["messages"]) == 3  # the earlier exchange is sent too


def test_failures_exit_non_zero_and_stay_visible(server: FakeAnthropic, tmp_path: Path) -> None:
    verse = online(tmp_path, server.url)
    server.enqueue(Reply(chunks=("Blessed ", "are ", "the poor"), cut=Cut("drop", after=2)))
    done = verse("chat", "Beatitudes?")
    assert done.returncode == 1
    assert done.stdout == "Blessed are \n"
    assert "connection to Claude broke" in done.stderr and "verse chats show 1" in done.stderr
    reply = show(verse, 1)["messages"][1]
    assert (reply["status"], reply["text"]) == ("failed", "Blessed are ")
    assert "connection to Claude broke" in reply["error"]
    keyless = online(tmp_path, server.url, key=None)("chat", "--json", "Hello?")
    assert keyless.returncode == 1 and "export ANTHROPIC_API_KEY" in keyless.stderr
    assert json.loads(keyless.stdout)["error_kind"] == "no_api_key"
    assert server.request_count == 1  # the keyless attempt never reached the network


def test_a_reply_cut_before_message_stop_is_not_complete(
    server: FakeAnthropic, tmp_path: Path
) -> None:
    """The body ends cleanly mid-answer: not complete, in text and JSON mode alike."""
    verse = online(tmp_path, server.url)
    server.enqueue(Reply(chunks=("Blessed ", "are ", "the poor"), cut=Cut("end", after=2)))
    done = verse("chat", "Beatitudes?")
    assert done.returncode == 1 and done.stdout == "Blessed are \n"
    assert "ended before it was finished" in done.stderr and "verse chats show 1" in done.stderr
    reply = show(verse, 1)["messages"][1]
    assert (reply["status"], reply["text"], reply["stop_reason"]) == (
        "failed",
        "Blessed are ",
        None,
    )
    server.enqueue(Reply(chunks=("Blessed ", "are ", "the poor"), cut=Cut("end", after=1)))
    done = verse("chat", "--json", "--chat", "1", "Again?")
    assert done.returncode == 1 and "ended before it was finished" in done.stderr
    result = json.loads(done.stdout)
    assert (result["status"], result["text"], result["error_kind"]) == (
        "failed",
        "Blessed ",
        "ended_early",
    )


def test_a_lone_surrogate_in_a_reply_is_replaced_not_fatal(
    server: FakeAnthropic, tmp_path: Path
) -> None:
    verse = online(tmp_path, server.url)
    server.enqueue(Reply(chunks=("Grace ", "\ud800", " and peace")))
    done = verse("chat", "--json", "Greeting?")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["text"] == "Grace \ufffd and peace"
    assert show(verse, 1)["messages"][1]["text"] == "Grace \ufffd and peace"
    server.enqueue(Reply(chunks=("Grace ", "\udfff!")))
    done = verse("chat", "--chat", "1", "Again?")
    assert (done.returncode, done.stdout) == (0, "Grace \ufffd!\n")
    assert "Traceback" not in done.stderr


def test_chats_rename_delete_and_bad_input(server: FakeAnthropic, tmp_path: Path) -> None:
    verse = online(tmp_path, server.url)
    assert verse("chats", "list").stdout.startswith("No chats yet.")
    assert verse("chat", "Psalm 23?").returncode == 0
    assert verse("chats", "rename", "1", "The", "Shepherd").stdout == "Renamed chat 1.\n"
    assert "The Shepherd" in verse("chats", "list").stdout
    assert verse("chats", "delete", "1").returncode == 0
    missing = verse("chats", "show", "1")
    assert missing.returncode == 2 and "There is no chat 1" in missing.stderr
    for args in (
        ["chats", "show", "one"],
        ["chat"],
        ["chat", "--translation", "KJV", "hi"],
        ["chat", "--passage", "John 99:1", "hi"],
        ["chats", "frobnicate"],
    ):
        bad = verse(*args)
        assert bad.returncode == 2 and bad.stderr.startswith(f"verse {args[0]}:"), args
        assert bad.stderr.count("\n") <= 4


async def test_sigkill_mid_stream_keeps_the_text_and_next_start_marks_it_interrupted(
    fake_anthropic: FakeAnthropic, tmp_path: Path
) -> None:
    words = [f"w{i} " for i in range(200)]
    fake_anthropic.enqueue(Reply(words, delay=0.02))
    verse = online(tmp_path, fake_anthropic.url)
    child, printed = await chat_until(verse, 80)  # ~1.6 s: several checkpoints have happened
    child.send_signal(signal.SIGKILL)
    assert await child.wait() == -signal.SIGKILL
    chat = await asyncio.to_thread(show, verse, 1)  # a new process at once: maybe still alive
    assert chat["messages"][1]["status"] == "streaming"
    age_replies(tmp_path / USER_DB_NAME, STALE_AFTER + timedelta(seconds=1))
    chat = await asyncio.to_thread(show, verse, 1)  # a later start marks the stale reply
    reply = chat["messages"][1]
    assert reply["status"] == "interrupted" and reply["was_truncated"] is True
    assert reply["text"] and printed.decode().startswith(reply["text"])
    assert len(reply["text"].split()) >= 40  # checkpointed at least every 0.5 s
    assert "stopped while this reply was arriving" in reply["error"]


async def test_ctrl_c_mid_stream_keeps_the_partial_reply_as_cancelled(
    fake_anthropic: FakeAnthropic, tmp_path: Path
) -> None:
    fake_anthropic.enqueue(Reply([f"w{i} " for i in range(200)], delay=0.02))
    verse = online(tmp_path, fake_anthropic.url)
    child, printed = await chat_until(verse, 20)
    child.send_signal(signal.SIGINT)
    rest, errors = await asyncio.wait_for(child.communicate(), 30)
    assert child.returncode == 130, errors.decode()
    assert "partial reply is saved in chat 1" in errors.decode()
    reply = (await asyncio.to_thread(show, verse, 1))["messages"][1]
    assert reply["status"] == "cancelled" and reply["was_truncated"] is True
    assert (printed + rest).decode().strip() == reply["text"].strip()
