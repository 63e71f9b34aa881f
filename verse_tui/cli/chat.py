"""`verse chat [--passage REF] [--translation CODE] [--chat ID] [--max-tokens N] [--json] MESSAGE`

Asks Claude and streams the reply to stdout as it arrives. With `--passage` the chat is about
that passage (its text is sent as context); with `--chat ID` the message continues that chat;
with neither, a new standalone chat starts. The question and the reply are saved as the reply
streams, so nothing is lost: a failure prints one sentence on stderr and exits 1, and the
failed exchange stays visible in `verse chats show ID`. Ctrl-C keeps the partial reply
(status `cancelled`). Each local tool Claude calls (reading or searching the Bible) is one
line on stderr ("⚙ read Romans 5:8 (KJV)"). `--json` prints one object at the end instead
of streaming: {"chat_id", "message_id", "text", "stop_reason", "was_truncated", "status",
"tools", "citations"} (plus "error"); each citation is {"reference", "quote", "verdict",
"translation", "similarity"}, checked against the local text.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass, field
from typing import TextIO

from verse_tui.cli._guard import EXIT_INTERRUPTED
from verse_tui.cli._kit import (
    UsageError,
    int_option,
    parse_args,
    print_json,
    run,
)
from verse_tui.cli._services import open_services
from verse_tui.domain.chat import (
    ChatStreamEvent,
    CitationsChecked,
    StreamFailed,
    StreamFinished,
    StreamStarted,
    TextDelta,
    ToolUsed,
)
from verse_tui.domain.citations import Citation

USAGE = """usage: verse chat [--passage REF] [--translation CODE] [--chat ID] [--max-tokens N]
                  [--json] MESSAGE

Ask Claude; the reply streams to the terminal and is saved as it arrives.

options:
  -p, --passage REF       talk about this passage (e.g. "John 3:16-21"), in a new chat
  -t, --translation CODE  the passage's translation (default: your configured one)
  -c, --chat ID           continue chat ID (see `verse chats list`)
  --max-tokens N          the longest reply, in tokens (default 2048)
  --json                  print one JSON object at the end instead of streaming
  -h, --help              show this help

Needs ANTHROPIC_API_KEY (or api_key in $VERSE_HOME/config.toml, chmod 600)."""
OPTIONS = {
    "-p": "passage",
    "--passage": "passage",
    "-t": "translation",
    "--translation": "translation",
    "-c": "chat",
    "--chat": "chat",
    "--max-tokens": "max-tokens",
}
FLAGS = {"--json": "json"}
NOT_SHOWABLE = ("reply_unlinked", "reply_gone")  # the chat is no longer this device's to show


@dataclass
class Outcome:
    """What the stream did, gathered for the final report."""

    chat_id: int | None = None
    message_id: int | None = None
    parts: list[str] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    finished: StreamFinished | None = None
    failed: StreamFailed | None = None

    @property
    def status(self) -> str:
        if self.failed is not None:
            return "failed"
        return "complete" if self.finished is not None else "cancelled"

    def as_json(self) -> dict[str, object]:
        finished = self.finished
        result: dict[str, object] = {
            "chat_id": self.chat_id,
            "message_id": self.message_id,
            "text": "".join(self.parts),
            "stop_reason": finished.stop_reason if finished else None,
            "was_truncated": finished.was_truncated if finished else True,
            "status": self.status,
            "tools": list(self.tools),
            "citations": [c.as_json() for c in self.citations],
        }
        if self.failed is not None:
            result["error"] = self.failed.message
            result["error_kind"] = self.failed.kind
        return result


def main(argv: list[str]) -> int:
    def body() -> int:
        words, options = parse_args(argv, OPTIONS, FLAGS)
        message = " ".join(words).strip()
        if not message:
            raise UsageError("type the message for Claude after the options.")
        if options.get("chat") and (options.get("passage") or options.get("translation")):
            raise UsageError("--chat continues a chat; it cannot be combined with --passage.")
        if options.get("translation") and not options.get("passage"):
            raise UsageError("--translation goes with --passage.")
        chat_id = int_option(options, "chat", 0, minimum=1) or None
        max_tokens = int_option(options, "max-tokens", 0, minimum=1) or None
        as_json = bool(options.get("json"))
        outcome = Outcome()
        try:
            asyncio.run(_chat(message, options, chat_id, max_tokens, outcome, as_json))
        except KeyboardInterrupt:
            _report_interrupt(outcome)
            return EXIT_INTERRUPTED
        return _report(outcome, as_json)

    return run("chat", USAGE, body)


async def _chat(
    message: str,
    options: dict[str, str | bool],
    chat_id: int | None,
    max_tokens: int | None,
    outcome: Outcome,
    as_json: bool,
) -> None:
    async with open_services() as services:
        chats = services.chats
        if chat_id is not None:
            events = chats.send_message_stream(chat_id, message, max_tokens=max_tokens)
        elif options.get("passage"):
            translation = str(options.get("translation") or services.settings.translation).upper()
            passage = await services.bible.passage(translation, str(options["passage"]))
            chat = await chats.create_chat(passage)
            events = chats.send_message_stream(chat.id, message, max_tokens=max_tokens)
        else:
            events = chats.create_standalone_chat_stream(message, max_tokens=max_tokens)
        async for event in events:
            _record(event, outcome, None if as_json else sys.stdout)


def _record(event: ChatStreamEvent, outcome: Outcome, out: TextIO | None) -> None:
    if isinstance(event, StreamStarted):
        outcome.chat_id, outcome.message_id = event.chat_id, event.message_id
    elif isinstance(event, TextDelta):
        outcome.parts.append(event.text)
        if out is not None:
            out.write(event.text)
            out.flush()
    elif isinstance(event, ToolUsed):
        outcome.tools.append(event.summary)
        midline = out is not None and outcome.parts and not outcome.parts[-1].endswith("\n")
        print(f"{chr(10) if midline else ''}⚙ {event.summary}", file=sys.stderr, flush=True)
    elif isinstance(event, CitationsChecked):
        outcome.citations.extend(event.citations)
    elif isinstance(event, StreamFinished):
        outcome.finished = event
    else:
        outcome.failed = event


def _report(outcome: Outcome, as_json: bool) -> int:
    if as_json:
        print_json(outcome.as_json())
    elif outcome.parts:
        print()
    where = f"chat {outcome.chat_id}" if outcome.chat_id is not None else "the chat"
    if outcome.failed is not None:
        print(f"verse chat: {outcome.failed.message}", file=sys.stderr)
        if outcome.failed.kind not in NOT_SHOWABLE:
            print(f"(saved in {where}: verse chats show {outcome.chat_id})", file=sys.stderr)
        return 1
    finished = outcome.finished
    if finished is not None and finished.was_truncated and not as_json:
        why = finished.stop_reason or "the reply ended early"
        print(f"[reply cut off: {why}; saved in {where}]", file=sys.stderr)
    return 0


def _report_interrupt(outcome: Outcome) -> None:
    if outcome.parts:
        print()
    saved = f" in chat {outcome.chat_id}" if outcome.chat_id is not None else ""
    print(f"verse chat: stopped; the partial reply is saved{saved}.", file=sys.stderr)
