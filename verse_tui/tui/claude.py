"""What every screen that asks Claude shares: the no-key message and the warm-up.

`needs_key_message(app)` says what to do when no API key is configured (the rest of Verse
works without one); `ClaudeWarmUp` is mixed into the screens that will ask Claude (chat,
insights, a word's definition) so the SDK is imported before the first question.
"""

from __future__ import annotations

import gc
from typing import Any

from textual import work

NO_KEY_FOOTNOTE = " Reading, search, notes, the glossary and device pairing work without it."


def needs_key_message(app: Any) -> str | None:
    """None when Claude can be asked; otherwise what to do about the missing key."""
    from verse_tui.llm.errors import MissingApiKeyError

    llm = getattr(getattr(app, "services", None), "llm", None)
    if llm is not None and getattr(llm, "has_api_key", False):
        return None
    config = getattr(app.settings, "config_file", None)
    return str(MissingApiKeyError(str(config) if config else None)) + NO_KEY_FOOTNOTE


class ClaudeWarmUp:
    """Mixin for screens that will ask Claude: call `warm_up_claude()` when the screen opens.

    It imports the anthropic SDK (~1.3 s), builds the client (its TLS certificates) and primes
    the Markdown renderer in a thread, so the first reply does not freeze the screen; what it
    imports lives as long as the app, so it is moved out of the collector's way
    (`gc.freeze`).
    """

    @work(
        thread=True,
        group="claude-warm-up",
        name="warm-up-claude",
        exit_on_error=False,
        description="Preparing Claude's client",
    )
    def warm_up_claude(self) -> None:
        from verse_tui.tui.chat.streaming_markdown import warm_up

        app = self.app  # type: ignore[attr-defined]
        ready = needs_key_message(app) is None
        warm_up(sdk=ready)
        if ready:  # build the client too (TLS certificates: 20-40 ms kept off the loop)
            app.services.llm.prepare()
        app.call_from_thread(gc.freeze)
