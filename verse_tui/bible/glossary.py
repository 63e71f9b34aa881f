"""Look words up in the offline KJV glossary (`data/glossary.json`, built by build_glossary.py).

Pure Python and synchronous: the file (about 0.9 MB) is read once, on the first lookup;
async callers go through `asyncio.to_thread`. Lookups normalise what a reader types:

- case and surrounding punctuation: "Hath," -> "hath"; a possessive "'s" is dropped;
- multi-word phrases: "an hungred" -> the entry for "hungred";
- archaic inflections the dictionary lists: "begat" -> "beget";
- -eth / -est / -edst verb endings: "loveth" -> "love" (3rd person singular, "loves"),
  "shewed" / "sheweth" -> "shew".
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from verse_tui.config import shipped_data_dir
from verse_tui.domain.study import GlossaryEntry, GlossarySense
from verse_tui.errors import InputError

GLOSSARY_NAME = "glossary.json"
SUPPORTED_FORMAT = 1
PERSON_NOTES = {
    "3s": "-eth is the older ending of the third person singular present ({modern})",
    "2s": "-est/-st is the older ending of the second person singular, used with thou "
    "(thou {word} = you {modern})",
    "2s-past": "-edst is the older second person singular past, used with thou",
}
_SUFFIXES = ("edst", "eth", "est", "ed", "st", "th", "es", "s")
_CLEAN_RE = re.compile(r"[^a-z' -]")


class GlossaryUnavailableError(InputError):
    """The glossary file is missing or damaged."""


class Glossary:
    """The loaded glossary. `lookup(word)` returns its entries, most relevant first."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        if data.get("format") != SUPPORTED_FORMAT:
            raise GlossaryUnavailableError(
                f"The glossary file has format {data.get('format')!r}; this Verse reads format "
                f"{SUPPORTED_FORMAT}. Rebuild it: python -m verse_tui.bible.build_glossary"
            )
        self._entries: Mapping[str, list[dict[str, Any]]] = data["entries"]
        self._forms: Mapping[str, list[str]] = data["forms"]
        self._phrases: Mapping[str, str] = data["phrases"]
        self.source: Mapping[str, str] = data.get("source", {})

    @classmethod
    def load(cls, path: Path | None = None) -> Glossary:
        file = path or shipped_data_dir() / GLOSSARY_NAME
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise GlossaryUnavailableError(
                f"Cannot read the glossary {file}: {exc}. Reinstall Verse, or rebuild it with "
                "`python -m verse_tui.bible.build_glossary`."
            ) from exc
        return cls(data)

    def __contains__(self, word: str) -> bool:
        return bool(self.lookup(word))

    def lookup(self, word: str) -> tuple[GlossaryEntry, ...]:
        """The glossary's entries for `word` (any case or inflection), or () when it has none."""
        asked = normalise(word)
        if not asked:
            return ()
        if asked in self._phrases:
            return self._entries_for(asked, self._phrases[asked])
        if asked in self._entries:
            also = self._from_form(asked, self._forms[asked]) if asked in self._forms else ()
            return also + self._entries_for(asked, asked)
        if asked in self._forms:
            return self._from_form(asked, self._forms[asked])
        for stem in candidate_stems(asked):
            if stem in self._entries:
                note = f"a form of {stem}"
                return self._entries_for(asked, stem, form_note=note)
        return ()

    def _entries_for(
        self, asked: str, headword: str, *, form_note: str | None = None
    ) -> tuple[GlossaryEntry, ...]:
        return tuple(
            GlossaryEntry(
                word=asked,
                headword=headword,
                part_of_speech=record.get("pos", ""),
                senses=tuple(
                    GlossarySense(text, tuple(labels)) for text, labels in record["senses"]
                ),
                modern=record.get("modern"),
                lemma=record.get("lemma"),
                form_note=form_note,
            )
            for record in self._entries.get(headword, ())
        )

    def _from_form(self, asked: str, form: list[str]) -> tuple[GlossaryEntry, ...]:
        lemma, how, *modern = form
        if modern:  # an -eth/-est form of a modern verb: a grammar note
            note = PERSON_NOTES[how].format(word=asked, modern=modern[0])
            own = self._entries_for(asked, lemma, form_note=note)
            if own:
                return own
            sense = GlossarySense(f"Older form of {modern[0]!r}: {note}.", ("archaic",))
            return (GlossaryEntry(asked, lemma, "v.", (sense,), modern[0], lemma, note),)
        note = f"{how.replace('(archaic)', '').strip()} of {lemma}, archaic".replace("imp.", "past")
        return self._entries_for(asked, lemma, form_note=note)


_NOUN_CUES = frozenset(
    "the a an his her my thy their our your its this these those every mine thine".split()  # noqa: SIM905
)
_VERB_CUES = frozenset(
    """to shall shalt will wilt may might must can could would should did do doth dost let
    i we ye thou they he she not""".split()  # noqa: SIM905
)
_VERB_NOTES = ("-eth", "-est", "-edst")


def part_of_speech_in(word: str, text: str) -> str | None:
    """'n.' or 'v.' as `word` is used in `text` (the first place it occurs), guessed from the
    word before it ("with the besom" -> noun, "shall besom" -> verb), or None."""
    words = [normalise(w) for w in text.split()]
    asked = normalise(word)
    for index, candidate in enumerate(words):
        if candidate == asked:
            before = words[index - 1] if index else ""
            if before in _NOUN_CUES:
                return "n."
            if before in _VERB_CUES:
                return "v."
            return None
    return None


def in_context_order(entries: tuple[GlossaryEntry, ...], text: str) -> tuple[GlossaryEntry, ...]:
    """The entries with those of the part of speech the verse uses first (a stable sort):
    "besom" in "I will sweep it with the besom of destruction" is the noun, a broom."""
    if not entries:
        return entries
    note = entries[0].form_note or ""
    wanted = "v." if note.startswith(_VERB_NOTES) else part_of_speech_in(entries[0].word, text)
    if wanted is None:
        return entries
    return tuple(sorted(entries, key=lambda e: not e.part_of_speech.startswith(wanted)))


def normalise(word: str) -> str:
    """Lower case, curly quotes straightened, possessive and punctuation dropped."""
    text = word.strip().lower().replace("\u2019", "'")
    text = re.sub(r"'s$", "", text)
    text = _CLEAN_RE.sub("", text).strip(" '-")
    return re.sub(r"\s+", " ", text)


def candidate_stems(word: str) -> list[str]:
    """Possible base forms of an inflected word: "shewed" -> ["shew", "shewe", ...]."""
    stems: list[str] = [word[:-3] + "man"] if word.endswith("men") else []  # chapmen
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            stem = word[: -len(suffix)]
            stems += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                stems.append(stem[:-1])
            if stem.endswith("i"):
                stems.append(stem[:-1] + "y")
    return stems


@cache
def shipped_glossary() -> Glossary:
    """The glossary shipped with Verse, loaded once per process (blocking: use a thread)."""
    return Glossary.load()
