"""Maps what the `anthropic` SDK and `httpx2` raise to one typed `LlmError`, by what happened
rather than by which class the SDK chose to carry it.

Imported only after the SDK is loaded (it imports both). SDK versions differ in how they wrap
a failure: before the response headers every version raises `APIConnectionError` /
`APITimeoutError`; a connection that drops or stalls mid-stream surfaces as a raw
`httpx2.TransportError` in the 2.10 era and as `APIConnectionError` / `APITimeoutError`
(caused by the transport error) from 2.17 on; and any layer may wrap either with
`raise ... from`. So the whole `__cause__` chain is read, and:
- an `APIStatusError` anywhere is the API's answer (`status_code == 200`: an `event: error`
  inside the stream);
- a timeout anywhere is a timeout (a connect timeout says it could not connect);
- any other transport failure is a dropped connection once the API answered (text arrived,
  or at least the response headers did), and "cannot reach" before that.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypedDict, TypeVar

import anthropic
import httpx2

from verse_tui.llm import errors

IN_STREAM_TYPES: dict[str, type[errors.LlmError]] = {
    "overloaded_error": errors.OverloadedError,
    "rate_limit_error": errors.RateLimitedError,
    "api_error": errors.ServerError,
}
TIMEOUTS = (anthropic.APITimeoutError, httpx2.TimeoutException)
TRANSPORT_FAILURES = (anthropic.APIConnectionError, httpx2.TransportError)
E = TypeVar("E", bound=BaseException)


def map_exception(
    exc: BaseException,
    *,
    partial_text: str,
    model: str,
    base_url: str,
    read_timeout: float,
    connect_timeout: float | None = None,
    reached: bool = False,
) -> errors.LlmError | None:
    """The typed error for `exc`, or None if it is not a failure of the call to Claude.

    `partial_text` is the reply's text received before the failure; `reached` says that the
    API's response (its headers) had arrived, so the connection was made."""
    kept = f" {errors.KEPT}" if partial_text else ""
    chain = tuple(cause_chain(exc))
    status = _first(chain, anthropic.APIStatusError)
    if status is not None:
        return _status_error(status, partial_text=partial_text, model=model, kept=kept)
    if _first(chain, TIMEOUTS) is not None:
        return _timeout(chain, partial_text, base_url, read_timeout, connect_timeout, kept=kept)
    if _first(chain, TRANSPORT_FAILURES) is not None:
        return _transport_failure(partial_text, base_url, reached=reached, kept=kept)
    if _first(chain, anthropic.APIError) is not None:
        return errors.StreamError(
            f"Claude's reply could not be read ({exc}).{kept} Try again.",
            partial_text=partial_text,
        )
    return None


def cause_chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc`, then what caused it (`raise ... from`), and so on (each exception once)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__


def _first(chain: tuple[BaseException, ...], kind: type[E] | tuple[type[E], ...]) -> E | None:
    return next((e for e in chain if isinstance(e, kind)), None)


def _timeout(
    chain: tuple[BaseException, ...],
    partial_text: str,
    base_url: str,
    read_timeout: float,
    connect_timeout: float | None,
    *,
    kept: str,
) -> errors.LlmError:
    if not partial_text and _first(chain, httpx2.ConnectTimeout) is not None:
        within = f" within {connect_timeout:g} seconds" if connect_timeout else ""
        return errors.StreamTimeoutError(
            f"Could not connect to the Anthropic API at {base_url}{within}. Check your "
            "internet connection (and ANTHROPIC_BASE_URL if you set it), then try again."
        )
    return errors.StreamTimeoutError(
        f"Claude sent nothing for {read_timeout:g} seconds, so the reply was stopped."
        f"{kept} Try again; if it keeps happening, check your connection.",
        partial_text=partial_text,
    )


def _transport_failure(
    partial_text: str, base_url: str, *, reached: bool, kept: str
) -> errors.LlmError:
    if partial_text:
        return errors.ConnectionDroppedError(
            f"The connection to Claude broke while the reply was arriving.{kept} "
            "Try again to get a complete answer.",
            partial_text=partial_text,
        )
    if reached:
        return errors.ConnectionDroppedError(
            "The connection to Claude broke before the first words of the reply arrived. Try again."
        )
    return errors.ConnectionFailedError(
        f"Cannot reach the Anthropic API at {base_url}. Check your internet connection "
        "(and ANTHROPIC_BASE_URL if you set it), then try again.",
    )


class _Details(TypedDict):
    """What every mapped status error carries besides its message."""

    partial_text: str
    status_code: int | None
    request_id: str | None


def _status_error(
    exc: anthropic.APIStatusError, *, partial_text: str, model: str, kept: str
) -> errors.LlmError:
    status = exc.status_code
    detail = exc.api_message or ""
    said = f' The API said: "{detail.rstrip(".")}".' if detail else ""
    extra: _Details = {
        "partial_text": partial_text,
        "status_code": status,
        "request_id": exc.request_id,
    }
    if status == 200:
        cls = IN_STREAM_TYPES.get(exc.type or "", errors.StreamError)
        return cls(
            f"Claude reported an error in the middle of the reply ({exc.type or 'unknown'})."
            f"{said}{kept} Try again in a moment.",
            **extra,
        )
    if status == 401:
        return errors.AuthenticationFailedError(
            f"The Anthropic API rejected the API key (401).{said} Check ANTHROPIC_API_KEY: it "
            "may be mistyped, revoked or expired; create a new key in the Anthropic Console.",
            **extra,
        )
    if status == 403:
        return errors.PermissionDeniedError(
            f"This API key is not allowed to do that with {model} (403).{said} Check the "
            "key's workspace and permissions, or choose another model with VERSE_MODEL.",
            **extra,
        )
    if status == 429:
        return errors.RateLimitedError(
            f"Too many requests to Claude for now (429: rate limit).{said}{kept} "
            "Wait a minute, then try again.",
            **extra,
        )
    if status == 529 or exc.type == "overloaded_error":
        return errors.OverloadedError(
            f"Claude is overloaded right now ({status}).{said}{kept} Try again in a few moments.",
            **extra,
        )
    if status >= 500:
        return errors.ServerError(
            f"The Anthropic API had an internal error ({status}).{said}{kept} "
            "Try again in a few moments.",
            **extra,
        )
    return errors.BadRequestError(
        f"The Anthropic API refused the request ({status}).{said} If the conversation is very "
        "long, start a new chat; if the model is unknown, set VERSE_MODEL to a current model.",
        **extra,
    )
