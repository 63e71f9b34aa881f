"""How a definition reads on screen (pure: no Textual)."""

from __future__ import annotations

import re

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
    glossary = glossary_text(definition.glossary)
    if glossary:
        parts.append(f"**From the glossary**\n\n{glossary}")
    if definition.notice:
        parts.append(f"_{definition.notice}_")
    return "\n\n".join(parts)
