"""Compare a quotation's words with a verse's words: equal, nearly equal, or not.

Pure Python, no I/O. Words are compared by a *key* that forgets what does not change the
wording of a translation:

- letter case, punctuation, apostrophes and hyphens ("God's" = "Gods", "mercy-seat" =
  "mercy seat"), the brackets of supplied words, verse numbers written into a quote;
- archaic *spellings* of the same word: "shew"/"show" (and shewed, shewn, shewbread ...),
  "sith"/"since", "alway"/"always", "stedfast"/"steadfast", "throughly"/"thoroughly",
  British "-our" (labour, honour, saviour, neighbour ...), "marvelled"-style double l,
  "judgement", "to day"/"today", "for ever"/"forever", "any thing"/"anything";
- the divine name as each translation renders it: "LORD" = "Yahweh" (WEB) = "Jehovah" (ASV);
- the old third-person verb ending: "-eth" = "-s"/"-es" ("loveth" = "loves", "goeth" =
  "goes", "hath" = "has", "doth" = "does", "saith" = "says").

Different *words* stay different, even where a modern quotation commonly swaps them:
"thee"/"you", "thou"/"you", "ye"/"you", "-est" verbs ("thou lovest"), "unto"/"to",
"everlasting"/"eternal". Such a quotation is not `verified` but usually `close`.

Similarity (0..1) weighs content words 1 and function words (articles, pronouns,
prepositions, auxiliaries) 0.3, so "For God so hated the world" is far from John 3:16 while
"I will never leave you nor forsake you" is near Hebrews 13:5 "... leave thee, nor forsake
thee". Negations ("not", "no", "never", "nor") count as content words.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

__all__ = ["Words", "contains", "pieces", "similarity", "words"]

Words = tuple[str, ...]

_APOSTROPHES = re.compile(r"(?<=\w)[’'`‘](?=\w)")
_WORD = re.compile(r"[^\W_]+")
_GAP = re.compile(r"\.\s*\.\s*\.|…|\[[^\]]*\]")  # an ellipsis or an [editorial insertion]
_SPELLINGS = {
    "sith": "since",
    "alway": "always",
    "throughly": "thoroughly",
    "musick": "music",
    "publick": "public",
    "cloke": "cloak",
    "ancle": "ankle",
    "ancles": "ankles",
    "bason": "basin",
    "basons": "basins",
    "plaister": "plaster",
    "morter": "mortar",
    "sope": "soap",
    "judgement": "judgment",
    "judgements": "judgments",
    "fulfil": "fulfill",
    "fulfils": "fulfills",
    "fulfilment": "fulfillment",
    "ax": "axe",
    "grey": "gray",
    "oh": "o",
    "yahweh": "lord",
    "jehovah": "lord",
    "hath": "has",
    "doth": "does",
    "saith": "says",
}
_PREFIXES = (("shew", "show"), ("stedfast", "steadfast"))
_OUR = re.compile(
    r"^(dis|un)?(labo|hono|colo|savio|neighbo|favo|behavio|savo|harbo|vapo|rumo|armo|valo|odo"
    r"|humo|endeavo|parlo|fervo|rigo|splendo|clamo|ardo)ur"
)
_DOUBLE_L = re.compile(
    r"^(marve|trave|counse|jewe|quarre|mode|cance|leve)ll(ed|ing|er|ers|or|ors)$"
)
_JOINED = {
    ("to", "day"): "today",
    ("to", "morrow"): "tomorrow",
    ("for", "ever"): "forever",
    ("any", "thing"): "anything",
    ("every", "thing"): "everything",
    ("some", "thing"): "something",
    ("no", "thing"): "nothing",
    ("any", "more"): "anymore",
}
_NOT_ETH = frozenset({"teeth", "seth", "heth", "beth", "teth", "japheth", "nazareth", "elizabeth"})
_FUNCTION_TEXT = (
    "a an the and or but if so as at by for from in into of on to unto upon with without "
    "i me my mine we us our ours you your yours thou thee thy thine ye he him his she her hers "
    "it its they them their theirs this that these those which who whom whose what "
    "is am are was were be been being has have had do does did shall should will would may "
    "might can could must also then than there here when where while even yet"
)
_FUNCTION_WORDS = frozenset(_FUNCTION_TEXT.split())
_STRONG_WORDS = frozenset({"not", "no", "never", "nor", "neither", "none"})
_FUNCTION_WEIGHT = 0.3


def _respell(word: str) -> str:
    word = _SPELLINGS.get(word, word)
    for old, new in _PREFIXES:
        if word.startswith(old):
            return new + word[len(old) :]
    if "our" in word:
        word = _OUR.sub(r"\1\2r", word)
    if "ll" in word:
        word = _DOUBLE_L.sub(r"\1l\2", word)
    return word


@lru_cache(maxsize=16384)
def _key(word: str) -> str:
    """The comparison key: respelled, with "-eth" and "-s"/"-es" verb endings made one."""
    word = _respell(word)
    if word in _FUNCTION_WORDS or word in _STRONG_WORDS:
        return word
    if word.endswith("eth") and len(word) >= 5 and word not in _NOT_ETH:
        stem = word[:-3]
        return (stem[:-1] if stem.endswith("e") else stem) + "~"
    if word.endswith("s") and len(word) >= 3 and not word.endswith("ss"):
        stem = word[:-1]
        return (stem[:-1] if stem.endswith("e") else stem) + "~"
    return word


def words(text: str) -> Words:
    """The comparison keys of the words of `text` (numbers dropped, see the module doc)."""
    raw = _WORD.findall(_APOSTROPHES.sub("", text.lower().replace("[", "").replace("]", "")))
    raw = [w for w in raw if not w.isdigit()]
    joined: list[str] = []
    index = 0
    while index < len(raw):
        pair = (raw[index], raw[index + 1]) if index + 1 < len(raw) else None
        if pair is not None and pair in _JOINED:
            joined.append(_JOINED[pair])
            index += 2
        else:
            joined.append(raw[index])
            index += 1
    return tuple(_key(w) for w in joined)


def pieces(quote: str) -> tuple[Words, ...]:
    """The quotation's runs of words between ellipses and [bracketed insertions]."""
    found = (words(part) for part in _GAP.split(quote))
    return tuple(p for p in found if p)


