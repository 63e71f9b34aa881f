"""Turn what a person types into the search box into an SQLite FTS5 query.

Supported: plain words (each matches that whole word, all must appear), "a phrase", prefix*
(faith* matches faith, faithful, faithfulness), AND / OR / NOT (upper case) and parentheses.
A word with punctuation inside ("don't", "burnt-offering") becomes a phrase of its parts, the
way the index stores it. What FTS5 still rejects ("faith AND", "(hope") is reported by the
client as an `InputError`.

Every query's work is bounded before it runs: at most MAX_LENGTH characters, MAX_TERMS words
(each word of a phrase counts), MAX_PREFIXES prefix* terms, each with at least MIN_PREFIX
letters (a prefix expands to every indexed word that starts with it, across all translations).
The client adds a time budget while the query runs. Over-broad queries raise
`SearchTooBroadError`, an `InputError`, with what to type instead.
"""

from __future__ import annotations

import re

from verse_tui.domain.text import echo
from verse_tui.errors import InputError

SEARCH_HELP = 'Use words, "a phrase", prefix* and AND / OR / NOT, e.g. faith AND hope.'

MAX_LENGTH = 500
MAX_TERMS = 40
MAX_PREFIXES = 5
MIN_PREFIX = 3
NARROW = "Use fewer words, longer prefixes or a phrase."

_TOKEN = re.compile(r'"[^"]*"\*?|"|[()]|[^\s()"]+')
_WORD = re.compile(r"\w+\*?")
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})


class SearchSyntaxError(InputError):
    """The search text cannot be turned into a query."""


class SearchTooBroadError(InputError):
    """The search would take too much work: too many words or prefixes, or too long to run."""


def _bare(token: str) -> str | None:
    """A bare token as FTS5 accepts it, or None when it holds no word at all."""
    if token in _OPERATORS or _WORD.fullmatch(token):
        return token
    star = "*" if token.endswith("*") else ""
    words = re.findall(r"\w+", token)
    if not words:
        return None
    return '"' + " ".join(words) + '"' + star


def to_fts_query(text: str) -> str:
    """The FTS5 MATCH expression for `text`; raises SearchSyntaxError when there is none and
    SearchTooBroadError when it is over the limits above."""
    if len(text) > MAX_LENGTH:
        raise SearchTooBroadError(
            f"That search is {len(text):,} characters long; keep it under {MAX_LENGTH}. {NARROW}"
        )
    parts: list[str] = []
    for token in _TOKEN.findall(text):
        if token == '"':
            raise SearchSyntaxError(f"The quote in {echo(text)} is not closed. {SEARCH_HELP}")
        if token.startswith('"') or token in "()":
            parts.append(token)
            continue
        bare = _bare(token)
        if bare is not None:
            parts.append(bare)
    if not any(_WORD.search(part) and part not in _OPERATORS for part in parts):
        raise SearchSyntaxError(f"Type a word or phrase to search for. {SEARCH_HELP}")
    _check_work(parts)
    return " ".join(parts)


def _check_work(parts: list[str]) -> None:
    """Refuse a query whose words or prefixes would make FTS5 read too much of the index."""
    terms = [p for p in parts if p not in _OPERATORS and p not in "()"]
    words = sum(len(re.findall(r"\w+", term)) for term in terms)
    if words > MAX_TERMS:
        raise SearchTooBroadError(
            f"That search has {words} words; Verse searches for at most {MAX_TERMS} at a time. "
            f"{NARROW}"
        )
    stems = [re.findall(r"\w+", term) for term in terms if term.endswith("*")]
    prefixes = [found[-1] for found in stems if found]  # '""*' is no prefix: it matches nothing
    for stem in prefixes:
        if len(stem) < MIN_PREFIX:
            raise SearchTooBroadError(
                f"{stem}* would match too many words: a prefix needs at least {MIN_PREFIX} "
                f"letters before the *, as in lov* or faith*."
            )
    if len(prefixes) > MAX_PREFIXES:
        raise SearchTooBroadError(
            f"That search has {len(prefixes)} prefix* terms; Verse takes at most "
            f"{MAX_PREFIXES} at a time. {NARROW}"
        )
