"""The local tools Claude may call while answering (Anthropic tool use), as fixed definitions.

Verse runs them itself against the shipped Bible text (`verse_tui.services.tools`), so no
request leaves the machine for them. The definitions never change at run time: they are sent
as they are with every request (and can carry `cache_control` on the last one, so the
prompt cache covers them). Descriptions say when to call a tool, what it returns and what a
good input looks like, which is what Claude uses to decide.
"""

from __future__ import annotations

import copy
from typing import Any

from verse_tui.domain.bible import MAX_CONTEXT_VERSES

READ_PASSAGE = "read_passage"
SEARCH_BIBLE = "search_bible"
TOOL_NAMES = (READ_PASSAGE, SEARCH_BIBLE)
SHIPPED_TRANSLATIONS = ("KJV", "WEB", "ASV", "YLT")  # the codes in data/bible.sqlite
MAX_PASSAGE_VERSES = MAX_CONTEXT_VERSES
MAX_REFERENCE_LENGTH = 200
MAX_QUERY_LENGTH = 200
DEFAULT_SEARCH_HITS = 10
MAX_SEARCH_HITS = 25

_TRANSLATION = {
    "type": "string",
    "enum": list(SHIPPED_TRANSLATIONS),
    "description": (
        "Translation code: KJV (King James Version, 1769), WEB (World English Bible, modern "
        "English), ASV (American Standard Version, 1901) or YLT (Young's Literal "
        "Translation, 1898). Leave it out to use the translation the reader has chosen."
    ),
}

_DEFINITIONS: tuple[dict[str, Any], ...] = (
    {
        "name": READ_PASSAGE,
        "description": (
            "Read the exact text of a Bible passage from the local Bible the reader uses. "
            "Call this before quoting or closely paraphrasing any verse, and whenever you "
            "are not certain of a verse's wording or of which verse says something: quote "
            "the words this tool returns, not words from memory. Returns one verse per "
            "line, each starting with its verse number (chapter:verse when the passage "
            "crosses chapters), under a heading with the reference and translation. "
            f"At most {MAX_PASSAGE_VERSES} verses per call; a reference that does not exist "
            "returns an error saying why (for example how many chapters the book has)."
        ),
        "input_schema": {
            "type": "object",
            "properties": {
                "reference": {
                    "type": "string",
                    "description": (
                        "A Bible reference: book, chapter and optionally verses, e.g. "
                        '"John 3:16", "Rom 5:6-11", "1 Cor 13", "Genesis 1:1-2:3", '
                        '"John 3:16, 18; 4:1" or "Jude 3".'
                    ),
                },
                "translation": _TRANSLATION,
            },
            "required": ["reference"],
            "additionalProperties": False,
        },
    },
    {
        "name": SEARCH_BIBLE,
        "description": (
            "Search the whole Bible (or one book) for verses containing words or a phrase, "
            "best matches first. Use it to find where the Bible says something before "
            "giving a reference, to find every place a word is used, or to check that a "
            "verse you remember exists. Returns how many verses match and the best ones, "
            "one per line as reference and text. Words match whole words in any order; "
            'put a phrase in double quotes ("living water"); prefix* matches word '
            "beginnings (faith* finds faithful); AND, OR and NOT (in capitals) combine "
            "terms. Search in the wording of the chosen translation (KJV: thee, saith)."
        ),
        "input_schema": {
            "type": "object",
            "properties": {
                "query": {
                    "type": "string",
                    "description": (
                        'Words to find, e.g. faith hope, "born again", shepherd AND lamb.'
                    ),
                },
                "translation": _TRANSLATION,
                "book": {
                    "type": "string",
                    "description": (
                        "Optional: limit the search to one book, by name or abbreviation, "
                        'e.g. "Romans", "Ps", "1 John".'
                    ),
                },
                "limit": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_SEARCH_HITS,
                    "description": (
                        f"How many verses to return (default {DEFAULT_SEARCH_HITS}, "
                        f"at most {MAX_SEARCH_HITS})."
                    ),
                },
            },
            "required": ["query"],
            "additionalProperties": False,
        },
    },
)


def tool_definitions(*, cache: bool = False) -> list[dict[str, Any]]:
    """The `tools` parameter of a request: fresh copies of the fixed definitions. With
    `cache`, the last one carries `cache_control` so the prompt cache covers all of them."""
    tools = copy.deepcopy(list(_DEFINITIONS))
    if cache:
        tools[-1]["cache_control"] = {"type": "ephemeral"}
    return tools


def tool_result_block(tool_use_id: str, content: str, *, is_error: bool) -> dict[str, Any]:
    """The `tool_result` content block answering one `tool_use` block."""
    block: dict[str, Any] = {"type": "tool_result", "tool_use_id": tool_use_id, "content": content}
    if is_error:
        block["is_error"] = True
    return block
