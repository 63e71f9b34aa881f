"""The local tools Claude may call while answering (Anthropic tool use), as fixed definitions.

Verse runs them itself against the shipped Bible text (`verse_tui.services.tools`), so no
request leaves the machine for them. The definitions never change at run time: they are sent
as they are with every request (and can carry `cache_control` on the last one, so the
prompt cache covers them). Descriptions say when to call a tool, what it returns and what a
good input looks like, which is what Claude uses to decide.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from verse_tui.domain.bible import MAX_CONTEXT_VERSES

READ_PASSAGE = "read_passage"
SEARCH_BIBLE = "search_bible"
STRONGS_ENTRY = "strongs_entry"
COMMENTARY = "commentary"
TOPICS = "topics"
TOPIC = "topic"
BIBLE_TOOLS = (READ_PASSAGE, SEARCH_BIBLE)  # the Bible text: always there
STUDY_TOOLS = (STRONGS_ENTRY, COMMENTARY, TOPICS, TOPIC)  # only with the study library
TOOL_NAMES = BIBLE_TOOLS + STUDY_TOOLS
SHIPPED_TRANSLATIONS = ("KJV", "WEB", "ASV", "YLT")  # the codes in data/bible.sqlite
MAX_PASSAGE_VERSES = MAX_CONTEXT_VERSES
MAX_REFERENCE_LENGTH = 200
MAX_QUERY_LENGTH = 200
DEFAULT_SEARCH_HITS = 10
MAX_SEARCH_HITS = 25
MAX_STRONGS_LENGTH = 10
MAX_TOPIC_LENGTH = 80
COMMENTARY_CHARS = 8000  # a commentary result is cut at about this many characters
TOPIC_CHARS = 4000  # and a topic's outline at this many

_TRANSLATION = {
    "type": "string",
    "enum": list(SHIPPED_TRANSLATIONS),
    "description": (
        "Translation code: KJV (King James Version, 1769), WEB (World English Bible, modern "
        "English), ASV (American Standard Version, 1901) or YLT (Young's Literal "
        "Translation, 1898). Leave it out to use the translation the reader has chosen."
    ),
}

_REFERENCE = {
    "type": "string",
    "description": (
        'A Bible reference: a verse or a few verses, e.g. "Romans 8:28", "Ps 23", '
        '"John 3:16-18" or "1 Cor 13:4-7".'
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
    {
        "name": STRONGS_ENTRY,
        "description": (
            "Look up a Strong's number in the local Strong's dictionary: the Greek or Hebrew "
            "word (lemma), its transliteration and pronunciation, Strong's definition, and "
            "how the KJV translates it, with counts (e.g. love 81, charity 28), plus how "
            "many KJV verses use it. Call this before explaining what an original-language "
            "word means or how often it occurs, instead of answering from memory. G numbers "
            "are Greek (New Testament, G1-G5624), H numbers Hebrew (Old Testament, "
            "H1-H8674); an unknown number returns an error."
        ),
        "input_schema": {
            "type": "object",
            "properties": {
                "number": {
                    "type": "string",
                    "description": 'A Strong\'s number, e.g. "G26" (agape, love) or "H430".',
                },
            },
            "required": ["number"],
            "additionalProperties": False,
        },
    },
    {
        "name": COMMENTARY,
        "description": (
            "Read what a classic commentary says on a passage, from the local study library: "
            "Matthew Henry's Concise Commentary (mhcc, the whole Bible, the default) or "
            "Charles Spurgeon's The Treasury of David (tdavid, the Psalms only, much longer). "
            "Returns the commentary's sections that cover any verse of the passage, each "
            "under the verses it covers. Use it when the reader asks how the passage has "
            "been read or explained, and say whose view it is when you use it. Long "
            f"results are cut at about {COMMENTARY_CHARS} characters with a note; ask for "
            f"fewer verses to read more. At most {MAX_PASSAGE_VERSES} verses per call."
        ),
        "input_schema": {
            "type": "object",
            "properties": {
                "reference": _REFERENCE,
                "source": {
                    "type": "string",
                    "enum": ["mhcc", "tdavid"],
                    "description": (
                        "mhcc (Matthew Henry's Concise Commentary, default) or tdavid "
                        "(The Treasury of David, Psalms only)."
                    ),
                },
            },
            "required": ["reference"],
            "additionalProperties": False,
        },
    },
    {
        "name": TOPICS,
        "description": (
            "List the topics of Nave's Topical Bible that cite a verse or passage (e.g. "
            "Romans 8:28: AFFLICTIONS AND ADVERSITIES, FAITH, GOD, LOVE, PREDESTINATION, "
            "...). Use it to see which themes a passage belongs to, then call topic with "
            "one of the names to find the other verses on that theme. "
            f"At most {MAX_PASSAGE_VERSES} verses per call."
        ),
        "input_schema": {
            "type": "object",
            "properties": {"reference": _REFERENCE},
            "required": ["reference"],
            "additionalProperties": False,
        },
    },
    {
        "name": TOPIC,
        "description": (
            "Read one topic of Nave's Topical Bible: its outline of sub-topics, each with the "
            "Bible references Nave's lists for it (abbreviated, e.g. Ro 5:1; Heb 11:1-40), "
            "and related topics. Use it to gather what the whole Bible says on a subject "
            "(then read_passage the verses before quoting them). Names are as topics "
            "returns them, in any case (e.g. FAITH, PRAYER, LOVE); an unknown name returns "
            "an error with close names. Long outlines are cut at about "
            f"{TOPIC_CHARS} characters with a note."
        ),
        "input_schema": {
            "type": "object",
            "properties": {
                "name": {
                    "type": "string",
                    "description": 'A Nave\'s topic name, e.g. "FAITH" or "Prayer".',
                },
            },
            "required": ["name"],
            "additionalProperties": False,
        },
    },
)


def tool_definitions(
    *, cache: bool = False, names: Sequence[str] = TOOL_NAMES
) -> list[dict[str, Any]]:
    """The `tools` parameter of a request: fresh copies of the fixed definitions of `names`
    (all of them by default), in their fixed order. With `cache`, the last one carries
    `cache_control` so the prompt cache covers all of them."""
    tools = copy.deepcopy([d for d in _DEFINITIONS if d["name"] in names])
    if cache:
        tools[-1]["cache_control"] = {"type": "ephemeral"}
    return tools


def tool_result_block(tool_use_id: str, content: str, *, is_error: bool) -> dict[str, Any]:
    """The `tool_result` content block answering one `tool_use` block."""
    block: dict[str, Any] = {"type": "tool_result", "tool_use_id": tool_use_id, "content": content}
    if is_error:
        block["is_error"] = True
    return block
