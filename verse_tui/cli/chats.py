"""`verse chats list|show ID|rename ID TITLE|delete ID [--json]`: your saved chats with Claude.

`list` shows the chats most recently active first (id, date, title, passage, message count);
`show` prints one chat's messages with role, status, stop reason and truncation (a failed or
interrupted reply shows its error); `rename` and `delete` change one chat. `--json` prints the
same data as JSON for scripts.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from verse_tui.cli._kit import UsageError, emit, parse_args, run, whole_number
from verse_tui.cli._services import run_with_services
from verse_tui.domain.chat import Chat, ChatMessage, ChatSummary
from verse_tui.domain.text import echo, terminal_safe
from verse_tui.domain.usage import ChatCost
from verse_tui.services.chat_cost import cost_line
from verse_tui.services.chats import ChatService

USAGE = """usage: verse chats list|show ID|rename ID TITLE|delete ID [--json]

Your saved chats with Claude.

commands:
  list              chats, most recently active first
  show ID           one chat with all its messages
  rename ID TITLE   give a chat a new title
  delete ID         delete a chat and its messages

options:
  --json            print JSON for scripts
  -h, --help        show this help"""
FLAGS = {"--json": "json"}
T = TypeVar("T")


def main(argv: list[str]) -> int:
    def body() -> int:
        words, options = parse_args(argv, {}, FLAGS)
        if not words:
            raise UsageError("say what to do: list, show, rename or delete.")
        action, rest = words[0], words[1:]
        as_json = bool(options.get("json"))
        if action == "list" and not rest:
            chats = _with_chats(lambda s: s.list_chats(limit=1000))
            emit(as_json, [summary_json(c) for c in chats], _list_lines(chats))
        elif action == "show" and len(rest) == 1:
            chat_id = _chat_id(rest[0])
            chat = _with_chats(lambda s: s.get_chat(chat_id))
            emit(as_json, chat_json(chat), chat_lines(chat))
        elif action == "rename" and len(rest) >= 2:
            chat_id, title = _chat_id(rest[0]), " ".join(rest[1:])
            summary = _with_chats(lambda s: s.rename_chat(chat_id, title))
            emit(as_json, summary_json(summary), [f"Renamed chat {chat_id}."])
        elif action == "delete" and len(rest) == 1:
            chat_id = _chat_id(rest[0])
            _with_chats(lambda s: s.delete_chat(chat_id))
            emit(as_json, {"deleted": chat_id}, [f"Deleted chat {chat_id}."])
        else:
            raise UsageError(f"cannot understand {echo(' '.join(words))}.")
        return 0

    return run("chats", USAGE, body)


def _chat_id(text: str) -> int:
    return whole_number(text, "a chat ID", hint=" (see `verse chats list`)")


def _with_chats(call: Callable[[ChatService], Awaitable[T]]) -> T:
    return run_with_services(lambda services: call(services.chats))


def summary_json(chat: ChatSummary) -> dict[str, object]:
    return {
        "id": chat.id,
        "title": chat.title,
        "reference": chat.reference,
        "translation": chat.translation,
        "message_count": chat.message_count,
        "created_at": chat.created_at.isoformat(),
        "updated_at": chat.updated_at.isoformat(),
    }


def message_json(message: ChatMessage) -> dict[str, object]:
    return {
        "id": message.id,
        "role": message.role,
        "text": message.text,
        "status": message.status,
        "stop_reason": message.stop_reason,
        "was_truncated": message.was_truncated,
        "error": message.error,
        "model": message.model,
        "input_tokens": message.input_tokens,
        "output_tokens": message.output_tokens,
        "cache_read_tokens": message.cache_read_tokens,
        "cache_write_tokens": message.cache_write_tokens,
        "tools": list(message.tool_summaries),
        "citations": [c.as_json() for c in message.citations],
        "created_at": message.created_at.isoformat(),
    }


def chat_json(chat: Chat) -> dict[str, object]:
    cost = chat.cost or ChatCost()
    usage = {
        "input_tokens": cost.usage.input_tokens,
        "output_tokens": cost.usage.output_tokens,
        "cache_read_tokens": cost.usage.cache_read_tokens,
        "cache_write_tokens": cost.usage.cache_write_tokens,
        "estimated_cost_usd": None if cost.usd is None else round(cost.usd, 6),
        "prices_taken": cost.prices_taken,
    }
    return summary_json(chat.summary) | {
        "usage": usage,
        "messages": [message_json(m) for m in chat.messages],
    }


def _list_lines(chats: tuple[ChatSummary, ...]) -> list[str]:
    if not chats:
        return ['No chats yet. Start one with: verse chat "your question"']
    lines = []
    for chat in chats:
        about = f"  [{chat.reference}, {chat.translation}]" if chat.reference else ""
        when = chat.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
        title = terminal_safe(chat.title)
        lines.append(f"{chat.id:>5}  {when}  {title}{about}  ({chat.message_count} messages)")
    return lines


def chat_lines(chat: Chat) -> list[str]:
    summary = chat.summary
    about = f" — {summary.reference} ({summary.translation})" if summary.reference else ""
    lines = [f"Chat {summary.id}: {terminal_safe(summary.title)}{about}"]
    if chat.cost is not None and chat.cost.usage.output_tokens:
        taken = f" (prices of {chat.cost.prices_taken})" if chat.cost.usd is not None else ""
        lines.append(f"Tokens: {cost_line(chat.cost)}{taken}")
    for message in chat.messages:
        text = terminal_safe(message.text, multiline=True)
        lines += ["", _heading(message)]
        lines += [f"⚙ {terminal_safe(summary)}" for summary in message.tool_summaries]
        lines.append(text or "(no text)")
        if message.error:
            lines.append(f"[{terminal_safe(message.error)}]")
    return lines


def _heading(message: ChatMessage) -> str:
    who = "You" if message.role == "user" else "Claude"
    notes: list[str] = []
    if message.role == "assistant":
        if message.status != "complete":
            notes.append(message.status)
        if message.stop_reason:
            notes.append(f"stop: {terminal_safe(message.stop_reason)}")
        if message.was_truncated:
            notes.append("truncated")
    suffix = f" ({', '.join(notes)})" if notes else ""
    return f"#{message.id} {who}{suffix}:"
