"""How the study panel reads (pure: no Textual)."""

from __future__ import annotations

from verse_tui.domain.lexicon import Commentary, VerseTopics

SOURCE_ORDER = ("mhcc", "tdavid")


def commentary_text(commentary: Commentary) -> str:
    """The sections covering the passage, each headed by the verses it covers."""
    if not commentary.sections:
        return f"{commentary.title} has nothing on {commentary.reference}."
    parts = [f"{commentary.title} on {commentary.reference}"]
    for section in commentary.sections:
        heading = f" · {section.heading}" if section.heading else ""
        parts.append(f"── {section.reference}{heading}\n\n{section.text}")
    return "\n\n".join(parts)


def topics_text(topics: VerseTopics) -> str:
    if not topics.topics:
        return f"No Nave's topic cites {topics.reference}."
    return f"Nave's topics citing {topics.reference}: " + "; ".join(topics.topics)


def next_source(source: str, book: int) -> str:
    """The other commentary; the Treasury of David only in the Psalms."""
    if book != 19:
        return "mhcc"
    return SOURCE_ORDER[(SOURCE_ORDER.index(source) + 1) % len(SOURCE_ORDER)]
