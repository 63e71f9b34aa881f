"""The LLM client against the fake server: the real anthropic SDK over loopback HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
import typing

import pytest

from tests.support.anthropic_sse import reply_events
from tests.support.fake_anthropic import (
    FAKE_API_KEY,
    FIXTURES,
    Cut,
    ErrorStatus,
    FakeAnthropic,
    Replay,
    Reply,
)
from verse_tui.config import DEFAULT_MODEL, Settings
from verse_tui.domain.bible import VerseRange, VerseRef
from verse_tui.domain.chat import ChatPassage, StreamFinished, TextDelta
from verse_tui.llm import errors
from verse_tui.llm.client import LlmClient, LlmMessage, read_timeout_from_env
from verse_tui.llm.prompts import BIBLE_STUDY_SYSTEM_PROMPT, system_blocks

QUESTION = [LlmMessage("user", "Who wrote Hebrews?")]


async def collect(llm: LlmClient, **kwargs: typing.Any) -> list[TextDelta | StreamFinished]:
    return [event async for event in llm.stream(QUESTION, system="study", **kwargs)]


def test_importing_the_client_does_not_import_anthropic() -> None:
    code = (
        "import sys, verse_tui.llm.client, verse_tui.llm.errors, verse_tui.llm.prompts\n"
        "print(sorted(m for m in ('anthropic', 'httpx2') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_default_model_is_current_in_the_installed_sdk() -> None:
    from anthropic._data import DEPRECATED_MODELS
    from anthropic.types import Model

    known = {arg for part in typing.get_args(Model) for arg in typing.get_args(part)}
    assert DEFAULT_MODEL in known
    assert DEFAULT_MODEL not in DEPRECATED_MODELS
    assert DEFAULT_MODEL.startswith("claude-sonnet-")


async def test_the_sdk_client_is_built_off_the_event_loop(
    fake_anthropic: FakeAnthropic, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Building it loads the TLS certificates (20-40 ms): never a stall of the loop."""
    import threading

    built_on: list[int] = []
    build = LlmClient._client

    def recording(self: LlmClient) -> typing.Any:
        built_on.append(threading.get_ident())
        return build(self)

    monkeypatch.setattr(LlmClient, "_client", recording)
    fake_anthropic.enqueue(Reply(chunks=("Paul",)))
    fake_anthropic.enqueue(Reply(chunks=("Luke",)))
    llm = fake_anthropic.llm_client()
    await collect(llm)
    await collect(llm)  # the client is kept: built once
    assert len(built_on) == 1 and built_on[0] != threading.get_ident()


