"""Look words up in the offline KJV glossary (`data/glossary.json`, built by build_glossary.py).

Pure Python and synchronous: the file (about 100 KB) is read once, on the first lookup;
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
_SUFFIXES = ("edst", "eth", "est", "ed", "st", "th", "s")
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


def normalise(word: str) -> str:
    """Lower case, curly quotes straightened, possessive and punctuation dropped."""
    text = word.strip().lower().replace("\u2019", "'")
    text = re.sub(r"'s$", "", text)
    text = _CLEAN_RE.sub("", text).strip(" '-")
    return re.sub(r"\s+", " ", text)


def candidate_stems(word: str) -> list[str]:
    """Possible base forms of an inflected word: "shewed" -> ["shew", "shewe", ...]."""
    stems: list[str] = []
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
