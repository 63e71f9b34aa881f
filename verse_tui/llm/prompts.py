"""System prompts for Bible study with Claude, and the passage context sent with a chat."""

from __future__ import annotations

from typing import Any

from verse_tui.domain.chat import ChatPassage

BIBLE_STUDY_SYSTEM_PROMPT = """\
You are a careful, warm companion for Bible study inside Verse, a terminal Bible reader.

- Answer from the text first. Quote or point to the verses that support what you say.
- Cite references as "Book Chapter:Verse", for example "John 3:16" or "Romans 8:28-30".
- Keep what the text says apart from how it has been read: say plainly when something is
  interpretation, tradition, or disputed among scholars, and name the main views fairly.
- Be respectful of different Christian traditions (Catholic, Orthodox, Protestant and others)
  and of readers from other faiths or none. Do not mock or proselytise.
- When the historical, linguistic or cultural background helps, give it briefly, and say when
  evidence is uncertain.
- If you do not know, say so. Never invent verses, quotations or sources.
- Be concise: short paragraphs, plain Markdown, no headings unless the answer is long.
"""

CONTINUE_INSTRUCTION = (
    "Your previous reply was cut off. Continue it exactly where it stopped, "
    "without repeating anything and without any preamble."
)


def passage_context(passage: ChatPassage) -> str:
    """The passage the user is reading, as it is sent to Claude with every turn of a chat."""
    return (
        f"The user is reading {passage.reference} ({passage.translation}). "
        "The conversation is about this passage unless the user says otherwise.\n\n"
        f'<passage reference="{passage.reference}" translation="{passage.translation}">\n'
        f"{passage.text.strip()}\n"
        "</passage>"
    )


def study_system(*more: str, cache: bool = False) -> list[dict[str, Any]]:
    """A `system` parameter: the Bible-study prompt, then `more` texts, one block each. With
    `cache`, each block carries `cache_control`, so a follow-up reads the prompt (and the
    tool definitions before it) from Claude's prompt cache; the study prompt's breakpoint
    stays valid across chats, a passage's across the turns of its chat."""
    blocks: list[dict[str, Any]] = [
        {"type": "text", "text": text} for text in (BIBLE_STUDY_SYSTEM_PROMPT, *more)
    ]
    if cache:
        for block in blocks:
            block["cache_control"] = {"type": "ephemeral"}
    return blocks


def system_blocks(passage: ChatPassage | None) -> list[dict[str, Any]]:
    """The `system` parameter for a chat, cached: the study prompt, then the passage if there
    is one (with the tool definitions: three of the API's four cache breakpoints)."""
    more = () if passage is None else (passage_context(passage),)
    return study_system(*more, cache=True)
