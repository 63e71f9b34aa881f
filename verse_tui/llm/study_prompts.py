"""Prompts for the study aids: insights on a passage and the meaning of a word in a verse.

Both build on the chat's Bible-study system prompt (answer from the text, cite "Book C:V",
mark interpretation, respect traditions) and add what each study aid needs.
"""

from __future__ import annotations

from verse_tui.domain.bible import Passage
from verse_tui.domain.lexicon import StrongsEntry
from verse_tui.domain.study import INSIGHT_KIND_TITLES, GlossaryEntry, InsightKind
from verse_tui.llm.prompts import study_system

INSIGHT_INSTRUCTIONS: dict[str, str] = {
    "historical_context": (
        "Give the historical and cultural context of this passage: who wrote it, to whom, "
        "when and where (with the usual scholarly range where dates are disputed), what was "
        "happening, and customs or places a modern reader would miss. Say how sure the "
        "evidence is."
    ),
    "key_themes": (
        "Name the key themes of this passage (three to five), each with a short paragraph that "
        "points to the words in the text that carry it, and how the theme runs through the "
        "rest of Scripture."
    ),
    "cross_references": (
        "List six to ten other passages that illuminate this one. Put each on its own line as "
        '"- Book Chapter:Verse - one sentence on the connection", using the full book name '
        'and the form "Romans 8:28" or "Romans 8:28-30" so that the reference can be linked. '
        "Do not cite the passage itself."
    ),
    "original_language": (
        "Give notes on the original language (Hebrew, Aramaic or Greek) of the words that "
        "matter most in this passage: the word transliterated, its range of meaning, how the "
        "translation renders it and what other English versions choose. Do not invent "
        "Strong's numbers; say when a reading is disputed or rests on textual variants."
    ),
    "application": (
        "Suggest how a reader today might apply this passage: a few concrete, practical "
        "reflections grounded in what the text says in its context, noting where Christian "
        "traditions apply it differently. No sermonising; end with two questions for "
        "reflection."
    ),
}

DEFINITION_FORMAT = """\
Answer in exactly this form, one line each, no Markdown:
Part of speech: <part of speech in this verse>
Sense in this verse: <what the word means here, in one or two sentences>
Modern equivalent: <a modern English word or short phrase>
Note: <optional: the Hebrew or Greek word behind it, or how the sense has changed since 1611>
"""

INSIGHT_MAX_TOKENS = 1500
DEFINITION_MAX_TOKENS = 400


def passage_block(passage: Passage) -> str:
    """The passage text, one verse per line with its number, in a tagged block."""
    lines = [f"{v.ref.verse} {v.plain_text}" for v in passage.verses if not v.omitted]
    return (
        f'<passage reference="{passage.reference}" translation="{passage.translation}">\n'
        + "\n".join(lines)
        + "\n</passage>"
    )


def insight_system(kind: InsightKind) -> list[dict[str, str]]:
    """The `system` parameter of an insight request."""
    task = (
        f"You are writing the '{INSIGHT_KIND_TITLES[kind]}' study note on a passage the user "
        f"is reading. {INSIGHT_INSTRUCTIONS[kind]} Write at most about 350 words."
    )
    return study_system(task)


def insight_request(kind: InsightKind, passage: Passage) -> str:
    """The user turn of an insight request."""
    return (
        f"{INSIGHT_KIND_TITLES[kind]} for {passage.reference} ({passage.translation}):\n\n"
        f"{passage_block(passage)}"
    )


def definition_system() -> list[dict[str, str]]:
    task = (
        "You explain what one word means as it is used in one verse, for a reader of an "
        "older English translation. Be brief and exact; say when the sense is debated. "
        "If the surrounding verses or the word's use elsewhere would settle the sense, read "
        "them with the tools first; then give the answer.\n\n" + DEFINITION_FORMAT
    )
    return study_system(task)


def definition_request(
    word: str,
    passage: Passage,
    glossary: tuple[GlossaryEntry, ...],
    strongs: tuple[StrongsEntry, ...] = (),
) -> str:
    """The user turn: the word, its verse, the Greek/Hebrew behind it (Strong's), and what the
    offline glossary already says."""
    request = f'What does "{word}" mean in {passage.reference} ({passage.translation})?\n\n'
    request += passage_block(passage)
    if glossary:
        senses = "; ".join(
            f"({entry.part_of_speech or 'form'}) {sense.text}"
            for entry in glossary
            for sense in entry.senses[:2]
        )
        request += (
            f"\n\nA 1913 dictionary (shown to the reader already) gives: {senses}\n"
            "Say which sense applies here, or what the sense is if none does."
        )
    for entry in strongs:
        request += (
            f"\n\nIn the KJV this word renders {entry.language} {entry.number} {entry.lemma} "
            f"({entry.transliteration}); Strong's dictionary: {entry.definition}"
        )
    return request
