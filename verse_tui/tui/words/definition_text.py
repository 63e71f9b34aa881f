"""How a definition reads on screen (pure: no Textual)."""

from __future__ import annotations

import re

from verse_tui.domain.lexicon import StrongsEntry
from verse_tui.domain.study import Definition, GlossaryEntry

WORD_RE = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")


def verse_words(text: str) -> list[tuple[int, int]]:
    """(start, end) of each word of a verse's plain text, in order."""
    return [match.span() for match in WORD_RE.finditer(text)]


def glossary_text(entries: tuple[GlossaryEntry, ...]) -> str:
    """The glossary's entries as Markdown, or an empty string."""
    lines: list[str] = []
    for entry in entries:
        pos = f" *{entry.part_of_speech}*" if entry.part_of_speech else ""
        lines.append(f"**{entry.headword}**{pos}")
        if entry.form_note:
            lines.append(f"({entry.form_note})")
        for number, sense in enumerate(entry.senses[:4], start=1):
            labels = f" _[{', '.join(sense.labels)}]_" if sense.labels else ""
            lines.append(f"{number}. {sense.text}{labels}")
        if entry.modern:
            lines.append(f"Modern word: **{entry.modern}**")
        lines.append("")
    return "\n".join(lines).strip()


def lexicon_text(entries: tuple[StrongsEntry, ...]) -> str:
    """The original-word card of each Strong's entry behind the word, as Markdown: number,
    script, transliteration and pronunciation, the gloss, the KJV's renderings."""
    cards = []
    for e in entries:
        renderings = ", ".join(f"{r.text} ({r.count})" for r in e.renderings[:6])
        cards.append(
            f"**{e.number} · {e.lemma}** · {e.transliteration} · _{e.pronunciation}_ "
            f"· {e.language}\n\n{e.gloss}\n\nKJV: {renderings} · in {e.verses} verses"
        )
    return "\n\n".join(cards)


def summary(definition: Definition) -> str:
    """One line for the word list: word, verse, sense."""
    sense = (definition.sense or "").replace("\n", " ")
    if len(sense) > 90:
        sense = sense[:89] + "…"
    return f"{definition.word} — {definition.reference}: {sense}"


def full_text(definition: Definition) -> str:
    """Everything known about the word in that verse, as Markdown."""
    parts = [f"## {definition.word} in {definition.reference} ({definition.translation})"]
    if definition.ai_text:
        by = f" ({definition.model})" if definition.model else ""
        parts.append(f"**In this verse**{by}\n\n{definition.ai_text.strip()}")
    lexicon = lexicon_text(definition.strongs)
    if lexicon:
        parts.append(f"**Original word** (Strong's)\n\n{lexicon}")
    glossary = glossary_text(definition.glossary)
    if glossary:
        parts.append(f"**From the glossary**\n\n{glossary}")
    if definition.notice:
        parts.append(f"_{definition.notice}_")
    return "\n\n".join(parts)