async def test_streams_deltas_then_finished(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.enqueue(Reply(chunks=("Paul", " may", " not"), input_tokens=40))
    events = await collect(fake_anthropic.llm_client())
    assert [e.text for e in events if isinstance(e, TextDelta)] == ["Paul", " may", " not"]
    assert events[-1] == StreamFinished(
        text="Paul may not",
        stop_reason="end_turn",
        was_truncated=False,
        input_tokens=40,
        output_tokens=3,
        model=DEFAULT_MODEL,
    )
    request = fake_anthropic.requests[0]
    assert request.headers["authorization"] == f"Bearer {FAKE_API_KEY}"
    assert request.body["messages"] == [{"role": "user", "content": "Who wrote Hebrews?"}]
    assert request.body["model"] == DEFAULT_MODEL and request.body["stream"] is True


@pytest.mark.parametrize(
    ("stop_reason", "truncated"),
    [
        ("end_turn", False),
        ("max_tokens", True),
        ("refusal", False),
        ("model_context_window_exceeded", True),
    ],
)
async def test_truncation_follows_the_stop_reason(
    fake_anthropic: FakeAnthropic, stop_reason: str | None, truncated: bool
) -> None:
    fake_anthropic.enqueue(Reply(stop_reason=stop_reason))
    finished = (await collect(fake_anthropic.llm_client()))[-1]
    assert isinstance(finished, StreamFinished)
    assert (finished.stop_reason, finished.was_truncated) == (stop_reason, truncated)
    assert finished.text == "Hello there!"


@pytest.mark.parametrize(
    "reply",
    [
        Reply(chunks=("In ", "the ", "beginning"), cut=Cut("end", after=2)),
        Reply(chunks=("In ", "the "), stop_reason=None),
    ],
    ids=["body-ends-without-message_stop", "message_stop-without-stop-reason"],
)
async def test_a_stream_that_ends_before_claude_finished_is_not_a_reply(
    fake_anthropic: FakeAnthropic, reply: Reply
) -> None:
    fake_anthropic.enqueue(reply)
    seen: list[str] = []
    with pytest.raises(errors.ReplyEndedEarlyError) as raised:
        async for event in fake_anthropic.llm_client().stream(QUESTION, system="s"):
            seen.append(event.text)
    assert seen == ["In ", "the "] and raised.value.partial_text == "In the "
    assert raised.value.kind == "ended_early" and raised.value.retryable
    assert "ended before it was finished" in str(raised.value) and "kept" in str(raised.value)


async def test_missing_key_fails_before_any_request(fake_anthropic: FakeAnthropic) -> None:
    llm = fake_anthropic.llm_client(api_key=None, config_file="/home/me/config.toml")
    with pytest.raises(errors.MissingApiKeyError) as raised:
        await collect(llm)
    assert "export ANTHROPIC_API_KEY=" in str(raised.value)
    assert "/home/me/config.toml" in str(raised.value)
    assert raised.value.kind == "no_api_key" and not raised.value.retryable
    assert fake_anthropic.request_count == 0


@pytest.mark.parametrize(
    ("status", "error_type", "expected", "attempts"),
    [
        (400, "invalid_request_error", errors.BadRequestError, 1),
        (401, "authentication_error", errors.AuthenticationFailedError, 1),
        (403, "permission_error", errors.PermissionDeniedError, 1),
        (429, "rate_limit_error", errors.RateLimitedError, 3),
        (500, "api_error", errors.ServerError, 3),
        (503, "api_error", errors.ServerError, 3),
        (529, "overloaded_error", errors.OverloadedError, 3),
    ],
)
async def test_http_errors_map_to_typed_errors(
    fake_anthropic: FakeAnthropic,
    status: int,
    error_type: str,
    expected: type[errors.LlmError],
    attempts: int,
) -> None:
    fake_anthropic.enqueue(*[ErrorStatus(status, error_type, "the api's words")] * 3)
    with pytest.raises(expected) as raised:
        await collect(fake_anthropic.llm_client())
    error = raised.value
    assert error.status_code == status and error.partial_text == ""
    assert error.retryable == (status >= 429)
    assert fake_anthropic.request_count == attempts  # the SDK retried the retryable ones
    assert "the api's words" in str(error) and str(error).endswith(".")


async def test_a_retried_overload_then_success_is_a_normal_reply(
    fake_anthropic: FakeAnthropic,
) -> None:
    fake_anthropic.enqueue(ErrorStatus(529, "overloaded_error"), Reply(chunks=("ok",)))
    events = await collect(fake_anthropic.llm_client())
    assert isinstance(events[-1], StreamFinished) and events[-1].text == "ok"
    assert fake_anthropic.request_count == 2


async def test_connection_dropped_mid_stream_keeps_partial_text(
    fake_anthropic: FakeAnthropic,
) -> None:
    fake_anthropic.enqueue(Reply(chunks=("In ", "the ", "beginning"), cut=Cut("drop", after=2)))
    seen: list[str] = []
    with pytest.raises(errors.ConnectionDroppedError) as raised:
        async for event in fake_anthropic.llm_client().stream(QUESTION, system="s"):
            seen.append(event.text)
    assert seen == ["In ", "the "]
    assert raised.value.partial_text == "In the " and raised.value.retryable
    assert "kept" in str(raised.value)
    assert fake_anthropic.request_count == 1  # nothing mid-stream is retried


async def test_stall_after_headers_times_out(fake_anthropic: FakeAnthropic) -> None:
    fake_anthropic.enqueue(Reply(chunks=("Grace",), cut=Cut("stall", after=1)))
    llm = fake_anthropic.llm_client(read_timeout=0.3)
    assert llm.read_timeout == 0.3
    with pytest.raises(errors.StreamTimeoutError) as raised:
        await collect(llm)
    assert raised.value.partial_text == "Grace" and "0.3 seconds" in str(raised.value)


@pytest.mark.parametrize(
    ("error_type", "expected"),
    [
        ("overloaded_error", errors.OverloadedError),
        ("api_error", errors.ServerError),
        ("something_new", errors.StreamError),
    ],
)
async def test_error_event_inside_a_200_stream(
    fake_anthropic: FakeAnthropic, error_type: str, expected: type[errors.LlmError]
) -> None:
    fake_anthropic.enqueue(Reply(chunks=("Faith", " is"), cut=Cut("error_event", 1, error_type)))
    with pytest.raises(expected) as raised:
        await collect(fake_anthropic.llm_client())
    assert raised.value.partial_text == "Faith" and raised.value.status_code == 200
    assert error_type in str(raised.value)


async def test_unreachable_server_is_a_connection_error() -> None:
    server = await FakeAnthropic().start()
    url = server.url
    await server.stop()  # nothing listens on that port any more
    llm = LlmClient(api_key=FAKE_API_KEY, base_url=url, max_retries=0)
    with pytest.raises(errors.ConnectionFailedError) as raised:
        await collect(llm)
    assert url in str(raised.value)


@pytest.mark.parametrize(
    ("name", "stop_reason", "starts_with"),
    [
        ("lib-basic_response.sse", "end_turn", "Hello there!"),
        ("fable-stream-b-fallback.sse", "end_turn", " there! Happy to explain."),
        ("lib-incomplete_partial_json_response.sse", "max_tokens", "I'll create a comprehensive"),
        ("recorded-beta-async-stream.sse", "end_turn", "[12345,67890]"),
        ("recorded-tool-runner-A-turn2-end_turn.sse", "end_turn", "The weather in San Francisco"),
        ("fable-stream-a-refusal.sse", "refusal", "Hi"),
    ],
)
async def test_replays_recorded_streams(
    fake_anthropic: FakeAnthropic, name: str, stop_reason: str, starts_with: str
) -> None:
    fake_anthropic.enqueue(Replay(FIXTURES / name))
    events = await collect(fake_anthropic.llm_client())
    finished = events[-1]
    assert isinstance(finished, StreamFinished)
    assert finished.stop_reason == stop_reason
    assert finished.was_truncated == (stop_reason == "max_tokens")
    assert finished.text.startswith(starts_with)
    assert finished.text == "".join(e.text for e in events[:-1] if isinstance(e, TextDelta))
    assert finished.input_tokens and finished.output_tokens


async def test_passage_context_is_sent_in_the_system_prompt(
    fake_anthropic: FakeAnthropic,
) -> None:
    john = VerseRange(VerseRef(43, 3, 16), VerseRef(43, 3, 17))
    passage = ChatPassage("KJV", "John 3:16–17", john, "16 For God so loved\n17 For God sent")
    await fake_anthropic.llm_client().complete(QUESTION, system=system_blocks(passage))
    system = fake_anthropic.requests[0].body["system"]
    assert system[0]["text"] == BIBLE_STUDY_SYSTEM_PROMPT
    assert "Book Chapter:Verse" in BIBLE_STUDY_SYSTEM_PROMPT
    assert "John 3:16–17 (KJV)" in system[1]["text"]
    assert "17 For God sent" in system[1]["text"]


def test_settings_give_key_model_base_url_and_timeout(tmp_path: typing.Any) -> None:
    env = {
        "VERSE_HOME": str(tmp_path),
        "ANTHROPIC_API_KEY": "sk-1",
        "ANTHROPIC_BASE_URL": "http://127.0.0.1:1",
        "VERSE_MODEL": "claude-haiku-5-5",
        "VERSE_LLM_READ_TIMEOUT": "7.5",
    }
    llm = LlmClient.from_settings(Settings.from_env(env), environ=env)
    assert (llm.model, llm.read_timeout, llm.has_api_key) == ("claude-haiku-5-5", 7.5, True)
    assert read_timeout_from_env({}) == 60.0
    with pytest.raises(errors.LlmError, match="VERSE_LLM_READ_TIMEOUT"):
        read_timeout_from_env({"VERSE_LLM_READ_TIMEOUT": "soon"})


async def test_an_injected_http_client_carries_the_requests() -> None:
    import httpx2

    bodies: list[dict] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        bodies.append(json.loads(request.content))
        events = reply_events(Reply(chunks=("Amen",)), "claude-test", "msg_mock")
        return httpx2.Response(
            200, headers={"content-type": "text/event-stream"}, content=b"".join(events)
        )

    transport = httpx2.AsyncClient(transport=httpx2.MockTransport(handler))
    llm = LlmClient(api_key=FAKE_API_KEY, http_client=transport)
    finished = await llm.complete(QUESTION, system="study")
    assert (finished.text, finished.model) == ("Amen", "claude-test")
    assert bodies[0]["messages"] == [{"role": "user", "content": "Who wrote Hebrews?"}]
    await llm.aclose()
