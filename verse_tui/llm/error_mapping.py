"""Maps what the `anthropic` SDK and `httpx2` raise to one typed `LlmError`.

Imported only after the SDK is loaded (it imports both). The SDK wraps failures before the
response headers (`APIStatusError`, `APIConnectionError`, `APITimeoutError`), but a connection
that drops or stalls mid-stream surfaces as a raw `httpx2.TransportError`, and an
`event: error` inside a 200 stream as an `APIStatusError` with `status_code == 200`.
"""

from __future__ import annotations

import anthropic
import httpx2

from verse_tui.llm import errors

IN_STREAM_TYPES: dict[str, type[errors.LlmError]] = {
    "overloaded_error": errors.OverloadedError,
    "rate_limit_error": errors.RateLimitedError,
    "api_error": errors.ServerError,
}
KEPT = "The text received so far is kept."


def map_exception(
    exc: BaseException,
    *,
    partial_text: str,
    model: str,
    base_url: str,
    read_timeout: float,
) -> errors.LlmError | None:
    """The typed error for `exc`, or None if it is not a failure of the call to Claude."""
    kept = f" {KEPT}" if partial_text else ""
    if isinstance(exc, anthropic.APIStatusError):
        return _status_error(exc, partial_text=partial_text, model=model, kept=kept)
    if isinstance(exc, anthropic.APITimeoutError | httpx2.TimeoutException):
        return errors.StreamTimeoutError(
            f"Claude sent nothing for {read_timeout:g} seconds, so the reply was stopped."
            f"{kept} Try again; if it keeps happening, check your connection.",
            partial_text=partial_text,
        )
    if isinstance(exc, anthropic.APIConnectionError):
        return errors.ConnectionFailedError(
            f"Cannot reach the Anthropic API at {base_url}. Check your internet connection "
            "(and ANTHROPIC_BASE_URL if you set it), then try again.",
            partial_text=partial_text,
        )
    if isinstance(exc, httpx2.TransportError):
        return errors.ConnectionDroppedError(
            f"The connection to Claude broke while the reply was arriving.{kept} "
            "Try again to get a complete answer.",
            partial_text=partial_text,
        )
    if isinstance(exc, anthropic.APIError):
        return errors.StreamError(
            f"Claude's reply could not be read ({exc}).{kept} Try again.",
            partial_text=partial_text,
        )
    return None


def _status_error(
    exc: anthropic.APIStatusError, *, partial_text: str, model: str, kept: str
) -> errors.LlmError:
    status = exc.status_code
    detail = exc.api_message or ""
    said = f' The API said: "{detail.rstrip(".")}".' if detail else ""
    extra = {"partial_text": partial_text, "status_code": status, "request_id": exc.request_id}
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
