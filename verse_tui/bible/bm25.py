"""Okapi BM25, the score SQLite FTS5 gives a verse for the words of a search, in plain Python.

Meaning search (`meaning_search.py`) scores a few hundred candidate verses by every word of a
query. Asking FTS5 for that (`MATCH ... AND rowid IN (...)`) takes 0.4-4 s when a common word
("the", "is") is in the query, because each candidate is a separate look-up in long doclists;
reading the candidates' texts and scoring them here takes a few milliseconds. The formula and
constants are FTS5's own (k1 = 1.2, b = 0.75, idf floored at 1e-6), with the same tokens (runs of
word characters, case folded, as the `unicode61` tokenizer splits them), so a verse scores as
`bm25()` would score it, only positive (FTS5 negates it to sort ascending).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

K1 = 1.2
B = 0.75
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The indexed tokens of a text: runs of word characters, lower case."""
    return _WORD.findall(text.lower())


def varints(data: bytes) -> list[int]:
    """The SQLite varints in `data` (7 bits a byte, high bit set on all but the last)."""
    found: list[int] = []
    value = 0
    for byte in data:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            found.append(value)
            value = 0
    return found


_ENDINGS = ("ing", "eth", "est", "ed", "es", "s")
_KEEP_DOUBLE = frozenset("lsz")
_stems: dict[str, str] = {}


def stem(word: str) -> str:
    """A crude common root of a word's forms, the same for "work", "works", "worketh",
    "working", "worked" (and "love", "loves", "loved", "loveth": "lov"; "worry", "worries",
    "worried": "worry"), so that a verse is found whichever form it uses. Only for matching:
    never shown. Kept per word for the process (the Bible has under 20,000 distinct words)."""
    root = _stems.get(word)
    if root is None:
        root = _stems[word] = _root(word)
    return root


def _root(word: str) -> str:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            if ending == "es" and not word.endswith(("ses", "xes", "zes", "ches", "shes")):
                ending = "s"
            if ending == "s" and word.endswith(("ss", "us", "is")):
                break
            word = word[: -len(ending)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in _KEEP_DOUBLE:
                word = word[:-1]
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word[:-1] + "y" if len(word) >= 3 and word.endswith("i") else word


@dataclass(frozen=True, slots=True)
class WordStats:
    """What BM25 needs of the whole index: its size, mean length, and each word's verses."""

    verses: int
    mean_length: float
    counts: dict[str, int]  # word -> number of verses holding it (absent: not indexed)

    def idf(self, word: str) -> float:
        """FTS5's idf; a word the index lacks counts as held by one verse (another form of it
        may still match: "worrying" finds "worry")."""
        held = max(self.counts.get(word, 0), 1)
        return max(math.log((self.verses - held + 0.5) / (held + 0.5)), 1e-6)


def score(stats: WordStats, query: dict[str, float], text: str) -> float:
    """The BM25 score of `text` for query words given as {stem: idf}; 0 when it holds none."""
    tokens = [_stems.get(token) or stem(token) for token in words(text)]
    held = query.keys() & tokens
    if not held:
        return 0.0
    norm = K1 * (1 - B + B * len(tokens) / stats.mean_length)
    total = 0.0
    for root in held:
        freq = tokens.count(root)
        total += query[root] * freq * (K1 + 1) / (freq + norm)
    return total
