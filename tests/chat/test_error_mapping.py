"""The error mapping reads what happened, not which class the SDK chose to carry it: the same
failure raised the 2.10 way (a raw `httpx2` error mid-stream), the 2.17 way (`APIConnectionError`
/ `APITimeoutError` caused by it) or wrapped once more by another layer maps to the same error.
The end-to-end cases (the real SDK over loopback) are in test_llm_client.py."""

from __future__ import annotations

from collections.abc import Callable

import anthropic
import httpx2
import pytest

from verse_tui.llm import errors
from verse_tui.llm.error_mapping import map_exception

URL = "https://api.example.test"
REQUEST = httpx2.Request("POST", f"{URL}/v1/messages")
Failure = Callable[[], BaseException]


def _caused(exc: BaseException, cause: BaseException) -> BaseException:
    exc.__cause__ = cause
    return exc


def _dropped_2_10() -> BaseException:
    return httpx2.RemoteProtocolError("peer closed connection", request=REQUEST)


def _dropped_2_17() -> BaseException:
    return _caused(
        anthropic.APIConnectionError(message="Connection failed", request=REQUEST),
        _dropped_2_10(),
    )


def _wrapped(exc: BaseException) -> BaseException:
    return _caused(RuntimeError("while streaming"), exc)


def _read_timeout_2_10() -> BaseException:
    return httpx2.ReadTimeout("timed out", request=REQUEST)


def _read_timeout_2_17() -> BaseException:
    return _caused(anthropic.APITimeoutError(REQUEST), _read_timeout_2_10())


def _map(exc: BaseException, partial: str = "", *, reached: bool = True) -> errors.LlmError:
    mapped = map_exception(
        exc,
        partial_text=partial,
        model="claude-test",
        base_url=URL,
        read_timeout=60.0,
        connect_timeout=10.0,
        reached=reached,
    )
    assert mapped is not None
    return mapped


@pytest.mark.parametrize(
    "failure",
    [
        _dropped_2_10,
        _dropped_2_17,
        lambda: _wrapped(_dropped_2_17()),
        lambda: _wrapped(_dropped_2_10()),
    ],
    ids=["httpx2-2.10", "APIConnectionError-2.17", "wrapped-2.17", "wrapped-2.10"],
)
def test_a_transport_failure_after_text_is_a_dropped_connection(failure: Failure) -> None:
    mapped = _map(failure(), "Blessed are ")
    assert isinstance(mapped, errors.ConnectionDroppedError)
    assert "broke while the reply was arriving" in str(mapped) and "kept" in str(mapped)
    assert "Cannot reach" not in str(mapped) and mapped.partial_text == "Blessed are "


@pytest.mark.parametrize("failure", [_dropped_2_10, _dropped_2_17])
def test_a_drop_after_the_headers_but_before_text_is_not_unreachable(failure: Failure) -> None:
    mapped = _map(failure(), reached=True)
    assert isinstance(mapped, errors.ConnectionDroppedError)
    assert "before the first words" in str(mapped) and "internet connection" not in str(mapped)


@pytest.mark.parametrize(
    "failure",
    [
        lambda: _caused(
            anthropic.APIConnectionError(request=REQUEST),
            httpx2.ConnectError("refused", request=REQUEST),
        ),
        lambda: httpx2.ConnectError("refused", request=REQUEST),
    ],
)
def test_nothing_received_is_cannot_reach(failure: Failure) -> None:
    mapped = _map(failure(), reached=False)
    assert isinstance(mapped, errors.ConnectionFailedError)
    assert f"Cannot reach the Anthropic API at {URL}" in str(mapped)


@pytest.mark.parametrize(
    "failure",
    [_read_timeout_2_10, _read_timeout_2_17, lambda: _wrapped(_read_timeout_2_17())],
)
@pytest.mark.parametrize("partial", ["", "Grace "])
def test_a_timeout_is_a_timeout_whichever_class_carries_it(failure: Failure, partial: str) -> None:
    mapped = _map(failure(), partial)
    assert isinstance(mapped, errors.StreamTimeoutError) and mapped.partial_text == partial
    assert "sent nothing for 60 seconds" in str(mapped)
    assert ("kept" in str(mapped)) == bool(partial)


def test_a_connect_timeout_says_it_could_not_connect() -> None:
    failure = _caused(
        anthropic.APITimeoutError(REQUEST), httpx2.ConnectTimeout("slow", request=REQUEST)
    )
    mapped = _map(failure, reached=False)
    assert isinstance(mapped, errors.StreamTimeoutError)
    assert f"Could not connect to the Anthropic API at {URL} within 10 seconds" in str(mapped)


def test_an_error_that_is_not_the_calls_is_not_mapped() -> None:
    assert (
        map_exception(
            _wrapped(ValueError("a bug")),
            partial_text="x",
            model="m",
            base_url=URL,
            read_timeout=1.0,
        )
        is None
    )
