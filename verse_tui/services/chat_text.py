"""Text rules of chats: questions, titles, search snippets and the passage as Claude sees it
(the history sent with a new question is in `chat_history.py`). Pure functions, no I/O."""

from __future__ import annotations

import re

from verse_tui.db.models.chats import TITLE_LENGTH
from verse_tui.domain.bible import MAX_CONTEXT_VERSES, Passage, VerseRange
from verse_tui.domain.chat import ChatPassage
from verse_tui.errors import InputError

TITLE_WORDS_LIMIT = 60  # characters of the first question kept in a chat's title
MAX_TITLE_LENGTH = TITLE_LENGTH
MAX_QUESTION_LENGTH = 50_000


def clean_question(text: str) -> str:
    question = text.strip()
    if not question:
        raise InputError("Type a question or a message for Claude first.")
    if len(question) > MAX_QUESTION_LENGTH:
        raise InputError(
            f"That message has {len(question):,} characters; the limit is "
            f"{MAX_QUESTION_LENGTH:,}. Shorten it, or split it into several messages."
        )
    return question


def clean_title(title: str) -> str:
    name = " ".join(title.split())
    if not name:
        raise InputError("A chat title cannot be empty. Type a few words to name the chat.")
    if len(name) > MAX_TITLE_LENGTH:
        raise InputError(f"A chat title has at most {MAX_TITLE_LENGTH} characters.")
    return name


def short_title(question: str) -> str:
    """The first question, on one line, cut at a word boundary to about 60 characters."""
    line = " ".join(question.split())
    if len(line) <= TITLE_WORDS_LIMIT:
        return line
    cut = line[:TITLE_WORDS_LIMIT].rsplit(" ", 1)[0].rstrip(" ,.;:!?-–—")
    return (cut or line[:TITLE_WORDS_LIMIT]) + "…"


def snippet(text: str, needle: str, width: int = 40) -> str:
    """The text around the first match of `needle`, the match marked as «…»."""
    match = re.search(re.escape(needle), text, flags=re.IGNORECASE)
    if match is None:
        return " ".join(text[: 2 * width].split())
    start, end = match.span()
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    lead = "…" if start > width else ""
    tail = "…" if end + width < len(text) else ""
    return " ".join(f"{lead}{before}«{text[start:end]}»{after}{tail}".split())


def chat_passage(passage: Passage) -> ChatPassage:
    """The passage as a chat stores it and sends it to Claude: one verse per line."""
    verses = [v for v in passage.verses if not v.omitted]
    if not verses:
        raise InputError(
            f"{passage.reference} has no text in {passage.translation}, so there is nothing "
            "to talk about. Pick another passage or translation."
        )
    if len(verses) > MAX_CONTEXT_VERSES:
        raise InputError(
            f"{passage.reference} has {len(verses):,} verses; a chat about a passage sends at "
            f"most {MAX_CONTEXT_VERSES} to Claude. Pick a chapter or a shorter passage."
        )
    lines = "\n".join(f"{v.ref.chapter}:{v.ref.verse} {v.plain_text}" for v in verses)
    span = VerseRange(verses[0].ref, verses[-1].ref)
    return ChatPassage(passage.translation, passage.reference, span, lines)
