"""Typed errors for every way a call to Claude can fail.

Each error has a `kind` (a stable string the UI and the database use), a message a user can
act on, and `retryable` (trying again later may work). `partial_text` holds what arrived
before a failure mid-stream. Nothing here imports `anthropic` or `httpx2`.
"""

from __future__ import annotations

from typing import ClassVar

from verse_tui.errors import VerseError

KEPT = "The text received so far is kept."


class LlmError(VerseError):
    """A call to Claude failed; the message says what happened and what to do."""

    kind: ClassVar[str] = "llm_error"
    retryable: ClassVar[bool] = False

    def __init__(
        self,
        message: str,
        *,
        partial_text: str = "",
        status_code: int | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.partial_text = partial_text
        self.status_code = status_code
        self.request_id = request_id


class MissingApiKeyError(LlmError):
    kind = "no_api_key"

    def __init__(self, config_file: str | None = None) -> None:
        where = f' or put `api_key = "..."` in {config_file} (chmod 600)' if config_file else ""
        super().__init__(
            "No Anthropic API key is set, so Claude cannot answer. "
            f"Set one with `export ANTHROPIC_API_KEY=sk-ant-...`{where}, then try again."
        )


class AuthenticationFailedError(LlmError):
    kind = "unauthorized"


class PermissionDeniedError(LlmError):
    kind = "forbidden"


class BadRequestError(LlmError):
    kind = "bad_request"


class RateLimitedError(LlmError):
    kind = "rate_limited"
    retryable = True


class OverloadedError(LlmError):
    kind = "overloaded"
    retryable = True


class ServerError(LlmError):
    kind = "server_error"
    retryable = True


class ConnectionFailedError(LlmError):
    """The API could not be reached at all (nothing was received)."""

    kind = "connection"
    retryable = True


class ConnectionDroppedError(LlmError):
    """The connection broke while the reply was streaming."""

    kind = "connection_dropped"
    retryable = True


class ReplyEndedEarlyError(LlmError):
    """The stream ended cleanly, but before Claude said the reply was finished (no
    `message_stop`, or no stop reason): a proxy or the network cut the body short."""

    kind = "ended_early"
    retryable = True


class StreamTimeoutError(LlmError):
    """Nothing arrived for longer than the read timeout."""

    kind = "timeout"
    retryable = True


class StreamError(LlmError):
    """The API reported an error inside a stream that had started normally."""

    kind = "stream_error"
    retryable = True