def _find(run: Words, within: Words, start: int) -> int:
    """Where `run` first occurs in `within` at or after `start`, or -1."""
    first, size = run[0], len(run)
    last = len(within) - size
    index = start
    while index <= last:
        try:
            index = within.index(first, index, last + 1)
        except ValueError:
            return -1
        if within[index : index + size] == run:
            return index
        index += 1
    return -1


def contains(text: Words, runs: tuple[Words, ...]) -> bool:
    """Whether every run occurs in `text`, in order, without overlapping."""
    position = 0
    for run in runs:
        found = _find(run, text, position)
        if found < 0:
            return False
        position = found + len(run)
    return bool(runs)


def _weight(key: str) -> float:
    return _FUNCTION_WEIGHT if key in _FUNCTION_WORDS else 1.0


def _aligned(run: Words, text: Words, start: int) -> tuple[float, float, float, int]:
    """(matched weight, weight of the run, weight of the stretch of `text[start:]` it aligns
    with, where that stretch ends)."""
    matcher = SequenceMatcher(None, run, text[start:], autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    total = sum(_weight(k) for k in run)
    if not blocks:
        return 0.0, total, 0.0, start
    matched = sum(_weight(k) for b in blocks for k in run[b.a : b.a + b.size])
    first, last = start + blocks[0].b, start + blocks[-1].b + blocks[-1].size
    return matched, total, sum(_weight(k) for k in text[first:last]), last


def similarity(text: Words, runs: tuple[Words, ...]) -> float:
    """How nearly the runs are words of `text`: 1.0 when `contains`, else the matched weight
    over the larger of the quotation's weight and that of the stretch of text it aligns with
    (runs aligned in order, each after the one before; never 1.0 unless `contains`)."""
    if not runs or not text:
        return 0.0
    if contains(text, runs):
        return 1.0
    matched = larger = 0.0
    position = 0
    for run in runs:
        m, own, window, position = _aligned(run, text, position)
        matched += m
        larger += max(own, window)
    return min(round(matched / larger, 3), 0.999) if larger else 0.0
